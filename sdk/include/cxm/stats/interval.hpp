// SPDX-License-Identifier: MIT
/// @file interval.hpp  A confidence interval as every cxm statistic reports it.
#ifndef CXM_STATS_INTERVAL_HPP
#define CXM_STATS_INTERVAL_HPP

#include <cstdint>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE

/// Samples smaller than this are flagged `small_sample` in every interval cxm reports.
///
/// 30 is the customary floor for normal-approximation intervals; below it the intervals are
/// still computed (adjusted Wald, score and Wilson behave well there) but readers should be
/// told. cxm never hides a small sample: it reports n and the flag beside the figure.
inline constexpr std::uint64_t small_sample_threshold = 30;

/// The method behind an interval.
enum class interval_method : std::int32_t {
  wald = 0,           ///< NPS: score ± z·SE of the plain score
  adjusted_wald = 1,  ///< NPS with 3/4 promoter, 3/2 passive, 3/4 detractor pseudo-answers (default)
  score = 2,          ///< NPS: Tango's iterative score interval, as in Rocks (2016)
  student_t = 3,      ///< a mean: mean ± t(n-1)·s/√n
  wilson = 4,         ///< a proportion: Wilson's score interval
  hall_t = 5,         ///< a mean: Hall's (1992) skewness-removing transform of the t statistic (default)
};

/// The short name of `m` ("adjusted_wald").
CXM_API const char* name(interval_method m) noexcept;

/// A statistic with a two-sided confidence interval. Units are the statistic's own (NPS
/// points in [-100, 100], a mean on the answer scale, a share in [0, 1]); the bounds never
/// leave that range.
///
/// `point` is the statistic itself (the raw NPS, the mean, the share): the figure a report
/// shows. `center` is what the method builds the interval around: the same as `point` for
/// wald, score, student_t and hall_t, the adjusted score for adjusted_wald, the Wilson centre for
/// wilson. The adjusted-Wald interval can leave `point` outside (one promoter: NPS +100,
/// interval [-48.5, +98.5] at 95%): a report then says so and shows `center` beside it
/// (`point_inside()`).
struct interval {
  double point = 0;   ///< the statistic (raw NPS, mean, share)
  double center = 0;  ///< the centre the method's interval is built around
  double lower = 0;
  double upper = 0;
  double level = 0;     ///< confidence level, e.g. 0.95
  std::uint64_t n = 0;  ///< answers behind the statistic
  interval_method method = interval_method::wald;
  bool small_sample = false;  ///< n < small_sample_threshold

  /// Whether lower <= point <= upper.
  constexpr bool point_inside() const noexcept { return lower <= point && point <= upper; }
};

CXM_END_NAMESPACE

#endif  // CXM_STATS_INTERVAL_HPP
