// SPDX-License-Identifier: MIT
// The benchmarks' data sets, generated once and the same on every run (splitmix64 and fixed
// seeds): shared by the Google Benchmark suites and cxm_instructions.
#ifndef CXM_BENCH_DATASETS_HPP
#define CXM_BENCH_DATASETS_HPP

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "cxm/journey/definition.hpp"
#include "cxm/journey/event.hpp"

namespace cxm_bench {

std::uint64_t splitmix64(std::uint64_t& state) noexcept;

/// 1,000,000 lognormal durations in ms (median 2000, sigma 1.2; splitmix64 and Box-Muller).
const std::vector<double>& lognormal_values();

/// 200,000 response records shaped like examples/data/responses.jsonl (~250 bytes each).
const std::string& responses_jsonl();
inline constexpr std::size_t responses_count = 200'000;

/// 20,000 seeded journeys of the bank-switch definition (application -> ... -> first_use with
/// begin/end, plus a contact, a transfer, a wait, a quote and a message on some, then complete
/// (90%) or abandon): about 14 events a journey, interleaved in time order. `events` are views
/// into `strings`; `jsonl` is the same stream as JSON Lines.
struct journey_dataset {
  std::deque<std::string> strings;
  std::vector<cxm::journey_event> events;
  std::string jsonl;
};
const cxm::journey_definition& journey_definition();
const journey_dataset& journey_data();
inline constexpr std::size_t journey_count = 20'000;
/// A stream's host calls advance(newest timestamp) every this many events.
inline constexpr std::size_t journey_advance_every = 4096;

}  // namespace cxm_bench

#endif  // CXM_BENCH_DATASETS_HPP
