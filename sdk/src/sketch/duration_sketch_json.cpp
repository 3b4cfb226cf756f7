// SPDX-License-Identifier: MIT
// JSON form of duration_sketch (format in cxm/sketch/duration_sketch_codec.hpp, version 1).
#include <cstdint>
#include <string>
#include <vector>

#include "cxm/sketch/duration_sketch_codec.hpp"
#include "io/json_reader.hpp"
#include "io/json_writer.hpp"

CXM_BEGIN_NAMESPACE
namespace {

using detail::json_path;
using detail::json_value;

constexpr const char* format_name = "cxm.duration_sketch";

// Reads the root member `key`, a finite number rounded correctly from its text (parse_exact),
// so that a sketch round-trips bit for bit. `nullable`: null is allowed and sets `is_null`.
bool read_double(detail::json_reader& r, json_value root, std::string_view key, bool nullable, double& out,
                 bool& is_null) {
  const json_path at;
  const json_value v = r.field(root, key, at);
  if (!v) return false;
  is_null = nullable && v.is_null();
  if (is_null) return true;
  if (!v.is_number()) return r.expected(v, at.member(key), nullable ? "a number or null" : "a number");
  return r.exact_number(v, at.member(key), out);
}

bool read_positive(detail::json_reader& r, json_value root, duration_sketch::state& s,
                   std::vector<std::uint64_t>& counts) {
  const json_path at;  // json_path().member() would point to a destroyed temporary
  const json_path p_at = at.member("positive");
  const json_value positive = r.field(root, "positive", at);
  if (!positive || !r.object(positive, p_at) || !r.only_keys(positive, p_at, {"offset", "counts"}) ||
      !r.integer_field(positive, p_at, "offset", std::int32_t{INT32_MIN}, std::int32_t{INT32_MAX}, s.offset))
    return false;
  const json_path c_at = p_at.member("counts");
  const json_value ca = r.field(positive, "counts", p_at);
  if (!ca || !r.array(ca, c_at)) return false;
  if (ca.size() > s.max_buckets)
    return r.fail(errc::out_of_range, c_at,
                  {std::to_string(ca.size()), " buckets exceed max_buckets ", std::to_string(s.max_buckets)});
  counts.resize(ca.size());
  for (std::size_t i = 0; i < ca.size(); ++i)
    if (!r.count(ca.at(i), c_at.element(i), counts[i])) return false;
  s.counts = counts.data();
  s.bucket_count = counts.size();
  if (counts.empty() && s.offset != 0)
    return r.fail(errc::invalid_argument, p_at.member("offset"), {"must be 0 without buckets"});
  return true;
}

bool read_rejected(detail::json_reader& r, json_value root, duration_sketch::state& s) {
  const json_path at;
  const json_path r_at = at.member("rejected");
  const json_value rejected = r.field(root, "rejected", at);
  if (!rejected || !r.object(rejected, r_at) || !r.only_keys(rejected, r_at, {"out_of_range", "not_finite"}))
    return false;
  for (std::size_t i = 0; i < duration_sketch::rejected_reasons.size(); ++i)
    if (!r.count_field(rejected, r_at, name(duration_sketch::rejected_reasons[i]), s.rejected[i])) return false;
  return true;
}

}  // namespace

std::string to_json(const duration_sketch& sketch) {
  // Numbers that are whole and below 2^53 are written as integers, others in the shortest form
  // that reads back to the same double (json_writer::number); sketch values are finite, >= 0.
  detail::json_writer w;
  w.begin_object()
      .member("format", format_name)
      .member("version", duration_sketch_json_version)
      .member("scale", sketch.scale())
      .member("max_buckets", sketch.max_buckets());
  w.key("zero_threshold").number(sketch.zero_threshold());
  w.member("count", sketch.count());
  w.key("sum").number(sketch.sum());
  if (sketch.empty()) {
    w.key("min").null().key("max").null();
  } else {
    w.key("min").number(sketch.min()).key("max").number(sketch.max());
  }
  w.member("zero_count", sketch.zero_count());
  w.key("positive").begin_object().member("offset", sketch.offset()).key("counts").begin_array();
  sketch.for_each_bucket([&w](std::int32_t, std::uint64_t c) { w.value(c); });
  w.end_array().end_object();
  w.key("rejected").begin_object();
  for (std::size_t i = 0; i < duration_sketch::rejected_reasons.size(); ++i)
    w.member(name(duration_sketch::rejected_reasons[i]), sketch.rejected_counts()[i]);
  w.end_object().end_object();
  return w.take();
}

result<duration_sketch> duration_sketch_from_json(std::string_view text) {
  detail::json_reader r;
  const json_path at;
  if (!r.parse_exact(text, duration_sketch_json_limits)) return r.error<duration_sketch>();
  const json_value root = r.root();
  duration_sketch::state s;
  std::int32_t scale = 0;
  std::uint64_t max_buckets = 0;
  if (!r.header(root, format_name, duration_sketch_json_version) ||
      !r.only_keys(root, at,
                   {"format", "version", "scale", "max_buckets", "zero_threshold", "count", "sum", "min", "max",
                    "zero_count", "positive", "rejected"}) ||
      !r.integer_field(root, at, "scale", std::int32_t{INT32_MIN}, std::int32_t{INT32_MAX}, scale) ||
      !r.count_field(root, at, "max_buckets", max_buckets))
    return r.error<duration_sketch>();
  s.scale = scale;  // restore() checks the range
  if (max_buckets < dense_store::min_buckets || max_buckets > dense_store::max_buckets_limit)
    return {errc::invalid_argument, "max_buckets: " + std::to_string(max_buckets) + " is outside [" +
                                        std::to_string(dense_store::min_buckets) + ", " +
                                        std::to_string(dense_store::max_buckets_limit) + "]"};
  s.max_buckets = static_cast<std::uint32_t>(max_buckets);
  bool is_null = false, min_null = false, max_null = false;
  std::uint64_t count = 0;
  std::vector<std::uint64_t> counts;
  if (!read_double(r, root, "zero_threshold", false, s.zero_threshold, is_null) ||
      !read_double(r, root, "sum", false, s.sum, is_null) || !read_double(r, root, "min", true, s.min, min_null) ||
      !read_double(r, root, "max", true, s.max, max_null) || !r.count_field(root, at, "count", count) ||
      !r.count_field(root, at, "zero_count", s.zero_count) || !read_positive(r, root, s, counts) ||
      !read_rejected(r, root, s))
    return r.error<duration_sketch>();

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
