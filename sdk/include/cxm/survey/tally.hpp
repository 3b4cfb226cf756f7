// SPDX-License-Identifier: MIT
/// @file tally.hpp  Per-question tallies of the valid responses to one survey definition:
/// mergeable, with an explicit denominator policy and a versioned JSON encoding.
///
/// # Denominator policy
///
/// Every question has a `question_tally` (question_tally.hpp) over the responses folded in:
/// `shown` (its condition held), `answered` (validly; every statistic of the question is over
/// these only) and `skipped()` (shown but not answered, reported beside the statistics and never
/// in their denominator). A question hidden by its condition counts as not shown
/// (responses − shown), never as skipped: "what went wrong?" asked only of detractors has the
/// detractors as its base. A choice share is count / answered; for a multiple-choice question
/// a response counts once for each selected choice, so the shares may add up to more than 1.
///
/// A survey tally is strict: a response that fails validation is not folded in at all, it is
/// counted in `rejected` (the problems go to the caller), so every question's `invalid` is 0
/// here. (The scorer with breakdowns and journey reports count answer by answer instead.)
///
/// # Format `cxm.survey_tally`, version 2
///
/// ```
/// {"format":"cxm.survey_tally","version":2,
///  "survey_id":"after-onboarding","survey_version":3,
///  "responses":120,                 // valid responses folded in, at most 2^62
///  "rejected":4,                    // responses refused by validation
///  "questions":[<question tally>...]}   // the survey's questions, in definition order
/// ```
/// The question tally's form is specified in question_tally.hpp. Version 2 replaced version 1's
/// question objects by that shared form (which adds "invalid" and "problems"); version 1 is no
/// longer read. Decoding is strict: unknown or missing fields, duplicate keys, other formats
/// (`incompatible`) or versions (`unsupported_version`), inconsistent counts (a question shown
/// more often than there were responses, counts not adding up) are errors naming the field;
/// more than `max_count` (2^62, limits.hpp) responses is `out_of_range`.
#ifndef CXM_SURVEY_TALLY_HPP
#define CXM_SURVEY_TALLY_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/limits.hpp"
#include "cxm/core/config.hpp"
#include "cxm/core/problem.hpp"
#include "cxm/core/status.hpp"
#include "cxm/survey/answers.hpp"
#include "cxm/survey/definition.hpp"
#include "cxm/survey/question_tally.hpp"
#include "cxm/survey/scoring.hpp"

CXM_BEGIN_NAMESPACE

/// Tallies of the valid responses to one survey (id and version), question by question.
///
/// A commutative monoid over tallies of the same survey id, version and question layout:
/// `merge(a, b)` equals the tally of both inputs, in any order.
///
/// @par Thread safety
/// None: use one tally per thread or session and merge them.
class CXM_API survey_tally {
 public:
  static constexpr int format_version = 2;

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
  status add(const survey& definition, answers_view answers, std::vector<problem>* problems = nullptr);

  /// Adds `other`'s counts. `incompatible` (and no change) unless both tally the same
  /// survey id, version and question layout (ids, types, scales, choices); `out_of_range`
  /// (no change) when the responses would add up to more than `max_count` (limits.hpp).
  status merge(const survey_tally& other) noexcept;
  /// Whether merge(other) would succeed as to layout.
  bool compatible(const survey_tally& other) const noexcept;

  std::uint64_t responses() const noexcept { return responses_; }
  std::uint64_t rejected() const noexcept { return rejected_; }
  const std::vector<question_tally>& questions() const noexcept { return questions_; }
  /// The tally of question `id`, or nullptr.
  const question_tally* find(std::string_view id) const noexcept;

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
  std::vector<question_tally> questions_;

  friend class survey_tally_decoder;
};

/// The limits of a survey tally document (`survey_tally::from_json`): room for many questions
/// with their choice counts.
inline constexpr json_limits survey_tally_json_limits{std::size_t{16} << 20, 16};

CXM_END_NAMESPACE

#endif  // CXM_SURVEY_TALLY_HPP
