// SPDX-License-Identifier: MIT
// `cxm report`: its options, and the run: every file through one response reader into one
// scorer, then the report on standard output and a note per file with problems on stderr.
#include "report_command.hpp"

#include <cstdint>
#include <cstdio>
#include <utility>

#include <cxm/cxm.hpp>

#include "messages.hpp"
#include "progress.hpp"
#include "read_input.hpp"
#include "report.hpp"

namespace cxm_cli {
namespace {

// A usage error found after parsing (a value CLI11 cannot check): said like CLI11's own.
int usage(const std::string& what) {
  std::fprintf(stderr, "cxm report: %s\nRun with --help for more information.\n", what.c_str());
  return exit_usage;
}

}  // namespace

int run_report(const report_command_options& o) {
  if (!(o.level > 0 && o.level < 1)) return usage("--level " + std::to_string(o.level) + ": must be in (0,1)");
  cxm::survey_scorer scorer;
  report_options options;
  options.level = o.level;
  options.max_errors_shown = o.errors;
  options.method = o.method == "wald" ? cxm::interval_method::wald
                   : o.method == "score" ? cxm::interval_method::score
                                         : cxm::interval_method::adjusted_wald;
  std::string ces = o.ces;
  const bool ces5 = ces.size() > 2 && ces.compare(ces.size() - 2, 2, ":5") == 0;
  if (ces5) ces.resize(ces.size() - 2);
  std::vector<std::string> by = o.by;
  if (by.empty()) by = {"channel", "step", "segment.customer", "segment.age"};

  if (!o.nps.empty() && !scorer.add_nps_question(o.nps)) return usage("--nps " + o.nps + ": not a question id");
  if (!ces.empty() && !scorer.add_question(ces, cxm::question_type::ces, ces5 ? cxm::scale::ces5() : cxm::scale::ces7()))
    return usage("--ces " + o.ces + ": not a question id, or the same question twice");
  if (!o.csat.empty() && !scorer.add_question(o.csat, cxm::question_type::csat, cxm::scale::csat5()))
    return usage("--csat " + o.csat + ": not a question id, or the same question twice");
  for (const auto& d : by)
    if (!scorer.add_breakdown(d))
      return usage("--by " + printable(d) + ": unknown breakdown; valid: channel, step, survey_id, journey_id, "
                   "segment.NAME");

  // One reader for all the files, so a response id repeated in another file is still a
  // duplicate; its line numbers run on across files and are mapped back to each file's own.
  const cxm::reader_options reader_options;
  cxm::response_reader reader(reader_options);
  std::vector<report_input> inputs;
  std::uint64_t records = 0, problems = 0, bytes_before = 0;
  progress meter(o.files, !o.no_progress);
  for (const auto& f : o.files) {
    const cxm::reader_stats before = reader.stats();
    const std::uint64_t problems_before = reader.error_count();
    const input_result r = read_input(f, reader, scorer, reader_options.max_line_bytes, [&](std::uint64_t bytes) {
      meter.update(bytes_before + bytes, reader.stats().responses);
    });
    if (!r.ok()) {
      meter.done();
      std::fprintf(stderr, "cxm: %s: %s\n", display_name(f).c_str(), r.error.c_str());
      return exit_no_input;
    }
    bytes_before += r.bytes;
    const cxm::reader_stats& after = reader.stats();
    report_input in;
    in.file = f;
    in.first_line = before.lines;
    in.counts.bytes = r.bytes;
    in.counts.lines = after.lines - before.lines;
    in.counts.blank_lines = after.blank_lines - before.blank_lines;
    in.counts.records = after.responses - before.responses;
    in.counts.rejected_lines = after.rejected_lines - before.rejected_lines;
    in.counts.problems = reader.error_count() - problems_before;
    records += in.counts.records;
    problems += in.counts.problems;
    inputs.push_back(std::move(in));
  }
  meter.done();
  for (const auto& in : inputs) {
    const cxm::problem* first = first_problem(in, reader);
    note_input(in.file, "responses", in.counts, first, first ? first->line - in.first_line : 0);
  }
  if (records == 0 && problems == 0) return exit_no_input;  // nothing to score, said above
  print_report(stdout, inputs, scorer, reader, options);
  return problems > 0 ? exit_problems : exit_ok;
}

}  // namespace cxm_cli
