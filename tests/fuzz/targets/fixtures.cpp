// SPDX-License-Identifier: MIT
#include "fixtures.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include "fuzz_support.hpp"

namespace cxm_fuzz {
namespace {

constexpr const char* journey_json = R"({"format":"cxm.journey","version":1,"id":"fuzz","revision":1,
 "abandon_after_ms":86400000,"reorder_window_ms":1000,"recontact_window_days":1,"max_open_journeys":4,
 "touchpoints":[{"name":"friend_advice","controlled":false},{"name":"social_post","controlled":false}],
 "stages":[
  {"name":"apply","steps":[
    {"name":"application","touchpoint":"online_application","channel":"web"},
    {"name":"identity_check","touchpoint":"identity_verification","channel":"app"}]},
  {"name":"deliver","steps":[
    {"name":"card_delivered","touchpoint":"courier","channel":"branch"},
    {"name":"wrong_card","touchpoint":"card_service","channel":"phone","funnel":false}]}]})";

constexpr const char* survey_json = R"({"format":"cxm.survey","version":1,"id":"fuzz","survey_version":2,
 "default_locale":"en","locales":{"en":{"dir":"ltr"},"he":{"dir":"rtl","ui":{"submit":"\u05e9"}}},
 "targeting":{"sample_rate":0.5,"cooldown_days":3,"global_cooldown_days":1},
 "questions":[
  {"id":"nps","type":"nps","required":true,"text":{"en":{"prompt":"p"}}},
  {"id":"why","type":"text","max_length":5,"show_if":{"question":"nps","category":["detractor","passive"]},
   "text":{"en":{"prompt":"p"}}},
  {"id":"ces","type":"ces","scale":5,"show_if":{"any":[{"question":"nps","min":3,"max":8},{"question":"nps","max":1}]},
   "text":{"en":{"prompt":"p"},"he":{"prompt":"q"}}},
  {"id":"csat","type":"csat","required":true,"show_if":{"all":[{"question":"ces","min":2},{"question":"nps","min":0}]},
   "text":{"en":{"prompt":"p"}}},
  {"id":"feeling","type":"emotion","choices":["happy","angry"],"text":{"en":{"prompt":"p","choices":{"happy":"h","angry":"a"}}}},
  {"id":"one","type":"choice","choices":["a","b"],"show_if":{"question":"feeling","any_of":["angry"]},
   "text":{"en":{"prompt":"p","choices":{"a":"a","b":"b"}}}},
  {"id":"many","type":"choice","multiple":true,"choices":["x","y","z"],"text":{"en":{"prompt":"p","choices":{"x":"x","y":"y","z":"z"}}}},
  {"id":"after","type":"nps","show_if":{"question":"many","any_of":["y","z"]},"text":{"en":{"prompt":"p"}}}]})";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

const cxm::journey_definition& test_journey() {
  static const cxm::journey_definition def = [] {
    auto d = cxm::journey_definition_from_json(journey_json);
    CXM_FUZZ_CHECK_MSG(d.ok(), d.detail());
    return std::move(d).value();
  }();
  return def;
}

cxm::journey_tracker_options test_tracker_options() {
  cxm::journey_tracker_options o;
  o.max_closed_journeys = 4;
  o.sketch.max_buckets = 64;
  return o;
}

const cxm::survey& test_survey() {
  static const cxm::survey s = [] {
    auto d = cxm::survey::parse(survey_json);
    CXM_FUZZ_CHECK_MSG(d.ok(), d.detail());
    return std::move(d).value();
  }();
  return s;
}

const cxm::survey& example_survey() {
  static const cxm::survey s = [] {
    auto d = cxm::survey::parse(read_file(CXM_EXAMPLES_DIR "/web/surveys/after-onboarding.json"));
    CXM_FUZZ_CHECK_MSG(d.ok(), d.detail());
    return std::move(d).value();
  }();
  return s;
}

void check_report(const cxm::journey_report& report) {
  const std::string json = cxm::to_json(report);
  auto decoded = cxm::journey_report_from_json(json);
  CXM_FUZZ_CHECK_MSG(decoded.ok(), decoded.detail() + "\n" + json);
  CXM_FUZZ_CHECK_MSG(*decoded == report, json);
  CXM_FUZZ_CHECK(cxm::to_json(*decoded) == json);
  // The empty report of the same journey is the identity of merge.
  cxm::journey_report empty;
  empty.journey_id = report.journey_id;
  empty.revision = report.revision;
  empty.steps = report.steps;
  empty.step_effort.resize(report.steps.size());
  cxm::journey_report merged = empty;
  const cxm::status st = merged.merge(report);
  CXM_FUZZ_CHECK_MSG(st.ok(), st.message());
  CXM_FUZZ_CHECK_MSG(cxm::to_json(merged) == json, cxm::to_json(merged) + "\n" + json);
}

void check_survey_tally(const cxm::survey_tally& tally) {
  const std::string json = tally.to_json();
  auto decoded = cxm::survey_tally::from_json(json);
  CXM_FUZZ_CHECK_MSG(decoded.ok(), decoded.detail() + "\n" + json);
  CXM_FUZZ_CHECK_MSG(*decoded == tally, json);
  CXM_FUZZ_CHECK(decoded->to_json() == json);
  cxm::survey_tally doubled = *decoded;
  const cxm::status merged = doubled.merge(tally);
  if (!merged) {
    CXM_FUZZ_CHECK(merged.code() == cxm::errc::out_of_range && tally.responses() > cxm::max_count / 2);
    CXM_FUZZ_CHECK(doubled == tally);
    return;
  }
  const auto twice = [](std::uint64_t c) { return c > UINT64_MAX / 2 ? UINT64_MAX : 2 * c; };
  CXM_FUZZ_CHECK(doubled.responses() == 2 * tally.responses());
  CXM_FUZZ_CHECK(doubled.rejected() == twice(tally.rejected()));
  for (std::size_t i = 0; i < tally.questions().size(); ++i) {
    const auto& a = tally.questions()[i];
    const auto& b = doubled.questions()[i];
    CXM_FUZZ_CHECK(b.shown == 2 * a.shown && b.answered == 2 * a.answered && b.invalid == 2 * a.invalid);
    CXM_FUZZ_CHECK(b.skipped() == 2 * a.skipped());
    for (std::size_t k = 0; k < a.problems.size(); ++k) CXM_FUZZ_CHECK(b.problems[k] == 2 * a.problems[k]);
    CXM_FUZZ_CHECK(b.choices.answers() == 2 * a.choices.answers());
    for (std::size_t k = 0; k < a.choices.counts().size(); ++k)
      CXM_FUZZ_CHECK(b.choices.counts()[k] == 2 * a.choices.counts()[k]);
    for (std::size_t k = 0; k < a.nps.counts().size(); ++k) CXM_FUZZ_CHECK(b.nps.counts()[k] == 2 * a.nps.counts()[k]);
    for (std::size_t k = 0; k < a.ratings.counts().size(); ++k)
      CXM_FUZZ_CHECK(b.ratings.counts()[k] == 2 * a.ratings.counts()[k]);
  }
  // The doubled tally is a tally too: it encodes and decodes.
  auto again = cxm::survey_tally::from_json(doubled.to_json());
  CXM_FUZZ_CHECK_MSG(again.ok(), again.detail() + "\n" + doubled.to_json());
  CXM_FUZZ_CHECK(*again == doubled);
}

}  // namespace cxm_fuzz
