// SPDX-License-Identifier: MIT
/// @file definition.hpp  A journey definition: ordered steps grouped in stages, each step's
/// touchpoint and expected channel, and the tracker's time limits (declarations; the JSON
/// format is specified here).
///
/// ## JSON, version 1
/// One object; every key below is required unless marked optional, no other key is allowed:
/// ```
/// {"format":"cxm.journey",            string
///  "version":1,                       integer: the format version
///  "id":"bank-switch",                string 1-64 bytes: the journey's name
///  "revision":3,                      integer >= 0: the definition's own version; reports of
///                                     different ids or revisions do not merge
///  "abandon_after_ms":1209600000,     integer > 0: inactivity after which advance() abandons
///  "reorder_window_ms":60000,         integer >= 0: out-of-order tolerance per journey
///  "recontact_window_days":7,         integer 1-366: a contact within this many days of the
///                                     previous one in the same journey is a re-contact
///  "max_open_journeys":100000,        integer 1-16777216: the cap on open journeys
///  "stages":[{"name":"apply",         string 1-64 bytes, unique
///             "steps":[{"name":"application",   string 1-64 bytes, unique across stages
///                       "touchpoint":"online_form",  string 1-64 bytes
///                       "channel":"web",             string 1-64 bytes: the expected channel
///                       "controlled":true,           optional boolean (default true)
///                       "funnel":true}]}],           optional boolean (default true); false
///                                                    marks a detour (wrong_card) that is timed
///                                                    but is not a funnel stage
///  "touchpoints":[{"name":"friend_advice","controlled":false}]}
///                                     optional: touchpoints no step owns (a friend's advice,
///                                     a social post, a press article); "controlled" required
/// ```
/// Steps are ordered as written (stage by stage): the funnel follows that order over the steps
/// with "funnel": true. At most 64 steps, 32 stages and 64 touchpoints. A touchpoint shared by
/// several steps must have the same "controlled" everywhere. Decoding is strict: another
/// "format" is `incompatible`, another "version" `unsupported_version`; unknown or duplicate
/// keys, duplicate names, missing or mistyped fields and values out of range are errors whose
/// detail names the path (`stages[1].steps[0].channel: expected a string`).
#ifndef CXM_JOURNEY_DEFINITION_HPP
#define CXM_JOURNEY_DEFINITION_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/limits.hpp"
#include "cxm/core/config.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// The definition format version written by this build and the only one it reads.
inline constexpr int journey_definition_version = 1;

/// One step of a journey.
struct journey_step {
  std::string name;
  std::uint32_t stage = 0;    ///< index into journey_definition::stages
  std::uint32_t touchpoint = 0;  ///< index into journey_definition::touchpoints
  std::string channel;        ///< the channel the step is expected to happen in
  bool funnel = true;         ///< false for a detour (timed, not a funnel stage)
};

/// A place where the customer meets the journey, owned by the company or not.
struct journey_touchpoint {
  std::string name;
  bool controlled = true;  ///< false: a friend's advice, a social post, a press article
};

/// A validated journey definition. Build it with `journey_definition_from_json` or fill it and
/// call `validate()`.
struct CXM_API journey_definition {
  static constexpr std::size_t max_steps = 64;
  static constexpr std::size_t max_stages = 32;
  static constexpr std::size_t max_touchpoints = 64;
  static constexpr std::size_t max_name_bytes = 64;
  static constexpr std::uint32_t max_cap = 1u << 24;

  std::string id;
  std::int64_t revision = 0;
  std::vector<std::string> stages;
  std::vector<journey_step> steps;  ///< in journey order
  std::vector<journey_touchpoint> touchpoints;
  std::int64_t abandon_after_ms = 14LL * 24 * 3600 * 1000;
  std::int64_t reorder_window_ms = 60 * 1000;
  std::int32_t recontact_window_days = 7;
  std::uint32_t max_open_journeys = 100000;

  /// Checks the invariants the JSON decoder checks (names, sizes, ranges, indices).
  /// Errors: `invalid_argument` or `out_of_range`, naming the field.
  result<bool> validate() const;

  /// The index of step `name`, or -1. O(steps).
  int step_index(std::string_view name) const noexcept;
  /// The index of touchpoint `name`, or -1. O(touchpoints).
  int touchpoint_index(std::string_view name) const noexcept;
};

/// Reads the JSON form (see the file comment). Errors name the path.
CXM_API result<journey_definition> journey_definition_from_json(std::string_view json);
/// The limits of a definition document (a few KB in practice).
inline constexpr json_limits journey_definition_json_limits{std::size_t{1} << 20, 16};
/// The JSON form of `def` (the same keys; optional ones always written). Allocates.
CXM_API std::string to_json(const journey_definition& def);

CXM_END_NAMESPACE

#endif  // CXM_JOURNEY_DEFINITION_HPP
