// SPDX-License-Identifier: MIT
// The JSON text the wasm bindings hand to JS (cxm.mjs parses it): a small append-only writer,
// shared by every binding TU, instead of Boost.JSON's DOM and serializer (page weight).
#ifndef CXM_WASM_JSON_WRITER_HPP
#define CXM_WASM_JSON_WRITER_HPP

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace cxm_wasm {

/// Appends JSON tokens to a string, inserting the commas. Strings must be valid UTF-8 (they all
/// come from validated input); only '"', '\\' and control characters are escaped.
class json_writer {
 public:
  json_writer& begin_object() { return open('{'); }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }
  json_writer& key(std::string_view k) {
    separate();
    quote(k);
    out_ += ':';
    first_ = true;
    return *this;
  }
  json_writer& value(std::string_view s) {
    separate();
    quote(s);
    return *this;
  }
  json_writer& value(const char* s) { return value(std::string_view(s)); }
  json_writer& value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
  }
  json_writer& value(std::int64_t i) {
    separate();
    out_ += std::to_string(i);
    return *this;
  }
  json_writer& value(std::uint64_t n) {
    separate();
    out_ += std::to_string(n);
    return *this;
  }
  /// Shortest round-trip form is not needed here: 17 significant digits read back exactly.
  /// Non-finite numbers are written as null. (printf is linked only where this is used.)
  json_writer& value(double d) {
    separate();
    if (!std::isfinite(d)) {
      out_ += "null";
    } else {
      char buf[32];
      const int n = std::snprintf(buf, sizeof buf, "%.17g", d);
      out_.append(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    }
    return *this;
  }
  json_writer& null() {
    separate();
    out_ += "null";
    return *this;
  }
  std::string take() { return std::move(out_); }

 private:
  json_writer& open(char c) {
    separate();
    out_ += c;
    first_ = true;
    return *this;
  }
  json_writer& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  void quote(std::string_view s) {
    out_ += '"';
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
      } else if (u < 0x20) {
        out_ += "\\u00";
        out_ += "0123456789abcdef"[u >> 4];
        out_ += "0123456789abcdef"[u & 15];
      } else {
        out_ += c;
      }
    }
    out_ += '"';
  }

  std::string out_;
  bool first_ = true;
};

}  // namespace cxm_wasm

#endif  // CXM_WASM_JSON_WRITER_HPP
