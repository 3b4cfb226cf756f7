// SPDX-License-Identifier: MIT
// How the cxm tool words what it found in its inputs: line problems as
// "FILE: line N: field: code: reason", a note on standard error for every input that had
// problems or held no record, and input-derived text made safe for a terminal.
#ifndef CXM_CLI_MESSAGES_HPP
#define CXM_CLI_MESSAGES_HPP

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include <cxm/core/problem.hpp>
#include <cxm/core/status.hpp>

#include "read_input.hpp"

namespace cxm_cli {

/// `s` with control characters (and DEL) written as \xNN: field names, reasons and labels come
/// from the input and must not be able to move the cursor or retitle the terminal.
inline std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", static_cast<unsigned>(u));
      out += b;
    } else {
      out += c;
    }
  }
  return out;
}

/// "line 2: answers.nps: out_of_range: expected an integer 0-10, got 11" (`line` is the file's
/// own; a reader's problem carries the reader's line, which runs on across files).
inline std::string line_problem(std::uint64_t line, const cxm::problem& e) {
  std::string s = "line " + std::to_string(line) + ": ";
  if (!e.path.empty()) s += printable(e.path) + ": ";
  s += cxm::name(e.code);
  s += ": ";
  s += printable(e.reason);
  return s;
}

/// What one input held, for the notes on standard error.
struct input_counts {
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;
  std::uint64_t blank_lines = 0;
  std::uint64_t records = 0;         ///< good records handed on
  std::uint64_t rejected_lines = 0;  ///< lines rejected whole
  std::uint64_t problems = 0;        ///< rejected lines plus rejected answers
};

/// Prints a one-line note on standard error when `file` had problems or held no record:
///   cxm: FILE: 3 problems (first: line 2: ...)
///   cxm: FILE: no valid record, 416 lines rejected (first: line 1: ...)
///   cxm: FILE: empty file, no records        cxm: FILE: no records, only 3 blank lines
/// `first` is the file's first kept problem with its line number in the file, if any.
inline void note_input(const std::string& file, const char* records, const input_counts& c,
                       const cxm::problem* first, std::uint64_t first_line) {
  const std::string name = display_name(file);
  if (c.records == 0 && c.problems == 0) {
    if (c.bytes == 0) std::fprintf(stderr, "cxm: %s: empty file, no %s\n", name.c_str(), records);
    else std::fprintf(stderr, "cxm: %s: no %s, only %llu blank lines\n", name.c_str(), records,
                      static_cast<unsigned long long>(c.blank_lines));
    return;
  }
  if (c.problems == 0) return;
  if (c.records == 0)
    std::fprintf(stderr, "cxm: %s: no valid record, %llu line%s rejected", name.c_str(),
                 static_cast<unsigned long long>(c.rejected_lines), c.rejected_lines == 1 ? "" : "s");
  else
    std::fprintf(stderr, "cxm: %s: %llu problem%s", name.c_str(), static_cast<unsigned long long>(c.problems),
                 c.problems == 1 ? "" : "s");
  if (first != nullptr) std::fprintf(stderr, " (first: %s)", line_problem(first_line, *first).c_str());
  std::fprintf(stderr, "\n");
}

}  // namespace cxm_cli

#endif  // CXM_CLI_MESSAGES_HPP
