// SPDX-License-Identifier: MIT
/// @file event.hpp  One event of a customer journey (a view: strings are not owned),
/// as an app builds it or as `journey_event_reader` reads it from a JSON Lines record.
///
/// Record format (one JSON object per line; fields in any order; unknown fields are ignored
/// for forward compatibility, but no key may appear twice):
///
/// | field | type | required | meaning |
/// | --- | --- | --- | --- |
/// | `journey_id` | string, 1-128 bytes | yes | the journey instance (one customer going through it) |
/// | `customer` | string | no | pseudonymous customer id |
/// | `type` | string | yes | one of the `journey_event_type` names below |
/// | `timestamp` | RFC 3339 string or integer ms since 1970 | yes | when it happened |
/// | `step` | string | step_begin, step_end | the step (other types: optional, attributes the event to it) |
/// | `channel` | string | no | web, app, phone, branch, ... (contact: the contact's channel) |
/// | `touchpoint` | string | touch | a touchpoint of the definition |
/// | `segment` | object of string values | no | segment attributes (customer, age, ...) |
/// | `reason` | string | no | contact: why the customer got in touch |
/// | `from_agent`, `to_agent` | string | transfer | the agents (must differ) |
/// | `from`, `to` | string | channel_switch | the channels (must differ) |
/// | `duration_ms` | integer >= 0 | wait | time the customer waited |
/// | `offer` | string | quote | what was quoted (monthly_fee, overdraft_rate) |
/// | `key` | string | message | which message (switch_guarantee) |
/// | `value` | number (quote) or string (message) | quote, message | what the customer was told |
#ifndef CXM_JOURNEY_EVENT_HPP
#define CXM_JOURNEY_EVENT_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cxm/core/config.hpp"
#include "cxm/survey/response.hpp"

CXM_BEGIN_NAMESPACE

/// What happened. The numbers are part of the report format (append only).
enum class journey_event_type : std::uint8_t {
  step_begin = 0,
  step_end = 1,
  contact = 2,         ///< the customer contacted the company (channel, reason)
  transfer = 3,        ///< handed from one agent to another
  channel_switch = 4,  ///< moved from one channel to another (from, to)
  wait = 5,            ///< waited duration_ms (queue, hold, callback)
  repeat_info = 6,     ///< told the story again / gave information already given
  quote = 7,           ///< an offer quoted with a numeric value (price) in a channel
  message = 8,         ///< a message key with a text value in a channel
  touch = 9,           ///< met a touchpoint that is not a step (a friend's advice, a post)
  complete = 10,       ///< the journey reached its goal
  abandon = 11,        ///< the customer gave up (explicitly)
};
inline constexpr std::size_t journey_event_type_count = 12;

/// The JSON name of `t` ("step_begin").
CXM_API const char* name(journey_event_type t) noexcept;
/// Parses a JSON name; false when unknown.
CXM_API bool parse_journey_event_type(std::string_view text, journey_event_type& out) noexcept;

/// One event. Only the fields its type uses are read.
struct journey_event {
  journey_event_type type = journey_event_type::step_begin;
  std::string_view journey_id;
  std::string_view customer;
  std::int64_t timestamp_ms = 0;  ///< milliseconds since 1970-01-01T00:00:00Z (any epoch works)
  std::string_view step;
  std::string_view channel;
  std::string_view touchpoint;
  const attribute* segment = nullptr;  ///< segment attributes; read on a journey's first event
  std::size_t segment_size = 0;
  std::string_view reason;  ///< contact
  std::string_view from;    ///< transfer: from_agent; channel_switch: from
  std::string_view to;      ///< transfer: to_agent; channel_switch: to
  std::string_view key;     ///< quote: offer; message: key
  std::string_view text;    ///< message: value
  double value = 0;         ///< quote: value
  std::int64_t duration_ms = 0;  ///< wait
  std::uint64_t line = 0;   ///< the reader's 1-based line number (0 from apps)
};

CXM_END_NAMESPACE

#endif  // CXM_JOURNEY_EVENT_HPP
