// SPDX-License-Identifier: MIT
// The bundled example (examples/data: journey.json, events.jsonl, responses.jsonl) through the
// native tracker: its report must equal tests/data/journeys/examples_report.json (the versioned
// serialization) and examples_summary.json (funnel, per-step quantiles, effort, consistency).
// These two files are the native expectation the wasm test (wasm/test/journey.test.mjs) checks
// the JS tracker against. Regenerate them with CXM_UPDATE_JOURNEY_EXAMPLES=1 after a deliberate
// change of the tracker or the data.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "cxm/journey/definition.hpp"
#include "cxm/journey/event_reader.hpp"
#include "cxm/journey/report.hpp"
#include "cxm/journey/tracker.hpp"
#include "cxm/survey/response_reader.hpp"
#include "cxm/sketch/duration_sketch_codec.hpp"
#include "test_support.hpp"

namespace {

struct responses_to_tracker : cxm::response_sink {
  explicit responses_to_tracker(cxm::journey_tracker& tracker) : t(tracker) {}
  cxm::journey_tracker& t;
  bool on_response(const cxm::response_view& r, std::vector<cxm::problem>& problems) override {
    (void)t.add_response(r, &problems);
    return true;
  }
};

cxm::journey_report examples_report() {
  const std::string dir = CXM_EXAMPLES_DATA_DIR;
  auto d = cxm::journey_definition_from_json(cxm_test::read_file(dir + "/journey.json"));
  EXPECT_TRUE(d.ok()) << d.detail();
  auto t = cxm::journey_tracker::make(std::move(d).value());
  EXPECT_TRUE(t.ok()) << t.detail();
  cxm::journey_tracker tracker = std::move(t).value();
  cxm::journey_event_reader events;
  cxm::journey_tracker_sink sink(tracker);
  EXPECT_TRUE(cxm_test::feed_file(events, dir + "/events.jsonl", sink));
  tracker.finish();
  cxm::response_reader responses;
  responses_to_tracker rsink(tracker);
  EXPECT_TRUE(cxm_test::feed_file(responses, dir + "/responses.jsonl", rsink));
  return tracker.report();
}

std::string num(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

// One line per fact, so a difference is easy to read: funnel rows, per-step count and
// p50/p90/p99, outcomes, effort index, consistency flags.
std::string summary(const cxm::journey_report& r) {
  std::string out = "{\"funnel\":[";
  bool first = true;
  for (const cxm::funnel_row& f : r.funnel()) {
    out += first ? "\n" : ",\n";
    first = false;
    out += "{\"step\":\"" + r.steps[f.step].name + "\",\"reached\":" + std::to_string(f.reached) +
           ",\"ended\":" + std::to_string(f.ended) + ",\"conversionToNext\":" + num(f.conversion_to_next) +
           ",\"dropped\":" + std::to_string(f.dropped) + "}";
  }
  out += "],\n\"steps\":[";
  first = true;
  for (const auto& s : r.steps) {
    const cxm::duration_sketch d = r.step_durations(s.name);
    out += first ? "\n" : ",\n";
    first = false;
    out += "{\"name\":\"" + s.name + "\",\"count\":" + std::to_string(d.count());
    for (const auto& [key, q] : {std::pair<const char*, double>{"p50", 0.5}, {"p90", 0.9}, {"p99", 0.99}}) {
      const auto v = d.quantile(q);
      out += std::string(",\"") + key + "\":" + (v.ok() ? num(v.value()) : std::string("null"));
    }
    out += "}";
  }
  const cxm::journey_segment_stats total = r.total();
  out += "],\n\"outcomes\":{\"started\":" + std::to_string(total.started) +
         ",\"completed\":" + std::to_string(total.completed) + ",\"abandoned\":" + std::to_string(total.abandoned) +
         ",\"unfinished\":" + std::to_string(total.unfinished) + "},\n\"effortIndex\":" + num(total.effort.index()) +
         ",\n\"inconsistentQuotes\":[";
  first = true;
  for (const auto& c : r.quote_consistency()) {
    if (!c.inconsistent) continue;
    out += (first ? "\"" : ",\"") + c.key + "\"";
    first = false;
  }
  out += "],\n\"surveyAttached\":" + std::to_string(r.responses_attached) + "}\n";
  return out;
}

void check_or_update(const std::string& name, const std::string& actual) {
  const std::string path = std::string(CXM_TEST_DATA_DIR) + "/journeys/" + name;
  if (std::getenv("CXM_UPDATE_JOURNEY_EXAMPLES") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  const std::string expected = cxm_test::read_file(path);
  ASSERT_FALSE(expected.empty()) << path << " is missing";
  EXPECT_EQ(actual, expected) << name << " differs from the native report of examples/data";
}

TEST(JourneyExamples, ReportEqualsTheCommittedExpectation) {
  const cxm::journey_report r = examples_report();
  EXPECT_GT(r.events_applied, 20000u);
  EXPECT_GT(r.responses_attached, 1000u);
  check_or_update("examples_report.json", cxm::to_json(r) + "\n");
  check_or_update("examples_summary.json", summary(r));
}

}  // namespace
