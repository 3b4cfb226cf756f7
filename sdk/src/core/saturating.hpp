// SPDX-License-Identifier: MIT
// Internal: arithmetic that stops at the end of its type instead of wrapping, for counters
// that are diagnostics (rejections, effort components) and for time windows. Aggregate totals
// use max_count (cxm/core/limits.hpp) instead: they refuse rather than saturate.
#ifndef CXM_SRC_CORE_SATURATING_HPP
#define CXM_SRC_CORE_SATURATING_HPP

#include <cstdint>
#include <limits>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// a + b, at most 2^64 - 1.
constexpr std::uint64_t add_saturating(std::uint64_t a, std::uint64_t b) noexcept {
  return b > std::numeric_limits<std::uint64_t>::max() - a ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

/// a + b and a - b, within [INT64_MIN, INT64_MAX].
inline std::int64_t add_saturating(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? (b > 0 ? std::numeric_limits<std::int64_t>::max()
                                                   : std::numeric_limits<std::int64_t>::min())
                                          : r;
}
inline std::int64_t sub_saturating(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  return __builtin_sub_overflow(a, b, &r) ? (b > 0 ? std::numeric_limits<std::int64_t>::min()
                                                   : std::numeric_limits<std::int64_t>::max())
                                          : r;
}

/// Sums `n` counts, at most 2^64 - 1.
inline std::uint64_t sum_saturating(const std::uint64_t* counts, std::size_t n) noexcept {
  std::uint64_t s = 0;
  for (std::size_t i = 0; i < n; ++i) s = add_saturating(s, counts[i]);
  return s;
}

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_CORE_SATURATING_HPP
