// SPDX-License-Identifier: MIT
/// @file limits.hpp  How many values a cxm aggregate counts, and what happens at the limit.
#ifndef CXM_CORE_LIMITS_HPP
#define CXM_CORE_LIMITS_HPP

#include <cstddef>
#include <cstdint>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE

/// The most values one aggregate counts: 2^62 (4.6·10^18) answers in a tally, durations in a
/// sketch, responses in a survey tally.
///
/// Counts never wrap. Decoding an aggregate whose total is above this, merging two whose
/// totals add up to more, or recording a batch that would pass it returns
/// `errc::out_of_range` and changes nothing. Single `add`/`record` calls are not checked
/// against it on the hot path: the headroom up to 2^64 is three times the limit, more than
/// centuries of one-at-a-time recording can use. Rejection counters (diagnostics, never a
/// denominator) saturate at 2^64 - 1 instead.
inline constexpr std::uint64_t max_count = std::uint64_t{1} << 62;

/// How large and how deeply nested one JSON document of a format may be. A decoder refuses a
/// longer document with `errc::too_large` and a deeper one with `errc::too_deep` before it
/// builds anything, so hostile input costs bounded memory and stack. Each format declares its
/// limits beside its decoder (`tally_json_limits`, `journey_report_json_limits`, ...), where
/// bindings read them too.
struct json_limits {
  std::size_t max_bytes;
  std::size_t max_depth;
};

CXM_END_NAMESPACE

#endif  // CXM_CORE_LIMITS_HPP
