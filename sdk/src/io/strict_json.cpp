// SPDX-License-Identifier: MIT
// Strict JSON documents: Boost.JSON's SAX parser feeding a value_stack, plus the checks that
// Boost.JSON 1.81 lacks (duplicate keys silently keep the last; 1e309 becomes infinity).
#include "io/strict_json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

#include "io/utf8.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {
namespace {

namespace json = boost::json;
using json::error_code;
using json::string_view;

// Why a handler stopped the parse (the parser itself only sees a generic error).
enum class stop_reason { none, duplicate_key, not_finite };

class dom_handler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  json::value_stack st;
  stop_reason stop = stop_reason::none;
  std::string where;  // path of the offending key

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    if (keys_.size() <= depth_) keys_.emplace_back();
    keys_[depth_].clear();
    path_.emplace_back();
    ++depth_;
    return true;
  }
  bool on_object_end(std::size_t n, error_code&) {
    --depth_;
    path_.pop_back();
    st.push_object(n);
    return true;
  }
  bool on_array_begin(error_code&) {
    path_.emplace_back("[]");
    return true;
  }
  bool on_array_end(std::size_t n, error_code&) {
    path_.pop_back();
    st.push_array(n);
    return true;
  }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code& ec) {
    key_.append(s.data(), s.size());
    if (!keys_[depth_ - 1].insert(key_).second) {
      path_.back() = key_;
      stop = stop_reason::duplicate_key;
      where = current_path();
      ec = json::error::test_failure;
      return false;
    }
    path_.back() = key_;
    st.push_key(key_);
    key_.clear();
    return true;
  }
  bool on_string_part(string_view s, std::size_t, error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(string_view s, std::size_t, error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t i, string_view, error_code&) {
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, string_view, error_code&) {
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, string_view, error_code& ec) {
    if (!std::isfinite(d)) {
      stop = stop_reason::not_finite;
      where = current_path();
      ec = json::error::test_failure;
      return false;
    }
    st.push_double(d);
    return true;
  }
  bool on_bool(bool b, error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  std::string current_path() const {
    std::string p;
    for (const std::string& part : path_) {
      if (part.empty()) continue;
      if (part == "[]") { p += "[]"; continue; }
      if (!p.empty()) p += '.';
      p += part;
    }
    return p.empty() ? "(root)" : p;
  }

  std::vector<std::unordered_set<std::string>> keys_;  // keys seen per open object
  std::vector<std::string> path_;
  std::string key_;
  std::size_t depth_ = 0;
};

}  // namespace

result<json::value> parse_strict(std::string_view text, const json_limits& limits) {
  if (text.size() > limits.max_bytes)
    return {errc::too_large, "input of " + std::to_string(text.size()) + " bytes exceeds the " +
                                 std::to_string(limits.max_bytes) + "-byte limit"};
  json::parse_options opt;
  opt.max_depth = limits.max_depth;
  json::basic_parser<dom_handler> p(opt);
  p.handler().st.reset();
  error_code ec;
  const std::size_t used = p.write_some(false, text.data(), text.size(), ec);
  dom_handler& h = p.handler();
  if (h.stop == stop_reason::duplicate_key)
    return {errc::duplicate_key, h.where + ": duplicate key"};
  if (h.stop == stop_reason::not_finite)
    return {errc::not_finite, h.where + ": number is out of the range of a double"};
  if (ec == json::error::too_deep)
    return {errc::too_deep, "nesting deeper than " + std::to_string(limits.max_depth)};
  if (ec) {
    const std::size_t bad = first_invalid_utf8(text);
    if (bad < text.size()) return {errc::invalid_utf8, "invalid UTF-8 at byte " + std::to_string(bad)};
    return {errc::parse_error, ec.message() + " at byte " + std::to_string(used)};
  }
  if (used != text.size())
    return {errc::parse_error, "unexpected characters after the JSON value at byte " + std::to_string(used)};
  return h.st.release();
}

}  // namespace detail
CXM_END_NAMESPACE
