// SPDX-License-Identifier: MIT
// Scoring of responses into per-question tallies, overall and per breakdown group.
#include "cxm/survey/scorer.hpp"

#include <algorithm>

CXM_BEGIN_NAMESPACE
namespace {

bool same_config(const std::vector<question_tally>& a, const std::vector<question_tally>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].question != b[i].question || a[i].kind != b[i].kind ||
        (a[i].kind == metric::scale && a[i].ratings.answer_scale() != b[i].ratings.answer_scale()))
      return false;
  return true;
}

// Cannot fail once survey_scorer::merge has checked the response totals: a question's tally
// never counts more answers than there were responses.
void merge_tallies(std::vector<question_tally>& into, const std::vector<question_tally>& from) {
  for (std::size_t i = 0; i < into.size(); ++i) {
    (void)into[i].nps.merge(from[i].nps);
    (void)into[i].ratings.merge(from[i].ratings);  // scales checked equal by same_config
    into[i].unanswered += from[i].unanswered;
  }
}

std::string_view dimension_value(const response_view& r, std::string_view dimension) {
  if (dimension == "channel") return r.channel;
  if (dimension == "step") return r.step;
  if (dimension == "survey_id") return r.survey_id;
  if (dimension == "journey_id") return r.journey_id;
  return r.segment_value(dimension.substr(8));  // "segment.<name>"
}

const char* expectation(const question_tally& q) {
  return q.kind == metric::nps ? "expected an integer answer from 0 to 10"
                               : "expected an integer answer on the question's scale";
}

const char* reason_for(errc e, const question_tally& q) {
  switch (e) {
    case errc::wrong_type: return q.kind == metric::nps ? "expected a number 0-10, got another JSON type"
                                                        : "expected a number on the scale, got another JSON type";
    case errc::not_integer: return "expected a whole number, got a fraction";
    case errc::not_finite: return "expected a finite number";
    default: return expectation(q);
  }
}

// Adds one answer to a question's tally; returns the rejection reason or ok.
errc score(question_tally& q, const answer_value* v) {
  if (v == nullptr) {
    ++q.unanswered;
    return errc::ok;
  }
  if (v->type != answer_type::number)
    return q.kind == metric::nps ? q.nps.reject(errc::wrong_type).code() : q.ratings.reject(errc::wrong_type).code();
  return q.kind == metric::nps ? q.nps.add(v->number).code() : q.ratings.add(v->number).code();
}

}  // namespace

status survey_scorer::add_nps_question(std::string question) {
  if (question.empty() || find(question) != nullptr || responses_ > 0) return errc::invalid_argument;
  question_tally q;
  q.question = std::move(question);
  q.kind = metric::nps;
  totals_.push_back(std::move(q));
  return errc::ok;
}

status survey_scorer::add_scale_question(std::string question, scale s) {
  if (question.empty() || find(question) != nullptr || responses_ > 0) return errc::invalid_argument;
  auto ratings = scale_tally::make(s);
  if (!ratings) return ratings.code();
  question_tally q;
  q.question = std::move(question);
  q.kind = metric::scale;
  q.ratings = std::move(ratings).value();
  totals_.push_back(std::move(q));
  return errc::ok;
}

status survey_scorer::add_breakdown(std::string dimension) {
  const bool known = dimension == "channel" || dimension == "step" || dimension == "survey_id" ||
                     dimension == "journey_id" || (dimension.rfind("segment.", 0) == 0 && dimension.size() > 8);
  if (!known || responses_ > 0) return errc::invalid_argument;
  for (const auto& b : breakdowns_)
    if (b.dimension == dimension) return errc::invalid_argument;
  breakdowns_.push_back({std::move(dimension), {}, 0});
  group_index_.emplace_back();
  return errc::ok;
}

const question_tally* survey_scorer::find(std::string_view question) const noexcept {
  for (const auto& q : totals_)
    if (q.question == question) return &q;
  return nullptr;
}

void survey_scorer::on_response(const response_view& r, std::vector<answer_problem>& problems) {
  ++responses_;
  for (auto& q : totals_) {
    const answer_value* v = r.find(q.question);
    const errc e = score(q, v);
    if (e != errc::ok) problems.push_back({q.question, e, reason_for(e, q)});
  }
  for (std::size_t b = 0; b < breakdowns_.size(); ++b) {
    score_breakdown& bd = breakdowns_[b];
    const std::string_view value = dimension_value(r, bd.dimension);
    if (value.empty()) continue;  // the response does not carry this dimension
    auto& index = group_index_[b];
    auto it = index.find(value);
    if (it == index.end()) {
      if (bd.groups.size() >= max_groups) {
        ++bd.overflow;
        continue;
      }
      it = index.emplace(std::string(value), bd.groups.size()).first;
      score_group g;
      g.value = std::string(value);
      g.questions = totals_;
      for (auto& q : g.questions) {  // empty copies with the same configuration
        q.nps = nps_tally{};
        q.ratings = scale_tally::make(q.ratings.answer_scale()).value();
        q.unanswered = 0;
      }
      bd.groups.push_back(std::move(g));
    }
    score_group& g = bd.groups[it->second];
    ++g.responses;
    for (auto& q : g.questions) (void)score(q, r.find(q.question));
  }
}

status survey_scorer::merge(const survey_scorer& other) {
  if (!same_config(totals_, other.totals_) || breakdowns_.size() != other.breakdowns_.size())
    return errc::incompatible;
  for (std::size_t b = 0; b < breakdowns_.size(); ++b)
    if (breakdowns_[b].dimension != other.breakdowns_[b].dimension) return errc::incompatible;
  if (other.responses_ > max_count - responses_) return errc::out_of_range;
  responses_ += other.responses_;
  merge_tallies(totals_, other.totals_);
  for (std::size_t b = 0; b < breakdowns_.size(); ++b) {
    score_breakdown& into = breakdowns_[b];
    into.overflow += other.breakdowns_[b].overflow;
    for (const score_group& g : other.breakdowns_[b].groups) {
      auto it = group_index_[b].find(g.value);
      if (it == group_index_[b].end()) {
        if (into.groups.size() >= max_groups) {
          into.overflow += g.responses;
          continue;
        }
        group_index_[b].emplace(g.value, into.groups.size());
        into.groups.push_back(g);
        continue;
      }
      score_group& mine = into.groups[it->second];
      mine.responses += g.responses;
      merge_tallies(mine.questions, g.questions);
    }
  }
  return errc::ok;
}

CXM_END_NAMESPACE
