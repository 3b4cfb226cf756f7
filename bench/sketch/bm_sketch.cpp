// SPDX-License-Identifier: MIT
// The duration sketch: record (per value, with a count), quantile, merge at the same and at
// different scales, binary and JSON encoding, the mapping alone (table vs logarithm), and the
// bytes a sketch of 1M lognormal durations takes in memory and serialized.
//
// Data: 1,000,000 lognormal durations in ms (median 2000, sigma 1.2), from splitmix64 and a
// Box-Muller transform, generated once. Names: BM_Sketch_Record, BM_Sketch_RecordCount,
// BM_Sketch_Quantile/<q per mille>, BM_Sketch_Merge/{same,different}_scale,
// BM_Sketch_EncodeBinary, BM_Sketch_DecodeBinary, BM_Sketch_ToJson, BM_Sketch_FromJson,
// BM_Sketch_Index/{table,logarithm}, BM_Sketch_Bytes (counters only).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/sketch/duration_sketch_codec.hpp"
#include "datasets.hpp"

namespace {

using cxm_bench::lognormal_values;

cxm::duration_sketch sketch_of(const std::vector<double>& values, int scale = 6) {
  cxm::sketch_options o;
  o.scale = scale;
  cxm::duration_sketch s = cxm::duration_sketch::make(o).value();
  for (double v : values) (void)s.record(v);
  return s;
}

const cxm::duration_sketch& full_sketch() {
  static const cxm::duration_sketch s = sketch_of(lognormal_values());
  return s;
}

void per_value_counter(benchmark::State& state, std::size_t per_iteration) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(per_iteration));
  state.counters["s_per_value"] = benchmark::Counter(
      static_cast<double>(per_iteration), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_Sketch_Record(benchmark::State& state) {
  const auto& values = lognormal_values();
  cxm::duration_sketch s;
  for (auto _ : state) {
    s.clear();
    for (double v : values) benchmark::DoNotOptimize(s.record(v));
    benchmark::ClobberMemory();
  }
  if (s.count() != values.size()) state.SkipWithError("values were rejected");
  state.counters["scale"] = s.scale();
  per_value_counter(state, values.size());
}
BENCHMARK(BM_Sketch_Record)->Unit(benchmark::kMillisecond);

void BM_Sketch_RecordCount(benchmark::State& state) {
  const auto& values = lognormal_values();
  cxm::duration_sketch s;
  for (auto _ : state) {
    s.clear();
    std::uint64_t n = 0;
    for (double v : values) benchmark::DoNotOptimize(s.record(v, 1 + (++n & 7)));
    benchmark::ClobberMemory();
  }
  per_value_counter(state, values.size());
}
BENCHMARK(BM_Sketch_RecordCount)->Unit(benchmark::kMillisecond);

void BM_Sketch_Quantile(benchmark::State& state) {
  const cxm::duration_sketch& s = full_sketch();
  const double q = static_cast<double>(state.range(0)) / 1000.0;
  for (auto _ : state) benchmark::DoNotOptimize(s.quantile(q).value());
  state.counters["buckets"] = static_cast<double>(s.bucket_count());
}
BENCHMARK(BM_Sketch_Quantile)->Arg(500)->Arg(990)->Arg(999);

void BM_Sketch_Merge(benchmark::State& state, bool different_scale) {
  const cxm::duration_sketch& other = full_sketch();  // scale 6
  cxm::duration_sketch into = sketch_of(std::vector<double>(lognormal_values().begin(),
                                                            lognormal_values().begin() + 1000),
                                        different_scale ? 4 : 6);
  for (auto _ : state) {
    benchmark::DoNotOptimize(into.merge(other));
    benchmark::ClobberMemory();
  }
  state.counters["buckets"] = static_cast<double>(other.bucket_count());
  state.counters["scale"] = into.scale();
}
BENCHMARK_CAPTURE(BM_Sketch_Merge, same_scale, false);
BENCHMARK_CAPTURE(BM_Sketch_Merge, different_scale, true);

void BM_Sketch_EncodeBinary(benchmark::State& state) {
  const cxm::duration_sketch& s = full_sketch();
  std::string out;
  for (auto _ : state) {
    cxm::encode(s, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(out.size()));
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_Sketch_EncodeBinary);

void BM_Sketch_DecodeBinary(benchmark::State& state) {
  const std::string bytes = cxm::encode(full_sketch());
  for (auto _ : state) {
    auto r = cxm::decode_duration_sketch(bytes);
    if (!r.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes.size()));
}
BENCHMARK(BM_Sketch_DecodeBinary);

void BM_Sketch_ToJson(benchmark::State& state) {
  const cxm::duration_sketch& s = full_sketch();
  std::size_t size = 0;
  for (auto _ : state) {
    std::string json = cxm::to_json(s);
    size = json.size();
    benchmark::DoNotOptimize(json.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(size));
  state.counters["bytes"] = static_cast<double>(size);
}
BENCHMARK(BM_Sketch_ToJson);

void BM_Sketch_FromJson(benchmark::State& state) {
  const std::string json = cxm::to_json(full_sketch());
  for (auto _ : state) {
    auto r = cxm::duration_sketch_from_json(json);
    if (!r.ok()) state.SkipWithError("from_json failed");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(json.size()));
}
BENCHMARK(BM_Sketch_FromJson);

// The mapping alone: the exact lookup table `index` against the logarithm made exact.
void BM_Sketch_Index(benchmark::State& state, bool table) {
  const auto& values = lognormal_values();
  const cxm::log_mapping m(6);
  for (auto _ : state) {
    std::int64_t acc = 0;
    if (table)
      for (double v : values) acc += m.index(v);
    else
      for (double v : values) acc += m.index_by_logarithm(v);
    benchmark::DoNotOptimize(acc);
  }
  per_value_counter(state, values.size());
}
BENCHMARK_CAPTURE(BM_Sketch_Index, table, true)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Sketch_Index, logarithm, false)->Unit(benchmark::kMillisecond);

// Bytes per sketch for the 1M lognormal set (targets: <= 8 KB in memory, <= 3 KB serialized).
void BM_Sketch_Bytes(benchmark::State& state) {
  const cxm::duration_sketch& s = full_sketch();
  std::size_t binary = 0;
  for (auto _ : state) binary = cxm::encode(s).size();
  state.counters["memory_bytes"] = static_cast<double>(s.memory_bytes());
  state.counters["binary_bytes"] = static_cast<double>(binary);
  state.counters["json_bytes"] = static_cast<double>(cxm::to_json(s).size());
  state.counters["buckets"] = static_cast<double>(s.bucket_count());
  state.counters["scale"] = s.scale();
  state.counters["count"] = static_cast<double>(s.count());
}
BENCHMARK(BM_Sketch_Bytes)->Iterations(1);

}  // namespace
