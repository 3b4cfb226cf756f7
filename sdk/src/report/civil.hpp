// SPDX-License-Identifier: MIT
// Internal: proleptic Gregorian dates <-> days since 1970-01-01, in integer arithmetic that is
// exact for every day count an int64 of milliseconds or seconds can produce (|days| < 2^47).
// The algorithms are the well-known era decomposition (400-year cycles of 146097 days, with
// years starting on March 1 so the leap day is the last day of a year), written for cxm.
#ifndef CXM_SRC_REPORT_CIVIL_HPP
#define CXM_SRC_REPORT_CIVIL_HPP

#include <cstdint>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// a / b rounded toward negative infinity; b > 0.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  const std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}
/// a mod b in [0, b); b > 0.
constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) noexcept { return a - floor_div(a, b) * b; }

struct civil_date {
  std::int64_t year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
};

constexpr bool is_leap(std::int64_t y) noexcept { return floor_mod(y, 4) == 0 && (floor_mod(y, 100) != 0 || floor_mod(y, 400) == 0); }

constexpr int days_in_month(std::int64_t y, int m) noexcept {
  constexpr int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/// Days from 1970-01-01 to y-m-d. |y| < 2^40 keeps every product in range.
constexpr std::int64_t days_from_civil(std::int64_t y, int m, int d) noexcept {
  y -= m <= 2 ? 1 : 0;                       // the year that starts on March 1
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t yoe = y - era * 400;    // [0, 399]
  const std::int64_t mp = (m + 9) % 12;      // March = 0 ... February = 11
  const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;        // [0, 365]
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;        // 719468: days from 0000-03-01 to 1970-01-01
}

/// The date `days` after 1970-01-01.
constexpr civil_date civil_from_days(std::int64_t days) noexcept {
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;                                // [0, 146096]
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);         // [0, 365]
  const std::int64_t mp = (5 * doy + 2) / 153;                              // [0, 11]
  civil_date c;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2 ? 1 : 0);
  return c;
}

/// 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday).
constexpr int iso_weekday(std::int64_t days) noexcept { return static_cast<int>(floor_mod(days + 3, 7)); }

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_REPORT_CIVIL_HPP
