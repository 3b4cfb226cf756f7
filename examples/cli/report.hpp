// SPDX-License-Identifier: MIT
// The text report of the cxm tool.
#ifndef CXM_CLI_REPORT_HPP
#define CXM_CLI_REPORT_HPP

#include <cstdio>
#include <string>

#include <cxm/cxm.hpp>

namespace cxm_cli {

struct report_options {
  double level = 0.95;
  cxm::interval_method method = cxm::interval_method::adjusted_wald;
  std::size_t max_errors_shown = 20;
};

/// Prints totals, breakdowns, reader statistics and the first errors.
void print_report(std::FILE* out, const std::string& source, const cxm::survey_scorer& scorer,
                  const cxm::response_reader& reader, const report_options& options);

}  // namespace cxm_cli

#endif  // CXM_CLI_REPORT_HPP
