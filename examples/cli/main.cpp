// SPDX-License-Identifier: MIT
// cxm: the command-line tool. `cxm report FILE...` scores JSON Lines of survey responses;
// `cxm journey` follows journeys through their events; `cxm serve` is the collector. Options
// are parsed by CLI11: `--help` (on standard output, exit 0) for the tool and for each command,
// `--version`; a usage error says what is wrong on standard error and exits 2 (read_input.hpp
// has every exit status; docs/cli.md documents them).
#include <cstdio>

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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cxm: customer-experience metrics from survey responses and journey events"};
  app.name("cxm");
  app.set_version_flag("--version", "cxm " CXM_VERSION_STRING);
  app.footer(exit_statuses);
  app.require_subcommand(1);
  app.fallthrough(false);

  cxm_cli::report_command_options report;
  cxm_cli::journey_command_options journey;
  cxm_cli::journey_merge_options merge;
  CLI::App* report_cmd = cxm_cli::add_report_command(app, report);
  CLI::App* journey_cmd = cxm_cli::add_journey_commands(app, journey, merge);
  CLI::App* merge_cmd = app.get_subcommand("journey-merge");
#ifdef CXM_CLI_SERVE
  cxm_cli::serve_command_options serve;
  CLI::App* serve_cmd = cxm_cli::add_serve_command(app, serve);
#endif
  CLI::App* version_cmd = app.add_subcommand("version", "print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version: exit 0 with the text on standard output; anything else is a usage
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
