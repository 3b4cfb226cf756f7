// SPDX-License-Identifier: MIT
// Internal: distribution quantiles (Boost.Math) and small helpers shared by the tallies.
#ifndef CXM_SRC_STATISTICS_HPP
#define CXM_SRC_STATISTICS_HPP

#include <cstdint>
#include <limits>

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

/// Wilson score interval for `successes` of `n` (n > 0).
interval wilson_interval(std::uint64_t successes, std::uint64_t n, double level) noexcept;

/// a + b, saturating at 2^64 - 1 (counts never wrap).
inline std::uint64_t add_saturating(std::uint64_t a, std::uint64_t b) noexcept {
  const std::uint64_t s = a + b;
  return s < a ? std::numeric_limits<std::uint64_t>::max() : s;
}

/// Index of a rejection reason in the fixed 4-slot counters; -1 when not a rejection reason.
int rejection_slot(errc reason) noexcept;

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_STATISTICS_HPP
