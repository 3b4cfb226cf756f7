// SPDX-License-Identifier: MIT
// Answers checked against a survey definition: display conditions, validation and scoring
// (rules in cxm/survey/scoring.hpp).
#include "cxm/survey/scoring.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "io/utf8.hpp"

CXM_BEGIN_NAMESPACE

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
    const auto u = static_cast<unsigned char>(c);
    // 64 code points: counting lead bytes only never cuts a UTF-8 sequence, so the reason
    // stays valid UTF-8 wherever it is written (JSON, the C ABI's detail strings).
    if ((u & 0xC0) != 0x80 && ++n > 64) { out += "..."; break; }
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
bool is_blank(const survey_question& q, const answer_value& v) noexcept {
  if (q.type == question_type::text) return v.type == answer_type::string && v.text.empty();
  if (q.type == question_type::choice && q.multiple) return v.type == answer_type::strings && v.item_count == 0;
  return false;
}

// The reason of a problem, put together only when the caller wants it.
struct reasons {
  std::string* out;
  template <class... Parts>
  void set(const Parts&... parts) const {
    if (out == nullptr) return;
    out->clear();
    (out->append(parts), ...);
  }
};

}  // namespace

errc score_answer(const survey_question& q, const answer_value& v, scored_answer& out, std::string* reason) {
  const reasons why{reason};
  out.type = q.type;
  switch (q.type) {
    case question_type::nps:
    case question_type::ces:
    case question_type::csat: {
      const auto expected = [&] { return "expected an integer " + std::to_string(q.scale.min) + "-" + std::to_string(q.scale.max); };
      if (v.type != answer_type::number) {
        why.set(expected(), ", got ", v.json_type());
        return errc::wrong_type;
      }
      const errc e = classify_answer(v.number, q.scale);
      if (e == errc::not_finite) why.set(expected(), ", got a non-finite number");
      else if (e != errc::ok) why.set(expected(), ", got ", format_number(v.number));
      if (e != errc::ok) return e;
      out.score = static_cast<int>(v.number);
      out.top_box = out.score >= q.scale.top_box_min;
      if (q.type == question_type::nps) out.category = categorize_nps(out.score);
      return errc::ok;
    }
    case question_type::emotion:
    case question_type::choice: {
      const bool many = q.type == question_type::choice && q.multiple;
      if (many && v.type != answer_type::strings) {
        why.set("expected an array of choice ids, got ", v.json_type());
        return errc::wrong_type;
      }
      if (!many && v.type != answer_type::string) {
        why.set("expected one choice id (a string), got ", v.json_type());
        return errc::wrong_type;
      }
      const std::string_view* first = many ? v.items : &v.text;
      const std::size_t count = many ? v.item_count : 1;
      out.choices.clear();
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t k = q.choice_index(first[i]);
        if (k == survey_question::npos) {
          why.set(quoted(first[i]), " is not one of the question's choices");
          return errc::out_of_range;
        }
        if (std::find(out.choices.begin(), out.choices.end(), k) != out.choices.end()) {
          why.set(quoted(first[i]), " is chosen twice");
          return errc::invalid_argument;
        }
        out.choices.push_back(k);
      }
      return errc::ok;
    }
    case question_type::text: {
      if (v.type != answer_type::string) {
        why.set("expected a string, got ", v.json_type());
        return errc::wrong_type;
      }
      if (detail::first_invalid_utf8(v.text) != v.text.size()) {
        why.set("text is not valid UTF-8");
        return errc::invalid_utf8;
      }
      out.length = code_points(v.text);
      if (out.length > static_cast<std::size_t>(q.max_length)) {
        why.set(std::to_string(out.length), " characters, over the limit of ", std::to_string(q.max_length));
        return errc::too_large;
      }
      out.text.assign(v.text);
      return errc::ok;
    }
  }
  why.set("unknown question type");
  return errc::internal;
}

scored_response score(const survey& definition, answers_view answers) {
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
    const answer_value* v = answers.find(q.id);
    if (v != nullptr && is_blank(q, *v)) v = nullptr;
    if (!shown) {
      r.states[i] = question_state::hidden;
      if (v != nullptr)
        r.problems.push_back({errc::invalid_argument, q.id, "answered, but the question is hidden by its condition (show_if)"});
      continue;
    }
    if (v == nullptr) {
      r.states[i] = question_state::skipped;
      if (q.required) r.problems.push_back({errc::missing_field, q.id, "a required question was not answered"});
      continue;
    }
    scored_answer a;
    a.question = i;
    a.type = q.type;
    std::string reason;
    if (errc e = score_answer(q, *v, a, &reason); e != errc::ok) {
      r.states[i] = question_state::invalid;
      r.problems.push_back({e, q.id, std::move(reason)});
      continue;
    }
    r.states[i] = question_state::answered;
    r.answers.push_back(std::move(a));
    valid[i] = &r.answers.back();
  }
  for (const answer& e : answers)
    if (definition.find(e.question) == survey::npos)
      r.problems.push_back({errc::invalid_argument, std::string(e.question), "unknown question"});
  return r;
}

std::vector<problem> validate(const survey& definition, answers_view answers) {
  return score(definition, answers).problems;
}

std::vector<std::size_t> visible_questions(const survey& definition, answers_view answers) {
  const scored_response r = score(definition, answers);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < r.states.size(); ++i)
    if (r.states[i] != question_state::hidden) out.push_back(i);
  return out;
}

CXM_END_NAMESPACE
