// SPDX-License-Identifier: MIT
// Exact coverage of intervals for the mean of a rating scale: every multinomial outcome of n
// answers, weighted by its exact probability (test support for scale_coverage_test.cpp).
#ifndef CXM_TESTS_SCALE_COVERAGE_HPP
#define CXM_TESTS_SCALE_COVERAGE_HPP

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "stats/mean_interval.hpp"

namespace cxm_test {

/// A population of answers on 1..points: the share of each point, index 0 = answer 1.
struct scale_mix {
  std::string name;
  std::vector<double> shares;
  double mean() const noexcept;
  /// The same shares read from the other end (a "hard" CES from an "easy" one).
  scale_mix mirrored() const;
};

/// An interval method as the coverage study calls it: limits from a sample's moments, with the
/// quantile computed once by the caller.
using mean_method = std::function<cxm::detail::mean_limits(const cxm::detail::sample_moments&)>;

/// The exact probability that each method's interval holds mix.mean(), for samples of n answers.
/// One pass over the outcomes serves every method. The outcomes are generated category by
/// category from conditional binomials, each cut where its tails hold at most tail/(points − 1),
/// so at most `tail` of the probability is left out and every figure is exact to within it.
struct coverage_result {
  std::vector<double> coverage;  ///< per method
  double mass = 0;               ///< probability of the outcomes visited (≥ 1 − tail)
  std::size_t outcomes = 0;      ///< outcomes visited
};
coverage_result exact_coverage(int n, const scale_mix& mix, const std::vector<mean_method>& methods,
                               double tail = 1e-10);

/// Calls visit(counts, probability) for every outcome of n answers kept by the cut above.
void for_each_outcome(int n, const std::vector<double>& shares, double tail,
                      const std::function<void(const std::vector<std::uint64_t>&, double)>& visit);

/// The grid of the study: CES 1-7 shapes from "almost all 7" to uniform, with mirror images.
std::vector<scale_mix> ces_grid();

}  // namespace cxm_test

#endif  // CXM_TESTS_SCALE_COVERAGE_HPP
