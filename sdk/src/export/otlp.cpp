// SPDX-License-Identifier: MIT
// OTLP/JSON export of cxm aggregates (format in cxm/otlp.hpp).
#include "cxm/export/otlp.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cmath>
#include <string>
#include <utility>

#include "cxm/core/version.hpp"
#include "io/utf8.hpp"

CXM_BEGIN_NAMESPACE
namespace {

namespace json = boost::json;

enum class metric_kind { exponential_histogram, sum, gauge };

// OTLP AggregationTemporality: cxm aggregates count from their start.
constexpr int temporality_cumulative = 2;

// Whole doubles below 2^53 as JSON integers (the proto JSON mapping accepts them for double
// fields); others in Boost.JSON's shortest round-trip form.
json::value number(double d) {
  if (d >= 0.0 && d < 0x1p53 && std::floor(d) == d) return static_cast<std::uint64_t>(d);
  return d;
}

// The protobuf JSON mapping writes int64/uint64/fixed64 as decimal strings.
json::string u64(std::uint64_t v) { return json::string(std::to_string(v)); }
json::string i64(std::int64_t v) { return json::string(std::to_string(v)); }

bool utf8_ok(std::string_view s) noexcept { return detail::first_invalid_utf8(s) == s.size(); }

json::value any_value(const otlp_attribute& a) {
  json::object v;
  switch (a.type) {
    case otlp_attribute::kind::string_value: v["stringValue"] = a.string_value; break;
    case otlp_attribute::kind::int_value: v["intValue"] = i64(a.int_value); break;
    case otlp_attribute::kind::double_value: v["doubleValue"] = a.double_value; break;
    case otlp_attribute::kind::bool_value: v["boolValue"] = a.bool_value; break;
  }
  return v;
}

json::array attribute_list(const otlp_attributes& attributes) {
  json::array out;
  out.reserve(attributes.size());
  for (const auto& a : attributes) {
    json::object kv;
    kv["key"] = a.key;
    kv["value"] = any_value(a);
    out.emplace_back(std::move(kv));
  }
  return out;
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

json::object point_header(const otlp_attributes& attributes, otlp_time time) {
  json::object p;
  p["attributes"] = attribute_list(attributes);
  p["startTimeUnixNano"] = u64(time.start_unix_nano);
  p["timeUnixNano"] = u64(time.time_unix_nano);
  return p;
}

}  // namespace

struct otlp_builder::impl {
  struct metric {
    std::string name;
    std::string unit;
    metric_kind kind;
    json::array points;
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

  void push(metric* m, json::object point) {
    m->points.emplace_back(std::move(point));
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
  impl::metric* m = nullptr;
  if (const status s = impl_->prepare(name, unit, metric_kind::exponential_histogram, attributes, time, m); !s)
    return s;
  json::object p = point_header(attributes, time);
  // count includes the zero bucket (OTLP: count = zero_count + sum of bucket counts).
  p["count"] = u64(sketch.count());
  p["sum"] = number(sketch.sum());
  if (!sketch.empty()) {
    p["min"] = number(sketch.min());
    p["max"] = number(sketch.max());
  }
  p["scale"] = sketch.scale();
  p["zeroCount"] = u64(sketch.zero_count());
  p["zeroThreshold"] = number(sketch.zero_threshold());
  json::object positive;
  positive["offset"] = sketch.offset();
  json::array counts;
  counts.reserve(sketch.bucket_count());
  for (std::size_t i = 0; i < sketch.bucket_count(); ++i) counts.emplace_back(u64(sketch.bucket(i)));
  positive["bucketCounts"] = std::move(counts);
  p["positive"] = std::move(positive);
  impl_->push(m, std::move(p));
  return errc::ok;
}

status otlp_builder::add_count(std::string_view name, std::string_view unit, std::uint64_t value,
                               const otlp_attributes& attributes, otlp_time time) {
  impl::metric* m = nullptr;
  if (const status s = impl_->prepare(name, unit, metric_kind::sum, attributes, time, m); !s) return s;
  json::object p = point_header(attributes, time);
  p["asInt"] = u64(value);
  impl_->push(m, std::move(p));
  return errc::ok;
}

status otlp_builder::add_gauge(std::string_view name, std::string_view unit, double value,
                               const otlp_attributes& attributes, otlp_time time) {
  if (!std::isfinite(value)) return errc::invalid_argument;
  impl::metric* m = nullptr;
  if (const status s = impl_->prepare(name, unit, metric_kind::gauge, attributes, time, m); !s) return s;
  json::object p = point_header(attributes, time);
  p["asDouble"] = value;
  impl_->push(m, std::move(p));
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
    json::object p = point_header(attrs, time);
    p["asInt"] = u64(tally.count(answer));
    impl_->push(m, std::move(p));
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
    json::object p = point_header(attrs, time);
    p["asInt"] = u64(tally.count(answer));
    impl_->push(m, std::move(p));
  }
  return errc::ok;
}

std::string otlp_builder::to_json() const {
  json::array metrics;
  for (const auto& m : impl_->metrics) {
    json::object metric;
    metric["name"] = m.name;
    for (const auto& d : impl_->descriptions)
      if (d.first == m.name && !d.second.empty()) metric["description"] = d.second;
    metric["unit"] = m.unit;
    json::object data;
    switch (m.kind) {
      case metric_kind::exponential_histogram:
        data["aggregationTemporality"] = temporality_cumulative;
        data["dataPoints"] = m.points;
        metric["exponentialHistogram"] = std::move(data);
        break;
      case metric_kind::sum:
        data["aggregationTemporality"] = temporality_cumulative;
        data["isMonotonic"] = true;
        data["dataPoints"] = m.points;
        metric["sum"] = std::move(data);
        break;
      case metric_kind::gauge:
        data["dataPoints"] = m.points;
        metric["gauge"] = std::move(data);
        break;
    }
    metrics.emplace_back(std::move(metric));
  }
  json::object scope;
  scope["name"] = impl_->scope_name;
  scope["version"] = impl_->scope_version;
  json::object scope_metrics;
  scope_metrics["scope"] = std::move(scope);
  scope_metrics["metrics"] = std::move(metrics);
  json::object resource;
  resource["attributes"] = attribute_list(impl_->resource);
  json::object resource_metrics;
  resource_metrics["resource"] = std::move(resource);
  resource_metrics["scopeMetrics"] = json::array{std::move(scope_metrics)};
  json::object root;
  root["resourceMetrics"] = json::array{std::move(resource_metrics)};
  return json::serialize(root);
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
