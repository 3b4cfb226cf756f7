// SPDX-License-Identifier: MIT
// Internal: what the two JSON Lines readers (responses, journey events) share below their
// fields: the Boost.JSON SAX parser and the handler base it drives. The base joins keys and
// strings that arrive in parts, keeps every string as a view into the line when it can (an
// arena holds those the parser had to unescape), skips the values of unknown fields (and any
// value a reader chooses to skip) while still refusing numbers outside double range inside
// them, refuses repeated unknown keys, and turns a handler's refusal into the parser's stop.
// A reader's handler derives from record_handler_base<Handler> (CRTP: no virtual call per
// token) and sees only cxm types.
#ifndef CXM_SRC_IO_JSONL_RECORD_HPP
#define CXM_SRC_IO_JSONL_RECORD_HPP

#include <boost/json/basic_parser_impl.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/status.hpp"
#include "io/jsonl_lines.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// A string the parser saw: a view into the line (data != nullptr), or a range of the arena.
struct text_ref {
  const char* data = nullptr;
  std::size_t offset = 0;
  std::size_t size = 0;
};

/// The SAX handler base. Derived implements, each returning false (after fail()) to reject
/// the line:
///   object_begin(), object_end(), array_begin(), array_end(std::size_t n), key(text_ref),
///   string(text_ref), integer(std::int64_t), unsigned_integer(std::uint64_t), number(double)
///   (finite, written with a fraction or exponent), boolean(bool), null(), not_finite() (always
///   fails, naming where), skipped() (a value skipped with skip() ended; return value ignored).
template <class Derived>
class record_handler_base {
 public:
  // Boost.JSON's handler requirements: no limits here, the line size bounds everything.
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = 1024;
  static constexpr std::size_t max_string_size = std::size_t(-1);

  // Why the line was refused (errc::ok while it is fine): read by jsonl_lines::parse.
  errc error = errc::ok;
  std::string error_field;
  const char* error_reason = "";

  std::string_view view(const text_ref& t) const noexcept {
    return t.data != nullptr ? std::string_view(t.data, t.size) : std::string_view(arena_.data() + t.offset, t.size);
  }

  // ---- the Boost.JSON SAX interface ----
  using error_code = boost::json::error_code;
  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code& ec) {
    if (skip_ > 0) { ++skip_; return true; }
    return done(derived().object_begin(), ec);
  }
  bool on_object_end(std::size_t, error_code& ec) {
    if (skip_ > 0) return end_skipped();
    return done(derived().object_end(), ec);
  }
  bool on_array_begin(error_code& ec) {
    if (skip_ > 0) { ++skip_; return true; }
    return done(derived().array_begin(), ec);
  }
  bool on_array_end(std::size_t n, error_code& ec) {
    if (skip_ > 0) return end_skipped();
    return done(derived().array_end(n), ec);
  }
  bool on_key_part(boost::json::string_view s, std::size_t, error_code&) {
    append_part(s);
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, error_code& ec) {
    if (skip_ > 0) { parts_.clear(); in_parts_ = false; return true; }
    return done(derived().key(finish_text(s)), ec);
  }
  bool on_string_part(boost::json::string_view s, std::size_t, error_code&) {
    if (skip_ == 0) append_part(s);
    return true;
  }
  bool on_string(boost::json::string_view s, std::size_t, error_code& ec) {
    if (skip_ > 0) return true;
    return done(derived().string(finish_text(s)), ec);
  }
  bool on_number_part(boost::json::string_view, error_code&) { return true; }
  bool on_int64(std::int64_t i, boost::json::string_view, error_code& ec) {
    return skip_ > 0 || done(derived().integer(i), ec);
  }
  bool on_uint64(std::uint64_t u, boost::json::string_view, error_code& ec) {
    return skip_ > 0 || done(derived().unsigned_integer(u), ec);
  }
  bool on_double(double d, boost::json::string_view, error_code& ec) {
    // Anywhere in the record, skipped values too: such a line is not JSON every reader can hold
    // (Boost.JSON reads 1e309 as infinity).
    if (!std::isfinite(d)) return done(derived().not_finite(), ec);
    return skip_ > 0 || done(derived().number(d), ec);
  }
  bool on_bool(bool b, error_code& ec) { return skip_ > 0 || done(derived().boolean(b), ec); }
  bool on_null(error_code& ec) { return skip_ > 0 || done(derived().null(), ec); }
  bool on_comment_part(boost::json::string_view, error_code&) { return true; }
  bool on_comment(boost::json::string_view, error_code&) { return true; }

 protected:
  /// Resets the base for a new line (Derived's start calls it first).
  void start_line(std::string_view line) {
    line_begin_ = line.data();
    line_end_ = line.data() + line.size();
    error = errc::ok;
    error_field.clear();
    error_reason = "";
    arena_.clear();
    parts_.clear();
    in_parts_ = false;
    skip_ = 0;
    unknown_keys_.clear();
    unknown_key_ = {};
  }
  /// Records why the line is refused; returns false for the caller to return.
  bool fail(errc code, std::string where, const char* reason) {
    error = code;
    error_field = std::move(where);
    error_reason = reason;
    return false;
  }
  /// Skips the object or array whose begin is being handled; skipped() is called when it ends.
  void skip() noexcept { skip_ = 1; }
  /// An unknown field's key: refused when it appeared before in this object; remembered to
  /// name the field in errors.
  bool unknown_key(text_ref k) {
    const std::string_view key = view(k);
    for (const text_ref& u : unknown_keys_)
      if (view(u) == key) return fail(errc::duplicate_key, std::string(key), "the key appears twice");
    unknown_keys_.push_back(k);
    unknown_key_ = k;
    return true;
  }
  /// The last unknown field, for error paths.
  std::string_view unknown_field() const noexcept { return view(unknown_key_); }

 private:
  Derived& derived() noexcept { return static_cast<Derived&>(*this); }
  [[gnu::always_inline]] bool done(bool ok, error_code& ec) {
    if (!ok) ec = boost::json::error::test_failure;
    return ok;
  }
  bool end_skipped() {
    if (--skip_ == 0) (void)derived().skipped();
    return true;
  }
  void append_part(boost::json::string_view s) {
    if (!in_parts_) { parts_.clear(); in_parts_ = true; }
    parts_.append(s.data(), s.size());
  }
  // The final piece of a key or string: a view when it lies in the line, else a copy.
  [[gnu::always_inline]] text_ref finish_text(boost::json::string_view s) {
    if (!in_parts_ && s.data() >= line_begin_ && s.data() + s.size() <= line_end_) return {s.data(), 0, s.size()};
    text_ref t;
    t.offset = arena_.size();
    if (in_parts_) arena_ += parts_;
    arena_.append(s.data(), s.size());
    t.size = arena_.size() - t.offset;
    parts_.clear();
    in_parts_ = false;
    return t;
  }

  const char* line_begin_ = nullptr;
  const char* line_end_ = nullptr;
  std::string arena_;
  std::string parts_;
  bool in_parts_ = false;
  int skip_ = 0;  // > 0 while inside a skipped value
  std::vector<text_ref> unknown_keys_;
  text_ref unknown_key_;
};

/// One record per line: the SAX parser (nesting at most 16) over a handler, fed by the line
/// machinery of jsonl_lines.
template <class Handler>
class jsonl_parser {
 public:
  jsonl_parser() : parser_(options()) {}
  Handler& handler() noexcept { return parser_.handler(); }
  const Handler& handler() const noexcept { return parser_.handler(); }
  /// See jsonl_lines::parse; `start(handler, line)` prepares the handler.
  template <class Stats, class Start>
  std::uint64_t parse(jsonl_lines<Stats>& lines, std::string_view line, Start&& start) {
    return lines.parse(line, parser_, start);
  }

 private:
  static boost::json::parse_options options() {
    boost::json::parse_options p;
    p.max_depth = 16;
    return p;
  }
  boost::json::basic_parser<Handler> parser_;
};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_IO_JSONL_RECORD_HPP
