// SPDX-License-Identifier: MIT
#include "cxm/stats/scale_tally.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using cxm::errc;
using cxm::scale;
using cxm::scale_tally;

TEST(ScaleTally, NamedScales) {
  EXPECT_EQ(scale::nps(), (scale{0, 10, 9}));
  EXPECT_EQ(scale::nps().points(), 11);
  EXPECT_EQ(scale::ces7(), (scale{1, 7, 5}));
  EXPECT_EQ(scale::ces5(), (scale{1, 5, 4}));
  EXPECT_EQ(scale::csat5(), (scale{1, 5, 4}));
  EXPECT_TRUE(scale::ces7().valid());
  EXPECT_FALSE((scale{1, 12, 5}.valid()));  // 12 points
  EXPECT_FALSE((scale{5, 1, 3}.valid()));
  EXPECT_FALSE((scale{1, 5, 6}.valid()));
  EXPECT_EQ(scale_tally::make(scale{1, 5, 6}).code(), errc::invalid_argument);
  EXPECT_TRUE(scale_tally::make(scale{0, 10, 9}).ok());
}

TEST(ScaleTally, TopBoxBoundariesOnEachScale) {
  struct row { scale s; int answer; bool top; };
  const row rows[] = {{scale::ces7(), 4, false}, {scale::ces7(), 5, true}, {scale::ces7(), 7, true},
                      {scale::ces5(), 3, false}, {scale::ces5(), 4, true},
                      {scale::csat5(), 3, false}, {scale::csat5(), 4, true}, {scale::csat5(), 5, true}};
  for (const row& r : rows) {
    auto t = scale_tally::make(r.s).value();
    ASSERT_TRUE(t.add(r.answer).ok());
    EXPECT_EQ(t.top_box_count(), r.top ? 1u : 0u) << r.s.max << ":" << r.answer;
  }
}

TEST(ScaleTally, RejectsOutsideTheDeclaredScale) {
  auto t = scale_tally::make(scale::csat5()).value();
  EXPECT_EQ(t.add(0).code(), errc::out_of_range);
  EXPECT_EQ(t.add(6).code(), errc::out_of_range);
  EXPECT_EQ(t.add(7).code(), errc::out_of_range);  // valid on CES 7, not on CSAT 5
  EXPECT_EQ(t.add(4.5).code(), errc::not_integer);
  EXPECT_EQ(t.add(7.5).code(), errc::not_integer);  // a fraction first, off the scale or not
  EXPECT_EQ(t.add(0.5).code(), errc::not_integer);
  EXPECT_EQ(t.add(std::numeric_limits<double>::quiet_NaN()).code(), errc::not_finite);
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.rejected(errc::out_of_range), 3u);
  EXPECT_EQ(t.rejected(errc::not_integer), 3u);
  EXPECT_EQ(t.rejected(errc::not_finite), 1u);
  EXPECT_EQ(t.rejected_total(), 7u);
}

TEST(ScaleTally, DifferentScalesDoNotMerge) {
  auto ces7 = scale_tally::make(scale::ces7()).value();
  auto ces5 = scale_tally::make(scale::ces5()).value();
  ASSERT_TRUE(ces7.add(6).ok());
  ASSERT_TRUE(ces5.add(4).ok());
  const auto before = ces7;
  EXPECT_EQ(ces7.merge(ces5).code(), errc::incompatible);
  EXPECT_EQ(ces7, before);
  auto other = scale_tally::make(scale::ces7()).value();
  ASSERT_TRUE(other.add(2).ok());
  EXPECT_TRUE(ces7.merge(other).ok());
  EXPECT_EQ(ces7.total(), 2u);
}

TEST(ScaleTally, MeanAndDeviationByHand) {
  auto t = scale_tally::make(scale::ces7()).value();
  for (int a : {1, 7, 7, 5}) ASSERT_TRUE(t.add(a).ok());
  EXPECT_DOUBLE_EQ(t.mean(), 5.0);
  EXPECT_DOUBLE_EQ(t.standard_deviation(), std::sqrt((16.0 + 4 + 4 + 0) / 3.0));
  EXPECT_DOUBLE_EQ(t.top_box_share(), 0.75);
}

// 6, 7, 7, 7 on CES 7: mean 6.75, s = 0.5, t(0.975, 3) = 3.182446305284263 (published
// tables), so 6.75 ± 0.7956; the part past 7 is clamped, as no mean of these answers exceeds 7.
TEST(ScaleTally, MeanIntervalIsClampedToTheScale) {
  auto t = scale_tally::make(scale::ces7()).value();
  for (int a : {6, 7, 7, 7}) ASSERT_TRUE(t.add(a).ok());
  auto ci = t.mean_interval(0.95, cxm::interval_method::student_t);
  ASSERT_TRUE(ci.ok());
  EXPECT_DOUBLE_EQ(ci->point, 6.75);
  EXPECT_DOUBLE_EQ(ci->center, 6.75);
  EXPECT_NEAR(ci->lower, 6.75 - 3.182446305284263 * 0.5 / 2, 1e-9);
  EXPECT_EQ(ci->upper, 7.0);
  EXPECT_TRUE(ci->point_inside());
}

// Wilson: 4 of 5 in the top box: the point is 0.8, the centre (0.8 + z²/10) / (1 + z²/5).
TEST(ScaleTally, TopBoxIntervalCarriesTheWilsonCentre) {
  auto t = scale_tally::make(scale::ces7()).value();
  for (int a : {6, 7, 7, 7, 2}) ASSERT_TRUE(t.add(a).ok());
  auto ci = t.top_box_interval(0.95);
  ASSERT_TRUE(ci.ok());
  const double z2 = 1.959963984540054 * 1.959963984540054;
  EXPECT_DOUBLE_EQ(ci->point, 0.8);
  EXPECT_NEAR(ci->center, (0.8 + z2 / 10) / (1 + z2 / 5), 1e-12);
  EXPECT_TRUE(ci->point_inside());
}

TEST(ScaleTally, IntervalsNeedData) {
  auto t = scale_tally::make(scale::ces7()).value();
  EXPECT_EQ(t.mean_interval().code(), errc::empty);
  EXPECT_EQ(t.top_box_interval().code(), errc::empty);
  ASSERT_TRUE(t.add(6).ok());
  EXPECT_EQ(t.mean_interval().code(), errc::empty);  // one answer: no variance
  auto tb = t.top_box_interval();
  ASSERT_TRUE(tb.ok());
  EXPECT_TRUE(tb->small_sample);
  EXPECT_EQ(t.top_box_interval(1.0).code(), errc::invalid_argument);
}

// Welch's t by hand: a = {1, 2, 3} (mean 2, s² = 1), b = {4, 6} (mean 5, s² = 2):
// v_a = 1/3, v_b = 1, se = sqrt(4/3), df = (4/3)² / ((1/3)²/2 + 1²/1) = (16/9) / (19/18) = 32/19.
// The p-value and interval against golden values are in report/report_golden_test.cpp.
TEST(ScaleTallyCompareMeans, WelchByHand) {
  auto a = cxm::scale_tally::make(cxm::scale::ces7());
  auto b = cxm::scale_tally::make(cxm::scale::ces7());
  ASSERT_TRUE(a && b);
  for (int x : {1, 2, 3}) ASSERT_TRUE(a->add(x));
  for (int x : {4, 6}) ASSERT_TRUE(b->add(x));
  auto d = cxm::compare_means(*a, *b);
  ASSERT_TRUE(d) << d.detail();
  EXPECT_DOUBLE_EQ(d->difference, -3.0);
  EXPECT_DOUBLE_EQ(d->standard_error, std::sqrt(4.0 / 3.0));
  EXPECT_NEAR(d->degrees_of_freedom, 32.0 / 19.0, 1e-12);
  EXPECT_LT(d->lower, d->difference);
  EXPECT_GT(d->upper, d->difference);
  EXPECT_GT(d->p_value, 0.0);
  EXPECT_LT(d->p_value, 1.0);
  // Swapping the samples flips the sign and keeps the p-value.
  auto r = cxm::compare_means(*b, *a);
  ASSERT_TRUE(r);
  EXPECT_DOUBLE_EQ(r->difference, 3.0);
  EXPECT_DOUBLE_EQ(r->p_value, d->p_value);
}

TEST(ScaleTallyCompareMeans, NeedsTwoAnswersPerSampleAndOneScale) {
  auto a = cxm::scale_tally::make(cxm::scale::ces7());
  auto b = cxm::scale_tally::make(cxm::scale::ces7());
  auto c = cxm::scale_tally::make(cxm::scale::csat5());
  ASSERT_TRUE(a && b && c);
  for (int x : {3, 4}) ASSERT_TRUE(a->add(x));
  ASSERT_TRUE(b->add(5));
  EXPECT_EQ(cxm::compare_means(*a, *b).code(), cxm::errc::empty);
  ASSERT_TRUE(b->add(6));
  EXPECT_TRUE(cxm::compare_means(*a, *b));
  for (int x : {3, 4}) ASSERT_TRUE(c->add(x));
  EXPECT_EQ(cxm::compare_means(*a, *c).code(), cxm::errc::incompatible);
  EXPECT_EQ(cxm::compare_means(*a, *b, 1.0).code(), cxm::errc::invalid_argument);
}

TEST(ScaleTallyCompareMeans, NoSpreadInEitherSample) {
  auto a = cxm::scale_tally::make(cxm::scale::ces7());
  auto b = cxm::scale_tally::make(cxm::scale::ces7());
  ASSERT_TRUE(a && b);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(a->add(5));
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(b->add(5));
  auto same = cxm::compare_means(*a, *b);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->difference, 0.0);
  EXPECT_EQ(same->p_value, 1.0);
  auto c = cxm::scale_tally::make(cxm::scale::ces7());
  ASSERT_TRUE(c);
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(c->add(2));
  auto differ = cxm::compare_means(*a, *c);
  ASSERT_TRUE(differ);
  EXPECT_EQ(differ->difference, 3.0);
  EXPECT_EQ(differ->p_value, 0.0);
  EXPECT_EQ(differ->lower, 3.0);
  EXPECT_EQ(differ->upper, 3.0);
}
