// SPDX-License-Identifier: MIT
// JSON form of duration_sketch (format in cxm/sketch/duration_sketch_codec.hpp, version 1).
#include <boost/json/array.hpp>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cfloat>
#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <initializer_list>
#include <string>
#include <vector>

#include "cxm/sketch/duration_sketch_codec.hpp"
#include "io/strict_json.hpp"

CXM_BEGIN_NAMESPACE
namespace {

namespace json = boost::json;

constexpr const char* format_name = "cxm.duration_sketch";
constexpr std::size_t max_json_bytes = std::size_t{8} << 20;

// Whole numbers below 2^53 as integers (exact, and what people write); others as doubles,
// which Boost.JSON prints in the shortest form that reads back to the same value.
json::value number(double d) {
  if (d >= 0.0 && d < 0x1p53 && std::floor(d) == d) return static_cast<std::uint64_t>(d);
  return d;
}

// ---- exact reading of numbers ----
//
// Boost.JSON 1.81 converts decimal text to double with an error of up to an ulp or two (about
// one value in ten off by an ulp in our tests), so the few floating-point fields are read again
// from their text with a correctly rounding conversion.

bool text_to_double(std::string_view text, double& out) {
#if defined(__GLIBCXX__) && defined(__cpp_lib_to_chars)
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return r.ec == std::errc() && r.ptr == text.data() + text.size();
#else
  // strtod rounds correctly (glibc, musl, Apple, bionic) but honours LC_NUMERIC's decimal point.
  std::string s(text);
  const char point = *std::localeconv()->decimal_point;
  for (char& c : s)
    if (c == '.') c = point;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
#endif
}

// Captures the source text of every number that is a direct member of the root object.
class number_text_handler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  std::vector<std::pair<std::string, std::string>> numbers;  // key, text

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { ++depth_; return true; }
  bool on_object_end(std::size_t, json::error_code&) { --depth_; return true; }
  bool on_array_begin(json::error_code&) { ++depth_; return true; }
  bool on_array_end(std::size_t, json::error_code&) { --depth_; return true; }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key_part_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    key_part_.append(s.data(), s.size());
    if (depth_ == 1) key_ = key_part_;
    key_part_.clear();
    return true;
  }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t, json::string_view s, json::error_code&) { return number(s); }
  bool on_uint64(std::uint64_t, json::string_view s, json::error_code&) { return number(s); }
  bool on_double(double, json::string_view s, json::error_code&) { return number(s); }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  bool number(json::string_view s) {
    number_.append(s.data(), s.size());
    if (depth_ == 1) numbers.emplace_back(key_, number_);
    number_.clear();
    return true;
  }
  int depth_ = 0;
  std::string key_, key_part_, number_;
};

// Reads the root-level number `key` exactly. `nullable`: null is allowed and leaves `is_null`.
errc read_double(const json::object& root, const number_text_handler& texts, std::string_view key,
                 bool nullable, double& out, bool& is_null, std::string& detail) {
  const json::value* v = root.if_contains(json::string_view(key.data(), key.size()));
  is_null = false;
  if (v == nullptr) { detail = std::string(key) + ": missing"; return errc::missing_field; }
  if (v->is_null() && nullable) { is_null = true; return errc::ok; }
  if (!v->is_number()) {
    detail = std::string(key) + (nullable ? ": expected a number or null" : ": expected a number");
    return errc::wrong_type;
  }
  for (const auto& [k, text] : texts.numbers) {
    if (k == key && text_to_double(text, out)) return errc::ok;
  }
  detail = std::string(key) + ": unreadable number";
  return errc::internal;
}

errc read_u64_field(const json::object& obj, std::string_view key, std::string_view path, std::uint64_t& out,
                    std::string& detail) {
  const json::value* v = obj.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr) { detail = std::string(path) + ": missing"; return errc::missing_field; }
  return detail::get_u64(*v, path, out, detail);
}

errc read_i32_field(const json::object& obj, std::string_view key, std::string_view path, std::int32_t& out,
                    std::string& detail) {
  const json::value* v = obj.if_contains(json::string_view(key.data(), key.size()));
  if (v == nullptr) { detail = std::string(path) + ": missing"; return errc::missing_field; }
  if (const std::int64_t* i = v->if_int64()) {
    if (*i >= INT32_MIN && *i <= INT32_MAX) { out = static_cast<std::int32_t>(*i); return errc::ok; }
  } else if (!v->is_uint64()) {
    detail = std::string(path) + ": expected an integer";
    return v->is_double() ? errc::not_integer : errc::wrong_type;
  }
  detail = std::string(path) + ": integer out of range";
  return errc::out_of_range;
}

errc check_keys(const json::object& obj, std::initializer_list<std::string_view> allowed, std::string_view prefix,
                std::string& detail) {
  for (const auto& kv : obj) {
    const std::string_view k(kv.key().data(), kv.key().size());
    bool known = false;
    for (std::string_view a : allowed) known = known || a == k;
    if (!known) {
      detail = std::string(prefix) + std::string(k) + ": unknown field";
      return errc::invalid_argument;
    }
  }
  return errc::ok;
}

}  // namespace

std::string to_json(const duration_sketch& sketch) {
  json::object o;
  o["format"] = format_name;
  o["version"] = duration_sketch_json_version;
  o["scale"] = sketch.scale();
  o["max_buckets"] = sketch.max_buckets();
  o["zero_threshold"] = number(sketch.zero_threshold());
  o["count"] = sketch.count();
  o["sum"] = number(sketch.sum());
  o["min"] = sketch.empty() ? json::value(nullptr) : number(sketch.min());
  o["max"] = sketch.empty() ? json::value(nullptr) : number(sketch.max());
  o["zero_count"] = sketch.zero_count();
  json::array counts;
  counts.reserve(sketch.bucket_count());
  sketch.for_each_bucket([&counts](std::int32_t, std::uint64_t c) { counts.push_back(c); });
  o["positive"] = json::object{{"offset", sketch.offset()}, {"counts", std::move(counts)}};
  json::object rejected;
  for (std::size_t i = 0; i < duration_sketch::rejected_reasons.size(); ++i)
    rejected[name(duration_sketch::rejected_reasons[i])] = sketch.rejected_counts()[i];
  o["rejected"] = std::move(rejected);
  return json::serialize(o);
}

result<duration_sketch> duration_sketch_from_json(std::string_view text) {
  detail::json_limits limits;
  limits.max_bytes = max_json_bytes;
  auto parsed = detail::parse_strict(text, limits);
  if (!parsed) return {parsed.code(), parsed.detail()};
  const json::object* root = parsed.value().if_object();
  if (root == nullptr) return {errc::wrong_type, "(root): expected an object"};
  std::string detail;
  if (errc e = detail::check_header(*root, format_name, duration_sketch_json_version, detail); e != errc::ok)
    return {e, detail};
  if (errc e = check_keys(*root,
                          {"format", "version", "scale", "max_buckets", "zero_threshold", "count", "sum", "min",
                           "max", "zero_count", "positive", "rejected"},
                          "", detail);
      e != errc::ok)
    return {e, detail};

  // The same text parsed again, for the exact value of each floating-point field.
  json::basic_parser<number_text_handler> p(json::parse_options{});
  json::error_code ec;
  p.write_some(false, text.data(), text.size(), ec);
  if (ec) return {errc::internal, "re-reading numbers: " + ec.message()};
  const number_text_handler& texts = p.handler();

  duration_sketch::state s;
  std::int32_t scale = 0;
  if (errc e = read_i32_field(*root, "scale", "scale", scale, detail); e != errc::ok) return {e, detail};
  s.scale = scale;
  std::uint64_t max_buckets = 0;
  if (errc e = read_u64_field(*root, "max_buckets", "max_buckets", max_buckets, detail); e != errc::ok)
    return {e, detail};
  if (max_buckets < dense_store::min_buckets || max_buckets > dense_store::max_buckets_limit)
    return {errc::invalid_argument, "max_buckets: " + std::to_string(max_buckets) + " is outside [" +
                                        std::to_string(dense_store::min_buckets) + ", " +
                                        std::to_string(dense_store::max_buckets_limit) + "]"};
  s.max_buckets = static_cast<std::uint32_t>(max_buckets);
  bool is_null = false;
  if (errc e = read_double(*root, texts, "zero_threshold", false, s.zero_threshold, is_null, detail); e != errc::ok)
    return {e, detail};
  if (errc e = read_double(*root, texts, "sum", false, s.sum, is_null, detail); e != errc::ok) return {e, detail};
  bool min_null = false, max_null = false;
  if (errc e = read_double(*root, texts, "min", true, s.min, min_null, detail); e != errc::ok) return {e, detail};
  if (errc e = read_double(*root, texts, "max", true, s.max, max_null, detail); e != errc::ok) return {e, detail};
  std::uint64_t count = 0;
  if (errc e = read_u64_field(*root, "count", "count", count, detail); e != errc::ok) return {e, detail};
  if (errc e = read_u64_field(*root, "zero_count", "zero_count", s.zero_count, detail); e != errc::ok)
    return {e, detail};

  const json::object* positive = nullptr;
  if (errc e = detail::get_object(*root, "positive", "positive", positive, detail); e != errc::ok) return {e, detail};
  if (errc e = check_keys(*positive, {"offset", "counts"}, "positive.", detail); e != errc::ok) return {e, detail};
  if (errc e = read_i32_field(*positive, "offset", "positive.offset", s.offset, detail); e != errc::ok)
    return {e, detail};
  const json::value* cv = positive->if_contains("counts");
  if (cv == nullptr) return {errc::missing_field, "positive.counts: missing"};
  const json::array* ca = cv->if_array();
  if (ca == nullptr) return {errc::wrong_type, "positive.counts: expected an array"};
  if (ca->size() > s.max_buckets)
    return {errc::out_of_range, "positive.counts: " + std::to_string(ca->size()) +
                                    " buckets exceed max_buckets " + std::to_string(s.max_buckets)};
  std::vector<std::uint64_t> counts(ca->size());
  for (std::size_t i = 0; i < ca->size(); ++i)
    if (errc e = detail::get_u64((*ca)[i], "positive.counts[" + std::to_string(i) + "]", counts[i], detail);
        e != errc::ok)
      return {e, detail};
  s.counts = counts.data();
  s.bucket_count = counts.size();
  if (counts.empty() && s.offset != 0) return {errc::invalid_argument, "positive.offset: must be 0 without buckets"};

  const json::object* rejected = nullptr;
  if (errc e = detail::get_object(*root, "rejected", "rejected", rejected, detail); e != errc::ok) return {e, detail};
  if (errc e = check_keys(*rejected, {"out_of_range", "not_finite"}, "rejected.", detail); e != errc::ok)
    return {e, detail};
  for (std::size_t i = 0; i < duration_sketch::rejected_reasons.size(); ++i) {
    const std::string key = name(duration_sketch::rejected_reasons[i]);
    if (errc e = read_u64_field(*rejected, key, "rejected." + key, s.rejected[i], detail); e != errc::ok)
      return {e, detail};
  }

  // Cross-field checks the state check does not make (it derives the count).
  std::uint64_t total = s.zero_count;
  for (std::uint64_t c : counts) total = c > UINT64_MAX - total ? UINT64_MAX : total + c;
  if (total != count)
    return {errc::invalid_argument, "count: " + std::to_string(count) + " differs from zero_count plus the bucket counts (" +
                                        std::to_string(total) + ")"};
  if ((count == 0) != min_null) return {errc::invalid_argument, "min: must be null exactly when count is 0"};
  if ((count == 0) != max_null) return {errc::invalid_argument, "max: must be null exactly when count is 0"};
  return duration_sketch::restore(s);
}

CXM_END_NAMESPACE
