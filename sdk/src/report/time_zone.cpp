// SPDX-License-Identifier: MIT
// Time zones: UTC, fixed offsets, and IANA zones read from TZif bytes (RFC 8536) with the
// POSIX TZ rule of their footer.
//
// The TZif bytes are hostile: every count is checked against the bytes that are actually
// there before anything is read or allocated (so an allocation never exceeds the input's size,
// itself capped at max_tzif_bytes), every index against its table, and every offset against
// the range RFC 9636 gives UT offsets, [-89999, 93599] seconds. The arithmetic on instants is
// done in int64 seconds, whose range (|s| < 2^63 / 1000 for any int64 of milliseconds) leaves
// room for any offset and any year the footer rule is evaluated in.
#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "cxm/report/period.hpp"
#include "report/civil.hpp"

CXM_BEGIN_NAMESPACE

namespace {

using detail::floor_div;

// Real files are at most a few kilobytes (a "fat" zone with every transition to 2037 is under
// 4 KB); 1 MiB leaves room for any plausible zone and bounds what hostile bytes can allocate.
constexpr std::size_t max_tzif_bytes = std::size_t{1} << 20;
constexpr std::int32_t min_offset = -89999;  // RFC 9636 §3.2: -25 h < utoff < 26 h
constexpr std::int32_t max_offset = 93599;
constexpr std::int32_t max_fixed_offset = 18 * 3600;
constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

// One end of daylight saving time in a POSIX TZ rule: a day of the year and a local time.
struct rule_date {
  enum kind_t { julian_1, zero_based, month_week_day } kind = month_week_day;
  int n = 0;                 // J<n> (1-365, February 29 never counted) or <n> (0-365)
  int month = 1, week = 1, weekday = 0;  // M<month>.<week>.<weekday>, 0 = Sunday, week 5 = last
  std::int32_t time = 7200;  // seconds after local midnight, -167 h to +167 h (RFC 8536 §3.3.1)

  // Days since 1970-01-01 of this date in `year`.
  std::int64_t day(std::int64_t year) const noexcept {
    const std::int64_t jan1 = detail::days_from_civil(year, 1, 1);
    if (kind == julian_1) return jan1 + n - 1 + (n >= 60 && detail::is_leap(year) ? 1 : 0);
    if (kind == zero_based) return jan1 + n;
    const std::int64_t first = detail::days_from_civil(year, month, 1);
    const std::int64_t first_weekday = detail::floor_mod(first + 4, 7);  // 1970-01-01: Thursday (4)
    std::int64_t d = first + detail::floor_mod(weekday - first_weekday, 7) + 7 * (week - 1);
    if (d >= first + detail::days_in_month(year, month)) d -= 7;  // week 5: the last one
    return d;
  }
};

// The footer's rule: standard time all year, or standard and daylight saving time between two
// dates. Offsets are seconds east of UTC (POSIX writes them west: "EST5" is -18000).
struct posix_rule {
  std::int32_t std_offset = 0;
  std::int32_t dst_offset = 0;
  bool has_dst = false;
  rule_date start, end;

  // The UTC instants (seconds) DST starts (given in standard time) and ends (given in DST).
  std::pair<std::int64_t, std::int64_t> transitions(std::int64_t year) const noexcept {
    return {start.day(year) * 86400 + start.time - std_offset, end.day(year) * 86400 + end.time - dst_offset};
  }
  static std::int64_t utc_year(std::int64_t s) noexcept { return detail::civil_from_days(floor_div(s, 86400)).year; }

  // The rule is evaluated in the UTC year of the instant, as RFC 8536 readers such as
  // CPython's zoneinfo do; a DST period that wraps the year end (southern hemisphere) is the
  // complement of the standard-time period.
  std::int32_t offset_at(std::int64_t s) const noexcept {
    if (!has_dst) return std_offset;
    const auto [on, off] = transitions(utc_year(s));
    const bool dst = on < off ? (on <= s && s < off) : !(off <= s && s < on);
    return dst ? dst_offset : std_offset;
  }
  // The first instant after `s` where offset_at may change: this year's transitions or the
  // next UTC new year, where the evaluation moves on to the next year's dates.
  std::int64_t next_change(std::int64_t s) const noexcept {
    if (!has_dst) return int64_max;
    const std::int64_t year = utc_year(s);
    const auto [on, off] = transitions(year);
    std::int64_t next = detail::days_from_civil(year + 1, 1, 1) * 86400;
    if (on > s) next = std::min(next, on);
    if (off > s) next = std::min(next, off);
    return next;
  }
};

// ---- POSIX TZ strings (the TZif footer) ------------------------------------------------------

struct tz_parser {
  std::string_view s;
  std::size_t i = 0;
  const char* error = nullptr;

  bool fail(const char* why) {
    if (error == nullptr) error = why;
    return false;
  }
  bool at_end() const { return i >= s.size(); }
  char peek() const { return at_end() ? '\0' : s[i]; }
  static bool alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
  static bool digit(char c) { return c >= '0' && c <= '9'; }

  // "EST" or "<+0330>": at least three characters (POSIX).
  bool name() {
    std::size_t n = 0;
    if (peek() == '<') {
      ++i;
      while (!at_end() && (alpha(s[i]) || digit(s[i]) || s[i] == '+' || s[i] == '-')) ++i, ++n;
      if (peek() != '>') return fail("a quoted zone abbreviation is not closed by '>'");
      ++i;
    } else {
      while (!at_end() && alpha(s[i])) ++i, ++n;
    }
    return n >= 3 || fail("a zone abbreviation is shorter than three characters");
  }
  // Up to `digits` decimal digits, at least one, at most `max`.
  bool number(int digits, int max, int& out) {
    out = 0;
    int n = 0;
    while (n < digits && digit(peek())) out = out * 10 + (s[i++] - '0'), ++n;
    if (n == 0) return fail("a number is expected");
    return out <= max || fail("a number is out of range");
  }
  // [+|-]hh[:mm[:ss]] in seconds; hours up to `max_hours`.
  bool hms(int max_hours, std::int32_t& out) {
    int sign = 1;
    if (peek() == '+' || peek() == '-') sign = s[i++] == '-' ? -1 : 1;
    int h = 0, m = 0, sec = 0;
    if (!number(3, max_hours, h)) return false;
    if (peek() == ':') {
      ++i;
      if (!number(2, 59, m)) return false;
      if (peek() == ':') {
        ++i;
        if (!number(2, 59, sec)) return false;
      }
    }
    out = sign * (h * 3600 + m * 60 + sec);
    return true;
  }
  bool date(rule_date& d) {
    int v = 0;
    if (peek() == 'J') {
      ++i;
      if (!number(3, 365, v)) return false;
      if (v < 1) return fail("a Jn day is below 1");
      d.kind = rule_date::julian_1;
      d.n = v;
    } else if (peek() == 'M') {
      ++i;
      d.kind = rule_date::month_week_day;
      if (!number(2, 12, d.month) || d.month < 1) return fail("an Mm.w.d month is not 1-12");
      if (peek() != '.') return fail("'.' is expected after the month");
      ++i;
      if (!number(1, 5, d.week) || d.week < 1) return fail("an Mm.w.d week is not 1-5");
      if (peek() != '.') return fail("'.' is expected after the week");
      ++i;
      if (!number(1, 6, d.weekday)) return fail("an Mm.w.d day is not 0-6");
    } else {
      if (!number(3, 365, v)) return fail("a rule date (Jn, n or Mm.w.d) is expected");
      d.kind = rule_date::zero_based;
      d.n = v;
    }
    d.time = 7200;
    if (peek() == '/') {
      ++i;
      // RFC 8536 §3.3.1: the time may be negative and up to 167 hours.
      if (!hms(167, d.time)) return false;
    }
    return true;
  }

  bool parse(posix_rule& r) {
    std::int32_t west = 0;
    if (!name() || !hms(24, west)) return fail("a standard time name and offset are expected");
    r.std_offset = -west;
    if (at_end()) return true;
    if (!name()) return false;
    r.has_dst = true;
    r.dst_offset = r.std_offset + 3600;  // POSIX: one hour ahead unless given
    if (peek() != ',') {
      if (!hms(24, west)) return fail("a daylight saving time offset or ',' is expected");
      r.dst_offset = -west;
    }
    // POSIX leaves a missing rule to the implementation; zic always writes one.
    if (peek() != ',') return fail("daylight saving time has no start and end rule");
    ++i;
    if (!date(r.start)) return false;
    if (peek() != ',') return fail("',' is expected before the end rule");
    ++i;
    if (!date(r.end)) return false;
    return at_end() || fail("unexpected characters after the rule");
  }
};

// A short, printable rendering of hostile text for error details.
std::string printable(std::string_view s) {
  std::string out;
  for (std::size_t k = 0; k < s.size() && k < 64; ++k) out += (s[k] >= 0x20 && s[k] < 0x7f) ? s[k] : '?';
  if (s.size() > 64) out += "...";
  return out;
}

std::string two_digits(int v) { return std::string(1, char('0' + v / 10)) + char('0' + v % 10); }

// "+05:30", "-03:00", "+05:30:15" (seconds only when there are any).
std::string offset_name(std::int32_t seconds) {
  const std::int32_t a = seconds < 0 ? -seconds : seconds;
  std::string out = seconds < 0 ? "-" : "+";
  out += two_digits(a / 3600) + ":" + two_digits(a / 60 % 60);
  if (a % 60 != 0) out += ":" + two_digits(a % 60);
  return out;
}

// Big-endian reads at a position the caller has already checked against the size.
std::uint32_t be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
std::int64_t be64(const unsigned char* p) {
  const std::uint64_t u = (std::uint64_t{be32(p)} << 32) | be32(p + 4);
  return static_cast<std::int64_t>(u);  // two's complement (C++20 defines it; every target does)
}

struct tzif_counts {
  std::uint64_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
  // Bytes of the data block for `time_size`-byte times; < 2^40, no overflow.
  std::uint64_t block(std::uint64_t time_size) const {
    return time * time_size + time + type * 6 + chars + leap * (time_size + 4) + isstd + isut;
  }
};

}  // namespace

struct time_zone::rules {
  std::string name;
  std::vector<std::int64_t> at;          // transition instants (s), strictly ascending
  std::vector<std::int32_t> offset;      // the offset from at[k] on
  std::int32_t before = 0;               // before the first transition: local time type 0
  std::int32_t after = 0;                // after the last when there is no DST rule
  posix_rule rule;                       // after the last transition, when has_dst
};

time_zone::time_zone() = default;  // rules_ == nullptr is UTC: no allocation

result<time_zone> time_zone::fixed(std::int32_t seconds) {
  if (seconds < -max_fixed_offset || seconds > max_fixed_offset)
    return {errc::invalid_argument, "time zone: fixed offset " + std::to_string(seconds) + " s is outside ±18 h"};
  auto r = std::make_shared<rules>();
  r->name = offset_name(seconds);
  r->before = r->after = seconds;
  time_zone z;
  z.rules_ = std::move(r);
  return z;
}

result<time_zone> time_zone::parse_fixed(std::string_view text) {
  if (text == "UTC" || text == "Z") return time_zone();
  const auto bad = [&] {
    return result<time_zone>(errc::invalid_argument, "time zone \"" + printable(text) +
                                                         "\": expected UTC, Z or an offset +HH:MM, -HH:MM, +HH or +HHMM");
  };
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) return bad();
  const auto digits = [&](std::size_t at) {
    return at + 2 <= text.size() && tz_parser::digit(text[at]) && tz_parser::digit(text[at + 1])
               ? (text[at] - '0') * 10 + (text[at + 1] - '0')
               : -1;
  };
  const int h = digits(1);
  int m = 0;
  if (text.size() == 6 && text[3] == ':') m = digits(4);
  else if (text.size() == 5) m = digits(3);
  else if (text.size() != 3) return bad();
  if (h < 0 || m < 0 || m > 59) return bad();
  const std::int32_t seconds = (text[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
  return fixed(seconds);  // refuses more than 18 h
}

result<time_zone> time_zone::from_tzif(std::string name, const unsigned char* data, std::size_t size) {
  if (data == nullptr && size != 0) return {errc::invalid_argument, "TZif: null data"};
  const auto err = [](errc e, std::string what) { return result<time_zone>(e, "TZif: " + std::move(what)); };
  if (size > max_tzif_bytes)
    return err(errc::too_large, std::to_string(size) + " bytes, over the limit of " + std::to_string(max_tzif_bytes));
  std::size_t pos = 0;
  int version = 1;
  tzif_counts c;
  // Reads a 44-byte header at pos and checks that its data block fits in what remains.
  const auto header = [&](std::uint64_t time_size, std::string& why) {
    if (size - pos < 44) return why = "truncated header at byte " + std::to_string(pos), errc::parse_error;
    if (std::memcmp(data + pos, "TZif", 4) != 0)
      return why = "no TZif magic at byte " + std::to_string(pos), errc::parse_error;
    const unsigned char v = data[pos + 4];
    if (v == 0) version = 1;
    else if (v >= '2' && v <= '4') version = v - '0';
    else return why = "version byte " + std::to_string(v) + " is not 0, '2', '3' or '4'", errc::unsupported_version;
    const unsigned char* p = data + pos + 20;
    c = {be32(p), be32(p + 4), be32(p + 8), be32(p + 12), be32(p + 16), be32(p + 20)};
    pos += 44;
    const std::uint64_t need = c.block(time_size);
    if (need > size - pos)
      return why = "truncated: the data block needs " + std::to_string(need) + " bytes, " + std::to_string(size - pos) +
                   " remain",
             errc::parse_error;
    return errc::ok;
  };
  std::string why;
  if (const errc e = header(4, why); e != errc::ok) return err(e, why);
  std::uint64_t time_size = 4;
  if (version >= 2) {
    // The version 1 block is for old readers: skip it and read the 64-bit block after it.
    pos += static_cast<std::size_t>(c.block(4));
    const int first_version = version;
    if (const errc e = header(8, why); e != errc::ok) return err(e, why);
    if (version != first_version) return err(errc::parse_error, "the two headers give different versions");
    time_size = 8;
  }
  if (c.type == 0) return err(errc::parse_error, "no local time types (typecnt is 0)");
  if (c.chars == 0) return err(errc::parse_error, "no designation characters (charcnt is 0)");
  if (c.isut != 0 && c.isut != c.type)
    return err(errc::parse_error, "isutcnt " + std::to_string(c.isut) + " is neither 0 nor typecnt " + std::to_string(c.type));
  if (c.isstd != 0 && c.isstd != c.type)
    return err(errc::parse_error, "isstdcnt " + std::to_string(c.isstd) + " is neither 0 nor typecnt " + std::to_string(c.type));
  // Leap-second tables ("right/" zones) count leap seconds in every instant: cxm's instants are
  // POSIX times, which do not.
  if (c.leap != 0) return err(errc::unsupported_version, "leap-second records (a right/ zone) are not supported");

  auto r = std::make_shared<rules>();
  r->name = std::move(name);
  const unsigned char* times = data + pos;
  const unsigned char* indexes = times + c.time * time_size;
  const unsigned char* types = indexes + c.time;
  const unsigned char* designations = types + c.type * 6;
  const unsigned char* indicators = designations + c.chars + c.leap * (time_size + 4);
  std::vector<std::int32_t> type_offset(static_cast<std::size_t>(c.type));
  for (std::uint64_t k = 0; k < c.type; ++k) {
    const unsigned char* t = types + k * 6;
    const auto utoff = static_cast<std::int32_t>(be32(t));
    if (utoff < min_offset || utoff > max_offset)
      return err(errc::parse_error, "local time type " + std::to_string(k) + " has UT offset " + std::to_string(utoff) +
                                        " s, outside [-89999, 93599]");
    if (t[4] > 1) return err(errc::parse_error, "local time type " + std::to_string(k) + " has isdst " + std::to_string(t[4]));
    if (t[5] >= c.chars)
      return err(errc::parse_error, "local time type " + std::to_string(k) + " names designation " + std::to_string(t[5]) +
                                        " of " + std::to_string(c.chars) + " characters");
    type_offset[static_cast<std::size_t>(k)] = utoff;
  }
  for (std::uint64_t k = 0; k < c.isstd + c.isut; ++k)
    if (indicators[k] > 1) return err(errc::parse_error, "standard/UT indicator " + std::to_string(k) + " is not 0 or 1");
  r->at.reserve(static_cast<std::size_t>(c.time));
  r->offset.reserve(static_cast<std::size_t>(c.time));
  for (std::uint64_t k = 0; k < c.time; ++k) {
    const std::int64_t t = time_size == 8 ? be64(times + k * 8) : static_cast<std::int32_t>(be32(times + k * 4));
    if (k > 0 && t <= r->at.back())
      return err(errc::parse_error, "transition " + std::to_string(k) + " is not after transition " + std::to_string(k - 1));
    if (indexes[k] >= c.type)
      return err(errc::parse_error, "transition " + std::to_string(k) + " names local time type " +
                                        std::to_string(indexes[k]) + " of " + std::to_string(c.type));
    r->at.push_back(t);
    r->offset.push_back(type_offset[indexes[k]]);
  }
  r->before = type_offset[0];  // RFC 8536 §3.2: type 0 before the first transition
  r->after = r->offset.empty() ? r->before : r->offset.back();
  pos += static_cast<std::size_t>(c.block(time_size));

  if (version >= 2) {
    // The footer: "\n" POSIX-TZ-string "\n". An empty string means no rule: the last type stays.
    if (pos >= size || data[pos] != '\n') return err(errc::parse_error, "no footer after the data block");
    const auto* begin = reinterpret_cast<const char*>(data + pos + 1);
    const auto* nl = static_cast<const char*>(std::memchr(begin, '\n', size - pos - 1));
    if (nl == nullptr) return err(errc::parse_error, "the footer is not closed by a newline");
    const std::string_view tz(begin, static_cast<std::size_t>(nl - begin));
    if (!tz.empty()) {
      tz_parser p{tz};
      if (!p.parse(r->rule))
        return err(errc::parse_error, "footer \"" + printable(tz) + "\" at character " + std::to_string(p.i) + ": " + p.error);
      if (!r->rule.has_dst) r->after = r->rule.std_offset;
    }
  }
  time_zone z;
  z.rules_ = std::move(r);
  return z;
}

const std::string& time_zone::name() const noexcept {
  static const std::string utc("UTC");
  return rules_ ? rules_->name : utc;
}

std::int32_t time_zone::offset_at(std::int64_t utc_ms) const noexcept {
  if (!rules_) return 0;
  const rules& r = *rules_;
  const std::int64_t s = floor_div(utc_ms, 1000);
  if (!r.at.empty() && s < r.at.front()) return r.before;
  const auto it = std::upper_bound(r.at.begin(), r.at.end(), s);
  if (it != r.at.end()) return r.offset[static_cast<std::size_t>(it - r.at.begin()) - 1];
  return r.rule.has_dst ? r.rule.offset_at(s) : r.after;
}

std::int64_t time_zone::next_change_ms(std::int64_t utc_ms) const noexcept {
  if (!rules_) return int64_max;
  const rules& r = *rules_;
  const std::int64_t s = floor_div(utc_ms, 1000);
  std::int64_t next = int64_max;
  const auto it = std::upper_bound(r.at.begin(), r.at.end(), s);
  if (it != r.at.end()) next = *it;
  else if (r.rule.has_dst) next = r.rule.next_change(s);
  // Transition instants of hostile files may lie beyond the milliseconds an int64 holds.
  return next > int64_max / 1000 ? int64_max : next * 1000;
}

CXM_END_NAMESPACE
