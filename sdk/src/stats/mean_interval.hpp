// SPDX-License-Identifier: MIT
// Internal: the two intervals for the mean of a scale tally, as functions of the counts and a
// precomputed t quantile, so that the exact-coverage study (tests/unit/stats/scale_coverage*)
// enumerates what scale_tally::mean_interval computes without a quantile call per outcome.
#ifndef CXM_SRC_MEAN_INTERVAL_HPP
#define CXM_SRC_MEAN_INTERVAL_HPP

#include <cstdint>

#include "cxm/core/config.hpp"
#include "cxm/stats/scale.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// What the mean intervals need of n >= 1 answers: the mean, the sample standard deviation
/// s (divisor n − 1; 0 when n < 2) and the sample skewness γ̂ = m3 / m2^{3/2} (central moments
/// with divisor n; 0 when all answers are equal).
struct sample_moments {
  double n = 0;
  double mean = 0;
  double sd = 0;
  double skewness = 0;
};
/// The moments of `counts[0..points)`, index 0 = `min`; n = sum of counts (> 0).
sample_moments moments_of(const std::uint64_t* counts, int points, int min) noexcept;

struct mean_limits {
  double lower = 0;
  double upper = 0;
};

/// mean ± t·s/√n clamped to the scale; `t` is the two-sided t(n − 1) critical value. All
/// answers equal gives the point itself (kept as it always was: the textbook interval).
mean_limits student_t_limits(const sample_moments& m, double t, const scale& s) noexcept;

/// Hall's (1992) transformation of the skewness-corrected t, with t(n − 1) quantiles (see
/// scale_tally.cpp for the formula and why). All answers equal: all_equal_limits.
mean_limits hall_t_limits(const sample_moments& m, double t, double level, const scale& s) noexcept;

/// n answers all equal to `value`: the mean lies between value − (value − min)·q and
/// value + (max − value)·q, where q = 1 − ((1 − level)/2)^{1/n} is the exact (Clopper–Pearson)
/// upper limit for the share of other answers when none was seen.
mean_limits all_equal_limits(double value, double n, double level, const scale& s) noexcept;

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_MEAN_INTERVAL_HPP
