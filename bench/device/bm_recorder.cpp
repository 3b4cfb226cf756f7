// SPDX-License-Identifier: MIT
// The thread-safe recorder: the cost of one record against the plain type it shards (an NPS
// tally's add, a sketch's record), through the C++ API and the C ABI, and the throughput of one
// and two threads recording into one recorder at once.
//
// Data: 4096 NPS answers (the "realistic" mix's weights: 4% each of 0-5, 8% of 6, 12% each of
// 7-8, 22% each of 9-10) and the first 4096 of the lognormal durations (bench/datasets.cpp),
// small enough to stay in L1 so that the loops measure the record path, not memory.
//
// Names: BM_Recorder_NpsBaseline (nps_tally::add), BM_Recorder_Nps (recorder::record),
// BM_Recorder_NpsCapi (cxm_recorder_record_int), BM_Recorder_DurationBaseline
// (duration_sketch::record), BM_Recorder_Duration (recorder::record_duration),
// BM_Recorder_DurationCapi (cxm_recorder_record_duration), BM_Recorder_NpsThreads/threads:N and
// BM_Recorder_DurationThreads/threads:N (one recorder, N threads, real time).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "cxm/device/recorder.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "datasets.hpp"
#if defined(CXM_BENCH_C_API)
#  include "cxm/cxm.h"
#endif

namespace {

constexpr std::size_t batch = 4096;

const std::vector<int>& answers() {
  static const std::vector<int> a = [] {
    constexpr int weights[11] = {40, 40, 40, 40, 40, 40, 80, 120, 120, 220, 220};  // per mille
    std::vector<int> table;
    for (int v = 0; v <= 10; ++v) table.insert(table.end(), static_cast<std::size_t>(weights[v]), v);
    std::uint64_t state = 0x63786d0000000011u;
    std::vector<int> out(batch);
    for (int& x : out) x = table[static_cast<std::size_t>(cxm_bench::splitmix64(state) % table.size())];
    return out;
  }();
  return a;
}

const std::vector<double>& durations() {
  static const std::vector<double> d(cxm_bench::lognormal_values().begin(),
                                     cxm_bench::lognormal_values().begin() + static_cast<std::ptrdiff_t>(batch));
  return d;
}

cxm::recorder make_recorder() {
  return cxm::recorder::make({{"onboarding.nps", cxm::metric_kind::nps, {}, {}},
                              {"kyc.duration_ms", cxm::metric_kind::duration, {}, {}}})
      .value();
}
constexpr std::size_t nps_metric = 0;
constexpr std::size_t duration_metric = 1;

void per_record(benchmark::State& state) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(batch));
}

// ---- one record against the plain type ------------------------------------------------------

void BM_Recorder_NpsBaseline(benchmark::State& state) {
  const std::vector<int>& a = answers();
  cxm::nps_tally tally;
  for (auto _ : state) {
    for (int v : a) benchmark::DoNotOptimize(tally.add(v));
    benchmark::ClobberMemory();
  }
  per_record(state);
}
BENCHMARK(BM_Recorder_NpsBaseline);

void BM_Recorder_Nps(benchmark::State& state) {
  const std::vector<int>& a = answers();
  cxm::recorder rec = make_recorder();
  for (auto _ : state) {
    for (int v : a) benchmark::DoNotOptimize(rec.record(nps_metric, v));
    benchmark::ClobberMemory();
  }
  per_record(state);
}
BENCHMARK(BM_Recorder_Nps);

void BM_Recorder_DurationBaseline(benchmark::State& state) {
  const std::vector<double>& d = durations();
  cxm::duration_sketch sketch;
  for (auto _ : state) {
    for (double v : d) benchmark::DoNotOptimize(sketch.record(v));
    benchmark::ClobberMemory();
  }
  per_record(state);
}
BENCHMARK(BM_Recorder_DurationBaseline);

void BM_Recorder_Duration(benchmark::State& state) {
  const std::vector<double>& d = durations();
  cxm::recorder rec = make_recorder();
  for (auto _ : state) {
    for (double v : d) benchmark::DoNotOptimize(rec.record_duration(duration_metric, v));
    benchmark::ClobberMemory();
  }
  per_record(state);
}
BENCHMARK(BM_Recorder_Duration);

#if defined(CXM_BENCH_C_API)
// A recorder of the C ABI: libcxm.so holds its own copy of the core (hidden), this one.
struct c_recorder {
  cxm_recorder* handle = nullptr;
  c_recorder() {
    cxm_metric_spec specs[2] = {{"onboarding.nps", 14, CXM_METRIC_NPS, CXM_SCALE_CES7, nullptr},
                                {"kyc.duration_ms", 15, CXM_METRIC_DURATION, CXM_SCALE_CES7, nullptr}};
    (void)cxm_recorder_create(specs, 2, &handle);
  }
  ~c_recorder() { cxm_recorder_destroy(handle); }
  c_recorder(const c_recorder&) = delete;
  c_recorder& operator=(const c_recorder&) = delete;
};

void BM_Recorder_NpsCapi(benchmark::State& state) {
  const std::vector<int>& a = answers();
  const c_recorder rec;
  if (rec.handle == nullptr) return state.SkipWithError(cxm_last_error_detail());
  for (auto _ : state) {
    for (int v : a) benchmark::DoNotOptimize(cxm_recorder_record_int(rec.handle, nps_metric, v));
    benchmark::ClobberMemory();
  }
  per_record(state);
}
BENCHMARK(BM_Recorder_NpsCapi);

void BM_Recorder_DurationCapi(benchmark::State& state) {
  const std::vector<double>& d = durations();
  const c_recorder rec;
  if (rec.handle == nullptr) return state.SkipWithError(cxm_last_error_detail());
  for (auto _ : state) {
    for (double v : d) benchmark::DoNotOptimize(cxm_recorder_record_duration(rec.handle, duration_metric, v));
    benchmark::ClobberMemory();
  }
  per_record(state);
}
BENCHMARK(BM_Recorder_DurationCapi);
#endif

// ---- threads ----------------------------------------------------------------------------------
// One recorder shared by every thread of the run (each records into its own shard): the
// throughput of N threads in real time, to compare with one.

cxm::recorder& shared_recorder() {
  static cxm::recorder rec = make_recorder();
  return rec;
}

void BM_Recorder_NpsThreads(benchmark::State& state) {
  const std::vector<int>& a = answers();
  cxm::recorder& rec = shared_recorder();
  for (auto _ : state) {
    for (int v : a) benchmark::DoNotOptimize(rec.record(nps_metric, v));
    benchmark::ClobberMemory();
  }
  per_record(state);
}
BENCHMARK(BM_Recorder_NpsThreads)->Threads(1)->Threads(2)->UseRealTime();

void BM_Recorder_DurationThreads(benchmark::State& state) {
  const std::vector<double>& d = durations();
  cxm::recorder& rec = shared_recorder();
  for (auto _ : state) {
    for (double v : d) benchmark::DoNotOptimize(rec.record_duration(duration_metric, v));
    benchmark::ClobberMemory();
  }
  per_record(state);
}
BENCHMARK(BM_Recorder_DurationThreads)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
