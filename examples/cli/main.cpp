// SPDX-License-Identifier: MIT
// cxm: the command-line tool. `cxm report FILE...` scores JSON Lines of survey responses;
// `cxm journey` follows journeys through their events; `cxm serve` is the collector.
//
// This file is the command line, parsed by CLI11 (`--help` for the tool and each command, on
// standard output with status 0; `--version`; a usage error said on standard error with
// status 2). It is the only file that includes CLI11, which is slow to compile: the commands
// take plain option structs (*_command.hpp) and do the work. Exit statuses: read_input.hpp,
// docs/cli.md.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <cxm/cxm.hpp>

#include "journey_command.hpp"
#include "read_input.hpp"
#include "report_command.hpp"
#ifdef CXM_CLI_SERVE
#include "serve_command.hpp"
#endif

namespace {

constexpr const char* exit_statuses =
    "Exit status (report, journey, journey-merge):\n"
    "  0  report printed; every input line was a good record\n"
    "  1  report printed; some lines or answers were rejected and are listed with file, line and reason\n"
    "     (also when no line was valid: the report then says \"no valid record\")\n"
    "  2  usage error: what is wrong is said on standard error\n"
    "  3  no report: an input could not be opened or read, a definition or report file is not one or will\n"
    "     not merge, or the inputs hold no record at all; standard error names the file and why\n"
    "cxm serve: 0 after a clean stop, 2 bad flags or configuration, 3 could not start.\n";

constexpr const char* progress_help = "no progress line on standard error (shown only on a terminal)";

CLI::App* add_report(CLI::App& app, cxm_cli::report_command_options& o) {
  CLI::App* cmd = app.add_subcommand("report", "score JSON Lines of survey responses: NPS, CES and CSAT with "
                                               "intervals, broken down by channel, step and segment");
  cmd->add_option("FILE", o.files, "JSON Lines of responses ('-' reads standard input)")->required();
  cmd->add_option("--nps", o.nps, "score question Q as NPS 0-10 (default: nps; '' for none)")->option_text("Q");
  cmd->add_option("--ces", o.ces, "score Q as CES 1-7, Q:5 on the legacy 1-5 scale (default: ces)")
      ->option_text("Q[:5]");
  cmd->add_option("--csat", o.csat, "score Q as CSAT 1-5 (default: csat)")->option_text("Q");
  cmd->add_option("--by", o.by,
                  "break down by channel, step, survey_id, journey_id or segment.NAME, and trend by day, week or "
                  "month (repeatable; default: channel, step, segment.customer, segment.age)")
      ->option_text("DIM");
  cmd->add_option("--tz", o.tz, "time zone of the periods and of dates in --since/--until: UTC (default), +HH:MM "
                                "or a name like Europe/Berlin")->option_text("ZONE");
  cmd->add_option("--since", o.since, "only responses at or after: a date (2026-10-01, midnight in --tz) or an "
                                      "RFC 3339 time")->option_text("TIME");
  cmd->add_option("--until", o.until, "only responses before that time")->option_text("TIME");
  cmd->add_option("--level", o.level, "confidence level, in (0,1)")->capture_default_str();
  cmd->add_option("--method", o.method, "NPS interval")->capture_default_str()
      ->check(CLI::IsMember({"adjusted_wald", "wald", "score"}));
  cmd->add_option("--p-adjust", o.p_adjust, "adjustment of each breakdown's group-vs-rest p-values: BH "
                                            "(Benjamini-Hochberg), holm, bonferroni or none")->capture_default_str();
  cmd->add_option("--min-n", o.min_n, "answers under which a group or period is marked a small sample")
      ->capture_default_str();
  cmd->add_flag("--latest-per-respondent", o.latest_per_respondent,
                "only each respondent's latest response (per period with --by day|week|month); reads the files twice");
  cmd->add_flag("--weighted", o.weighted,
                "design-weighted estimates: each response weighs 1/inclusion_probability (docs/report.md, weighted)");
  CLI::Option* def = cmd->add_option("--journey", o.journey,
                                     "add a journey section: the journey definition (JSON), tracked over --events "
                                     "with the responses attached, as cxm journey does")->option_text("DEF");
  CLI::Option* events = cmd->add_option("--events", o.events, "JSON Lines of journey events for --journey; repeatable")
                            ->option_text("FILE");
  def->needs(events);
  events->needs(def);
  cmd->add_option("--journey-report", o.journey_report,
                  "add a journey section from a journey report (cxm journey --json)")->option_text("FILE")
      ->excludes(def);
  cmd->add_flag("--json", o.json, "print the cxm.report JSON (docs/report.md) instead of text");
  cmd->add_flag("--csv", o.csv, "print CSV, one row per metric, group and period, instead of text");
  cmd->add_option("--html", o.html, "also write a self-contained HTML report with charts to FILE")->option_text("FILE");
  cmd->add_option("--html-lang", o.html_lang, "the HTML page's language tag")->capture_default_str();
  cmd->add_flag("--rtl", o.rtl, "lay the HTML page out right to left");
  cmd->add_option("--errors", o.errors, "problems to list (default: 20)")->option_text("N");
  cmd->add_flag("--no-progress", o.no_progress, progress_help);
  return cmd;
}

CLI::App* add_journey(CLI::App& app, cxm_cli::journey_command_options& o) {
  CLI::App* cmd = app.add_subcommand("journey", "follow journeys through their events: funnel, step times, "
                                                "effort, NPS by step and by duration band");
  cmd->add_option("DEFINITION", o.definition, "the journey definition (JSON)")->required();
  cmd->add_option("EVENTS", o.events, "JSON Lines of journey events ('-' reads standard input)")->required();
  cmd->add_option("--responses", o.responses, "attach survey responses (JSON Lines) to their journeys; repeatable")
      ->option_text("FILE");
  cmd->add_flag("--json", o.json, "print the journey report JSON (mergeable) instead of text");
  cmd->add_option("--errors", o.errors, "bad lines to list (default: 20)")->option_text("N");
  cmd->add_flag("--no-progress", o.no_progress, progress_help);
  return cmd;
}

CLI::App* add_journey_merge(CLI::App& app, cxm_cli::journey_merge_options& o) {
  CLI::App* cmd = app.add_subcommand("journey-merge", "merge journey reports (from cxm journey --json)");
  cmd->add_option("REPORT", o.files, "journey report JSON files")->required();
  cmd->add_flag("--json", o.json, "print the merged JSON instead of text");
  return cmd;
}

#ifdef CXM_CLI_SERVE
CLI::App* add_serve(CLI::App& app, cxm_cli::serve_command_options& o) {
  CLI::App* cmd = app.add_subcommand("serve", "the collector: serves <cxm-survey>, takes responses from widgets "
                                              "and app outboxes, stores each once, reports (docs/server.md)");
  cmd->add_option("--config", o.config_file, "a JSON file of settings (flags override it)")->check(CLI::ExistingFile);
  cmd->add_option("--surveys", o.flags.surveys_dir, "directory of survey definitions (*.json)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--listen", o.listen, "[address:]port to listen on (default 127.0.0.1:8080)");
  cmd->add_option("--store", o.store, "sqlite:FILE (default sqlite:cxm.db) or a postgresql:// URL");
  cmd->add_option("--sync", o.sync, "full (survives power loss, default) or normal (survives a crash)")
      ->check(CLI::IsMember({"full", "normal"}));
  cmd->add_option("--threads", o.threads, "request threads (default: one per core)")->check(CLI::Range(1u, 256u));
  cmd->add_option("--widget", o.flags.widget_dir, "the wasm build output to serve under /cxm/")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--demo", o.flags.demo_dir, "the demo page directory to serve at /")->check(CLI::ExistingDirectory);
  cmd->add_option("--dashboard", o.flags.dashboard_dir,
                  "the built dashboard (dashboard.html, .js, .css) to serve at /dashboard/")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--cors-origin", o.origins, "an origin allowed to post from another site (repeatable)");
  cmd->add_option("--max-body-bytes", o.body, "largest request body")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{64} << 20));
  cmd->add_option("--max-records", o.records, "most records in one batch")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  cmd->add_option("--access-log", o.flags.access_log, "file for the JSON access and error log, - for standard error");
  cmd->add_option("--otlp-endpoint", o.otlp_endpoint,
                  "push the metrics as OTLP/HTTP JSON to this http:// URL (e.g. http://127.0.0.1:4318/v1/metrics)")
      ->option_text("URL");
  cmd->add_option("--otlp-interval", o.otlp_interval, "seconds between pushes (default 60)")
      ->check(CLI::Range(0.01, 86400.0))->option_text("SECONDS");
  cmd->add_option("--otlp-header", o.otlp_headers, "a header sent with each push, Name=Value (repeatable)")
      ->option_text("NAME=VALUE");
  return cmd;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cxm: customer-experience metrics from survey responses and journey events"};
  app.name("cxm");
  app.set_version_flag("--version", "cxm " CXM_VERSION_STRING);
  app.footer(exit_statuses);
  app.require_subcommand(1);

  cxm_cli::report_command_options report;
  cxm_cli::journey_command_options journey;
  cxm_cli::journey_merge_options merge;
  CLI::App* report_cmd = add_report(app, report);
  CLI::App* journey_cmd = add_journey(app, journey);
  CLI::App* merge_cmd = add_journey_merge(app, merge);
#ifdef CXM_CLI_SERVE
  cxm_cli::serve_command_options serve;
  CLI::App* serve_cmd = add_serve(app, serve);
#endif
  CLI::App* version_cmd = app.add_subcommand("version", "print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version: the text on standard output, status 0; anything else is a usage
    // error, said on standard error.
    return app.exit(e) == 0 ? cxm_cli::exit_ok : cxm_cli::exit_usage;
  }
  if (report_cmd->parsed()) return cxm_cli::run_report(report);
  if (journey_cmd->parsed()) return cxm_cli::journey_command(journey);
  if (merge_cmd->parsed()) return cxm_cli::journey_merge_command(merge);
#ifdef CXM_CLI_SERVE
  if (serve_cmd->parsed()) return cxm_cli::run_serve(serve);
#endif
  if (version_cmd->parsed()) {
    std::printf("cxm %s\n", CXM_VERSION_STRING);
    return cxm_cli::exit_ok;
  }
  return cxm_cli::exit_usage;
}
