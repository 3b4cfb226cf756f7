// SPDX-License-Identifier: MIT
// Internal: the spellings the report's printers share (times, names, flags), so the JSON, the
// CSV and the text cannot disagree.
#ifndef CXM_SRC_REPORT_REPORT_FORMAT_HPP
#define CXM_SRC_REPORT_REPORT_FORMAT_HPP

#include <cstdint>
#include <string>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// "2026-10-05T22:00:00Z" for UTC milliseconds; ".123" before the Z when the milliseconds
/// are not 0. Proleptic Gregorian calendar, any int64 year range the civil algorithm covers.
std::string rfc3339_utc(std::int64_t ms);
/// "higher" (+1), "lower" (−1); nullptr for 0.
const char* report_flag_name(int flag) noexcept;
/// A double in the shortest form that reads back as the same double, in plain decimal
/// notation ("22.2", "-0.00002", "1500"): what a spreadsheet and a person read alike. Built from
/// the JSON writer's digits, so it does not depend on the C locale. Non-finite: "".
std::string plain_number(double d);

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_REPORT_REPORT_FORMAT_HPP
