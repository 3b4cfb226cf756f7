// SPDX-License-Identifier: MIT
// RFC 3339 timestamps on hostile bytes, against an independent reading: a second parser
// written from the documented grammar that leaves the calendar to the C library's timegm.
// Both must accept and reject the same strings and agree on the milliseconds; an accepted time
// printed back in UTC parses to the same milliseconds.
#include <ctime>
#include <cstdio>
#include <string>

#include "fuzz_support.hpp"
#include "io/timestamp.hpp"

namespace cxm_fuzz {
namespace {

bool number(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (s.size() < at + n) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// "YYYY-MM-DD(T|t| )HH:MM:SS[.d+](Z|z|(+|-)HH:MM)", years 1970-9999, a leap second read as :59.
bool oracle(std::string_view s, long long& ms) {
  int y, mo, d, h, mi, sec;
  if (!number(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !number(s, 5, 2, mo) || s[7] != '-' ||
      !number(s, 8, 2, d))
    return false;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
  if (!number(s, 11, 2, h) || s[13] != ':' || !number(s, 14, 2, mi) || s[16] != ':' || !number(s, 17, 2, sec))
    return false;
  if (y < 1970 || h > 23 || mi > 59 || sec > 60) return false;
  std::size_t i = 19;
  long long frac = 0;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
    const std::string digits = std::string(s.substr(start, i - start)) + "000";
    frac = std::stoll(digits.substr(0, 3));
  }
  long long offset = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int oh, om;
    if (!number(s, i + 1, 2, oh) || s.size() < i + 6 || s[i + 3] != ':' || !number(s, i + 4, 2, om) || oh > 23 || om > 59)
      return false;
    offset = (s[i] == '-' ? -1 : 1) * (oh * 60LL + om);
    i += 6;
  } else {
    return false;
  }
  if (i != s.size()) return false;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec == 60 ? 59 : sec;
  const std::time_t t = timegm(&tm);
  // timegm normalizes: a day that does not exist in its month comes back as another date.
  if (tm.tm_year != y - 1900 || tm.tm_mon != mo - 1 || tm.tm_mday != d || mo < 1 || mo > 12 || d < 1) return false;
  ms = (static_cast<long long>(t) - offset * 60) * 1000 + frac;
  return true;
}

}  // namespace

int timestamp(const std::uint8_t* data, std::size_t size) {
  const std::string_view s = as_text(data, size);
  std::int64_t got = 0;
  long long expected = 0;
  const bool ok = cxm::detail::parse_rfc3339_ms(s, got);
  const bool oracle_ok = oracle(s, expected);
  CXM_FUZZ_CHECK_MSG(ok == oracle_ok, std::string(s) + (ok ? " accepted by cxm only" : " accepted by the oracle only"));
  if (!ok) return 0;
  CXM_FUZZ_CHECK_MSG(got == expected, std::string(s) + ": " + std::to_string(got) + " vs " + std::to_string(expected));
  if (got >= 0) {
    const std::time_t secs = static_cast<std::time_t>(got / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(got % 1000));
    std::int64_t back = -1;
    if (tm.tm_year + 1900 <= 9999) {
      CXM_FUZZ_CHECK_MSG(cxm::detail::parse_rfc3339_ms(buf, back) && back == got, buf);
    }
  }
  return 0;
}

}  // namespace cxm_fuzz
