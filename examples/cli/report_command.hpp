// SPDX-License-Identifier: MIT
// `cxm report`: scores JSON Lines of survey responses and prints the report.
#ifndef CXM_CLI_REPORT_COMMAND_HPP
#define CXM_CLI_REPORT_COMMAND_HPP

#include <cstddef>
#include <string>
#include <vector>

namespace cxm_cli {

struct report_command_options {
  std::vector<std::string> files;
  std::string nps = "nps";
  std::string ces = "ces";  ///< "Q" (1-7) or "Q:5" (the legacy 1-5 scale)
  std::string csat = "csat";
  std::vector<std::string> by;
  double level = 0.95;
  std::string method = "adjusted_wald";
  std::size_t errors = 20;
  bool no_progress = false;
};

/// Runs it; returns the exit status (read_input.hpp).
int run_report(const report_command_options& o);

}  // namespace cxm_cli

#endif  // CXM_CLI_REPORT_COMMAND_HPP
