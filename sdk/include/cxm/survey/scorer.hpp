// SPDX-License-Identifier: MIT
/// @file scorer.hpp  Scores response records answer by answer into per-question tallies,
/// overall and broken down by channel, step, survey, journey or a segment attribute.
#ifndef CXM_SURVEY_SCORER_HPP
#define CXM_SURVEY_SCORER_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/core/problem.hpp"
#include "cxm/core/status.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/survey/definition.hpp"
#include "cxm/survey/question_tally.hpp"
#include "cxm/survey/response_reader.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {
class id_set;
class name_table;
}  // namespace detail

/// Whether `dimension` names a breakdown: "channel", "step", "survey_id", "journey_id" or
/// "segment.<name>".
CXM_API bool is_breakdown_dimension(std::string_view dimension) noexcept;
/// The value of `dimension` on `r` (its channel, step... or segment attribute); empty when the
/// response does not carry it or the dimension is not one.
CXM_API std::string_view breakdown_value(const response_view& r, std::string_view dimension) noexcept;
/// The valid dimensions, for messages that name them.
inline constexpr const char* breakdown_dimensions = "channel, step, survey_id, journey_id, segment.NAME";

/// One value of a breakdown dimension ("phone" for "channel") and its tallies.
struct score_group {
  std::string value;
  std::uint64_t responses = 0;
  std::vector<question_tally> questions;  ///< parallel to survey_scorer::totals()
};

struct score_breakdown {
  std::string dimension;            ///< "channel", "step", "survey_id", "journey_id" or "segment.<name>"
  std::vector<score_group> groups;  ///< in order of first appearance
  /// Responses whose value did not fit under max_groups (scored in totals only).
  std::uint64_t overflow = 0;
};

/// A response_sink that scores the configured questions of every record, without a survey
/// definition: every record shows every configured question. Each answer is judged by
/// `score_answer` (scoring.hpp); a bad one (NPS 11, "9", CES 0) is counted on its question by
/// reason (`question_tally::invalid`, `problems`) and reported, and the record's other answers
/// still count. Answers to unconfigured questions (free text, choices) are ignored.
///
/// Each response id counts once: a record whose id this scorer has already counted (from any
/// file, call or merged scorer) is refused whole as duplicate_id, so delivering the same
/// responses twice changes nothing. That costs memory for the ids (about 1 + id bytes + 16
/// each); a host that guarantees unique ids can turn it off (`scorer_options`).
///
/// Merging two scorers configured alike equals scoring both inputs in one scorer.
///
/// @par Thread safety
/// None: one scorer per thread, then merge.
struct scorer_options {
  /// Refuse a record whose response id was counted before (duplicate_id).
  bool count_ids_once = true;
};

class CXM_API survey_scorer final : public response_sink {
 public:
  explicit survey_scorer(scorer_options options = {});
  ~survey_scorer() override;
  survey_scorer(const survey_scorer& other);
  survey_scorer& operator=(const survey_scorer& other);
  survey_scorer(survey_scorer&&) noexcept;
  survey_scorer& operator=(survey_scorer&&) noexcept;

  /// Groups kept per breakdown dimension; further values count as overflow.
  static constexpr std::size_t max_groups = 256;

  /// Scores question `id` as `type`: nps (0-10), ces (`s` is ces7() or ces5()) or csat
  /// (csat5()). `invalid_argument` if the id is empty or already configured, the type is not
  /// scored on a scale or the scale is not the type's, or responses were already scored.
  status add_question(std::string id, question_type type, scale s);
  /// add_question(id, question_type::nps, scale::nps()).
  status add_nps_question(std::string id) { return add_question(std::move(id), question_type::nps, scale::nps()); }
  /// Adds a breakdown by "channel", "step", "survey_id", "journey_id" or "segment.<name>".
  status add_breakdown(std::string dimension);

  /// Scores `r`; false (and nothing counted) for a response id counted before.
  bool on_response(const response_view& r, std::vector<problem>& problems) override;
  /// Starts loading the id's entry of the set of counted ids (a memory miss on large inputs)
  /// while the reader parses the rest of the line.
  void on_id(std::string_view id) noexcept override;

  std::uint64_t responses() const noexcept { return responses_; }
  /// Records refused because their id was counted before.
  std::uint64_t duplicates() const noexcept { return duplicates_; }
  /// One tally per configured question, in the order configured.
  const std::vector<question_tally>& totals() const noexcept { return totals_; }
  const std::vector<score_breakdown>& breakdowns() const noexcept { return breakdowns_; }
  /// The total tally of question `id`, or nullptr.
  const question_tally* find(std::string_view id) const noexcept;

  /// Adds `other`'s results. `incompatible` (and no change) unless both have the same
  /// questions, scales, breakdown dimensions in the same order and options; `duplicate_id` (no
  /// change) when both counted a response id, since merging would count it twice;
  /// `out_of_range` (no change) when the responses would add up to more than `max_count`
  /// (limits.hpp).
  status merge(const survey_scorer& other);

  /// Adds tallies aggregated elsewhere (a store's cells: counts kept per time cell and group at
  /// ingest) for `responses` responses, as if they had been scored here: to the totals when
  /// `breakdown` is `totals_only`, else to group `value` of breakdowns()[breakdown], which is
  /// made when new by on_response's rule (in call order; past max_groups its responses count as
  /// overflow). A caller that wants the groups in order of first appearance adds them in that
  /// order. `tallies` is parallel to totals() and laid out alike. Ids are not checked: the
  /// caller counted each response once. `invalid_argument` (no change) for a breakdown out of
  /// range, an empty value or tallies of another layout; `out_of_range` past max_count.
  status add_tallies(std::size_t breakdown, std::string_view value, std::uint64_t responses,
                     const std::vector<question_tally>& tallies);
  static constexpr std::size_t totals_only = static_cast<std::size_t>(-1);

 private:
  std::uint64_t responses_ = 0;
  std::uint64_t duplicates_ = 0;
  std::unique_ptr<detail::id_set> ids_;     // null when ids are not counted once
  // The id on_id hashed last (a copy of its bytes: the reader's buffer moves on), so that
  // on_response of the same record need not hash it again.
  std::array<char, 128> hinted_id_{};
  std::size_t hinted_size_ = 0;  // 0: no hint (ids are never empty)
  std::uint64_t hinted_hash_ = 0;
  std::vector<survey_question> questions_;  // what score_answer judges against
  std::vector<errc> verdicts_;              // scratch of on_response, one per question
  std::vector<int> scores_;
  std::vector<question_tally> totals_;
  std::vector<score_breakdown> breakdowns_;
  // Per breakdown, its group values interned in the order the groups were made: a value's id
  // minus one is its group's index (id 0 is the empty name).
  std::vector<std::unique_ptr<detail::name_table>> group_names_;
};

/// The widest NPS gap within a breakdown: "is phone really worse than app, or is it noise?"
struct nps_gap {
  std::size_t best = 0;      ///< index in the breakdown's groups of the highest NPS (first on ties)
  std::size_t worst = 0;     ///< and of the lowest
  std::size_t compared = 0;  ///< groups with answers to the question, among which the two were chosen
  nps_difference difference; ///< worst − best, with its interval and p-value
  /// The p-value corrected for having picked the widest of compared·(compared−1)/2 pairs
  /// (Bonferroni: min(1, p × pairs)); the raw p-value overstates the evidence of a gap chosen
  /// because it was the widest.
  double adjusted_p_value = 1;
};

/// The gap between the best and the worst group of `b` on NPS question `question` (an index
/// into the scorer's totals). `method` is wald or adjusted_wald; `score`, which has no
/// difference interval, is compared by adjusted_wald (difference.method says which).
/// @par Errors
/// `invalid_argument` for a question that is out of range or not NPS, or a level outside
/// (0, 1); `empty` when fewer than two groups have answers to it.
CXM_API result<nps_gap> widest_nps_gap(const score_breakdown& b, std::size_t question, double level = 0.95,
                                       interval_method method = interval_method::adjusted_wald);

CXM_END_NAMESPACE

#endif  // CXM_SURVEY_SCORER_HPP
