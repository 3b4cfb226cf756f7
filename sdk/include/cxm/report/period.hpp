// SPDX-License-Identifier: MIT
/// @file period.hpp  Calendar periods (day, ISO week, month) of instants in a time zone, for
/// trends. A time zone is UTC, a fixed offset ("+05:30") or an IANA zone read from its TZif
/// bytes (RFC 8536: the files under /usr/share/zoneinfo). The core does no I/O: whoever has
/// the bytes (the CLI reads the file, a browser fetches it) passes them in.
#ifndef CXM_REPORT_PERIOD_HPP
#define CXM_REPORT_PERIOD_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "cxm/core/config.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

enum class period_unit : std::int32_t {
  day = 0,
  week = 1,   ///< ISO 8601 week: Monday to Sunday, numbered within the ISO week-numbering year
  month = 2,
};
/// "day", "week", "month".
CXM_API const char* name(period_unit u) noexcept;
/// The unit named `s` ("day", "week", "month"); invalid_argument naming the valid ones.
CXM_API result<period_unit> parse_period_unit(std::string_view s);

/// A time zone: the offset from UTC in force at any instant. Copies share the immutable rules.
class CXM_API time_zone {
 public:
  /// UTC.
  time_zone();
  /// A fixed offset of `seconds` east of UTC, within ±18 h (invalid_argument otherwise),
  /// named like "+05:30".
  static result<time_zone> fixed(std::int32_t seconds);
  /// "UTC", "Z" or an offset "+HH:MM", "-HH:MM", "+HH", "+HHMM" (named as given, normalised to
  /// "+HH:MM"); invalid_argument otherwise. IANA names need their TZif bytes: from_tzif.
  static result<time_zone> parse_fixed(std::string_view text);
  /// The zone `name` ("Europe/Berlin") from the bytes of its TZif file (versions 1 to 4). The
  /// POSIX TZ rule in the footer of version 2+ files decides instants after the last
  /// transition (an empty footer, or a version 1 file, keeps the last transition's type); the
  /// first local time type decides instants before the first. The bytes are not trusted: every
  /// count, index and offset is checked, nothing is read outside [data, data + size), and the
  /// rules allocated are smaller than the input.
  ///
  /// Errors: parse_error (truncated, a bad count, index, offset or footer), unsupported_version
  /// (a version byte other than 0, '2', '3', '4'; leap-second records, as in "right/" zones,
  /// since cxm's instants are POSIX times), too_large (over 1 MiB; real files are a few KB);
  /// each with a detail naming what is wrong ("TZif: transition 3 names local time type 9 of
  /// 4"). invalid_argument for a null `data` with a non-zero `size`.
  static result<time_zone> from_tzif(std::string name, const unsigned char* data, std::size_t size);

  /// "UTC", "+05:30" or the IANA name.
  const std::string& name() const noexcept;
  /// Seconds east of UTC in force at `utc_ms` (milliseconds since 1970-01-01T00:00:00Z): the
  /// offset of the latest transition at or before it (a transition's own instant already has
  /// the new offset), the first local time type before the first transition, the footer's rule
  /// after the last one. Always within [-89999, 93599] (just under -25 h and +26 h).
  /// Complexity: O(log n) in the number of transitions; no allocation.
  std::int32_t offset_at(std::int64_t utc_ms) const noexcept;
  /// The first instant after `utc_ms` at which the offset may change (a transition, or a point
  /// where the footer's rule is re-evaluated), or INT64_MAX when it never changes again: the
  /// offset is constant on [utc_ms, next_change_ms(utc_ms)). O(log n); no allocation.
  std::int64_t next_change_ms(std::int64_t utc_ms) const noexcept;

 private:
  struct rules;
  std::shared_ptr<const rules> rules_;
};

/// One period of a trend: [start_ms, end_ms) in UTC milliseconds, and its label in the zone's
/// local calendar: "2026-10-05" (day), "2026-W41" (ISO week), "2026-10" (month).
struct period {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string label;
  /// A number that orders periods and tells neighbours apart: consecutive periods differ by 1.
  std::int64_t index = 0;
};

/// The period of `unit` holding the instant `utc_ms`, with local midnight (the start of the
/// local day, which may not be 00:00 where a DST change happens at midnight) as its boundary.
///
/// A local date starts at the first instant whose local date is that date or later: 01:00
/// where DST skips midnight, and an empty period for a date a zone skips entirely (Pacific/Apia,
/// 2011-12-30). After a fall-back that brings back the previous date's local times, an instant
/// stays in the date already begun, so periods never overlap and always abut. Indexes: days
/// since 1970-01-01 (day), weeks since the week of Monday 1969-12-29 (week), year * 12 +
/// month - 1 (month).
///
/// Supported local dates are 0001-01-01 to 9999-12-31 (labels keep four-digit years and sort
/// like indexes); an instant outside gets the first or the last period. Total for every int64
/// input, no overflow. Complexity: O(log n) in the zone's transitions, for real zones.
CXM_API period period_of(std::int64_t utc_ms, period_unit unit, const time_zone& zone);
/// The period with `index` (as period_of gives it) of `unit` in `zone`; an index outside the
/// supported dates is clamped to the first or the last period.
CXM_API period period_at(std::int64_t index, period_unit unit, const time_zone& zone);

/// An instant written as an RFC 3339 time ("2026-10-05T09:00:00Z", "2026-10-05T11:00:00+02:00")
/// or as a date ("2026-10-05": the first instant of that day in `zone`), in UTC milliseconds;
/// invalid_argument naming what was expected otherwise. For --since/--until and the like.
CXM_API result<std::int64_t> parse_instant(std::string_view text, const time_zone& zone);

CXM_END_NAMESPACE

#endif  // CXM_REPORT_PERIOD_HPP
