// SPDX-License-Identifier: MIT
// The tally of one question (cxm/survey/question_tally.hpp) and its JSON form.
#include "cxm/survey/question_tally.hpp"

#include <algorithm>
#include <utility>

#include "core/saturating.hpp"

#include "io/json_reader.hpp"
#include "io/json_writer.hpp"
#include "stats/tally_codec.hpp"
#include "survey/question_tally_codec.hpp"

CXM_BEGIN_NAMESPACE

namespace {

std::size_t problem_slot(errc reason) noexcept {
  for (std::size_t i = 0; i < answer_problems.size(); ++i)
    if (answer_problems[i] == reason) return i;
  return answer_problems.size();
}

bool has_scale(question_type t) noexcept { return t == question_type::ces || t == question_type::csat; }

}  // namespace

question_tally question_tally::of(const survey_question& q) {
  question_tally t;
  t.id = q.id;
  t.type = q.type;
  if (has_scale(q.type)) {
    auto r = scale_tally::make(q.scale);  // a valid question's scale is valid
    if (r) t.ratings = std::move(r).value();
  }
  if (has_choices(q.type)) {
    auto r = choice_tally::make(q.choices, q.multiple);  // distinct ids: checked by the definition
    if (r) t.choices = std::move(r).value();
  }
  return t;
}

void question_tally::add_shown(const scored_answer* a) noexcept {
  ++shown;
  if (a == nullptr) return;
  ++answered;
  switch (type) {
    case question_type::nps: (void)nps.add(a->score); break;
    case question_type::ces:
    case question_type::csat: (void)ratings.add(a->score); break;
    case question_type::emotion:
    case question_type::choice: (void)choices.add(a->choices.data(), a->choices.size()); break;
    case question_type::text: break;
  }
}

void question_tally::add_invalid(errc reason) noexcept {
  ++shown;
  ++invalid;
  const std::size_t slot = problem_slot(reason);
  // Every code score_answer returns has a slot; anything else is counted as invalid_argument.
  ++problems[slot < problems.size() ? slot : problem_slot(errc::invalid_argument)];
}

std::uint64_t question_tally::problem_count(errc reason) const noexcept {
  const std::size_t slot = problem_slot(reason);
  return slot < problems.size() ? problems[slot] : 0;
}

bool question_tally::same_layout(const question_tally& o) const noexcept {
  return id == o.id && type == o.type && ratings.answer_scale() == o.ratings.answer_scale() &&
         choices.same_choices(o.choices);
}

status question_tally::merge(const question_tally& o) noexcept {
  if (!same_layout(o)) return errc::incompatible;
  // Every count of the tally is at most `shown`, so this one check covers them all.
  if (o.shown > max_count - shown) return errc::out_of_range;
  shown += o.shown;
  answered += o.answered;
  invalid += o.invalid;
  for (std::size_t i = 0; i < problems.size(); ++i) problems[i] += o.problems[i];
  (void)nps.merge(o.nps);
  (void)ratings.merge(o.ratings);
  (void)choices.merge(o.choices);
  return errc::ok;
}

bool operator==(const question_tally& a, const question_tally& b) noexcept {
  return a.same_layout(b) && a.shown == b.shown && a.answered == b.answered && a.invalid == b.invalid &&
         a.problems == b.problems && a.nps == b.nps && a.ratings == b.ratings && a.choices == b.choices;
}

namespace detail {

void write_question_tally(json_writer& w, const question_tally& q) {
  w.begin_object().member("id", q.id).member("type", name(q.type));
  if (has_scale(q.type)) write_scale(w, q.ratings.answer_scale());
  if (q.type == question_type::choice) w.member("multiple", q.choices.multiple());
  if (has_choices(q.type)) {
    w.key("choices").begin_array();
    for (const std::string& c : q.choices.choices()) w.value(c);
    w.end_array();
  }
  w.member("shown", q.shown).member("answered", q.answered).member("invalid", q.invalid);
  if (q.invalid != 0) {
    w.key("problems").begin_object();
    for (std::size_t i = 0; i < q.problems.size(); ++i)
      if (q.problems[i] != 0) w.member(name(answer_problems[i]), q.problems[i]);
    w.end_object();
  }
  const auto counts = [&](const std::uint64_t* c, std::size_t n) {
    w.key("counts").begin_array();
    for (std::size_t i = 0; i < n; ++i) w.value(c[i]);
    w.end_array();
  };
  switch (q.type) {
    case question_type::nps: counts(q.nps.counts().data(), q.nps.counts().size()); break;
    case question_type::ces:
    case question_type::csat:
      counts(q.ratings.counts().data(), static_cast<std::size_t>(q.ratings.answer_scale().points()));
      break;
    case question_type::emotion:
    case question_type::choice: counts(q.choices.counts().data(), q.choices.counts().size()); break;
    case question_type::text: break;
  }
  w.end_object();
}

bool read_question_tally(json_reader& r, json_value v, const json_path& at, question_tally& q) {
  if (!r.object(v, at) || !r.string_field(v, at, "id", q.id)) return false;
  if (q.id.empty()) return r.fail(errc::invalid_argument, at.member("id"), {"must not be empty"});
  std::string_view type;
  if (!r.string_field(v, at, "type", type)) return false;
  std::size_t t = 0;
  while (t <= static_cast<std::size_t>(question_type::text) && type != name(static_cast<question_type>(t))) ++t;
  if (t > static_cast<std::size_t>(question_type::text))
    return r.fail(errc::invalid_argument, at.member("type"), {"unknown question type ", quoted(type)});
  q.type = static_cast<question_type>(t);
  switch (q.type) {
    case question_type::nps:
      if (!r.only_keys(v, at, {"id", "type", "shown", "answered", "invalid", "problems", "counts"})) return false;
      break;
    case question_type::ces:
    case question_type::csat:
      if (!r.only_keys(v, at, {"id", "type", "scale", "shown", "answered", "invalid", "problems", "counts"})) return false;
      break;
    case question_type::emotion:
      if (!r.only_keys(v, at, {"id", "type", "choices", "shown", "answered", "invalid", "problems", "counts"})) return false;
      break;
    case question_type::choice:
      if (!r.only_keys(v, at, {"id", "type", "multiple", "choices", "shown", "answered", "invalid", "problems", "counts"}))
        return false;
      break;
    case question_type::text:
      if (!r.only_keys(v, at, {"id", "type", "shown", "answered", "invalid", "problems"})) return false;
      break;
  }
  if (!r.count_field(v, at, "shown", q.shown) || !r.count_field(v, at, "answered", q.answered) ||
      !r.count_field(v, at, "invalid", q.invalid))
    return false;
  if (q.shown > max_count) return r.fail(errc::out_of_range, at.member("shown"), {"over 2^62, the most a tally counts"});
  if (q.answered > q.shown || q.invalid > q.shown - q.answered)
    return r.fail(errc::invalid_argument, at.member("answered"), {"answered and invalid add up to more than shown"});
  q.problems = {};
  if (const json_value p = r.field(v, "problems", at, q.invalid != 0)) {
    const json_path p_at = at.member("problems");
    // Written only when there is an invalid answer: an empty one would not be canonical.
    if (q.invalid == 0) return r.fail(errc::invalid_argument, p_at, {"only when invalid is not 0"});
    if (!r.object(p, p_at)) return false;
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      std::size_t k = 0;
      while (k < answer_problems.size() && p.key_at(i) != name(answer_problems[k])) ++k;
      if (k == answer_problems.size())
        return r.fail(errc::invalid_argument, p_at, {"unknown problem ", quoted(p.key_at(i))});
      if (!r.count(p.value_at(i), p_at.member(p.key_at(i)), q.problems[k])) return false;
      if (q.problems[k] == 0 || q.problems[k] > q.invalid - sum)
        return r.fail(errc::invalid_argument, p_at.member(p.key_at(i)), {"must be between 1 and invalid"});
      sum += q.problems[k];
    }
    if (sum != q.invalid) return r.fail(errc::invalid_argument, p_at, {"does not add up to invalid"});
  } else if (!r.ok()) {
    return false;
  }
  const json_path c_at = at.member("counts");
  switch (q.type) {
    case question_type::nps: {
      nps_tally::counts_type c{};
      if (!read_counts(r, v, at, c.size(), c.data())) return false;
      q.nps = nps_tally(c);
      if (q.nps.total() != q.answered) return r.fail(errc::invalid_argument, c_at, {"do not add up to answered"});
      return true;
    }
    case question_type::ces:
    case question_type::csat: {
      scale s;
      if (!read_scale(r, v, at, s)) return false;
      const bool known = q.type == question_type::ces ? (s == scale::ces7() || s == scale::ces5()) : s == scale::csat5();
      if (!known)
        return r.fail(errc::invalid_argument, at.member("scale"),
                      {q.type == question_type::ces ? "not a CES scale (1-7/5 or 1-5/4)" : "not the CSAT scale (1-5/4)"});
      scale_tally::counts_type c{};
      if (!read_counts(r, v, at, static_cast<std::size_t>(s.points()), c.data())) return false;
      q.ratings = scale_tally::make(s).value();
      (void)q.ratings.set_counts(c);
      if (q.ratings.total() != q.answered) return r.fail(errc::invalid_argument, c_at, {"do not add up to answered"});
      return true;
    }
    case question_type::emotion:
    case question_type::choice: {
      bool multiple = false;
      if (q.type == question_type::choice && !r.boolean_field(v, at, "multiple", multiple)) return false;
      const json_path ch_at = at.member("choices");
      const json_value ch = r.field(v, "choices", at);
      if (!ch || !r.list(ch, ch_at, choice_tally::max_choices, "choice")) return false;
      std::vector<std::string> ids(ch.size());
      for (std::size_t i = 0; i < ch.size(); ++i) {
        if (!r.string(ch.at(i), ch_at.element(i), ids[i])) return false;
        for (std::size_t j = 0; j < i; ++j)
          if (ids[j] == ids[i]) return r.fail(errc::invalid_argument, ch_at.element(i), {"duplicate choice"});
        if (q.type == question_type::emotion &&
            std::find(emotion_set.begin(), emotion_set.end(), ids[i]) == emotion_set.end())
          return r.fail(errc::invalid_argument, ch_at.element(i), {"not an emotion"});
      }
      const json_value cv = r.field(v, "counts", at);
      if (!cv || !r.array(cv, c_at)) return false;
      if (cv.size() != ids.size())
        return r.fail(errc::invalid_argument, c_at, {"expected ", std::to_string(ids.size()), " entries, one per choice"});
      std::vector<std::uint64_t> counts(cv.size());
      std::uint64_t sum = 0;  // saturating: only compared with answered
      for (std::size_t i = 0; i < cv.size(); ++i) {
        if (!r.count(cv.at(i), c_at.element(i), counts[i])) return false;
        if (counts[i] > q.answered) return r.fail(errc::invalid_argument, c_at, {"a choice picked more often than answered"});
        sum = add_saturating(sum, counts[i]);
      }
      // Every answer picks one choice, or (multiple) at least one: an empty array is "not answered".
      if (!multiple && sum != q.answered) return r.fail(errc::invalid_argument, c_at, {"do not add up to answered"});
      if (multiple && sum < q.answered) return r.fail(errc::invalid_argument, c_at, {"fewer choices than answers"});
      auto restored = choice_tally::restore(std::move(ids), multiple, q.answered, std::move(counts));
      if (!restored) return r.fail(restored.code(), at, {restored.detail()});  // checked above: not reached
      q.choices = std::move(restored).value();
      return true;
    }
    case question_type::text: return true;
  }
  return true;
}

}  // namespace detail
CXM_END_NAMESPACE
