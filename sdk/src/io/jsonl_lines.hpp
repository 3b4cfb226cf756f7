// SPDX-License-Identifier: MIT
// Internal: what the JSON Lines readers (responses, journey events) share around their SAX
// handlers: line framing, line counts, the kept errors, and the checks every line gets before
// its fields are looked at.
#ifndef CXM_SRC_JSONL_LINES_HPP
#define CXM_SRC_JSONL_LINES_HPP

#include <boost/json/error.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/core/problem.hpp"
#include "io/line_framer.hpp"
#include "io/utf8.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// Spaces, tabs and carriage returns only.
inline bool blank(std::string_view s) noexcept {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

/// `Stats` has lines, blank_lines, rejected_lines and bytes.
template <class Stats>
class jsonl_lines {
 public:
  jsonl_lines(std::size_t max_line_bytes, std::size_t max_kept_errors)
      : framer_(max_line_bytes), max_line_bytes_(max_line_bytes), max_kept_errors_(max_kept_errors) {}

  Stats stats;
  std::vector<problem> errors;  ///< the first max_kept_errors
  std::uint64_t error_count = 0;

  /// A problem on `line` (counted; kept while fewer than max_kept_errors are).
  void report(std::uint64_t line, errc code, std::string field, std::string reason) {
    ++error_count;
    if (errors.size() < max_kept_errors_) errors.push_back({code, std::move(field), std::move(reason), line});
  }
  /// The whole record on `line` is rejected.
  void reject_line(std::uint64_t line, errc code, std::string field, std::string reason) {
    ++stats.rejected_lines;
    report(line, code, std::move(field), std::move(reason));
  }

  /// Frames `chunk` into lines for `process(std::string_view line)`; an overlong line is
  /// rejected without being parsed, its bytes dropped as they arrive.
  template <class Process>
  void feed(std::string_view chunk, Process&& process) {
    stats.bytes += chunk.size();
    framer_.feed(chunk, process, [&] { reject_too_long(); });
  }
  /// The last line, when the input did not end with a newline.
  template <class Process>
  void finish(Process&& process) {
    framer_.finish(process, [&] { reject_too_long(); });
  }

  /// Counts `line` (framed: no separator, within the size limit) and parses it with `parser` after `start(handler, line)` prepares the
  /// handler (which reports its own findings in error, error_field and error_reason). Returns
  /// the line number when the line is one well-formed JSON object whose fields the caller can
  /// now check, or 0 when it was blank or has been rejected.
  template <class Parser, class Start>
  std::uint64_t parse(std::string_view line, Parser& parser, Start&& start) {
    namespace json = boost::json;
    const std::uint64_t number = ++stats.lines;
    if (blank(line)) {
      ++stats.blank_lines;
      return 0;
    }
    auto& h = parser.handler();
    start(h, line);
    parser.reset();
    json::error_code ec;
    const std::size_t used = parser.write_some(false, line.data(), line.size(), ec);
    if (h.error != errc::ok) return rejected(number, h.error, h.error_field, h.error_reason);
    if (ec == json::error::too_deep) return rejected(number, errc::too_deep, "", "JSON nested deeper than 16 levels");
    if (ec) {
      const std::size_t bad = first_invalid_utf8(line);
      if (bad < line.size()) return rejected(number, errc::invalid_utf8, "", "invalid UTF-8 at byte " + std::to_string(bad + 1));
      return rejected(number, errc::parse_error, "", "malformed JSON at byte " + std::to_string(used + 1) + ": " + ec.message());
    }
    if (!blank(line.substr(used)))
      return rejected(number, errc::parse_error, "", "unexpected characters after the JSON object at byte " + std::to_string(used + 1));
    return number;
  }

 private:
  std::uint64_t rejected(std::uint64_t line, errc code, std::string field, std::string reason) {
    reject_line(line, code, std::move(field), std::move(reason));
    return 0;
  }
  void reject_too_long() { reject_line(++stats.lines, errc::too_large, "", too_long()); }
  std::string too_long() const { return "line longer than " + std::to_string(max_line_bytes_) + " bytes"; }

  line_framer framer_;
  std::size_t max_line_bytes_;
  std::size_t max_kept_errors_;
};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_JSONL_LINES_HPP
