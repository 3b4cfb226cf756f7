// SPDX-License-Identifier: MIT
/// @file tally.hpp  Per-question tallies of the valid responses to one survey
/// definition: mergeable, with an explicit denominator policy and a versioned JSON encoding.
///
/// # Denominator policy
///
/// For every question the tally keeps three counts over the responses folded in:
/// - `shown`: responses in which the question was visible (its condition held);
/// - `answered`: of those, the ones that answered it; every statistic of the question (NPS,
///   CES/CSAT mean and top-box share, emotion and choice distributions) is over these only;
/// - `skipped()` = shown − answered: shown but not answered, reported beside the statistics
///   and never part of their denominator.
/// A question hidden by its condition counts as not shown (responses − shown), never as
/// skipped: "what went wrong?" asked only of detractors has the detractors as its base.
/// A choice share is count / answered; for a multiple-choice question a response counts once
/// for each selected choice, so the shares may add up to more than 1. Responses that fail
/// validation are not folded in at all; they are counted as `rejected`.
///
/// # Format `cxm.survey_tally`, version 1
///
/// ```
/// {"format":"cxm.survey_tally","version":1,
///  "survey_id":"after-onboarding","survey_version":3,
///  "responses":120,                 // valid responses folded in
///  "rejected":4,                    // responses refused by validation
///  "questions":[                    // the survey's questions, in definition order
///   {"id":"nps","type":"nps","shown":120,"answered":117,"counts":[c0,...,c10]},
///   {"id":"ces","type":"ces","scale":{"min":1,"max":7,"top_box_min":5},"shown":..,"answered":..,
///    "counts":[one per point, min first]},                        // csat alike (1-5, 4)
///   {"id":"feeling","type":"emotion","choices":["excited",...],"shown":..,"answered":..,"counts":[...]},
///   {"id":"channels","type":"choice","multiple":true,"choices":["web",...],"shown":..,"answered":..,
///    "counts":[one per choice]},
///   {"id":"what_went_wrong","type":"text","shown":..,"answered":..}]}
/// ```
/// Counts are unsigned 64-bit integers. Decoding is strict: unknown or missing fields,
/// duplicate keys, other formats (`incompatible`) or versions (`unsupported_version`), and
/// inconsistent counts (answered > shown > responses; counts not adding up to answered for a
/// single-answer question; a multiple-choice count over answered) are errors naming the field;
/// more than `max_count` (2^62, limits.hpp) responses is `out_of_range`.
#ifndef CXM_SURVEY_TALLY_HPP
#define CXM_SURVEY_TALLY_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/core/status.hpp"
#include "cxm/survey/definition.hpp"
#include "cxm/survey/scoring.hpp"

CXM_BEGIN_NAMESPACE

/// The tally of one question (see the denominator policy above).
struct survey_question_tally {
  std::string id;
  question_type type = question_type::nps;
  std::uint64_t shown = 0;
  std::uint64_t answered = 0;
  nps_tally nps;        ///< type nps
  scale_tally ratings;  ///< types ces and csat (on the question's scale)
  bool multiple = false;                    ///< choice
  std::vector<std::string> choices;         ///< emotion, choice: ids in definition order
  std::vector<std::uint64_t> choice_counts; ///< emotion, choice: parallel to choices

  /// Shown but not answered.
  std::uint64_t skipped() const noexcept { return shown - answered; }
  /// count / answered of choice `i` (0 when nothing was answered).
  double choice_share(std::size_t i) const noexcept;

  friend bool operator==(const survey_question_tally& a, const survey_question_tally& b) noexcept;
  friend bool operator!=(const survey_question_tally& a, const survey_question_tally& b) noexcept { return !(a == b); }
};

/// Tallies of the valid responses to one survey (id and version), question by question.
///
/// A commutative monoid over tallies of the same survey id, version and question layout:
/// `merge(a, b)` equals the tally of both inputs, in any order.
///
/// @par Thread safety
/// None: use one tally per thread or session and merge them.
class CXM_API survey_tally {
 public:
  static constexpr int format_version = 1;

  /// An empty tally laid out after `definition`.
  explicit survey_tally(const survey& definition);

  const std::string& survey_id() const noexcept { return survey_id_; }
  std::int64_t survey_version() const noexcept { return survey_version_; }

  /// Folds a scored response in. O(questions + choices); no allocation.
  /// @par Errors
  /// `invalid_argument` when the response has problems (counted in rejected(), tallies
  /// unchanged); `incompatible` when it was scored against another survey or layout (not
  /// counted, nothing changed).
  status add(const scored_response& response) noexcept;
  /// Scores `answers` against `definition` and folds them in; the problems go to `problems`
  /// when given. Errors as above.
  status add(const survey& definition, const survey_answers& answers, std::vector<survey_problem>* problems = nullptr);

  /// Adds `other`'s counts. `incompatible` (and no change) unless both tally the same
  /// survey id, version and question layout (ids, types, scales, choices); `out_of_range`
  /// (no change) when the responses would add up to more than `max_count` (limits.hpp).
  status merge(const survey_tally& other) noexcept;
  /// Whether merge(other) would succeed.
  bool compatible(const survey_tally& other) const noexcept;

  std::uint64_t responses() const noexcept { return responses_; }
  std::uint64_t rejected() const noexcept { return rejected_; }
  const std::vector<survey_question_tally>& questions() const noexcept { return questions_; }
  /// The tally of question `id`, or nullptr.
  const survey_question_tally* find(std::string_view id) const noexcept;

  /// The versioned JSON encoding (format above).
  std::string to_json() const;
  /// Decodes the format above. Errors name the field (see the format).
  static result<survey_tally> from_json(std::string_view json);

  friend bool operator==(const survey_tally& a, const survey_tally& b) noexcept;
  friend bool operator!=(const survey_tally& a, const survey_tally& b) noexcept { return !(a == b); }

 private:
  survey_tally() = default;
  std::string survey_id_;
  std::int64_t survey_version_ = 0;
  std::uint64_t responses_ = 0;
  std::uint64_t rejected_ = 0;
  std::vector<survey_question_tally> questions_;

  friend class survey_tally_decoder;
};

CXM_END_NAMESPACE

#endif  // CXM_SURVEY_TALLY_HPP
