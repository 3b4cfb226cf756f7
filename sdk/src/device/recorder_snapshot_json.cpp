// SPDX-License-Identifier: MIT
// Recorder snapshots as values (empty, merge) and as JSON: the cxm.recorder_snapshot format.
//
// ## cxm.recorder_snapshot, version 1
// One object; keys in this order when written; every key is required, no other key is allowed:
// ```
// {"format":"cxm.recorder_snapshot",   string: the kind of document
//  "version":1,                        integer: the format version
//  "metrics":[                         array of 1..4096 objects, in the recorder's order:
//    {"name":"onboarding.nps",         string: 1-128 bytes of UTF-8, no control characters
//                                      (C0, DEL, C1), unique within the document
//     "kind":"nps",                    string: "nps", "scale" or "duration"
//     "value":{...}},                  object: the metric's value in its own versioned
//                                      format, by kind: "nps" a cxm.nps_tally, "scale" a
//                                      cxm.scale_tally (cxm/stats/tally_json.hpp), "duration"
//                                      a cxm.duration_sketch (duration_sketch_codec.hpp)
//    ...]}
// ```
// The values carry their own settings (the tally's scale, the sketch's scale, budget and zero
// threshold), so a decoded metric's settings are its value's. Decoding is strict: another
// "format" is `incompatible`, another "version" `unsupported_version`; unknown or missing keys,
// wrong types, an unknown kind, a bad or duplicate name, and a value that is not a valid value
// of its kind are errors naming the field (`metrics[2].kind`,
// `metrics[1].value.counts[3]: expected a count`); over 128 MiB or nested deeper than 16,
// `too_large` / `too_deep` (recorder_snapshot_json_limits).
//
// Each value is decoded by its own type's decoder, the one place that knows its format: the
// value's JSON is written back out from the parsed document (numbers that are not integers
// from their exact text, so a sketch's doubles come back bit for bit) and handed to it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "cxm/device/recorder.hpp"
#include "cxm/sketch/duration_sketch_codec.hpp"
#include "cxm/stats/tally_json.hpp"
#include "device/recorder_metrics.hpp"
#include "io/json_reader.hpp"
#include "io/json_writer.hpp"

CXM_BEGIN_NAMESPACE

using detail::json_path;
using detail::json_value;

namespace {

constexpr std::string_view format_name = "cxm.recorder_snapshot";

// ---- values ----------------------------------------------------------------------------------

bool value_empty(const metric_value& v) noexcept {
  if (const auto* nps = std::get_if<nps_tally>(&v)) return nps->total() == 0 && nps->rejected_total() == 0;
  if (const auto* tally = std::get_if<scale_tally>(&v)) return tally->total() == 0 && tally->rejected_total() == 0;
  const auto& sketch = std::get<duration_sketch>(v);
  return sketch.count() == 0 && sketch.rejected_total() == 0;
}

// Same metric names and kinds in the same order, each value of its metric's kind. Scales and
// zero thresholds are the values' own merge rules (incompatible).
bool same_metrics(const recorder_snapshot& a, const recorder_snapshot& b) noexcept {
  if (a.metrics.size() != b.metrics.size() || a.values.size() != a.metrics.size() ||
      b.values.size() != b.metrics.size())
    return false;
  for (std::size_t i = 0; i < a.metrics.size(); ++i) {
    const metric_kind k = a.metrics[i].kind;
    if (a.metrics[i].name != b.metrics[i].name || b.metrics[i].kind != k || detail::kind_of(a.values[i]) != k ||
        detail::kind_of(b.values[i]) != k)
      return false;
  }
  return true;
}

status merge_value(metric_value& into, const metric_value& from) noexcept {
  if (auto* nps = std::get_if<nps_tally>(&into)) return nps->merge(std::get<nps_tally>(from));
  if (auto* tally = std::get_if<scale_tally>(&into)) return tally->merge(std::get<scale_tally>(from));
  return std::get<duration_sketch>(into).merge(std::get<duration_sketch>(from));
}

// ---- decoding --------------------------------------------------------------------------------

// Writes `v` back out as JSON for the value's own decoder. Integers are exact in the document;
// other numbers (and "-0") are read from their text (parse_exact), so nothing is rounded twice.
bool reencode(detail::json_reader& r, json_value v, const json_path& at, detail::json_writer& w) {
  if (v.is_object()) {
    w.begin_object();
    for (std::size_t i = 0; i < v.size(); ++i) {
      const json_path p = at.member(v.key_at(i));
      w.key(v.key_at(i));
      if (!reencode(r, v.value_at(i), p, w)) return false;
    }
    w.end_object();
  } else if (v.is_array()) {
    w.begin_array();
    for (std::size_t i = 0; i < v.size(); ++i) {
      const json_path p = at.element(i);
      if (!reencode(r, v.at(i), p, w)) return false;
    }
    w.end_array();
  } else if (v.is_string()) {
    w.value(v.get_string());
  } else if (v.is_bool()) {
    w.value(v.get_bool());
  } else if (v.is_null()) {
    w.null();
  } else if (v.is_uint64()) {
    w.value(v.get_uint64());
  } else if (v.is_int64() && v.get_int64() != 0) {
    w.value(v.get_int64());
  } else {
    double d = 0;
    if (!r.exact_number(v, at, d)) return false;
    if (v.is_int64() && !std::signbit(d)) {
      w.value(std::int64_t{0});
    } else {
      w.value(d);  // the shortest text that reads back as d
    }
  }
  return true;
}

// The value's decoder's error, its path placed under the value's: "metrics[1].value.counts[3]:
// expected a count".
template <class T, class U>
result<U> nested_error(const result<T>& r, const json_path& at) {
  std::string detail = r.detail();
  const std::string where = at.str();
  const std::string_view root = "(root)";
  if (detail.compare(0, root.size(), root) == 0)
    detail.replace(0, root.size(), where);
  else
    detail = where + "." + detail;
  return {r.code(), std::move(detail)};
}

class snapshot_parser {
 public:
  result<recorder_snapshot> run(std::string_view text) {
    const json_path at;
    if (!r_.parse_exact(text, recorder_snapshot_json_limits)) return r_.error<recorder_snapshot>();
    const json_value root = r_.root();
    if (!r_.header(root, format_name, recorder_snapshot_json_version) ||
        !r_.only_keys(root, at, {"format", "version", "metrics"}))
      return r_.error<recorder_snapshot>();
    const json_path m_at = at.member("metrics");
    const json_value list = r_.field(root, "metrics", at);
    if (!list || !r_.list(list, m_at, recorder::max_metrics, "metric")) return r_.error<recorder_snapshot>();
    out_.metrics.reserve(list.size());
    out_.values.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      const json_path e_at = m_at.element(i);
      if (!read_metric(list.at(i), e_at)) return error_;
    }
    return std::move(out_);
  }

 private:
  bool read_metric(json_value e, const json_path& at) {
    metric_spec spec;
    std::string_view name, kind;
    const json_path n_at = at.member("name"), k_at = at.member("kind"), v_at = at.member("value");
    if (!r_.object(e, at) || !r_.only_keys(e, at, {"name", "kind", "value"}) || !r_.string_field(e, at, "name", name))
      return fail();
    errc code = errc::ok;
    if (const char* why = detail::metric_name_problem(name, code)) return fail(code, n_at, {why});
    const auto [earlier, fresh] = names_.emplace(name, out_.metrics.size());
    if (!fresh)
      return fail(errc::invalid_argument, n_at,
                  {"the name of metrics[", std::to_string(earlier->second), "] again (names are unique)"});
    if (!r_.string_field(e, at, "kind", kind)) return fail();
    const auto k = detail::kind_from_name(kind);
    if (!k)
      return fail(errc::invalid_argument, k_at,
                  {"expected \"nps\", \"scale\" or \"duration\", got ", detail::quoted(kind)});
    const json_value v = r_.field(e, "value", at);
    if (!v || !r_.object(v, v_at)) return fail();
    std::string text;
    detail::json_writer w(text);
    if (!reencode(r_, v, v_at, w)) return fail();

    spec.name.assign(name);
    spec.kind = *k;
    switch (*k) {
      case metric_kind::nps: {
        auto t = nps_tally_from_json(text);
        if (!t.ok()) return nested(t, v_at);
        out_.values.emplace_back(std::move(t).value());
        break;
      }
      case metric_kind::scale: {
        auto t = scale_tally_from_json(text);
        if (!t.ok()) return nested(t, v_at);
        spec.scale = t->answer_scale();
        out_.values.emplace_back(std::move(t).value());
        break;
      }
      case metric_kind::duration: {
        auto s = duration_sketch_from_json(text);
        if (!s.ok()) return nested(s, v_at);
        spec.sketch.scale = s->scale();
        spec.sketch.max_buckets = s->max_buckets();
        spec.sketch.zero_threshold = s->zero_threshold();
        out_.values.emplace_back(std::move(s).value());
        break;
      }
    }
    out_.metrics.push_back(std::move(spec));
    return true;
  }

  bool fail() {
    error_ = r_.error<recorder_snapshot>();
    return false;
  }
  bool fail(errc code, const json_path& at, std::initializer_list<std::string_view> reason) {
    r_.fail(code, at, reason);
    return fail();
  }
  template <class T>
  bool nested(const result<T>& r, const json_path& at) {
    error_ = nested_error<T, recorder_snapshot>(r, at);
    return false;
  }

  detail::json_reader r_;
  recorder_snapshot out_;
  std::unordered_map<std::string_view, std::size_t> names_;  // views into the parsed document
  result<recorder_snapshot> error_{errc::internal};
};

}  // namespace

// ---- recorder_snapshot -----------------------------------------------------------------------

bool recorder_snapshot::empty() const noexcept {
  for (const metric_value& v : values)
    if (!value_empty(v)) return false;
  return true;
}

status recorder_snapshot::merge(const recorder_snapshot& other) {
  if (!same_metrics(*this, other)) return errc::incompatible;
  // Into a copy, so that an error in a later metric leaves every value unchanged (and a
  // snapshot merged with itself reads values that do not change under it).
  std::vector<metric_value> sum = values;
  for (std::size_t i = 0; i < sum.size(); ++i)
    if (const status s = merge_value(sum[i], other.values[i]); !s.ok()) return s;
  values = std::move(sum);
  return errc::ok;
}

std::string to_json(const recorder_snapshot& snapshot) {
  CXM_ASSERT(snapshot.metrics.size() == snapshot.values.size());
  detail::json_writer w;
  w.begin_object().member("format", format_name).member("version", recorder_snapshot_json_version);
  w.key("metrics").begin_array();
  const std::size_t n = std::min(snapshot.metrics.size(), snapshot.values.size());
  for (std::size_t i = 0; i < n; ++i) {
    const metric_value& v = snapshot.values[i];
    w.begin_object().member("name", snapshot.metrics[i].name).member("kind", detail::kind_name(detail::kind_of(v)));
    w.key("value");
    std::visit([&w](const auto& value) { w.raw(to_json(value)); }, v);
    w.end_object();
  }
  w.end_array().end_object();
  return w.take();
}

result<recorder_snapshot> recorder_snapshot_from_json(std::string_view json) { return snapshot_parser().run(json); }

CXM_END_NAMESPACE
