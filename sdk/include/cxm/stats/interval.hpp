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
  wald = 0,           ///< estimate ± z·SE with the plain estimate (NPS)
  adjusted_wald = 1,  ///< NPS with 3/4 promoter, 3/2 passive, 3/4 detractor pseudo-answers (default)
  score = 2,          ///< NPS: Tango's iterative score interval, as in Rocks (2016)
  student_t = 3,      ///< a mean: estimate ± t(n-1)·s/√n
  wilson = 4,         ///< a proportion: Wilson's score interval
};

/// The short name of `m` ("adjusted_wald").
CXM_API const char* name(interval_method m) noexcept;

/// A point estimate with a two-sided confidence interval. Units are the statistic's own
/// (NPS points in [-100, 100], a mean on the answer scale, a share in [0, 1]).
struct interval {
  double estimate = 0;  ///< the estimate the interval is centred on (adjusted for adjusted_wald)
  double lower = 0;
  double upper = 0;
  double level = 0;     ///< confidence level, e.g. 0.95
  std::uint64_t n = 0;  ///< answers behind the estimate
  interval_method method = interval_method::wald;
  bool small_sample = false;  ///< n < small_sample_threshold
};

CXM_END_NAMESPACE

#endif  // CXM_STATS_INTERVAL_HPP
