// SPDX-License-Identifier: MIT
// The record path of the journey tracker does not allocate in steady state: once the
// journey slots, sketches and interned names exist, journeys open, run, close and are
// forgotten without a call to operator new. A program of its own (it replaces the global
// operator new/delete to count allocations).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "cxm/journey/tracker.hpp"
#include "counting_new.hpp"

using cxm_test::allocations;

namespace {

using cxm::journey_event;
using cxm::journey_event_type;

const char* const definition = R"({"format":"cxm.journey","version":1,"id":"alloc","revision":1,
 "abandon_after_ms":86400000,"reorder_window_ms":5000,"recontact_window_days":7,"max_open_journeys":64,
 "stages":[{"name":"s","steps":[
  {"name":"application","touchpoint":"form","channel":"web"},
  {"name":"identity_check","touchpoint":"id","channel":"app"}]}]})";

void run_batch(cxm::journey_tracker& t, const std::vector<std::string>& ids, std::size_t from, std::size_t to) {
  static const cxm::attribute seg[2] = {{"customer", "private"}, {"age", "young"}};
  for (std::size_t i = from; i < to; ++i) {
    const auto t0 = static_cast<std::int64_t>(i) * 100000;
    journey_event e;
    e.journey_id = ids[i];
    e.type = journey_event_type::step_begin;
    e.step = "application";
    e.channel = i % 2 == 0 ? "web" : "app";
    e.segment = seg;
    e.segment_size = 2;
    e.timestamp_ms = t0;
    (void)t.record(e);
    e.segment = nullptr;
    e.segment_size = 0;
    e.type = journey_event_type::contact;
    e.step = {};
    e.channel = "phone";
    e.timestamp_ms = t0 + 700;
    (void)t.record(e);
    e.type = journey_event_type::quote;
    e.key = "fee";
    e.value = 4.5;
    e.timestamp_ms = t0 + 800;
    (void)t.record(e);
    e.type = journey_event_type::step_end;
    e.step = "application";
    e.timestamp_ms = t0 + 1000 + static_cast<std::int64_t>(i % 5000);  // out of order within the window
    (void)t.record(e);
    e.type = journey_event_type::wait;
    e.step = {};
    e.duration_ms = 60000;
    e.timestamp_ms = t0 + 900;
    (void)t.record(e);
    e.type = journey_event_type::complete;
    e.timestamp_ms = t0 + 9000;
    (void)t.record(e);
  }
}

TEST(JourneyAlloc, RecordDoesNotAllocateInSteadyState) {
  auto def = cxm::journey_definition_from_json(definition);
  ASSERT_TRUE(def.ok()) << def.detail();
  auto made = cxm::journey_tracker::make(*def);
  ASSERT_TRUE(made.ok());
  cxm::journey_tracker t = std::move(made).value();
  std::vector<std::string> ids;
  for (int i = 0; i < 20000; ++i) ids.push_back("journey-with-a-long-id-" + std::to_string(100000 + i));
  run_batch(t, ids, 0, 2000);  // warm up: slots, index, sketches, names
  const std::size_t before = allocations.load();
  run_batch(t, ids, 2000, ids.size());
  const std::size_t during = allocations.load() - before;
  EXPECT_EQ(during, 0u) << "allocations while recording";
  t.finish();
  const auto r = t.report();
  EXPECT_EQ(r.rejected_total(), 0u);
  EXPECT_EQ(r.total().completed, 20000u);
}

}  // namespace
