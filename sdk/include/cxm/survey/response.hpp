// SPDX-License-Identifier: MIT
/// @file response.hpp  A survey response as read from a JSON Lines record (a view: the
/// strings point into the reader's buffers and are valid during the callback only).
///
/// Record format (one JSON object per line; fields in any order; unknown fields are ignored
/// for forward compatibility, but no key may appear twice):
///
/// | field | type | required | meaning |
/// | --- | --- | --- | --- |
/// | `id` | string, 1-128 bytes | yes | unique response id (idempotency key) |
/// | `survey_id` | string | yes | the survey answered |
/// | `survey_version` | integer >= 0 | no | version of the survey definition |
/// | `respondent` | string | no | pseudonymous respondent id |
/// | `timestamp` | RFC 3339 string or integer ms since 1970 | no | when the answers were given |
/// | `channel` | string | no | web, app, phone, branch, ... |
/// | `segment` | object of string values | no | segment attributes (customer, age, ...) |
/// | `journey_id`, `step` | string | no | the journey and step the survey followed |
/// | `answers` | object | yes | question id -> any JSON value (the answers format: survey/answers.hpp) |
/// | `inclusion_probability` | number from 1e-9 to 1 | no | the probability that the respondent was sampled (the survey's sample rate); a design weight is its inverse |
#ifndef CXM_SURVEY_RESPONSE_HPP
#define CXM_SURVEY_RESPONSE_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cxm/core/config.hpp"
#include "cxm/survey/answers.hpp"

CXM_BEGIN_NAMESPACE

struct attribute {
  std::string_view name;
  std::string_view value;
};

/// A structurally valid response record.
struct response_view {
  std::uint64_t line = 0;  ///< 1-based line number in its file or stream
  std::string_view id;
  std::string_view survey_id;
  std::int64_t survey_version = -1;  ///< -1 when absent
  std::string_view respondent;
  bool has_timestamp = false;
  std::int64_t timestamp_ms = 0;     ///< milliseconds since 1970-01-01T00:00:00Z
  double inclusion_probability = 0;  ///< in [1e-9, 1]; 0 when the record has none
  std::string_view channel;
  std::string_view journey_id;
  std::string_view step;
  const attribute* segment = nullptr;
  std::size_t segment_size = 0;
  answers_view answers;

  /// The answer to `question`, or nullptr.
  const answer_value* find(std::string_view question) const noexcept { return answers.find(question); }
  /// The value of segment attribute `name`, or an empty view.
  std::string_view segment_value(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < segment_size; ++i)
      if (segment[i].name == name) return segment[i].value;
    return {};
  }
};

CXM_END_NAMESPACE

#endif  // CXM_SURVEY_RESPONSE_HPP
