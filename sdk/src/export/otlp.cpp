// SPDX-License-Identifier: MIT
// OTLP/JSON export of cxm aggregates (format in cxm/export/otlp.hpp).
#include "cxm/export/otlp.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "cxm/core/version.hpp"
#include "io/json_writer.hpp"
#include "io/utf8.hpp"

CXM_BEGIN_NAMESPACE
namespace {

using detail::json_writer;

enum class metric_kind { exponential_histogram, sum, gauge };

// OTLP AggregationTemporality: cxm aggregates count from their start.
constexpr int temporality_cumulative = 2;

// The protobuf JSON mapping writes int64/uint64/fixed64 as decimal strings. The sketch's doubles
// go through json_writer::number (whole values below 2^53 as JSON integers, which the mapping
// accepts for double fields); attribute and gauge doubles are always in double form.
std::string decimal(std::uint64_t v) { return std::to_string(v); }

bool utf8_ok(std::string_view s) noexcept { return detail::first_invalid_utf8(s) == s.size(); }

void attribute_list(json_writer& w, const otlp_attributes& attributes) {
  w.begin_array();
  for (const auto& a : attributes) {
    w.begin_object().member("key", a.key).key("value").begin_object();
    switch (a.type) {
      case otlp_attribute::kind::string_value: w.member("stringValue", a.string_value); break;
      case otlp_attribute::kind::int_value: w.member("intValue", std::to_string(a.int_value)); break;
      case otlp_attribute::kind::double_value: w.member("doubleValue", a.double_value); break;
      case otlp_attribute::kind::bool_value: w.member("boolValue", a.bool_value); break;
    }
    w.end_object().end_object();
  }
  w.end_array();
}

status check_attributes(const otlp_attributes& attributes) {
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    const auto& a = attributes[i];
    if (a.key.empty()) return errc::invalid_argument;
    if (!utf8_ok(a.key)) return errc::invalid_utf8;
    if (a.type == otlp_attribute::kind::string_value && !utf8_ok(a.string_value)) return errc::invalid_utf8;
    if (a.type == otlp_attribute::kind::double_value && !std::isfinite(a.double_value))
      return errc::invalid_argument;
    for (std::size_t j = 0; j < i; ++j)
      if (attributes[j].key == a.key) return errc::invalid_argument;
  }
  return errc::ok;
}

// Opens a data point and writes the members every point has; the caller adds its value and
// closes the object.
void point_header(json_writer& w, const otlp_attributes& attributes, otlp_time time) {
  w.begin_object().key("attributes");
  attribute_list(w, attributes);
  w.member("startTimeUnixNano", decimal(time.start_unix_nano)).member("timeUnixNano", decimal(time.time_unix_nano));
}

// A point whose value is one count ("asInt").
std::string count_point(const otlp_attributes& attributes, otlp_time time, std::uint64_t value) {
  json_writer w;
  point_header(w, attributes, time);
  w.member("asInt", decimal(value)).end_object();
  return w.take();
}

}  // namespace

struct otlp_builder::impl {
  struct metric {
    std::string name;
    std::string unit;
    metric_kind kind;
    std::vector<std::string> points;  // each one encoded data point object
  };
  std::string scope_name;
  std::string scope_version;
  otlp_attributes resource;
  std::vector<std::pair<std::string, std::string>> descriptions;  // name, description
  std::vector<metric> metrics;
  std::size_t points = 0;

  metric* find(std::string_view name) {
    for (auto& m : metrics)
      if (m.name == name) return &m;
    return nullptr;
  }

  // Checks everything, then returns the metric the point goes to (created if new), or an error.
  status prepare(std::string_view name, std::string_view unit, metric_kind kind,
                 const otlp_attributes& attributes, otlp_time time, metric*& out) {
    if (name.empty()) return errc::invalid_argument;
    if (!utf8_ok(name) || !utf8_ok(unit)) return errc::invalid_utf8;
    if (time.start_unix_nano > time.time_unix_nano) return errc::invalid_argument;
    if (const status s = check_attributes(attributes); !s) return s;
    metric* m = find(name);
    if (m != nullptr) {
      if (m->kind != kind || m->unit != unit) return errc::incompatible;
    } else {
      metrics.push_back(metric{std::string(name), std::string(unit), kind, {}});
      m = &metrics.back();
    }
    out = m;
    return errc::ok;
  }

  void push(metric* m, std::string point) {
    m->points.push_back(std::move(point));
    ++points;
  }
};

otlp_builder::otlp_builder() : otlp_builder("cxm", CXM_VERSION_STRING) {}
otlp_builder::otlp_builder(std::string scope_name, std::string scope_version) : impl_(new impl) {
  impl_->scope_name = std::move(scope_name);
  impl_->scope_version = std::move(scope_version);
}
otlp_builder::~otlp_builder() = default;
otlp_builder::otlp_builder(otlp_builder&&) noexcept = default;
otlp_builder& otlp_builder::operator=(otlp_builder&&) noexcept = default;

otlp_attributes& otlp_builder::resource_attributes() noexcept { return impl_->resource; }
std::size_t otlp_builder::point_count() const noexcept { return impl_->points; }

void otlp_builder::set_description(std::string_view name, std::string_view description) {
  for (auto& d : impl_->descriptions)
    if (d.first == name) {
      d.second = std::string(description);
      return;
    }
  impl_->descriptions.emplace_back(std::string(name), std::string(description));
}

status otlp_builder::add_duration(std::string_view name, std::string_view unit, const duration_sketch& sketch,
                                  const otlp_attributes& attributes, otlp_time time) {
  otlp_exponential_buckets h;
  h.scale = sketch.scale();
  h.zero_threshold = sketch.zero_threshold();
  h.zero_count = sketch.zero_count();
  h.count = sketch.count();
  h.sum = sketch.sum();
  h.offset = sketch.offset();
  h.counts.reserve(sketch.bucket_count());
  for (std::size_t i = 0; i < sketch.bucket_count(); ++i) h.counts.push_back(sketch.bucket(i));
  if (sketch.empty()) return add_histogram_point(name, unit, h, nullptr, attributes, time);
  const double range[2] = {sketch.min(), sketch.max()};
  return add_histogram_point(name, unit, h, range, attributes, time);
}

status otlp_builder::add_exponential_histogram(std::string_view name, std::string_view unit,
                                               const otlp_exponential_buckets& h, const otlp_attributes& attributes,
                                               otlp_time time) {
  std::uint64_t total = h.zero_count;
  for (std::uint64_t c : h.counts) {
    if (c > std::numeric_limits<std::uint64_t>::max() - total) return errc::invalid_argument;
    total += c;
  }
  if (total != h.count || !std::isfinite(h.sum) || !std::isfinite(h.zero_threshold) || h.zero_threshold < 0 ||
      h.scale < -10 || h.scale > 20)
    return errc::invalid_argument;
  return add_histogram_point(name, unit, h, nullptr, attributes, time);
}

status otlp_builder::add_histogram_point(std::string_view name, std::string_view unit, const otlp_exponential_buckets& h,
                                         const double* min_max, const otlp_attributes& attributes, otlp_time time) {
  impl::metric* m = nullptr;
  if (const status s = impl_->prepare(name, unit, metric_kind::exponential_histogram, attributes, time, m); !s)
    return s;
  json_writer w;
  point_header(w, attributes, time);
  // count includes the zero bucket (OTLP: count = zero_count + sum of bucket counts).
  w.member("count", decimal(h.count));
  w.key("sum").number(h.sum);
  if (min_max) w.key("min").number(min_max[0]).key("max").number(min_max[1]);
  w.member("scale", h.scale).member("zeroCount", decimal(h.zero_count));
  w.key("zeroThreshold").number(h.zero_threshold);
  w.key("positive").begin_object().member("offset", h.offset).key("bucketCounts").begin_array();
  for (std::uint64_t c : h.counts) w.value(decimal(c));
  w.end_array().end_object().end_object();
  impl_->push(m, w.take());
  return errc::ok;
}

status otlp_builder::add_count(std::string_view name, std::string_view unit, std::uint64_t value,
                               const otlp_attributes& attributes, otlp_time time) {
  impl::metric* m = nullptr;
  if (const status s = impl_->prepare(name, unit, metric_kind::sum, attributes, time, m); !s) return s;
  impl_->push(m, count_point(attributes, time, value));
  return errc::ok;
}

status otlp_builder::add_gauge(std::string_view name, std::string_view unit, double value,
                               const otlp_attributes& attributes, otlp_time time) {
  if (!std::isfinite(value)) return errc::invalid_argument;
  impl::metric* m = nullptr;
  if (const status s = impl_->prepare(name, unit, metric_kind::gauge, attributes, time, m); !s) return s;
  json_writer w;
  point_header(w, attributes, time);
  w.member("asDouble", value).end_object();  // always a double, as the proto field is
  impl_->push(m, w.take());
  return errc::ok;
}

status otlp_builder::add_nps_tally(std::string_view name, const nps_tally& tally,
                                   const otlp_attributes& attributes, otlp_time time) {
  // Validate once with the widest attribute list, so that either every point is added or none.
  otlp_attributes attrs = attributes;
  attrs.push_back(otlp_attribute::integer("answer", 0));
  attrs.push_back(otlp_attribute::str("category", "detractor"));
  impl::metric* m = nullptr;
  if (const status s = impl_->prepare(name, "{answer}", metric_kind::sum, attrs, time, m); !s) return s;
  for (int answer = 0; answer <= 10; ++answer) {
    attrs[attrs.size() - 2].int_value = answer;
    attrs.back().string_value = answer >= 9 ? "promoter" : answer >= 7 ? "passive" : "detractor";
    impl_->push(m, count_point(attrs, time, tally.count(answer)));
  }
  return errc::ok;
}

status otlp_builder::add_scale_tally(std::string_view name, const scale_tally& tally,
                                     const otlp_attributes& attributes, otlp_time time) {
  otlp_attributes attrs = attributes;
  attrs.push_back(otlp_attribute::integer("answer", 0));
  attrs.push_back(otlp_attribute::boolean("top_box", false));
  impl::metric* m = nullptr;
  if (const status s = impl_->prepare(name, "{answer}", metric_kind::sum, attrs, time, m); !s) return s;
  const cxm::scale& sc = tally.answer_scale();
  for (int answer = sc.min; answer <= sc.max; ++answer) {
    attrs[attrs.size() - 2].int_value = answer;
    attrs.back().bool_value = answer >= sc.top_box_min;
    impl_->push(m, count_point(attrs, time, tally.count(answer)));
  }
  return errc::ok;
}

std::string otlp_builder::to_json() const {
  json_writer w;
  w.begin_object().key("resourceMetrics").begin_array().begin_object();
  w.key("resource").begin_object().key("attributes");
  attribute_list(w, impl_->resource);
  w.end_object();
  w.key("scopeMetrics").begin_array().begin_object();
  w.key("scope").begin_object().member("name", impl_->scope_name).member("version", impl_->scope_version).end_object();
  w.key("metrics").begin_array();
  for (const auto& m : impl_->metrics) {
    w.begin_object().member("name", m.name);
    for (const auto& d : impl_->descriptions)
      if (d.first == m.name && !d.second.empty()) w.member("description", d.second);
    w.member("unit", m.unit);
    switch (m.kind) {
      case metric_kind::exponential_histogram:
        w.key("exponentialHistogram").begin_object().member("aggregationTemporality", temporality_cumulative);
        break;
      case metric_kind::sum:
        w.key("sum").begin_object().member("aggregationTemporality", temporality_cumulative).member("isMonotonic", true);
        break;
      case metric_kind::gauge:
        w.key("gauge").begin_object();
        break;
    }
    w.key("dataPoints").begin_array();
    for (const std::string& p : m.points) w.raw(p);
    w.end_array().end_object().end_object();
  }
  w.end_array().end_object().end_array().end_object().end_array().end_object();
  return w.take();
}

result<std::string> duration_sketch_to_otlp_json(std::string_view name, std::string_view unit,
                                                 const duration_sketch& sketch, const otlp_attributes& attributes,
                                                 otlp_time time) {
  otlp_builder b;
  if (const status s = b.add_duration(name, unit, sketch, attributes, time); !s)
    return {s.code(), std::string("otlp: ") + message(s.code())};
  return b.to_json();
}

CXM_END_NAMESPACE
