// SPDX-License-Identifier: MIT
// Internal: the JSON names of journey_error, shared by the report's queries and its codec.
#ifndef CXM_SRC_JOURNEY_REPORT_NAMES_HPP
#define CXM_SRC_JOURNEY_REPORT_NAMES_HPP

#include "cxm/journey/report.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

inline constexpr const char* journey_error_names[journey_error_count] = {
    "none",       "unknown_step",    "unknown_journey",    "unknown_touchpoint", "begin_twice",  "end_without_begin",
    "double_end", "clock_backwards", "duration_over_year", "journey_closed",     "invalid_event",
    "duplicate_response"};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_JOURNEY_REPORT_NAMES_HPP
