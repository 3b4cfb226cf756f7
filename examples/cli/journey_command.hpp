// SPDX-License-Identifier: MIT
// The `cxm journey` and `cxm journey-merge` commands: journey events into a journey report.
#ifndef CXM_CLI_JOURNEY_COMMAND_HPP
#define CXM_CLI_JOURNEY_COMMAND_HPP

#include <cstddef>
#include <string>
#include <vector>

#include <cxm/journey/report.hpp>

namespace cxm_cli {

// Exit statuses: exit_ok, exit_problems, exit_usage and exit_no_input, in read_input.hpp.

/// `cxm journey DEFINITION.json EVENTS.jsonl... [--responses FILE]... [--json] [--errors N]`.
struct journey_command_options {
  std::string definition;
  std::vector<std::string> events;
  std::vector<std::string> responses;
  bool json = false;
  std::size_t errors = 20;
  bool no_progress = false;
};

/// `cxm journey-merge REPORT.json... [--json]`.
struct journey_merge_options {
  std::vector<std::string> files;
  bool json = false;
};

/// Streams the events through a journey tracker, attaches the survey responses, and prints
/// the text report or, with --json, the report JSON.
int journey_command(const journey_command_options& o);

/// The journey report of `o`'s definition, events and responses, read as `cxm journey` reads
/// them (problems noted on standard error, file by file): exit_ok or exit_problems with `out`
/// set, or exit_no_input after saying why.
int track_journey(const journey_command_options& o, cxm::journey_report& out);

/// A journey report JSON file (`cxm journey --json`): exit_ok with `out` set, or exit_no_input
/// after saying why.
int read_journey_report(const std::string& file, cxm::journey_report& out);

/// Merges journey report JSON files (from `cxm journey --json`, e.g. one per device) and
/// prints the text report or the merged JSON.
int journey_merge_command(const journey_merge_options& o);

}  // namespace cxm_cli

#endif  // CXM_CLI_JOURNEY_COMMAND_HPP
