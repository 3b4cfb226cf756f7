// SPDX-License-Identifier: MIT
// Internal: distribution quantiles (Boost.Math) and small helpers shared by the tallies.
#ifndef CXM_SRC_STATISTICS_HPP
#define CXM_SRC_STATISTICS_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "core/saturating.hpp"
#include "cxm/core/config.hpp"
#include "cxm/stats/interval.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// True for a confidence level strictly inside (0, 1).
inline bool valid_level(double level) noexcept { return level > 0.0 && level < 1.0; }

/// The two-sided standard normal critical value z_{1-(1-level)/2}.
double normal_critical(double level) noexcept;
/// The two-sided Student t critical value with `df` degrees of freedom (df >= 1).
double student_t_critical(double level, double df) noexcept;
/// P(|Z| >= |z|) for a standard normal Z.
double normal_two_sided_p(double z) noexcept;
/// P(|T| >= |t|) for Student's T with `df` > 0 degrees of freedom (df need not be whole:
/// Welch's test gives fractional ones).
double student_t_two_sided_p(double t, double df) noexcept;

/// Wilson score interval for `successes` of `n` (n > 0).
interval wilson_interval(std::uint64_t successes, std::uint64_t n, double level) noexcept;
/// Wilson's formula for a share `p` with an (effective) sample size `n_eff` > 0: the one
/// computation behind wilson_interval and the design-weighted top-box interval. Sets point,
/// center, lower, upper, level and method; the caller sets n and small_sample.
interval wilson_formula(double p, double n_eff, double level) noexcept;

/// Index of a rejection reason in the fixed 4-slot counters; -1 when not a rejection reason.
int rejection_slot(errc reason) noexcept;

/// The rejection counters of the NPS and scale tallies (diagnostics: they saturate, never wrap).
using rejection_counts = std::array<std::uint64_t, 4>;
/// Counts one rejection for `reason` and returns it; `invalid_argument` (nothing counted) when
/// `reason` is not a rejection reason.
status count_rejection(rejection_counts& r, errc reason) noexcept;
/// The count for `reason` (0 when it is not a rejection reason), and the saturated sum.
std::uint64_t rejection_count(const rejection_counts& r, errc reason) noexcept;
inline std::uint64_t rejection_total(const rejection_counts& r) noexcept { return sum_saturating(r.data(), r.size()); }
/// Adds `other` into `r`, saturating.
inline void merge_rejections(rejection_counts& r, const rejection_counts& other) noexcept {
  for (std::size_t i = 0; i < r.size(); ++i) r[i] = add_saturating(r[i], other[i]);
}

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_STATISTICS_HPP
