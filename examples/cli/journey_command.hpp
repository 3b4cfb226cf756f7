// SPDX-License-Identifier: MIT
// The `cxm journey` and `cxm journey-merge` commands: journey events into a journey report.
#ifndef CXM_CLI_JOURNEY_COMMAND_HPP
#define CXM_CLI_JOURNEY_COMMAND_HPP

namespace cxm_cli {

// Exit statuses: exit_ok, exit_problems, exit_usage (the caller prints the usage text) and
// exit_no_input, in read_input.hpp.

/// `cxm journey DEFINITION.json EVENTS.jsonl... [--responses FILE]... [--json] [--errors N]`
/// (arguments after the command name). Streams the events through a journey tracker,
/// attaches the survey responses, and prints the text report or, with --json, the report JSON.
int journey_command(int argc, char** argv);

/// `cxm journey-merge REPORT.json... [--json]`: merges journey report JSON files (from
/// `cxm journey --json`, e.g. one per device) and prints the text report or the merged JSON.
int journey_merge_command(int argc, char** argv);

}  // namespace cxm_cli

#endif  // CXM_CLI_JOURNEY_COMMAND_HPP
