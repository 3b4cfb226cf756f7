// SPDX-License-Identifier: MIT
// The report as plain text for a terminal: the settings and input counts, the totals, the
// trend, then each breakdown with every group against the rest, then the journey section.
#include "cxm/report/report.hpp"

#include <cstdarg>
#include <cstdio>

#include "report/report_format.hpp"

CXM_BEGIN_NAMESPACE
namespace {

unsigned long long ull(std::uint64_t v) { return static_cast<unsigned long long>(v); }

void append(std::string& out, const char* format, ...) {
  char buf[512];
  va_list args;
  va_start(args, format);
  const int n = std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  if (n > 0) out.append(buf, static_cast<std::size_t>(n) < sizeof buf ? static_cast<std::size_t>(n) : sizeof buf - 1);
}

// Labels come from the input: control characters (a newline, an escape sequence) would let a
// response rewrite the terminal, so they are shown as \xNN.
std::string printable(std::string_view s) {
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

void metric_line(std::string& out, const char* indent, const std::string& label, const report_metric& m) {
  const char* small = m.small_sample ? "  (small sample)" : "";
  if (m.n == 0) {
    append(out, "%s%-22s  no answers\n", indent, label.c_str());
    return;
  }
  if (m.type == question_type::nps) {
    const interval& s = *m.score;
    append(out, "%s%-22s  NPS %+6.1f  [%+6.1f, %+6.1f]  n=%-6llu P/P/D %llu/%llu/%llu%s", indent, label.c_str(),
           s.point, s.lower, s.upper, ull(m.n), ull(m.promoters), ull(m.passives), ull(m.detractors), small);
    if (!s.point_inside())
      append(out, "  (score outside its interval: the %s interval is centred on %+.1f)", name(s.method), s.center);
    out.push_back('\n');
    return;
  }
  append(out, "%s%-22s  mean %5.2f", indent, label.c_str(), *m.mean);
  if (m.mean_interval) append(out, " [%5.2f, %5.2f]", m.mean_interval->lower, m.mean_interval->upper);
  const interval& tb = *m.top_box;
  append(out, "  top box (>= %d) %5.1f%% [%5.1f%%, %5.1f%%]  n=%llu%s\n", m.top_box_min, 100 * tb.point,
         100 * tb.lower, 100 * tb.upper, ull(m.n), small);
}

// The weighted numbers under a metric (report_options::weighted).
void weighted_line(std::string& out, const char* indent, const report_metric& m) {
  if (!m.weighted) return;
  const report_weighted& w = *m.weighted;
  if (!w.estimate) return;  // no answers: the metric line said so
  const char* small = w.small_sample ? "  (small sample)" : "";
  if (m.type == question_type::nps) {
    append(out, "%s%-22s  NPS %+6.1f", indent, "  weighted", w.estimate->value);
    if (w.estimate->bounds) append(out, "  [%+6.1f, %+6.1f]", w.estimate->bounds->lower, w.estimate->bounds->upper);
  } else {
    append(out, "%s%-22s  mean %5.2f", indent, "  weighted", w.estimate->value);
    if (w.estimate->bounds) append(out, " [%5.2f, %5.2f]", w.estimate->bounds->lower, w.estimate->bounds->upper);
    if (w.top_box) {
      append(out, "  top box %5.1f%%", 100 * w.top_box->value);
      if (w.top_box->bounds)
        append(out, " [%5.1f%%, %5.1f%%]", 100 * w.top_box->bounds->lower, 100 * w.top_box->bounds->upper);
    }
  }
  append(out, "  n_eff=%.1f sum_w=%.6g%s\n", w.n_effective, w.sum_weights, small);
}

void comparison_line(std::string& out, const char* what, const report_comparison& c, bool nps) {
  append(out, "      %s %+.*f [%+.*f, %+.*f], p = %.2g", what, nps ? 1 : 2, c.difference, nps ? 1 : 2, c.lower,
         nps ? 1 : 2, c.upper, c.p_value);
  if (c.p_adjusted) append(out, " (adjusted %.2g)", *c.p_adjusted);
  append(out, " %s", c.method.c_str());
  if (const char* f = detail::report_flag_name(c.flag)) append(out, "  ** %s **", f);
  out.push_back('\n');
}

// "850ms", "12.3s", "4.5min", "3.2h", "2.1d": a duration at the precision a reader needs.
std::string duration_text(const std::optional<double>& ms) {
  if (!ms) return "-";
  char b[32];
  const double v = *ms;
  if (v < 1000) std::snprintf(b, sizeof b, "%.0fms", v);
  else if (v < 60e3) std::snprintf(b, sizeof b, "%.1fs", v / 1e3);
  else if (v < 3600e3) std::snprintf(b, sizeof b, "%.1fmin", v / 60e3);
  else if (v < 86400e3) std::snprintf(b, sizeof b, "%.1fh", v / 3600e3);
  else std::snprintf(b, sizeof b, "%.1fd", v / 86400e3);
  return b;
}

void effort_line(std::string& out, const report_effort& e) {
  const effort_components& c = e.components;
  const std::string label = e.step.empty() ? std::string("all journeys") : printable(e.step);
  append(out, "    %-22s  index %5.2f = transfers %.2f + recontacts %.2f + switches %.2f + repeats %.2f + waits %.2f"
              "  journeys=%llu contacts=%llu waited %s\n",
         label.c_str(), e.index, e.transfers, e.recontacts, e.channel_switches, e.repeats, e.wait_points,
         ull(c.journeys), ull(c.contacts), duration_text(static_cast<double>(c.wait_ms)).c_str());
}

void journey_section(std::string& out, const report_journey& j) {
  append(out, "\nJourney %s revision %lld: %llu started, %llu completed\n", printable(j.id).c_str(),
         static_cast<long long>(j.revision), ull(j.started), ull(j.completed));
  out += "  Funnel (drop-off: furthest step of journeys not completed)\n";
  append(out, "    %-22s  %8s %8s %8s %8s\n", "step", "reached", "ended", "to next", "dropped");
  for (std::size_t i = 0; i < j.funnel.size(); ++i) {
    const report_funnel_step& f = j.funnel[i];
    char next[16] = "-";
    if (i + 1 < j.funnel.size()) std::snprintf(next, sizeof next, "%.1f%%", 100 * f.conversion_to_next);
    append(out, "    %-22s  %8llu %8llu %8s %8llu\n", printable(f.step).c_str(), ull(f.reached), ull(f.ended), next,
           ull(f.dropped));
  }
  out += "  Step durations by channel\n";
  for (const report_step_duration& d : j.durations) {
    const std::string label = printable(d.step) + " / " + (d.channel.empty() ? "(no channel)" : printable(d.channel));
    append(out, "    %-30s  n=%-6llu p50 %-8s p90 %-8s p99 %s\n", label.c_str(), ull(d.n),
           duration_text(d.p50_ms).c_str(), duration_text(d.p90_ms).c_str(), duration_text(d.p99_ms).c_str());
  }
  out += "  NPS by step, and by the step's duration (up to its p50, to its p90, over its p90)\n";
  for (const report_step_nps& s : j.nps) {
    metric_line(out, "    ", printable(s.step), s.nps);
    for (const report_duration_band& b : s.by_duration) {
      std::string label = b.band == "le_p50"    ? "  <= " + duration_text(b.upper_ms)
                          : b.band == "gt_p90" ? "  > " + duration_text(b.lower_ms)
                                               : "  " + duration_text(b.lower_ms) + "-" + duration_text(b.upper_ms);
      metric_line(out, "    ", label, b.nps);
    }
  }
  out += "  Effort index per journey (1 transfer + 2 recontacts + 1 switch + 1 repeat + 1 per 5 min waited)\n";
  effort_line(out, j.effort);
  for (const report_effort& e : j.step_effort) effort_line(out, e);
}

}  // namespace

std::string to_text(const report& r) {
  std::string out;
  const report_options& s = r.settings;
  const report_input& in = r.input;
  append(out, "%s report\n", r.generator.c_str());
  append(out, "  %llu responses scored, %llu duplicates, %llu lines rejected, %llu answers rejected\n",
         ull(in.responses), ull(in.duplicates), ull(in.rejected_lines), ull(in.answer_problems));
  append(out, "  timestamps: %llu missing, %llu outside the range", ull(in.missing_timestamps), ull(in.out_of_range));
  if (in.first_ms && in.last_ms)
    append(out, ", %s to %s", detail::rfc3339_utc(*in.first_ms).c_str(), detail::rfc3339_utc(*in.last_ms).c_str());
  out.push_back('\n');
  append(out, "  intervals: %.0f%% %s; group vs rest p-values adjusted: %s; small samples (n < %llu) are flagged\n",
         100 * s.level, name(s.nps_method), report_name(s.p_adjust), ull(s.min_n));
  if (s.weighted) {
    append(out, "  weighted by 1/inclusion_probability (Hajek estimates, linearization SEs, Kish n_eff); "
                "comparisons are of the weighted estimates\n");
    if (in.without_probability > 0)
      append(out, "  warning: %llu responses without inclusion_probability, weighted as π = 1\n",
             ull(in.without_probability));
  }

  out += "\nTotals\n";
  for (const report_metric& m : r.totals) {
    metric_line(out, "  ", m.question, m);
    weighted_line(out, "  ", m);
  }

  if (r.trend) {
    append(out, "\nBy %s (%s)\n", name(r.trend->unit), printable(r.trend->time_zone).c_str());
    for (const report_period& p : r.trend->periods) {
      append(out, "  %s  %llu responses\n", p.label.c_str(), ull(p.responses));
      for (std::size_t i = 0; i < p.questions.size(); ++i) {
        metric_line(out, "    ", p.questions[i].question, p.questions[i]);
        weighted_line(out, "    ", p.questions[i]);
        if (p.change[i])
          comparison_line(out, "change", *p.change[i], p.questions[i].type == question_type::nps);
      }
    }
  }

  for (const report_breakdown& b : r.breakdowns) {
    append(out, "\nBy %s\n", printable(b.dimension).c_str());
    for (std::size_t qi = 0; qi < r.questions.size(); ++qi) {
      append(out, "  %s\n", printable(r.questions[qi].id).c_str());
      for (const report_group& g : b.groups) {
        metric_line(out, "    ", printable(g.value), g.questions[qi]);
        weighted_line(out, "    ", g.questions[qi]);
        if (g.vs_rest[qi])
          comparison_line(out, "vs rest", *g.vs_rest[qi], g.questions[qi].type == question_type::nps);
      }
    }
    if (b.overflow > 0) append(out, "  (%llu responses in further groups not shown)\n", ull(b.overflow));
  }
  if (r.journey) journey_section(out, *r.journey);
  return out;
}

CXM_END_NAMESPACE
