// SPDX-License-Identifier: MIT
// Internal: the one JSON writer of cxm, used by every encoder of the core and by the wasm
// bindings. It appends tokens to a string and inserts the commas; the text is byte for byte
// what Boost.JSON's serializer writes for the same values (the same escapes, the same number
// forms), so canonical encodings do not depend on which writer made them.
#ifndef CXM_SRC_IO_JSON_WRITER_HPP
#define CXM_SRC_IO_JSON_WRITER_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

class json_writer {
 public:
  json_writer() = default;
  /// Appends to `out` (reusing its capacity) instead of a string of its own.
  explicit json_writer(std::string& out) noexcept : out_(&out) {}

  json_writer& begin_object() { return open('{'); }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }
  json_writer& key(std::string_view k) {
    separate();
    quote(k);
    out_->push_back(':');
    first_ = true;
    return *this;
  }
  json_writer& value(std::string_view s) {
    separate();
    quote(s);
    return *this;
  }
  json_writer& value(const char* s) { return value(std::string_view(s)); }
  json_writer& value(const std::string& s) { return value(std::string_view(s)); }
  json_writer& value(bool b);
  json_writer& value(std::int64_t i);
  json_writer& value(std::uint64_t u);
  json_writer& value(int i) { return value(static_cast<std::int64_t>(i)); }
  json_writer& value(unsigned u) { return value(static_cast<std::uint64_t>(u)); }
  /// A finite double in Boost.JSON's shortest round-trip form ("2.5E-1"); use `number` for the
  /// integer form of whole values. Non-finite values are written as null.
  json_writer& value(double d);
  /// Whole values below 2^53 as integers, others as value(double): the numbers of cxm formats.
  json_writer& number(double d);
  json_writer& null();
  /// A value already encoded as JSON (a nested aggregate).
  json_writer& raw(std::string_view json);

  /// `key` then `value`.
  template <class T>
  json_writer& member(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  const std::string& str() const noexcept { return *out_; }
  std::string take() { return std::move(*out_); }

 private:
  json_writer& open(char c) {
    separate();
    out_->push_back(c);
    first_ = true;
    return *this;
  }
  json_writer& close(char c) {
    out_->push_back(c);
    first_ = false;
    return *this;
  }
  void separate() {
    if (!first_) out_->push_back(',');
    first_ = false;
  }
  void quote(std::string_view s);

  std::string own_;
  std::string* out_ = &own_;
  bool first_ = true;
};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_IO_JSON_WRITER_HPP
