// SPDX-License-Identifier: MIT
/// @file definition.hpp  A survey definition: questions, per-locale texts with direction, display
/// conditions on earlier answers and targeting (sampling, cooldowns). Parsed from JSON and
/// validated strictly, with errors that name the JSON path and the reason.
///
/// # Definition format `cxm.survey`, version 1
///
/// The JSON Schema (draft 2020-12) in `docs/survey.schema.json` mirrors this comment; this
/// comment is the specification. Definitions are authored by people, so decoding is strict:
/// unknown fields, duplicate keys, non-finite numbers, input over 256 KiB and nesting deeper
/// than 20 are errors, and the first error is reported as `<path>: <reason>`, for example
/// `questions[1].show_if.question: unknown question "npss"`.
///
/// ```
/// {"format":"cxm.survey","version":1,              // required, exactly these values
///  "id":"after-onboarding",                        // required, identifier of 1-128 [A-Za-z0-9_.-]
///  "survey_version":3,                             // required, integer 0 .. 2^53-1
///  "default_locale":"en",                          // required, a key of "locales"
///  "locales":{                                     // required, 1-50 locales, tags like en, he, pt-BR
///    "en":{"dir":"ltr"},                           // dir required: "ltr" or "rtl"
///    "he":{"dir":"rtl","ui":{"submit":"שליחה"}}},  // ui optional: widget strings, see ui_string:
///                                                  //   title, intro, next, back, submit, thank_you,
///                                                  //   dismiss, progress, characters, required,
///                                                  //   too_long, invalid; progress and characters
///                                                  //   are templates that must hold {n} and {m}
///  "targeting":{                                   // optional; these are the defaults:
///    "sample_rate":1,                              //   number in [0, 1]
///    "cooldown_days":0,                            //   integer 0-3650: not again for this survey
///    "global_cooldown_days":0},                    //   integer 0-3650: after any survey
///  "questions":[ question, ... ]}                  // required, 1-200 questions
/// ```
///
/// A question is an object with:
///
/// | field | types | meaning |
/// | --- | --- | --- |
/// | `id` | all, required | identifier of 1-64 `[A-Za-z0-9_-]`, unique in the survey |
/// | `type` | all, required | `nps` (0-10), `ces` (1-7 or 1-5), `csat` (1-5), `emotion`, `choice`, `text` |
/// | `required` | all | boolean, default false: a visible required question must be answered |
/// | `show_if` | all | a condition on earlier answers (below); absent = always shown |
/// | `text` | all, required | locale -> texts (below); the default locale is required |
/// | `scale` | ces: 7 (default) or 5; csat: 5 | number of points |
/// | `multiple` | choice | boolean, default false: several choices may be selected |
/// | `choices` | choice (required), emotion (optional) | 1-100 unique identifiers (choice ids use the same syntax as question ids); for emotion a subset of the fixed set, default all of it in this order: excited, happy, indifferent, bored, impatient, embarrassed, confused, angry |
/// | `max_length` | text | integer 1-10000, default 1000: longest answer in Unicode code points |
///
/// Texts of a question in one locale: `prompt` (required), `min_label` and `max_label`
/// (optional; nps, ces, csat: the labels of the scale's ends), `choices` (choice and emotion,
/// required: an object with a label for every choice id and no other key). Every string is
/// 1-4096 bytes. A question may omit a non-default locale; it is then shown in the default
/// locale. Texts are data, never markup: a renderer must insert them as text.
///
/// Conditions (`show_if`) see only the answers to questions that come EARLIER in the list,
/// so cycles cannot be written; a reference to the question itself, a later question or an
/// unknown one is an error:
///
/// | condition | true when the referenced question's answer |
/// | --- | --- |
/// | `{"question":"nps","category":["detractor"]}` | (an nps question) is in one of the NPS categories detractor (0-6), passive (7-8), promoter (9-10) |
/// | `{"question":"ces","min":1,"max":3}` | (nps, ces, csat) lies in [min, max]; either bound may be omitted; bounds are integers on the question's scale |
/// | `{"question":"channels","any_of":["phone"]}` | (choice, emotion) is, or for multiple choice includes, one of the listed choice ids |
/// | `{"all":[c, ...]}`, `{"any":[c, ...]}` | all / any of 1-32 conditions hold |
///
/// A question that is not answered, was hidden itself or whose answer is invalid satisfies no
/// condition that refers to it.
///
/// # Targeting
///
/// The core has no clock: hosts pass times in (milliseconds since 1970-01-01T00:00:00Z).
/// `sample()` decides inclusion from `sampling_point(survey id, respondent id)`, a stable
/// hash mapped to [0, 1) (see there), so a respondent gets the same decision on every visit,
/// device and platform, and the inclusion probability (the sample rate) can be recorded with
/// each response for weighting. `eligible()` then applies the two cooldowns.
#ifndef CXM_SURVEY_DEFINITION_HPP
#define CXM_SURVEY_DEFINITION_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// The kinds of survey question.
enum class question_type : std::int32_t {
  nps = 0,      ///< 0-10 likelihood to recommend
  ces = 1,      ///< customer effort, 1-7 (easy = 5-7) or 1-5 (easy = 4-5)
  csat = 2,     ///< satisfaction 1-5 (satisfied = 4-5)
  emotion = 3,  ///< how the customer felt: one of the emotion set
  choice = 4,   ///< one (or, with `multiple`, several) of the listed choice ids
  text = 5,     ///< free text of at most max_length code points
};
/// "nps", "ces", "csat", "emotion", "choice", "text".
CXM_API const char* name(question_type t) noexcept;
/// True for nps, ces and csat: integer answers on a scale.
constexpr bool is_scored(question_type t) noexcept {
  return t == question_type::nps || t == question_type::ces || t == question_type::csat;
}
/// True for emotion and choice: answers are choice ids.
constexpr bool has_choices(question_type t) noexcept {
  return t == question_type::emotion || t == question_type::choice;
}

/// The emotions of journey mapping, in their canonical order (the default choices of an
/// emotion question).
inline constexpr std::array<std::string_view, 8> emotion_set{
    "excited", "happy", "indifferent", "bored", "impatient", "embarrassed", "confused", "angry"};

/// "detractor", "passive", "promoter".
CXM_API const char* name(nps_category c) noexcept;

/// Writing direction of a locale.
enum class text_direction : std::int32_t { ltr = 0, rtl = 1 };
/// "ltr" or "rtl".
CXM_API const char* name(text_direction d) noexcept;

/// The strings a survey widget shows around the questions. Each can be given per locale in the
/// definition (`ui`); the widget falls back to its own for those left out.
enum class ui_string : std::int32_t {
  title = 0,
  intro = 1,
  next = 2,
  back = 3,
  submit = 4,
  thank_you = 5,
  dismiss = 6,     ///< the control that closes the survey unanswered
  progress = 7,    ///< a template with {n} (the question's position) and {m} (how many are shown)
  characters = 8,  ///< a template with {n} (code points typed) and {m} (the limit)
  required = 9,    ///< the message for a required question left unanswered
  too_long = 10,   ///< the message for a text answer over its limit
  invalid = 11,    ///< the message for any other invalid answer
};
inline constexpr std::size_t ui_string_count = 12;
/// The key of `s` in the definition format ("thank_you").
CXM_API const char* name(ui_string s) noexcept;

/// Optional widget strings of a locale (empty = not given).
struct survey_ui_text {
  std::array<std::string, ui_string_count> strings;
  const std::string& operator[](ui_string s) const noexcept { return strings[static_cast<std::size_t>(s)]; }
  std::string& operator[](ui_string s) noexcept { return strings[static_cast<std::size_t>(s)]; }
  /// True when none is given.
  bool empty() const noexcept {
    for (const std::string& t : strings)
      if (!t.empty()) return false;
    return true;
  }
};

/// A locale of the survey.
struct survey_locale {
  std::string tag;  ///< as written in the definition ("en", "he", "pt-BR")
  text_direction dir = text_direction::ltr;
  survey_ui_text ui;
};

/// The texts of one question in one locale.
struct question_text {
  std::string locale;  ///< the locale tag
  std::string prompt;
  std::optional<std::string> min_label;  ///< scored questions only
  std::optional<std::string> max_label;  ///< scored questions only
  /// Labels parallel to the question's `choices` (emotion and choice questions).
  std::vector<std::string> choice_labels;
};

/// A display condition (`show_if`). A tree: leaves test one earlier question's answer,
/// `all`/`any` combine children.
struct survey_condition {
  enum class kind : std::int32_t {
    category = 0,  ///< the NPS answer is in one of `categories`
    range = 1,     ///< the scored answer lies in [min, max]
    any_of = 2,    ///< the choice answer is (or includes) one of `choices`
    all = 3,       ///< every child holds
    any = 4,       ///< some child holds
  };
  kind type = kind::all;
  std::size_t question = 0;        ///< leaves: index of the referenced (earlier) question
  std::uint32_t categories = 0;    ///< category: bit (1 << nps_category) per accepted category
  std::optional<int> min, max;     ///< range: inclusive bounds, at least one present
  std::vector<std::size_t> choices;  ///< any_of: indices into the referenced question's choices
  std::vector<survey_condition> children;  ///< all, any: 1-32 conditions
};

/// One question of a survey.
struct survey_question {
  std::string id;
  question_type type = question_type::nps;
  bool required = false;
  /// nps: 0-10 with top box 9 (promoters); ces: 1-7/5 or 1-5/4; csat: 1-5/4. Unused otherwise.
  cxm::scale scale{};
  bool multiple = false;  ///< choice only
  int max_length = 0;     ///< text only: code points, 1-10000
  /// choice: the declared ids; emotion: the offered emotions (from emotion_set).
  std::vector<std::string> choices;
  std::optional<survey_condition> show_if;
  /// One entry per locale that has texts, in the order of survey::locales(); the default
  /// locale is always present.
  std::vector<question_text> texts;

  /// The index of `choice` in choices, or npos.
  std::size_t choice_index(std::string_view choice) const noexcept;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
};

/// Targeting settings (see the format above).
struct survey_targeting {
  double sample_rate = 1;
  int cooldown_days = 0;
  int global_cooldown_days = 0;
};

/// The outcome of sampling a respondent.
struct sampling_decision {
  bool included = false;
  double probability = 0;  ///< the inclusion probability: the survey's sample rate
};

/// Why a respondent may or may not be shown the survey now.
enum class eligibility_reason : std::int32_t {
  ok = 0,
  sampled_out = 1,      ///< not in the sample (permanent for this survey and respondent)
  cooldown = 2,         ///< this survey was shown less than cooldown_days ago
  global_cooldown = 3,  ///< some survey was shown less than global_cooldown_days ago
};
/// "ok", "sampled_out", "cooldown", "global_cooldown".
CXM_API const char* name(eligibility_reason r) noexcept;

struct eligibility {
  bool eligible = false;
  eligibility_reason reason = eligibility_reason::sampled_out;
};

/// The sampling hash, version 1 (a stable contract: changing it would re-sample everyone).
///
/// FNV-1a 64 (offset basis 0xcbf29ce484222325, prime 0x100000001b3) over the bytes of
/// `survey_id`, one 0xFF byte (never part of valid UTF-8, so the split is unambiguous) and the
/// bytes of `respondent_id`; then MurmurHash3's fmix64 finalizer; the top 53 bits times 2^-53.
/// Integer arithmetic until the final exact conversion, so it is bit-identical natively, in
/// wasm and in any reimplementation. A respondent is included when the point is below the
/// sample rate, so rates nest: whoever is in the sample at rate 0.1 is in it at 0.5 too.
/// @returns a number in [0, 1).
CXM_API double sampling_point(std::string_view survey_id, std::string_view respondent_id) noexcept;

/// A validated survey definition. Immutable after parsing; cheap to share by const reference.
///
/// @par Thread safety
/// Const member functions may be called from several threads at once.
class CXM_API survey {
 public:
  /// The largest definition accepted, in bytes.
  static constexpr std::size_t max_bytes = std::size_t{256} << 10;
  /// The nesting limit of the JSON document.
  static constexpr std::size_t max_depth = 20;
  /// The largest `max_length` a text question may declare, in code points: no text answer is
  /// ever longer (the widget stops input there too).
  static constexpr std::size_t max_text_length = 10000;
  static constexpr int format_version = 1;
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  /// Parses and validates a definition (format above).
  /// @par Errors
  /// `too_large`, `too_deep`, `parse_error`, `invalid_utf8`, `duplicate_key`, `not_finite`
  /// (malformed input); `incompatible` (not a cxm.survey), `unsupported_version`;
  /// `missing_field`, `wrong_type`, `not_integer`, `out_of_range`, `invalid_argument`
  /// (unknown field, bad identifier, duplicate id, bad reference). `detail()` names the path.
  static result<survey> parse(std::string_view json);

  const std::string& id() const noexcept { return id_; }
  std::int64_t version() const noexcept { return version_; }
  /// All locales, in definition order.
  const std::vector<survey_locale>& locales() const noexcept { return locales_; }
  /// Index of the default locale in locales().
  std::size_t default_locale() const noexcept { return default_locale_; }
  const survey_targeting& targeting() const noexcept { return targeting_; }
  const std::vector<survey_question>& questions() const noexcept { return questions_; }

  /// The index of question `id`, or npos.
  std::size_t find(std::string_view id) const noexcept;

  /// The locale to show for a requested tag: an exact match (ASCII case-insensitive), else
  /// the first locale with the same primary language ("he-IL" -> "he"), else the default.
  /// @returns an index into locales().
  std::size_t resolve_locale(std::string_view requested) const noexcept;

  /// The texts of question `question` (an index) in the resolved `locale`, falling back to
  /// the default locale when the question has none in it. The returned text's `locale`
  /// says which one was used; show it with that locale's direction.
  /// Precondition: question < questions().size().
  const question_text& text(std::size_t question, std::string_view locale) const noexcept;

  /// Direction of the locale with tag `tag` (ltr if unknown).
  text_direction direction(std::string_view tag) const noexcept;

  /// Decides inclusion of `respondent_id` (any stable pseudonymous id) in the sample: included
  /// when sampling_point(id(), respondent_id) < sample_rate. O(length), no allocation.
  sampling_decision sample(std::string_view respondent_id) const noexcept;

  /// Whether to show the survey now. In order: `sampled_out` if not in the sample; `cooldown`
  /// if this survey was last shown less than cooldown_days ago; `global_cooldown` if any
  /// survey was last shown less than global_cooldown_days ago; else `ok`. Each clock is its
  /// own argument, in ms since 1970; a negative value means "never shown". A last-shown time
  /// after `now_ms` (a clock set back) counts as within the cooldown: showing a survey twice
  /// is worse than waiting.
  eligibility eligible(std::string_view respondent_id, std::int64_t now_ms, std::int64_t last_shown_ms,
                       std::int64_t last_shown_any_ms) const noexcept;

  /// The definition in canonical form: every default written out, fields in the documented
  /// order. Parsing it gives an equal survey (`to_json(parse(to_json(s))) == to_json(s)`).
  std::string to_json() const;

 private:
  std::string id_;
  std::int64_t version_ = 0;
  std::vector<survey_locale> locales_;
  std::size_t default_locale_ = 0;
  survey_targeting targeting_;
  std::vector<survey_question> questions_;

  friend class survey_parser;
};

CXM_END_NAMESPACE

#endif  // CXM_SURVEY_DEFINITION_HPP
