// SPDX-License-Identifier: MIT
// Formats a survey_scorer as a plain-text report: one line per question, then per group.
#include "report.hpp"

namespace cxm_cli {
namespace {

unsigned long long ull(std::uint64_t v) { return static_cast<unsigned long long>(v); }

// "NPS  +22.2  [+18.9, +25.4]  n=3027 ...". The score shown is the raw one; when the method's
// interval leaves it outside (adjusted Wald on a tiny sample), the line says so and shows the
// centre the interval was built around.
void print_nps(std::FILE* out, const char* indent, const std::string& label, const cxm::nps_tally& t,
               const report_options& o) {
  auto ci = t.confidence_interval(o.level, o.method);
  if (!ci) {
    std::fprintf(out, "%s%-22s  no answers\n", indent, label.c_str());
    return;
  }
  std::fprintf(out, "%s%-22s  NPS %+6.1f  [%+6.1f, %+6.1f]  n=%-6llu P/P/D %llu/%llu/%llu%s", indent,
               label.c_str(), ci->point, ci->lower, ci->upper, ull(ci->n), ull(t.promoters()),
               ull(t.passives()), ull(t.detractors()), ci->small_sample ? "  (small sample)" : "");
  if (!ci->point_inside())
    std::fprintf(out, "  (score outside its interval: the %s interval is centred on %+.1f)", cxm::name(ci->method),
                 ci->center);
  std::fprintf(out, "\n");
}

void print_scale(std::FILE* out, const char* indent, const std::string& label, const cxm::scale_tally& t,
                 const report_options& o) {
  const cxm::scale& s = t.answer_scale();
  if (t.empty()) {
    std::fprintf(out, "%s%-22s  no answers\n", indent, label.c_str());
    return;
  }
  auto tb = t.top_box_interval(o.level);
  auto mean = t.mean_interval(o.level);
  std::fprintf(out, "%s%-22s  mean %5.2f", indent, label.c_str(), t.mean());
  if (mean) std::fprintf(out, " [%5.2f, %5.2f]", mean->lower, mean->upper);
  std::fprintf(out, "  top box (%d-%d) %5.1f%% [%5.1f%%, %5.1f%%]  n=%llu%s\n", s.top_box_min, s.max,
               100 * t.top_box_share(), 100 * tb->lower, 100 * tb->upper, ull(t.total()),
               tb->small_sample ? "  (small sample)" : "");
}

// The scorer configures nps, ces and csat questions only: nps has its NPS tally, the others
// their rating scale.
void print_question(std::FILE* out, const char* indent, const std::string& label, const cxm::question_tally& q,
                    const report_options& o) {
  if (q.type == cxm::question_type::nps) print_nps(out, indent, label, q.nps, o);
  else print_scale(out, indent, label, q.ratings, o);
}

// "      distribution: 0:12 ... 10:40   skipped:3 invalid:2 (out_of_range 1, wrong_type 1)":
// the valid answers, then the responses that skipped the question and those whose answer was
// invalid, by reason (the reasons are listed under Problems).
void print_distribution(std::FILE* out, const cxm::question_tally& q) {
  std::fprintf(out, "      distribution:");
  if (q.type == cxm::question_type::nps) {
    for (int a = 0; a <= 10; ++a) std::fprintf(out, " %d:%llu", a, ull(q.nps.count(a)));
  } else {
    const cxm::scale& s = q.ratings.answer_scale();
    for (int a = s.min; a <= s.max; ++a) std::fprintf(out, " %d:%llu", a, ull(q.ratings.count(a)));
  }
  std::fprintf(out, "   skipped:%llu invalid:%llu", ull(q.skipped()), ull(q.invalid));
  const char* sep = " (";
  for (std::size_t i = 0; i < cxm::answer_problems.size(); ++i) {
    if (q.problems[i] == 0) continue;
    std::fprintf(out, "%s%s %llu", sep, cxm::name(cxm::answer_problems[i]), ull(q.problems[i]));
    sep = ", ";
  }
  std::fprintf(out, "%s\n", q.invalid > 0 ? ")" : "");
}

// "gap phone - app: -12.0 points [...], p = 0.003 (0.009 over 3 pairs)": the widest gap of a
// breakdown, with the p-value corrected for its having been picked as the widest.
void print_gap(std::FILE* out, const cxm::score_breakdown& b, std::size_t question, const report_options& o) {
  auto gap = cxm::widest_nps_gap(b, question, o.level, o.method);
  if (!gap) return;  // fewer than two groups with answers: no gap to show
  const cxm::nps_difference& d = gap->difference;
  const std::size_t pairs = gap->compared * (gap->compared - 1) / 2;
  std::fprintf(out, "    gap %s - %s: %+.1f points [%+.1f, %+.1f], p = %.2g (%.2g over %zu pair%s; %s)%s\n",
               printable(b.groups[gap->worst].value).c_str(), printable(b.groups[gap->best].value).c_str(),
               d.difference, d.lower, d.upper, d.p_value, gap->adjusted_p_value, pairs, pairs == 1 ? "" : "s",
               cxm::name(d.method), d.small_sample ? "  (small sample)" : "");
}

}  // namespace

const cxm::problem* first_problem(const report_input& in, const cxm::response_reader& reader) {
  for (const auto& e : reader.errors())
    if (in.holds(e.line)) return &e;
  return nullptr;
}

void print_report(std::FILE* out, const std::vector<report_input>& inputs, const cxm::survey_scorer& scorer,
                  const cxm::response_reader& reader, const report_options& o) {
  const cxm::reader_stats& st = reader.stats();
  std::string source;
  for (const auto& in : inputs) source += (source.empty() ? "" : ", ") + display_name(in.file);
  std::fprintf(out, "cxm report: %s\n", source.c_str());
  for (const auto& in : inputs) {
    const input_counts& c = in.counts;
    if (inputs.size() > 1)
      std::fprintf(out, "  %s: %llu lines, %llu responses, %llu lines rejected\n", display_name(in.file).c_str(),
                   ull(c.lines), ull(c.records), ull(c.rejected_lines));
    if (c.records == 0 && c.rejected_lines > 0)
      std::fprintf(out, "  no valid record in %s: %llu line%s rejected (see Problems)\n",
                   display_name(in.file).c_str(), ull(c.rejected_lines), c.rejected_lines == 1 ? "" : "s");
  }
  std::fprintf(out, "  %llu lines, %llu responses scored, %llu lines rejected (%llu duplicate ids), "
                    "%llu answers rejected, %llu blank lines\n",
               ull(st.lines), ull(st.responses), ull(st.rejected_lines), ull(st.duplicate_ids),
               ull(st.answer_errors), ull(st.blank_lines));
  std::fprintf(out, "  intervals: %.0f%% %s; small samples (n < %llu) are flagged\n\n", 100 * o.level,
               cxm::name(o.method), ull(cxm::small_sample_threshold));

  std::fprintf(out, "Totals\n");
  for (const auto& q : scorer.totals()) {
    print_question(out, "  ", q.id, q, o);
    print_distribution(out, q);
  }
  for (const auto& b : scorer.breakdowns()) {
    std::fprintf(out, "\nBy %s\n", b.dimension.c_str());
    for (std::size_t qi = 0; qi < scorer.totals().size(); ++qi) {
      const auto& q = scorer.totals()[qi];
      std::fprintf(out, "  %s\n", q.id.c_str());
      for (const auto& g : b.groups) print_question(out, "    ", printable(g.value), g.questions[qi], o);
      if (q.type == cxm::question_type::nps) print_gap(out, b, qi, o);
    }
    if (b.overflow > 0) std::fprintf(out, "  (%llu responses in further groups not shown)\n", ull(b.overflow));
  }

  if (reader.error_count() > 0) {
    std::fprintf(out, "\nProblems (%llu", ull(reader.error_count()));
    if (reader.error_count() > o.max_errors_shown) std::fprintf(out, ", first %zu shown", o.max_errors_shown);
    std::fprintf(out, ")\n");
    std::size_t shown = 0;
    auto in = inputs.begin();
    for (const auto& e : reader.errors()) {
      if (shown++ == o.max_errors_shown) break;
      while (in != inputs.end() && !in->holds(e.line)) ++in;  // errors come in line order
      if (in == inputs.end()) break;
      std::fprintf(out, "  %s: %s\n", display_name(in->file).c_str(), line_problem(e.line - in->first_line, e).c_str());
    }
  }
}

}  // namespace cxm_cli
