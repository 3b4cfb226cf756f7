// SPDX-License-Identifier: MIT
// The Prometheus exposition of cxm aggregates: counter families and native-histogram families,
// written in the protobuf delimited format (io.prometheus.client.MetricFamily, the only format
// that carries native histograms to Prometheus 2.x) or the text format 0.0.4.
#ifndef CXM_SERVER_METRICS_EXPOSITION_HPP
#define CXM_SERVER_METRICS_EXPOSITION_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <cxm/core/status.hpp>
#include <cxm/export/otlp.hpp>
#include <cxm/sketch/duration_sketch.hpp>

#include "server/metrics/native_histogram.hpp"

namespace cxm::prometheus {

/// The Content-Type (and Accept value) of the protobuf delimited exposition.
inline constexpr std::string_view protobuf_content_type =
    "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";
/// The Content-Type of the text exposition.
inline constexpr std::string_view text_content_type = "text/plain; version=0.0.4; charset=utf-8";

/// The label value a series gets for every label once its family is full.
inline constexpr std::string_view overflow_value = "__overflow__";
/// The gauge family that counts, per family, the label sets folded into its overflow series.
inline constexpr const char* overflow_family = "cxm_exposition_overflow_series";
inline constexpr const char* overflow_help = "Label sets of a family folded into its __overflow__ series (cardinality cap)";

/// Builds one exposition: families declared first, then series added (adding to a series that
/// exists merges into it: counters add, histograms merge), then encoded.
///
/// @par Cardinality
/// Every family holds at most `max_series` series. A label set that would be one more goes to
/// the family's overflow series instead, whose every label value is `__overflow__`, so sums
/// over the family stay exact; the number of distinct label sets folded there is written as
/// `cxm_exposition_overflow_series{family="..."}` (a gauge, one per family that folded any).
/// Which sets fold depends on the order of adds: callers that want stable series (counters that
/// only grow) add in a stable order or keep the cap upstream, where series are first created.
///
/// @par Thread safety
/// None: build one per scrape.
class exposition {
 public:
  explicit exposition(std::size_t max_series = 10000) : max_series_(max_series) {}

  /// Declares a family. `name` must match [a-zA-Z_:][a-zA-Z0-9_:]*, label names
  /// [a-zA-Z_][a-zA-Z0-9_]* and not start with "__". `invalid_argument` otherwise or when the
  /// name is declared already.
  status add_counter_family(std::string name, std::string help, std::vector<std::string> label_names);
  status add_gauge_family(std::string name, std::string help, std::vector<std::string> label_names);
  status add_histogram_family(std::string name, std::string help, std::vector<std::string> label_names);

  /// Adds `value` to the counter (or sets the gauge) with these label values (one per label
  /// name, in declaration order; UTF-8). `not_found` (no such family or another type),
  /// `invalid_argument` (wrong number of values).
  status add(std::string_view family, const std::vector<std::string>& label_values, double value);
  /// Merges `h` into the histogram series with these label values. As above, and merge's
  /// `incompatible` (another zero threshold than the series').
  status add(std::string_view family, const std::vector<std::string>& label_values, const native_histogram& h);
  /// The same, taking `h`'s buckets when the series is new.
  status add(std::string_view family, const std::vector<std::string>& label_values, native_histogram&& h);
  /// The sketch at schema min(scale, 8); `out_of_range` below schema -4.
  status add(std::string_view family, const std::vector<std::string>& label_values, const duration_sketch& s);

  /// Label sets folded into `family`'s overflow series so far.
  std::uint64_t overflowed(std::string_view family) const;

  /// Every family, by name, as length-delimited MetricFamily messages (varint32 size, then the
  /// message; protobuf's documented delimited framing).
  std::string to_protobuf() const;

  /// The text format 0.0.4. It has no native histograms: a histogram family is written as a
  /// summary without quantiles (its _sum and _count), so a text scrape still sees how many
  /// durations there were and their total.
  std::string to_text() const;

  /// The same series as one OTLP/HTTP ExportMetricsServiceRequest in JSON (cxm/export/otlp.hpp),
  /// for the OTLP push: counters as monotonic cumulative sums, gauges as gauges, histograms as
  /// exponential histograms with their buckets as held (the schema is OTLP's scale, the
  /// bucket numbering is the sketch's, which is OTLP's). A family's OTLP name is its name
  /// without `_total` and without a unit suffix, `_` written as `.`, the unit in `unit`
  /// (`cxm_step_duration_milliseconds` is `cxm.step.duration` in "ms"): what Prometheus 3
  /// turns back into the same name when it ingests OTLP. Labels become string attributes.
  std::string to_otlp_json(const otlp_attributes& resource, otlp_time time) const;

 private:
  enum class kind : std::uint8_t { counter, gauge, histogram };
  struct series {
    std::vector<std::string> values;
    double value = 0.0;
    native_histogram histogram;
    bool has_histogram = false;
  };
  struct family {
    kind type = kind::counter;
    std::string help;
    std::vector<std::string> label_names;
    std::vector<series> rows;
    std::unordered_map<std::string, std::size_t> index;  ///< joined label values -> rows index
    std::unordered_set<std::string> folded;              ///< label sets sent to the overflow series
  };
  status declare(kind type, std::string name, std::string help, std::vector<std::string> label_names);
  result<series*> find_series(std::string_view family, kind type, const std::vector<std::string>& values);
  std::map<std::string, family, std::less<>> families_;  // by name: a stable output order
  std::size_t max_series_;
};

}  // namespace cxm::prometheus

#endif  // CXM_SERVER_METRICS_EXPOSITION_HPP
