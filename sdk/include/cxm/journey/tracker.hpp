// SPDX-License-Identifier: MIT
/// @file tracker.hpp  Follows journeys event by event: step timing, funnel, outcomes,
/// effort, touchpoints, cross-channel consistency and survey answers, into a `journey_report`.
#ifndef CXM_JOURNEY_TRACKER_HPP
#define CXM_JOURNEY_TRACKER_HPP

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/journey/definition.hpp"
#include "cxm/journey/event.hpp"
#include "cxm/journey/event_reader.hpp"
#include "cxm/journey/report.hpp"
#include "cxm/survey/response.hpp"
#include "cxm/survey/response_reader.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/core/status.hpp"
#include "cxm/stats/scale.hpp"

CXM_BEGIN_NAMESPACE

/// Settings of a tracker beyond those of its definition.
struct journey_tracker_options {
  /// Question ids read from attached survey responses: an NPS question, a CES question on
  /// `ces_scale` (ces7() or ces5()) and an emotion question (the emotion set, emotion_set).
  std::string nps_question = "nps";
  std::string ces_question = "ces";
  scale ces_scale = scale::ces7();
  std::string emotion_question = "emotion";
  /// Closed journeys remembered (their step durations, for survey responses that arrive later,
  /// and to reject late events as `journey_closed`); 0 = the definition's max_open_journeys.
  std::uint32_t max_closed_journeys = 0;
  /// Sketch settings of every duration sketch.
  sketch_options sketch;
};

/// Tracks journeys of one definition.
///
/// ```
/// auto tracker = cxm::journey_tracker::make(definition).value();
/// cxm::journey_event e;
/// e.type = cxm::journey_event_type::step_begin;
/// e.journey_id = "j-00001"; e.step = "application"; e.channel = "web"; e.timestamp_ms = t0;
/// (void)tracker.record(e);
/// ...
/// tracker.advance(now_ms);                 // abandons journeys inactive for abandon_after_ms
/// cxm::journey_report r = tracker.report();
/// ```
///
/// @par Time
/// The tracker has no clock: events carry their timestamps and the host calls `advance(now)`.
/// Within a journey, events are buffered and applied in timestamp order once they are older
/// than the newest event of the journey by `reorder_window_ms`, or when `advance(now)` passes
/// them, on eviction and on finish(): an event that arrives late by up to the window is applied
/// in its place. An event older than one already applied is rejected (`clock_backwards`). The
/// complete or abandon event is buffered like any other, so a journey closes once it is applied:
/// call `advance(now)` regularly (say every second, or every few thousand events of a stream)
/// so finished journeys leave the open set.
///
/// @par Journeys
/// A journey opens with its first event (any type but step_end, complete and abandon, which
/// are `unknown_journey` for a journey that is not open); its segment is the segment attributes
/// of that first event. It closes on complete, abandon, inactivity (advance), eviction or
/// finish(). Closed journeys are remembered (max_closed_journeys, least recently closed
/// forgotten first): later events for them are `journey_closed`, and survey responses for
/// them still find their step durations.
///
/// @par Bounded memory and eviction
/// At most `max_open_journeys` are open. Opening one more evicts the least recently active open
/// journey (by arrival of its last event): its buffered events are applied and it is closed as
/// abandoned, counted in `evicted`. Per journey the buffer holds at most 256 events; beyond
/// that, the oldest is applied early.
///
/// @par Rejections
/// `record` returns the reason of an immediate rejection (unknown step or touchpoint, a
/// missing id, a late or closed event, a wait over a year); `journey_error::none` means
/// accepted. Errors found when a buffered event is applied (begin twice, end without begin,
/// double end, a step over a year) are only counted. Either way the event changes nothing.
///
/// @par Cost
/// `record` hashes the id, finds the journey in an open-addressing table, appends to an
/// activity queue and to the journey's buffer (four events fit inside the journey's state),
/// and applies what the window releases. About 770 instructions per event including open,
/// close and advance (bench/README.md: 3.6-5.9 M events/s on one core). Journey states and
/// their step states are reused once the slots exist (max_open_journeys + max_closed_journeys
/// of them), so steady state allocates only for a new segment, channel, offer or message
/// value, a new (step, segment, channel) sketch, or a journey buffering more than four events.
/// Memory is about 0.75 KB per remembered journey with a seven-step definition, plus the
/// activity queue (at most 4 x open + 256 entries of 16 bytes).
///
/// @par Thread safety
/// None: one tracker per thread; merge their reports.
class CXM_API journey_tracker {
 public:
  /// A tracker for `definition` (validated again). Errors: those of `validate()`, and
  /// `invalid_argument` for bad sketch options.
  static result<journey_tracker> make(journey_definition definition, journey_tracker_options options = {});
  ~journey_tracker();
  journey_tracker(journey_tracker&&) noexcept;
  journey_tracker& operator=(journey_tracker&&) noexcept;

  /// Accepts (buffers) or rejects one event; see the class notes. noexcept apart from
  /// allocation failure, which terminates.
  journey_error record(const journey_event& e) noexcept;

  /// Records a duration measured by the app (e.g. `step_timer`) for `step`, outside any
  /// journey: into the step's sketch for `segment_key` (see journey_report.hpp) and `channel`.
  journey_error record_duration(std::string_view step, std::string_view channel, std::string_view segment_key,
                                double duration_ms) noexcept;

  /// Attaches a survey response carrying a step (others are ignored and return
  /// `unknown_step`): its NPS, CES and emotion answers to that step's question tallies, each
  /// judged by `score_answer` (a bad answer counts as invalid by reason and is appended to
  /// `problems` when given, with path "answers.<question>"), and its NPS by the duration band of
  /// that step in the respondent's journey when the journey is open or remembered and the step
  /// ended (an open journey's answer waits until the journey closes). A response id seen before
  /// is ignored (`duplicate`... counted once): see `responses_duplicate` in the report.
  journey_error add_response(const response_view& r, std::vector<problem>* problems = nullptr);

  /// Time passes: applies buffered events older than now - reorder_window_ms and abandons
  /// journeys whose newest event is abandon_after_ms or more before `now_ms`. O(open journeys).
  void advance(std::int64_t now_ms);

  /// End of input: applies every buffered event and closes every open journey as unfinished.
  void finish();

  /// The report of everything closed so far (open journeys are not in it yet; call finish()
  /// first for a final report). Allocates.
  journey_report report() const;

  std::size_t open_journeys() const noexcept;
  const journey_definition& definition() const noexcept;
  /// Events counted by reason so far.
  std::uint64_t rejected(journey_error e) const noexcept;

 private:
  struct impl;
  explicit journey_tracker(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

/// Feeds a reader's events to a tracker: `reader.feed(bytes, sink)`. With `advance_every`
/// > 0 it also lets time pass as a stream host should: after every that many events it calls
/// `advance(now)`, now being the newest timestamp of an accepted event, so finished journeys
/// close while reading (event time: one accepted event stamped far ahead moves now for all).
class CXM_API journey_tracker_sink final : public journey_event_sink {
 public:
  explicit journey_tracker_sink(journey_tracker& t, std::uint64_t advance_every = 0) noexcept
      : tracker_(t), advance_every_(advance_every) {}
  void on_event(const journey_event& e) override {
    if (tracker_.record(e) == journey_error::none && e.timestamp_ms > now_ms_) now_ms_ = e.timestamp_ms;
    if (advance_every_ != 0 && ++events_ % advance_every_ == 0 && now_ms_ != INT64_MIN) tracker_.advance(now_ms_);
  }

 private:
  journey_tracker& tracker_;
  std::uint64_t advance_every_;
  std::uint64_t events_ = 0;
  std::int64_t now_ms_ = INT64_MIN;
};

/// Attaches a response reader's survey responses to a tracker's journeys (`add_response`):
/// `reader.feed(bytes, sink)`.
class CXM_API journey_response_sink final : public response_sink {
 public:
  explicit journey_response_sink(journey_tracker& t) noexcept : tracker_(t) {}
  /// Always takes the record: what the tracker did with it (attached, duplicate_response,
  /// unknown_journey...) is the tracker's verdict, counted in its report.
  bool on_response(const response_view& r, std::vector<problem>& problems) override {
    (void)tracker_.add_response(r, &problems);
    return true;
  }

 private:
  journey_tracker& tracker_;
};

CXM_END_NAMESPACE

#endif  // CXM_JOURNEY_TRACKER_HPP
