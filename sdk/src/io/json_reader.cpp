// SPDX-License-Identifier: MIT
// The JSON reading machinery (json_reader.hpp): the only decoder code that touches Boost.JSON.
#include "io/json_reader.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <charconv>
#include <clocale>
#include <cstdlib>
#include <functional>
#include <vector>

#include "io/strict_json.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

namespace json = boost::json;

namespace {
const json::value& as(const void* p) noexcept { return *static_cast<const json::value*>(p); }
}  // namespace

// ---- json_path ------------------------------------------------------------------------------

std::string json_path::str() const {
  if (up_ == nullptr) return "(root)";
  std::string s = up_->up_ == nullptr ? std::string() : up_->str();
  if (is_index_) {
    s += '[';
    s += std::to_string(index_);
    s += ']';
  } else {
    if (!s.empty()) s += '.';
    s += key_;
  }
  return s;
}

// ---- json_value -----------------------------------------------------------------------------

bool json_value::is_null() const noexcept { return as(p_).is_null(); }
bool json_value::is_bool() const noexcept { return as(p_).is_bool(); }
bool json_value::is_string() const noexcept { return as(p_).is_string(); }
bool json_value::is_array() const noexcept { return as(p_).is_array(); }
bool json_value::is_object() const noexcept { return as(p_).is_object(); }
bool json_value::is_number() const noexcept { return as(p_).is_number(); }
bool json_value::is_int64() const noexcept { return as(p_).is_int64(); }
bool json_value::is_uint64() const noexcept { return as(p_).is_uint64(); }
bool json_value::is_double() const noexcept { return as(p_).is_double(); }

const char* json_value::type_name() const noexcept {
  switch (as(p_).kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

bool json_value::get_bool() const noexcept { return as(p_).get_bool(); }
std::string_view json_value::get_string() const noexcept {
  const json::string& s = as(p_).get_string();
  return {s.data(), s.size()};
}
std::int64_t json_value::get_int64() const noexcept { return as(p_).get_int64(); }
std::uint64_t json_value::get_uint64() const noexcept { return as(p_).get_uint64(); }
double json_value::get_number() const noexcept {
  const json::value& v = as(p_);
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

std::size_t json_value::size() const noexcept {
  const json::value& v = as(p_);
  if (const json::array* a = v.if_array()) return a->size();
  if (const json::object* o = v.if_object()) return o->size();
  return 0;
}
json_value json_value::at(std::size_t i) const noexcept { return json_value(&as(p_).get_array()[i]); }
std::string_view json_value::key_at(std::size_t i) const noexcept {
  const auto& kv = *(as(p_).get_object().begin() + static_cast<std::ptrdiff_t>(i));
  return {kv.key().data(), kv.key().size()};
}
json_value json_value::value_at(std::size_t i) const noexcept {
  return json_value(&(as(p_).get_object().begin() + static_cast<std::ptrdiff_t>(i))->value());
}
json_value json_value::find(std::string_view key) const noexcept {
  const json::object* o = as(p_).if_object();
  if (o == nullptr) return {};
  return json_value(o->if_contains(json::string_view(key.data(), key.size())));
}

// ---- messages -------------------------------------------------------------------------------

std::string quoted(std::string_view s) {
  std::string out = "\"";
  std::size_t n = 0;
  for (char c : s) {
    if (++n > 64) {
      out += "...";
      break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out += "0123456789abcdef"[u >> 4];
      out += "0123456789abcdef"[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// ---- exact numbers -------------------------------------------------------------------------

namespace {

// The text of a JSON number to the nearest double. from_chars refuses a result out of range
// (1e-400, 1.8e308); strtod returns 0 or infinity for it.
// strtod rounds correctly (glibc, musl, Apple, bionic) but honours LC_NUMERIC's decimal point.
bool strtod_exact(std::string_view text, double& out) {
  std::string s(text);
  const char point = *std::localeconv()->decimal_point;
  for (char& c : s)
    if (c == '.') c = point;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

bool text_to_double(std::string_view text, double& out) {
#if defined(__GLIBCXX__) && defined(__cpp_lib_to_chars)
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  // 1e-400 is valid JSON whose nearest double is 0 (or a subnormal): from_chars reports it out
  // of range, strtod gives the correctly rounded value, as in the wasm build. (Overflow cannot
  // reach here: the strict parser refuses non-finite numbers.)
  if (r.ec == std::errc::result_out_of_range) return strtod_exact(text, out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
#else
  return strtod_exact(text, out);
#endif
}

// A number text found by the second pass of parse_exact: its ordinal among all the numbers of
// the document, in document order, and where its text is.
struct number_text {
  std::size_t ordinal;
  std::size_t begin;
  std::size_t size;
};

// The second pass of parse_exact: the text of each number whose double get_number() may get
// wrong.
class number_text_handler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  std::string texts;
  std::vector<number_text> found;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(std::size_t, json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_number_part(json::string_view s, json::error_code&) {
    part_.append(s.data(), s.size());
    return true;
  }
  // Integers convert exactly, except "-0", which is the integer 0.
  bool on_int64(std::int64_t i, json::string_view s, json::error_code&) {
    part_.append(s.data(), s.size());
    return done(i == 0 && part_[0] == '-');
  }
  bool on_uint64(std::uint64_t, json::string_view s, json::error_code&) {
    part_.append(s.data(), s.size());
    return done(false);
  }
  bool on_double(double, json::string_view s, json::error_code&) {
    part_.append(s.data(), s.size());
    return done(true);
  }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  bool done(bool keep) {
    if (keep) {
      found.push_back({ordinal_, texts.size(), part_.size()});
      texts += part_;
    }
    part_.clear();
    ++ordinal_;
    return true;
  }
  std::string part_;
  std::size_t ordinal_ = 0;
};

}  // namespace

// ---- json_reader ----------------------------------------------------------------------------

struct json_reader::impl {
  json::value doc;
  // After parse_exact: the numbers whose double needs their text (see exact_number), sorted by
  // the address of their value in `doc`; `begin` and `size` locate the text in `texts`.
  struct exact_text {
    const void* value;
    std::size_t begin;
    std::size_t size;
  };
  std::string texts;
  std::vector<exact_text> exact;

  void index_numbers(const json::value& v, const std::vector<number_text>& found, std::size_t& ordinal,
                     std::size_t& next);
};

json_reader::json_reader() : impl_(std::make_unique<impl>()) {}
json_reader::~json_reader() = default;

bool json_reader::parse(std::string_view text, std::size_t max_bytes, std::size_t max_depth) {
  impl_->exact.clear();  // addresses into the previous document
  impl_->texts.clear();
  json_limits limits;
  limits.max_bytes = max_bytes;
  limits.max_depth = max_depth;
  auto parsed = parse_strict(text, limits);
  if (!parsed) {
    code_ = parsed.code();
    detail_ = parsed.detail();
    return false;
  }
  impl_->doc = std::move(parsed).value();
  return true;
}

json_value json_reader::root() const noexcept { return json_value(&impl_->doc); }

bool json_reader::fail(errc code, const json_path& at, std::initializer_list<std::string_view> reason) {
  if (code_ != errc::ok) return false;  // the first error wins
  code_ = code;
  detail_ = at.str();
  detail_ += ": ";
  for (std::string_view r : reason) detail_ += r;
  return false;
}

bool json_reader::expected(json_value v, const json_path& at, std::string_view what) {
  return fail(errc::wrong_type, at, {"expected ", what, ", got ", v.type_name()});
}

bool json_reader::object(json_value v, const json_path& at) { return v.is_object() || expected(v, at, "an object"); }
bool json_reader::array(json_value v, const json_path& at) { return v.is_array() || expected(v, at, "an array"); }

bool json_reader::list(json_value v, const json_path& at, std::size_t max, std::string_view what) {
  if (!array(v, at)) return false;
  if (v.size() == 0) return fail(errc::missing_field, at, {"must list at least one ", what});
  if (v.size() > max)
    return fail(errc::too_large, at, {std::to_string(v.size()), " entries, over the limit of ", std::to_string(max)});
  return true;
}

bool json_reader::only_keys(json_value o, const json_path& at, std::initializer_list<std::string_view> allowed) {
  for (std::size_t i = 0; i < o.size(); ++i) {
    const std::string_view key = o.key_at(i);
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      return unknown_key(at, key, allowed.begin(), allowed.size());
  }
  return true;
}

bool json_reader::unknown_key(const json_path& at, std::string_view key, const std::string_view* allowed,
                              std::size_t n) {
  std::string list;
  for (std::size_t i = 0; i < n; ++i) {
    if (!list.empty()) list += ", ";
    list += allowed[i];
  }
  return fail(errc::invalid_argument, at, {"unknown field ", quoted(key), " (expected one of: ", list, ")"});
}

json_value json_reader::field(json_value o, std::string_view key, const json_path& at, bool required) {
  const json_value v = o.find(key);
  if (!v && required) fail(errc::missing_field, at.member(key), {"missing"});
  return v;
}

bool json_reader::string(json_value v, const json_path& at, std::string_view& out) {
  if (!v.is_string()) return expected(v, at, "a string");
  out = v.get_string();
  return true;
}

bool json_reader::string(json_value v, const json_path& at, std::string& out) {
  std::string_view s;
  if (!string(v, at, s)) return false;
  out.assign(s);
  return true;
}

bool json_reader::boolean(json_value v, const json_path& at, bool& out) {
  if (!v.is_bool()) return expected(v, at, "true or false");
  out = v.get_bool();
  return true;
}

bool json_reader::integer(json_value v, const json_path& at, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
  const auto range = [&] { return std::to_string(lo) + "-" + std::to_string(hi); };
  if (v.is_int64()) {
    out = v.get_int64();
    if (out >= lo && out <= hi) return true;
    return fail(errc::out_of_range, at, {"expected an integer ", range(), ", got ", std::to_string(out)});
  }
  if (v.is_uint64()) return fail(errc::out_of_range, at, {"expected an integer ", range(), ", got a larger one"});
  if (v.is_double()) return fail(errc::not_integer, at, {"expected an integer ", range(), ", got a fraction"});
  return fail(errc::wrong_type, at, {"expected an integer ", range(), ", got ", v.type_name()});
}

bool json_reader::integer(json_value v, const json_path& at, int lo, int hi, int& out) {
  std::int64_t x = 0;
  if (!integer(v, at, std::int64_t{lo}, std::int64_t{hi}, x)) return false;
  out = static_cast<int>(x);
  return true;
}

bool json_reader::count(json_value v, const json_path& at, std::uint64_t& out) {
  static constexpr std::string_view what = "expected a count (an integer >= 0), got ";
  if (v.is_uint64()) {
    out = v.get_uint64();
    return true;
  }
  if (v.is_int64()) {
    if (v.get_int64() < 0) return fail(errc::out_of_range, at, {what, std::to_string(v.get_int64())});
    out = static_cast<std::uint64_t>(v.get_int64());
    return true;
  }
  if (v.is_double()) return fail(errc::not_integer, at, {what, "a fraction"});
  return fail(errc::wrong_type, at, {what, v.type_name()});
}

bool json_reader::number(json_value v, const json_path& at, double& out) {
  if (!v.is_number()) return expected(v, at, "a number");
  out = v.get_number();
  return true;
}

// Pairs the numbers of `v`, visited in document order (objects keep it: duplicate keys are
// refused), with the `found` texts of the same ordinals, and records their addresses.
void json_reader::impl::index_numbers(const json::value& v, const std::vector<number_text>& found,
                                      std::size_t& ordinal, std::size_t& next) {
  if (next == found.size()) return;
  switch (v.kind()) {
    case json::kind::object:
      for (const auto& kv : v.get_object()) index_numbers(kv.value(), found, ordinal, next);
      break;
    case json::kind::array:
      for (const json::value& e : v.get_array()) index_numbers(e, found, ordinal, next);
      break;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      if (found[next].ordinal == ordinal) {
        exact.push_back({&v, found[next].begin, found[next].size});
        ++next;
      }
      ++ordinal;
      break;
    default:
      break;
  }
}

bool json_reader::parse_exact(std::string_view text, std::size_t max_bytes, std::size_t max_depth) {
  if (!parse(text, max_bytes, max_depth)) return false;
  json::parse_options opt;
  opt.max_depth = max_depth;
  json::basic_parser<number_text_handler> p(opt);
  json::error_code ec;
  p.write_some(false, text.data(), text.size(), ec);
  // The strict parse accepted the same text under the same options.
  if (ec) return fail(errc::internal, json_path(), {"re-reading numbers: ", ec.message()});
  number_text_handler& h = p.handler();
  impl_->texts = std::move(h.texts);
  std::size_t ordinal = 0, next = 0;
  impl_->index_numbers(impl_->doc, h.found, ordinal, next);
  std::sort(impl_->exact.begin(), impl_->exact.end(),
            [](const impl::exact_text& a, const impl::exact_text& b) { return std::less<>()(a.value, b.value); });
  return true;
}

bool json_reader::exact_number(json_value v, const json_path& at, double& out) {
  if (!v.is_number()) return expected(v, at, "a number");
  const auto& exact = impl_->exact;
  const auto it = std::lower_bound(exact.begin(), exact.end(), v.p_, [](const impl::exact_text& e, const void* p) {
    return std::less<>()(e.value, p);
  });
  if (it == exact.end() || it->value != v.p_) {
    out = v.get_number();
    return true;
  }
  if (!text_to_double(std::string_view(impl_->texts).substr(it->begin, it->size), out))
    return fail(errc::internal, at, {"unreadable number"});
  return true;
}

// The messages and codes every cxm decoder has given since version 1 of its format (tests and
// the shared invalid-definitions table pin them).
bool json_reader::header(json_value root, std::string_view format, int version) {
  const json_path at;
  if (!object(root, at)) return false;
  const json_path f_at = at.member("format"), v_at = at.member("version");
  const json_value f = field(root, "format", at);
  if (!f) return false;
  if (!f.is_string()) return fail(errc::wrong_type, f_at, {"expected a string"});
  if (f.get_string() != format)
    return fail(errc::incompatible, f_at, {"expected \"", format, "\", got \"", f.get_string(), "\""});
  const json_value v = field(root, "version", at);
  if (!v) return false;
  if (!v.is_int64()) return fail(v.is_double() ? errc::not_integer : errc::wrong_type, v_at, {"expected an integer"});
  const std::int64_t n = v.get_int64();
  if (n < -1000000 || n > 1000000) return fail(errc::out_of_range, v_at, {"integer out of range"});
  if (n != version)
    return fail(errc::unsupported_version, v_at,
                {std::to_string(n), " is not supported (this build reads version ", std::to_string(version), ")"});
  return true;
}

}  // namespace detail
CXM_END_NAMESPACE
