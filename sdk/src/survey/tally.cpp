// SPDX-License-Identifier: MIT
// Per-question tallies of valid survey responses, their merge and their JSON encoding
// (cxm.survey_tally version 2, specified in cxm/survey/tally.hpp).
#include "cxm/survey/tally.hpp"

#include <limits>
#include <utility>

#include "core/saturating.hpp"
#include "io/json_reader.hpp"
#include "io/json_writer.hpp"
#include "survey/question_tally_codec.hpp"

CXM_BEGIN_NAMESPACE

namespace {

constexpr std::int64_t max_survey_version = (std::int64_t{1} << 53) - 1;

}  // namespace

bool operator==(const survey_tally& a, const survey_tally& b) noexcept {
  return a.survey_id_ == b.survey_id_ && a.survey_version_ == b.survey_version_ && a.responses_ == b.responses_ &&
         a.rejected_ == b.rejected_ && a.questions_ == b.questions_;
}

survey_tally::survey_tally(const survey& definition)
    : survey_id_(definition.id()), survey_version_(definition.version()) {
  questions_.reserve(definition.questions().size());
  for (const survey_question& q : definition.questions()) questions_.push_back(question_tally::of(q));
}

const question_tally* survey_tally::find(std::string_view id) const noexcept {
  for (const question_tally& q : questions_)
    if (q.id == id) return &q;
  return nullptr;
}

status survey_tally::add(const scored_response& r) noexcept {
  if (r.survey_id != survey_id_ || r.survey_version != survey_version_ || r.states.size() != questions_.size())
    return errc::incompatible;
  // Check everything first, so that an incompatible response changes nothing.
  for (const scored_answer& a : r.answers) {
    if (a.question >= questions_.size()) return errc::incompatible;
    const question_tally& q = questions_[a.question];
    if (q.type != a.type || r.states[a.question] != question_state::answered) return errc::incompatible;
    if (a.type == question_type::nps && (a.score < nps_tally::min_answer || a.score > nps_tally::max_answer))
      return errc::incompatible;
    if ((a.type == question_type::ces || a.type == question_type::csat) &&
        (a.score < q.ratings.answer_scale().min || a.score > q.ratings.answer_scale().max))
      return errc::incompatible;
    if (has_choices(a.type)) {
      if (a.choices.empty() || (a.choices.size() > 1 && !q.choices.multiple())) return errc::incompatible;
      for (std::size_t k : a.choices)
        if (k >= q.choices.choices().size()) return errc::incompatible;
    }
  }
  if (!r.ok()) {
    rejected_ = detail::add_saturating(rejected_, 1);  // a diagnostic: saturates, never wraps
    return errc::invalid_argument;
  }
  if (responses_ >= max_count) return errc::out_of_range;
  ++responses_;
  for (std::size_t i = 0; i < questions_.size(); ++i)
    if (r.states[i] != question_state::hidden) questions_[i].add_shown(r.find(i));
  return errc::ok;
}

status survey_tally::add(const survey& definition, answers_view answers, std::vector<problem>* problems) {
  scored_response r = score(definition, answers);
  const status s = add(r);
  if (problems != nullptr) *problems = std::move(r.problems);
  return s;
}

bool survey_tally::compatible(const survey_tally& other) const noexcept {
  if (survey_id_ != other.survey_id_ || survey_version_ != other.survey_version_ ||
      questions_.size() != other.questions_.size())
    return false;
  for (std::size_t i = 0; i < questions_.size(); ++i)
    if (!questions_[i].same_layout(other.questions_[i])) return false;
  return true;
}

status survey_tally::merge(const survey_tally& other) noexcept {
  if (!compatible(other)) return errc::incompatible;
  // Every count of a question is at most `responses`, so this one check covers them all.
  if (other.responses_ > max_count - responses_) return errc::out_of_range;
  responses_ += other.responses_;
  rejected_ = detail::add_saturating(rejected_, other.rejected_);
  for (std::size_t i = 0; i < questions_.size(); ++i) (void)questions_[i].merge(other.questions_[i]);
  return errc::ok;
}

// ---- JSON ---------------------------------------------------------------------------------

std::string survey_tally::to_json() const {
  detail::json_writer w;
  w.begin_object()
      .member("format", "cxm.survey_tally")
      .member("version", format_version)
      .member("survey_id", survey_id_)
      .member("survey_version", survey_version_)
      .member("responses", responses_)
      .member("rejected", rejected_);
  w.key("questions").begin_array();
  for (const question_tally& q : questions_) detail::write_question_tally(w, q);
  w.end_array().end_object();
  return w.take();
}

/// Reads the format of cxm/survey/tally.hpp; a friend of survey_tally.
class survey_tally_decoder {
 public:
  result<survey_tally> run(std::string_view text) {
    const detail::json_path at;
    if (!r_.parse(text, survey_tally_json_limits) || !read(r_.root(), at)) return r_.error<survey_tally>();
    return std::move(t_);
  }

 private:
  bool read(detail::json_value root, const detail::json_path& at) {
    if (!r_.header(root, "cxm.survey_tally", survey_tally::format_version) ||
        !r_.only_keys(root, at, {"format", "version", "survey_id", "survey_version", "responses", "rejected", "questions"}) ||
        !r_.string_field(root, at, "survey_id", t_.survey_id_) ||
        !r_.integer_field(root, at, "survey_version", std::int64_t{0}, max_survey_version, t_.survey_version_) ||
        !r_.count_field(root, at, "responses", t_.responses_) || !r_.count_field(root, at, "rejected", t_.rejected_))
      return false;
    if (t_.survey_id_.empty()) return r_.fail(errc::invalid_argument, at.member("survey_id"), {"must not be empty"});
    if (t_.responses_ > max_count)
      return r_.fail(errc::out_of_range, at.member("responses"), {"over 2^62, the most a tally counts"});
    const detail::json_path q_at = at.member("questions");
    const detail::json_value qs = r_.field(root, "questions", at);
    if (!qs || !r_.list(qs, q_at, 200, "question")) return false;
    t_.questions_.resize(qs.size());
    for (std::size_t i = 0; i < qs.size(); ++i) {
      question_tally& q = t_.questions_[i];
      const detail::json_path e_at = q_at.element(i);
      if (!detail::read_question_tally(r_, qs.at(i), e_at, q)) return false;
      for (std::size_t j = 0; j < i; ++j)
        if (t_.questions_[j].id == q.id)
          return r_.fail(errc::invalid_argument, e_at.member("id"), {"duplicate question id ", detail::quoted(q.id)});
      if (q.shown > t_.responses_) return r_.fail(errc::invalid_argument, e_at.member("shown"), {"more than responses"});
      if (q.invalid != 0)
        return r_.fail(errc::invalid_argument, e_at.member("invalid"), {"a survey tally holds valid responses only"});
    }
    return true;
  }

  detail::json_reader r_;
  survey_tally t_;
};

result<survey_tally> survey_tally::from_json(std::string_view text) { return survey_tally_decoder().run(text); }

CXM_END_NAMESPACE
