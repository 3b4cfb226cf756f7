// SPDX-License-Identifier: MIT
// Design-weighted tallies: the golden cases of tests/data/golden.json ("weighted", computed
// with explicit sums over the records in exact fractions by
// tests/data/golden/weighted_golden.py), the merge laws, invariance to the scale of the
// weights, agreement with the unweighted tallies for equal weights, Kish's bound, and the
// rejection counters.
#include "cxm/stats/weighted_tally.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "io/strict_json.hpp"
#include "test_support.hpp"

namespace json = boost::json;

namespace {

constexpr double relative_tolerance = 1e-12;

json::value golden() {
  cxm::detail::json_limits limits;
  auto v = cxm::detail::parse_strict(cxm_test::test_data("golden.json"), limits);
  EXPECT_TRUE(v.ok()) << v.detail();
  return v.ok() ? v.value() : json::value{};
}

double num(const json::value& v) { return v.to_number<double>(); }

// |actual − expected| within 1e-12 of |expected| (absolute 1e-14 near 0: clamped bounds).
::testing::AssertionResult close(double actual, double expected) {
  const double tol = relative_tolerance * std::fmax(std::fabs(expected), 1e-2);
  if (std::fabs(actual - expected) <= tol) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << actual << " vs golden " << expected << " (diff "
                                       << actual - expected << ")";
}

template <class Tally>
void feed(Tally& t, const json::array& records) {
  for (const json::value& r : records) {
    const int answer = static_cast<int>(r.at("answer").as_int64());
    const double pi = num(r.at("pi"));
    for (std::int64_t k = 0; k < r.at("count").as_int64(); ++k) ASSERT_TRUE(t.add(answer, pi).ok());
  }
}

struct record {
  int answer;
  double pi;
};

// Seeded records: answers uniform on [lo, hi], probabilities from a few sample rates or uniform.
std::vector<record> random_records(std::uint32_t seed, std::size_t n, int lo, int hi, bool dyadic) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> answer(lo, hi);
  std::uniform_int_distribution<int> rate(0, 4);
  std::uniform_real_distribution<double> u(0.01, 1.0);
  const double dyadic_rates[] = {1.0, 0.5, 0.25, 0.125, 1.0 / 64};
  std::vector<record> out;
  for (std::size_t i = 0; i < n; ++i) {
    const int a = answer(rng);
    out.push_back({a, dyadic ? dyadic_rates[rate(rng)] : u(rng)});
  }
  return out;
}

template <class Tally>
Tally tally_of(const std::vector<record>& records, Tally t = Tally{}, double scale_pi = 1.0) {
  for (const record& r : records) EXPECT_TRUE(t.add(r.answer, r.pi * scale_pi).ok());
  return t;
}

}  // namespace

TEST(WeightedGolden, NpsCases) {
  const json::value g = golden();
  std::size_t checked = 0;
  for (const json::value& c : g.at("weighted").at("nps").as_array()) {
    const std::string name(c.at("name").as_string());
    cxm::weighted_nps_tally t;
    feed(t, c.at("records").as_array());
    EXPECT_EQ(t.total(), c.at("n").to_number<std::uint64_t>()) << name;
    EXPECT_TRUE(close(t.weight_total(), num(c.at("weight_total")))) << name;
    EXPECT_TRUE(close(t.weight_squared_total(), num(c.at("weight_squared_total")))) << name;
    EXPECT_TRUE(close(t.effective_n(), num(c.at("effective_n")))) << name;
    EXPECT_TRUE(close(t.score(), num(c.at("score")))) << name;
    if (c.at("standard_error").is_null()) {
      EXPECT_EQ(t.standard_error(), 0.0) << name;
      EXPECT_EQ(t.confidence_interval().code(), cxm::errc::empty) << name;
    } else {
      EXPECT_TRUE(close(t.standard_error(), num(c.at("standard_error")))) << name;
    }
    for (const json::value& iv : c.at("intervals").as_array()) {
      auto ci = t.confidence_interval(num(iv.at("level")));
      ASSERT_TRUE(ci.ok()) << name << ": " << ci.detail();
      EXPECT_TRUE(close(ci->lower, num(iv.at("lower")))) << name;
      EXPECT_TRUE(close(ci->upper, num(iv.at("upper")))) << name;
      EXPECT_EQ(ci->small_sample, iv.at("small_sample").as_bool()) << name;
      EXPECT_EQ(ci->method, cxm::interval_method::wald);
      EXPECT_EQ(ci->n, t.total());
      ++checked;
    }
  }
  EXPECT_GE(checked, 21u);
}

TEST(WeightedGolden, ScaleCases) {
  const json::value g = golden();
  std::size_t checked = 0;
  for (const json::value& c : g.at("weighted").at("scale").as_array()) {
    const std::string name(c.at("name").as_string());
    const json::object& so = c.at("scale").as_object();
    const cxm::scale s{static_cast<int>(so.at("min").as_int64()), static_cast<int>(so.at("max").as_int64()),
                       static_cast<int>(so.at("top_box_min").as_int64())};
    auto made = cxm::weighted_scale_tally::make(s);
    ASSERT_TRUE(made.ok()) << name;
    cxm::weighted_scale_tally t = made.value();
    feed(t, c.at("records").as_array());
    EXPECT_EQ(t.total(), c.at("n").to_number<std::uint64_t>()) << name;
    EXPECT_TRUE(close(t.weight_total(), num(c.at("weight_total")))) << name;
    EXPECT_TRUE(close(t.effective_n(), num(c.at("effective_n")))) << name;
    EXPECT_TRUE(close(t.mean(), num(c.at("mean")))) << name;
    EXPECT_TRUE(close(t.mean_standard_error(), num(c.at("mean_standard_error")))) << name;
    EXPECT_TRUE(close(t.top_box_share(), num(c.at("top_box")))) << name;
    EXPECT_TRUE(close(t.top_box_standard_error(), num(c.at("top_box_standard_error")))) << name;
    for (const json::value& iv : c.at("mean_intervals").as_array()) {
      auto ci = t.mean_interval(num(iv.at("level")));
      ASSERT_TRUE(ci.ok()) << name;
      EXPECT_TRUE(close(ci->lower, num(iv.at("lower")))) << name;
      EXPECT_TRUE(close(ci->upper, num(iv.at("upper")))) << name;
      EXPECT_EQ(ci->small_sample, iv.at("small_sample").as_bool()) << name;
      ++checked;
    }
    for (const json::value& iv : c.at("top_box_intervals").as_array()) {
      auto ci = t.top_box_interval(num(iv.at("level")));
      ASSERT_TRUE(ci.ok()) << name;
      EXPECT_TRUE(close(ci->lower, num(iv.at("lower")))) << name;
      EXPECT_TRUE(close(ci->upper, num(iv.at("upper")))) << name;
      ++checked;
    }
  }
  EXPECT_GE(checked, 24u);
}

TEST(WeightedNpsTally, EqualWeightsGiveTheUnweightedScore) {
  for (double pi : {1.0, 0.25, 0.3, 0.07}) {
    const auto records = random_records(11, 57, 0, 10, false);
    cxm::weighted_nps_tally w;
    cxm::nps_tally u;
    for (const record& r : records) {
      ASSERT_TRUE(w.add(r.answer, pi).ok());
      ASSERT_TRUE(u.add(r.answer).ok());
    }
    const double n = static_cast<double>(u.total());
    EXPECT_NEAR(w.score(), u.score(), 1e-12) << pi;
    // The with-replacement variance divides by n − 1 where the trinomial one divides by n.
    EXPECT_NEAR(w.standard_error(), u.standard_error() * std::sqrt(n / (n - 1)), 1e-12) << pi;
    EXPECT_NEAR(w.effective_n(), n, 1e-12 * n) << pi;
    EXPECT_LE(w.effective_n(), n);
  }
}

TEST(WeightedNpsTally, ScalingEveryWeightChangesNothing) {
  const auto records = random_records(5, 80, 0, 10, false);
  const auto a = tally_of<cxm::weighted_nps_tally>(records);
  for (double c : {0.5, 0.37, 1e-3}) {  // π·c: every weight multiplied by 1/c
    const auto b = tally_of<cxm::weighted_nps_tally>(records, {}, c);
    EXPECT_NEAR(b.score(), a.score(), 1e-12 * 100) << c;
    EXPECT_NEAR(b.standard_error(), a.standard_error(), 1e-12 * a.standard_error()) << c;
    EXPECT_NEAR(b.effective_n(), a.effective_n(), 1e-12 * a.effective_n()) << c;
    EXPECT_NEAR(b.confidence_interval()->lower, a.confidence_interval()->lower, 1e-10) << c;
  }
}

TEST(WeightedNpsTally, MergeIsAssociativeCommutativeAndEqualsOneTally) {
  // Dyadic probabilities: every sum is exact, so the laws hold exactly.
  const auto all = random_records(7, 90, 0, 10, true);
  const std::vector<record> ra(all.begin(), all.begin() + 25), rb(all.begin() + 25, all.begin() + 61),
      rc(all.begin() + 61, all.end());
  const auto a = tally_of<cxm::weighted_nps_tally>(ra), b = tally_of<cxm::weighted_nps_tally>(rb),
             c = tally_of<cxm::weighted_nps_tally>(rc), whole = tally_of<cxm::weighted_nps_tally>(all);
  auto ab = a;
  ASSERT_TRUE(ab.merge(b).ok());
  auto ba = b;
  ASSERT_TRUE(ba.merge(a).ok());
  EXPECT_EQ(ab, ba);
  auto ab_c = ab;
  ASSERT_TRUE(ab_c.merge(c).ok());
  auto bc = b;
  ASSERT_TRUE(bc.merge(c).ok());
  auto a_bc = a;
  ASSERT_TRUE(a_bc.merge(bc).ok());
  EXPECT_EQ(ab_c, a_bc);
  EXPECT_EQ(ab_c, whole);
  auto e = cxm::weighted_nps_tally{};
  ASSERT_TRUE(e.merge(whole).ok());
  EXPECT_EQ(e, whole);  // the empty tally is the identity

  // Any probabilities: commutative exactly, associative up to rounding.
  const auto any = random_records(8, 90, 0, 10, false);
  const std::vector<record> xa(any.begin(), any.begin() + 40), xb(any.begin() + 40, any.end());
  auto x = tally_of<cxm::weighted_nps_tally>(xa), y = tally_of<cxm::weighted_nps_tally>(xb);
  auto xy = x, yx = y;
  ASSERT_TRUE(xy.merge(y).ok());
  ASSERT_TRUE(yx.merge(x).ok());
  EXPECT_EQ(xy, yx);
  const auto one = tally_of<cxm::weighted_nps_tally>(any);
  EXPECT_EQ(xy.total(), one.total());
  EXPECT_NEAR(xy.score(), one.score(), 1e-12);
  EXPECT_NEAR(xy.standard_error(), one.standard_error(), 1e-12);
  EXPECT_NEAR(xy.effective_n(), one.effective_n(), 1e-12 * one.effective_n());
}

TEST(WeightedNpsTally, RejectionsAreCountedByReasonAndChangeNothing) {
  cxm::weighted_nps_tally t;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(t.add(11, 0.5), cxm::errc::out_of_range);
  EXPECT_EQ(t.add(-1, nan), cxm::errc::out_of_range);  // the answer is judged first
  EXPECT_EQ(t.add(9.5, 0.5), cxm::errc::not_integer);
  EXPECT_EQ(t.add(nan, 0.5), cxm::errc::not_finite);
  EXPECT_EQ(t.add(12), cxm::errc::out_of_range);
  EXPECT_EQ(t.reject(cxm::errc::wrong_type), cxm::errc::wrong_type);
  EXPECT_EQ(t.add(9, 0.0), cxm::errc::out_of_range);
  EXPECT_EQ(t.add(9, -0.2), cxm::errc::out_of_range);
  EXPECT_EQ(t.add(9, 1.0000001), cxm::errc::out_of_range);
  EXPECT_EQ(t.add(9, 1e-13), cxm::errc::out_of_range);  // under min_inclusion_probability
  EXPECT_EQ(t.add(9, nan), cxm::errc::not_finite);
  EXPECT_EQ(t.add(9.0, inf), cxm::errc::not_finite);
  EXPECT_EQ(t.add(9, -inf), cxm::errc::not_finite);
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.missing_probability(), 0u);
  EXPECT_EQ(t.rejected(cxm::errc::out_of_range), 3u);
  EXPECT_EQ(t.rejected(cxm::errc::not_integer), 1u);
  EXPECT_EQ(t.rejected(cxm::errc::not_finite), 1u);
  EXPECT_EQ(t.rejected(cxm::errc::wrong_type), 1u);
  EXPECT_EQ(t.rejected_probability(cxm::errc::out_of_range), 4u);
  EXPECT_EQ(t.rejected_probability(cxm::errc::not_finite), 3u);
  EXPECT_EQ(t.rejected_probability(cxm::errc::not_integer), 0u);
  EXPECT_EQ(t.rejected_total(), 13u);
  EXPECT_EQ(t.add(9, cxm::min_inclusion_probability), cxm::errc::ok);
  EXPECT_EQ(t.add(9, 1.0), cxm::errc::ok);
  EXPECT_EQ(t.total(), 2u);

  auto u = t;
  ASSERT_TRUE(u.merge(t).ok());
  EXPECT_EQ(u.rejected_total(), 26u);
  EXPECT_EQ(u.rejected_probability(cxm::errc::not_finite), 6u);
}

TEST(WeightedNpsTally, RecordsWithoutAProbabilityWeighOneAndAreCounted) {
  cxm::weighted_nps_tally t;
  EXPECT_TRUE(t.add(10).ok());
  EXPECT_TRUE(t.add(3.0).ok());
  EXPECT_FALSE(t.add(11).ok());
  EXPECT_TRUE(t.add(10, 0.25).ok());
  EXPECT_EQ(t.missing_probability(), 2u);
  EXPECT_EQ(t.total(), 3u);
  EXPECT_DOUBLE_EQ(t.weight_total(), 6.0);
  EXPECT_DOUBLE_EQ(t.score(), 100.0 * (1 + 4 - 1) / 6.0);
  auto m = t;
  ASSERT_TRUE(m.merge(t).ok());
  EXPECT_EQ(m.missing_probability(), 4u);
}

TEST(WeightedNpsTally, KishEffectiveNIsAtMostNAndEqualOnlyForEqualWeights) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    const auto records = random_records(seed, 5 + seed * 3, 0, 10, seed % 2 == 0);
    const auto t = tally_of<cxm::weighted_nps_tally>(records);
    const double n = static_cast<double>(t.total());
    bool equal = true;
    for (const record& r : records) equal = equal && r.pi == records.front().pi;
    EXPECT_LE(t.effective_n(), n) << seed;
    EXPECT_GE(t.effective_n(), 1.0) << seed;
    if (equal) EXPECT_EQ(t.effective_n(), n) << seed; else EXPECT_LT(t.effective_n(), n * (1 - 1e-9)) << seed;
  }
  // Equal weights: exactly n when the sums are exact (dyadic π), within rounding otherwise
  // and never more than n (capped).
  cxm::weighted_nps_tally dyadic, same;
  for (int i = 0; i < 31; ++i) {
    ASSERT_TRUE(dyadic.add(i % 11, 0.25).ok());
    ASSERT_TRUE(same.add(i % 11, 0.3).ok());
  }
  EXPECT_EQ(dyadic.effective_n(), 31.0);
  EXPECT_NEAR(same.effective_n(), 31.0, 31 * 1e-14);
  EXPECT_LE(same.effective_n(), 31.0);
}

TEST(WeightedNpsTally, IntervalFlagsSmallSamplesByEffectiveN) {
  cxm::weighted_nps_tally t;
  EXPECT_EQ(t.confidence_interval().code(), cxm::errc::empty);
  ASSERT_TRUE(t.add(9, 0.5).ok());
  EXPECT_EQ(t.confidence_interval().code(), cxm::errc::empty);  // one response: no variance
  for (int i = 0; i < 40; ++i) ASSERT_TRUE(t.add(i % 11, 1.0).ok());
  EXPECT_FALSE(t.confidence_interval()->small_sample);
  ASSERT_TRUE(t.add(0, 0.01).ok());  // one response standing for 100: n = 42, n_eff ≈ 11
  const auto ci = t.confidence_interval(0.9);
  ASSERT_TRUE(ci.ok());
  EXPECT_LT(t.effective_n(), 30.0);
  EXPECT_TRUE(ci->small_sample);
  EXPECT_EQ(ci->n, 42u);
  EXPECT_TRUE(ci->point_inside());
  EXPECT_GE(ci->lower, -100.0);
  EXPECT_EQ(t.confidence_interval(1.0).code(), cxm::errc::invalid_argument);
  EXPECT_EQ(t.confidence_interval(std::numeric_limits<double>::quiet_NaN()).code(),
            cxm::errc::invalid_argument);
}

TEST(WeightedScaleTally, EqualWeightsGiveTheUnweightedMeanInterval) {
  const auto records = random_records(3, 45, 1, 7, false);
  auto w = cxm::weighted_scale_tally::make(cxm::scale::ces7()).value();
  auto u = cxm::scale_tally::make(cxm::scale::ces7()).value();
  for (const record& r : records) {
    ASSERT_TRUE(w.add(r.answer, 0.2).ok());
    ASSERT_TRUE(u.add(r.answer).ok());
  }
  const double n = static_cast<double>(u.total());
  EXPECT_NEAR(w.mean(), u.mean(), 1e-12);
  EXPECT_NEAR(w.mean_standard_error(), u.standard_deviation() / std::sqrt(n), 1e-12);
  EXPECT_NEAR(w.top_box_share(), u.top_box_share(), 1e-12);
  const auto wi = w.mean_interval(0.95), ui = u.mean_interval(0.95, cxm::interval_method::student_t);
  ASSERT_TRUE(wi.ok() && ui.ok());
  EXPECT_NEAR(wi->lower, ui->lower, 1e-10);  // t(n_eff − 1) with n_eff = n
  EXPECT_NEAR(wi->upper, ui->upper, 1e-10);
}

TEST(WeightedScaleTally, MergeLawsScalesAndRejections) {
  const auto all = random_records(9, 60, 1, 5, true);
  const std::vector<record> ra(all.begin(), all.begin() + 22), rb(all.begin() + 22, all.end());
  const auto csat = cxm::weighted_scale_tally::make(cxm::scale::csat5()).value();
  auto a = tally_of(ra, csat), b = tally_of(rb, csat);
  const auto whole = tally_of(all, csat);
  auto ab = a, ba = b;
  ASSERT_TRUE(ab.merge(b).ok());
  ASSERT_TRUE(ba.merge(a).ok());
  EXPECT_EQ(ab, ba);
  EXPECT_EQ(ab, whole);

  auto ces = cxm::weighted_scale_tally{};
  ASSERT_TRUE(ces.add(7, 0.5).ok());
  EXPECT_EQ(a.merge(ces), cxm::errc::incompatible);
  EXPECT_EQ(a, tally_of(ra, csat));  // unchanged on error

  const auto scaled = tally_of(all, csat, 0.37);
  EXPECT_NEAR(scaled.mean(), whole.mean(), 1e-12);
  EXPECT_NEAR(scaled.mean_standard_error(), whole.mean_standard_error(), 1e-12);
  EXPECT_NEAR(scaled.top_box_share(), whole.top_box_share(), 1e-12);
  EXPECT_NEAR(scaled.top_box_standard_error(), whole.top_box_standard_error(), 1e-12);

  auto t = csat;
  EXPECT_EQ(t.add(6, 0.5), cxm::errc::out_of_range);
  EXPECT_EQ(t.add(4.5, 0.5), cxm::errc::not_integer);
  EXPECT_EQ(t.add(4, 2.0), cxm::errc::out_of_range);
  EXPECT_EQ(t.add(4, std::numeric_limits<double>::quiet_NaN()), cxm::errc::not_finite);
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.rejected(cxm::errc::out_of_range), 1u);
  EXPECT_EQ(t.rejected_probability(cxm::errc::out_of_range), 1u);
  EXPECT_EQ(t.rejected_total(), 4u);
  EXPECT_EQ(t.mean_interval().code(), cxm::errc::empty);
  EXPECT_TRUE(t.add(4).ok());
  EXPECT_EQ(t.missing_probability(), 1u);
  EXPECT_EQ(t.cell(4).n, 1u);
  EXPECT_EQ(t.cell(9).n, 0u);
  EXPECT_EQ(t.top_box_interval().code(), cxm::errc::empty);
  EXPECT_EQ(cxm::weighted_scale_tally::make(cxm::scale{5, 1, 3}).code(), cxm::errc::invalid_argument);
}

// Differences of two weighted estimates (compare, compare_means): with equal weights the mean
// comparison is Welch's test on the unweighted tallies (v = s²/n, n_eff = n), and the NPS
// difference is the unweighted one with each variance times n/(n−1).
TEST(WeightedCompare, EqualWeightsGiveWelchsTestAndTheUnweightedNpsDifference) {
  const int a_answers[] = {7, 6, 6, 5, 7, 4, 3, 6, 5, 7, 2, 6};
  const int b_answers[] = {3, 4, 5, 2, 4, 6, 1, 3, 4, 5};
  cxm::weighted_scale_tally wa, wb;
  cxm::scale_tally ua, ub;
  for (int x : a_answers) {
    ASSERT_TRUE(wa.add(x, 0.125));
    ASSERT_TRUE(ua.add(x));
  }
  for (int x : b_answers) {
    ASSERT_TRUE(wb.add(x, 0.125));
    ASSERT_TRUE(ub.add(x));
  }
  auto w = cxm::compare_means(wa, wb, 0.95);
  auto u = cxm::compare_means(ua, ub, 0.95);
  ASSERT_TRUE(w);
  ASSERT_TRUE(u);
  EXPECT_NEAR(w->difference, u->difference, 1e-13);
  EXPECT_NEAR(w->standard_error, u->standard_error, 1e-13);
  EXPECT_NEAR(w->degrees_of_freedom, u->degrees_of_freedom, 1e-9);
  EXPECT_NEAR(w->lower, u->lower, 1e-12);
  EXPECT_NEAR(w->upper, u->upper, 1e-12);
  EXPECT_NEAR(w->p_value, u->p_value, 1e-12);

  cxm::weighted_nps_tally na, nb;
  cxm::nps_tally pa, pb;
  for (int x : {10, 9, 9, 8, 6, 10, 3, 9}) {
    ASSERT_TRUE(na.add(x, 0.5));
    ASSERT_TRUE(pa.add(x));
  }
  for (int x : {2, 6, 8, 9, 5, 0, 7, 10, 4}) {
    ASSERT_TRUE(nb.add(x, 0.5));
    ASSERT_TRUE(pb.add(x));
  }
  auto d = cxm::compare(na, nb, 0.95);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->method, cxm::interval_method::wald);
  EXPECT_NEAR(d->difference, pa.score() - pb.score(), 1e-12);
  const double va = pa.standard_error() * pa.standard_error() * 8.0 / 7.0;
  const double vb = pb.standard_error() * pb.standard_error() * 9.0 / 8.0;
  EXPECT_NEAR(d->standard_error, std::sqrt(va + vb), 1e-9);
  EXPECT_NEAR(d->p_value, std::erfc(std::fabs(d->difference) / d->standard_error / std::sqrt(2.0)), 1e-12);
}

TEST(WeightedCompare, NeedsTwoResponsesPerSampleAndOneScale) {
  cxm::weighted_nps_tally a, b;
  ASSERT_TRUE(a.add(9, 0.5));
  ASSERT_TRUE(a.add(3, 0.25));
  ASSERT_TRUE(b.add(9, 0.5));
  EXPECT_EQ(cxm::compare(a, b).code(), cxm::errc::empty);
  EXPECT_EQ(cxm::compare(a, a, 1.0).code(), cxm::errc::invalid_argument);
  auto csat = cxm::weighted_scale_tally::make(cxm::scale::csat5());
  ASSERT_TRUE(csat);
  cxm::weighted_scale_tally ces;
  EXPECT_EQ(cxm::compare_means(ces, *csat).code(), cxm::errc::incompatible);
  // No spread in either sample: the difference itself, p 0 (they differ) or 1 (they do not).
  cxm::weighted_scale_tally x, y;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(x.add(5, 0.2));
    ASSERT_TRUE(y.add(3, 0.5));
  }
  auto d = cxm::compare_means(x, y);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->difference, 2.0);
  EXPECT_EQ(d->p_value, 0.0);
}
