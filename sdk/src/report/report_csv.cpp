// SPDX-License-Identifier: MIT
// The report as CSV (docs/report.md, CSV): one row per metric × group × period.
//
// section,dimension,group,period,question,statistic,value,lower,upper,n,p_value,p_adjusted,flag,channel,band
//
// section: total, breakdown, trend, journey (dimension funnel, duration, nps, nps_by_duration or
// effort; group the step; channel and band only on its rows). statistic: score (NPS), mean and top_box (CES, CSAT),
// vs_rest (a group's difference from the rest of its breakdown), change (a period's
// difference from the previous one); in a weighted report also weighted_score (NPS),
// weighted_mean and weighted_top_box (CES, CSAT), n_effective and sum_weights. A group's
// score/mean row also carries its vs_rest p-values and flag. Rows end with CRLF (RFC 4180); numbers are plain decimals that read back
// as the same doubles; undefined numbers are empty fields.
#include "cxm/report/report.hpp"

#include <utility>

#include "report/report_format.hpp"

CXM_BEGIN_NAMESPACE
namespace {

// A text field: a spreadsheet would run a field starting with = + - @ (or a tab or carriage
// return before them) as a formula, so such a field gets a leading ' (OWASP, "CSV Injection");
// then RFC 4180: a field holding a comma, a quote or a line break is quoted, quotes doubled.
void text_field(std::string& out, std::string_view s) {
  std::string v;
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
    v.push_back('\'');
  v.append(s);
  if (v.find_first_of(",\"\r\n") == std::string::npos) {
    out += v;
    return;
  }
  out.push_back('"');
  for (char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void number_field(std::string& out, const std::optional<double>& d) {
  if (d) out += detail::plain_number(*d);
}

struct row {
  std::string_view section, dimension, group, period, question, statistic;
  std::optional<double> value, lower, upper;
  std::optional<std::uint64_t> n;
  std::optional<double> p_value, p_adjusted;
  const char* flag = nullptr;
  std::string_view channel, band;  // journey rows only
};

void write_row(std::string& out, const row& r) {
  text_field(out, r.section);
  out.push_back(',');
  text_field(out, r.dimension);
  out.push_back(',');
  text_field(out, r.group);
  out.push_back(',');
  text_field(out, r.period);
  out.push_back(',');
  text_field(out, r.question);
  out.push_back(',');
  text_field(out, r.statistic);
  out.push_back(',');
  number_field(out, r.value);
  out.push_back(',');
  number_field(out, r.lower);
  out.push_back(',');
  number_field(out, r.upper);
  out.push_back(',');
  if (r.n) out += std::to_string(*r.n);
  out.push_back(',');
  number_field(out, r.p_value);
  out.push_back(',');
  number_field(out, r.p_adjusted);
  out.push_back(',');
  if (r.flag) text_field(out, r.flag);
  out.push_back(',');
  text_field(out, r.channel);
  out.push_back(',');
  text_field(out, r.band);
  out += "\r\n";
}

// The rows of one metric; `vs` (a group's comparison with the rest) adds its p-values to the
// score/mean row and a vs_rest row.
void metric_rows(std::string& out, row base, const report_metric& m, const std::optional<report_comparison>* vs) {
  base.question = m.question;
  base.n = m.n;
  row main = base;
  if (m.type == question_type::nps) {
    main.statistic = "score";
    if (m.score) {
      main.value = m.score->point;
      main.lower = m.score->lower;
      main.upper = m.score->upper;
    }
  } else {
    main.statistic = "mean";
    main.value = m.mean;
    if (m.mean_interval) {
      main.lower = m.mean_interval->lower;
      main.upper = m.mean_interval->upper;
    }
  }
  if (vs && *vs) {
    main.p_value = (*vs)->p_value;
    main.p_adjusted = (*vs)->p_adjusted;
    main.flag = detail::report_flag_name((*vs)->flag);
  }
  write_row(out, main);
  if (m.type != question_type::nps) {
    row tb = base;
    tb.statistic = "top_box";
    if (m.top_box) {
      tb.value = m.top_box->point;
      tb.lower = m.top_box->lower;
      tb.upper = m.top_box->upper;
    }
    write_row(out, tb);
  }
  if (m.weighted) {
    const report_weighted& w = *m.weighted;
    const auto estimate_row = [&](std::string_view statistic, const std::optional<report_estimate>& e) {
      row x = base;
      x.statistic = statistic;
      if (e) {
        x.value = e->value;
        if (e->bounds) {
          x.lower = e->bounds->lower;
          x.upper = e->bounds->upper;
        }
      }
      write_row(out, x);
    };
    if (m.type == question_type::nps) {
      estimate_row("weighted_score", w.estimate);
    } else {
      estimate_row("weighted_mean", w.estimate);
      estimate_row("weighted_top_box", w.top_box);
    }
    row ne = base;
    ne.statistic = "n_effective";
    ne.value = w.n_effective;
    write_row(out, ne);
    row sw = base;
    sw.statistic = "sum_weights";
    sw.value = w.sum_weights;
    write_row(out, sw);
  }
  if (vs && *vs) {
    row d = base;
    d.statistic = "vs_rest";
    d.n.reset();
    d.value = (*vs)->difference;
    d.lower = (*vs)->lower;
    d.upper = (*vs)->upper;
    d.p_value = (*vs)->p_value;
    d.p_adjusted = (*vs)->p_adjusted;
    d.flag = detail::report_flag_name((*vs)->flag);
    write_row(out, d);
  }
}

// A row of the journey section: one number of `dimension` for `group` (a step, or "" for all).
row journey_row(std::string_view dimension, std::string_view group, std::string_view statistic,
                std::optional<double> value, std::optional<std::uint64_t> n = std::nullopt) {
  row x;
  x.section = "journey";
  x.dimension = dimension;
  x.group = group;
  x.statistic = statistic;
  x.value = value;
  x.n = n;
  return x;
}

void effort_rows(std::string& out, const report_effort& e) {
  const effort_components& c = e.components;
  const auto count = [&](std::string_view statistic, std::uint64_t v) {
    write_row(out, journey_row("effort", e.step, statistic, static_cast<double>(v)));
  };
  count("journeys", c.journeys);
  count("contacts", c.contacts);
  count("recontacts", c.recontacts);
  count("transfers", c.transfers);
  count("channel_switches", c.channel_switches);
  count("waits", c.waits);
  count("wait_ms", c.wait_ms);
  count("wait_points", c.wait_points);
  count("repeats", c.repeats);
  write_row(out, journey_row("effort", e.step, "index", e.index, c.journeys));
  write_row(out, journey_row("effort", e.step, "index_transfers", e.transfers, c.journeys));
  write_row(out, journey_row("effort", e.step, "index_recontacts", e.recontacts, c.journeys));
  write_row(out, journey_row("effort", e.step, "index_channel_switches", e.channel_switches, c.journeys));
  write_row(out, journey_row("effort", e.step, "index_repeats", e.repeats, c.journeys));
  write_row(out, journey_row("effort", e.step, "index_wait_points", e.wait_points, c.journeys));
}

void journey_rows(std::string& out, const report_journey& j) {
  for (const report_funnel_step& f : j.funnel) {
    write_row(out, journey_row("funnel", f.step, "reached", static_cast<double>(f.reached)));
    write_row(out, journey_row("funnel", f.step, "ended", static_cast<double>(f.ended)));
    write_row(out, journey_row("funnel", f.step, "conversion_to_next", f.conversion_to_next));
    write_row(out, journey_row("funnel", f.step, "dropped", static_cast<double>(f.dropped)));
  }
  for (const report_step_duration& d : j.durations)
    for (const auto& [statistic, value] : {std::pair{"p50_ms", d.p50_ms}, std::pair{"p90_ms", d.p90_ms},
                                           std::pair{"p99_ms", d.p99_ms}}) {
      row x = journey_row("duration", d.step, statistic, value, d.n);
      x.channel = d.channel;
      write_row(out, x);
    }
  for (const report_step_nps& s : j.nps) {
    metric_rows(out, journey_row("nps", s.step, {}, std::nullopt), s.nps, nullptr);
    for (const report_duration_band& b : s.by_duration) {
      row base = journey_row("nps_by_duration", s.step, {}, std::nullopt);
      base.band = b.band;
      metric_rows(out, base, b.nps, nullptr);
      for (const auto& [statistic, value] : {std::pair{"lower_ms", b.lower_ms}, std::pair{"upper_ms", b.upper_ms}}) {
        if (!value) continue;
        row x = base;
        x.statistic = statistic;
        x.value = value;
        write_row(out, x);
      }
    }
  }
  effort_rows(out, j.effort);
  for (const report_effort& e : j.step_effort) effort_rows(out, e);
}

}  // namespace

std::string to_csv(const report& r) {
  std::string out =
      "section,dimension,group,period,question,statistic,value,lower,upper,n,p_value,p_adjusted,flag,channel,band\r\n";
  for (const report_metric& m : r.totals) {
    row base;
    base.section = "total";
    metric_rows(out, base, m, nullptr);
  }
  for (const report_breakdown& b : r.breakdowns)
    for (const report_group& g : b.groups)
      for (std::size_t i = 0; i < g.questions.size(); ++i) {
        row base;
        base.section = "breakdown";
        base.dimension = b.dimension;
        base.group = g.value;
        metric_rows(out, base, g.questions[i], &g.vs_rest[i]);
      }
  if (r.trend)
    for (const report_period& p : r.trend->periods)
      for (std::size_t i = 0; i < p.questions.size(); ++i) {
        row base;
        base.section = "trend";
        base.period = p.label;
        metric_rows(out, base, p.questions[i], nullptr);
        if (const auto& c = p.change[i]) {
          row d = base;
          d.question = p.questions[i].question;
          d.statistic = "change";
          d.value = c->difference;
          d.lower = c->lower;
          d.upper = c->upper;
          d.p_value = c->p_value;
          write_row(out, d);
        }
      }
  if (r.journey) journey_rows(out, *r.journey);
  return out;
}

CXM_END_NAMESPACE
