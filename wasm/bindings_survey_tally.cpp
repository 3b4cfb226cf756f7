// SPDX-License-Identifier: MIT
// embind bindings of cxm::survey_tally, and the canonical form of a survey definition: the
// analysis side of surveys, part of cxm_wasm but not of the survey-only widget module (the
// tally's JSON encoding links Boost.JSON's serializer). Translation only, as bindings_survey.cpp.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "binding.hpp"
#include "cxm/core/problem.hpp"
#include "cxm/core/status.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/survey/answers.hpp"
#include "cxm/survey/definition.hpp"
#include "cxm/survey/question_tally.hpp"
#include "cxm/survey/scoring.hpp"
#include "cxm/survey/tally.hpp"

namespace {

using cxm_wasm::as_double;
using cxm_wasm::code_of;
using cxm_wasm::made;
using cxm_wasm::reply_json;
using emscripten::val;

/// A tally and, unless it was decoded from JSON, the definition its responses are checked against.
struct js_survey_tally {
  std::optional<cxm::survey> definition;
  cxm::survey_tally tally;
};

js_survey_tally tally_make(const cxm::survey& s) { return {s, cxm::survey_tally(s)}; }

val tally_add(js_survey_tally& t, const std::string& answers) {
  if (!t.definition)
    return reply_json(cxm::errc::invalid_argument,
                 "this SurveyTally was decoded from JSON: give it its survey (SurveyTally.fromJson(text, survey))");
  std::optional<cxm::answers> a;
  if (auto e = cxm_wasm::read_answers(answers, a)) return *e;
  std::vector<cxm::problem> problems;
  const cxm::status st = t.tally.add(*t.definition, *a, &problems);
  if (st.code() == cxm::errc::incompatible) return reply_json(st.code(), "the response belongs to another survey");
  return reply_json(cxm::errc::ok, {}, cxm_wasm::validation_json(problems));
}

int tally_merge(js_survey_tally& t, const js_survey_tally& other) { return code_of(t.tally.merge(other.tally).code()); }
std::string tally_to_json(const js_survey_tally& t) { return t.tally.to_json(); }
double tally_responses(const js_survey_tally& t) { return as_double(t.tally.responses()); }
double tally_rejected(const js_survey_tally& t) { return as_double(t.tally.rejected()); }

val tally_from_json(const std::string& text) {
  auto r = cxm::survey_tally::from_json(text);
  if (!r.ok()) return made(cxm::result<js_survey_tally>(r.code(), r.detail()), "tally");
  return made(cxm::result<js_survey_tally>(js_survey_tally{std::nullopt, std::move(r).value()}), "tally");
}

// Gives a decoded tally its definition: incompatible unless the layouts match.
int tally_attach(js_survey_tally& t, const cxm::survey& s) {
  if (!cxm::survey_tally(s).compatible(t.tally)) return code_of(cxm::errc::incompatible);
  t.definition = s;
  return 0;
}

// {code, detail, tally}: a copy of one question's NpsTally / ScaleTally.
val tally_nps(const js_survey_tally& t, const std::string& question) {
  const cxm::question_tally* q = t.tally.find(question);
  if (q == nullptr || q->type != cxm::question_type::nps)
    return made(cxm::result<cxm::nps_tally>(cxm::errc::invalid_argument, "no nps question \"" + question + "\""), "tally");
  return made(cxm::result<cxm::nps_tally>(q->nps), "tally");
}

val tally_scale(const js_survey_tally& t, const std::string& question) {
  const cxm::question_tally* q = t.tally.find(question);
  if (q == nullptr || (q->type != cxm::question_type::ces && q->type != cxm::question_type::csat))
    return made(cxm::result<cxm::scale_tally>(cxm::errc::invalid_argument, "no ces or csat question \"" + question + "\""),
                "tally");
  return made(cxm::result<cxm::scale_tally>(q->ratings), "tally");
}

/// {code, detail, json}: the counts of one question, {id, type, shown, answered, invalid,
/// skipped, problems:{reason: count}} (problems lists the reasons counted, in errc order).
val tally_question(const js_survey_tally& t, const std::string& question) {
  const cxm::question_tally* q = t.tally.find(question);
  if (q == nullptr) return reply_json(cxm::errc::invalid_argument, "no question \"" + question + "\"");
  cxm_wasm::json_writer w;
  w.begin_object();
  w.key("id").value(q->id);
  w.key("type").value(cxm::name(q->type));
  w.key("shown").value(std::uint64_t{q->shown});
  w.key("answered").value(std::uint64_t{q->answered});
  w.key("invalid").value(std::uint64_t{q->invalid});
  w.key("skipped").value(std::uint64_t{q->skipped()});
  w.key("problems").begin_object();
  for (std::size_t i = 0; i < cxm::answer_problems.size(); ++i)
    if (q->problems[i] != 0) w.key(cxm::name(cxm::answer_problems[i])).value(std::uint64_t{q->problems[i]});
  w.end_object();
  w.end_object();
  return reply_json(cxm::errc::ok, {}, w.take());
}

std::string survey_canonical_json(const cxm::survey& s) { return s.to_json(); }

}  // namespace

EMSCRIPTEN_BINDINGS(cxm_survey_tally) {
  using namespace emscripten;
  class_<js_survey_tally>("SurveyTally")
      .class_function("make", &tally_make)
      .class_function("fromJson", &tally_from_json)
      .function("add", &tally_add)
      .function("merge", &tally_merge)
      .function("toJson", &tally_to_json)
      .function("responses", &tally_responses)
      .function("rejected", &tally_rejected)
      .function("attach", &tally_attach)
      .function("npsTally", &tally_nps)
      .function("scaleTally", &tally_scale)
      .function("question", &tally_question);
  function("surveyCanonicalJson", &survey_canonical_json);
  cxm_wasm::publish_list<cxm::answer_problems>("answerProblems");
  cxm_wasm::publish_json_limits("surveyTallyJsonBytes", "surveyTallyJsonDepth", cxm::survey_tally_json_limits);
}
