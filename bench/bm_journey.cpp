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

#include "cxm/journey.hpp"
#include "cxm/journey_event.hpp"
#include "cxm/journey_event_reader.hpp"
#include "cxm/journey_report.hpp"
#include "cxm/journey_tracker.hpp"
#include "cxm/response.hpp"

namespace {

constexpr std::size_t journey_count = 20'000;
// The stream's host calls advance(now) every this many events (now = the newest timestamp), so
// finished journeys close as they would in a server instead of all at finish().
constexpr std::size_t advance_every = 4096;

constexpr const char* definition_json = R"({"format":"cxm.journey","version":1,"id":"bank-switch","revision":1,
 "abandon_after_ms":1209600000,"reorder_window_ms":60000,"recontact_window_days":7,"max_open_journeys":100000,
 "touchpoints":[{"name":"friend_advice","controlled":false},{"name":"social_post","controlled":false}],
 "stages":[
  {"name":"apply","steps":[
    {"name":"application","touchpoint":"online_application","channel":"web"},
    {"name":"identity_check","touchpoint":"identity_verification","channel":"app"}]},
  {"name":"open","steps":[
    {"name":"account_opened","touchpoint":"account_setup","channel":"app"},
    {"name":"card_ordered","touchpoint":"card_service","channel":"app"}]},
  {"name":"deliver","steps":[
    {"name":"card_delivered","touchpoint":"courier","channel":"branch"},
    {"name":"wrong_card","touchpoint":"card_service","channel":"phone","funnel":false}]},
  {"name":"use","steps":[
    {"name":"first_use","touchpoint":"card_payment","channel":"app"}]}]})";

std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

const cxm::journey_definition& definition() {
  static const cxm::journey_definition d = cxm::journey_definition_from_json(definition_json).value();
  return d;
}

/// The events (views into `strings`, a deque: stable addresses) in time order, and their JSON Lines.
struct dataset {
  std::deque<std::string> strings;
  std::vector<cxm::journey_event> events;
  std::string jsonl;
};

const cxm::attribute segments[3][2] = {{{"age", "young"}, {"customer", "private"}},
                                       {{"age", "middle"}, {"customer", "private"}},
                                       {{"age", "old"}, {"customer", "business"}}};
const char* const segment_json[3] = {R"({"age":"young","customer":"private"})",
                                     R"({"age":"middle","customer":"private"})",
                                     R"({"age":"old","customer":"business"})"};
const char* const steps[] = {"application", "identity_check", "account_opened",
                             "card_ordered", "card_delivered", "first_use"};
const char* const channels[] = {"web", "app", "phone", "branch"};

void append_line(std::string& out, const cxm::journey_event& e, int segment) {
  out += R"({"journey_id":")";
  out += e.journey_id;
  out += R"(","type":")";
  out += cxm::name(e.type);
  out += R"(","timestamp":)";
  out += std::to_string(e.timestamp_ms);
  if (!e.step.empty()) out.append(R"(,"step":")").append(e.step).append("\"");
  if (!e.channel.empty()) out.append(R"(,"channel":")").append(e.channel).append("\"");
  if (e.segment != nullptr) out.append(R"(,"segment":)").append(segment_json[segment]);
  if (!e.from.empty()) out.append(R"(,"from_agent":")").append(e.from).append(R"(","to_agent":")").append(e.to).append("\"");
  if (e.type == cxm::journey_event_type::wait) out.append(R"(,"duration_ms":)").append(std::to_string(e.duration_ms));
  if (e.type == cxm::journey_event_type::quote)
    out.append(R"(,"offer":")").append(e.key).append(R"(","value":)").append(std::to_string(static_cast<int>(e.value)));
  if (e.type == cxm::journey_event_type::message)
    out.append(R"(,"key":")").append(e.key).append(R"(","value":")").append(e.text).append("\"");
  out += "}\n";
}

const dataset& data() {
  static const dataset d = [] {
    dataset out;
    std::uint64_t state = 20261123;
    struct item {
      cxm::journey_event e;
      int segment;
    };
    std::vector<item> items;
    items.reserve(journey_count * 16);
    const std::int64_t t0 = 1'790'000'000'000;  // 2026-09
    for (std::size_t j = 0; j < journey_count; ++j) {
      const std::string& id = out.strings.emplace_back("j-" + std::to_string(j));
      const int seg = static_cast<int>(splitmix64(state) % 3);
      std::int64_t t = t0 + static_cast<std::int64_t>(splitmix64(state) % (30ull * 86400000));
      auto add = [&](cxm::journey_event_type type, std::string_view step = {}, std::string_view channel = {}) -> cxm::journey_event& {
        cxm::journey_event e;
        e.type = type;
        e.journey_id = id;
        e.timestamp_ms = t;
        e.step = step;
        e.channel = channel;
        if (items.empty() || items.back().e.journey_id != id) {
          e.segment = segments[seg];
          e.segment_size = 2;
        }
        items.push_back({e, seg});
        return items.back().e;
      };
      const bool completes = splitmix64(state) % 10 != 0;
      const std::size_t last = completes ? 6 : 1 + splitmix64(state) % 5;
      for (std::size_t s = 0; s < last; ++s) {
        const std::string_view channel = channels[splitmix64(state) % 4];
        add(cxm::journey_event_type::step_begin, steps[s], channel);
        t += 1000 + static_cast<std::int64_t>(splitmix64(state) % 3'600'000);
        const std::uint64_t r = splitmix64(state) % 16;
        if (r == 0) {
          add(cxm::journey_event_type::contact, steps[s], "phone").reason = "status";
          t += 60'000;
        } else if (r == 1) {
          cxm::journey_event& e = add(cxm::journey_event_type::transfer, steps[s], "phone");
          e.from = "agent-1";
          e.to = "agent-2";
        } else if (r == 2) {
          add(cxm::journey_event_type::wait, steps[s], "phone").duration_ms =
              static_cast<std::int64_t>(splitmix64(state) % 900'000);
        } else if (r == 3) {
          cxm::journey_event& e = add(cxm::journey_event_type::quote, steps[s], channel);
          e.key = "monthly_fee";
          e.value = channel == "phone" ? 5 : 4;
        } else if (r == 4) {
          cxm::journey_event& e = add(cxm::journey_event_type::message, steps[s], channel);
          e.key = "switch_guarantee";
          e.text = "7_days";
        }
        t += 1000;
        add(cxm::journey_event_type::step_end, steps[s], channel);
        t += static_cast<std::int64_t>(splitmix64(state) % 86'400'000);
      }
      add(completes ? cxm::journey_event_type::complete : cxm::journey_event_type::abandon);
    }
    std::stable_sort(items.begin(), items.end(),
                     [](const item& a, const item& b) { return a.e.timestamp_ms < b.e.timestamp_ms; });
    out.events.reserve(items.size());
    for (const item& i : items) {
      out.events.push_back(i.e);
      append_line(out.jsonl, i.e, i.segment);
    }
    return out;
  }();
  return d;
}

cxm::journey_tracker new_tracker() { return cxm::journey_tracker::make(definition()).value(); }

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
  const auto& events = data().events;
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
  const std::string& text = data().jsonl;
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
                          static_cast<std::int64_t>(data().events.size()));
}
BENCHMARK(BM_Journey_ReadJsonl)->Unit(benchmark::kMillisecond);

/// A finished tracker over the events of every `stride`-th journey starting at `first`
/// (all of them for stride 1), split by journey id so reports merge exactly.
cxm::journey_tracker tracker_over(std::size_t first, std::size_t stride) {
  cxm::journey_tracker t = new_tracker();
  for (const cxm::journey_event& e : data().events) {
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
