// SPDX-License-Identifier: MIT
// Exact coverage of NPS difference intervals: every trinomial outcome of two independent
// samples, weighted by its exact probability (test support for nps_coverage_test.cpp).
#ifndef CXM_TESTS_NPS_COVERAGE_HPP
#define CXM_TESTS_NPS_COVERAGE_HPP

#include <cstddef>
#include <functional>
#include <vector>

namespace cxm_test {

/// The true shares of one population; the passive share is 1 − promoter − detractor.
struct nps_mix {
  double promoter = 0;
  double detractor = 0;
  /// The true NPS in points.
  double nps() const noexcept { return 100.0 * (promoter - detractor); }
};

/// One sample's interval as the difference methods combine them, in NPS points.
struct sample_limits {
  double center = 0;  ///< the estimate the method builds on
  double below = 0;   ///< center − lower (≥ 0)
  double above = 0;   ///< upper − center (≥ 0)
};

/// The limits of a method for an outcome of `promoters` and `detractors` among `n` answers.
using sample_method = std::function<sample_limits(int promoters, int detractors, int n)>;

/// The difference interval a − b built from two samples' limits (MOVER, Zou & Donner 2008):
///   lower = (c_a − c_b) − sqrt(below_a² + above_b²), upper = (c_a − c_b) + sqrt(above_a² + below_b²).
/// A Wald-type method (below = above = z·se) gives (c_a − c_b) ± z·sqrt(se_a² + se_b²).
struct difference_limits {
  double lower = 0;
  double upper = 0;
};
difference_limits combine(const sample_limits& a, const sample_limits& b) noexcept;

/// Every outcome (P, D) of a sample of n answers, with a method's limits for each: computed
/// once, reused for every true mix.
class outcome_table {
 public:
  outcome_table(int n, const sample_method& method);

  int n() const noexcept { return n_; }
  std::size_t size() const noexcept { return limits_.size(); }
  int promoters(std::size_t i) const noexcept { return promoters_[i]; }
  int detractors(std::size_t i) const noexcept { return detractors_[i]; }
  const sample_limits& limits(std::size_t i) const noexcept { return limits_[i]; }
  /// The exact trinomial probability of every outcome under `mix`, in table order (computed
  /// in log space from log-factorials).
  std::vector<double> probabilities(const nps_mix& mix) const;

 private:
  int n_;
  std::vector<int> promoters_, detractors_;
  std::vector<sample_limits> limits_;
  std::vector<double> log_factorial_;
};

/// The exact probability that the interval covers nps(mix_a) − nps(mix_b). Outcomes are
/// visited from the most probable down until at most `tail` of each sample's mass is left
/// out, so the result is exact to within 2·tail (the default 1e-12 is far below any figure
/// reported).
double exact_coverage(const outcome_table& a, const nps_mix& mix_a, const outcome_table& b,
                      const nps_mix& mix_b, double tail = 1e-12);

/// Coverage over every ordered pair (mix_a, mix_b) of a grid.
struct coverage_summary {
  double min = 1;
  double mean = 0;
  nps_mix worst_a, worst_b;  ///< where the minimum is reached
  std::size_t pairs = 0;
};
coverage_summary grid_coverage(const outcome_table& a, const outcome_table& b,
                               const std::vector<nps_mix>& grid, double tail = 1e-12);
/// The same, computed once and summarized twice: over every pair, and over the pairs where
/// both mixes have a passive share of at least `min_passive`.
struct coverage_split {
  coverage_summary all, with_passives;
};
coverage_split grid_coverage_split(const outcome_table& a, const outcome_table& b,
                                   const std::vector<nps_mix>& grid, double min_passive,
                                   double tail = 1e-12);

/// The grid of the coverage study: promoter and detractor shares on multiples of `step`,
/// both at least `step`, adding up to at most 1 (the passive share may be 0). For step 0.05:
/// 190 mixes from (0.05, 0.05) to the corners (0.95, 0.05) and (0.05, 0.95).
std::vector<nps_mix> nps_grid(double step);

}  // namespace cxm_test

#endif  // CXM_TESTS_NPS_COVERAGE_HPP
