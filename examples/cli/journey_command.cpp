// SPDX-License-Identifier: MIT
// `cxm journey` and `cxm journey-merge`: stream journey events (and survey responses) through a
// journey_tracker, or merge saved journey reports, and print the report as text or JSON.
#include "journey_command.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <cxm/cxm.hpp>
#include <cxm/journey.hpp>
#include <cxm/journey/event_reader.hpp>
#include <cxm/journey/report.hpp>
#include <cxm/journey/tracker.hpp>
#include <cxm/survey/response_reader.hpp>

#include "messages.hpp"
#include "progress.hpp"
#include "read_input.hpp"

namespace cxm_cli {
namespace {

unsigned long long ull(std::uint64_t v) { return static_cast<unsigned long long>(v); }

double pct(std::uint64_t part, std::uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

// A bad line of one input file.
struct file_problem {
  std::string file;
  cxm::problem error;
};

// What the inputs looked like, for the header and the problems section of the text report.
struct input_summary {
  std::vector<std::string> header;  // lines printed under the title
  std::vector<file_problem> problems;
  std::uint64_t problem_count = 0;  // all bad lines, also those beyond the kept ones
  std::size_t max_problems_shown = 20;
};

// Journey definitions and reports are read whole, up to the largest the core decodes (a
// report's limit; a definition over its own smaller limit is refused by the core, by name).
constexpr std::size_t max_document_bytes = cxm::journey_report_json_limits.max_bytes;

// Reads a definition or report file; false (after saying why, naming the file) if it cannot.
bool read_document_or_say(const std::string& file, std::string& text) {
  const input_result r = read_document(file, text, max_document_bytes);
  if (r.ok()) return true;
  std::fprintf(stderr, "cxm: %s: %s\n", display_name(file).c_str(), r.error.c_str());
  return false;
}

// Streams one JSON Lines input (a fresh reader per file: line numbers are the file's) into
// `sink`, adds its line to the header and its problems to `in`, and notes problems or a lack
// of records on stderr. False (after saying why) if the file could not be read.
template <class Reader, class Options, class Sink>
bool read_lines(const char* what, const char* records, const std::string& file, Sink& sink, input_summary& in,
                input_counts& counts, progress& meter, std::uint64_t& bytes_before) {
  const Options options;
  Reader reader(options);
  const input_result r = read_input(file, reader, sink, options.max_line_bytes, [&](std::uint64_t bytes) {
    const auto& st = reader.stats();
    if constexpr (std::is_same_v<Reader, cxm::response_reader>) meter.update(bytes_before + bytes, st.responses);
    else meter.update(bytes_before + bytes, st.events);
  });
  bytes_before += r.bytes;
  if (!r.ok()) {
    meter.done();
    std::fprintf(stderr, "cxm: %s: %s\n", display_name(file).c_str(), r.error.c_str());
    return false;
  }
  const auto& st = reader.stats();
  counts.bytes = r.bytes;
  counts.lines = st.lines;
  counts.blank_lines = st.blank_lines;
  counts.rejected_lines = st.rejected_lines;
  counts.problems = reader.error_count();
  if constexpr (std::is_same_v<Reader, cxm::response_reader>) counts.records = st.responses;
  else counts.records = st.events;
  std::string line = std::string(what) + " " + display_name(file) + ": " + std::to_string(st.lines) + " lines, " +
                     std::to_string(counts.records) + " " + records + " read, " + std::to_string(st.rejected_lines) +
                     " lines rejected";
  if (counts.records == 0 && counts.rejected_lines > 0) line += ": no valid record";
  in.header.push_back(std::move(line));
  in.problem_count += reader.error_count();
  for (const auto& e : reader.errors()) {
    if (in.problems.size() >= in.max_problems_shown) break;
    in.problems.push_back({file, e});
  }
  note_input(file, records, counts, reader.errors().empty() ? nullptr : &reader.errors().front(),
             reader.errors().empty() ? 0 : reader.errors().front().line);
  return true;
}

// "850ms", "12.3s", "4.5min", "3.2h", "2.1d"
std::string format_ms(double ms) {
  char b[32];
  if (ms < 1000) std::snprintf(b, sizeof b, "%.0fms", ms);
  else if (ms < 60e3) std::snprintf(b, sizeof b, "%.1fs", ms / 1e3);
  else if (ms < 3600e3) std::snprintf(b, sizeof b, "%.1fmin", ms / 60e3);
  else if (ms < 86400e3) std::snprintf(b, sizeof b, "%.1fh", ms / 3600e3);
  else std::snprintf(b, sizeof b, "%.1fd", ms / 86400e3);
  return b;
}

std::string quantile_text(const cxm::duration_sketch& s, double q) {
  auto v = s.quantile(q);
  return v ? format_ms(*v) : std::string("-");
}

// "n=950  p50 12.3d  p90 20.1d  p99 31.0d"
void print_durations(std::FILE* out, const char* indent, const std::string& label, const cxm::duration_sketch& s) {
  std::fprintf(out, "%s%-18s n=%-6llu p50 %-8s p90 %-8s p99 %s\n", indent, label.c_str(), ull(s.count()),
               quantile_text(s, 0.5).c_str(), quantile_text(s, 0.9).c_str(), quantile_text(s, 0.99).c_str());
}

void print_effort(std::FILE* out, const std::string& label, const cxm::effort_components& c) {
  std::fprintf(out, "  %-28s %6.2f  journeys %-5llu contacts %-5llu recontacts %-4llu transfers %-4llu "
                    "switches %-4llu waits %-4llu (%s, %llu points) repeats %llu\n",
               label.c_str(), c.index(), ull(c.journeys), ull(c.contacts), ull(c.recontacts), ull(c.transfers),
               ull(c.channel_switches), ull(c.waits), format_ms(static_cast<double>(c.wait_ms)).c_str(),
               ull(c.wait_points), ull(c.repeats));
}

std::string segment_label(const std::string& key) { return key.empty() ? std::string("(no segment)") : printable(key); }
std::string channel_label(const std::string& ch) { return ch.empty() ? std::string("(no channel)") : printable(ch); }

std::string nps_text(const cxm::nps_tally& t) {
  if (t.empty()) return "NPS - n=0";
  char b[48];
  std::snprintf(b, sizeof b, "NPS %+6.1f n=%llu", t.score(), ull(t.total()));
  return b;
}

void print_totals(std::FILE* out, const cxm::journey_report& r) {
  const cxm::journey_segment_stats t = r.total();
  std::fprintf(out, "Journeys\n");
  std::fprintf(out, "  started %llu  completed %llu  abandoned %llu  timeout %llu  evicted %llu  unfinished %llu\n",
               ull(t.started), ull(t.completed), ull(t.abandoned), ull(t.abandoned_timeout), ull(t.evicted),
               ull(t.unfinished));
  const std::uint64_t finished = t.started >= t.unfinished ? t.started - t.unfinished : 0;
  std::fprintf(out, "  completion rate %.1f%% of started, %.1f%% of finished (not unfinished)\n",
               pct(t.completed, t.started), pct(t.completed, finished));
  std::fprintf(out, "  time to complete   n=%-6llu p50 %-8s p90 %s\n", ull(t.time_to_complete.count()),
               quantile_text(t.time_to_complete, 0.5).c_str(), quantile_text(t.time_to_complete, 0.9).c_str());
  if (r.segments.size() > 1) {
    std::fprintf(out, "  by segment:\n");
    for (const auto& [key, s] : r.segments)
      std::fprintf(out, "    %-28s started %-5llu completed %-5llu (%5.1f%%)  abandoned %-4llu timeout %-4llu "
                        "unfinished %llu\n",
                   segment_label(key).c_str(), ull(s.started), ull(s.completed), pct(s.completed, s.started),
                   ull(s.abandoned + s.evicted), ull(s.abandoned_timeout), ull(s.unfinished));
  }
}

void print_funnel(std::FILE* out, const cxm::journey_report& r) {
  std::fprintf(out, "\nFunnel (funnel steps; drop-off = furthest step of journeys that did not complete)\n");
  std::fprintf(out, "  %-18s %8s %8s %9s %9s\n", "step", "reached", "ended", "to next", "drop-off");
  const auto rows = r.funnel();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    char next[16] = "-";
    if (i + 1 < rows.size()) std::snprintf(next, sizeof next, "%.1f%%", 100 * row.conversion_to_next);
    std::fprintf(out, "  %-18s %8llu %8llu %9s %9llu\n", r.steps[row.step].name.c_str(), ull(row.reached),
                 ull(row.ended), next, ull(row.dropped));
  }
  // Detours are not funnel stages but still worth a count.
  const cxm::journey_segment_stats t = r.total();
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    if (r.steps[i].funnel || i >= t.reached.size()) continue;
    std::fprintf(out, "  %-18s %8llu %8llu %9s %9s  (detour)\n", r.steps[i].name.c_str(), ull(t.reached[i]),
                 ull(t.ended[i]), "", "");
  }
}

void print_step_durations(std::FILE* out, const cxm::journey_report& r) {
  std::fprintf(out, "\nStep durations (all segments; then by channel)\n");
  // (step, channel) -> the merge of that step's sketches over segments.
  std::map<std::pair<std::string, std::string>, cxm::duration_sketch> by_channel;
  for (const auto& [key, sketch] : r.durations) {
    auto it = by_channel.find({std::get<0>(key), std::get<2>(key)});
    if (it == by_channel.end()) by_channel.emplace(std::make_pair(std::get<0>(key), std::get<2>(key)), sketch);
    else (void)it->second.merge(sketch);  // same settings: never incompatible
  }
  for (const auto& step : r.steps) {
    const cxm::duration_sketch all = r.step_durations(step.name);
    if (all.empty()) continue;
    print_durations(out, "  ", step.name, all);
    for (auto it = by_channel.lower_bound({step.name, std::string()});
         it != by_channel.end() && it->first.first == step.name; ++it)
      print_durations(out, "      ", channel_label(it->first.second), it->second);
  }
}

void print_effort_section(std::FILE* out, const cxm::journey_report& r) {
  std::fprintf(out, "\nEffort index (1 transfer + 2 recontacts + 1 switch + 1 repeat + 1 per 5 min waited)\n");
  std::fprintf(out, " by segment (per finished journey):\n");
  for (const auto& [key, s] : r.segments) print_effort(out, segment_label(key), s.effort);
  std::fprintf(out, " by step (per journey reaching it):\n");
  for (std::size_t i = 0; i < r.steps.size() && i < r.step_effort.size(); ++i)
    if (r.step_effort[i].journeys > 0) print_effort(out, r.steps[i].name, r.step_effort[i]);
}

void print_touchpoints(std::FILE* out, const cxm::journey_report& r) {
  std::fprintf(out, "\nTouchpoints\n");
  const auto kinds = r.touchpoints_by_kind();
  for (const bool controlled : {true, false}) {
    const cxm::touchpoint_stats& k = kinds[controlled ? 0 : 1];
    std::fprintf(out, "  %s: %llu events, %llu journeys, %.1f%% of them completed\n",
                 controlled ? "controlled" : "uncontrolled", ull(k.events), ull(k.journeys),
                 pct(k.completed, k.journeys));
    for (const auto& [name, t] : r.touchpoints) {
      if (t.controlled != controlled) continue;
      std::fprintf(out, "    %-22s events %-6llu journeys %-5llu completed %-5llu (%5.1f%%)\n", name.c_str(),
                   ull(t.events), ull(t.journeys), ull(t.completed), pct(t.completed, t.journeys));
    }
  }
}

void print_consistency(std::FILE* out, const cxm::journey_report& r) {
  if (r.quotes.empty() && r.messages.empty()) return;
  std::fprintf(out, "\nCross-channel consistency\n");
  for (const auto& row : r.quote_consistency()) {
    std::fprintf(out, "  offer %-20s %zu channels, spread %.2f%s\n", row.key.c_str(), row.channels, row.spread,
                 row.inconsistent ? "  INCONSISTENT: channels quote different values" : "");
    const auto it = r.quotes.find(row.key);
    if (it == r.quotes.end()) continue;
    for (const auto& [channel, q] : it->second)
      std::fprintf(out, "    %-14s n=%-6llu min %.2f  max %.2f\n", channel_label(channel).c_str(), ull(q.count),
                   static_cast<double>(q.min) / 1e6, static_cast<double>(q.max) / 1e6);
  }
  for (const auto& row : r.message_consistency()) {
    std::fprintf(out, "  message %-18s %zu channels, %.0f distinct values%s\n", row.key.c_str(), row.channels,
                 row.spread, row.inconsistent ? "  INCONSISTENT: channels say different things" : "");
    const auto it = r.messages.find(row.key);
    if (it == r.messages.end()) continue;
    for (const auto& [channel, values] : it->second) {
      std::fprintf(out, "    %-14s", channel_label(channel).c_str());
      for (const auto& [value, n] : values) std::fprintf(out, " %s:%llu", printable(value).c_str(), ull(n));
      std::fprintf(out, "\n");
    }
  }
}

void print_survey(std::FILE* out, const cxm::journey_report& r) {
  std::fprintf(out, "\nSurvey by step (%llu responses attached, %llu naming no step, %llu without a duration, %llu repeated)\n",
               ull(r.responses_attached), ull(r.responses_unknown_step), ull(r.responses_without_duration),
               ull(r.responses_duplicate));
  for (std::size_t i = 0; i < r.steps.size() && i < r.survey.size(); ++i) {
    const cxm::step_survey& s = r.survey[i];
    if (s.nps.answered + s.ces.answered + s.emotion.answered + s.nps.invalid + s.ces.invalid + s.emotion.invalid == 0)
      continue;
    std::fprintf(out, "  %-18s %-18s", r.steps[i].name.c_str(), nps_text(s.nps.nps).c_str());
    if (s.ces.answered > 0)
      std::fprintf(out, "  CES %.2f n=%llu", s.ces.ratings.mean(), ull(s.ces.answered));
    if (s.emotion.answered > 0) {
      std::vector<std::pair<std::uint64_t, std::string>> top;
      for (std::size_t k = 0; k < s.emotion.choices.choices().size(); ++k)
        if (s.emotion.choices.counts()[k] > 0) top.emplace_back(s.emotion.choices.counts()[k], s.emotion.choices.choices()[k]);
      std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
      });
      std::fprintf(out, "  emotions");
      for (std::size_t k = 0; k < top.size() && k < 3; ++k)
        std::fprintf(out, " %s:%llu", top[k].second.c_str(), ull(top[k].first));
    }
    const std::uint64_t invalid = s.nps.invalid + s.ces.invalid + s.emotion.invalid;
    if (invalid > 0) std::fprintf(out, "  (%llu invalid answers)", ull(invalid));
    std::fprintf(out, "\n");
    // Are slow customers less happy? NPS at the step's median and p90, split by the core.
    const auto split = r.nps_by_duration(r.steps[i].name, {0.5, 0.9});
    if (!split) continue;
    std::fprintf(out, "    NPS by duration: up to %s %s | to %s %s | over %s %s\n",
                 format_ms(split->thresholds_ms[0]).c_str(), nps_text(split->groups[0]).c_str(),
                 format_ms(split->thresholds_ms[1]).c_str(), nps_text(split->groups[1]).c_str(),
                 format_ms(split->thresholds_ms[1]).c_str(), nps_text(split->groups[2]).c_str());
  }
}

void print_rejections(std::FILE* out, const cxm::journey_report& r, const input_summary& in) {
  if (r.rejected_total() > 0) {
    std::fprintf(out, "\nRejected events (%llu)\n", ull(r.rejected_total()));
    for (std::size_t e = 1; e < cxm::journey_error_count; ++e)
      if (r.rejected[e] > 0)
        std::fprintf(out, "  %-22s %llu\n", cxm::name(static_cast<cxm::journey_error>(e)), ull(r.rejected[e]));
  }
  if (in.problem_count > 0) {
    std::fprintf(out, "\nBad lines (%llu", ull(in.problem_count));
    if (in.problem_count > in.problems.size()) std::fprintf(out, ", first %zu shown", in.problems.size());
    std::fprintf(out, ")\n");
    for (const auto& p : in.problems)
      std::fprintf(out, "  %s: %s\n", display_name(p.file).c_str(), line_problem(p.error.line, p.error).c_str());
  }
}

void print_text(std::FILE* out, const cxm::journey_report& r, const input_summary& in) {
  std::fprintf(out, "cxm journey: %s revision %lld\n", r.journey_id.c_str(), static_cast<long long>(r.revision));
  for (const auto& line : in.header) std::fprintf(out, "  %s\n", line.c_str());
  std::fprintf(out, "  events: %llu accepted, %llu applied, %llu rejected\n\n", ull(r.events_accepted),
               ull(r.events_applied), ull(r.rejected_total()));
  print_totals(out, r);
  print_funnel(out, r);
  print_step_durations(out, r);
  print_effort_section(out, r);
  print_touchpoints(out, r);
  print_consistency(out, r);
  print_survey(out, r);
  print_rejections(out, r, in);
}

// The JSON has the rejection counts but not the reader's bad lines: those were noted on
// stderr file by file as the inputs were read.
void print_json(std::FILE* out, const cxm::journey_report& r) { std::fprintf(out, "%s\n", cxm::to_json(r).c_str()); }

// Streams the definition's tracker over the events, then attaches the responses: the one way
// both `cxm journey` and `cxm report --journey` make a journey report. exit_ok with `out` set,
// or the status after saying why.
int track(const journey_command_options& o, input_summary& in, cxm::journey_report& out) {
  std::vector<std::string> inputs = o.events;
  inputs.insert(inputs.end(), o.responses.begin(), o.responses.end());
  progress meter(inputs, !o.no_progress);
  std::uint64_t bytes_before = 0;
  const std::string& def_file = o.definition;
  std::string text;
  if (!read_document_or_say(def_file, text)) return exit_no_input;
  auto def = cxm::journey_definition_from_json(text);
  if (!def) {
    std::fprintf(stderr, "cxm: %s: not a journey definition: %s\n", display_name(def_file).c_str(),
                 printable(def.detail()).c_str());
    return exit_no_input;
  }
  auto made = cxm::journey_tracker::make(std::move(*def));
  if (!made) {
    std::fprintf(stderr, "cxm: %s: %s\n", display_name(def_file).c_str(), printable(made.detail()).c_str());
    return exit_no_input;
  }
  text = std::string();  // the definition's text is no longer needed
  cxm::journey_tracker tracker = std::move(*made);
  in.header.push_back("definition: " + display_name(def_file));

  // Time passes as events arrive (every 1000 events), so finished journeys close while reading.
  cxm::journey_tracker_sink events(tracker, 1000);
  std::uint64_t event_records = 0, event_problems = 0;
  for (const auto& file : o.events) {
    input_counts counts;
    if (!read_lines<cxm::journey_event_reader, cxm::journey_reader_options>("events", "events", file, events, in, counts,
                                                                          meter, bytes_before))
      return exit_no_input;
    event_records += counts.records;
    event_problems += counts.problems;
  }
  // Events are what a journey report is made of: none at all (empty or blank inputs) is no input.
  if (event_records == 0 && event_problems == 0) return exit_no_input;

  cxm::journey_response_sink responses(tracker);
  for (const auto& file : o.responses) {
    input_counts counts;
    if (!read_lines<cxm::response_reader, cxm::reader_options>("responses", "responses", file, responses, in, counts,
                                                              meter, bytes_before))
      return exit_no_input;
  }
  meter.done();

  tracker.finish();
  out = tracker.report();
  return exit_ok;
}

}  // namespace

int track_journey(const journey_command_options& o, cxm::journey_report& out) {
  input_summary in;
  in.max_problems_shown = o.errors;
  const int status = track(o, in, out);
  if (status != exit_ok) return status;
  return in.problem_count > 0 ? exit_problems : exit_ok;
}

int read_journey_report(const std::string& file, cxm::journey_report& out) {
  std::string text;
  if (!read_document_or_say(file, text)) return exit_no_input;
  auto r = cxm::journey_report_from_json(text);
  if (!r) {
    std::fprintf(stderr, "cxm: %s: not a journey report: %s\n", display_name(file).c_str(), printable(r.detail()).c_str());
    return exit_no_input;
  }
  out = std::move(*r);
  return exit_ok;
}

int journey_command(const journey_command_options& o) {
  input_summary in;
  in.max_problems_shown = o.errors;
  cxm::journey_report report;
  if (const int status = track(o, in, report); status != exit_ok) return status;
  if (o.json) print_json(stdout, report);
  else print_text(stdout, report, in);
  return in.problem_count > 0 ? exit_problems : exit_ok;
}

int journey_merge_command(const journey_merge_options& o) {
  const std::vector<std::string>& files = o.files;
  const bool json = o.json;
  cxm::journey_report merged;
  input_summary in;
  for (std::size_t f = 0; f < files.size(); ++f) {
    cxm::journey_report r;
    if (const int status = read_journey_report(files[f], r); status != exit_ok) return status;
    if (f == 0) merged = std::move(r);
    else if (cxm::status s = merged.merge(r); !s) {
      std::fprintf(stderr, "cxm: cannot merge %s into %s: %s (journey id, revision or steps differ)\n",
                   display_name(files[f]).c_str(), display_name(files[0]).c_str(), s.message());
      return exit_no_input;
    }
    in.header.push_back("report " + display_name(files[f]));
  }
  if (json) print_json(stdout, merged);
  else print_text(stdout, merged, in);
  return exit_ok;
}

}  // namespace cxm_cli
