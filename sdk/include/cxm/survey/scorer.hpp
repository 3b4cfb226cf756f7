// SPDX-License-Identifier: MIT
/// @file scorer.hpp  Folds responses into NPS and rating-scale tallies per question,
/// overall and broken down by channel, step, survey or a segment attribute.
#ifndef CXM_SURVEY_SCORER_HPP
#define CXM_SURVEY_SCORER_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/survey/response_reader.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// What a scored question measures.
enum class metric : std::int32_t {
  nps = 0,    ///< 0-10 likelihood to recommend
  scale = 1,  ///< a rating scale (CES, CSAT)
};

/// The tally of one question.
struct question_tally {
  std::string question;
  metric kind = metric::nps;
  nps_tally nps;          ///< when kind == nps
  scale_tally ratings;    ///< when kind == scale
  /// Responses that did not answer this question. Not part of any denominator: every
  /// statistic is over the answers given (the "answered only" policy), and this count is
  /// reported beside it.
  std::uint64_t unanswered = 0;
};

/// One value of a breakdown dimension ("phone" for "channel") and its tallies.
struct score_group {
  std::string value;
  std::uint64_t responses = 0;
  std::vector<question_tally> questions;
};

struct score_breakdown {
  std::string dimension;            ///< "channel", "step", "survey_id" or "segment.<name>"
  std::vector<score_group> groups;  ///< in order of first appearance
  /// Responses whose value did not fit under max_groups (scored in totals only).
  std::uint64_t overflow = 0;
};

/// A response_sink that scores the configured questions. Answers to unconfigured questions
/// (free text, choices) are ignored. A bad answer (NPS 11, "9", CES 0) is rejected, counted on
/// its tally by reason and reported; the record's other answers still count.
///
/// Merging two scorers configured alike equals scoring both inputs in one scorer.
///
/// @par Thread safety
/// None: one scorer per thread, then merge.
class CXM_API survey_scorer final : public response_sink {
 public:
  /// Groups kept per breakdown dimension; further values count as overflow.
  static constexpr std::size_t max_groups = 256;

  /// Scores `question` as NPS. `invalid_argument` if already configured or empty.
  status add_nps_question(std::string question);
  /// Scores `question` on the scale `s` (CES, CSAT). `invalid_argument` if the scale is invalid,
  /// the question empty or already configured.
  status add_scale_question(std::string question, scale s);
  /// Adds a breakdown by "channel", "step", "survey_id", "journey_id" or "segment.<name>".
  status add_breakdown(std::string dimension);

  void on_response(const response_view& r, std::vector<answer_problem>& problems) override;

  std::uint64_t responses() const noexcept { return responses_; }
  const std::vector<question_tally>& totals() const noexcept { return totals_; }
  const std::vector<score_breakdown>& breakdowns() const noexcept { return breakdowns_; }
  /// The total tally of `question`, or nullptr.
  const question_tally* find(std::string_view question) const noexcept;

  /// Adds `other`'s results. `incompatible` (and no change) unless both have the same
  /// questions, scales and breakdown dimensions in the same order; `out_of_range` (no change)
  /// when the responses would add up to more than `max_count` (limits.hpp).
  status merge(const survey_scorer& other);

 private:
  std::uint64_t responses_ = 0;
  std::vector<question_tally> totals_;
  std::vector<score_breakdown> breakdowns_;
  std::vector<std::map<std::string, std::size_t, std::less<>>> group_index_;  // per breakdown
};

CXM_END_NAMESPACE

#endif  // CXM_SURVEY_SCORER_HPP
