// SPDX-License-Identifier: MIT
/// @file question_tally.hpp  The tally of one question over many responses, the one per-question
/// aggregate of cxm: a survey tally, the scorer's breakdowns and a journey report's answers by
/// step are all made of it.
///
/// # Counts
///
/// - `shown`: responses folded in that showed the question (its condition held);
/// - `answered`: of those, the ones that answered it validly; every statistic of the question
///   (NPS, CES/CSAT mean and top-box share, emotion and choice shares) is over these only;
/// - `invalid`: of those, the ones whose answer had a problem, counted by reason in `problems`;
/// - `skipped()` = shown − answered − invalid: shown but not answered.
///
/// An answer is judged by `score_answer` (scoring.hpp) on every path, so a bad answer has the
/// same reason wherever it is counted.
///
/// # JSON (inside survey tallies and journey reports)
///
/// ```
/// {"id":"nps","type":"nps","shown":120,"answered":117,"invalid":1,
///  "problems":{"out_of_range":1},                 // only reasons that occurred, in errc order
///  "counts":[c0,...,c10]}                         // nps: answers 0..10
/// ces/csat: "scale":{"min":1,"max":7,"top_box_min":5} before "shown", counts one per point
/// emotion: "choices":[...] before "shown", counts one per choice
/// choice: "multiple":true|false,"choices":[...] before "shown", counts one per choice
/// text: no counts
/// ```
/// Counts are unsigned 64-bit integers; `problems` is left out when `invalid` is 0.
#ifndef CXM_SURVEY_QUESTION_TALLY_HPP
#define CXM_SURVEY_QUESTION_TALLY_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "cxm/core/config.hpp"
#include "cxm/core/status.hpp"
#include "cxm/stats/choice_tally.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/survey/definition.hpp"
#include "cxm/survey/scoring.hpp"

CXM_BEGIN_NAMESPACE

/// The problems an answer can have (the reasons counted in `question_tally::problems`).
inline constexpr std::array<errc, 7> answer_problems{errc::out_of_range, errc::not_integer, errc::not_finite,
                                                     errc::wrong_type,   errc::invalid_argument,
                                                     errc::too_large,    errc::invalid_utf8};

/// The tally of one question (see the file comment).
struct CXM_API question_tally {
  std::string id;
  question_type type = question_type::nps;
  std::uint64_t shown = 0;
  std::uint64_t answered = 0;
  std::uint64_t invalid = 0;
  /// Invalid answers by reason, parallel to `answer_problems`.
  std::array<std::uint64_t, answer_problems.size()> problems{};
  nps_tally nps;          ///< type nps
  scale_tally ratings;    ///< types ces and csat, on the question's scale
  choice_tally choices;   ///< types emotion and choice

  /// An empty tally laid out after `q` (id, type, scale, choices).
  static question_tally of(const survey_question& q);

  std::uint64_t skipped() const noexcept { return shown - answered - invalid; }
  /// Invalid answers for `reason` (0 for a reason not in answer_problems).
  std::uint64_t problem_count(errc reason) const noexcept;

  /// One response that showed the question: `a` its valid answer (nullptr when skipped).
  /// Precondition: `a` was scored against a question of this layout. No allocation.
  void add_shown(const scored_answer* a) noexcept;
  /// One response that showed the question and answered it with problem `reason`.
  void add_invalid(errc reason) noexcept;

  /// Same id, type, scale and choices.
  bool same_layout(const question_tally& other) const noexcept;
  /// Adds `other`'s counts. `incompatible` unless same_layout; `out_of_range` past max_count.
  /// No change on error.
  status merge(const question_tally& other) noexcept;

  friend CXM_API bool operator==(const question_tally& a, const question_tally& b) noexcept;
  friend bool operator!=(const question_tally& a, const question_tally& b) noexcept { return !(a == b); }
};

CXM_END_NAMESPACE

#endif  // CXM_SURVEY_QUESTION_TALLY_HPP
