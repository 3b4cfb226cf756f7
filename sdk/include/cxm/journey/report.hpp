// SPDX-License-Identifier: MIT
/// @file report.hpp  The mergeable aggregate of a journey tracker: step timing by
/// segment and channel, funnel, outcomes, effort, touchpoints, cross-channel consistency and
/// attached survey answers (declarations; the JSON format is specified here).
///
/// ## Effort index (per journey, and per step)
/// ```
/// effort = 1·transfers + 2·recontacts + 1·channel_switches + 1·repeats + 1·wait_points
/// wait_points = floor(total wait of the journey in ms / 300000)   (one point per 5 minutes)
/// ```
/// A re-contact is a contact within `recontact_window_days` of the previous contact of the same
/// journey. The weights are `effort_weights`; each component is reported beside the index, so
/// a different weighting can be computed from the report. Per step, components are attributed
/// to the step the event names (else the most recently begun step of the journey) and averaged
/// over the journeys that reached the step; wait points per step use that step's waits only.
///
/// ## Merging
/// `merge(a, b)` equals the report of all events of both, exactly, when every journey's
/// events went to one tracker (a journey is the unit of a device's work). A journey split
/// across two devices is two partial journeys: each side counts it as started, its steps reach
/// the funnel on whichever side saw them, a step whose begin and end were seen on different
/// sides is an end without begin on one side and an unfinished step on the other, and effort
/// components are summed, but re-contacts across the split are missed. Route a journey's
/// events to one tracker (e.g. by journey id) to avoid that.
///
/// ## JSON, version 2
/// ```
/// {"format":"cxm.journey_report","version":2,
///  "journey":{"id":"bank-switch","revision":3},
///  "steps":[{"name","stage","touchpoint","channel","controlled","funnel"}...],   definition copy
///  "rejected":{"<journey_error name>":n,...},            every reason, in enum order
///  "events":{"accepted":n,"applied":n},
///  "segments":{"<segment key>":{"started","completed","abandoned","abandoned_timeout",
///       "evicted","unfinished",
///       "time_to_complete":"<sketch>","effort_index":"<sketch>",
///       "effort":{<components>},
///       "reached":[per step],"ended":[per step],"last_step":[per step]}},
///  "durations":[{"step","segment","channel","sketch":"<sketch>"}...],   sorted by the three
///  "step_effort":[{<components> per step}],
///  "touchpoints":{"<name>":{"controlled","events","journeys","completed"}},
///  "quotes":{"<offer>":{"<channel>":{"count","min","max","sum"}}},   values in micro-units
///  "messages":{"<key>":{"<channel>":{"<value>":n}}},
///  "survey":{"attached","unknown_step","without_duration","duplicate",
///       "steps":[{"nps":<question tally>,"ces":<question tally>,"emotion":<question tally>,
///                 "nps_by_duration":{"<band>":[11 counts]}}]}}
/// ```
/// `<components>` = {"journeys","contacts","recontacts","transfers","channel_switches",
/// "waits","wait_ms","wait_points","repeats"}. A `<sketch>` is the compact binary form of
/// `duration_sketch` (duration_sketch_codec.hpp) in base64 (RFC 4648, with padding): exact
/// and small. A segment key is the event's segment attributes sorted by name,
/// `age=young,customer=private` ("" without attributes); a missing channel is "". A
/// `<question tally>` is the shared per-question form of survey/question_tally.hpp (the step's
/// answers to the tracker's nps, ces and emotion questions, each judged by `score_answer`, so a
/// bad answer counts as invalid, by reason, like anywhere else). A duration band b holds
/// durations in (base^b, base^(b+1)] ms with base = 2^(2^-6), the scale-6 buckets of the
/// duration sketch, 1.1% wide (`duration_band`); zero durations are in band
/// `zero_duration_band`. Quote values are stored as integers of 1e-6 units, so their sums merge
/// exactly. Counts are unsigned 64-bit integers (NPS counts of a band add up to at most
/// max_count). Version 2 replaced version 1's per-step nps/ces/emotions arrays by question
/// tallies and its quarter-octave duration bands by scale-6 ones; version 1 is no longer read.
/// Decoding is strict: another "format" is `incompatible`, another "version"
/// `unsupported_version`; unknown, duplicate, missing or mistyped fields, per-step arrays of
/// the wrong length, undecodable sketches and input over 64 MiB are errors naming the path.
#ifndef CXM_JOURNEY_REPORT_HPP
#define CXM_JOURNEY_REPORT_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "cxm/core/limits.hpp"
#include "cxm/core/config.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/survey/question_tally.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// Why the tracker rejected an event or response. The numbers are part of the report format
/// (append only); `name()` gives the JSON key.
enum class journey_error : std::uint8_t {
  none = 0,
  unknown_step = 1,        ///< a step the definition does not have
  unknown_journey = 2,     ///< end, complete or abandon for a journey that is not open; empty id
  unknown_touchpoint = 3,  ///< a touchpoint the definition does not have
  begin_twice = 4,         ///< step_begin for a step already running
  end_without_begin = 5,   ///< step_end for a step that was never begun
  double_end = 6,          ///< step_end for a step that already ended
  clock_backwards = 7,     ///< older than an event already applied to the journey (beyond the window)
  duration_over_year = 8,  ///< a step, wait or duration over 365 days (or negative)
  journey_closed = 9,      ///< an event for a journey that completed or was abandoned recently
  invalid_event = 10,      ///< a required field missing or a value out of range (negative wait, NaN quote,
                           ///< a timestamp outside 1970-01-01..9999-12-31)
  duplicate_response = 11, ///< add_response: a response with this id was attached before (counted in
                           ///< responses_duplicate, never in `rejected`, which counts events)
};
inline constexpr std::size_t journey_error_count = 12;
CXM_API const char* name(journey_error e) noexcept;

/// Effort weights of the documented index (file comment).
struct effort_weights {
  static constexpr double transfer = 1.0;
  static constexpr double recontact = 2.0;
  static constexpr double channel_switch = 1.0;
  static constexpr double repeat = 1.0;
  static constexpr double wait_point = 1.0;
  static constexpr std::int64_t wait_point_ms = 5 * 60 * 1000;
};

/// The operational-effort components summed over `journeys` journeys.
struct effort_components {
  std::uint64_t journeys = 0;  ///< the denominator: journeys finished (segment) or reaching the step
  std::uint64_t contacts = 0;
  std::uint64_t recontacts = 0;
  std::uint64_t transfers = 0;
  std::uint64_t channel_switches = 0;
  std::uint64_t waits = 0;
  std::uint64_t wait_ms = 0;
  std::uint64_t wait_points = 0;
  std::uint64_t repeats = 0;

  void merge(const effort_components& o) noexcept;
  /// Sum of the weighted components (the index summed over the journeys).
  double total() const noexcept;
  /// total() / journeys; 0 without journeys.
  double index() const noexcept { return journeys == 0 ? 0.0 : total() / static_cast<double>(journeys); }
};

/// Outcomes, funnel and effort of the finished journeys of one segment.
struct journey_segment_stats {
  std::uint64_t started = 0;            ///< journeys opened (every other outcome is one of the next)
  std::uint64_t completed = 0;
  std::uint64_t abandoned = 0;          ///< an explicit abandon event
  std::uint64_t abandoned_timeout = 0;  ///< inactive for abandon_after_ms (advance)
  std::uint64_t evicted = 0;            ///< evicted by the open-journey cap (counted as abandoned)
  std::uint64_t unfinished = 0;         ///< still open when finish() was called
  duration_sketch time_to_complete;     ///< first event to complete, ms
  duration_sketch effort_index;         ///< the per-journey effort index distribution
  effort_components effort;
  std::vector<std::uint64_t> reached;    ///< per step: journeys that began (or touched) it
  std::vector<std::uint64_t> ended;      ///< per step: journeys that ended it
  std::vector<std::uint64_t> last_step;  ///< per step: not completed journeys whose furthest funnel step it was (drop-off)
};

struct touchpoint_stats {
  bool controlled = true;
  std::uint64_t events = 0;
  std::uint64_t journeys = 0;   ///< finished journeys that met it
  std::uint64_t completed = 0;  ///< of those, completed
};

/// A quoted offer's values in one channel, in micro-units (value · 10^6, rounded).
struct quote_stats {
  std::uint64_t count = 0;
  std::int64_t min = 0;
  std::int64_t max = 0;
  std::int64_t sum = 0;
};

/// Survey answers attached to one step: one question tally per question of the tracker
/// (journey_tracker_options), and NPS by how long the step took the respondent.
struct step_survey {
  question_tally nps;
  question_tally ces;
  question_tally emotion;
  /// duration band of this step in the respondent's journey (`journey_report::duration_band`)
  /// -> NPS answer counts
  std::map<std::int32_t, nps_tally::counts_type> nps_by_duration;
};

/// NPS of one step's respondents split by how long the step took them.
struct duration_split {
  /// The thresholds actually used, ms, ascending: each is the upper boundary of the band that
  /// holds the requested quantile of the step's durations (at most 1.1% above it), so the
  /// quantile itself is in the group below.
  std::vector<double> thresholds_ms;
  /// thresholds_ms.size() + 1 groups: durations up to the first threshold, over it and up to
  /// the next, ..., over the last.
  std::vector<nps_tally> groups;
};

/// Consistency of one offer or message key across channels.
struct consistency_row {
  std::string key;
  std::size_t channels = 0;
  bool inconsistent = false;  ///< two channels disagree (different ranges of quotes / sets of values)
  double spread = 0;          ///< quotes: largest minus smallest value over all channels; messages: distinct values
};

/// One funnel row (funnel steps only, in order).
struct funnel_row {
  std::size_t step = 0;            ///< index into steps
  std::uint64_t reached = 0;
  std::uint64_t ended = 0;
  double conversion_to_next = 0;   ///< reached(next funnel step) / reached(this); 0 if none reached
  std::uint64_t dropped = 0;       ///< not-completed journeys that stopped here
};

/// A journey report: a commutative monoid under `merge` (see the file comment). A plain value
/// type; queries are O(size of the report).
class CXM_API journey_report {
 public:
  struct step_info {
    std::string name;
    std::string stage;
    std::string touchpoint;
    std::string channel;
    bool controlled = true;
    bool funnel = true;
  };
  using cell_key = std::tuple<std::string, std::string, std::string>;  ///< step, segment, channel

  std::string journey_id;
  std::int64_t revision = 0;
  std::vector<step_info> steps;
  std::array<std::uint64_t, journey_error_count> rejected{};
  std::uint64_t events_accepted = 0;  ///< passed record()'s immediate checks
  std::uint64_t events_applied = 0;   ///< applied to a journey in order
  std::map<std::string, journey_segment_stats> segments;
  std::map<cell_key, duration_sketch> durations;
  std::vector<effort_components> step_effort;  ///< per step
  std::map<std::string, touchpoint_stats> touchpoints;
  std::map<std::string, std::map<std::string, quote_stats>> quotes;
  std::map<std::string, std::map<std::string, std::map<std::string, std::uint64_t>>> messages;
  std::uint64_t responses_attached = 0;        ///< responses counted against a step
  std::uint64_t responses_unknown_step = 0;    ///< responses naming no step of the journey
  std::uint64_t responses_without_duration = 0;  ///< attached, but the step had no duration for the band
  std::uint64_t responses_duplicate = 0;       ///< not attached: a response with the same id was
  std::vector<step_survey> survey;             ///< per step

  /// Adds `other`. Errors: `incompatible` when the journey id, revision or steps differ (the
  /// report is unchanged).
  status merge(const journey_report& other);

  std::uint64_t rejected_total() const noexcept;
  std::uint64_t rejected_count(journey_error e) const noexcept { return rejected[static_cast<std::size_t>(e)]; }
  int step_index(std::string_view step) const noexcept;

  /// All segments summed (sketches merged).
  journey_segment_stats total() const;
  /// One step's durations over every segment and channel (empty sketch for an unknown step).
  duration_sketch step_durations(std::string_view step) const;
  /// Funnel over the funnel steps, all segments together.
  std::vector<funnel_row> funnel() const;
  /// Offers and message keys with their channel count, spread and inconsistency flag.
  std::vector<consistency_row> quote_consistency() const;
  std::vector<consistency_row> message_consistency() const;
  /// NPS of `step`'s respondents split at the given quantiles (strictly increasing, in (0, 1))
  /// of the step's durations, e.g. {0.5, 0.9}: at most p50, p50-p90, over p90.
  /// @par Errors
  /// `invalid_argument` for an unknown step or bad quantiles; `empty` when the step has no
  /// duration or no NPS answer by duration.
  result<duration_split> nps_by_duration(std::string_view step, const std::vector<double>& quantiles) const;
  /// Effort of touchpoints by kind: {controlled, uncontrolled}.
  std::array<touchpoint_stats, 2> touchpoints_by_kind() const;

  /// The scale of the duration bands (the sketch's default scale).
  static constexpr int duration_band_scale = 6;
  /// The band of zero durations.
  static constexpr std::int32_t zero_duration_band = INT32_MIN;
  /// The duration band of `ms` (see the file comment): zero_duration_band for <= 0.
  static std::int32_t duration_band(double ms) noexcept;
  /// The lower boundary of `band`, ms (0 for the zero band).
  static double band_lower_ms(std::int32_t band) noexcept;

  friend CXM_API bool operator==(const journey_report& a, const journey_report& b);
  friend bool operator!=(const journey_report& a, const journey_report& b) { return !(a == b); }
};

/// The report format version written by this build and the only one it reads.
inline constexpr int journey_report_json_version = 2;
CXM_API std::string to_json(const journey_report& report);
CXM_API result<journey_report> journey_report_from_json(std::string_view json);
/// The limits of a report document: a report of many steps, segments and channels with their
/// sketches runs to megabytes.
inline constexpr json_limits journey_report_json_limits{std::size_t{64} << 20, 16};

CXM_END_NAMESPACE

#endif  // CXM_JOURNEY_REPORT_HPP
