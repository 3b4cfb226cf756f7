// SPDX-License-Identifier: MIT
// Exact coverage of compare()'s 95% difference interval: both trinomial samples enumerated
// with their exact probabilities (nps_coverage.hpp).
//
// The grid: promoter and detractor shares on multiples of a step, both at least the step,
// passive share at least the step too (nps_grid minus its zero-passive edge), plus extreme
// mixes. The fast test (run by every preset, debug + ASan included) uses step 0.1 at n = 30
// and the extremes at n = 50. CXM_NPS_COVERAGE_FULL=1 runs the study behind the figures in
// nps_tally.cpp and HACKING.md: step 0.05 (171 mixes, and the 19 zero-passive ones apart),
// n = 30, 50, 100 per group and 30 vs 100, old and new method (several minutes in Release).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "cxm/stats/nps_tally.hpp"
#include "stats/nps_coverage.hpp"

namespace {

using cxm::nps_tally;
using cxm_test::nps_mix;
using cxm_test::outcome_table;
using cxm_test::sample_limits;

constexpr double z95 = 1.959963984540054;
constexpr double tail = 1e-10;  // coverage exact to 2e-10

nps_tally tally_of(int promoters, int detractors, int n) {
  nps_tally::counts_type c{};
  c[10] = static_cast<std::uint64_t>(promoters);
  c[0] = static_cast<std::uint64_t>(detractors);
  c[8] = static_cast<std::uint64_t>(n - promoters - detractors);
  return nps_tally(c);
}

// compare()'s adjusted_wald, one sample at a time: 1/2 promoter, 1 passive, 1/2 detractor
// added (Agresti & Caffo 2000 style), symmetric half-width z·SE. Checked against compare()
// below, so the enumeration measures what the SDK computes.
sample_limits comparison_adjusted(int promoters, int detractors, int n) {
  const double m = n + 2.0;
  const double pp = (promoters + 0.5) / m, pd = (detractors + 0.5) / m, net = pp - pd;
  const double half = z95 * 100.0 * std::sqrt((pp + pd - net * net) / m);
  return {100.0 * net, half, half};
}

// The previous compare(): each sample's own adjusted Wald (3/4, 3/2, 3/4; Rocks 2016).
sample_limits single_sample_adjusted(int promoters, int detractors, int n) {
  const nps_tally t = tally_of(promoters, detractors, n);
  const double half = z95 * t.adjusted_standard_error();
  return {t.adjusted_score(), half, half};
}

std::vector<nps_mix> with_passives(double step) {
  std::vector<nps_mix> g;
  for (const nps_mix& m : cxm_test::nps_grid(step))
    if (m.promoter + m.detractor < 1.0 - step / 2) g.push_back(m);
  return g;
}

// Mixes at the edges of the triangle: NPS from +85 to −85, few passives, few of one group.
const std::vector<nps_mix> extremes = {{0.90, 0.05}, {0.05, 0.90}, {0.05, 0.85}, {0.85, 0.05},
                                       {0.80, 0.05}, {0.10, 0.75}, {0.05, 0.05}, {0.45, 0.50}};

}  // namespace

TEST(NpsCoverage, EnumerationIsExact) {
  const outcome_table t(30, comparison_adjusted);
  EXPECT_EQ(t.size(), 496u);  // (31·32)/2 outcomes (P, D) with P + D <= 30
  for (const nps_mix m : {nps_mix{0.3, 0.2}, nps_mix{0.95, 0.05}, nps_mix{0.0, 0.0}}) {
    double total = 0, mean = 0;
    const std::vector<double> p = t.probabilities(m);
    for (std::size_t i = 0; i < p.size(); ++i) {
      total += p[i];
      mean += p[i] * (t.promoters(i) - t.detractors(i));
    }
    EXPECT_NEAR(total, 1.0, 1e-12);
    EXPECT_NEAR(mean, 30 * (m.promoter - m.detractor), 1e-10);
  }
  // Two samples of one answer each: coverage by hand. (1, 0) with shares 0.5, 0.5 (no
  // passives): outcomes +100 or −100 each half the time; with half-widths 100 the difference
  // interval of equal outcomes (0 ± 141) holds 0, that of opposite ones (±200 ± 141) does not.
  const auto wide = [](int p, int d, int) { return sample_limits{100.0 * (p - d), 100.0, 100.0}; };
  const outcome_table one(1, wide);
  EXPECT_NEAR(cxm_test::exact_coverage(one, {0.5, 0.5}, one, {0.5, 0.5}), 0.5, 1e-15);
}

TEST(NpsCoverage, TheCalculatorComputesWhatCompareComputes) {
  const outcome_table a(30, comparison_adjusted), b(50, comparison_adjusted);
  std::mt19937 rng(7);
  for (int k = 0; k < 2000; ++k) {
    const std::size_t i = rng() % a.size(), j = rng() % b.size();
    const nps_tally ta = tally_of(a.promoters(i), a.detractors(i), 30);
    const nps_tally tb = tally_of(b.promoters(j), b.detractors(j), 50);
    const auto d = cxm::compare(ta, tb);
    ASSERT_TRUE(d.ok());
    const cxm_test::difference_limits l = cxm_test::combine(a.limits(i), b.limits(j));
    EXPECT_NEAR(d->lower, l.lower, 1e-9) << i << " " << j;
    EXPECT_NEAR(d->upper, l.upper, 1e-9) << i << " " << j;
    // The p-value agrees with the interval: 0 outside it exactly when p < 0.05.
    const bool zero_outside = d->lower > 0 || d->upper < 0;
    if (std::fabs(std::fabs(d->difference) - z95 * d->standard_error) > 1e-9) {
      EXPECT_EQ(zero_outside, d->p_value < 0.05) << i << " " << j;
    }
  }
}

TEST(NpsCoverage, ThePreviousIntervalMissedFarApartScores) {
  // +75 vs −65 at n = 30 per group: the 3/4, 3/2, 3/4 shrinkage of both scores added up.
  const outcome_table old(30, single_sample_adjusted), now(30, comparison_adjusted);
  const nps_mix high{0.80, 0.05}, low{0.10, 0.75};
  const double before = cxm_test::exact_coverage(old, high, old, low, tail);
  const double after = cxm_test::exact_coverage(now, high, now, low, tail);
  EXPECT_LT(before, 0.94);
  EXPECT_NEAR(before, 0.9274, 5e-5);
  EXPECT_GE(after, 0.94);
  std::printf("+75 vs -65, n = 30: coverage %.4f before, %.4f now\n", before, after);
}

TEST(NpsCoverage, HoldsTheLevelOnACoarseGridWithExtremes) {
  std::vector<nps_mix> grid = with_passives(0.1);  // 36 mixes
  grid.insert(grid.end(), extremes.begin(), extremes.end());
  const outcome_table t30(30, comparison_adjusted);
  const cxm_test::coverage_summary s30 = cxm_test::grid_coverage(t30, t30, grid, tail);
  // n = 50: the extremes and a few central mixes.
  std::vector<nps_mix> edge = extremes;
  edge.insert(edge.end(), {nps_mix{0.5, 0.2}, nps_mix{0.3, 0.3}, nps_mix{0.2, 0.5}});
  const outcome_table t50(50, comparison_adjusted);
  const cxm_test::coverage_summary s50 = cxm_test::grid_coverage(t50, t50, edge, tail);
  for (const auto* s : {&s30, &s50}) {
    EXPECT_GE(s->min, 0.94) << "worst at (" << s->worst_a.promoter << ", " << s->worst_a.detractor
                            << ") vs (" << s->worst_b.promoter << ", " << s->worst_b.detractor << ")";
    EXPECT_NEAR(s->mean, 0.95, 0.005);
    std::printf("%zu pairs: min %.4f, mean %.4f\n", s->pairs, s->min, s->mean);
  }
}

// The study (set CXM_NPS_COVERAGE_FULL=1; Release: about 20 minutes, most of it at n = 100).
// Skipped unless asked for: 20 minutes is beyond CI's share; the coarse-grid test above runs
// in every preset and asserts the same bounds, and the figures of the full study are in
// nps_tally.cpp's comment of compare().
TEST(NpsCoverage, FullGrid) {
  const char* full = std::getenv("CXM_NPS_COVERAGE_FULL");
  if (full == nullptr || full[0] != '1') GTEST_SKIP() << "set CXM_NPS_COVERAGE_FULL=1";
  const std::vector<nps_mix> grid = cxm_test::nps_grid(0.05);  // 190 mixes, 19 with no passives
  struct sizes { int a, b; };
  for (const sizes n : {sizes{30, 30}, sizes{50, 50}, sizes{100, 100}, sizes{30, 100}, sizes{100, 30}}) {
    for (const bool now : {true, false}) {
      const auto method = now ? comparison_adjusted : single_sample_adjusted;
      const outcome_table ta(n.a, method), tb(n.b, method);
      const auto r = cxm_test::grid_coverage_split(ta, n.a == n.b ? ta : tb, grid, 0.05, tail);
      for (const bool edge : {false, true}) {
        const cxm_test::coverage_summary& s = edge ? r.all : r.with_passives;
        std::printf("%s n = %d vs %d, %s: min %.4f at (%.2f, %.2f) vs (%.2f, %.2f), mean %.4f\n",
                    now ? "new" : "old", n.a, n.b, edge ? "all 190 mixes " : "passive >= 0.05",
                    s.min, s.worst_a.promoter, s.worst_a.detractor, s.worst_b.promoter,
                    s.worst_b.detractor, s.mean);
        std::fflush(stdout);
        if (now && !edge) {
          EXPECT_GE(s.min, 0.94);
          EXPECT_NEAR(s.mean, 0.95, 0.005);
        }
      }
    }
  }
}
