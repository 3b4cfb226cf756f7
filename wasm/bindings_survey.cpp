// SPDX-License-Identifier: MIT
// embind bindings of cxm::survey (definition, texts, visibility, validation, scoring,
// targeting): what the <cxm-survey> widget needs, and nothing else, so that this TU alone
// makes the small survey-only module (cxm_survey_wasm) as well as being part of cxm_wasm.
// Translation only. js/survey.mjs checks every argument first; structured results cross as
// JSON text (binding.hpp) and survey.mjs parses them.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "binding.hpp"
#include "cxm/core/status.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/survey/answers.hpp"
#include "cxm/survey/definition.hpp"
#include "cxm/survey/scoring.hpp"

namespace {

using cxm_wasm::code_of;
using cxm_wasm::json_writer;
using cxm_wasm::reply_json;
using emscripten::val;

// {code, detail, survey}: `survey` (owned by JS, to be delete()d) only when code is 0.
val survey_parse(const std::string& text) { return cxm_wasm::made(cxm::survey::parse(text), "survey"); }

void write_scale(json_writer& w, const cxm::scale& s) {
  w.begin_object();
  w.key("min").value(s.min);
  w.key("max").value(s.max);
  w.key("topBoxMin").value(s.top_box_min);
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

/// survey.toJSON() without targeting (survey.mjs adds survey_targeting()'s numbers):
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
    if (q.type == cxm::question_type::text) w.key("maxLength").value(q.max_length);
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
  if (i == cxm::survey::npos) return reply_json(cxm::errc::invalid_argument, "unknown question \"" + question + "\"");
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
  return reply_json(cxm::errc::ok, {}, w.take());
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
  return reply_json(cxm::errc::ok, {}, w.take());
}

val survey_validate(const cxm::survey& s, const std::string& answers) {
  std::optional<cxm::answers> a;
  if (auto e = cxm_wasm::read_answers(answers, a)) return *e;
  return reply_json(cxm::errc::ok, {}, cxm_wasm::validation_json(cxm::validate(s, *a)));
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
        w.value(x.score);
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
  return reply_json(cxm::errc::ok, {}, w.take());
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

// {code, eligible, reason}. Times in ms are safe integers (survey.mjs checks first; -1 = never).
val survey_eligible(const cxm::survey& s, const std::string& respondent, double now_ms, double last_ms,
                    double last_any_ms) {
  std::int64_t now = 0, last = 0, last_any = 0;
  val o = val::object();
  if (!cxm_wasm::safe_int_of(now_ms, now) || !cxm_wasm::safe_int_of(last_ms, last) ||
      !cxm_wasm::safe_int_of(last_any_ms, last_any)) {
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

  // What survey.mjs checks before a text is copied into wasm, and the names it shows.
  cxm_wasm::publish_enum("questionType", cxm::question_type::text);
  cxm_wasm::publish_enum("npsCategory", cxm::nps_category::promoter);
  cxm_wasm::publish_enum("textDirection", cxm::text_direction::rtl);
  cxm_wasm::publish_enum("uiString", static_cast<cxm::ui_string>(cxm::ui_string_count - 1));
  cxm_wasm::publish_enum("eligibilityReason", cxm::eligibility_reason::global_cooldown);
  cxm_wasm::publish_list<cxm::emotion_set>("emotions");
  cxm_wasm::publish_limit("surveyBytes", static_cast<std::int64_t>(cxm::survey::max_bytes));
  cxm_wasm::publish_limit("surveyDepth", static_cast<std::int64_t>(cxm::survey::max_depth));
  cxm_wasm::publish_limit("maxTextLength", static_cast<std::int64_t>(cxm::survey::max_text_length));
  cxm_wasm::publish_limit("answersBytes", static_cast<std::int64_t>(cxm::answers::max_bytes));
  cxm_wasm::publish_limit("answersDepth", static_cast<std::int64_t>(cxm::answers::max_depth));
}
