// SPDX-License-Identifier: MIT
// embind bindings of the cxm core for JavaScript. They only translate: numbers cross as double,
// statuses as their errc int code, results as value_objects; no C++ exception ever crosses.
//
// This layer is the raw module. Users import js/cxm.mjs, which validates every argument
// before it gets here (embind turns 9.5 and "9" into 9 and NaN/null into 0 for integer
// parameters; see TOOLCHAIN.md). Answers therefore cross as double and the core rejects
// NaN, 9.5 and 11 itself; the integers this layer takes (codes) are range-checked here too.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cxm/interval.hpp"
#include "cxm/json.hpp"
#include "cxm/nps_tally.hpp"
#include "cxm/scale_tally.hpp"
#include "cxm/status.hpp"
#include "cxm/survey.hpp"
#include "cxm/survey_response.hpp"
#include "cxm/survey_tally.hpp"

namespace {

using emscripten::val;

constexpr int code_of(cxm::errc e) noexcept { return static_cast<int>(e); }
constexpr int code_of(cxm::status s) noexcept { return static_cast<int>(s.code()); }

double as_double(std::uint64_t n) noexcept { return static_cast<double>(n); }

// An errc from a JS number, or internal for anything that is not one of its values.
cxm::errc errc_of(int code) noexcept {
  return code >= 0 && code <= code_of(cxm::errc::internal) ? static_cast<cxm::errc>(code)
                                                           : cxm::errc::internal;
}

// "wald" -> interval_method::wald; false for an unknown name.
bool method_of(const std::string& name, cxm::interval_method& out) noexcept {
  for (auto m : {cxm::interval_method::wald, cxm::interval_method::adjusted_wald,
                 cxm::interval_method::score, cxm::interval_method::student_t,
                 cxm::interval_method::wilson}) {
    if (name == cxm::name(m)) {
      out = m;
      return true;
    }
  }
  return false;
}

// A double holding an int exactly (a scale bound); false for 1.5, NaN, 1e12.
bool int_of(double x, int& out) noexcept {
  if (!(x >= -2147483648.0 && x <= 2147483647.0)) return false;
  out = static_cast<int>(x);
  return static_cast<double>(out) == x;
}

// Wasm memory [ptr, ptr + size) lies inside the current linear memory.
bool in_memory(std::uintptr_t ptr, std::size_t size) noexcept {
  const std::uintptr_t end = __builtin_wasm_memory_size(0) * std::uintptr_t{65536};
  return ptr != 0 && ptr <= end && size <= end - ptr;
}

// ---- value objects ----------------------------------------------------------------------

/// {code, estimate, lower, upper, level, n, method, smallSample, detail}; code 0 = ok.
struct js_interval {
  int code = 0;
  double estimate = 0, lower = 0, upper = 0, level = 0, n = 0;
  std::string method;
  bool small_sample = false;
  std::string detail;
};

js_interval to_js(const cxm::result<cxm::interval>& r) {
  js_interval o;
  o.code = code_of(r.code());
  if (!r.ok()) {
    o.detail = r.detail();
    return o;
  }
  const cxm::interval& i = r.value();
  o.estimate = i.estimate;
  o.lower = i.lower;
  o.upper = i.upper;
  o.level = i.level;
  o.n = as_double(i.n);
  o.method = cxm::name(i.method);
  o.small_sample = i.small_sample;
  return o;
}

js_interval interval_error(cxm::errc e, std::string detail) {
  js_interval o;
  o.code = code_of(e);
  o.detail = std::move(detail);
  return o;
}

/// {code, difference, standardError, lower, upper, pValue, level, nA, nB, method, smallSample, detail}.
struct js_difference {
  int code = 0;
  double difference = 0, standard_error = 0, lower = 0, upper = 0, p_value = 0, level = 0;
  double n_a = 0, n_b = 0;
  std::string method;
  bool small_sample = false;
  std::string detail;
};

/// {min, max, topBoxMin}.
struct js_scale {
  int min = 0, max = 0, top_box_min = 0;
};

// {code, detail, tally}: `tally` (owned by JS, to be delete()d) only when code is 0.
template <class T>
val made(cxm::result<T>&& r) {
  val o = val::object();
  o.set("code", code_of(r.code()));
  o.set("detail", r.ok() ? std::string() : r.detail());
  if (r.ok()) o.set("tally", val(std::move(r).value()));
  return o;
}

// ---- NpsTally ---------------------------------------------------------------------------

int nps_add(cxm::nps_tally& t, double answer) { return code_of(t.add(answer)); }

// Returns the accepted count, or -invalid_argument when [ptr, ptr + size) is not wasm memory.
double nps_add_bulk(cxm::nps_tally& t, std::uintptr_t ptr, std::size_t size) {
  if (size == 0) return 0;
  if (!in_memory(ptr, size)) return -code_of(cxm::errc::invalid_argument);
  return as_double(t.add_bulk(reinterpret_cast<const std::uint8_t*>(ptr), size));
}

int nps_reject(cxm::nps_tally& t, int code) { return code_of(t.reject(errc_of(code))); }
int nps_merge(cxm::nps_tally& t, const cxm::nps_tally& other) {
  t.merge(other);
  return 0;
}

val nps_counts(const cxm::nps_tally& t) {
  val a = val::array();
  for (std::size_t i = 0; i < t.counts().size(); ++i) a.set(i, as_double(t.counts()[i]));
  return a;
}

double nps_promoters(const cxm::nps_tally& t) { return as_double(t.promoters()); }
double nps_passives(const cxm::nps_tally& t) { return as_double(t.passives()); }
double nps_detractors(const cxm::nps_tally& t) { return as_double(t.detractors()); }
double nps_total(const cxm::nps_tally& t) { return as_double(t.total()); }
double nps_rejected(const cxm::nps_tally& t, int code) { return as_double(t.rejected(errc_of(code))); }
double nps_rejected_total(const cxm::nps_tally& t) { return as_double(t.rejected_total()); }
double nps_score(const cxm::nps_tally& t) { return t.score(); }
double nps_standard_error(const cxm::nps_tally& t) { return t.standard_error(); }
double nps_adjusted_score(const cxm::nps_tally& t) { return t.adjusted_score(); }
double nps_adjusted_standard_error(const cxm::nps_tally& t) { return t.adjusted_standard_error(); }

js_interval nps_confidence_interval(const cxm::nps_tally& t, double level, const std::string& method) {
  cxm::interval_method m{};
  if (!method_of(method, m))
    return interval_error(cxm::errc::invalid_argument, "unknown interval method: " + method);
  return to_js(t.confidence_interval(level, m));
}

std::string nps_to_json(const cxm::nps_tally& t) { return cxm::to_json(t); }
val nps_from_json(const std::string& text) { return made(cxm::nps_tally_from_json(text)); }

js_difference compare_nps(const cxm::nps_tally& a, const cxm::nps_tally& b, double level,
                          const std::string& method) {
  js_difference o;
  cxm::interval_method m{};
  if (!method_of(method, m)) {
    o.code = code_of(cxm::errc::invalid_argument);
    o.detail = "unknown interval method: " + method;
    return o;
  }
  const auto r = cxm::compare(a, b, level, m);
  o.code = code_of(r.code());
  if (!r.ok()) {
    o.detail = r.detail();
    return o;
  }
  const cxm::nps_difference& d = r.value();
  o.difference = d.difference;
  o.standard_error = d.standard_error;
  o.lower = d.lower;
  o.upper = d.upper;
  o.p_value = d.p_value;
  o.level = d.level;
  o.n_a = as_double(d.n_a);
  o.n_b = as_double(d.n_b);
  o.method = cxm::name(d.method);
  o.small_sample = d.small_sample;
  return o;
}

// ---- ScaleTally -------------------------------------------------------------------------

val scale_make(double min, double max, double top_box_min) {
  cxm::scale s;
  if (!int_of(min, s.min) || !int_of(max, s.max) || !int_of(top_box_min, s.top_box_min))
    return made(cxm::result<cxm::scale_tally>(cxm::errc::invalid_argument,
                                              "scale bounds must be integers"));
  return made(cxm::scale_tally::make(s));
}

val scale_named(const std::string& name) {
  if (name == "ces7") return made(cxm::scale_tally::make(cxm::scale::ces7()));
  if (name == "ces5") return made(cxm::scale_tally::make(cxm::scale::ces5()));
  if (name == "csat5") return made(cxm::scale_tally::make(cxm::scale::csat5()));
  return made(cxm::result<cxm::scale_tally>(cxm::errc::invalid_argument,
                                            "unknown scale name: " + name + " (ces7, ces5, csat5)"));
}

js_scale scale_of(const cxm::scale_tally& t) {
  const cxm::scale& s = t.answer_scale();
  return {s.min, s.max, s.top_box_min};
}

int scale_add(cxm::scale_tally& t, double answer) { return code_of(t.add(answer)); }
int scale_reject(cxm::scale_tally& t, int code) { return code_of(t.reject(errc_of(code))); }
int scale_merge(cxm::scale_tally& t, const cxm::scale_tally& other) { return code_of(t.merge(other)); }

val scale_counts(const cxm::scale_tally& t) {
  val a = val::array();
  const auto points = static_cast<std::size_t>(t.answer_scale().points());
  for (std::size_t i = 0; i < points; ++i) a.set(i, as_double(t.counts()[i]));
  return a;
}

double scale_total(const cxm::scale_tally& t) { return as_double(t.total()); }
double scale_top_box_count(const cxm::scale_tally& t) { return as_double(t.top_box_count()); }
double scale_rejected(const cxm::scale_tally& t, int code) { return as_double(t.rejected(errc_of(code))); }
double scale_rejected_total(const cxm::scale_tally& t) { return as_double(t.rejected_total()); }
double scale_mean(const cxm::scale_tally& t) { return t.mean(); }
double scale_standard_deviation(const cxm::scale_tally& t) { return t.standard_deviation(); }
double scale_top_box_share(const cxm::scale_tally& t) { return t.top_box_share(); }
js_interval scale_mean_interval(const cxm::scale_tally& t, double level) { return to_js(t.mean_interval(level)); }
js_interval scale_top_box_interval(const cxm::scale_tally& t, double level) {
  return to_js(t.top_box_interval(level));
}
std::string scale_to_json(const cxm::scale_tally& t) { return cxm::to_json(t); }
val scale_from_json(const std::string& text) { return made(cxm::scale_tally_from_json(text)); }

// ---- free functions ---------------------------------------------------------------------

std::string error_name(int code) { return cxm::name(static_cast<cxm::errc>(code)); }
std::string error_message(int code) { return cxm::message(static_cast<cxm::errc>(code)); }

// The benchmark baseline: a plain sequential read of [ptr, ptr + size), summing 64-bit words
// (the tail bytes are added one by one). Returns the sum mod 2^64 as a double, or -1 when the
// range is not wasm memory.
double sum_bytes(std::uintptr_t ptr, std::size_t size) {
  if (size == 0) return 0;
  if (!in_memory(ptr, size)) return -1;
  const auto* p = reinterpret_cast<const unsigned char*>(ptr);
  std::uint64_t sum = 0;
  std::size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    std::uint64_t word;
    std::memcpy(&word, p + i, sizeof word);
    sum += word;
  }
  for (; i < size; ++i) sum += p[i];
  return as_double(sum);
}

// ---- Survey and SurveyTally --------------------------------------------------------------
// Structured results cross as JSON text in the shapes of js/cxm.d.ts, which cxm.mjs parses:
// one string per call instead of many small embind conversions, and JSON.parse creates own
// properties for any key (a choice id "__proto__" stays data).

namespace json = boost::json;

// {code, detail, json}: `json` is the result text when code is 0.
val reply(cxm::errc code, const std::string& detail, const std::string& text = {}) {
  val o = val::object();
  o.set("code", code_of(code));
  o.set("detail", detail);
  o.set("json", text);
  return o;
}

json::array problems_json(const std::vector<cxm::survey_problem>& problems) {
  json::array a;
  for (const cxm::survey_problem& p : problems)
    a.push_back(json::object{{"question", p.question}, {"code", code_of(p.code)}, {"codeName", cxm::name(p.code)},
                             {"reason", p.reason}});
  return a;
}

json::object scale_json(const cxm::scale& s) {
  return json::object{{"min", s.min}, {"max", s.max}, {"topBoxMin", s.top_box_min}};
}

json::object ui_json(const cxm::survey_ui_text& ui) {
  json::object o;
  const std::pair<const char*, const std::string*> fields[] = {
      {"title", &ui.title}, {"intro", &ui.intro},   {"next", &ui.next},
      {"back", &ui.back},   {"submit", &ui.submit}, {"thankYou", &ui.thank_you}};
  for (const auto& [key, text] : fields)
    if (!text->empty()) o[key] = *text;
  return o;
}

/// survey.toJSON(): {id, surveyVersion, defaultLocale, locales:{tag:{dir, ui?}}, targeting, questions}.
std::string survey_describe(const cxm::survey& s) {
  json::object o;
  o["id"] = s.id();
  o["surveyVersion"] = s.version();
  o["defaultLocale"] = s.locales()[s.default_locale()].tag;
  json::object locales;
  for (const cxm::survey_locale& l : s.locales()) {
    json::object lo{{"dir", cxm::name(l.dir)}};
    json::object ui = ui_json(l.ui);
    if (!ui.empty()) lo["ui"] = std::move(ui);
    locales[l.tag] = std::move(lo);
  }
  o["locales"] = std::move(locales);
  const cxm::survey_targeting& t = s.targeting();
  o["targeting"] = json::object{{"sampleRate", t.sample_rate}, {"cooldownDays", t.cooldown_days},
                                {"globalCooldownDays", t.global_cooldown_days}};
  json::array questions;
  for (const cxm::survey_question& q : s.questions()) {
    json::object qo{{"id", q.id}, {"type", cxm::name(q.type)}, {"required", q.required}};
    if (cxm::is_scored(q.type)) qo["scale"] = scale_json(q.scale);
    if (q.type == cxm::question_type::choice) qo["multiple"] = q.multiple;
    if (q.type == cxm::question_type::text) qo["maxLength"] = q.max_length;
    if (cxm::has_choices(q.type)) {
      json::array c;
      for (const std::string& id : q.choices) c.push_back(json::string(id));
      qo["choices"] = std::move(c);
    }
    qo["conditional"] = q.show_if.has_value();
    questions.push_back(std::move(qo));
  }
  o["questions"] = std::move(questions);
  return json::serialize(o);
}

val survey_parse(const std::string& text) {
  auto r = cxm::survey::parse(text);
  val o = val::object();
  o.set("code", code_of(r.code()));
  o.set("detail", r.ok() ? std::string() : r.detail());
  if (r.ok()) o.set("survey", val(std::move(r).value()));
  return o;
}

std::string survey_canonical_json(const cxm::survey& s) { return s.to_json(); }

/// survey.text(): {prompt, minLabel?, maxLabel?, choices?:{id:label}, dir, locale}.
val survey_text(const cxm::survey& s, const std::string& question, const std::string& locale) {
  const std::size_t i = s.find(question);
  if (i == cxm::survey::npos) return reply(cxm::errc::invalid_argument, "unknown question \"" + question + "\"");
  const cxm::survey_question& q = s.questions()[i];
  const cxm::question_text& t = s.text(i, locale);
  json::object o{{"prompt", t.prompt}};
  if (t.min_label) o["minLabel"] = *t.min_label;
  if (t.max_label) o["maxLabel"] = *t.max_label;
  if (cxm::has_choices(q.type)) {
    json::object labels;
    for (std::size_t k = 0; k < q.choices.size(); ++k) labels[q.choices[k]] = t.choice_labels[k];
    o["choices"] = std::move(labels);
  }
  o["dir"] = cxm::name(s.direction(t.locale));
  o["locale"] = t.locale;
  return reply(cxm::errc::ok, {}, json::serialize(o));
}

/// survey.uiText(): {title?, intro?, next?, back?, submit?, thankYou?, dir, locale}.
std::string survey_ui_text(const cxm::survey& s, const std::string& locale) {
  const cxm::survey_locale& l = s.locales()[s.resolve_locale(locale)];
  json::object o = ui_json(l.ui);
  o["dir"] = cxm::name(l.dir);
  o["locale"] = l.tag;
  return json::serialize(o);
}

std::string survey_resolve_locale(const cxm::survey& s, const std::string& locale) {
  return s.locales()[s.resolve_locale(locale)].tag;
}

// Answers arrive as JSON text (cxm.mjs writes it after checking the values).
val with_answers(const std::string& answers, std::optional<cxm::survey_answers>& out) {
  auto a = cxm::survey_answers::from_json(answers);
  if (!a.ok()) return reply(a.code(), "answers: " + a.detail());
  out = std::move(a).value();
  return val::null();
}

val survey_visible(const cxm::survey& s, const std::string& answers) {
  std::optional<cxm::survey_answers> a;
  if (val e = with_answers(answers, a); !e.isNull()) return e;
  json::array ids;
  for (std::size_t i : cxm::visible_questions(s, *a)) ids.push_back(json::string(s.questions()[i].id));
  return reply(cxm::errc::ok, {}, json::serialize(ids));
}

val survey_validate(const cxm::survey& s, const std::string& answers) {
  std::optional<cxm::survey_answers> a;
  if (val e = with_answers(answers, a); !e.isNull()) return e;
  const auto problems = cxm::validate(s, *a);
  return reply(cxm::errc::ok, {},
               json::serialize(json::object{{"ok", problems.empty()}, {"problems", problems_json(problems)}}));
}

/// survey.score(): {ok, problems, questions:{id:{type, value, category?, easy?, satisfied?}}}.
val survey_score(const cxm::survey& s, const std::string& answers) {
  std::optional<cxm::survey_answers> a;
  if (val e = with_answers(answers, a); !e.isNull()) return e;
  const cxm::scored_response r = cxm::score(s, *a);
  json::object questions;
  for (const cxm::scored_answer& x : r.answers) {
    const cxm::survey_question& q = s.questions()[x.question];
    json::object o{{"type", cxm::name(x.type)}};
    switch (x.type) {
      case cxm::question_type::nps:
        o["value"] = x.score;
        o["category"] = cxm::name(x.category);
        break;
      case cxm::question_type::ces:
        o["value"] = x.score;
        o["easy"] = x.top_box;
        break;
      case cxm::question_type::csat:
        o["value"] = x.score;
        o["satisfied"] = x.top_box;
        break;
      case cxm::question_type::emotion:
      case cxm::question_type::choice:
        if (q.multiple) {
          json::array ids;
          for (std::size_t k : x.choices) ids.push_back(json::string(q.choices[k]));
          o["value"] = std::move(ids);
        } else {
          o["value"] = q.choices[x.choices.front()];
        }
        break;
      case cxm::question_type::text:
        o["value"] = x.text;
        o["length"] = x.length;
        break;
    }
    questions[q.id] = std::move(o);
  }
  return reply(cxm::errc::ok, {},
               json::serialize(json::object{
                   {"ok", r.ok()}, {"problems", problems_json(r.problems)}, {"questions", std::move(questions)}}));
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

/// A tally and, unless it was decoded from JSON, the definition its responses are checked against.
struct js_survey_tally {
  std::optional<cxm::survey> definition;
  cxm::survey_tally tally;
};

js_survey_tally survey_tally_make(const cxm::survey& s) { return {s, cxm::survey_tally(s)}; }

val survey_tally_add(js_survey_tally& t, const std::string& answers) {
  if (!t.definition)
    return reply(cxm::errc::invalid_argument,
                 "this SurveyTally was decoded from JSON: attach its survey first (SurveyTally.fromJson(text, survey))");
  std::optional<cxm::survey_answers> a;
  if (val e = with_answers(answers, a); !e.isNull()) return e;
  std::vector<cxm::survey_problem> problems;
  const cxm::status st = t.tally.add(*t.definition, *a, &problems);
  if (st.code() == cxm::errc::incompatible) return reply(st.code(), "the response belongs to another survey");
  return reply(cxm::errc::ok, {},
               json::serialize(json::object{{"ok", st.ok()}, {"problems", problems_json(problems)}}));
}

int survey_tally_merge(js_survey_tally& t, const js_survey_tally& other) { return code_of(t.tally.merge(other.tally)); }
std::string survey_tally_to_json(const js_survey_tally& t) { return t.tally.to_json(); }
double survey_tally_responses(const js_survey_tally& t) { return as_double(t.tally.responses()); }
double survey_tally_rejected(const js_survey_tally& t) { return as_double(t.tally.rejected()); }
bool survey_tally_has_definition(const js_survey_tally& t) { return t.definition.has_value(); }

val survey_tally_from_json(const std::string& text) {
  auto r = cxm::survey_tally::from_json(text);
  val o = val::object();
  o.set("code", code_of(r.code()));
  o.set("detail", r.ok() ? std::string() : r.detail());
  if (r.ok()) o.set("tally", val(js_survey_tally{std::nullopt, std::move(r).value()}));
  return o;
}

// Gives a decoded tally its definition: incompatible unless the layouts match.
int survey_tally_attach(js_survey_tally& t, const cxm::survey& s) {
  if (!cxm::survey_tally(s).compatible(t.tally)) return code_of(cxm::errc::incompatible);
  t.definition = s;
  return 0;
}

// {code, detail, tally}: a copy of one question's NpsTally / ScaleTally.
val survey_tally_nps(const js_survey_tally& t, const std::string& question) {
  const cxm::survey_question_tally* q = t.tally.find(question);
  if (q == nullptr || q->type != cxm::question_type::nps)
    return made(cxm::result<cxm::nps_tally>(cxm::errc::invalid_argument, "no nps question \"" + question + "\""));
  return made(cxm::result<cxm::nps_tally>(q->nps));
}

val survey_tally_scale(const js_survey_tally& t, const std::string& question) {
  const cxm::survey_question_tally* q = t.tally.find(question);
  if (q == nullptr || (q->type != cxm::question_type::ces && q->type != cxm::question_type::csat))
    return made(cxm::result<cxm::scale_tally>(cxm::errc::invalid_argument, "no ces or csat question \"" + question + "\""));
  return made(cxm::result<cxm::scale_tally>(q->ratings));
}

}  // namespace

EMSCRIPTEN_BINDINGS(cxm) {
  using namespace emscripten;

  value_object<js_interval>("Interval")
      .field("code", &js_interval::code)
      .field("estimate", &js_interval::estimate)
      .field("lower", &js_interval::lower)
      .field("upper", &js_interval::upper)
      .field("level", &js_interval::level)
      .field("n", &js_interval::n)
      .field("method", &js_interval::method)
      .field("smallSample", &js_interval::small_sample)
      .field("detail", &js_interval::detail);

  value_object<js_difference>("NpsDifference")
      .field("code", &js_difference::code)
      .field("difference", &js_difference::difference)
      .field("standardError", &js_difference::standard_error)
      .field("lower", &js_difference::lower)
      .field("upper", &js_difference::upper)
      .field("pValue", &js_difference::p_value)
      .field("level", &js_difference::level)
      .field("nA", &js_difference::n_a)
      .field("nB", &js_difference::n_b)
      .field("method", &js_difference::method)
      .field("smallSample", &js_difference::small_sample)
      .field("detail", &js_difference::detail);

  value_object<js_scale>("Scale")
      .field("min", &js_scale::min)
      .field("max", &js_scale::max)
      .field("topBoxMin", &js_scale::top_box_min);

  class_<cxm::nps_tally>("NpsTally")
      .constructor<>()
      .function("add", &nps_add)
      .function("addBulk", &nps_add_bulk)
      .function("reject", &nps_reject)
      .function("merge", &nps_merge)
      .function("counts", &nps_counts)
      .function("promoters", &nps_promoters)
      .function("passives", &nps_passives)
      .function("detractors", &nps_detractors)
      .function("total", &nps_total)
      .function("rejected", &nps_rejected)
      .function("rejectedTotal", &nps_rejected_total)
      .function("score", &nps_score)
      .function("standardError", &nps_standard_error)
      .function("adjustedScore", &nps_adjusted_score)
      .function("adjustedStandardError", &nps_adjusted_standard_error)
      .function("confidenceInterval", &nps_confidence_interval)
      .function("toJson", &nps_to_json)
      .class_function("fromJson", &nps_from_json);

  class_<cxm::scale_tally>("ScaleTally")
      .class_function("make", &scale_make)
      .class_function("named", &scale_named)
      .class_function("fromJson", &scale_from_json)
      .function("scale", &scale_of)
      .function("add", &scale_add)
      .function("reject", &scale_reject)
      .function("merge", &scale_merge)
      .function("counts", &scale_counts)
      .function("total", &scale_total)
      .function("topBoxCount", &scale_top_box_count)
      .function("rejected", &scale_rejected)
      .function("rejectedTotal", &scale_rejected_total)
      .function("mean", &scale_mean)
      .function("standardDeviation", &scale_standard_deviation)
      .function("topBoxShare", &scale_top_box_share)
      .function("meanInterval", &scale_mean_interval)
      .function("topBoxInterval", &scale_top_box_interval)
      .function("toJson", &scale_to_json);

  class_<cxm::survey>("Survey")
      .class_function("parse", &survey_parse)
      .function("describe", &survey_describe)
      .function("canonicalJson", &survey_canonical_json)
      .function("text", &survey_text)
      .function("uiText", &survey_ui_text)
      .function("resolveLocale", &survey_resolve_locale)
      .function("visibleQuestions", &survey_visible)
      .function("validate", &survey_validate)
      .function("score", &survey_score)
      .function("sample", &survey_sample)
      .function("samplingPoint", &survey_sampling_point)
      .function("eligible", &survey_eligible);

  class_<js_survey_tally>("SurveyTally")
      .class_function("make", &survey_tally_make)
      .class_function("fromJson", &survey_tally_from_json)
      .function("add", &survey_tally_add)
      .function("merge", &survey_tally_merge)
      .function("toJson", &survey_tally_to_json)
      .function("responses", &survey_tally_responses)
      .function("rejected", &survey_tally_rejected)
      .function("hasDefinition", &survey_tally_has_definition)
      .function("attach", &survey_tally_attach)
      .function("npsTally", &survey_tally_nps)
      .function("scaleTally", &survey_tally_scale);

  function("compareNps", &compare_nps);
  function("errorName", &error_name);
  function("errorMessage", &error_message);
  function("sumBytes", &sum_bytes);
}
