// SPDX-License-Identifier: MIT
// The JSON writer (json_writer.hpp). Numbers go through Boost.JSON's own formatters, so the
// text equals what its serializer writes: this file is part of io, the one module that uses
// Boost.JSON.
#include "io/json_writer.hpp"

#include <boost/json/detail/config.hpp>
#include <boost/json/detail/format.hpp>
#include <cmath>

CXM_BEGIN_NAMESPACE
namespace detail {

json_writer& json_writer::value(bool b) {
  separate();
  out_->append(b ? "true" : "false");
  return *this;
}

json_writer& json_writer::value(std::int64_t i) {
  separate();
  char buf[boost::json::detail::max_number_chars + 1];
  out_->append(buf, boost::json::detail::format_int64(buf, i));
  return *this;
}

json_writer& json_writer::value(std::uint64_t u) {
  separate();
  char buf[boost::json::detail::max_number_chars + 1];
  out_->append(buf, boost::json::detail::format_uint64(buf, u));
  return *this;
}

json_writer& json_writer::value(double d) {
  if (!std::isfinite(d)) return null();
  separate();
  char buf[boost::json::detail::max_number_chars + 1];
  out_->append(buf, boost::json::detail::format_double(buf, d));
  return *this;
}

json_writer& json_writer::number(double d) {
  // 2^53: every integer below it is exact, and JSON readers in every language read it back.
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9007199254740992.0)
    return value(static_cast<std::int64_t>(d));
  return value(d);
}

json_writer& json_writer::null() {
  separate();
  out_->append("null");
  return *this;
}

json_writer& json_writer::raw(std::string_view json) {
  separate();
  out_->append(json);
  return *this;
}

void json_writer::quote(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string& o = *out_;
  o.push_back('"');
  std::size_t run = 0;  // start of the pending run of bytes that need no escape
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    o.append(s.data() + run, i - run);
    run = i + 1;
    o.push_back('\\');
    switch (c) {
      case '"': o.push_back('"'); break;
      case '\\': o.push_back('\\'); break;
      case '\b': o.push_back('b'); break;
      case '\t': o.push_back('t'); break;
      case '\n': o.push_back('n'); break;
      case '\f': o.push_back('f'); break;
      case '\r': o.push_back('r'); break;
      default:
        o.append("u00");
        o.push_back(hex[c >> 4]);
        o.push_back(hex[c & 15]);
    }
  }
  o.append(s.data() + run, s.size() - run);
  o.push_back('"');
}

}  // namespace detail
CXM_END_NAMESPACE
