// SPDX-License-Identifier: MIT
// The C ABI of journeys (cxm.h): definition, tracker, report. Translation of cxm/journey only:
// events and responses go through the core's readers and sinks, reports through its codec.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capi/capi.hpp"
#include "cxm/journey/definition.hpp"
#include "cxm/journey/event_reader.hpp"
#include "cxm/journey/report.hpp"
#include "cxm/journey/tracker.hpp"
#include "cxm/survey/response_reader.hpp"
#include "io/json_writer.hpp"
#include "io/problem_json.hpp"

namespace capi = cxm::capi;

namespace {

// The arguments of the JSON Lines calls; clears the optional outputs.
cxm_status check_lines(const char* function, const cxm_journey_tracker* tracker, const char* jsonl, std::size_t len,
                       cxm_jsonl_stats* stats, char** problems, std::size_t* problems_len,
                       std::string_view& text) noexcept {
  if (stats != nullptr) *stats = cxm_jsonl_stats{};
  capi::clear(problems);
  if (problems_len != nullptr) *problems_len = 0;
  if (tracker == nullptr) return capi::null_argument(function, "tracker");
  return capi::text_argument(function, "jsonl", jsonl, len, text);
}

// A reader's kept problems as JSON, when asked for.
cxm_status give_problems(const std::vector<cxm::problem>& kept, char** out, std::size_t* out_len) {
  if (out == nullptr) return CXM_OK;
  cxm::detail::json_writer w;
  cxm::detail::write_problems(w, kept);
  return capi::give_string(w.str(), out, out_len);
}

// Both JSON Lines entry points: the reader of the lines, the sink that hands them to the
// tracker, and which reader counter is "records" (events, responses) differ; nothing else.
template <class Reader, class Sink, class Records>
cxm_status read_lines(const char* function, cxm_journey_tracker* tracker, const char* jsonl, std::size_t len,
                      cxm_jsonl_stats* stats, char** problems, std::size_t* problems_len, Records records) {
  std::string_view text;
  if (const cxm_status s = check_lines(function, tracker, jsonl, len, stats, problems, problems_len, text);
      s != CXM_OK)
    return s;
  return capi::guard([&] {
    Reader reader;
    Sink sink(tracker->value);
    reader.feed(text, sink);
    reader.finish(sink);
    if (stats != nullptr) {
      const auto& st = reader.stats();
      *stats = {st.lines, st.blank_lines, records(st), st.rejected_lines, reader.error_count()};
    }
    return give_problems(reader.errors(), problems, problems_len);
  });
}

}  // namespace

extern "C" {

// ---- definition ----------------------------------------------------------------------------

CXM_C_API cxm_status cxm_journey_definition_from_json(const char* json, std::size_t len,
                                                      cxm_journey_definition** out) {
  capi::clear(out);
  if (out == nullptr) return capi::null_argument(__func__, "out");
  std::string_view text;
  if (const cxm_status s = capi::text_argument(__func__, "json", json, len, text); s != CXM_OK) return s;
  return capi::guard([&] {
    auto r = cxm::journey_definition_from_json(text);
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

CXM_C_API void cxm_journey_definition_destroy(cxm_journey_definition* definition) { delete definition; }

CXM_C_API cxm_status cxm_journey_definition_to_json(const cxm_journey_definition* definition, char** out,
                                                    std::size_t* out_len) {
  capi::clear(out);
  if (out_len != nullptr) *out_len = 0;
  if (definition == nullptr) return capi::null_argument(__func__, "definition");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] { return capi::give_string(cxm::to_json(definition->value), out, out_len); });
}

// ---- tracker -------------------------------------------------------------------------------

CXM_C_API cxm_status cxm_journey_tracker_create(const cxm_journey_definition* definition, cxm_journey_tracker** out) {
  capi::clear(out);
  if (definition == nullptr) return capi::null_argument(__func__, "definition");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    auto r = cxm::journey_tracker::make(definition->value);
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

CXM_C_API void cxm_journey_tracker_destroy(cxm_journey_tracker* tracker) { delete tracker; }

CXM_C_API cxm_status cxm_journey_tracker_add_events(cxm_journey_tracker* tracker, const char* jsonl, std::size_t len,
                                                    cxm_jsonl_stats* stats, char** problems,
                                                    std::size_t* problems_len) {
  return read_lines<cxm::journey_event_reader, cxm::journey_tracker_sink>(
      __func__, tracker, jsonl, len, stats, problems, problems_len,
      [](const cxm::journey_reader_stats& st) { return st.events; });
}

CXM_C_API cxm_status cxm_journey_tracker_add_responses(cxm_journey_tracker* tracker, const char* jsonl,
                                                       std::size_t len, cxm_jsonl_stats* stats, char** problems,
                                                       std::size_t* problems_len) {
  return read_lines<cxm::response_reader, cxm::journey_response_sink>(
      __func__, tracker, jsonl, len, stats, problems, problems_len,
      [](const cxm::reader_stats& st) { return st.responses; });
}

CXM_C_API cxm_status cxm_journey_tracker_advance(cxm_journey_tracker* tracker, std::int64_t now_ms) {
  if (tracker == nullptr) return capi::null_argument(__func__, "tracker");
  return capi::guard([&] {
    tracker->value.advance(now_ms);
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_journey_tracker_finish(cxm_journey_tracker* tracker) {
  if (tracker == nullptr) return capi::null_argument(__func__, "tracker");
  return capi::guard([&] {
    tracker->value.finish();
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_journey_tracker_open_journeys(const cxm_journey_tracker* tracker, std::uint64_t* out) {
  if (out != nullptr) *out = 0;
  if (tracker == nullptr) return capi::null_argument(__func__, "tracker");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] {
    *out = tracker->value.open_journeys();
    return CXM_OK;
  });
}

CXM_C_API cxm_status cxm_journey_tracker_report(const cxm_journey_tracker* tracker, cxm_journey_report** out) {
  capi::clear(out);
  if (tracker == nullptr) return capi::null_argument(__func__, "tracker");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] { return capi::make_handle(tracker->value.report(), out); });
}

// ---- report --------------------------------------------------------------------------------

CXM_C_API cxm_status cxm_journey_report_from_json(const char* json, std::size_t len, cxm_journey_report** out) {
  capi::clear(out);
  if (out == nullptr) return capi::null_argument(__func__, "out");
  std::string_view text;
  if (const cxm_status s = capi::text_argument(__func__, "json", json, len, text); s != CXM_OK) return s;
  return capi::guard([&] {
    auto r = cxm::journey_report_from_json(text);
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

CXM_C_API void cxm_journey_report_destroy(cxm_journey_report* report) { delete report; }

CXM_C_API cxm_status cxm_journey_report_to_json(const cxm_journey_report* report, char** out, std::size_t* out_len) {
  capi::clear(out);
  if (out_len != nullptr) *out_len = 0;
  if (report == nullptr) return capi::null_argument(__func__, "report");
  if (out == nullptr) return capi::null_argument(__func__, "out");
  return capi::guard([&] { return capi::give_string(cxm::to_json(report->value), out, out_len); });
}

CXM_C_API cxm_status cxm_journey_report_merge(cxm_journey_report* report, const cxm_journey_report* other) {
  if (report == nullptr) return capi::null_argument(__func__, "report");
  if (other == nullptr) return capi::null_argument(__func__, "other");
  return capi::guard([&] {
    std::optional<cxm::journey_report> copy;
    return capi::from(report->value.merge(capi::merge_source(report->value, other->value, copy)));
  });
}

}  // extern "C"
