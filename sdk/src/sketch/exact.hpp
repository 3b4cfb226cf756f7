// SPDX-License-Identifier: MIT
// Internal: exact comparisons of a double with the irrational bucket boundaries 2^(k/2^s) of the
// base-2 exponential mapping, by integer interval arithmetic (no logarithm, no long double).
#ifndef CXM_SRC_SKETCH_EXACT_HPP
#define CXM_SRC_SKETCH_EXACT_HPP

#include <cstdint>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// A positive finite double as 2^exponent · (1 + fraction/2^52), subnormals normalized.
struct normalized_double {
  std::int32_t exponent;   ///< -1074 .. 1023
  std::uint64_t fraction;  ///< 52 bits; 0 for exact powers of two
};
normalized_double normalize(double value) noexcept;

/// The sign of (1 + fraction/2^52) - 2^(k/2^scale) for 0 <= scale <= 20: +1 above, -1 below.
///
/// Raises both sides to the power 2^scale: (1.f)^(2^scale) is squared `scale` times in a
/// 128-bit significand with a separate exponent, once rounding down and once rounding up, which
/// brackets the exact power within a relative 2^(scale-126); 2^k is exact. 0 means the bracket
/// contains 2^k: only an exact tie (k a multiple of 2^scale and fraction 0) or a boundary
/// within about 2^-106 of a double. Tests check that no boundary at scale 20 (which include all
/// boundaries of lower scales) comes that close to a double.
int compare_with_boundary(std::uint64_t fraction, int scale, std::int64_t k) noexcept;

/// The smallest 52-bit fraction f with 1.f > 2^(k/2^scale), for 0 < k < 2^scale, 1 <= scale <= 20.
std::uint64_t boundary_fraction(int scale, std::int64_t k) noexcept;

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_SKETCH_EXACT_HPP
