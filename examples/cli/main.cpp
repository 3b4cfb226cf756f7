// SPDX-License-Identifier: MIT
// cxm: the command-line tool. `cxm report FILE...` scores JSON Lines of survey responses and
// prints NPS, CES and CSAT with confidence intervals, broken down by channel, step and segment.
// `cxm journey` follows journeys through their events (journey_command.hpp).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <cxm/cxm.hpp>

#include "journey_command.hpp"
#include "serve_command.hpp"
#include "messages.hpp"
#include "read_input.hpp"
#include "report.hpp"

namespace {

constexpr const char* usage =
    "usage: cxm report [options] FILE...     score JSON Lines of responses ('-' reads stdin)\n"
    "       cxm journey [options] DEFINITION.json EVENTS.jsonl...   follow journeys ('-' reads stdin)\n"
    "       cxm journey-merge [--json] REPORT.json...   merge journey reports (from journey --json)\n"
    "       cxm serve --surveys DIR [options]   the collector: widget, /v1/responses, /v1/report\n"
    "                   (cxm serve --help lists its options; docs/server.md)\n"
    "       cxm version\n"
    "report options:\n"
    "  --nps Q          score question Q as NPS 0-10           (default: nps)\n"
    "  --ces Q[:5]      score Q as CES 1-7 (or legacy 1-5)      (default: ces)\n"
    "  --csat Q         score Q as CSAT 1-5                      (default: csat)\n"
    "  --by DIM         break down by channel, step, survey_id, journey_id or segment.NAME\n"
    "                   (default: channel, step, segment.customer, segment.age)\n"
    "  --level L        confidence level in (0,1)                (default: 0.95)\n"
    "  --method M       NPS interval: adjusted_wald, wald, score (default: adjusted_wald)\n"
    "  --errors N       problems to list                         (default: 20)\n"
    "journey options:\n"
    "  --responses FILE attach survey responses (JSON Lines) to their journeys; repeatable\n"
    "  --json           print the journey report JSON (mergeable) instead of text\n"
    "  --errors N       bad lines to list                        (default: 20)\n"
    "exit status (report, journey, journey-merge):\n"
    "  0  report printed; every input line was a good record\n"
    "  1  report printed; some lines or answers were rejected and are listed with file, line\n"
    "     and reason (also when no line was valid: the report then says \"no valid record\")\n"
    "  2  usage error: only this text is printed\n"
    "  3  no report: an input could not be opened or read (missing, a directory, permission\n"
    "     denied, a read error), a definition or report file is not one or will not merge, or\n"
    "     the inputs hold no record at all (empty or blank); stderr names the file and why\n";

int fail(const char* what, const std::string& arg) {
  std::fprintf(stderr, "cxm: %s: %s\n%s", what, arg.c_str(), usage);
  return cxm_cli::exit_usage;
}

int report(int argc, char** argv) {
  cxm::survey_scorer scorer;
  cxm_cli::report_options options;
  std::vector<std::string> files, by;
  std::string nps = "nps", ces = "ces", csat = "csat";
  bool ces5 = false;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&](std::string& out) {
      if (i + 1 >= argc) return false;
      out = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--nps") { if (!value(nps)) return fail("missing value", a); }
    else if (a == "--ces") {
      if (!value(ces)) return fail("missing value", a);
      ces5 = ces.size() > 2 && ces.compare(ces.size() - 2, 2, ":5") == 0;
      if (ces5) ces.resize(ces.size() - 2);
    }
    else if (a == "--csat") { if (!value(csat)) return fail("missing value", a); }
    else if (a == "--by") { if (!value(v)) return fail("missing value", a); by.push_back(v); }
    else if (a == "--level") {
      if (!value(v)) return fail("missing value", a);
      char* end = nullptr;
      options.level = std::strtod(v.c_str(), &end);
      if (*end != '\0' || !(options.level > 0 && options.level < 1)) return fail("level must be in (0,1)", v);
    }
    else if (a == "--method") {
      if (!value(v)) return fail("missing value", a);
      if (v == "adjusted_wald") options.method = cxm::interval_method::adjusted_wald;
      else if (v == "wald") options.method = cxm::interval_method::wald;
      else if (v == "score") options.method = cxm::interval_method::score;
      else return fail("unknown method", v);
    }
    else if (a == "--errors") {
      if (!value(v)) return fail("missing value", a);
      char* end = nullptr;
      options.max_errors_shown = std::strtoul(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || v[0] == '-') return fail("--errors needs a count", v);
    }
    else if (a.size() > 1 && a[0] == '-' && a != "-") return fail("unknown option", a);
    else files.push_back(a);
  }
  if (files.empty()) return fail("no input", "give at least one FILE");
  if (by.empty()) by = {"channel", "step", "segment.customer", "segment.age"};

  if (!nps.empty() && !scorer.add_nps_question(nps)) return fail("bad question", nps);
  if (!ces.empty() && !scorer.add_question(ces, cxm::question_type::ces, ces5 ? cxm::scale::ces5() : cxm::scale::ces7()))
    return fail("bad question", ces);
  if (!csat.empty() && !scorer.add_question(csat, cxm::question_type::csat, cxm::scale::csat5()))
    return fail("bad question", csat);
  for (const auto& d : by)
    if (!scorer.add_breakdown(d)) return fail("unknown breakdown", d);

  // One reader for all the files, so a response id repeated in another file is still a
  // duplicate; its line numbers run on across files and are mapped back to each file's own.
  const cxm::reader_options reader_options;
  cxm::response_reader reader(reader_options);
  std::vector<cxm_cli::report_input> inputs;
  std::uint64_t records = 0, problems = 0;
  for (const auto& f : files) {
    const cxm::reader_stats before = reader.stats();
    const std::uint64_t problems_before = reader.error_count();
    const cxm_cli::input_result r = cxm_cli::read_input(f, reader, scorer, reader_options.max_line_bytes);
    if (!r.ok()) {
      std::fprintf(stderr, "cxm: %s: %s\n", cxm_cli::display_name(f).c_str(), r.error.c_str());
      return cxm_cli::exit_no_input;
    }
    const cxm::reader_stats& after = reader.stats();
    cxm_cli::report_input in;
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
  for (const auto& in : inputs) {
    const cxm::problem* first = cxm_cli::first_problem(in, reader);
    cxm_cli::note_input(in.file, "responses", in.counts, first, first ? first->line - in.first_line : 0);
  }
  if (records == 0 && problems == 0) return cxm_cli::exit_no_input;  // nothing to score, said above
  cxm_cli::print_report(stdout, inputs, scorer, reader, options);
  return problems > 0 ? cxm_cli::exit_problems : cxm_cli::exit_ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "report") == 0) return report(argc - 2, argv + 2);
  if (argc >= 2 && (std::strcmp(argv[1], "journey") == 0 || std::strcmp(argv[1], "journey-merge") == 0)) {
    const int rc = std::strcmp(argv[1], "journey") == 0 ? cxm_cli::journey_command(argc - 2, argv + 2)
                                                        : cxm_cli::journey_merge_command(argc - 2, argv + 2);
    if (rc == cxm_cli::exit_usage) std::fprintf(stderr, "%s", usage);
    return rc;
  }
#ifdef CXM_CLI_SERVE
  if (argc >= 2 && std::strcmp(argv[1], "serve") == 0) return cxm_cli::serve_command(argc - 1, argv + 1);
#endif
  if (argc >= 2 && std::strcmp(argv[1], "version") == 0) {
    std::printf("cxm %s\n", CXM_VERSION_STRING);
    return 0;
  }
  std::fprintf(stderr, "%s", usage);
  return cxm_cli::exit_usage;
}
