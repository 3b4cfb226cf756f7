// SPDX-License-Identifier: MIT
// embind bindings of cxm::survey (definition, texts, visibility, validation, scoring,
// targeting): what the <cxm-survey> widget needs, and nothing else, so that this TU alone
// makes the small survey-only module (cxm_survey_wasm) as well as being part of cxm_wasm.
// Translation only. js/cxm.mjs checks every argument first; structured results cross as JSON
// text (survey_json.hpp) and cxm.mjs parses them.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "cxm/core/status.hpp"
#include "cxm/survey/answers.hpp"
#include "cxm/survey/definition.hpp"
#include "cxm/survey/scoring.hpp"
#include "survey_json.hpp"

namespace {

using cxm_wasm::json_writer;
using cxm_wasm::reply;
using emscripten::val;

constexpr int code_of(cxm::errc e) noexcept { return static_cast<int>(e); }

// {code, detail, survey}: `survey` (owned by JS, to be delete()d) only when code is 0.
val survey_parse(const std::string& text) {
  auto r = cxm::survey::parse(text);
  val o = val::object();
  o.set("code", code_of(r.code()));
  o.set("detail", r.ok() ? std::string() : r.detail());
  if (r.ok()) o.set("survey", val(std::move(r).value()));
  return o;
}

void write_scale(json_writer& w, const cxm::scale& s) {
  w.begin_object();
  w.key("min").value(std::int64_t{s.min});
  w.key("max").value(std::int64_t{s.max});
  w.key("topBoxMin").value(std::int64_t{s.top_box_min});
  w.end_object();
}

// The given strings under the core's names in camelCase ("thank_you" -> "thankYou").
void write_ui(json_writer& w, const cxm::survey_ui_text& ui) {
  for (std::size_t i = 0; i < cxm::ui_string_count; ++i) {
    if (ui.strings[i].empty()) continue;
    std::string key;
    bool upper = false;
    for (const char* c = cxm::name(static_cast<cxm::ui_string>(i)); *c != '\0'; ++c) {
      if (*c == '_') { upper = true; continue; }
      key += upper ? static_cast<char>(*c - 'a' + 'A') : *c;
      upper = false;
    }
    w.key(key).value(ui.strings[i]);
  }
}

/// survey.toJSON() without targeting (cxm.mjs adds survey_targeting()'s numbers):
/// {id, surveyVersion, defaultLocale, locales:{tag:{dir, ui?}}, questions:[...]}.
std::string survey_describe(const cxm::survey& s) {
  json_writer w;
  w.begin_object();
  w.key("id").value(s.id());
  w.key("surveyVersion").value(s.version());
  w.key("defaultLocale").value(s.locales()[s.default_locale()].tag);
  w.key("locales").begin_object();
  for (const cxm::survey_locale& l : s.locales()) {
    w.key(l.tag).begin_object().key("dir").value(cxm::name(l.dir));
    if (!l.ui.empty()) {
      w.key("ui").begin_object();
      write_ui(w, l.ui);
      w.end_object();
    }
    w.end_object();
  }
  w.end_object();
  w.key("questions").begin_array();
  for (const cxm::survey_question& q : s.questions()) {
    w.begin_object();
    w.key("id").value(q.id);
    w.key("type").value(cxm::name(q.type));
    w.key("required").value(q.required);
    if (cxm::is_scored(q.type)) write_scale(w.key("scale"), q.scale);
    if (q.type == cxm::question_type::choice) w.key("multiple").value(q.multiple);
    if (q.type == cxm::question_type::text) w.key("maxLength").value(std::int64_t{q.max_length});
    if (cxm::has_choices(q.type)) {
      w.key("choices").begin_array();
      for (const std::string& c : q.choices) w.value(c);
      w.end_array();
    }
    w.key("conditional").value(q.show_if.has_value());
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

/// {sampleRate, cooldownDays, globalCooldownDays}: a value object, so no number is printed.
val survey_targeting(const cxm::survey& s) {
  const cxm::survey_targeting& t = s.targeting();
  val o = val::object();
  o.set("sampleRate", t.sample_rate);
  o.set("cooldownDays", t.cooldown_days);
  o.set("globalCooldownDays", t.global_cooldown_days);
  return o;
}

/// survey.text(): {prompt, minLabel?, maxLabel?, choices?:{id:label}, dir, locale}.
val survey_text(const cxm::survey& s, const std::string& question, const std::string& locale) {
  const std::size_t i = s.find(question);
  if (i == cxm::survey::npos) return reply(cxm::errc::invalid_argument, "unknown question \"" + question + "\"");
  const cxm::survey_question& q = s.questions()[i];
  const cxm::question_text& t = s.text(i, locale);
  json_writer w;
  w.begin_object();
  w.key("prompt").value(t.prompt);
  if (t.min_label) w.key("minLabel").value(*t.min_label);
  if (t.max_label) w.key("maxLabel").value(*t.max_label);
  if (cxm::has_choices(q.type)) {
    w.key("choices").begin_object();
    for (std::size_t k = 0; k < q.choices.size(); ++k) w.key(q.choices[k]).value(t.choice_labels[k]);
    w.end_object();
  }
  w.key("dir").value(cxm::name(s.direction(t.locale)));
  w.key("locale").value(t.locale);
  w.end_object();
  return reply(cxm::errc::ok, {}, w.take());
}

/// survey.uiText(): {title?, intro?, ..., thankYou?, tooLong?, invalid?, dir, locale} (cxm::ui_string).
std::string survey_ui_text(const cxm::survey& s, const std::string& locale) {
  const cxm::survey_locale& l = s.locales()[s.resolve_locale(locale)];
  json_writer w;
  w.begin_object();
  write_ui(w, l.ui);
  w.key("dir").value(cxm::name(l.dir));
  w.key("locale").value(l.tag);
  w.end_object();
  return w.take();
}

std::string survey_resolve_locale(const cxm::survey& s, const std::string& locale) {
  return s.locales()[s.resolve_locale(locale)].tag;
}

val survey_visible(const cxm::survey& s, const std::string& answers) {
  std::optional<cxm::answers> a;
  if (auto e = cxm_wasm::read_answers(answers, a)) return *e;
  json_writer w;
  w.begin_array();
  for (std::size_t i : cxm::visible_questions(s, *a)) w.value(s.questions()[i].id);
  w.end_array();
  return reply(cxm::errc::ok, {}, w.take());
}

val survey_validate(const cxm::survey& s, const std::string& answers) {
  std::optional<cxm::answers> a;
  if (auto e = cxm_wasm::read_answers(answers, a)) return *e;
  return reply(cxm::errc::ok, {}, cxm_wasm::validation_json(cxm::validate(s, *a)));
}

/// survey.score(): {ok, problems, questions:{id:{type, value, category?, easy?, satisfied?, length?}}}.
val survey_score(const cxm::survey& s, const std::string& answers) {
  std::optional<cxm::answers> a;
  if (auto e = cxm_wasm::read_answers(answers, a)) return *e;
  const cxm::scored_response r = cxm::score(s, *a);
  json_writer w;
  w.begin_object();
  w.key("ok").value(r.ok());
  w.key("problems");
  cxm_wasm::write_problems(w, r.problems);
  w.key("questions").begin_object();
  for (const cxm::scored_answer& x : r.answers) {
    const cxm::survey_question& q = s.questions()[x.question];
    w.key(q.id).begin_object();
    w.key("type").value(cxm::name(x.type));
    w.key("value");
    switch (x.type) {
      case cxm::question_type::nps:
      case cxm::question_type::ces:
      case cxm::question_type::csat:
        w.value(std::int64_t{x.score});
        if (x.type == cxm::question_type::nps) w.key("category").value(cxm::name(x.category));
        else w.key(x.type == cxm::question_type::ces ? "easy" : "satisfied").value(x.top_box);
        break;
      case cxm::question_type::emotion:
      case cxm::question_type::choice:
        if (q.multiple) {
          w.begin_array();
          for (std::size_t k : x.choices) w.value(q.choices[k]);
          w.end_array();
        } else {
          w.value(q.choices[x.choices.front()]);
        }
        break;
      case cxm::question_type::text:
        w.value(x.text);
        w.key("length").value(static_cast<std::int64_t>(x.length));
        break;
    }
    w.end_object();
  }
  w.end_object();
  w.end_object();
  return reply(cxm::errc::ok, {}, w.take());
}

val survey_sample(const cxm::survey& s, const std::string& respondent) {
  const cxm::sampling_decision d = s.sample(respondent);
  val o = val::object();
  o.set("included", d.included);
  o.set("probability", d.probability);
  return o;
}

double survey_sampling_point(const cxm::survey& s, const std::string& respondent) {
  return cxm::sampling_point(s.id(), respondent);
}

// A time in ms from JS: an integer within ±2^53 (cxm.mjs checks first; -1 = never).
bool ms_of(double x, std::int64_t& out) noexcept {
  if (!(std::fabs(x) <= 9007199254740991.0) || std::floor(x) != x) return false;
  out = static_cast<std::int64_t>(x);
  return true;
}

// {code, eligible, reason}.
val survey_eligible(const cxm::survey& s, const std::string& respondent, double now_ms, double last_ms,
                    double last_any_ms) {
  std::int64_t now = 0, last = 0, last_any = 0;
  val o = val::object();
  if (!ms_of(now_ms, now) || !ms_of(last_ms, last) || !ms_of(last_any_ms, last_any)) {
    o.set("code", code_of(cxm::errc::invalid_argument));
    return o;
  }
  const cxm::eligibility e = s.eligible(respondent, now, last, last_any);
  o.set("code", 0);
  o.set("eligible", e.eligible);
  o.set("reason", std::string(cxm::name(e.reason)));
  return o;
}

}  // namespace

EMSCRIPTEN_BINDINGS(cxm_survey) {
  using namespace emscripten;
  class_<cxm::survey>("Survey")
      .class_function("parse", &survey_parse)
      .function("describe", &survey_describe)
      .function("targeting", &survey_targeting)
      .function("text", &survey_text)
      .function("uiText", &survey_ui_text)
      .function("resolveLocale", &survey_resolve_locale)
      .function("visibleQuestions", &survey_visible)
      .function("validate", &survey_validate)
      .function("score", &survey_score)
      .function("sample", &survey_sample)
      .function("samplingPoint", &survey_sampling_point)
      .function("eligible", &survey_eligible);
  // The core's size limits, which js/cxm.mjs checks before a text is copied into wasm.
  constant("maxSurveyBytes", static_cast<double>(cxm::survey::max_bytes));
  constant("maxAnswersBytes", static_cast<double>(cxm::answers::max_bytes));
}
