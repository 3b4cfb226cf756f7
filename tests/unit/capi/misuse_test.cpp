// SPDX-License-Identifier: MIT
// Misuse of the C ABI is a status with a detail, never a crash: NULL handles and out-pointers
// for every function, NULL strings with a length, lengths no buffer has, invalid UTF-8 in every
// document a function reads. (ASan and UBSan watch these in the debug preset.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "capi_test_support.hpp"

using namespace capi_test;

namespace {

struct call {
  const char* function;  // the name the detail must give
  const char* argument;  // the argument the detail must name
  std::function<cxm_status()> run;
};

// Live handles to pass where a call needs one besides the NULL under test.
struct fixtures {
  nps_tally nps;
  scale_tally scale;
  sketch durations;
  survey definition;
  journey_definition journey;
  journey_tracker tracker;
  journey_report report;

  fixtures() {
    cxm_nps_tally* n = nullptr;
    cxm_scale_tally* s = nullptr;
    cxm_duration_sketch* d = nullptr;
    cxm_survey* v = nullptr;
    cxm_journey_definition* j = nullptr;
    cxm_journey_tracker* t = nullptr;
    cxm_journey_report* r = nullptr;
    EXPECT_EQ(cxm_nps_tally_create(&n), CXM_OK);
    EXPECT_EQ(cxm_scale_tally_create(CXM_SCALE_CES7, &s), CXM_OK);
    EXPECT_EQ(cxm_duration_sketch_create(nullptr, &d), CXM_OK);
    const std::string sv = test_data("surveys/conditions.json");
    EXPECT_EQ(cxm_survey_parse(sv.data(), sv.size(), &v), CXM_OK);
    const std::string jd = test_data("journeys/definition.json");
    EXPECT_EQ(cxm_journey_definition_from_json(jd.data(), jd.size(), &j), CXM_OK);
    EXPECT_EQ(cxm_journey_tracker_create(j, &t), CXM_OK);
    EXPECT_EQ(cxm_journey_tracker_report(t, &r), CXM_OK);
    nps.reset(n);
    scale.reset(s);
    durations.reset(d);
    definition.reset(v);
    journey.reset(j);
    tracker.reset(t);
    report.reset(r);
  }
};

}  // namespace

TEST(CapiMisuse, NullHandlesAndOutPointersAreInvalidArguments) {
  const fixtures f;
  char* str = nullptr;
  std::size_t len = 0;
  std::uint8_t* bytes = nullptr;
  double x = 0;
  std::uint64_t u = 0;
  cxm_interval ci{};
  cxm_nps_counts nc{};
  cxm_scale_counts sc{};
  cxm_sketch_stats ss{};
  cxm_jsonl_stats js{};
  cxm_nps_tally* nps = nullptr;
  cxm_scale_tally* scale = nullptr;
  cxm_duration_sketch* sk = nullptr;
  cxm_survey* sv = nullptr;
  cxm_journey_definition* jd = nullptr;
  cxm_journey_tracker* jt = nullptr;
  cxm_journey_report* jr = nullptr;
  const std::uint8_t one = 1;
  const std::vector<call> calls = {
      {"cxm_nps_tally_create", "out", [&] { return cxm_nps_tally_create(nullptr); }},
      {"cxm_nps_tally_add", "tally", [&] { return cxm_nps_tally_add(nullptr, 9); }},
      {"cxm_nps_tally_add_bulk", "tally", [&] { return cxm_nps_tally_add_bulk(nullptr, &one, 1, &u); }},
      {"cxm_nps_tally_add_bulk", "answers", [&] { return cxm_nps_tally_add_bulk(f.nps.get(), nullptr, 1, &u); }},
      {"cxm_nps_tally_counts", "tally", [&] { return cxm_nps_tally_counts(nullptr, &nc); }},
      {"cxm_nps_tally_counts", "out", [&] { return cxm_nps_tally_counts(f.nps.get(), nullptr); }},
      {"cxm_nps_tally_score", "tally", [&] { return cxm_nps_tally_score(nullptr, &x); }},
      {"cxm_nps_tally_score", "out", [&] { return cxm_nps_tally_score(f.nps.get(), nullptr); }},
      {"cxm_nps_tally_interval", "tally", [&] { return cxm_nps_tally_interval(nullptr, 0.95, CXM_INTERVAL_WALD, &ci); }},
      {"cxm_nps_tally_interval", "out", [&] { return cxm_nps_tally_interval(f.nps.get(), 0.95, CXM_INTERVAL_WALD, nullptr); }},
      {"cxm_nps_tally_merge", "tally", [&] { return cxm_nps_tally_merge(nullptr, f.nps.get()); }},
      {"cxm_nps_tally_merge", "other", [&] { return cxm_nps_tally_merge(f.nps.get(), nullptr); }},
      {"cxm_nps_tally_to_json", "tally", [&] { return cxm_nps_tally_to_json(nullptr, &str, &len); }},
      {"cxm_nps_tally_to_json", "out", [&] { return cxm_nps_tally_to_json(f.nps.get(), nullptr, &len); }},
      {"cxm_nps_tally_from_json", "out", [&] { return cxm_nps_tally_from_json("{}", 2, nullptr); }},
      {"cxm_nps_tally_from_json", "json", [&] { return cxm_nps_tally_from_json(nullptr, 2, &nps); }},

      {"cxm_scale_tally_create", "out", [&] { return cxm_scale_tally_create(CXM_SCALE_CES7, nullptr); }},
      {"cxm_scale_tally_create_custom", "out", [&] { return cxm_scale_tally_create_custom(1, 5, 4, nullptr); }},
      {"cxm_scale_tally_add", "tally", [&] { return cxm_scale_tally_add(nullptr, 5); }},
      {"cxm_scale_tally_counts", "tally", [&] { return cxm_scale_tally_counts(nullptr, &sc); }},
      {"cxm_scale_tally_counts", "out", [&] { return cxm_scale_tally_counts(f.scale.get(), nullptr); }},
      {"cxm_scale_tally_mean", "tally", [&] { return cxm_scale_tally_mean(nullptr, &x); }},
      {"cxm_scale_tally_mean", "out", [&] { return cxm_scale_tally_mean(f.scale.get(), nullptr); }},
      {"cxm_scale_tally_mean_interval", "tally", [&] { return cxm_scale_tally_mean_interval(nullptr, 0.95, &ci); }},
      {"cxm_scale_tally_mean_interval", "out", [&] { return cxm_scale_tally_mean_interval(f.scale.get(), 0.95, nullptr); }},
      {"cxm_scale_tally_mean_interval_with", "tally",
       [&] { return cxm_scale_tally_mean_interval_with(nullptr, 0.95, CXM_INTERVAL_HALL_T, &ci); }},
      {"cxm_scale_tally_mean_interval_with", "out",
       [&] { return cxm_scale_tally_mean_interval_with(f.scale.get(), 0.95, CXM_INTERVAL_HALL_T, nullptr); }},
      {"cxm_scale_tally_top_box_interval", "tally", [&] { return cxm_scale_tally_top_box_interval(nullptr, 0.95, &ci); }},
      {"cxm_scale_tally_top_box_interval", "out", [&] { return cxm_scale_tally_top_box_interval(f.scale.get(), 0.95, nullptr); }},
      {"cxm_scale_tally_merge", "tally", [&] { return cxm_scale_tally_merge(nullptr, f.scale.get()); }},
      {"cxm_scale_tally_merge", "other", [&] { return cxm_scale_tally_merge(f.scale.get(), nullptr); }},
      {"cxm_scale_tally_to_json", "tally", [&] { return cxm_scale_tally_to_json(nullptr, &str, &len); }},
      {"cxm_scale_tally_to_json", "out", [&] { return cxm_scale_tally_to_json(f.scale.get(), nullptr, &len); }},
      {"cxm_scale_tally_from_json", "out", [&] { return cxm_scale_tally_from_json("{}", 2, nullptr); }},
      {"cxm_scale_tally_from_json", "json", [&] { return cxm_scale_tally_from_json(nullptr, 1, &scale); }},

      {"cxm_duration_sketch_create", "out", [&] { return cxm_duration_sketch_create(nullptr, nullptr); }},
      {"cxm_duration_sketch_record", "sketch", [&] { return cxm_duration_sketch_record(nullptr, 1); }},
      {"cxm_duration_sketch_stats", "sketch", [&] { return cxm_duration_sketch_stats(nullptr, &ss); }},
      {"cxm_duration_sketch_stats", "out", [&] { return cxm_duration_sketch_stats(f.durations.get(), nullptr); }},
      {"cxm_duration_sketch_quantile", "sketch", [&] { return cxm_duration_sketch_quantile(nullptr, 0.5, &x); }},
      {"cxm_duration_sketch_quantile", "out", [&] { return cxm_duration_sketch_quantile(f.durations.get(), 0.5, nullptr); }},
      {"cxm_duration_sketch_merge", "sketch", [&] { return cxm_duration_sketch_merge(nullptr, f.durations.get()); }},
      {"cxm_duration_sketch_merge", "other", [&] { return cxm_duration_sketch_merge(f.durations.get(), nullptr); }},
      {"cxm_duration_sketch_to_json", "sketch", [&] { return cxm_duration_sketch_to_json(nullptr, &str, &len); }},
      {"cxm_duration_sketch_to_json", "out", [&] { return cxm_duration_sketch_to_json(f.durations.get(), nullptr, &len); }},
      {"cxm_duration_sketch_from_json", "out", [&] { return cxm_duration_sketch_from_json("{}", 2, nullptr); }},
      {"cxm_duration_sketch_from_json", "json", [&] { return cxm_duration_sketch_from_json(nullptr, 3, &sk); }},
      {"cxm_duration_sketch_encode", "sketch", [&] { return cxm_duration_sketch_encode(nullptr, &bytes, &len); }},
      {"cxm_duration_sketch_encode", "out", [&] { return cxm_duration_sketch_encode(f.durations.get(), nullptr, &len); }},
      {"cxm_duration_sketch_encode", "out_len", [&] { return cxm_duration_sketch_encode(f.durations.get(), &bytes, nullptr); }},
      {"cxm_duration_sketch_decode", "out", [&] { return cxm_duration_sketch_decode(&one, 1, nullptr); }},
      {"cxm_duration_sketch_decode", "bytes", [&] { return cxm_duration_sketch_decode(nullptr, 1, &sk); }},

      {"cxm_survey_parse", "out", [&] { return cxm_survey_parse("{}", 2, nullptr); }},
      {"cxm_survey_parse", "json", [&] { return cxm_survey_parse(nullptr, 2, &sv); }},
      {"cxm_survey_visible_questions", "survey", [&] { return cxm_survey_visible_questions(nullptr, "{}", 2, &str, &len); }},
      {"cxm_survey_visible_questions", "out", [&] { return cxm_survey_visible_questions(f.definition.get(), "{}", 2, nullptr, &len); }},
      {"cxm_survey_visible_questions", "answers_json", [&] { return cxm_survey_visible_questions(f.definition.get(), nullptr, 2, &str, &len); }},
      {"cxm_survey_score", "survey", [&] { return cxm_survey_score(nullptr, "{}", 2, &str, &len); }},
      {"cxm_survey_score", "out", [&] { return cxm_survey_score(f.definition.get(), "{}", 2, nullptr, &len); }},
      {"cxm_survey_score", "answers_json", [&] { return cxm_survey_score(f.definition.get(), nullptr, 2, &str, &len); }},

      {"cxm_journey_definition_from_json", "out", [&] { return cxm_journey_definition_from_json("{}", 2, nullptr); }},
      {"cxm_journey_definition_from_json", "json", [&] { return cxm_journey_definition_from_json(nullptr, 2, &jd); }},
      {"cxm_journey_definition_to_json", "definition", [&] { return cxm_journey_definition_to_json(nullptr, &str, &len); }},
      {"cxm_journey_definition_to_json", "out", [&] { return cxm_journey_definition_to_json(f.journey.get(), nullptr, &len); }},
      {"cxm_journey_tracker_create", "definition", [&] { return cxm_journey_tracker_create(nullptr, &jt); }},
      {"cxm_journey_tracker_create", "out", [&] { return cxm_journey_tracker_create(f.journey.get(), nullptr); }},
      {"cxm_journey_tracker_add_events", "tracker", [&] { return cxm_journey_tracker_add_events(nullptr, "", 0, &js, &str, &len); }},
      {"cxm_journey_tracker_add_events", "jsonl", [&] { return cxm_journey_tracker_add_events(f.tracker.get(), nullptr, 5, &js, &str, &len); }},
      {"cxm_journey_tracker_add_responses", "tracker", [&] { return cxm_journey_tracker_add_responses(nullptr, "", 0, &js, &str, &len); }},
      {"cxm_journey_tracker_add_responses", "jsonl", [&] { return cxm_journey_tracker_add_responses(f.tracker.get(), nullptr, 5, &js, &str, &len); }},
      {"cxm_journey_tracker_advance", "tracker", [&] { return cxm_journey_tracker_advance(nullptr, 0); }},
      {"cxm_journey_tracker_finish", "tracker", [&] { return cxm_journey_tracker_finish(nullptr); }},
      {"cxm_journey_tracker_open_journeys", "tracker", [&] { return cxm_journey_tracker_open_journeys(nullptr, &u); }},
      {"cxm_journey_tracker_open_journeys", "out", [&] { return cxm_journey_tracker_open_journeys(f.tracker.get(), nullptr); }},
      {"cxm_journey_tracker_report", "tracker", [&] { return cxm_journey_tracker_report(nullptr, &jr); }},
      {"cxm_journey_tracker_report", "out", [&] { return cxm_journey_tracker_report(f.tracker.get(), nullptr); }},
      {"cxm_journey_report_from_json", "out", [&] { return cxm_journey_report_from_json("{}", 2, nullptr); }},
      {"cxm_journey_report_from_json", "json", [&] { return cxm_journey_report_from_json(nullptr, 2, &jr); }},
      {"cxm_journey_report_to_json", "report", [&] { return cxm_journey_report_to_json(nullptr, &str, &len); }},
      {"cxm_journey_report_to_json", "out", [&] { return cxm_journey_report_to_json(f.report.get(), nullptr, &len); }},
      {"cxm_journey_report_merge", "report", [&] { return cxm_journey_report_merge(nullptr, f.report.get()); }},
      {"cxm_journey_report_merge", "other", [&] { return cxm_journey_report_merge(f.report.get(), nullptr); }},
  };
  std::vector<std::string> covered;
  char* const untouched = reinterpret_cast<char*>(&str);
  for (const call& c : calls) {
    str = untouched;  // a string out-pointer the call sees must come back NULL
    EXPECT_EQ(c.run(), CXM_INVALID_ARGUMENT) << c.function << " " << c.argument;
    EXPECT_EQ(detail(), std::string(c.function) + ": " + c.argument + " is NULL");
    if (str != untouched) {
      EXPECT_EQ(str, nullptr) << c.function;
    }
    covered.push_back(c.function);
  }
  // Out-handles stayed NULL; nothing was created.
  EXPECT_EQ(nps, nullptr);
  EXPECT_EQ(scale, nullptr);
  EXPECT_EQ(sk, nullptr);
  EXPECT_EQ(sv, nullptr);
  EXPECT_EQ(jd, nullptr);
  EXPECT_EQ(jt, nullptr);
  EXPECT_EQ(jr, nullptr);
  (void)bytes;
  // Every function of these parts of cxm.h that returns a cxm_status is in the table (each
  // takes a handle or an out-pointer). The recorder and the outbox have tables of their own.
  EXPECT_GE(expect_every_fallible_function_covered({"base", "stats", "sketch", "survey", "journey"}, covered), 40u);
}

TEST(CapiMisuse, LengthsNoBufferHasAreRefused) {
  const fixtures f;
  const char text[] = "{}";
  const std::size_t huge = SIZE_MAX;  // with a real (short) buffer: must not be read
  char* str = nullptr;
  cxm_nps_tally* nps = nullptr;
  cxm_scale_tally* scale = nullptr;
  cxm_duration_sketch* sk = nullptr;
  cxm_survey* sv = nullptr;
  cxm_journey_definition* jd = nullptr;
  cxm_journey_report* jr = nullptr;
  const std::vector<std::function<cxm_status()>> calls = {
      [&] { return cxm_nps_tally_from_json(text, huge, &nps); },
      [&] { return cxm_scale_tally_from_json(text, huge, &scale); },
      [&] { return cxm_duration_sketch_from_json(text, huge, &sk); },
      [&] { return cxm_duration_sketch_decode(reinterpret_cast<const std::uint8_t*>(text), huge, &sk); },
      [&] { return cxm_survey_parse(text, huge, &sv); },
      [&] { return cxm_survey_visible_questions(f.definition.get(), text, huge, &str, nullptr); },
      [&] { return cxm_survey_score(f.definition.get(), text, huge, &str, nullptr); },
      [&] { return cxm_journey_definition_from_json(text, huge, &jd); },
      [&] { return cxm_journey_tracker_add_events(f.tracker.get(), text, huge, nullptr, nullptr, nullptr); },
      [&] { return cxm_journey_tracker_add_responses(f.tracker.get(), text, huge, nullptr, nullptr, nullptr); },
      [&] { return cxm_journey_report_from_json(text, huge, &jr); },
      [&] { return cxm_nps_tally_add_bulk(f.nps.get(), reinterpret_cast<const std::uint8_t*>(text), huge, nullptr); },
  };
  for (const auto& c : calls) {
    EXPECT_EQ(c(), CXM_INVALID_ARGUMENT);
    EXPECT_NE(detail().find("PTRDIFF_MAX"), std::string::npos) << detail();
  }
}

TEST(CapiMisuse, InvalidUtf8InEveryDocumentIsNamed) {
  const fixtures f;
  const std::string bad = "{\"format\":\"\xC0\xAF\"}";  // an overlong '/', never valid UTF-8
  char* str = nullptr;
  cxm_nps_tally* nps = nullptr;
  cxm_scale_tally* scale = nullptr;
  cxm_duration_sketch* sk = nullptr;
  cxm_survey* sv = nullptr;
  cxm_journey_definition* jd = nullptr;
  cxm_journey_report* jr = nullptr;
  const std::vector<std::function<cxm_status()>> calls = {
      [&] { return cxm_nps_tally_from_json(bad.data(), bad.size(), &nps); },
      [&] { return cxm_scale_tally_from_json(bad.data(), bad.size(), &scale); },
      [&] { return cxm_duration_sketch_from_json(bad.data(), bad.size(), &sk); },
      [&] { return cxm_survey_parse(bad.data(), bad.size(), &sv); },
      [&] { return cxm_survey_visible_questions(f.definition.get(), bad.data(), bad.size(), &str, nullptr); },
      [&] { return cxm_survey_score(f.definition.get(), bad.data(), bad.size(), &str, nullptr); },
      [&] { return cxm_journey_definition_from_json(bad.data(), bad.size(), &jd); },
      [&] { return cxm_journey_report_from_json(bad.data(), bad.size(), &jr); },
  };
  for (const auto& c : calls) {
    EXPECT_EQ(c(), CXM_INVALID_UTF8) << detail();
    EXPECT_NE(detail(), "");
  }
  EXPECT_EQ(str, nullptr);
  EXPECT_EQ(nps, nullptr);
  EXPECT_EQ(jr, nullptr);
}
