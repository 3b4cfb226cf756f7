// SPDX-License-Identifier: MIT
// Scoring of response records into per-question tallies, overall and per breakdown group.
#include "cxm/survey/scorer.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <utility>

#include "core/id_set.hpp"
#include "core/name_table.hpp"
#include "cxm/survey/scoring.hpp"

CXM_BEGIN_NAMESPACE
namespace {

bool same_config(const std::vector<question_tally>& a, const std::vector<question_tally>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!a[i].same_layout(b[i])) return false;
  return true;
}

// Cannot fail once survey_scorer::merge has checked the response totals: a question is shown
// at most once per response.
void merge_tallies(std::vector<question_tally>& into, const std::vector<question_tally>& from) {
  for (std::size_t i = 0; i < into.size(); ++i) (void)into[i].merge(from[i]);
}

bool scale_fits(question_type type, const scale& s) noexcept {
  switch (type) {
    case question_type::nps: return s == scale::nps();
    case question_type::ces: return s == scale::ces7() || s == scale::ces5();
    case question_type::csat: return s == scale::csat5();
    default: return false;
  }
}

// Every group gets its own id: the table never reaches its "(other)" name.
static_assert(survey_scorer::max_groups < detail::max_table_names);

// name_table holds its names behind pointers and is not copyable; interning the names again in
// id order gives every name the same id.
std::vector<std::unique_ptr<detail::name_table>> copy_of(
    const std::vector<std::unique_ptr<detail::name_table>>& tables) {
  std::vector<std::unique_ptr<detail::name_table>> out;
  for (const auto& t : tables) {
    auto copy = std::make_unique<detail::name_table>();
    for (std::uint32_t id = 1; id < t->size(); ++id) (void)copy->intern(t->name(id));
    out.push_back(std::move(copy));
  }
  return out;
}

}  // namespace

survey_scorer::survey_scorer(scorer_options options)
    : ids_(options.count_ids_once ? std::make_unique<detail::id_set>() : nullptr) {}
survey_scorer::~survey_scorer() = default;
survey_scorer::survey_scorer(survey_scorer&&) noexcept = default;
survey_scorer& survey_scorer::operator=(survey_scorer&&) noexcept = default;

survey_scorer::survey_scorer(const survey_scorer& o)
    : response_sink(o),
      responses_(o.responses_),
      duplicates_(o.duplicates_),
      ids_(o.ids_ ? std::make_unique<detail::id_set>(*o.ids_) : nullptr),
      questions_(o.questions_),
      verdicts_(o.verdicts_),
      scores_(o.scores_),
      totals_(o.totals_),
      breakdowns_(o.breakdowns_),
      group_names_(copy_of(o.group_names_)) {}

survey_scorer& survey_scorer::operator=(const survey_scorer& o) {
  if (this != &o) *this = survey_scorer(o);
  return *this;
}

status survey_scorer::add_question(std::string id, question_type type, scale s) {
  if (id.empty() || find(id) != nullptr || responses_ > 0 || !scale_fits(type, s)) return errc::invalid_argument;
  survey_question q;
  q.id = std::move(id);
  q.type = type;
  q.scale = s;
  totals_.push_back(question_tally::of(q));
  questions_.push_back(std::move(q));
  verdicts_.resize(questions_.size());
  scores_.resize(questions_.size());
  return errc::ok;
}

std::string_view breakdown_value(const response_view& r, std::string_view dimension) noexcept {
  if (dimension == "channel") return r.channel;
  if (dimension == "step") return r.step;
  if (dimension == "survey_id") return r.survey_id;
  if (dimension == "journey_id") return r.journey_id;
  if (dimension.size() > 8 && dimension.substr(0, 8) == "segment.") return r.segment_value(dimension.substr(8));
  return {};
}

bool is_breakdown_dimension(std::string_view d) noexcept {
  return d == "channel" || d == "step" || d == "survey_id" || d == "journey_id" ||
         (d.size() > 8 && d.substr(0, 8) == "segment.");
}

status survey_scorer::add_breakdown(std::string dimension) {
  if (!is_breakdown_dimension(dimension) || responses_ > 0) return errc::invalid_argument;
  for (const auto& b : breakdowns_)
    if (b.dimension == dimension) return errc::invalid_argument;
  breakdowns_.push_back({std::move(dimension), {}, 0});
  group_names_.push_back(std::make_unique<detail::name_table>());
  return errc::ok;
}

const question_tally* survey_scorer::find(std::string_view id) const noexcept {
  for (const auto& q : totals_)
    if (q.id == id) return &q;
  return nullptr;
}

void survey_scorer::on_id(std::string_view id) noexcept {
  if (!ids_) return;
  hinted_size_ = 0;
  if (id.empty() || id.size() > hinted_id_.size()) return;  // such a record will be rejected
  std::memcpy(hinted_id_.data(), id.data(), id.size());
  hinted_size_ = id.size();
  hinted_hash_ = detail::id_set::hash(id);
  ids_->prefetch(hinted_hash_);
}

bool survey_scorer::on_response(const response_view& r, std::vector<problem>& problems) {
  // The hint's hash serves only the very bytes it was computed from; any other id (a caller
  // that does not hint, a hinted record the reader then rejected) is hashed here.
  const bool hinted = hinted_size_ != 0 && r.id.size() == hinted_size_ &&
                      std::memcmp(r.id.data(), hinted_id_.data(), hinted_size_) == 0;
  hinted_size_ = 0;
  if (ids_ && !ids_->insert(r.id, hinted ? hinted_hash_ : detail::id_set::hash(r.id))) {
    ++duplicates_;
    problems.push_back({errc::duplicate_id, "id", "\"" + std::string(r.id) + "\" was counted before"});
    return false;
  }
  ++responses_;
  // Judge each configured answer once; fold the verdicts into the totals and the groups. The
  // questions are nps, ces or csat, whose tallies read only the score of a scored answer.
  scored_answer scored;
  std::string reason;
  const auto fold = [&](std::vector<question_tally>& tallies) {
    for (std::size_t i = 0; i < tallies.size(); ++i) {
      if (verdicts_[i] == errc::missing_field) {
        tallies[i].add_shown(nullptr);
      } else if (verdicts_[i] != errc::ok) {
        tallies[i].add_invalid(verdicts_[i]);
      } else {
        scored.score = scores_[i];
        tallies[i].add_shown(&scored);
      }
    }
  };

  for (std::size_t i = 0; i < questions_.size(); ++i) {
    const answer_value* v = r.find(questions_[i].id);
    if (v == nullptr) {
      verdicts_[i] = errc::missing_field;  // not answered: skipped, not a problem
      continue;
    }
    verdicts_[i] = score_answer(questions_[i], *v, scored, &reason);
    scores_[i] = scored.score;
    if (verdicts_[i] != errc::ok) problems.push_back({verdicts_[i], "answers." + questions_[i].id, reason});
  }
  fold(totals_);

  for (std::size_t b = 0; b < breakdowns_.size(); ++b) {
    score_breakdown& bd = breakdowns_[b];
    const std::string_view value = breakdown_value(r, bd.dimension);
    if (value.empty()) continue;  // the response does not carry this dimension
    detail::name_table& names = *group_names_[b];
    std::uint32_t id = names.find(value);
    if (id == 0) {
      if (bd.groups.size() >= max_groups) {
        ++bd.overflow;
        continue;
      }
      id = names.intern(value);
      score_group g;
      g.value = std::string(value);
      for (const survey_question& q : questions_) g.questions.push_back(question_tally::of(q));
      bd.groups.push_back(std::move(g));
    }
    score_group& g = bd.groups[id - 1];
    ++g.responses;
    fold(g.questions);
  }
  return true;
}

status survey_scorer::merge(const survey_scorer& other) {
  if (!same_config(totals_, other.totals_) || breakdowns_.size() != other.breakdowns_.size())
    return errc::incompatible;
  for (std::size_t b = 0; b < breakdowns_.size(); ++b)
    if (breakdowns_[b].dimension != other.breakdowns_[b].dimension) return errc::incompatible;
  if ((ids_ == nullptr) != (other.ids_ == nullptr)) return errc::incompatible;
  if (other.responses_ > max_count - responses_) return errc::out_of_range;
  if (ids_) {
    bool overlap = false;
    other.ids_->for_each([&](std::string_view id) { overlap = overlap || ids_->contains(id); });
    if (overlap) return errc::duplicate_id;
    other.ids_->for_each([&](std::string_view id) { ids_->insert(id); });
  }
  responses_ += other.responses_;
  duplicates_ += other.duplicates_;
  merge_tallies(totals_, other.totals_);
  for (std::size_t b = 0; b < breakdowns_.size(); ++b) {
    score_breakdown& into = breakdowns_[b];
    into.overflow += other.breakdowns_[b].overflow;
    for (const score_group& g : other.breakdowns_[b].groups) {
      detail::name_table& names = *group_names_[b];
      const std::uint32_t id = names.find(g.value);
      if (id == 0) {
        if (into.groups.size() >= max_groups) {
          into.overflow += g.responses;
          continue;
        }
        (void)names.intern(g.value);
        into.groups.push_back(g);
        continue;
      }
      score_group& mine = into.groups[id - 1];
      mine.responses += g.responses;
      merge_tallies(mine.questions, g.questions);
    }
  }
  return errc::ok;
}

status survey_scorer::add_tallies(std::size_t breakdown, std::string_view value, std::uint64_t responses,
                                  const std::vector<question_tally>& tallies) {
  if (!same_config(totals_, tallies)) return errc::invalid_argument;
  // Every count of a tally is at most its `shown`, which is at most the responses added, so
  // checking the responses against max_count covers every count.
  for (const question_tally& t : tallies)
    if (t.shown > responses) return errc::invalid_argument;
  if (breakdown == totals_only) {
    if (responses > max_count - responses_) return errc::out_of_range;
    responses_ += responses;
    merge_tallies(totals_, tallies);
    return errc::ok;
  }
  if (breakdown >= breakdowns_.size() || value.empty()) return errc::invalid_argument;
  score_breakdown& bd = breakdowns_[breakdown];
  detail::name_table& names = *group_names_[breakdown];
  std::uint32_t id = names.find(value);
  if (id == 0) {
    if (bd.groups.size() >= max_groups) {
      bd.overflow += responses;
      return errc::ok;
    }
    if (responses > max_count) return errc::out_of_range;
    id = names.intern(value);
    score_group g;
    g.value = std::string(value);
    for (const survey_question& q : questions_) g.questions.push_back(question_tally::of(q));
    bd.groups.push_back(std::move(g));
  }
  score_group& g = bd.groups[id - 1];
  if (responses > max_count - g.responses) return errc::out_of_range;
  g.responses += responses;
  merge_tallies(g.questions, tallies);
  return errc::ok;
}

result<nps_gap> widest_nps_gap(const score_breakdown& b, std::size_t question, double level,
                               interval_method method) {
  nps_gap gap;
  const nps_tally* best = nullptr;
  const nps_tally* worst = nullptr;
  for (std::size_t g = 0; g < b.groups.size(); ++g) {
    const auto& questions = b.groups[g].questions;
    if (question >= questions.size() || questions[question].type != question_type::nps)
      return {errc::invalid_argument, "question " + std::to_string(question) + " is not an NPS question of the scorer"};
    const nps_tally& t = questions[question].nps;
    if (t.empty()) continue;
    ++gap.compared;
    if (best == nullptr || t.score() > best->score()) best = &t, gap.best = g;
    if (worst == nullptr || t.score() < worst->score()) worst = &t, gap.worst = g;
  }
  if (gap.compared < 2) return {errc::empty, "fewer than two groups have NPS answers"};
  if (method == interval_method::score) method = interval_method::adjusted_wald;
  auto d = compare(*worst, *best, level, method);
  if (!d) return {d.code(), d.detail()};
  gap.difference = d.value();
  const double pairs = static_cast<double>(gap.compared) * static_cast<double>(gap.compared - 1) / 2.0;
  gap.adjusted_p_value = std::fmin(1.0, gap.difference.p_value * pairs);
  return gap;
}

CXM_END_NAMESPACE
