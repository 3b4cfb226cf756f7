// SPDX-License-Identifier: MIT
/// @file scoring.hpp  The answers of one respondent to a survey definition: which
/// questions are shown (display conditions), validation, and scoring (NPS category, CES easy,
/// CSAT satisfied).
///
/// # Answers format
///
/// A JSON object from question id to answer (the `answers` of a response record):
///
/// | question type | answer |
/// | --- | --- |
/// | nps, ces, csat | an integer on the question's scale (9 or 9.0; not 9.5, not "9") |
/// | emotion | one of the question's emotion ids, a string |
/// | choice | one choice id (a string); with `multiple`, an array of distinct choice ids |
/// | text | a string of at most max_length Unicode code points |
///
/// An empty string for a text question and an empty array for a multiple-choice question
/// mean "not answered", exactly as if the question were left out.
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
#include "cxm/survey/definition.hpp"

CXM_BEGIN_NAMESPACE

/// A respondent's answers, keyed by question id, as given (not yet checked against a survey).
class CXM_API survey_answers {
 public:
  /// The largest answers document from_json accepts, in bytes.
  static constexpr std::size_t max_bytes = std::size_t{1} << 20;

  /// What an answer holds.
  enum class kind : std::uint8_t {
    number = 0,   ///< a JSON number
    string = 1,   ///< a JSON string
    strings = 2,  ///< a JSON array of strings
    other = 3,    ///< any other JSON value (null, boolean, object, mixed array); always a problem
  };

  struct value {
    kind type = kind::other;
    double number = 0;               ///< number
    std::string text;                ///< string
    std::vector<std::string> items;  ///< strings
    const char* json_type = "null";  ///< other: "null", "a boolean", "an object", "an array of non-strings"
  };

  struct entry {
    std::string question;
    value answer;
  };

  /// Reads a JSON object of answers (format above). Values of any JSON type are kept (a
  /// wrong type is a validation problem of that question, not a decoding error).
  /// @par Errors
  /// `wrong_type` (not an object), `too_large` (over 1 MiB), `too_deep` (nesting over 8),
  /// `parse_error`, `invalid_utf8`, `duplicate_key`, `not_finite`.
  static result<survey_answers> from_json(std::string_view json);

  /// Sets (or replaces) the answer to `question`.
  void set(std::string question, double number);
  void set(std::string question, std::string text);
  void set(std::string question, std::vector<std::string> items);
  /// Sets an answer of another JSON type, named as in value::json_type (a static string).
  void set_other(std::string question, const char* json_type);
  /// Removes the answer to `question`; false if there was none.
  bool erase(std::string_view question) noexcept;

  /// The answer to `question`, or nullptr.
  const value* find(std::string_view question) const noexcept;
  /// All answers, in the order they were set (or appeared in the JSON).
  const std::vector<entry>& entries() const noexcept { return entries_; }
  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }

 private:
  value& slot(std::string question);
  std::vector<entry> entries_;
};

/// One thing wrong with a response.
struct survey_problem {
  std::string question;  ///< the question id (as given, for unknown questions)
  errc code = errc::ok;
  std::string reason;    ///< human-readable, e.g. "expected an integer 0-10, got 11"
};

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
  /// Everything wrong, in question order, then unknown questions in the order given.
  std::vector<survey_problem> problems;

  bool ok() const noexcept { return problems.empty(); }
  bool shown(std::size_t question) const noexcept {
    return question < states.size() && states[question] != question_state::hidden;
  }
  /// The valid answer to question `question` (an index), or nullptr.
  const scored_answer* find(std::size_t question) const noexcept;
};

/// Evaluates `answers` against `definition` (rules above). O(questions + answers · choices);
/// allocates for the result only.
CXM_API scored_response score(const survey& definition, const survey_answers& answers);

/// The problems of `answers` (empty = valid): score(...).problems.
CXM_API std::vector<survey_problem> validate(const survey& definition, const survey_answers& answers);

/// Indices of the questions shown given `answers` (the answers so far), in order. A widget
/// calls this after each answer to know what to ask next.
CXM_API std::vector<std::size_t> visible_questions(const survey& definition, const survey_answers& answers);

CXM_END_NAMESPACE

#endif  // CXM_SURVEY_SCORING_HPP
