// SPDX-License-Identifier: MIT
// cxm: the command-line tool. `cxm report FILE...` scores JSON Lines of survey responses and
// prints NPS, CES and CSAT with confidence intervals, broken down by channel, step and segment.
// `cxm journey` follows journeys through their events (journey_command.hpp).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <cxm/cxm.hpp>

#include "journey_command.hpp"
#include "read_input.hpp"
#include "report.hpp"

namespace {

constexpr const char* usage =
    "usage: cxm report [options] FILE...     score JSON Lines of responses ('-' reads stdin)\n"
    "       cxm journey [options] DEFINITION.json EVENTS.jsonl...   follow journeys ('-' reads stdin)\n"
    "       cxm journey-merge [--json] REPORT.json...   merge journey reports (from journey --json)\n"
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
    "  --errors N       bad lines to list                        (default: 20)\n";

int fail(const char* what, const std::string& arg) {
  std::fprintf(stderr, "cxm: %s: %s\n%s", what, arg.c_str(), usage);
  return 2;
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
      options.max_errors_shown = std::strtoul(v.c_str(), nullptr, 10);
    }
    else if (a.size() > 1 && a[0] == '-' && a != "-") return fail("unknown option", a);
    else files.push_back(a);
  }
  if (files.empty()) return fail("no input", "give at least one FILE");
  if (by.empty()) by = {"channel", "step", "segment.customer", "segment.age"};

  if (!nps.empty() && !scorer.add_nps_question(nps)) return fail("bad question", nps);
  if (!ces.empty() && !scorer.add_scale_question(ces, ces5 ? cxm::scale::ces5() : cxm::scale::ces7()))
    return fail("bad question", ces);
  if (!csat.empty() && !scorer.add_scale_question(csat, cxm::scale::csat5())) return fail("bad question", csat);
  for (const auto& d : by)
    if (!scorer.add_breakdown(d)) return fail("unknown breakdown", d);

  cxm::response_reader reader;
  std::string source;
  for (const auto& f : files) {
    if (!source.empty()) source += ", ";
    source += f;
    if (cxm::status s = cxm_cli::read_input(f, reader, scorer); !s) {
      std::fprintf(stderr, "cxm: cannot read %s: %s\n", f.c_str(), s.message());
      return 1;
    }
  }
  cxm_cli::print_report(stdout, source, scorer, reader, options);
  return 0;
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
  if (argc >= 2 && std::strcmp(argv[1], "version") == 0) {
    std::printf("cxm %s\n", CXM_VERSION_STRING);
    return 0;
  }
  std::fprintf(stderr, "%s", usage);
  return 2;
}
