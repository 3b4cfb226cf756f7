// SPDX-License-Identifier: MIT
// Journeys through the C ABI: a small journey worked out by hand (durations are end - begin
// of the events below), the bundled example data against counts taken from the input files
// themselves, report JSON round trips and merges.
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "capi_test_support.hpp"

using namespace capi_test;

namespace {

journey_tracker tracker_for(const std::string& definition) {
  cxm_journey_definition* d = nullptr;
  EXPECT_EQ(cxm_journey_definition_from_json(definition.data(), definition.size(), &d), CXM_OK) << detail();
  const journey_definition hd(d);
  cxm_journey_tracker* t = nullptr;
  EXPECT_EQ(cxm_journey_tracker_create(d, &t), CXM_OK) << detail();
  return journey_tracker(t);  // the definition was copied: its handle is freed here
}

std::string report_json(const cxm_journey_report* r) {
  char* out = nullptr;
  std::size_t len = 0;
  EXPECT_EQ(cxm_journey_report_to_json(r, &out, &len), CXM_OK) << detail();
  return take(out, len);
}

journey_report report_of(const cxm_journey_tracker* t) {
  cxm_journey_report* r = nullptr;
  EXPECT_EQ(cxm_journey_tracker_report(t, &r), CXM_OK) << detail();
  return journey_report(r);
}

// RFC 4648 base64 (the report's sketches are their binary form in base64), written here.
std::vector<std::uint8_t> base64(const std::string& text) {
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<std::uint8_t> out;
  std::uint32_t bits = 0;
  int n = 0;
  for (char c : text) {
    const std::size_t v = alphabet.find(c);
    if (v == std::string::npos) break;  // '=' padding
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    if ((n += 6) >= 8) {
      n -= 8;
      out.push_back(static_cast<std::uint8_t>(bits >> n));
    }
  }
  return out;
}

// The figures of a sketch in the report JSON (its base64 binary form), through the C ABI.
cxm_sketch_stats sketch_stats(const json::value& base64_text) {
  const std::vector<std::uint8_t> bytes = base64(std::string(base64_text.as_string()));
  cxm_duration_sketch* s = nullptr;
  cxm_sketch_stats st{};
  EXPECT_EQ(cxm_duration_sketch_decode(bytes.data(), bytes.size(), &s), CXM_OK) << detail();
  EXPECT_EQ(cxm_duration_sketch_stats(s, &st), CXM_OK);
  cxm_duration_sketch_destroy(s);
  return st;
}

// The hand-worked journey: j1 goes through application (1000-4000: 3000 ms) and
// identity_check (5000-12000: 7000 ms) and completes; j2 spends 500 ms in application
// (2000-2500) and abandons. Line 7 has an unknown type, line 10 ends a journey that never
// began, line 6 is blank, and the last line has no newline.
const char* const events =
    R"({"journey_id":"j1","type":"step_begin","step":"application","channel":"web","timestamp":1000})" "\n"
    R"({"journey_id":"j2","type":"step_begin","step":"application","channel":"branch","timestamp":2000})" "\n"
    R"({"journey_id":"j2","type":"step_end","step":"application","timestamp":2500})" "\n"
    R"({"journey_id":"j2","type":"abandon","timestamp":3000})" "\n"
    R"({"journey_id":"j1","type":"step_end","step":"application","timestamp":4000})" "\n"
    "\n"
    R"({"journey_id":"j3","type":"teleport","timestamp":4500})" "\n"
    R"({"journey_id":"j1","type":"step_begin","step":"identity_check","channel":"app","timestamp":5000})" "\n"
    R"({"journey_id":"j1","type":"step_end","step":"identity_check","timestamp":12000})" "\n"
    R"({"journey_id":"j9","type":"step_end","step":"application","timestamp":12500})" "\n"
    R"({"journey_id":"j1","type":"complete","timestamp":13000})";

// r1 and r2 attach to application; r1 comes twice; r3 names no step of the journey; r4's NPS
// is off the scale (a problem of line 5; the response still attaches); line 6 is not JSON.
const char* const responses =
    R"({"id":"r1","survey_id":"s","journey_id":"j1","step":"application","answers":{"nps":9,"ces":6}})" "\n"
    R"({"id":"r2","survey_id":"s","journey_id":"j2","step":"application","answers":{"nps":3}})" "\n"
    R"({"id":"r1","survey_id":"s","journey_id":"j1","step":"application","answers":{"nps":9,"ces":6}})" "\n"
    R"({"id":"r3","survey_id":"s","journey_id":"j1","step":"nowhere","answers":{"nps":10}})" "\n"
    R"({"id":"r4","survey_id":"s","journey_id":"j1","step":"identity_check","answers":{"nps":11}})" "\n"
    R"({"id":)" "\n";

}  // namespace

TEST(CapiJourney, HandWorkedJourney) {
  const journey_tracker t = tracker_for(test_data("journeys/definition.json"));
  const std::string ev = events;
  cxm_jsonl_stats st{};
  char* problems = nullptr;
  std::size_t problems_len = 0;
  ASSERT_EQ(cxm_journey_tracker_add_events(t.get(), ev.data(), ev.size(), &st, &problems, &problems_len), CXM_OK);
  EXPECT_EQ(st.lines, 11u);
  EXPECT_EQ(st.blank_lines, 1u);
  EXPECT_EQ(st.records, 9u);
  EXPECT_EQ(st.rejected_lines, 1u);
  EXPECT_EQ(st.problems, 1u);
  const json::value p = parse(take(problems, problems_len));
  ASSERT_EQ(p.as_array().size(), 1u);
  EXPECT_EQ(p.at(0).at("line").as_int64(), 7);
  EXPECT_EQ(p.at(0).at("path").as_string(), "type");
  EXPECT_FALSE(p.at(0).at("reason").as_string().empty());
  EXPECT_EQ(p.at(0).at("code_name").as_string(), cxm_status_name(static_cast<cxm_status>(p.at(0).at("code").as_int64())));

  std::uint64_t open = 0;
  ASSERT_EQ(cxm_journey_tracker_open_journeys(t.get(), &open), CXM_OK);
  EXPECT_LE(open, 2u);  // j1 and j2 until their last events leave the reorder window
  ASSERT_EQ(cxm_journey_tracker_advance(t.get(), 100000), CXM_OK);
  ASSERT_EQ(cxm_journey_tracker_open_journeys(t.get(), &open), CXM_OK);
  EXPECT_EQ(open, 0u);  // both closed (complete, abandon)

  const std::string rs = responses;
  ASSERT_EQ(cxm_journey_tracker_add_responses(t.get(), rs.data(), rs.size(), &st, &problems, nullptr), CXM_OK);
  EXPECT_EQ(st.lines, 6u);
  EXPECT_EQ(st.records, 5u);
  EXPECT_EQ(st.rejected_lines, 1u);
  EXPECT_EQ(st.problems, 2u);
  const json::value rp = parse(problems);
  cxm_string_free(problems);
  ASSERT_EQ(rp.as_array().size(), 2u);
  EXPECT_EQ(rp.at(0).at("line").as_int64(), 5);
  EXPECT_EQ(rp.at(0).at("path").as_string(), "answers.nps");
  EXPECT_EQ(rp.at(0).at("code_name").as_string(), "out_of_range");
  EXPECT_EQ(rp.at(1).at("line").as_int64(), 6);
  ASSERT_EQ(cxm_journey_tracker_finish(t.get()), CXM_OK);

  const journey_report r = report_of(t.get());
  const json::value j = parse(report_json(r.get()));
  EXPECT_EQ(j.at("format").as_string(), "cxm.journey_report");
  EXPECT_EQ(j.at("journey").at("id").as_string(), "test-switch");
  const json::object& seg = j.at("segments").as_object();
  ASSERT_EQ(seg.size(), 1u);  // no segment attributes: one segment, ""
  const json::value& all = seg.begin()->value();
  EXPECT_EQ(all.at("started").as_int64(), 2);
  EXPECT_EQ(all.at("completed").as_int64(), 1);
  EXPECT_EQ(all.at("abandoned").as_int64(), 1);
  EXPECT_EQ(j.at("rejected").at("unknown_journey").as_int64(), 1);
  // Step durations by (step, segment, channel): application 3000 ms on web, 500 ms in the
  // branch; identity_check 7000 ms in the app.
  std::set<std::string> cells;
  for (const json::value& d : j.at("durations").as_array()) {
    const cxm_sketch_stats s = sketch_stats(d.at("sketch"));
    cells.insert(std::string(d.at("step").as_string()) + "/" + std::string(d.at("channel").as_string()) + " n=" +
                 std::to_string(s.count) + " min=" + std::to_string(static_cast<int>(s.min)) +
                 " max=" + std::to_string(static_cast<int>(s.max)));
  }
  EXPECT_EQ(cells, (std::set<std::string>{"application/branch n=1 min=500 max=500",
                                          "application/web n=1 min=3000 max=3000",
                                          "identity_check/app n=1 min=7000 max=7000"}));
  const json::value& survey = j.at("survey");
  EXPECT_EQ(survey.at("attached").as_int64(), 3);
  EXPECT_EQ(survey.at("duplicate").as_int64(), 1);
  EXPECT_EQ(survey.at("unknown_step").as_int64(), 1);
}

TEST(CapiJourney, BundledExampleCountsMatchTheInputFiles) {
  const std::string events_text = example_data("events.jsonl");
  const std::string responses_text = example_data("responses.jsonl");
  // What the files hold, counted here: lines, journeys, complete events, responses.
  std::set<std::string> journeys;
  std::uint64_t lines = 0, completes = 0;
  {
    std::istringstream in(events_text);
    for (std::string line; std::getline(in, line); ++lines) {
      const json::value e = parse(line);
      journeys.insert(std::string(e.at("journey_id").as_string()));
      completes += e.at("type").as_string() == "complete";
    }
  }
  const journey_tracker t = tracker_for(example_data("journey.json"));
  // Fed in calls of whole lines, about 1000 each.
  std::uint64_t fed_lines = 0, records = 0;
  for (std::size_t begin = 0; begin < events_text.size();) {
    std::size_t end = begin;
    for (int n = 0; n < 1000 && end < events_text.size(); ++n) {
      const std::size_t newline = events_text.find('\n', end);
      end = newline == std::string::npos ? events_text.size() : newline + 1;
    }
    cxm_jsonl_stats st{};
    ASSERT_EQ(cxm_journey_tracker_add_events(t.get(), events_text.data() + begin, end - begin, &st, nullptr, nullptr),
              CXM_OK);
    EXPECT_EQ(st.problems, 0u);
    fed_lines += st.lines;
    records += st.records;
    begin = end;
  }
  EXPECT_EQ(fed_lines, lines);
  EXPECT_EQ(records, lines);
  ASSERT_EQ(cxm_journey_tracker_finish(t.get()), CXM_OK);
  cxm_jsonl_stats st{};
  ASSERT_EQ(cxm_journey_tracker_add_responses(t.get(), responses_text.data(), responses_text.size(), &st, nullptr,
                                              nullptr),
            CXM_OK);
  EXPECT_EQ(st.records, 3027u);  // examples/data/responses.jsonl: 3027 lines, each a response
  EXPECT_EQ(st.problems, 0u);

  const journey_report r = report_of(t.get());
  const std::string text = report_json(r.get());
  const json::value j = parse(text);
  std::int64_t started = 0, completed = 0;
  for (const auto& kv : j.at("segments").as_object()) {
    started += kv.value().at("started").as_int64();
    completed += kv.value().at("completed").as_int64();
  }
  EXPECT_EQ(started, static_cast<std::int64_t>(journeys.size()));
  EXPECT_EQ(completed, static_cast<std::int64_t>(completes));
  EXPECT_EQ(j.at("survey").at("attached").as_int64(), 3027);

  // The JSON form reads back equal, and a report merged with itself counts everything twice.
  cxm_journey_report* back = nullptr;
  ASSERT_EQ(cxm_journey_report_from_json(text.data(), text.size(), &back), CXM_OK) << detail();
  const journey_report hback(back);
  EXPECT_EQ(report_json(back), text);
  ASSERT_EQ(cxm_journey_report_merge(back, r.get()), CXM_OK);
  ASSERT_EQ(cxm_journey_report_merge(back, back), CXM_OK);
  const json::value four = parse(report_json(back));
  std::int64_t started4 = 0;
  for (const auto& kv : four.at("segments").as_object()) started4 += kv.value().at("started").as_int64();
  EXPECT_EQ(started4, 4 * started);
  EXPECT_EQ(four.at("survey").at("attached").as_int64(), 4 * 3027);
}

TEST(CapiJourney, DefinitionsAndReportsRefuseWhatTheyCannotRead) {
  const std::string definition = test_data("journeys/definition.json");
  cxm_journey_definition* d = nullptr;
  ASSERT_EQ(cxm_journey_definition_from_json(definition.data(), definition.size(), &d), CXM_OK);
  const journey_definition hd(d);
  char* out = nullptr;
  std::size_t len = 0;
  ASSERT_EQ(cxm_journey_definition_to_json(d, &out, &len), CXM_OK);
  const json::value canonical = parse(take(out, len));
  EXPECT_EQ(canonical.at("id").as_string(), "test-switch");
  EXPECT_EQ(canonical.at("stages").at(1).at("steps").at(1).at("funnel").as_bool(), false);

  const std::string bad_step = R"({"format":"cxm.journey","version":1,"id":"x","revision":0,"abandon_after_ms":1,)"
                               R"("reorder_window_ms":0,"recontact_window_days":7,"max_open_journeys":1,)"
                               R"("stages":[{"name":"a","steps":[{"name":"s","touchpoint":"t","channel":7}]}]})";
  cxm_journey_definition* bad = reinterpret_cast<cxm_journey_definition*>(&bad);
  EXPECT_EQ(cxm_journey_definition_from_json(bad_step.data(), bad_step.size(), &bad), CXM_WRONG_TYPE);
  EXPECT_EQ(bad, nullptr);
  EXPECT_NE(detail().find("stages[0].steps[0].channel"), std::string::npos) << detail();
  const std::string survey = test_data("surveys/conditions.json");
  EXPECT_EQ(cxm_journey_definition_from_json(survey.data(), survey.size(), &bad), CXM_INCOMPATIBLE);

  // Reports of different journeys do not merge; the first stays as it was.
  const journey_tracker a = tracker_for(definition);
  const journey_tracker b = tracker_for(example_data("journey.json"));
  const journey_report ra = report_of(a.get()), rb = report_of(b.get());
  const std::string before = report_json(ra.get());
  EXPECT_EQ(cxm_journey_report_merge(ra.get(), rb.get()), CXM_INCOMPATIBLE);
  EXPECT_EQ(report_json(ra.get()), before);
  cxm_journey_report* r = nullptr;
  EXPECT_EQ(cxm_journey_report_from_json("{}", 2, &r), CXM_MISSING_FIELD) << detail();
  EXPECT_EQ(r, nullptr);
  EXPECT_EQ(cxm_journey_report_from_json(survey.data(), survey.size(), &r), CXM_INCOMPATIBLE);
}

TEST(CapiJourney, HostileLinesAreCountedNotFatal) {
  const journey_tracker t = tracker_for(test_data("journeys/definition.json"));
  // Invalid UTF-8, a NUL byte, a line over the 64 KiB limit, deep nesting, trailing garbage.
  const std::string text = "{\"journey_id\":\"\xff\",\"type\":\"complete\",\"timestamp\":1}\n" + std::string("\0\n", 2) +
                           std::string(70000, 'x') + "\n" + std::string(100, '[') + "\n" +
                           R"({"journey_id":"j1","type":"complete","timestamp":1} x)" "\n";
  cxm_jsonl_stats st{};
  char* problems = nullptr;
  ASSERT_EQ(cxm_journey_tracker_add_events(t.get(), text.data(), text.size(), &st, &problems, nullptr), CXM_OK);
  EXPECT_EQ(st.lines, 5u);
  EXPECT_EQ(st.records, 0u);
  EXPECT_EQ(st.rejected_lines, 5u);
  const json::value p = parse(problems);
  cxm_string_free(problems);
  ASSERT_EQ(p.as_array().size(), 5u);
  EXPECT_EQ(p.at(0).at("code_name").as_string(), "invalid_utf8");
  EXPECT_EQ(p.at(2).at("code_name").as_string(), "too_large");
  // An empty call is fine, with or without a pointer.
  ASSERT_EQ(cxm_journey_tracker_add_events(t.get(), nullptr, 0, &st, nullptr, nullptr), CXM_OK);
  EXPECT_EQ(st.lines, 0u);
  ASSERT_EQ(cxm_journey_tracker_add_responses(t.get(), "", 0, &st, nullptr, nullptr), CXM_OK);
}
