// SPDX-License-Identifier: MIT
// Answers checked against a survey definition: display conditions, validation and scoring
// (rules in cxm/survey_response.hpp).
#include "cxm/survey/scoring.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "io/strict_json.hpp"
#include "io/utf8.hpp"

CXM_BEGIN_NAMESPACE

namespace json = boost::json;

// ---- survey_answers -----------------------------------------------------------------------

result<survey_answers> survey_answers::from_json(std::string_view text) {
  detail::json_limits limits;
  limits.max_bytes = max_bytes;
  limits.max_depth = 8;
  auto parsed = detail::parse_strict(text, limits);
  if (!parsed) return {parsed.code(), parsed.detail()};
  const json::object* root = parsed.value().if_object();
  if (root == nullptr) return {errc::wrong_type, "(root): expected an object of answers"};
  survey_answers out;
  out.entries_.reserve(root->size());
  for (const auto& kv : *root) {
    std::string question(kv.key().data(), kv.key().size());
    const json::value& v = kv.value();
    if (const std::int64_t* i = v.if_int64()) {
      out.set(std::move(question), static_cast<double>(*i));
    } else if (const std::uint64_t* u = v.if_uint64()) {
      out.set(std::move(question), static_cast<double>(*u));
    } else if (const double* d = v.if_double()) {
      out.set(std::move(question), *d);
    } else if (const json::string* s = v.if_string()) {
      out.set(std::move(question), std::string(s->data(), s->size()));
    } else if (const json::array* a = v.if_array()) {
      std::vector<std::string> items;
      items.reserve(a->size());
      bool strings = true;
      for (const json::value& item : *a) {
        const json::string* is = item.if_string();
        if (is == nullptr) { strings = false; break; }
        items.emplace_back(is->data(), is->size());
      }
      if (strings) out.set(std::move(question), std::move(items));
      else out.set_other(std::move(question), "an array of non-strings");
    } else if (v.is_bool()) {
      out.set_other(std::move(question), "a boolean");
    } else if (v.is_object()) {
      out.set_other(std::move(question), "an object");
    } else {
      out.set_other(std::move(question), "null");
    }
  }
  return out;
}

survey_answers::value& survey_answers::slot(std::string question) {
  for (entry& e : entries_)
    if (e.question == question) {
      e.answer = value{};
      return e.answer;
    }
  entries_.push_back({std::move(question), value{}});
  return entries_.back().answer;
}

void survey_answers::set(std::string question, double number) {
  value& v = slot(std::move(question));
  v.type = kind::number;
  v.number = number;
}

void survey_answers::set(std::string question, std::string text) {
  value& v = slot(std::move(question));
  v.type = kind::string;
  v.text = std::move(text);
}

void survey_answers::set(std::string question, std::vector<std::string> items) {
  value& v = slot(std::move(question));
  v.type = kind::strings;
  v.items = std::move(items);
}

void survey_answers::set_other(std::string question, const char* json_type) {
  value& v = slot(std::move(question));
  v.type = kind::other;
  v.json_type = json_type != nullptr ? json_type : "null";
}

bool survey_answers::erase(std::string_view question) noexcept {
  for (auto it = entries_.begin(); it != entries_.end(); ++it)
    if (it->question == question) {
      entries_.erase(it);
      return true;
    }
  return false;
}

const survey_answers::value* survey_answers::find(std::string_view question) const noexcept {
  for (const entry& e : entries_)
    if (e.question == question) return &e.answer;
  return nullptr;
}

// ---- scoring ------------------------------------------------------------------------------

const char* name(question_state s) noexcept {
  switch (s) {
    case question_state::hidden: return "hidden";
    case question_state::skipped: return "skipped";
    case question_state::answered: return "answered";
    case question_state::invalid: return "invalid";
  }
  return "unknown";
}

const scored_answer* scored_response::find(std::size_t question) const noexcept {
  for (const scored_answer& a : answers)
    if (a.question == question) return &a;
  return nullptr;
}

namespace {

// A number for a message, without printf (which the wasm build would otherwise link): exact
// integers, fractions to 6 decimals.
std::string format_number(double x) {
  const double a = std::fabs(x);
  if (!(a < 9007199254740992.0)) return "a number out of range";
  if (std::floor(x) == x) return std::to_string(static_cast<std::int64_t>(x));
  if (!(a < 1e12)) return "a fraction";
  const auto units = static_cast<std::uint64_t>(std::llround(a * 1e6));
  std::string frac = std::to_string(1000000 + units % 1000000).substr(1);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return (x < 0 ? "-" : "") + std::to_string(units / 1000000) + (frac.empty() ? "" : "." + frac);
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  std::size_t n = 0;
  for (char c : s) {
    if (++n > 64) { out += "..."; break; }
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') { out += '\\'; out += c; }
    else if (u < 0x20 || u == 0x7F) out += '?';
    else out += c;
  }
  return out + "\"";
}

std::size_t code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

const char* got(const survey_answers::value& v) noexcept {
  switch (v.type) {
    case survey_answers::kind::number: return "a number";
    case survey_answers::kind::string: return "a string";
    case survey_answers::kind::strings: return "an array";
    case survey_answers::kind::other: return v.json_type;
  }
  return "a value";
}

bool holds(const survey_condition& c, const std::vector<const scored_answer*>& valid) {
  switch (c.type) {
    case survey_condition::kind::all:
      return std::all_of(c.children.begin(), c.children.end(), [&](const survey_condition& k) { return holds(k, valid); });
    case survey_condition::kind::any:
      return std::any_of(c.children.begin(), c.children.end(), [&](const survey_condition& k) { return holds(k, valid); });
    case survey_condition::kind::category: {
      const scored_answer* a = valid[c.question];
      return a != nullptr && ((c.categories >> static_cast<std::uint32_t>(a->category)) & 1u) != 0;
    }
    case survey_condition::kind::range: {
      const scored_answer* a = valid[c.question];
      return a != nullptr && (!c.min || a->score >= *c.min) && (!c.max || a->score <= *c.max);
    }
    case survey_condition::kind::any_of: {
      const scored_answer* a = valid[c.question];
      if (a == nullptr) return false;
      return std::any_of(a->choices.begin(), a->choices.end(), [&](std::size_t k) {
        return std::find(c.choices.begin(), c.choices.end(), k) != c.choices.end();
      });
    }
  }
  return false;
}

// Whether `v` means "not answered" for `q` (empty text, no choice of a multiple choice).
bool is_blank(const survey_question& q, const survey_answers::value& v) noexcept {
  if (q.type == question_type::text) return v.type == survey_answers::kind::string && v.text.empty();
  if (q.type == question_type::choice && q.multiple) return v.type == survey_answers::kind::strings && v.items.empty();
  return false;
}

// Checks `v` against `q`; fills `out` or returns the problem's code and reason.
errc check(const survey_question& q, const survey_answers::value& v, scored_answer& out, std::string& reason) {
  using kind = survey_answers::kind;
  switch (q.type) {
    case question_type::nps:
    case question_type::ces:
    case question_type::csat: {
      const std::string expected =
          "expected an integer " + std::to_string(q.scale.min) + "-" + std::to_string(q.scale.max);
      if (v.type != kind::number) { reason = expected + ", got " + got(v); return errc::wrong_type; }
      if (!std::isfinite(v.number)) { reason = expected + ", got a non-finite number"; return errc::not_finite; }
      if (std::floor(v.number) != v.number) { reason = expected + ", got " + format_number(v.number); return errc::not_integer; }
      if (v.number < q.scale.min || v.number > q.scale.max) {
        reason = expected + ", got " + format_number(v.number);
        return errc::out_of_range;
      }
      out.score = static_cast<int>(v.number);
      out.top_box = out.score >= q.scale.top_box_min;
      if (q.type == question_type::nps) out.category = categorize_nps(out.score);
      return errc::ok;
    }
    case question_type::emotion:
    case question_type::choice: {
      const bool many = q.type == question_type::choice && q.multiple;
      if (many && v.type != kind::strings) {
        reason = std::string("expected an array of choice ids, got ") + got(v);
        return errc::wrong_type;
      }
      if (!many && v.type != kind::string) {
        reason = std::string("expected one choice id (a string), got ") + got(v);
        return errc::wrong_type;
      }
      const std::string* first = many ? v.items.data() : &v.text;
      const std::size_t count = many ? v.items.size() : 1;
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t k = q.choice_index(first[i]);
        if (k == survey_question::npos) {
          reason = quoted(first[i]) + " is not one of the question's choices";
          return errc::out_of_range;
        }
        if (std::find(out.choices.begin(), out.choices.end(), k) != out.choices.end()) {
          reason = quoted(first[i]) + " is chosen twice";
          return errc::invalid_argument;
        }
        out.choices.push_back(k);
      }
      return errc::ok;
    }
    case question_type::text: {
      if (v.type != kind::string) { reason = std::string("expected a string, got ") + got(v); return errc::wrong_type; }
      if (detail::first_invalid_utf8(v.text) != v.text.size()) { reason = "text is not valid UTF-8"; return errc::invalid_utf8; }
      out.length = code_points(v.text);
      if (out.length > static_cast<std::size_t>(q.max_length)) {
        reason = std::to_string(out.length) + " characters, over the limit of " + std::to_string(q.max_length);
        return errc::too_large;
      }
      out.text = v.text;
      return errc::ok;
    }
  }
  reason = "unknown question type";
  return errc::internal;
}

}  // namespace

scored_response score(const survey& definition, const survey_answers& answers) {
  const std::vector<survey_question>& questions = definition.questions();
  scored_response r;
  r.survey_id = definition.id();
  r.survey_version = definition.version();
  r.states.assign(questions.size(), question_state::hidden);
  // At most one answer per question: with this reserve the pointers in `valid` stay put.
  r.answers.reserve(questions.size());
  std::vector<const scored_answer*> valid(questions.size(), nullptr);  // valid answers so far

  for (std::size_t i = 0; i < questions.size(); ++i) {
    const survey_question& q = questions[i];
    const bool shown = !q.show_if || holds(*q.show_if, valid);
    const survey_answers::value* v = answers.find(q.id);
    if (v != nullptr && is_blank(q, *v)) v = nullptr;
    if (!shown) {
      r.states[i] = question_state::hidden;
      if (v != nullptr)
        r.problems.push_back({q.id, errc::invalid_argument, "answered, but the question is hidden by its condition (show_if)"});
      continue;
    }
    if (v == nullptr) {
      r.states[i] = question_state::skipped;
      if (q.required) r.problems.push_back({q.id, errc::missing_field, "a required question was not answered"});
      continue;
    }
    scored_answer a;
    a.question = i;
    a.type = q.type;
    std::string reason;
    if (errc e = check(q, *v, a, reason); e != errc::ok) {
      r.states[i] = question_state::invalid;
      r.problems.push_back({q.id, e, std::move(reason)});
      continue;
    }
    r.states[i] = question_state::answered;
    r.answers.push_back(std::move(a));
    valid[i] = &r.answers.back();
  }
  for (const survey_answers::entry& e : answers.entries())
    if (definition.find(e.question) == survey::npos)
      r.problems.push_back({e.question, errc::invalid_argument, "unknown question"});
  return r;
}

std::vector<survey_problem> validate(const survey& definition, const survey_answers& answers) {
  return score(definition, answers).problems;
}

std::vector<std::size_t> visible_questions(const survey& definition, const survey_answers& answers) {
  const scored_response r = score(definition, answers);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < r.states.size(); ++i)
    if (r.states[i] != question_state::hidden) out.push_back(i);
  return out;
}

CXM_END_NAMESPACE
