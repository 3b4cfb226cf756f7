// SPDX-License-Identifier: MIT
/// @file scoring.hpp  One respondent's answers checked against a survey definition: which
/// questions are shown (display conditions), validation, and scoring (NPS category, CES easy,
/// CSAT satisfied). `score_answer` is the one place an answer is judged against a question:
/// survey validation, the survey tally, the scorer with breakdowns, journey attachment and the
/// bindings all go through it, so a bad answer is classified the same way on every path.
///
/// The answers model and its JSON format: survey/answers.hpp.
///
/// # Rules
///
/// Questions are evaluated in definition order. A question is shown when it has no `show_if`
/// or its condition holds on the valid answers to earlier questions (an invalid answer, or an
/// answer to a hidden question, satisfies no condition). Then:
///
/// | situation | problem (`errc`) |
/// | --- | --- |
/// | answer to a question the survey does not have | `invalid_argument` ("unknown question") |
/// | answer to a question hidden by its condition | `invalid_argument` |
/// | shown, `required`, not answered | `missing_field` |
/// | a JSON type the question does not take (`"9"`, null, true, an array for a single choice) | `wrong_type` |
/// | a fraction where an integer belongs | `not_integer` |
/// | an integer off the scale, an id that is not one of the choices | `out_of_range` |
/// | the same choice twice in a multiple-choice answer | `invalid_argument` |
/// | text longer than max_length code points | `too_large` |
/// | text that is not valid UTF-8 (only possible through the C++ setters) | `invalid_utf8` |
///
/// A response with no problem is valid. Scoring keeps the valid answers of shown questions
/// even when other answers have problems, so a widget can score as the respondent goes.
#ifndef CXM_SURVEY_SCORING_HPP
#define CXM_SURVEY_SCORING_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/core/status.hpp"
#include "cxm/core/problem.hpp"
#include "cxm/survey/answers.hpp"
#include "cxm/survey/definition.hpp"

CXM_BEGIN_NAMESPACE

/// Where a question stands in one response.
enum class question_state : std::uint8_t {
  hidden = 0,    ///< not shown: its condition does not hold (an answer to it is a problem)
  skipped = 1,   ///< shown, not answered
  answered = 2,  ///< shown, answered validly: there is a scored_answer
  invalid = 3,   ///< shown, answered with a problem
};
/// "hidden", "skipped", "answered", "invalid".
CXM_API const char* name(question_state s) noexcept;

/// A valid answer to a shown question, classified.
struct scored_answer {
  std::size_t question = 0;  ///< index in survey::questions()
  question_type type = question_type::nps;
  int score = 0;                     ///< nps, ces, csat: the answer
  nps_category category = nps_category::detractor;  ///< nps only
  /// nps: promoter; ces: easy (5-7 on the 7-point scale, 4-5 on the 5-point one); csat:
  /// satisfied (4-5). The scale's top box in each case.
  bool top_box = false;
  std::vector<std::size_t> choices;  ///< emotion, choice: indices into the question's choices, as given
  std::string text;                  ///< text: the answer
  std::size_t length = 0;            ///< text: its length in code points
};

/// The outcome of checking one response against its survey.
struct scored_response {
  std::string survey_id;
  std::int64_t survey_version = 0;
  /// One state per question of the survey, in order.
  std::vector<question_state> states;
  /// The valid answers of shown questions, in question order.
  std::vector<scored_answer> answers;
  /// Everything wrong, in question order, then unknown questions in the order given; each
  /// problem's path is the question id.
  std::vector<problem> problems;

  bool ok() const noexcept { return problems.empty(); }
  bool shown(std::size_t question) const noexcept {
    return question < states.size() && states[question] != question_state::hidden;
  }
  /// The valid answer to question `question` (an index), or nullptr.
  const scored_answer* find(std::size_t question) const noexcept;
};

/// Judges one answer to question `q` (rules above, for a shown question that was answered):
/// `errc::ok` with `out` filled (its `question` index is left to the caller), or the problem's
/// code, with its reason in `reason` when given. Allocates only for choice and text answers
/// and for the reason.
CXM_API errc score_answer(const survey_question& q, const answer_value& v, scored_answer& out,
                          std::string* reason = nullptr);

/// Evaluates `answers` against `definition` (rules above). O(questions + answers · choices);
/// allocates for the result only.
CXM_API scored_response score(const survey& definition, answers_view answers);

/// The problems of `answers` (empty = valid): score(...).problems.
CXM_API std::vector<problem> validate(const survey& definition, answers_view answers);

/// The version of the scored response JSON written by this build.
inline constexpr int scored_response_json_version = 1;

/// `r` (the result of `score(definition, ...)`) as JSON, for hosts that read results as text
/// (the C ABI's `cxm_survey_score`). Written only, never read back. Allocates.
///
/// ## JSON, version 1
/// One object, keys in this order:
/// ```
/// {"format":"cxm.scored_response",  string
///  "version":1,                      integer: the format version
///  "survey_id":"after-onboarding",   string: the definition's id
///  "survey_version":3,               integer: the definition's survey_version
///  "ok":false,                       boolean: true when "problems" is empty
///  "questions":[                     every question of the definition, in definition order:
///    {"id":"nps","type":"nps",       the question's id and type
///     "state":"answered",            hidden, skipped, answered or invalid (question_state)
///     "score":9,                     answered nps, ces, csat: the answer
///     "category":"promoter",         answered nps: detractor, passive or promoter
///     "top_box":true},               answered nps, ces, csat: promoter, easy, satisfied
///    {"id":"felt","type":"emotion","state":"answered",
///     "choices":["happy"]},          answered emotion, choice: the choice ids, as given
///    {"id":"why","type":"text","state":"answered",
///     "text":"Quick.","length":6},   answered text: the answer and its code points
///    {"id":"ces","type":"ces","state":"invalid"}],  other states: id, type and state only
///  "problems":[{"path":"ces",        each problem: path (the question id), code (the errc
///    "code":2,                       number), code_name (its name()) and reason, in the
///    "code_name":"out_of_range",     order of scored_response::problems
///    "reason":"expected an integer 1-7, got 9"}]}
/// ```
CXM_API std::string to_json(const survey& definition, const scored_response& r);

/// Indices of the questions shown given `answers` (the answers so far), in order. A widget
/// calls this after each answer to know what to ask next.
CXM_API std::vector<std::size_t> visible_questions(const survey& definition, answers_view answers);

CXM_END_NAMESPACE

#endif  // CXM_SURVEY_SCORING_HPP
