// SPDX-License-Identifier: MIT
// The spellings the report's printers share.
#include "report/report_format.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "cxm/report/report.hpp"
#include "io/json_writer.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

std::string rfc3339_utc(std::int64_t ms) {
  // Floor division: an instant before 1970 belongs to the day that starts before it.
  std::int64_t days = ms / 86400000;
  std::int64_t rem = ms % 86400000;
  if (rem < 0) {
    rem += 86400000;
    --days;
  }
  // civil_from_days (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"): eras of
  // 400 years, years starting in March so the leap day is last.
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const std::int64_t secs = rem / 1000, milli = rem % 1000;
  char buf[64];
  if (milli == 0)
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", static_cast<long long>(y),
                  static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  else
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y),
                  static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(secs / 3600),
                  static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                  static_cast<long long>(milli));
  return buf;
}

const char* report_flag_name(int flag) noexcept {
  return flag > 0 ? "higher" : (flag < 0 ? "lower" : nullptr);
}

std::string plain_number(double d) {
  if (!std::isfinite(d)) return {};
  // The writer gives the shortest round-trip digits as "d.dddE±x" ("2.22E1", "0E0").
  json_writer w;
  w.value(d);
  const std::string& s = w.str();
  std::string out;
  std::size_t i = 0;
  if (i < s.size() && s[i] == '-') {
    out.push_back('-');
    ++i;
  }
  std::string digits;
  long long point = -1;  // digits before the decimal point in the mantissa
  for (; i < s.size() && s[i] != 'E' && s[i] != 'e'; ++i) {
    if (s[i] == '.') point = static_cast<long long>(digits.size());
    else digits.push_back(s[i]);
  }
  if (point < 0) point = static_cast<long long>(digits.size());
  const long long exponent = i < s.size() ? std::strtoll(s.c_str() + i + 1, nullptr, 10) : 0;
  // Trailing zeros of the mantissa carry no information once the point is placed.
  while (digits.size() > 1 && digits.back() == '0' && static_cast<long long>(digits.size()) > point) digits.pop_back();
  const long long pos = point + exponent;  // digits before the decimal point of the result
  const long long n = static_cast<long long>(digits.size());
  if (pos <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-pos), '0');
    out += digits;
  } else if (pos >= n) {
    out += digits;
    out.append(static_cast<std::size_t>(pos - n), '0');
  } else {
    out.append(digits, 0, static_cast<std::size_t>(pos));
    out.push_back('.');
    out.append(digits, static_cast<std::size_t>(pos), std::string::npos);
  }
  if (out == "-0") return "0";
  return out;
}

}  // namespace detail

const char* report_name(p_adjust_method m) noexcept {
  switch (m) {
    case p_adjust_method::none: return "none";
    case p_adjust_method::bonferroni: return "bonferroni";
    case p_adjust_method::holm: return "holm";
    case p_adjust_method::benjamini_hochberg: return "BH";
  }
  return "none";
}

bool parse_report_p_adjust(std::string_view text, p_adjust_method& out) noexcept {
  if (text == "BH") {
    out = p_adjust_method::benjamini_hochberg;
    return true;
  }
  return parse_p_adjust_method(text, out);
}

CXM_END_NAMESPACE
