// SPDX-License-Identifier: MIT
/// @file otlp.hpp  Export of cxm aggregates as OTLP/JSON metrics, for any OpenTelemetry Collector.
///
/// ## Output (OTLP 1.x, protobuf JSON mapping)
/// One `ExportMetricsServiceRequest` object, as `POST /v1/metrics` with
/// `Content-Type: application/json` expects it:
/// ```
/// {"resourceMetrics":[{"resource":{"attributes":[...]},
///   "scopeMetrics":[{"scope":{"name":"cxm","version":"0.1.0"},
///     "metrics":[{"name":"journey.step.duration","unit":"ms","description":"...",
///       "exponentialHistogram":{"aggregationTemporality":2,"dataPoints":[
///         {"attributes":[{"key":"step","value":{"stringValue":"card_ordered"}}],
///          "startTimeUnixNano":"1700000000000000000","timeUnixNano":"1700000060000000000",
///          "count":"6","sum":21,"min":1,"max":10,"scale":6,"zeroCount":"1","zeroThreshold":0,
///          "positive":{"offset":2,"bucketCounts":["1","0","0","1"]}}]}},
///      {"name":"survey.nps.answers","unit":"{answer}",
///       "sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[
///         {"attributes":[...,{"key":"answer","value":{"intValue":"9"}},
///                        {"key":"category","value":{"stringValue":"promoter"}}],
///          "startTimeUnixNano":"...","timeUnixNano":"...","asInt":"12"}]}}]}]}]}
/// ```
/// Field names are the lowerCamelCase JSON names of the proto fields; 64-bit integers
/// (`count`, `zeroCount`, `bucketCounts`, `*TimeUnixNano`, `asInt`, `intValue`) are decimal
/// strings, as the mapping requires; doubles are JSON numbers (never NaN or infinities here);
/// enums are integers (OTLP/JSON requires it): `aggregationTemporality` 2 = CUMULATIVE, since
/// every cxm aggregate counts from its start. `exponentialHistogram.positive` is the sketch's
/// buckets as they are (same layout), so the export is lossless; `negative` is omitted (no
/// negative durations). Metrics appear in the order of their first data point; points of one
/// metric keep their order. Default-valued fields are written anyway (a reader accepts both).
///
/// The core has no clock: the host passes both timestamps (nanoseconds since the Unix epoch).
///
/// @par Thread safety
/// None; one builder per export.
#ifndef CXM_EXPORT_OTLP_HPP
#define CXM_EXPORT_OTLP_HPP

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// One OTLP attribute (`KeyValue`): a string, integer, double or boolean value.
struct otlp_attribute {
  enum class kind : std::uint8_t { string_value, int_value, double_value, bool_value };
  std::string key;
  kind type = kind::string_value;
  std::string string_value;
  std::int64_t int_value = 0;
  double double_value = 0.0;
  bool bool_value = false;

  static otlp_attribute str(std::string k, std::string v) {
    otlp_attribute a;
    a.key = std::move(k);
    a.string_value = std::move(v);
    return a;
  }
  static otlp_attribute integer(std::string k, std::int64_t v) {
    otlp_attribute a;
    a.key = std::move(k);
    a.type = kind::int_value;
    a.int_value = v;
    return a;
  }
  static otlp_attribute real(std::string k, double v) {
    otlp_attribute a;
    a.key = std::move(k);
    a.type = kind::double_value;
    a.double_value = v;
    return a;
  }
  static otlp_attribute boolean(std::string k, bool v) {
    otlp_attribute a;
    a.key = std::move(k);
    a.type = kind::bool_value;
    a.bool_value = v;
    return a;
  }
};

using otlp_attributes = std::vector<otlp_attribute>;

/// The time window of a data point, in nanoseconds since the Unix epoch (from the host).
/// Requires start <= time; start 0 means "unknown" (allowed by OTLP).
struct otlp_time {
  std::uint64_t start_unix_nano = 0;
  std::uint64_t time_unix_nano = 0;
};

/// The buckets of an exponential histogram as OTLP holds them: bucket `offset + i` of
/// `counts[i]` is (base^(offset+i), base^(offset+i+1)] with base = 2^(2^-scale), values at or
/// below `zero_threshold` are in `zero_count`. For aggregates that are not a `duration_sketch`
/// (a merged series kept as its buckets, as a collector holds it).
struct otlp_exponential_buckets {
  int scale = 0;
  double zero_threshold = 0.0;
  std::uint64_t zero_count = 0;
  std::uint64_t count = 0;  ///< zero_count + the sum of counts
  double sum = 0.0;
  std::int32_t offset = 0;
  std::vector<std::uint64_t> counts;
};

/// Collects named metrics and writes one OTLP/JSON `ExportMetricsServiceRequest`.
///
/// ```
/// cxm::otlp_builder b;
/// b.resource_attributes().push_back(cxm::otlp_attribute::str("service.name", "bank-app"));
/// (void)b.add_duration("journey.step.duration", "ms", sketch,
///                      {cxm::otlp_attribute::str("step", "card_ordered")}, {t0, t1});
/// std::string body = b.to_json();
/// ```
///
/// @par Errors (each `add_*`; the builder is unchanged on error)
/// `invalid_argument`: an empty metric name or attribute key, a duplicate attribute key in one
/// point, start > time, a non-finite double attribute or gauge value. `invalid_utf8`: a name,
/// unit, key or string value that is not UTF-8. `incompatible`: the metric name was already used with another kind or unit.
class CXM_API otlp_builder {
 public:
  /// `scope_name`/`scope_version` fill `InstrumentationScope`; by default "cxm" and its version.
  otlp_builder();
  otlp_builder(std::string scope_name, std::string scope_version);
  ~otlp_builder();
  otlp_builder(otlp_builder&&) noexcept;
  otlp_builder& operator=(otlp_builder&&) noexcept;

  /// The resource's attributes (e.g. service.name), written in `resource.attributes`.
  otlp_attributes& resource_attributes() noexcept;

  /// Sets the description written for metric `name` (optional).
  void set_description(std::string_view name, std::string_view description);

  /// An ExponentialHistogram data point from a duration sketch (lossless: same bucket layout).
  status add_duration(std::string_view name, std::string_view unit, const duration_sketch& sketch,
                      const otlp_attributes& attributes, otlp_time time);

  /// An ExponentialHistogram data point from buckets (no min or max: they are optional).
  /// `invalid_argument` also when `count` is not zero_count plus the bucket counts, the sum or
  /// zero threshold is not finite, or the scale is outside OTLP's -10..20.
  status add_exponential_histogram(std::string_view name, std::string_view unit, const otlp_exponential_buckets& h,
                                   const otlp_attributes& attributes, otlp_time time);

  /// A monotonic cumulative Sum data point with an integer value (a count).
  status add_count(std::string_view name, std::string_view unit, std::uint64_t value,
                   const otlp_attributes& attributes, otlp_time time);

  /// A Gauge data point with a double value (e.g. an NPS score, a CES mean).
  status add_gauge(std::string_view name, std::string_view unit, double value,
                   const otlp_attributes& attributes, otlp_time time);

  /// One count point per NPS answer 0..10 (unit "{answer}") with the attributes plus
  /// `answer` (int) and `category` (detractor / passive / promoter). Zero counts are written too,
  /// so a backend sees the full distribution.
  status add_nps_tally(std::string_view name, const nps_tally& tally, const otlp_attributes& attributes,
                       otlp_time time);

  /// One count point per scale point (unit "{answer}") with the attributes plus `answer` (int)
  /// and `top_box` (bool).
  status add_scale_tally(std::string_view name, const scale_tally& tally, const otlp_attributes& attributes,
                         otlp_time time);

  /// The number of data points added so far.
  std::size_t point_count() const noexcept;

  /// The request as OTLP/JSON (see the file comment). Allocates.
  std::string to_json() const;

 private:
  // The one writer of exponential-histogram points; min_max is {min, max} or null.
  status add_histogram_point(std::string_view name, std::string_view unit, const otlp_exponential_buckets& h,
                             const double* min_max, const otlp_attributes& attributes, otlp_time time);
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// One sketch as a complete OTLP/JSON request (a convenience over `otlp_builder`, used by the
/// wasm bindings).
CXM_API result<std::string> duration_sketch_to_otlp_json(std::string_view name, std::string_view unit,
                                                        const duration_sketch& sketch,
                                                        const otlp_attributes& attributes, otlp_time time);

CXM_END_NAMESPACE

#endif  // CXM_EXPORT_OTLP_HPP
