// SPDX-License-Identifier: MIT
// The journey tracker: ingestion of pre-built events (record + finish), the JSON Lines reader
// feeding a tracker, building the report and merging two reports.
//
// Data: 20,000 seeded journeys of the examples/data/journey.json definition (bank-switch), each
// application -> identity_check -> account_opened -> card_ordered -> card_delivered -> first_use
// with begin/end, plus a contact, a transfer, a wait, a quote and a message on some, then
// complete (90%) or abandon; about 14 events a journey (280k events), interleaved in time order
// as a stream from many customers. Generated once by splitmix64, identical on every run.
// Names: BM_Journey_Ingest, BM_Journey_ReadJsonl, BM_Journey_Report, BM_Journey_Merge.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "cxm/journey/definition.hpp"
#include "cxm/journey/event.hpp"
#include "cxm/journey/event_reader.hpp"
#include "cxm/journey/report.hpp"
#include "cxm/journey/tracker.hpp"
#include "cxm/survey/response.hpp"
#include "datasets.hpp"

namespace {

using cxm_bench::journey_data;
constexpr std::size_t advance_every = cxm_bench::journey_advance_every;

cxm::journey_tracker new_tracker() { return cxm::journey_tracker::make(cxm_bench::journey_definition()).value(); }

void check(benchmark::State& state, const cxm::journey_tracker& t) {
  if (t.open_journeys() != 0) state.SkipWithError("journeys left open");
  for (std::size_t e = 1; e < cxm::journey_error_count; ++e)
    if (t.rejected(static_cast<cxm::journey_error>(e)) != 0) {
      state.SkipWithError("events were rejected");
      return;
    }
}

// record() of every event, advance() every advance_every events, and finish(): the tracker made
// (and destroyed) outside the timing.
void BM_Journey_Ingest(benchmark::State& state) {
  const auto& events = journey_data().events;
  for (auto _ : state) {
    state.PauseTiming();
    {
      cxm::journey_tracker t = new_tracker();
      state.ResumeTiming();
      std::size_t n = 0;
      for (const cxm::journey_event& e : events) {
        benchmark::DoNotOptimize(t.record(e));
        if (++n % advance_every == 0) t.advance(e.timestamp_ms);
      }
      t.finish();
      state.PauseTiming();
      check(state, t);
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(events.size()));
  state.counters["events"] = static_cast<double>(events.size());
}
BENCHMARK(BM_Journey_Ingest)->Unit(benchmark::kMillisecond);

// The same events as JSON Lines (events.jsonl's shape), fed in 64 KiB chunks to the reader and
// from it into a tracker; finish() included.
void BM_Journey_ReadJsonl(benchmark::State& state) {
  const std::string& text = journey_data().jsonl;
  for (auto _ : state) {
    state.PauseTiming();
    {
      cxm::journey_tracker t = new_tracker();
      cxm::journey_event_reader reader;
      cxm::journey_tracker_sink sink(t, advance_every);
      state.ResumeTiming();
      constexpr std::size_t chunk = 64 << 10;
      for (std::size_t at = 0; at < text.size(); at += chunk)
        reader.feed(std::string_view(text).substr(at, chunk), sink);
      reader.finish(sink);
      t.finish();
      state.PauseTiming();
      if (reader.error_count() != 0) state.SkipWithError("lines were rejected");
      check(state, t);
    }
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(journey_data().events.size()));
}
BENCHMARK(BM_Journey_ReadJsonl)->Unit(benchmark::kMillisecond);

/// A finished tracker over the events of every `stride`-th journey starting at `first`
/// (all of them for stride 1), split by journey id so reports merge exactly.
cxm::journey_tracker tracker_over(std::size_t first, std::size_t stride) {
  cxm::journey_tracker t = new_tracker();
  for (const cxm::journey_event& e : journey_data().events) {
    const std::size_t n = std::stoul(std::string(e.journey_id.substr(2)));
    if (n % stride == first) (void)t.record(e);
  }
  t.finish();
  return t;
}

void BM_Journey_Report(benchmark::State& state) {
  const cxm::journey_tracker t = tracker_over(0, 1);
  std::size_t cells = 0;
  for (auto _ : state) {
    cxm::journey_report r = t.report();
    cells = r.durations.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["duration_cells"] = static_cast<double>(cells);
}
BENCHMARK(BM_Journey_Report)->Unit(benchmark::kMicrosecond);

// merge() of one half's report into a copy of the other's (the copy outside the timing).
void BM_Journey_Merge(benchmark::State& state) {
  const cxm::journey_report a = tracker_over(0, 2).report();
  const cxm::journey_report b = tracker_over(1, 2).report();
  for (auto _ : state) {
    state.PauseTiming();
    cxm::journey_report r = a;
    state.ResumeTiming();
    if (!r.merge(b).ok()) state.SkipWithError("merge failed");
    benchmark::DoNotOptimize(r);
    state.PauseTiming();
    r = cxm::journey_report();  // free outside the timing
    state.ResumeTiming();
  }
}
BENCHMARK(BM_Journey_Merge)->Unit(benchmark::kMicrosecond);

}  // namespace
