// SPDX-License-Identifier: MIT
/// @file report.hpp  The analyst's report: totals, a trend by calendar period and breakdowns
/// whose groups are compared with the rest, built from responses by `report_builder` and
/// printed as `cxm.report` v1 JSON, CSV or plain text (docs/report.md is the specification of
/// the JSON and the CSV). No printer computes: every number comes from the `report` value.
#ifndef CXM_REPORT_REPORT_HPP
#define CXM_REPORT_REPORT_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/core/status.hpp"
#include "cxm/journey/report.hpp"
#include "cxm/report/period.hpp"
#include "cxm/stats/interval.hpp"
#include "cxm/stats/p_adjust.hpp"
#include "cxm/stats/scale.hpp"
#include "cxm/stats/weighted_tally.hpp"
#include "cxm/survey/definition.hpp"
#include "cxm/survey/response_reader.hpp"
#include "cxm/survey/scorer.hpp"

CXM_BEGIN_NAMESPACE

/// A question of the report, as `survey_scorer::add_question` takes it.
struct report_question {
  std::string id;
  question_type type = question_type::nps;  ///< nps, ces or csat
  scale answer_scale = scale::nps();        ///< scale::nps(), ces7(), ces5() or csat5()
};

/// What a report holds and how it tests. Two builders merge only when their options are equal.
struct report_options {
  std::vector<report_question> questions;
  /// "channel", "step", "survey_id", "journey_id" or "segment.<name>" (survey_scorer).
  std::vector<std::string> breakdowns;
  double level = 0.95;  ///< of every interval; a comparison is flagged when p_adjusted < 1 − level
  /// Of the NPS intervals (wald, adjusted_wald, score). Comparisons use it when it is wald or
  /// adjusted_wald; score has no difference interval, so they then use adjusted_wald.
  interval_method nps_method = interval_method::adjusted_wald;
  /// How the group-vs-rest p-values of one question within one breakdown are adjusted.
  p_adjust_method p_adjust = p_adjust_method::benjamini_hochberg;
  /// Metrics with fewer answers are marked small_sample (shown, never hidden).
  std::uint64_t min_n = 30;
  /// The trend's period; none: no trend.
  std::optional<period_unit> period;
  /// The zone whose calendar the periods follow (UTC by default).
  std::optional<time_zone> zone;
  /// Responses with a timestamp outside [since_ms, until_ms) (UTC ms) are counted as
  /// out_of_range and left out of everything; responses without one are kept.
  std::optional<std::int64_t> since_ms;
  std::optional<std::int64_t> until_ms;
  /// De-duplication by response id (survey_scorer's scorer_options::count_ids_once).
  bool count_ids_once = true;
  /// Design-weighted estimates (weighted_tally.hpp): each response weighs 1/π, π its
  /// inclusion_probability (π = 1 for a response without one, counted in
  /// report_input::without_probability). Every metric then carries `weighted`, and the
  /// comparisons (group vs rest, period vs previous) are of the weighted estimates.
  bool weighted = false;
};

/// A comparison: period vs previous period, or group vs the rest of its breakdown. NPS
/// differences are in points (compare() in nps_tally.hpp: "adjusted_wald" or "wald"); CES and
/// CSAT differences are of the means, by Welch's t ("welch_t", compare_means in scale_tally.hpp).
/// With report_options::weighted, of the weighted estimates (compare and compare_means in
/// weighted_tally.hpp): "weighted_wald" (NPS) and "weighted_welch_t" (means).
struct report_comparison {
  double difference = 0;  ///< this minus the other (the previous period, the rest)
  double lower = 0;
  double upper = 0;
  double p_value = 1;
  /// Group vs rest only: p_value adjusted with the breakdown's other groups on this question.
  std::optional<double> p_adjusted;
  std::string method;  ///< "adjusted_wald", "wald", "welch_t", "weighted_wald" or "weighted_welch_t"
  int flag = 0;        ///< group vs rest: +1 "higher", −1 "lower" (p_adjusted < 1 − level), else 0
};

/// A weighted estimate: the Hájek ratio, its interval (empty when n < 2) and its
/// linearization standard error (empty when n < 2).
struct report_estimate {
  double value = 0;
  std::optional<interval> bounds;  ///< point = value; method wald, student_t or wilson
  std::optional<double> standard_error;
};

/// One question's design-weighted numbers (report_options::weighted; weighted_tally.hpp).
struct report_weighted {
  double sum_weights = 0;  ///< Σ 1/π over the n valid answers
  double n_effective = 0;  ///< Kish's (Σw)²/Σw², in [1, n]; 0 when n = 0
  bool small_sample = true;  ///< n_effective < min_n
  /// NPS: the score in points (Wald interval); CES/CSAT: the mean (t interval with
  /// n_eff − 1 df). Empty when n = 0.
  std::optional<report_estimate> estimate;
  /// CES/CSAT: the top-box share (Wilson with the design-based effective n). Empty when n = 0.
  std::optional<report_estimate> top_box;
};

/// One question's numbers in the totals, a group or a period.
struct report_metric {
  std::string question;
  question_type type = question_type::nps;
  std::uint64_t n = 0;  ///< valid answers: every statistic is over these
  std::uint64_t skipped = 0;
  std::uint64_t invalid = 0;
  bool small_sample = true;  ///< n < min_n
  /// Counts of each answer from the scale's minimum to its maximum.
  std::vector<std::uint64_t> distribution;
  // NPS: the score and its interval (point = score); empty when n = 0.
  std::optional<interval> score;
  std::uint64_t promoters = 0, passives = 0, detractors = 0;
  // CES/CSAT: the mean (empty when n = 0), its t interval (empty when n < 2: no variance),
  // and the top-box share with Wilson's interval (empty when n = 0).
  std::optional<double> mean;
  std::optional<interval> mean_interval;
  int top_box_min = 0;
  std::optional<interval> top_box;
  /// The design-weighted numbers when report_options::weighted, else empty.
  std::optional<report_weighted> weighted;
};

struct report_period {
  std::string label;  ///< "2026-10-05", "2026-W41", "2026-10"
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::uint64_t responses = 0;
  std::vector<report_metric> questions;                 ///< parallel to report::questions
  std::vector<std::optional<report_comparison>> change;  ///< vs the previous period; parallel too
};

struct report_trend {
  period_unit unit = period_unit::week;
  std::string time_zone;
  std::vector<report_period> periods;  ///< first to last period with a response, no gaps
  /// True when the first and last periods lie report_builder::max_dense_periods or more
  /// apart: only periods holding responses are then listed.
  bool gaps_omitted = false;
};

struct report_group {
  std::string value;
  std::uint64_t responses = 0;
  std::vector<report_metric> questions;                  ///< parallel to report::questions
  std::vector<std::optional<report_comparison>> vs_rest;  ///< parallel too
};

struct report_breakdown {
  std::string dimension;
  /// Responses whose value came after survey_scorer::max_groups values (in no group).
  std::uint64_t overflow = 0;
  std::vector<report_group> groups;
};

/// Counts of what went in (docs/report.md, "input").
struct report_input {
  std::uint64_t responses = 0;       ///< scored
  std::uint64_t duplicates = 0;      ///< refused: id counted before
  std::uint64_t rejected_lines = 0;  ///< not a valid record (add_reader_stats), duplicates not included
  std::uint64_t answer_problems = 0; ///< invalid answers inside scored responses
  std::uint64_t missing_timestamps = 0;
  std::uint64_t out_of_range = 0;     ///< outside [since, until): left out of everything
  std::optional<std::int64_t> first_ms;  ///< earliest and latest timestamp scored
  std::optional<std::int64_t> last_ms;
  /// Scored responses without an inclusion_probability (weighted as π = 1).
  std::uint64_t without_probability = 0;
};

/// One funnel step of a journey (journey_report::funnel, all segments together).
struct report_funnel_step {
  std::string step;
  std::uint64_t reached = 0;
  std::uint64_t ended = 0;
  double conversion_to_next = 0;  ///< reached(next funnel step) / reached; 0 for the last step
  std::uint64_t dropped = 0;      ///< journeys not completed whose furthest funnel step this was
};

/// One step's durations in one channel, merged over the segments. Quantiles are the duration
/// sketch's (within its relative_error(), 0.54% at scale 6); empty when n = 0.
struct report_step_duration {
  std::string step;
  std::string channel;  ///< "" for events without a channel
  std::uint64_t n = 0;
  std::optional<double> p50_ms, p90_ms, p99_ms;
};

/// NPS of one group of a step's respondents split by how long the step took them.
struct report_duration_band {
  std::string band;                 ///< "le_p50", "p50_p90", "gt_p90"
  std::optional<double> lower_ms;   ///< exclusive; empty for the first band
  std::optional<double> upper_ms;   ///< inclusive; empty for the last band
  report_metric nps;
};

/// One step's attached NPS answers: the metric (interval, small_sample as the report's) and,
/// when the step has durations and NPS answers by duration, the three duration bands.
struct report_step_nps {
  std::string step;
  report_metric nps;
  std::vector<report_duration_band> by_duration;  ///< empty, or the three bands in order
};

/// Operational effort (journey/report.hpp, "Effort index"): the components summed over
/// `components.journeys` journeys, the index per journey and its parts, weight · component /
/// journeys for each weighted component, which add up to the index.
struct report_effort {
  std::string step;  ///< "" for the total over every segment
  effort_components components;
  double index = 0;
  double transfers = 0, recontacts = 0, channel_switches = 0, repeats = 0, wait_points = 0;  ///< the parts
};

/// The journey section of a report (summarize_journey).
struct report_journey {
  std::string id;
  std::int64_t revision = 0;
  std::uint64_t started = 0, completed = 0;
  std::vector<report_funnel_step> funnel;        ///< funnel steps in order
  std::vector<report_step_duration> durations;   ///< by step (definition order), then channel
  std::vector<report_step_nps> nps;              ///< every step, in definition order
  report_effort effort;                          ///< over every segment
  std::vector<report_effort> step_effort;        ///< steps some journey reached, in order
};

/// The journey section from a journey report: funnel, step duration percentiles (p50, p90,
/// p99) by channel, NPS by step and by duration band (the step's p50 and p90:
/// journey_report::nps_by_duration) with the intervals, level and min_n of `o` exactly as the
/// report's metrics, and effort. The questions of `o` play no part.
CXM_API report_journey summarize_journey(const journey_report& j, const report_options& o);

/// The report: an immutable value (docs/report.md).
struct report {
  std::string generator;  ///< "cxm <version>"
  report_options settings;
  report_input input;
  std::vector<report_question> questions;
  std::vector<report_metric> totals;
  std::optional<report_trend> trend;  ///< when settings.period is set
  std::vector<report_breakdown> breakdowns;
  /// A journey's section (summarize_journey), when the report was given one.
  std::optional<report_journey> journey;
};

namespace detail {
/// The design-weighted tallies of the report's questions, parallel to them: `nps[i]` for an
/// NPS question, `ratings[i]` for CES/CSAT (the other left empty).
struct weighted_questions {
  std::vector<weighted_nps_tally> nps;
  std::vector<weighted_scale_tally> ratings;
};
/// The weighted tallies of one breakdown's groups, made and merged by survey_scorer's rule (in
/// order of first appearance, at most survey_scorer::max_groups), so they are its groups.
struct weighted_breakdown {
  std::map<std::string, std::size_t, std::less<>> index;  // value -> position in groups
  std::vector<weighted_questions> groups;
};
}  // namespace detail

/// Responses aggregated ahead of time for one time cell and one group (a store's cells, kept at
/// ingest: docs/storage.md): what report_builder::add_cell takes instead of the responses.
struct report_cell {
  /// The cell's first instant (UTC ms). The caller guarantees that every response of the cell
  /// lies in one period of the report's unit and zone (a cell never straddles a period
  /// boundary) and inside since/until. Empty: responses without a timestamp (in the totals and
  /// breakdowns and counted as missing_timestamps, in no period).
  std::optional<std::int64_t> start_ms;
  std::string dimension;  ///< "" for the totals, else one of report_options::breakdowns
  std::string value;      ///< the group's value (dimension not empty)
  std::uint64_t responses = 0;
  // Totals only: responses without an inclusion_probability, earliest and latest timestamp.
  std::uint64_t without_probability = 0;
  std::optional<std::int64_t> first_ms, last_ms;
  /// Parallel to report_options::questions, laid out like scorer().totals(): every response
  /// shows every question (shown = responses).
  std::vector<question_tally> questions;
};

/// A response_sink that gathers what a report needs: a survey_scorer for the totals and the
/// breakdowns (its scoring and de-duplication by id) and, when a period is set, one scorer
/// per period for the trend. Responses without a timestamp count in the totals and the
/// breakdowns and as missing_timestamps, in no period; responses outside since/until are
/// taken from the reader (not rejected) but counted only as out_of_range.
///
/// Merging two builders configured alike equals feeding both inputs to one builder, so a
/// server can build a report from stored partial builders.
///
/// @par Thread safety
/// None: one builder per thread, then merge.
class CXM_API report_builder final : public response_sink {
 public:
  /// `invalid_argument` naming the option: no question, a question or breakdown that
  /// survey_scorer refuses, a level outside (0, 1), an NPS method that is not wald,
  /// adjusted_wald or score, an unknown p-adjust method, since >= until, a zone without a period.
  static result<report_builder> make(report_options options);

  /// The longest trend listed without gaps (ten years of days).
  static constexpr std::uint64_t max_dense_periods = 3660;

  bool on_response(const response_view& r, std::vector<problem>& problems) override;
  void on_id(std::string_view id) noexcept override { scorer_.on_id(id); }

  /// Adds the responses of a cell as if they had been fed one by one (the property tests check
  /// that). A breakdown's groups are made in the order of the calls that first name them (at
  /// most survey_scorer::max_groups), so a caller that wants the rescan's order (first
  /// appearance) adds each group's cells in that order. `invalid_argument` (no change) for a
  /// dimension that is not a breakdown of the report, tallies of another layout, or a weighted
  /// report (cells hold counts, not weights); `out_of_range` past max_count.
  status add_cell(const report_cell& c);

  /// Counts the reader's rejected lines that were not duplicates (those the scorer counts).
  void add_reader_stats(const reader_stats& s) noexcept;

  const report_options& options() const noexcept { return options_; }
  const survey_scorer& scorer() const noexcept { return scorer_; }

  /// Adds `other`'s responses. `incompatible` unless the options are equal (the zone by name);
  /// otherwise as survey_scorer::merge (`duplicate_id`, `out_of_range`). No change on error.
  status merge(const report_builder& other);

  /// The report of everything fed and merged so far (the builder stays usable).
  report build() const;

 private:
  explicit report_builder(report_options options);
  void add_weighted(const response_view& r);

  struct period_bucket {
    std::uint64_t responses = 0;
    survey_scorer scorer;  // no breakdowns, ids not counted (the main scorer did it)
    detail::weighted_questions weighted;  // when options_.weighted
  };
  report_options options_;
  survey_scorer scorer_;
  survey_scorer period_template_;  // configured empty scorer copied for each new period
  std::map<std::int64_t, period_bucket> periods_;  // by period index
  report_input input_;
  // The last period a response fell in: most inputs come in time order, so most responses
  // skip period_of (and its label string).
  std::int64_t cached_start_ms_ = 0, cached_end_ms_ = 0, cached_index_ = 0;
  bool cached_ = false;
  std::vector<problem> scratch_;  // problems of the period scorers (the main scorer reports them)
  // Design weights (options_.weighted): the questions as score_answer judges them, the weighted
  // tallies of the totals and of each breakdown's groups (same groups as the scorer's), and an
  // empty layout copied for new groups and periods.
  std::vector<survey_question> weighted_questions_;
  detail::weighted_questions weighted_totals_;
  std::vector<detail::weighted_breakdown> weighted_breakdowns_;
  detail::weighted_questions weighted_template_;
  std::vector<int> weighted_scores_;  // scratch: each question's valid score, or −1
};

/// The names `settings.p_adjust` uses in the JSON (R's p.adjust names): "BH", "holm",
/// "bonferroni", "none".
CXM_API const char* report_name(p_adjust_method m) noexcept;
/// Parses those names, and the ones `parse_p_adjust_method` takes ("benjamini_hochberg"), so a
/// command line or a stored setting can use either; false (`out` unchanged) for anything else.
CXM_API bool parse_report_p_adjust(std::string_view text, p_adjust_method& out) noexcept;

/// `cxm.report` v1 JSON (docs/report.md).
CXM_API std::string to_json(const report& r);
/// One row per metric × group × period with a header row (docs/report.md, CSV), RFC 4180
/// quoting, text fields a spreadsheet would read as a formula prefixed with '.
CXM_API std::string to_csv(const report& r);
/// A plain-text rendering for terminals: totals, then the trend, then each breakdown.
CXM_API std::string to_text(const report& r);

/// How the HTML page is written.
struct html_options {
  std::string lang = "en";     ///< the page's language tag (letters, digits, hyphens)
  bool right_to_left = false;  ///< a page for a right-to-left audience: layout and charts mirrored
};
/// The JSON text made safe for an HTML data block: <, >, &, U+2028 and U+2029 written as
/// \u003c, \u003e, \u0026, \u2028, \u2029, nothing else changed (docs/report.md, "HTML").
CXM_API std::string escape_json_for_html(std::string_view json);
/// The self-contained HTML page: `page_template` (the built report_template.html of wasm/report,
/// which the caller has: the core has no files) with the report's JSON in its data block.
/// invalid_argument when the template does not hold the placeholder exactly once or does not
/// start as the built template does, or for a bad language tag.
CXM_API result<std::string> to_html(const report& r, std::string_view page_template, const html_options& options = {});

CXM_END_NAMESPACE

#endif  // CXM_REPORT_REPORT_HPP
