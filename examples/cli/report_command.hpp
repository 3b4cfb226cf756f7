// SPDX-License-Identifier: MIT
// `cxm report`: scores JSON Lines of survey responses into the core's report model and prints
// it as text, JSON, CSV or an HTML page (docs/report.md).
#ifndef CXM_CLI_REPORT_COMMAND_HPP
#define CXM_CLI_REPORT_COMMAND_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cxm_cli {

struct report_command_options {
  std::vector<std::string> files;
  std::string nps = "nps";
  std::string ces = "ces";  ///< "Q" (1-7) or "Q:5" (the legacy 1-5 scale)
  std::string csat = "csat";
  std::vector<std::string> by;  ///< dimensions, and day, week or month for the trend
  std::string tz;               ///< UTC, +HH:MM or an IANA zone name
  std::string since, until;
  double level = 0.95;
  std::string method = "adjusted_wald";
  std::string p_adjust = "BH";
  std::uint64_t min_n = 30;
  bool latest_per_respondent = false;
  bool weighted = false;  ///< design-weighted estimates by 1/inclusion_probability
  /// The journey section: a definition tracked over `events` with `files` attached (as `cxm
  /// journey DEF EVENTS --responses FILE...`), or a saved journey report; neither: none.
  std::string journey;
  std::vector<std::string> events;
  std::string journey_report;
  bool json = false;
  bool csv = false;
  std::string html;  ///< write the HTML page to this file
  std::string html_lang = "en";
  bool rtl = false;
  std::size_t errors = 20;
  bool no_progress = false;
};

/// Runs it; returns the exit status (read_input.hpp).
int run_report(const report_command_options& o);

/// Whether this build embeds the HTML page (built with Node from wasm/report/).
bool html_available() noexcept;

}  // namespace cxm_cli

#endif  // CXM_CLI_REPORT_COMMAND_HPP
