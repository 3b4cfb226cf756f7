// SPDX-License-Identifier: MIT
// A duration sketch in the terms of a Prometheus native histogram: schema, zero bucket, and the
// counts of consecutive buckets. Series of an exposition merge in this form (folding series
// into the overflow series, several snapshots into one series) without keeping each sketch's
// preallocated bucket array.
#ifndef CXM_SERVER_METRICS_NATIVE_HISTOGRAM_HPP
#define CXM_SERVER_METRICS_NATIVE_HISTOGRAM_HPP

#include <cstdint>
#include <vector>

#include <cxm/core/status.hpp>
#include <cxm/sketch/duration_sketch.hpp>

namespace cxm::prometheus {

/// The buckets of a duration sketch at a Prometheus schema.
///
/// The sketch and Prometheus share the base-2 exponential layout (base = 2^(2^-schema)) but
/// number buckets differently: OpenTelemetry's (and the sketch's) bucket i is (base^i,
/// base^(i+1)], Prometheus's bucket i is (base^(i-1), base^i]. `offset` and `counts` keep the
/// sketch's numbering; `prometheus_index` converts. Prometheus accepts schemas -4..8 only: a
/// finer sketch is downscaled exactly (bucket i becomes i >> (scale - 8); buckets nest, so
/// no count moves across a boundary); a coarser one than -4 cannot be refined and is refused.
struct native_histogram {
  static constexpr int max_schema = 8;
  static constexpr int min_schema = -4;

  int schema = 0;
  double zero_threshold = 0.0;        ///< the sketch's: values at or below it are in zero_count
  std::uint64_t zero_count = 0;
  std::uint64_t count = 0;            ///< zero_count + every bucket's count
  double sum = 0.0;
  std::int32_t offset = 0;            ///< sketch (OpenTelemetry) index of counts[0]
  std::vector<std::uint64_t> counts;  ///< consecutive buckets; empty when every value is a zero

  /// The Prometheus index of sketch bucket `otel_index`: one more (upper bound base^(i+1)).
  static std::int64_t prometheus_index(std::int64_t otel_index) noexcept { return otel_index + 1; }

  /// `s` at schema min(s.scale(), 8). `out_of_range` when s.scale() < -4.
  static result<native_histogram> from_sketch(const duration_sketch& s);

  /// Adds `other`: both go to the lower schema first (exact). `incompatible` when the zero
  /// thresholds differ (a zero bucket cannot be split), `out_of_range` when a count would
  /// overflow. Unchanged on error.
  status merge(const native_histogram& other);

  /// Lowers the schema by `k` >= 0 steps: bucket i becomes i >> k.
  void downscale(int k);
};

}  // namespace cxm::prometheus

#endif  // CXM_SERVER_METRICS_NATIVE_HISTOGRAM_HPP
