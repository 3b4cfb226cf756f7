// SPDX-License-Identifier: MIT
// embind bindings of the journey tracker: definition, tracker, report. Translation only: events
// and responses cross as JSON text and go through the native readers (so JS and native validate
// them identically and report line errors the same way), results cross as JSON text that
// js/journey_*.mjs JSON.parse (every key an own property: a step or offer named "__proto__"
// stays data), statuses as their errc int code. No exception crosses. js/journey_*.mjs validate
// every argument before it gets here; the numbers this layer takes are range-checked again.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "binding.hpp"
#include "cxm/core/status.hpp"
#include "cxm/journey/definition.hpp"
#include "cxm/journey/event.hpp"
#include "cxm/journey/event_reader.hpp"
#include "cxm/journey/report.hpp"
#include "cxm/journey/tracker.hpp"
#include "cxm/sketch/duration_sketch_codec.hpp"
#include "cxm/survey/response_reader.hpp"

namespace {

using cxm_wasm::code_of;
using cxm_wasm::made;
using emscripten::val;
using writer = cxm_wasm::json_writer;

// ---- definition ------------------------------------------------------------------------------

val parse_definition(const std::string& text) { return made(cxm::journey_definition_from_json(text), "definition"); }

std::string definition_json(const cxm::journey_definition& d) { return cxm::to_json(d); }

// ---- tracker ---------------------------------------------------------------------------------

/// The tracker (move-only) behind a copy-free handle; made from a validated definition.
struct tracker_box {
  std::unique_ptr<cxm::journey_tracker> t;
};

val make_tracker(const cxm::journey_definition& d) {
  auto r = cxm::journey_tracker::make(d);
  val o = cxm_wasm::reply(r.code(), r.ok() ? std::string() : r.detail());
  if (r.ok()) {
    tracker_box box;
    box.t = std::make_unique<cxm::journey_tracker>(std::move(r).value());
    o.set("tracker", val(std::move(box)));
  }
  return o;
}

/// Counts the tracker's verdicts on the events a reader hands over.
class counting_sink final : public cxm::journey_event_sink {
 public:
  explicit counting_sink(cxm::journey_tracker& t) noexcept : t_(t) {}
  void on_event(const cxm::journey_event& e) override {
    const cxm::journey_error r = t_.record(e);
    ++verdicts[static_cast<std::size_t>(r)];
    if (r != cxm::journey_error::none && rejections.size() < 1000) rejections.push_back({e.line, r});
  }
  std::uint64_t verdicts[cxm::journey_error_count] = {};
  std::vector<std::pair<std::uint64_t, cxm::journey_error>> rejections;

 private:
  cxm::journey_tracker& t_;
};

void write_line_errors(writer& w, const std::vector<cxm::problem>& errors) {
  w.begin_array();
  for (const cxm::problem& e : errors) {
    w.begin_object().key("line").value(e.line).key("code").value(code_of(e.code));
    w.key("codeName").value(cxm::name(e.code)).key("path").value(e.path).key("reason").value(e.reason);
    w.end_object();
  }
  w.end_array();
}

// JSON Lines of events through the native reader into the tracker. JSON text:
// {lines, events, accepted, rejected, rejectedLines, rejectedByTracker:{name:n},
//  errors:[{line, code, codeName, field, reason}], trackerErrors:[{line, reason}], errorCount}
std::string add_events_jsonl(tracker_box& box, const std::string& text) {
  cxm::journey_event_reader reader;
  counting_sink sink(*box.t);
  reader.feed(text, sink);
  reader.finish(sink);
  const auto& st = reader.stats();
  std::uint64_t by_tracker = 0;
  for (std::size_t i = 1; i < cxm::journey_error_count; ++i) by_tracker += sink.verdicts[i];
  writer w;
  w.begin_object();
  w.key("lines").value(st.lines).key("events").value(st.events);
  w.key("accepted").value(sink.verdicts[0]).key("rejected").value(st.rejected_lines + by_tracker);
  w.key("rejectedLines").value(st.rejected_lines);
  w.key("rejectedByTracker").begin_object();
  for (std::size_t i = 1; i < cxm::journey_error_count; ++i)
    if (sink.verdicts[i] != 0) w.key(cxm::name(static_cast<cxm::journey_error>(i))).value(sink.verdicts[i]);
  w.end_object();
  w.key("errors");
  write_line_errors(w, reader.errors());
  w.key("errorCount").value(reader.error_count());
  w.key("trackerErrors").begin_array();
  for (const auto& [line, reason] : sink.rejections)
    w.begin_object().key("line").value(line).key("reason").value(cxm::name(reason)).end_object();
  w.end_array();
  w.end_object();
  return w.take();
}

/// Attaches each structurally valid response to the tracker, counting the verdicts.
class response_sink final : public cxm::response_sink {
 public:
  explicit response_sink(cxm::journey_tracker& t) noexcept : t_(t) {}
  bool on_response(const cxm::response_view& r, std::vector<cxm::problem>& problems) override {
    const cxm::journey_error e = t_.add_response(r, &problems);
    ++verdicts[static_cast<std::size_t>(e)];
    last = e;
    return true;  // the tracker's verdict (duplicate_response too) is counted above
  }
  std::uint64_t verdicts[cxm::journey_error_count] = {};
  cxm::journey_error last = cxm::journey_error::none;

 private:
  cxm::journey_tracker& t_;
};

// JSON Lines of survey responses. JSON text:
// {lines, responses, attached, rejectedLines, notAttached:{name:n}, errors:[...], errorCount, last}
std::string attach_responses_jsonl(tracker_box& box, const std::string& text) {
  cxm::response_reader reader;
  response_sink sink(*box.t);
  reader.feed(text, sink);
  reader.finish(sink);
  const auto& st = reader.stats();
  std::uint64_t responses = 0;
  for (const std::uint64_t v : sink.verdicts) responses += v;
  writer w;
  w.begin_object();
  w.key("lines").value(st.lines).key("responses").value(responses);
  w.key("attached").value(sink.verdicts[0]).key("rejectedLines").value(st.rejected_lines);
  w.key("notAttached").begin_object();
  for (std::size_t i = 1; i < cxm::journey_error_count; ++i)
    if (sink.verdicts[i] != 0) w.key(cxm::name(static_cast<cxm::journey_error>(i))).value(sink.verdicts[i]);
  w.end_object();
  w.key("errors");
  write_line_errors(w, reader.errors());
  w.key("errorCount").value(reader.error_count());
  w.key("last").value(cxm::name(sink.last));
  w.end_object();
  return w.take();
}

int advance(tracker_box& box, double now_ms) {
  std::int64_t now = 0;
  if (!cxm_wasm::safe_int_of(now_ms, now)) return code_of(cxm::errc::invalid_argument);
  box.t->advance(now);
  return 0;
}
void finish(tracker_box& box) { box.t->finish(); }
double open_journeys(const tracker_box& box) { return static_cast<double>(box.t->open_journeys()); }
cxm::journey_report report(const tracker_box& box) { return box.t->report(); }

// ---- report ----------------------------------------------------------------------------------

val report_from_json(const std::string& text) { return made(cxm::journey_report_from_json(text), "report"); }

std::string report_to_json(const cxm::journey_report& r) { return cxm::to_json(r); }

int report_merge(cxm::journey_report& r, const cxm::journey_report& other) { return code_of(r.merge(other)); }

bool report_equals(const cxm::journey_report& a, const cxm::journey_report& b) { return a == b; }

void write_sketch(writer& w, const cxm::duration_sketch& s) {
  static constexpr double qs[] = {0.5, 0.75, 0.9, 0.95, 0.99};
  static constexpr const char* names[] = {"p50", "p75", "p90", "p95", "p99"};
  w.begin_object().key("count").value(s.count());
  if (s.count() == 0) {
    w.key("sum").value(0.0).key("min").null().key("max").null().key("mean").null();
    for (const char* n : names) w.key(n).null();
  } else {
    w.key("sum").value(s.sum()).key("min").value(s.min()).key("max").value(s.max()).key("mean").value(s.mean());
    for (std::size_t i = 0; i < 5; ++i) {
      const auto q = s.quantile(qs[i]);
      w.key(names[i]);
      if (q.ok()) w.value(q.value());
      else w.null();
    }
  }
  w.end_object();
}

void write_effort(writer& w, const cxm::effort_components& e) {
  w.begin_object();
  w.key("journeys").value(e.journeys).key("index").value(e.index()).key("contacts").value(e.contacts);
  w.key("recontacts").value(e.recontacts).key("transfers").value(e.transfers);
  w.key("channelSwitches").value(e.channel_switches).key("waits").value(e.waits).key("waitMs").value(e.wait_ms);
  w.key("waitPoints").value(e.wait_points).key("repeats").value(e.repeats);
  w.end_object();
}

void write_outcomes(writer& w, const cxm::journey_segment_stats& s) {
  w.key("started").value(s.started).key("completed").value(s.completed).key("abandoned").value(s.abandoned);
  w.key("abandonedTimeout").value(s.abandoned_timeout).key("evicted").value(s.evicted);
  w.key("unfinished").value(s.unfinished);
}

void write_consistency(writer& w, const std::vector<cxm::consistency_row>& rows) {
  w.begin_array();
  for (const auto& c : rows) {
    w.begin_object().key("key").value(c.key).key("channels").value(static_cast<std::uint64_t>(c.channels));
    w.key("inconsistent").value(c.inconsistent).key("spread").value(c.spread).end_object();
  }
  w.end_array();
}

// The plain summary of JourneyReport.toJSON() (journey_report.mjs): outcomes, funnel, per-step durations with
// quantiles, effort (total, per segment, per step), touchpoints, consistency, survey counts.
std::string report_summary(const cxm::journey_report& r) {
  writer w;
  w.begin_object();
  w.key("journey").begin_object().key("id").value(r.journey_id);
  w.key("revision").number(static_cast<double>(r.revision)).end_object();
  w.key("events").begin_object().key("accepted").value(r.events_accepted);
  w.key("applied").value(r.events_applied).end_object();
  w.key("rejected").begin_object();
  for (std::size_t i = 1; i < cxm::journey_error_count; ++i)
    w.key(cxm::name(static_cast<cxm::journey_error>(i))).value(r.rejected[i]);
  w.end_object();
  const cxm::journey_segment_stats total = r.total();
  w.key("outcomes").begin_object();
  write_outcomes(w, total);
  w.end_object();
  w.key("timeToComplete");
  write_sketch(w, total.time_to_complete);
  w.key("funnel").begin_array();
  for (const cxm::funnel_row& f : r.funnel()) {
    w.begin_object().key("step").value(r.steps[f.step].name).key("reached").value(f.reached);
    w.key("ended").value(f.ended).key("conversionToNext").value(f.conversion_to_next);
    w.key("dropped").value(f.dropped).end_object();
  }
  w.end_array();
  w.key("steps").begin_array();
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const auto& s = r.steps[i];
    w.begin_object().key("name").value(s.name).key("stage").value(s.stage).key("touchpoint").value(s.touchpoint);
    w.key("channel").value(s.channel).key("controlled").value(s.controlled).key("funnel").value(s.funnel);
    w.key("duration");
    write_sketch(w, r.step_durations(s.name));
    w.key("effort");
    write_effort(w, i < r.step_effort.size() ? r.step_effort[i] : cxm::effort_components{});
    w.end_object();
  }
  w.end_array();
  w.key("effort");
  write_effort(w, total.effort);
  w.key("effortIndex");
  write_sketch(w, total.effort_index);
  w.key("segments").begin_object();
  for (const auto& [key, s] : r.segments) {
    w.key(key).begin_object();
    write_outcomes(w, s);
    w.key("effort");
    write_effort(w, s.effort);
    w.end_object();
  }
  w.end_object();
  w.key("touchpoints").begin_object();
  for (const auto& [name, t] : r.touchpoints) {
    w.key(name).begin_object().key("controlled").value(t.controlled).key("events").value(t.events);
    w.key("journeys").value(t.journeys).key("completed").value(t.completed).end_object();
  }
  w.end_object();
  w.key("consistency").begin_object().key("quotes");
  write_consistency(w, r.quote_consistency());
  w.key("messages");
  write_consistency(w, r.message_consistency());
  w.end_object();
  w.key("survey").begin_object().key("attached").value(r.responses_attached);
  w.key("unknownStep").value(r.responses_unknown_step).key("withoutDuration").value(r.responses_without_duration);
  w.key("duplicate").value(r.responses_duplicate);
  w.key("steps").begin_array();
  for (std::size_t i = 0; i < r.survey.size() && i < r.steps.size(); ++i) {
    const cxm::step_survey& s = r.survey[i];
    w.begin_object().key("step").value(r.steps[i].name).key("npsCount").value(s.nps.answered);
    w.key("nps");
    if (s.nps.answered == 0) w.null();
    else w.value(s.nps.nps.score());
    w.key("cesCount").value(s.ces.answered).key("ces");
    if (s.ces.answered == 0) w.null();
    else w.value(s.ces.ratings.mean());
    w.key("invalid").value(s.nps.invalid + s.ces.invalid + s.emotion.invalid);
    w.key("emotions").begin_object();
    for (std::size_t k = 0; k < s.emotion.choices.choices().size(); ++k)
      if (s.emotion.choices.counts()[k] != 0) w.key(s.emotion.choices.choices()[k]).value(s.emotion.choices.counts()[k]);
    w.end_object().end_object();
  }
  w.end_array().end_object();
  w.end_object();
  return w.take();
}

// The step's duration sketch (all segments and channels) in the sketch's JSON form, "" for an
// unknown step: lets JS hand it to a DurationSketch for any quantile.
std::string step_sketch_json(const cxm::journey_report& r, const std::string& step) {
  if (r.step_index(step) < 0) return std::string();
  return cxm::to_json(r.step_durations(step));
}

}  // namespace

EMSCRIPTEN_BINDINGS(cxm_journey) {
  using namespace emscripten;

  class_<cxm::journey_definition>("JourneyDefinition")
      .class_function("parse", &parse_definition)
      .function("toJson", &definition_json);

  class_<tracker_box>("JourneyTracker")
      .class_function("make", &make_tracker)
      .function("addEventsJsonl", &add_events_jsonl)
      .function("attachResponsesJsonl", &attach_responses_jsonl)
      .function("advance", &advance)
      .function("finish", &finish)
      .function("openJourneys", &open_journeys)
      .function("report", &report);

  class_<cxm::journey_report>("JourneyReport")
      .class_function("fromJson", &report_from_json)
      .function("toJson", &report_to_json)
      .function("summary", &report_summary)
      .function("merge", &report_merge)
      .function("equals", &report_equals)
      .function("stepSketchJson", &step_sketch_json);

  // The event types journey_tracker.mjs checks and the verdicts it reports; the readers' line
  // limits and the documents' limits, which the journey modules check before a text is copied
  // into wasm.
  using event_type = cxm::journey_event_type;
  using verdict = cxm::journey_error;
  cxm_wasm::publish_enum("journeyEventType", static_cast<event_type>(cxm::journey_event_type_count - 1));
  cxm_wasm::publish_enum("journeyError", static_cast<verdict>(cxm::journey_error_count - 1));
  cxm_wasm::publish_limit("eventLineBytes", static_cast<std::int64_t>(cxm::journey_reader_options{}.max_line_bytes));
  cxm_wasm::publish_limit("responseLineBytes", static_cast<std::int64_t>(cxm::reader_options{}.max_line_bytes));
  cxm_wasm::publish_json_limits("journeyDefinitionJsonBytes", "journeyDefinitionJsonDepth",
                                cxm::journey_definition_json_limits);
  cxm_wasm::publish_json_limits("journeyReportJsonBytes", "journeyReportJsonDepth", cxm::journey_report_json_limits);
}
