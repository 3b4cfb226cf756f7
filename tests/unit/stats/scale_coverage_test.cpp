// SPDX-License-Identifier: MIT
// Exact coverage of scale_tally::mean_interval at 95%: every multinomial outcome of n answers
// on CES 1-7 enumerated with its exact probability (scale_coverage.hpp).
//
// The fast test (every preset, debug + ASan included) runs the realistic extremes at n = 30
// and the near-degenerate shape at n = 50 and 100. CXM_SCALE_COVERAGE_FULL=1 runs the study
// behind the figures in HACKING.md: the 18 shapes of ces_grid() at n = 30 and 50, the 10 that
// are not mirror images at n = 100, Hall's interval against Student's t and the other
// candidates (22 minutes in Release, most of it at n = 100).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "cxm/stats/scale_tally.hpp"
#include "stats/mean_interval.hpp"
#include "stats/scale_coverage.hpp"
#include "stats/statistics.hpp"

namespace {

using cxm::detail::mean_limits;
using cxm::detail::sample_moments;
using cxm_test::mean_method;
using cxm_test::scale_mix;

constexpr double tail = 1e-10;  // coverage exact to 1e-10
const cxm::scale ces7 = cxm::scale::ces7();

double t95(int n) { return cxm::detail::student_t_critical(0.95, n - 1.0); }

// The SDK's two methods, with the quantile computed once per n.
mean_method hall_t(int n) {
  const double t = t95(n);
  return [t](const sample_moments& m) { return cxm::detail::hall_t_limits(m, t, 0.95, ces7); };
}
mean_method student_t(int n) {
  const double t = t95(n);
  return [t](const sample_moments& m) { return cxm::detail::student_t_limits(m, t, ces7); };
}

// Candidates that were measured and not taken (figures in HACKING.md). Each uses the same
// rule as hall_t when all answers are equal, so that only the method differs.
mean_limits all_equal(const sample_moments& m) { return cxm::detail::all_equal_limits(m.mean, m.n, 0.95, ces7); }
mean_limits clamp(double lower, double upper) { return {std::fmax(1.0, lower), std::fmin(7.0, upper)}; }

// Johnson (1978): the skewness-corrected t without its quadratic term, i.e. Student's interval
// moved by μ̂3/(6·s²·n) = γ̂·s/(6n).
mean_method johnson(int n) {
  const double t = t95(n);
  return [t](const sample_moments& m) {
    if (m.sd == 0) return all_equal(m);
    const double se = m.sd / std::sqrt(m.n), shift = m.skewness * se / (6 * std::sqrt(m.n));
    return clamp(m.mean + shift - t * se, m.mean + shift + t * se);
  };
}
// Hall (1992) as published: normal quantiles.
mean_method hall_z() {
  constexpr double z = 1.959963984540054;
  return [](const sample_moments& m) { return cxm::detail::hall_t_limits(m, z, 0.95, ces7); };
}
// A t interval on the logit of the mean's place on the scale, (mean − 1)/6 (delta method),
// mapped back.
mean_method logit_t(int n) {
  const double t = t95(n);
  return [t](const sample_moments& m) {
    if (m.sd == 0) return all_equal(m);
    const double p = (m.mean - 1) / 6, se = m.sd / std::sqrt(m.n) / 6;
    const double centre = std::log(p / (1 - p)), half = t * se / (p * (1 - p));
    auto back = [](double x) { return 1 + 6 / (1 + std::exp(-x)); };
    return mean_limits{back(centre - half), back(centre + half)};
  };
}
// Wilson's interval for the mean's place on the scale with the effective n that matches the
// sample's variance, p(1 − p)/Var(mean) (the device Korn & Graubard 1998 use for proportions).
mean_method wilson_effective() {
  return [](const sample_moments& m) {
    if (m.sd == 0) return all_equal(m);
    const double p = (m.mean - 1) / 6, v = (m.sd / 6) * (m.sd / 6) / m.n;
    const cxm::interval w = cxm::detail::wilson_formula(p, p * (1 - p) / v, 0.95);
    return mean_limits{1 + 6 * w.lower, 1 + 6 * w.upper};
  };
}

cxm::scale_tally tally_of(const std::vector<std::uint64_t>& counts) {
  cxm::scale_tally t;
  cxm::scale_tally::counts_type c{};
  for (std::size_t i = 0; i < counts.size(); ++i) c[i] = counts[i];
  EXPECT_TRUE(t.set_counts(c).ok());
  return t;
}

const scale_mix mostly_easy{"easy 1/1/2/4/12/30/50", {.01, .01, .02, .04, .12, .30, .50}};
const scale_mix near_degenerate{"near-degenerate 0/0/0/0/2/8/90", {0, 0, 0, 0, .02, .08, .90}};

}  // namespace

TEST(ScaleCoverage, EnumerationIsExact) {
  // Every outcome once: C(36, 6) outcomes of 30 answers on 7 points when nothing is cut.
  std::size_t outcomes = 0;
  double total = 0, mean = 0;
  const std::vector<double> uniform(7, 1.0 / 7);
  cxm_test::for_each_outcome(30, uniform, 0.0, [&](const std::vector<std::uint64_t>& c, double p) {
    ++outcomes;
    total += p;
    for (std::size_t i = 0; i < c.size(); ++i) mean += p * static_cast<double>(c[i]) * static_cast<double>(i + 1);
  });
  EXPECT_EQ(outcomes, 1947792u);
  EXPECT_NEAR(total, 1.0, 1e-12);
  EXPECT_NEAR(mean, 30 * 4.0, 1e-9);
  // Zero shares are never drawn; the cut leaves out at most `tail`.
  const cxm_test::coverage_result r = cxm_test::exact_coverage(30, near_degenerate, {student_t(30)}, tail);
  EXPECT_LE(r.outcomes, 31u * 32u / 2u);
  EXPECT_NEAR(r.mass, 1.0, tail);
  // Thirty 7s: 0.9^30 of the time. By hand: Student's point interval [7, 7] misses 6.88 then.
  double all_sevens = 0;
  cxm_test::for_each_outcome(30, near_degenerate.shares, 0.0, [&](const std::vector<std::uint64_t>& c, double p) {
    if (c[6] == 30) all_sevens += p;
  });
  EXPECT_NEAR(all_sevens, std::pow(0.9, 30), 1e-15);
}

TEST(ScaleCoverage, TheCalculatorComputesWhatMeanIntervalComputes) {
  std::mt19937 rng(11);
  for (int k = 0; k < 2000; ++k) {
    const int n = 2 + static_cast<int>(rng() % 99);
    std::vector<std::uint64_t> counts(7, 0);
    // Few distinct answers now and then: the equal-answers rule and extreme skewness.
    const std::size_t spread = 1 + rng() % 7;
    for (int i = 0; i < n; ++i) ++counts[6 - static_cast<std::size_t>(rng()) % spread];
    const cxm::scale_tally t = tally_of(counts);
    const sample_moments m = cxm::detail::moments_of(counts.data(), 7, 1);
    for (const bool hall : {true, false}) {
      const auto ci = t.mean_interval(0.95, hall ? cxm::interval_method::hall_t : cxm::interval_method::student_t);
      ASSERT_TRUE(ci.ok());
      const mean_limits l = (hall ? hall_t(n) : student_t(n))(m);
      EXPECT_EQ(ci->lower, l.lower) << k;
      EXPECT_EQ(ci->upper, l.upper) << k;
    }
  }
}

TEST(ScaleCoverage, StudentsIntervalMissesOnSkewedAnswers) {
  // The brief's case: 92.7% at n = 30 for the usual "mostly easy" CES.
  const auto r = cxm_test::exact_coverage(30, mostly_easy, {student_t(30), hall_t(30)}, tail);
  EXPECT_NEAR(r.coverage[0], 0.9270, 5e-5);
  EXPECT_GE(r.coverage[1], 0.945);
  std::printf("%s, n = 30: student_t %.4f, hall_t %.4f\n", mostly_easy.name.c_str(), r.coverage[0], r.coverage[1]);
}

TEST(ScaleCoverage, HoldsTheLevelOnTheRealisticExtremes) {
  // n = 30: the extremes of ces_grid() (its minimum for hall_t is the first shape); mirror
  // images have the same coverage, checked once.
  const std::vector<scale_mix> shapes = {
      mostly_easy, mostly_easy.mirrored(), near_degenerate,
      {"easy 1/1/1/2/5/20/70", {.01, .01, .01, .02, .05, .20, .70}},
      {"neutral 5/10/15/40/15/10/5", {.05, .10, .15, .40, .15, .10, .05}},
  };
  std::vector<double> covered;
  for (const scale_mix& m : shapes) {
    const auto r = cxm_test::exact_coverage(30, m, {hall_t(30)}, tail);
    covered.push_back(r.coverage[0]);
    EXPECT_GE(r.coverage[0], 0.945) << m.name;
    EXPECT_LE(r.coverage[0], 0.995) << m.name;
    std::printf("n = 30, %s: hall_t %.4f\n", m.name.c_str(), r.coverage[0]);
  }
  EXPECT_NEAR(covered[0], covered[1], 1e-12);
  // Near-degenerate at larger n: few outcomes, so cheap; Student's t stays far below there.
  for (const int n : {50, 100}) {
    const auto r = cxm_test::exact_coverage(n, near_degenerate, {hall_t(n), student_t(n)}, tail);
    EXPECT_GE(r.coverage[0], 0.94) << n;
    EXPECT_LT(r.coverage[1], 0.94) << n;
    std::printf("n = %d, %s: hall_t %.4f, student_t %.4f\n", n, near_degenerate.name.c_str(), r.coverage[0],
                r.coverage[1]);
  }
}

// The study (set CXM_SCALE_COVERAGE_FULL=1). Skipped unless asked for: the fast test above runs
// in every preset and asserts the same bound on the shapes where it is tightest.
TEST(ScaleCoverage, FullGrid) {
  const char* full = std::getenv("CXM_SCALE_COVERAGE_FULL");
  // Skipped unless asked for: the whole grid at n = 30, 50 and 100 enumerates every outcome of
  // 18 shapes and takes about 22 minutes in Release, beyond CI's share; the coarse grid above
  // asserts the same bounds in every preset.
  if (full == nullptr || full[0] != '1') GTEST_SKIP() << "the full study takes about 22 minutes, beyond CI's share: set CXM_SCALE_COVERAGE_FULL=1";
  const char* names[] = {"hall_t", "student_t", "johnson", "hall_z", "logit_t", "wilson_eff"};
  const std::vector<scale_mix> grid = cxm_test::ces_grid();
  for (const int n : {30, 50, 100}) {
    const std::vector<mean_method> methods = {hall_t(n), student_t(n), johnson(n), hall_z(), logit_t(n),
                                              wilson_effective()};
    std::vector<double> min(methods.size(), 1.0), sum(methods.size(), 0.0);
    std::vector<std::string> worst(methods.size());
    std::size_t shapes = 0;
    for (const scale_mix& m : grid) {
      // Every method treats answer x as 8 − x treats the mirror image, so a mirror's coverage is
      // its original's (equal to every digit at n = 30 and 50); n = 100 leaves them out, for
      // time: the full-support shapes take minutes each there.
      if (n == 100 && m.name.rfind("mirror", 0) == 0) continue;
      ++shapes;
      const auto r = cxm_test::exact_coverage(n, m, methods, tail);
      std::printf("n = %d %-36s", n, m.name.c_str());
      for (std::size_t k = 0; k < methods.size(); ++k) {
        std::printf(" %s %.4f", names[k], r.coverage[k]);
        sum[k] += r.coverage[k];
        if (r.coverage[k] < min[k]) min[k] = r.coverage[k], worst[k] = m.name;
      }
      std::printf("\n");
      std::fflush(stdout);
    }
    for (std::size_t k = 0; k < methods.size(); ++k)
      std::printf("n = %d %-10s min %.4f (%s) mean %.4f\n", n, names[k], min[k], worst[k].c_str(),
                  sum[k] / static_cast<double>(shapes));
    EXPECT_GE(min[0], 0.94) << n;
    EXPECT_NEAR(sum[0] / static_cast<double>(shapes), 0.95, 0.02) << n;
  }
}
