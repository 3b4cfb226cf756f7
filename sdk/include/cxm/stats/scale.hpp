// SPDX-License-Identifier: MIT
/// @file scale.hpp  An integer answer scale (NPS 0-10, CES, CSAT), and the one rule that decides
/// whether an answer given as a number fits it.
#ifndef CXM_STATS_SCALE_HPP
#define CXM_STATS_SCALE_HPP

#include <cmath>

#include "cxm/core/config.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// An integer answer scale [min, max] whose "top box" is [top_box_min, max].
///
/// At most `max_points` points. The named scales are the customary ones:
/// - `nps()`: 0-10, "How likely are you to recommend us?"; promoters = 9-10.
/// - `ces7()`: 1-7, "The company made it easy for me to handle my issue"; easy = 5-7.
/// - `ces5()`: the legacy 1-5 CES; easy = 4-5.
/// - `csat5()`: 1-5 satisfaction; satisfied = 4-5.
struct scale {
  static constexpr int max_points = 11;
  int min = 1;
  int max = 7;
  int top_box_min = 5;

  static constexpr scale nps() noexcept { return {0, 10, 9}; }
  static constexpr scale ces7() noexcept { return {1, 7, 5}; }
  static constexpr scale ces5() noexcept { return {1, 5, 4}; }
  static constexpr scale csat5() noexcept { return {1, 5, 4}; }

  constexpr int points() const noexcept { return max - min + 1; }
  /// min <= top_box_min <= max and at most max_points points.
  constexpr bool valid() const noexcept {
    return min <= top_box_min && top_box_min <= max && max - min < max_points &&
           min > -1000000 && max < 1000000;
  }
  friend constexpr bool operator==(const scale& a, const scale& b) noexcept {
    return a.min == b.min && a.max == b.max && a.top_box_min == b.top_box_min;
  }
  friend constexpr bool operator!=(const scale& a, const scale& b) noexcept { return !(a == b); }
};

/// Whether `answer` is an answer on `s`: `errc::ok`, or why not, in this order of precedence:
/// `not_finite` (NaN, infinities), `not_integer` (9.5; also 11.5), `out_of_range` (11, -1).
/// Every tally and survey validation applies this one rule, so an answer is classified the
/// same way on every path.
inline errc classify_answer(double answer, const scale& s) noexcept {
  if (!std::isfinite(answer)) return errc::not_finite;
  if (std::floor(answer) != answer) return errc::not_integer;
  if (answer < s.min || answer > s.max) return errc::out_of_range;
  return errc::ok;
}

CXM_END_NAMESPACE

#endif  // CXM_STATS_SCALE_HPP
