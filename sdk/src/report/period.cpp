// SPDX-License-Identifier: MIT
// Calendar periods of instants in a time zone.
//
// A local date D starts at the first instant whose local date is D or later. That is local
// midnight where there is one; where a DST change skips midnight (America/Sao_Paulo until 2019,
// Asia/Beirut, America/Havana) it is the instant the clocks jump over it; a date the zone skips
// entirely (Pacific/Apia, 2011-12-30) is an empty period. Because a fall-back can bring back
// local times of the previous date, the day an instant belongs to is the latest local date
// reached at or before it, so the periods tile the time line with no gap and no overlap.
//
// Supported local dates: 0001-01-01 to 9999-12-31 (four-digit years, so labels sort like
// indexes). Instants whose local date falls outside get the first or the last period, and
// indexes outside are clamped the same way; no arithmetic overflows for any int64 input.
#include <algorithm>
#include <string>

#include "cxm/report/period.hpp"
#include "io/timestamp.hpp"
#include "report/civil.hpp"

CXM_BEGIN_NAMESPACE

namespace {

using detail::civil_date;
using detail::civil_from_days;
using detail::days_from_civil;
using detail::floor_div;

constexpr std::int64_t first_day = days_from_civil(1, 1, 1);
constexpr std::int64_t last_day = days_from_civil(9999, 12, 31);
// The largest offset time_zone gives (RFC 9636: UT offsets lie in [-89999, 93599] s).
constexpr std::int64_t max_offset = 93599;

constexpr std::int64_t week_index(std::int64_t day) noexcept { return floor_div(day + 3, 7); }  // Monday-based
constexpr std::int64_t week_monday(std::int64_t index) noexcept { return index * 7 - 3; }
constexpr std::int64_t month_index(std::int64_t year, int month) noexcept { return year * 12 + month - 1; }

std::int64_t local_day(std::int64_t utc_ms, const time_zone& zone) noexcept {
  return floor_div(floor_div(utc_ms, 1000) + zone.offset_at(utc_ms), 86400);
}

// The first instant (ms) whose local date is `day` or later. The offset is piecewise constant,
// so walk its pieces from the earliest instant that could qualify (midnight - max_offset) and
// take the first piece holding an instant t with t + offset >= midnight. The walk ends by
// midnight - min_offset at the latest, where every offset qualifies; `day` is within the
// supported dates, so every product below is far from overflowing.
std::int64_t start_of_day(std::int64_t day, const time_zone& zone) noexcept {
  const std::int64_t midnight = day * 86400;
  std::int64_t t = (midnight - max_offset) * 1000;
  for (;;) {
    const std::int64_t candidate = std::max(t, (midnight - zone.offset_at(t)) * 1000);
    const std::int64_t next = zone.next_change_ms(t);
    if (candidate < next) return candidate;
    t = next;
  }
}

std::string digits(std::int64_t v, int width) {
  std::string s = std::to_string(v);
  if (static_cast<int>(s.size()) < width) s.insert(0, static_cast<std::size_t>(width) - s.size(), '0');
  return s;
}

period make_day(std::int64_t day, const time_zone& zone) {
  const civil_date c = civil_from_days(day);
  return {start_of_day(day, zone), start_of_day(day + 1, zone),
          digits(c.year, 4) + "-" + digits(c.month, 2) + "-" + digits(c.day, 2), day};
}

// ISO 8601: a week belongs to the year of its Thursday and week 1 holds the year's first Thursday.
period make_week(std::int64_t index, const time_zone& zone) {
  const std::int64_t monday = week_monday(index);
  const std::int64_t thursday = monday + 3;
  const std::int64_t iso_year = civil_from_days(thursday).year;
  const std::int64_t week = (thursday - days_from_civil(iso_year, 1, 1)) / 7 + 1;
  return {start_of_day(monday, zone), start_of_day(monday + 7, zone), digits(iso_year, 4) + "-W" + digits(week, 2),
          index};
}

period make_month(std::int64_t index, const time_zone& zone) {
  const std::int64_t year = floor_div(index, 12);
  const int month = static_cast<int>(index - year * 12) + 1;
  const std::int64_t first = days_from_civil(year, month, 1);
  return {start_of_day(first, zone), start_of_day(first + detail::days_in_month(year, month), zone),
          digits(year, 4) + "-" + digits(month, 2), index};
}

}  // namespace

const char* name(period_unit u) noexcept {
  switch (u) {
    case period_unit::day: return "day";
    case period_unit::week: return "week";
    case period_unit::month: return "month";
  }
  return "unknown";
}

result<period_unit> parse_period_unit(std::string_view s) {
  if (s == "day") return period_unit::day;
  if (s == "week") return period_unit::week;
  if (s == "month") return period_unit::month;
  std::string shown(s.substr(0, 32));
  for (char& c : shown)
    if (c < 0x20 || c >= 0x7f) c = '?';
  return {errc::invalid_argument, "period unit \"" + shown + "\": expected day, week or month"};
}

period period_of(std::int64_t utc_ms, period_unit unit, const time_zone& zone) {
  std::int64_t day = std::clamp(local_day(utc_ms, zone), first_day, last_day);
  // After a fall-back the local date can go back; the instant still belongs to the latest date
  // already begun. Offsets span under 51 h, so this moves at most three days.
  while (day < last_day && start_of_day(day + 1, zone) <= utc_ms) ++day;
  switch (unit) {
    case period_unit::week: return make_week(week_index(day), zone);
    case period_unit::month: {
      const civil_date c = civil_from_days(day);
      return make_month(month_index(c.year, c.month), zone);
    }
    case period_unit::day: break;
  }
  return make_day(day, zone);
}

result<std::int64_t> parse_instant(std::string_view text, const time_zone& zone) {
  std::int64_t ms = 0;
  if (detail::parse_rfc3339_ms(text, ms)) return ms;
  // "YYYY-MM-DD": the first instant of that day in the zone.
  const auto digits = [&](std::size_t from, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digits(0, 4, y) && digits(5, 2, m) && digits(8, 2, d) &&
      y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= detail::days_in_month(y, m))
    return make_day(days_from_civil(y, m, d), zone).start_ms;
  std::string shown(text.substr(0, 40));
  for (char& c : shown)
    if (c < 0x20 || c >= 0x7f) c = '?';
  return {errc::invalid_argument,
          "\"" + shown + "\": expected a date (2026-10-05) or an RFC 3339 time (2026-10-05T09:00:00Z)"};
}

period period_at(std::int64_t index, period_unit unit, const time_zone& zone) {
  switch (unit) {
    case period_unit::week:
      return make_week(std::clamp(index, week_index(first_day), week_index(last_day)), zone);
    case period_unit::month: return make_month(std::clamp(index, month_index(1, 1), month_index(9999, 12)), zone);
    case period_unit::day: break;
  }
  return make_day(std::clamp(index, first_day, last_day), zone);
}

CXM_END_NAMESPACE
