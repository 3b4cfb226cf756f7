// SPDX-License-Identifier: MIT
// Internal: the one JSON reading machinery of cxm's decoders (aggregates, definitions,
// answers). It parses strictly (strict_json.hpp: duplicate keys, non-finite numbers, size and
// depth are errors), hands out read-only `json_value`s so that no other module sees Boost.JSON,
// tracks the path of every value, and applies one decoding policy:
//
// - a versioned format starts with "format" and "version": another format is
//   `incompatible`, another version `unsupported_version`;
// - unknown keys are errors that name the key and list the known ones (a writer that adds a
//   key bumps the version, so an unknown key means a newer or a foreign document). The JSON
//   Lines records are the one exception, for forward compatibility: their readers ignore
//   unknown fields (survey/response.hpp, journey/event.hpp);
// - the first error wins, as "<path>: <reason>", e.g. `questions[1].show_if.question: unknown
//   question "npss"`; decoding stops there.
#ifndef CXM_SRC_IO_JSON_READER_HPP
#define CXM_SRC_IO_JSON_READER_HPP

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "cxm/core/limits.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// A position in a document. Built on the stack as a decoder descends; its text
/// ("questions[1].show_if") is made only when an error is reported. A path points to its
/// parent: name each level (`const json_path at = root.member("x");`), never chain members on a
/// temporary (`json_path().member("x")` points to a destroyed object).
class json_path {
 public:
  json_path() noexcept = default;  // the root
  json_path member(std::string_view key) const noexcept { return {this, key, 0, false}; }
  json_path element(std::size_t index) const noexcept { return {this, {}, index, true}; }
  /// "(root)", "questions[1].show_if".
  std::string str() const;

 private:
  json_path(const json_path* up, std::string_view key, std::size_t index, bool is_index) noexcept
      : up_(up), key_(key), index_(index), is_index_(is_index) {}
  const json_path* up_ = nullptr;
  std::string_view key_;
  std::size_t index_ = 0;
  bool is_index_ = false;
};

/// A read-only view of one value of a parsed document (or of nothing: !present()).
class json_value {
 public:
  json_value() noexcept = default;
  bool present() const noexcept { return p_ != nullptr; }
  explicit operator bool() const noexcept { return present(); }

  bool is_null() const noexcept;
  bool is_bool() const noexcept;
  bool is_string() const noexcept;
  bool is_array() const noexcept;
  bool is_object() const noexcept;
  bool is_number() const noexcept;
  bool is_int64() const noexcept;   ///< an integer that fits int64
  bool is_uint64() const noexcept;  ///< an integer above INT64_MAX
  bool is_double() const noexcept;  ///< written with a fraction or an exponent
  /// "null", "a boolean", "a number", "a string", "an array", "an object".
  const char* type_name() const noexcept;

  bool get_bool() const noexcept;
  std::string_view get_string() const noexcept;
  std::int64_t get_int64() const noexcept;
  std::uint64_t get_uint64() const noexcept;
  /// Any number as a double.
  double get_number() const noexcept;

  /// Arrays and objects: the number of elements or members.
  std::size_t size() const noexcept;
  /// Array element `i` (i < size()).
  json_value at(std::size_t i) const noexcept;
  /// Object member `i` in document order (i < size()).
  std::string_view key_at(std::size_t i) const noexcept;
  json_value value_at(std::size_t i) const noexcept;
  /// The member `key` of an object, or an absent value.
  json_value find(std::string_view key) const noexcept;

 private:
  friend class json_reader;
  explicit json_value(const void* p) noexcept : p_(p) {}
  const void* p_ = nullptr;
};

/// `s` in double quotes for an error message: control characters and quotes escaped, long
/// strings cut (messages must stay short and printable whatever the input held).
std::string quoted(std::string_view s);

/// A decoder's state: the parsed document and the first error (see the file comment).
class json_reader {
 public:
  json_reader();
  ~json_reader();
  json_reader(const json_reader&) = delete;
  json_reader& operator=(const json_reader&) = delete;

  /// Parses `text`; false (with the error kept) when it is not one strict JSON document within
  /// the limits: too_large, too_deep, parse_error, invalid_utf8, duplicate_key, not_finite.
  bool parse(std::string_view text, std::size_t max_bytes, std::size_t max_depth);
  /// parse() with a format's declared limits.
  bool parse(std::string_view text, json_limits limits) { return parse(text, limits.max_bytes, limits.max_depth); }
  json_value root() const noexcept;

  bool ok() const noexcept { return code_ == errc::ok; }
  errc code() const noexcept { return code_; }
  const std::string& detail() const noexcept { return detail_; }
  /// The error as a result of any type.
  template <class T>
  result<T> error() const {
    return {code_, detail_};
  }

  /// Records "<at>: <reason...>" (when no error is recorded yet); returns false.
  bool fail(errc code, const json_path& at, std::initializer_list<std::string_view> reason);
  /// "expected <what>, got <v's type>" as wrong_type.
  bool expected(json_value v, const json_path& at, std::string_view what);

  // Structure. Each checks and reports, returning false on error.
  bool object(json_value v, const json_path& at);
  /// The members of a JSON object used as a map: checks that `v` is an object, then calls
  /// f(key, value, path of the value) for each member in document order, stopping at the first
  /// false. Nested maps (touchpoint -> channel -> counts) nest calls.
  template <class F>
  bool members(json_value v, const json_path& at, F&& f) {
    if (!object(v, at)) return false;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string_view key = v.key_at(i);
      const json_path p = at.member(key);
      if (!f(key, v.value_at(i), p)) return false;
    }
    return true;
  }
  bool array(json_value v, const json_path& at);
  /// An array of 1..max elements.
  bool list(json_value v, const json_path& at, std::size_t max, std::string_view what);
  /// Every key of object `o` is one of `allowed` (the unknown-key policy).
  bool only_keys(json_value o, const json_path& at, std::initializer_list<std::string_view> allowed);
  /// The unknown-key error of only_keys for `key` of the object at `at`, for a decoder that
  /// meets the keys one at a time while reading the members in document order (so that an
  /// error in an earlier member wins): "unknown field "k" (expected one of: a, b)".
  bool unknown_key(const json_path& at, std::string_view key, const std::string_view* allowed, std::size_t n);
  /// The member `key` of object `o`; when `required`, absence is missing_field.
  json_value field(json_value o, std::string_view key, const json_path& at, bool required = true);
  /// "format" is `format` (else incompatible: "format: expected \"cxm.x\", got \"cxm.y\"") and
  /// "version" is `version` (else unsupported_version: "version: 2 is not supported (this build
  /// reads version 1)"); a version that is not an integer is wrong_type (not_integer for a
  /// fraction), one outside -10^6..10^6 out_of_range.
  bool header(json_value root, std::string_view format, int version);

  // Scalars.
  bool string(json_value v, const json_path& at, std::string_view& out);
  bool string(json_value v, const json_path& at, std::string& out);
  bool boolean(json_value v, const json_path& at, bool& out);
  /// An integer in [lo, hi].
  bool integer(json_value v, const json_path& at, std::int64_t lo, std::int64_t hi, std::int64_t& out);
  bool integer(json_value v, const json_path& at, int lo, int hi, int& out);
  /// A count: an unsigned 64-bit integer.
  bool count(json_value v, const json_path& at, std::uint64_t& out);
  /// A finite number (the parser already refuses others).
  bool number(json_value v, const json_path& at, double& out);

  // Required members: field() then the scalar check.
  template <class T>
  bool string_field(json_value o, const json_path& at, std::string_view key, T& out) {
    const json_value v = field(o, key, at);
    return v && string(v, at.member(key), out);
  }
  bool count_field(json_value o, const json_path& at, std::string_view key, std::uint64_t& out) {
    const json_value v = field(o, key, at);
    return v && count(v, at.member(key), out);
  }
  template <class Int>
  bool integer_field(json_value o, const json_path& at, std::string_view key, Int lo, Int hi, Int& out) {
    const json_value v = field(o, key, at);
    return v && integer(v, at.member(key), lo, hi, out);
  }
  bool boolean_field(json_value o, const json_path& at, std::string_view key, bool& out) {
    const json_value v = field(o, key, at);
    return v && boolean(v, at.member(key), out);
  }

  // Exact numbers. Boost.JSON 1.81 converts decimal text to double up to an ulp or two off
  // (about one value in ten) and reads "-0" as the integer 0, so a format whose doubles must
  // round-trip bit for bit (the duration sketch) parses with parse_exact and reads them with
  // exact_number.

  /// parse(), then a second pass over `text` that keeps a copy of the text of every number
  /// read as a double (a fraction, an exponent or over 64 bits) and of every "-0". Costs a second parse without a DOM.
  bool parse_exact(std::string_view text, std::size_t max_bytes, std::size_t max_depth);
  bool parse_exact(std::string_view text, json_limits limits) {
    return parse_exact(text, limits.max_bytes, limits.max_depth);
  }
  /// A number as a double rounded correctly from its text, the sign of -0 kept (after
  /// parse_exact; otherwise as `number`). With libstdc++ (from_chars) a number whose rounding
  /// is out of range (1e-400) is `internal`: "unreadable number"; elsewhere (strtod) it reads
  /// as 0 or infinity.
  bool exact_number(json_value v, const json_path& at, double& out);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  errc code_ = errc::ok;
  std::string detail_;
};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_IO_JSON_READER_HPP
