// SPDX-License-Identifier: MIT
// The text of `cxm report`: which files were read, the report the core printed, and the
// problems found in the files (the core's reader knows lines; only the tool knows files).
#include "report.hpp"

namespace cxm_cli {
namespace {

unsigned long long ull(std::uint64_t v) { return static_cast<unsigned long long>(v); }


}  // namespace

const cxm::problem* first_problem(const report_input& in, const cxm::response_reader& reader) {
  for (const auto& e : reader.errors())
    if (in.holds(e.line)) return &e;
  return nullptr;
}

void print_report(std::FILE* out, const std::vector<report_input>& inputs, const cxm::report& report,
                  const cxm::response_reader& reader, std::size_t max_errors) {
  const cxm::reader_stats& st = reader.stats();
  std::string source;
  for (const auto& in : inputs) source += (source.empty() ? "" : ", ") + display_name(in.file);
  std::fprintf(out, "cxm report: %s\n", printable(source).c_str());
  for (const auto& in : inputs) {
    const input_counts& c = in.counts;
    if (inputs.size() > 1)
      std::fprintf(out, "  %s: %llu lines, %llu responses, %llu lines rejected\n", printable(display_name(in.file)).c_str(),
                   ull(c.lines), ull(c.records), ull(c.rejected_lines));
    if (c.records == 0 && c.rejected_lines > 0)
      std::fprintf(out, "  no valid record in %s: %llu line%s rejected (see Problems)\n",
                   printable(display_name(in.file)).c_str(), ull(c.rejected_lines), c.rejected_lines == 1 ? "" : "s");
  }
  // The counts of the lines (blank ones, duplicates) are the reader's; the report has the rest.
  std::fprintf(out, "  %llu lines, %llu blank\n\n", ull(st.lines), ull(st.blank_lines));
  std::fputs(cxm::to_text(report).c_str(), out);

  if (reader.error_count() > 0) {
    std::fprintf(out, "\nProblems (%llu", ull(reader.error_count()));
    if (reader.error_count() > max_errors) std::fprintf(out, ", first %zu shown", max_errors);
    std::fprintf(out, ")\n");
    std::size_t shown = 0;
    auto in = inputs.begin();
    for (const auto& e : reader.errors()) {
      if (shown++ == max_errors) break;
      while (in != inputs.end() && !in->holds(e.line)) ++in;  // errors come in line order
      if (in == inputs.end()) break;
      std::fprintf(out, "  %s: %s\n", printable(display_name(in->file)).c_str(), line_problem(e.line - in->first_line, e).c_str());
    }
  }
}

}  // namespace cxm_cli
