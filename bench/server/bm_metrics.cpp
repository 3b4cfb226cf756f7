// SPDX-License-Identifier: MIT
// GET /metrics: building and encoding a 10,000-series exposition of step durations (100 steps
// x 10 channels x 10 segments, one native histogram each) with prometheus::exposition, in the
// protobuf delimited format Prometheus scrapes for native histograms and in the text format.
//
// Data: each series' sketch holds 500 lognormal durations (median 1000-100000 ms by step,
// sigma 0.6; std::mt19937_64 seeded 14), recorded once before timing. Timed: declaring the
// family, adding the 10,000 sketches (each converted to a native histogram) and encoding.
// The OTLP push encodes the same exposition as OTLP/HTTP JSON (exposition::to_otlp_json), then
// gzips it (what cxm serve --otlp-endpoint sends every interval).
// Names: BM_Metrics_Exposition/{0: protobuf, 1: text, 2: building only, 3: OTLP JSON, 4: OTLP
// JSON + gzip}; counters: series, bytes (of one encoded exposition, gzipped for 4), buckets
// (non-empty, all series).
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <cxm/sketch/duration_sketch.hpp>

#include "server/http/gzip.hpp"
#include "server/metrics/exposition.hpp"

namespace {

struct series_data {
  std::vector<std::vector<std::string>> labels;
  std::vector<cxm::duration_sketch> sketches;
  double buckets = 0;
};

const series_data& data() {
  static const series_data d = [] {
    series_data out;
    std::mt19937_64 rng(14);
    for (int step = 0; step < 100; ++step) {
      std::lognormal_distribution<double> dist(std::log(1000.0 * std::pow(100.0, step / 99.0)), 0.6);
      for (int channel = 0; channel < 10; ++channel)
        for (int segment = 0; segment < 10; ++segment) {
          out.labels.push_back({"step-" + std::to_string(step), "channel-" + std::to_string(channel),
                                "segment-" + std::to_string(segment)});
          cxm::duration_sketch s;
          for (int i = 0; i < 500; ++i) (void)s.record(std::round(dist(rng)));
          s.for_each_bucket([&](std::int32_t, std::uint64_t c) { out.buckets += c > 0 ? 1 : 0; });
          out.sketches.push_back(std::move(s));
        }
    }
    return out;
  }();
  return d;
}

void BM_Metrics_Exposition(benchmark::State& state) {
  // 0: protobuf, 1: text, 2: building only (no encoding), to tell the two costs apart.
  const bool protobuf = state.range(0) == 0;
  const series_data& d = data();
  std::size_t bytes = 0;
  for (auto _ : state) {
    cxm::prometheus::exposition e(d.sketches.size());
    (void)e.add_histogram_family("cxm_step_duration_milliseconds", "Step durations, in milliseconds",
                                 {"step", "channel", "segment_customer"});
    for (std::size_t i = 0; i < d.sketches.size(); ++i)
      (void)e.add("cxm_step_duration_milliseconds", d.labels[i], d.sketches[i]);
    if (state.range(0) == 2) {
      benchmark::DoNotOptimize(e);
      continue;
    }
    std::string out;
    if (state.range(0) >= 3) {
      out = e.to_otlp_json({cxm::otlp_attribute::str("service.name", "cxm-serve")}, {1, 2});
      if (state.range(0) == 4) out = std::move(*cxm::server::gzip(out));
    } else {
      out = protobuf ? e.to_protobuf() : e.to_text();
    }
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  static const char* const labels[] = {"protobuf", "text", "build only", "OTLP JSON", "OTLP JSON + gzip"};
  state.SetLabel(labels[state.range(0)]);
  state.counters["series"] = static_cast<double>(d.sketches.size());
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["buckets"] = d.buckets;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.sketches.size()));
}
BENCHMARK(BM_Metrics_Exposition)->DenseRange(0, 4)->Unit(benchmark::kMillisecond);

}  // namespace
