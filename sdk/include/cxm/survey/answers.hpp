// SPDX-License-Identifier: MIT
/// @file answers.hpp  A respondent's answers, the one model every path uses: a view
/// (`answers_view`) that readers hand out without copying, and an owning form (`answers`) that
/// apps and bindings build, exposing the same view. Validation, scoring, tallies and journey
/// attachment all take the view.
///
/// # Answers format
///
/// A JSON object from question id to answer (the `answers` of a response record). Any JSON type
/// is kept as given: whether it fits the question is decided by scoring (survey/scoring.hpp), so a
/// wrong type is a problem of that question, not of the document.
///
/// | question type | answer |
/// | --- | --- |
/// | nps, ces, csat | an integer on the question's scale (9 or 9.0; not 9.5, not "9") |
/// | emotion | one of the question's emotion ids, a string |
/// | choice | one choice id (a string); with `multiple`, an array of distinct choice ids |
/// | text | a string of at most max_length Unicode code points |
///
/// An empty string for a text question and an empty array for a multiple-choice question mean
/// "not answered", exactly as if the question were left out.
#ifndef CXM_SURVEY_ANSWERS_HPP
#define CXM_SURVEY_ANSWERS_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// The JSON type of an answer as given.
enum class answer_type : std::uint8_t {
  number = 0,   ///< a JSON number
  string = 1,   ///< a JSON string
  strings = 2,  ///< a JSON array whose elements are all strings (the empty array too)
  boolean = 3,
  null = 4,
  array = 5,    ///< a JSON array holding something other than a string
  object = 6,   ///< a JSON object
};

/// One answer as given. A view: `text` and `items` point into the reader's line or the owning
/// `answers`, and live as long as they do.
struct answer_value {
  answer_type type = answer_type::null;
  double number = 0;                        ///< number (always finite)
  bool boolean = false;                     ///< boolean
  std::string_view text;                    ///< string
  const std::string_view* items = nullptr;  ///< strings: the elements
  std::size_t item_count = 0;               ///< strings: how many
  std::size_t array_size = 0;               ///< array: how many elements

  /// The value's type in words for messages ("a number", "an array of strings", "null"...).
  CXM_API const char* json_type() const noexcept;
};

/// One answer: the question id and its value.
struct answer {
  std::string_view question;
  answer_value value;
};

/// A respondent's answers, in the order given; question ids are unique.
class answers_view {
 public:
  constexpr answers_view() noexcept = default;
  constexpr answers_view(const answer* data, std::size_t size) noexcept : data_(data), size_(size) {}
  const answer* begin() const noexcept { return data_; }
  const answer* end() const noexcept { return data_ + size_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  const answer& operator[](std::size_t i) const noexcept { return data_[i]; }
  /// The answer to `question`, or nullptr. O(size).
  const answer_value* find(std::string_view question) const noexcept {
    for (std::size_t i = 0; i < size_; ++i)
      if (data_[i].question == question) return &data_[i].value;
    return nullptr;
  }

 private:
  const answer* data_ = nullptr;
  std::size_t size_ = 0;
};

/// The owning form of a respondent's answers. Copying and moving keep the view valid for the new
/// object; any change invalidates the views taken before it.
class CXM_API answers {
 public:
  /// The largest document from_json accepts, in bytes.
  static constexpr std::size_t max_bytes = std::size_t{1} << 20;
  /// The nesting limit of that document.
  static constexpr std::size_t max_depth = 8;

  answers() = default;
  answers(const answers& other);
  answers& operator=(const answers& other);
  answers(answers&& other) noexcept;
  answers& operator=(answers&& other) noexcept;
  ~answers();

  /// Reads a JSON object of answers (format above).
  /// @par Errors
  /// `wrong_type` (not an object), `too_large` (over max_bytes), `too_deep`, `parse_error`,
  /// `invalid_utf8`, `duplicate_key`, `not_finite`; the detail names the path.
  static result<answers> from_json(std::string_view json);

  /// Sets (or replaces) the answer to `question`.
  void set(std::string question, double number);
  void set(std::string question, std::string text);
  void set(std::string question, std::vector<std::string> items);
  void set(std::string question, bool boolean);
  /// Sets an answer of a type without a value of its own: null, array (of non-strings) or
  /// object. The types with a value have their own setters; given one of them here, null is set.
  void set(std::string question, answer_type type);
  /// Removes the answer to `question`; false if there was none.
  bool erase(std::string_view question) noexcept;

  /// The answer to `question`, or nullptr.
  const answer_value* find(std::string_view question) const noexcept { return view().find(question); }
  answers_view view() const noexcept { return {view_.data(), view_.size()}; }
  operator answers_view() const noexcept { return view(); }  // NOLINT(google-explicit-constructor)
  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }

 private:
  struct entry {
    std::string question;
    answer_type type = answer_type::null;
    double number = 0;
    bool boolean = false;
    std::string text;
    std::vector<std::string> items;
    std::size_t array_size = 0;
  };
  entry& slot(std::string question);
  void rebuild();  // re-points view_ and item_views_ at entries_

  std::vector<entry> entries_;
  std::vector<std::string_view> item_views_;
  std::vector<answer> view_;
};

CXM_END_NAMESPACE

#endif  // CXM_SURVEY_ANSWERS_HPP
