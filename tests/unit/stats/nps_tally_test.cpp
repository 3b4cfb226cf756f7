// SPDX-License-Identifier: MIT
#include "cxm/stats/nps_tally.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

using cxm::errc;
using cxm::interval_method;
using cxm::nps_tally;

TEST(NpsTally, CategoriesAtEveryBoundary) {
  struct row { int answer; cxm::nps_category category; };
  const row rows[] = {{0, cxm::nps_category::detractor}, {6, cxm::nps_category::detractor},
                      {7, cxm::nps_category::passive},   {8, cxm::nps_category::passive},
                      {9, cxm::nps_category::promoter},  {10, cxm::nps_category::promoter}};
  for (const row& r : rows) {
    EXPECT_EQ(cxm::categorize_nps(r.answer), r.category) << r.answer;
    nps_tally t;
    ASSERT_TRUE(t.add(r.answer).ok());
    EXPECT_EQ(t.promoters(), r.category == cxm::nps_category::promoter ? 1u : 0u) << r.answer;
    EXPECT_EQ(t.passives(), r.category == cxm::nps_category::passive ? 1u : 0u) << r.answer;
    EXPECT_EQ(t.detractors(), r.category == cxm::nps_category::detractor ? 1u : 0u) << r.answer;
  }
}

TEST(NpsTally, RejectsBadAnswersByReasonAndKeepsCounts) {
  nps_tally t;
  ASSERT_TRUE(t.add(9).ok());
  const nps_tally before = t;
  EXPECT_EQ(t.add(11).code(), errc::out_of_range);
  EXPECT_EQ(t.add(-1).code(), errc::out_of_range);
  EXPECT_EQ(t.add(9.5).code(), errc::not_integer);
  EXPECT_EQ(t.add(std::numeric_limits<double>::quiet_NaN()).code(), errc::not_finite);
  EXPECT_EQ(t.add(std::numeric_limits<double>::infinity()).code(), errc::not_finite);
  EXPECT_EQ(t.add(1e12).code(), errc::out_of_range);
  // A fraction is not_integer wherever it lies (classify_answer, scale.hpp): -0.5 and 11.5 were
  // out_of_range before the one rule.
  EXPECT_EQ(t.add(-0.5).code(), errc::not_integer);
  EXPECT_EQ(t.add(11.5).code(), errc::not_integer);
  EXPECT_EQ(t.reject(errc::wrong_type).code(), errc::wrong_type);  // "9", null, true
  EXPECT_EQ(t.reject(errc::parse_error).code(), errc::invalid_argument);
  EXPECT_EQ(t.counts(), before.counts());
  EXPECT_EQ(t.total(), 1u);
  EXPECT_EQ(t.rejected(errc::out_of_range), 3u);
  EXPECT_EQ(t.rejected(errc::not_integer), 3u);
  EXPECT_EQ(t.rejected(errc::not_finite), 2u);
  EXPECT_EQ(t.rejected(errc::wrong_type), 1u);
  EXPECT_EQ(t.rejected_total(), 9u);
  EXPECT_TRUE(t.add(10.0).ok());
  EXPECT_EQ(t.count(10), 1u);
}

TEST(NpsTally, ScoreAndStandardErrorByHand) {
  // 50 promoters, 30 passives, 20 detractors: NPS 30, SE = 100*sqrt((0.5+0.2-0.09)/100).
  nps_tally t;
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(t.add(10).ok());
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(t.add(8).ok());
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(t.add(3).ok());
  EXPECT_DOUBLE_EQ(t.score(), 30.0);
  EXPECT_DOUBLE_EQ(t.standard_error(), 100.0 * std::sqrt(0.0061));
  // Adjusted: (50.75 - 20.75)/103.
  EXPECT_DOUBLE_EQ(t.adjusted_score(), 100.0 * 30.0 / 103.0);
}

TEST(NpsTally, EmptyTallyHasNoInterval) {
  nps_tally t;
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.score(), 0.0);
  for (auto m : {interval_method::wald, interval_method::adjusted_wald, interval_method::score})
    EXPECT_EQ(t.confidence_interval(0.95, m).code(), errc::empty);
}

TEST(NpsTally, RejectsBadLevelsAndMethods) {
  nps_tally t;
  ASSERT_TRUE(t.add(9).ok());
  for (double level : {0.0, 1.0, -0.5, 1.5, std::numeric_limits<double>::quiet_NaN()})
    EXPECT_EQ(t.confidence_interval(level).code(), errc::invalid_argument) << level;
  EXPECT_EQ(t.confidence_interval(0.95, interval_method::wilson).code(), errc::invalid_argument);
  EXPECT_EQ(cxm::compare(t, t, 0.95, interval_method::score).code(), errc::invalid_argument);
}

TEST(NpsTally, SmallSamplesAreFlaggedNotHidden) {
  nps_tally t;
  for (int i = 0; i < 29; ++i) ASSERT_TRUE(t.add(i % 11).ok());
  auto small = t.confidence_interval();
  ASSERT_TRUE(small.ok());
  EXPECT_TRUE(small->small_sample);
  EXPECT_EQ(small->n, 29u);
  ASSERT_TRUE(t.add(5).ok());
  EXPECT_FALSE(t.confidence_interval()->small_sample);
}

TEST(NpsTally, IntervalsCarryMethodLevelAndStayInRange) {
  nps_tally t;
  for (int i = 0; i < 7; ++i) ASSERT_TRUE(t.add(10).ok());
  for (auto m : {interval_method::adjusted_wald, interval_method::score}) {
    auto ci = t.confidence_interval(0.99, m);
    ASSERT_TRUE(ci.ok());
    EXPECT_EQ(ci->method, m);
    EXPECT_EQ(ci->level, 0.99);
    EXPECT_LE(ci->upper, 100.0);
    EXPECT_GE(ci->lower, -100.0);
    EXPECT_TRUE(ci->point_inside());
    EXPECT_EQ(ci->point, 100.0);
  }
}

// Golden values computed independently (Python, z = 1.959963984540054): the adjusted-Wald
// interval of a single promoter is [-48.4986, 98.4986] around centre 25 (1.75 promoters and
// 0.75 detractors of 4), which leaves the raw score +100 outside; the interval says so.
TEST(NpsTally, AdjustedWaldSaysWhenTheScoreFallsOutside) {
  nps_tally t;
  ASSERT_TRUE(t.add(10).ok());
  auto ci = t.confidence_interval(0.95, interval_method::adjusted_wald);
  ASSERT_TRUE(ci.ok());
  EXPECT_EQ(ci->point, 100.0);
  EXPECT_DOUBLE_EQ(ci->center, 25.0);
  EXPECT_NEAR(ci->lower, -48.49864942025203, 1e-9);
  EXPECT_NEAR(ci->upper, 98.49864942025202, 1e-9);
  EXPECT_FALSE(ci->point_inside());
}

// 9 promoters and a passive: the plain Wald interval 90 ± 18.59 would run past +100.
TEST(NpsTally, WaldIntervalIsClampedToTheScoreRange) {
  nps_tally t;
  for (int i = 0; i < 9; ++i) ASSERT_TRUE(t.add(10).ok());
  ASSERT_TRUE(t.add(8).ok());
  auto ci = t.confidence_interval(0.95, interval_method::wald);
  ASSERT_TRUE(ci.ok());
  EXPECT_DOUBLE_EQ(ci->point, 90.0);
  EXPECT_DOUBLE_EQ(ci->center, 90.0);
  EXPECT_EQ(ci->upper, 100.0);
  EXPECT_NEAR(ci->lower, 90.0 - 18.593850969136857, 1e-9);
}

TEST(NpsTally, DifferenceKeepsTheSign) {
  nps_tally low, high;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(low.add(i < 30 ? 10 : (i < 60 ? 7 : 2)).ok());
    ASSERT_TRUE(high.add(i < 60 ? 10 : (i < 80 ? 7 : 2)).ok());
  }
  auto d = cxm::compare(low, high, 0.95, interval_method::wald);
  ASSERT_TRUE(d.ok());
  EXPECT_DOUBLE_EQ(d->difference, low.score() - high.score());
  EXPECT_LT(d->difference, 0);
  EXPECT_LT(d->upper, 0);
  EXPECT_LT(d->p_value, 0.05);
  auto r = cxm::compare(high, low, 0.95, interval_method::wald);
  EXPECT_DOUBLE_EQ(r->difference, -d->difference);
  EXPECT_DOUBLE_EQ(r->p_value, d->p_value);
  EXPECT_EQ(cxm::compare(low, nps_tally{}).code(), errc::empty);
}

TEST(NpsTally, MergeRefusesToPassTheCountLimitInsteadOfWrapping) {
  nps_tally::counts_type big{};
  big[10] = cxm::max_count / 2;
  big[0] = 1;
  nps_tally a(big), b(big);
  EXPECT_EQ(a.merge(b).code(), errc::out_of_range);  // 2^62 + 2 answers: one tally too many
  EXPECT_EQ(a, nps_tally(big));                       // unchanged
  big[0] = 0;
  nps_tally c(big), d(big);
  ASSERT_TRUE(c.merge(d).ok());  // exactly 2^62
  EXPECT_EQ(c.total(), cxm::max_count);
  // Rejection counters are diagnostics: they saturate.
  c.set_rejected_counts({std::numeric_limits<std::uint64_t>::max(), 0, 0, 0});
  (void)c.add(11);
  EXPECT_EQ(c.rejected(errc::out_of_range), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(c.rejected_total(), std::numeric_limits<std::uint64_t>::max());
}
