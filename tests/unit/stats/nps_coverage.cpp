// SPDX-License-Identifier: MIT
// Exact coverage of NPS difference intervals (see nps_coverage.hpp).
#include "stats/nps_coverage.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cxm_test {

namespace {

// The outcomes of one sample that carry all but `tail` of its probability, gathered for the
// pair loop: centre, squared distances to the limits, probability.
struct kept_outcomes {
  std::vector<double> center, below2, above2, prob;
};

kept_outcomes keep(const outcome_table& t, const nps_mix& mix, double tail) {
  const std::vector<double> p = t.probabilities(mix);
  std::vector<std::size_t> order(p.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return p[x] > p[y]; });
  // Drop outcomes from the least probable up while the dropped mass stays within `tail`.
  double dropped = 0;
  std::size_t count = order.size();
  while (count > 0 && dropped + p[order[count - 1]] <= tail) dropped += p[order[--count]];
  kept_outcomes k;
  for (std::size_t r = 0; r < count; ++r) {
    const sample_limits& l = t.limits(order[r]);
    k.center.push_back(l.center);
    k.below2.push_back(l.below * l.below);
    k.above2.push_back(l.above * l.above);
    k.prob.push_back(p[order[r]]);
  }
  return k;
}

// Covered mass: for each pair, e = (c_a − c_b) − truth; the interval holds the truth when
// e ≤ sqrt(below_a² + above_b²) and −e ≤ sqrt(above_a² + below_b²) (combine(), squared).
double covered(const kept_outcomes& a, const kept_outcomes& b, double truth) {
  double total = 0;
  const std::size_t nb = b.prob.size();
  const double* cb = b.center.data();
  const double* bb = b.below2.data();
  const double* ab = b.above2.data();
  const double* pb = b.prob.data();
  for (std::size_t i = 0; i < a.prob.size(); ++i) {
    const double shift = a.center[i] - truth, ba = a.below2[i], aa = a.above2[i];
    double row = 0;
    for (std::size_t j = 0; j < nb; ++j) {
      const double e = shift - cb[j];
      const double bound = e > 0 ? ba + ab[j] : aa + bb[j];
      row += e * e <= bound ? pb[j] : 0.0;
    }
    total += a.prob[i] * row;
  }
  return total;
}

}  // namespace

difference_limits combine(const sample_limits& a, const sample_limits& b) noexcept {
  const double d = a.center - b.center;
  return {d - std::sqrt(a.below * a.below + b.above * b.above),
          d + std::sqrt(a.above * a.above + b.below * b.below)};
}

outcome_table::outcome_table(int n, const sample_method& method) : n_(n) {
  log_factorial_.assign(static_cast<std::size_t>(n) + 1, 0.0);
  for (int k = 1; k <= n; ++k)
    log_factorial_[static_cast<std::size_t>(k)] =
        log_factorial_[static_cast<std::size_t>(k - 1)] + std::log(static_cast<double>(k));
  for (int p = 0; p <= n; ++p)
    for (int d = 0; p + d <= n; ++d) {
      promoters_.push_back(p);
      detractors_.push_back(d);
      limits_.push_back(method(p, d, n));
    }
}

std::vector<double> outcome_table::probabilities(const nps_mix& mix) const {
  const double shares[3] = {mix.promoter, mix.detractor, 1.0 - mix.promoter - mix.detractor};
  double logs[3];
  for (int k = 0; k < 3; ++k) logs[k] = shares[k] > 0 ? std::log(shares[k]) : 0.0;
  // k·log(share), with 0·log(0) = 0 and an impossible outcome (k > 0 of a zero share) at −inf.
  auto term = [&](int k, int which) {
    if (k == 0) return 0.0;
    return shares[which] > 0 ? k * logs[which] : -HUGE_VAL;
  };
  std::vector<double> out(size());
  const double lf_n = log_factorial_[static_cast<std::size_t>(n_)];
  for (std::size_t i = 0; i < size(); ++i) {
    const int p = promoters_[i], d = detractors_[i], a = n_ - p - d;
    const double lp = lf_n - log_factorial_[static_cast<std::size_t>(p)] -
                      log_factorial_[static_cast<std::size_t>(d)] -
                      log_factorial_[static_cast<std::size_t>(a)] + term(p, 0) + term(d, 1) + term(a, 2);
    out[i] = std::exp(lp);
  }
  return out;
}

double exact_coverage(const outcome_table& a, const nps_mix& mix_a, const outcome_table& b,
                      const nps_mix& mix_b, double tail) {
  return covered(keep(a, mix_a, tail), keep(b, mix_b, tail), mix_a.nps() - mix_b.nps());
}

coverage_split grid_coverage_split(const outcome_table& a, const outcome_table& b,
                                   const std::vector<nps_mix>& grid, double min_passive,
                                   double tail) {
  // One table for both samples: coverage(x, y) = coverage(y, x) (the interval of b − a is the
  // mirror of that of a − b), so each unordered pair is computed once.
  const bool same = &a == &b;
  std::vector<kept_outcomes> ka, kb;
  for (const nps_mix& m : grid) ka.push_back(keep(a, m, tail));
  if (!same)
    for (const nps_mix& m : grid) kb.push_back(keep(b, m, tail));
  const std::vector<kept_outcomes>& kbr = same ? ka : kb;
  coverage_split r;
  double sum_all = 0, sum_with = 0;
  auto add = [](coverage_summary& s, double& sum, double c, double weight, const nps_mix& x,
                const nps_mix& y) {
    sum += weight * c;
    s.pairs += static_cast<std::size_t>(weight);
    if (c < s.min) s.min = c, s.worst_a = x, s.worst_b = y;
  };
  auto passive = [&](const nps_mix& m) { return 1.0 - m.promoter - m.detractor >= min_passive - 1e-12; };
  for (std::size_t x = 0; x < grid.size(); ++x)
    for (std::size_t y = same ? x : 0; y < grid.size(); ++y) {
      const double c = covered(ka[x], kbr[y], grid[x].nps() - grid[y].nps());
      const double weight = same && x != y ? 2.0 : 1.0;
      add(r.all, sum_all, c, weight, grid[x], grid[y]);
      if (passive(grid[x]) && passive(grid[y])) add(r.with_passives, sum_with, c, weight, grid[x], grid[y]);
    }
  if (r.all.pairs > 0) r.all.mean = sum_all / static_cast<double>(r.all.pairs);
  if (r.with_passives.pairs > 0) r.with_passives.mean = sum_with / static_cast<double>(r.with_passives.pairs);
  return r;
}

coverage_summary grid_coverage(const outcome_table& a, const outcome_table& b,
                               const std::vector<nps_mix>& grid, double tail) {
  return grid_coverage_split(a, b, grid, 0.0, tail).all;
}

std::vector<nps_mix> nps_grid(double step) {
  const int steps = static_cast<int>(std::lround(1.0 / step));
  std::vector<nps_mix> g;
  for (int p = 1; p < steps; ++p)
    for (int d = 1; p + d <= steps; ++d) g.push_back({p / static_cast<double>(steps), d / static_cast<double>(steps)});
  return g;
}

}  // namespace cxm_test
