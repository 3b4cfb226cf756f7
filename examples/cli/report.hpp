// SPDX-License-Identifier: MIT
// The text of `cxm report`: the core's text report, then the input's problems with their files.
#ifndef CXM_CLI_REPORT_HPP
#define CXM_CLI_REPORT_HPP

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <cxm/cxm.hpp>

#include "messages.hpp"

namespace cxm_cli {

/// One input file of `cxm report`. All files go through one reader, whose line numbers run on
/// across files: the file's lines are the reader's lines first_line + 1 .. first_line + lines.
struct report_input {
  std::string file;
  std::uint64_t first_line = 0;
  input_counts counts;
  bool holds(std::uint64_t reader_line) const noexcept {
    return reader_line > first_line && reader_line - first_line <= counts.lines;
  }
};

/// The first kept problem of `in`, or null.
const cxm::problem* first_problem(const report_input& in, const cxm::response_reader& reader);

/// Prints the inputs, the report (cxm::to_text) and the first `max_errors` problems, each with
/// its file and the line in that file.
void print_report(std::FILE* out, const std::vector<report_input>& inputs, const cxm::report& report,
                  const cxm::response_reader& reader, std::size_t max_errors);

}  // namespace cxm_cli

#endif  // CXM_CLI_REPORT_HPP
