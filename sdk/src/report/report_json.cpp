// SPDX-License-Identifier: MIT
// The cxm.report v1 JSON (docs/report.md is its specification; keep the two in step).
//
// {"format":"cxm.report","version":1,"generator":"cxm x.y.z",
//  "settings":{"level","nps_method","p_adjust","min_n","period","time_zone","since","until","weighted"},
//  "input":{"responses","duplicates","rejected_lines","answer_problems",
//           "timestamps":{"missing","out_of_range","first","last"},"without_probability"},
//  "questions":[{"id","type","scale":{"min","max","top_box_min"}}],
//  "totals":[metric], "trend":{"period","time_zone","gaps_omitted","periods":[...]} | null,
//  "breakdowns":[{"dimension","overflow","groups":[{"value","responses","questions":[...]}]}],
//  "journey":{"id","revision","started","completed",
//             "funnel":[{"step","reached","ended","conversion_to_next","dropped"}],
//             "durations":[{"step","channel","n","p50_ms","p90_ms","p99_ms"}],
//             "nps":[{"step", metric..., "by_duration":[{"band","lower_ms","upper_ms", metric...}]}],
//             "effort":effort, "step_effort":[effort]} | null}
// effort = {"step","journeys","contacts","recontacts","transfers","channel_switches","waits",
//           "wait_ms","wait_points","repeats","index",
//           "parts":{"transfers","recontacts","channel_switches","repeats","wait_points"}}
//
// Doubles are written by the one JSON writer (shortest round trip); undefined numbers are
// null, never left out.
#include "cxm/report/report.hpp"

#include "io/json_writer.hpp"
#include "report/report_format.hpp"

CXM_BEGIN_NAMESPACE
namespace {

using detail::json_writer;

// The report's version: bump it when a key is removed or renamed or changes meaning.
constexpr int report_version = 1;

void optional_time(json_writer& w, std::string_view key, const std::optional<std::int64_t>& ms) {
  w.key(key);
  if (ms) w.value(detail::rfc3339_utc(*ms));
  else w.null();
}

void optional_number(json_writer& w, std::string_view key, const std::optional<double>& d) {
  w.key(key);
  if (d) w.value(*d);
  else w.null();
}

// "weighted": null, or {"score"|"mean", "interval", "standard_error", ["top_box",]
// "sum_weights", "n_effective", "small_sample"} (docs/report.md, "weighted").
void write_weighted(json_writer& w, const report_metric& m) {
  w.key("weighted");
  if (!m.weighted) {
    w.null();
    return;
  }
  const report_weighted& x = *m.weighted;
  const bool nps = m.type == question_type::nps;
  w.begin_object();
  optional_number(w, nps ? "score" : "mean", x.estimate ? std::optional<double>(x.estimate->value) : std::nullopt);
  w.key("interval");
  if (x.estimate && x.estimate->bounds) {
    w.begin_object();
    w.member("lower", x.estimate->bounds->lower).member("upper", x.estimate->bounds->upper);
    w.member("method", nps ? "wald" : "t").member("level", x.estimate->bounds->level);
    w.end_object();
  } else {
    w.null();
  }
  optional_number(w, "standard_error", x.estimate ? x.estimate->standard_error : std::nullopt);
  if (!nps) {
    w.key("top_box");
    if (x.top_box) {
      w.begin_object();
      w.member("min", m.top_box_min).member("share", x.top_box->value);
      optional_number(w, "lower", x.top_box->bounds ? std::optional<double>(x.top_box->bounds->lower) : std::nullopt);
      optional_number(w, "upper", x.top_box->bounds ? std::optional<double>(x.top_box->bounds->upper) : std::nullopt);
      w.member("method", "wilson");
      optional_number(w, "standard_error", x.top_box->standard_error);
      w.end_object();
    } else {
      w.null();
    }
  }
  w.member("sum_weights", x.sum_weights).member("n_effective", x.n_effective);
  w.member("small_sample", x.small_sample);
  w.end_object();
}

void write_metric_body(json_writer& w, const report_metric& m) {
  w.member("question", m.question).member("type", name(m.type));
  w.member("n", m.n).member("skipped", m.skipped).member("invalid", m.invalid);
  if (m.type == question_type::nps) {
    w.key("score");
    if (m.score) w.value(m.score->point);
    else w.null();
    w.key("interval");
    if (m.score) {
      w.begin_object();
      w.member("lower", m.score->lower).member("upper", m.score->upper).member("center", m.score->center);
      w.member("method", name(m.score->method)).member("level", m.score->level);
      w.end_object();
    } else {
      w.null();
    }
    w.member("small_sample", m.small_sample);
    w.member("promoters", m.promoters).member("passives", m.passives).member("detractors", m.detractors);
  } else {
    w.key("mean");
    if (m.mean) w.value(*m.mean);
    else w.null();
    w.key("mean_interval");
    if (m.mean_interval) {
      w.begin_object();
      w.member("lower", m.mean_interval->lower).member("upper", m.mean_interval->upper);
      w.member("method", name(m.mean_interval->method)).member("level", m.mean_interval->level);
      w.end_object();
    } else {
      w.null();
    }
    w.key("top_box");
    if (m.top_box) {
      w.begin_object();
      w.member("min", m.top_box_min).member("share", m.top_box->point);
      w.member("lower", m.top_box->lower).member("upper", m.top_box->upper).member("method", "wilson");
      w.end_object();
    } else {
      w.null();
    }
    w.member("small_sample", m.small_sample);
  }
  w.key("distribution").begin_array();
  for (std::uint64_t c : m.distribution) w.value(c);
  w.end_array();
  write_weighted(w, m);
}

void write_comparison(json_writer& w, const std::optional<report_comparison>& c, bool adjusted) {
  if (!c) {
    w.null();
    return;
  }
  w.begin_object();
  w.member("difference", c->difference).member("lower", c->lower).member("upper", c->upper);
  w.member("p_value", c->p_value);
  if (adjusted) {
    w.key("p_adjusted");
    if (c->p_adjusted) w.value(*c->p_adjusted);
    else w.null();
  }
  w.member("method", c->method);
  if (adjusted) {
    w.key("flag");
    if (const char* f = detail::report_flag_name(c->flag)) w.value(f);
    else w.null();
  }
  w.end_object();
}

void write_settings(json_writer& w, const report& r) {
  const report_options& s = r.settings;
  w.key("settings").begin_object();
  w.member("level", s.level).member("nps_method", name(s.nps_method));
  w.member("p_adjust", report_name(s.p_adjust)).member("min_n", s.min_n);
  w.key("period");
  if (s.period) w.value(name(*s.period));
  else w.null();
  w.key("time_zone");
  if (r.trend) w.value(r.trend->time_zone);
  else w.null();
  optional_time(w, "since", s.since_ms);
  optional_time(w, "until", s.until_ms);
  w.member("weighted", s.weighted);
  w.end_object();
}

void write_input(json_writer& w, const report_input& in) {
  w.key("input").begin_object();
  w.member("responses", in.responses).member("duplicates", in.duplicates);
  w.member("rejected_lines", in.rejected_lines).member("answer_problems", in.answer_problems);
  w.key("timestamps").begin_object();
  w.member("missing", in.missing_timestamps).member("out_of_range", in.out_of_range);
  optional_time(w, "first", in.first_ms);
  optional_time(w, "last", in.last_ms);
  w.end_object();
  w.member("without_probability", in.without_probability);
  w.end_object();
}

void write_trend(json_writer& w, const std::optional<report_trend>& t) {
  w.key("trend");
  if (!t) {
    w.null();
    return;
  }
  w.begin_object();
  w.member("period", name(t->unit)).member("time_zone", t->time_zone);
  w.member("gaps_omitted", t->gaps_omitted);
  w.key("periods").begin_array();
  for (const report_period& p : t->periods) {
    w.begin_object();
    w.member("label", p.label);
    w.member("start", detail::rfc3339_utc(p.start_ms)).member("end", detail::rfc3339_utc(p.end_ms));
    w.member("responses", p.responses);
    w.key("questions").begin_array();
    for (const report_metric& m : p.questions) {
      w.begin_object();
      write_metric_body(w, m);
      w.end_object();
    }
    w.end_array();
    w.key("change").begin_array();
    for (const auto& c : p.change) write_comparison(w, c, false);
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void write_breakdowns(json_writer& w, const std::vector<report_breakdown>& bs) {
  w.key("breakdowns").begin_array();
  for (const report_breakdown& b : bs) {
    w.begin_object();
    w.member("dimension", b.dimension).member("overflow", b.overflow);
    w.key("groups").begin_array();
    for (const report_group& g : b.groups) {
      w.begin_object();
      w.member("value", g.value).member("responses", g.responses);
      w.key("questions").begin_array();
      for (std::size_t i = 0; i < g.questions.size(); ++i) {
        w.begin_object();
        write_metric_body(w, g.questions[i]);
        w.key("vs_rest");
        write_comparison(w, g.vs_rest[i], true);
        w.end_object();
      }
      w.end_array();
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
}

void write_effort(json_writer& w, const report_effort& e) {
  const effort_components& c = e.components;
  w.begin_object();
  w.member("step", e.step).member("journeys", c.journeys).member("contacts", c.contacts);
  w.member("recontacts", c.recontacts).member("transfers", c.transfers);
  w.member("channel_switches", c.channel_switches).member("waits", c.waits).member("wait_ms", c.wait_ms);
  w.member("wait_points", c.wait_points).member("repeats", c.repeats).member("index", e.index);
  w.key("parts").begin_object();
  w.member("transfers", e.transfers).member("recontacts", e.recontacts);
  w.member("channel_switches", e.channel_switches).member("repeats", e.repeats);
  w.member("wait_points", e.wait_points);
  w.end_object();
  w.end_object();
}

void write_journey(json_writer& w, const std::optional<report_journey>& j) {
  w.key("journey");
  if (!j) {
    w.null();
    return;
  }
  w.begin_object();
  w.member("id", j->id).member("revision", j->revision);
  w.member("started", j->started).member("completed", j->completed);
  w.key("funnel").begin_array();
  for (const report_funnel_step& f : j->funnel) {
    w.begin_object();
    w.member("step", f.step).member("reached", f.reached).member("ended", f.ended);
    w.member("conversion_to_next", f.conversion_to_next).member("dropped", f.dropped);
    w.end_object();
  }
  w.end_array();
  w.key("durations").begin_array();
  for (const report_step_duration& d : j->durations) {
    w.begin_object();
    w.member("step", d.step).member("channel", d.channel).member("n", d.n);
    optional_number(w, "p50_ms", d.p50_ms);
    optional_number(w, "p90_ms", d.p90_ms);
    optional_number(w, "p99_ms", d.p99_ms);
    w.end_object();
  }
  w.end_array();
  w.key("nps").begin_array();
  for (const report_step_nps& s : j->nps) {
    w.begin_object();
    w.member("step", s.step);
    write_metric_body(w, s.nps);
    w.key("by_duration").begin_array();
    for (const report_duration_band& b : s.by_duration) {
      w.begin_object();
      w.member("band", b.band);
      optional_number(w, "lower_ms", b.lower_ms);
      optional_number(w, "upper_ms", b.upper_ms);
      write_metric_body(w, b.nps);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("effort");
  write_effort(w, j->effort);
  w.key("step_effort").begin_array();
  for (const report_effort& e : j->step_effort) write_effort(w, e);
  w.end_array();
  w.end_object();
}

}  // namespace

std::string to_json(const report& r) {
  json_writer w;
  w.begin_object();
  w.member("format", "cxm.report").member("version", report_version).member("generator", r.generator);
  write_settings(w, r);
  write_input(w, r.input);
  w.key("questions").begin_array();
  for (const report_question& q : r.questions) {
    w.begin_object();
    w.member("id", q.id).member("type", name(q.type));
    w.key("scale").begin_object();
    w.member("min", q.answer_scale.min).member("max", q.answer_scale.max);
    w.member("top_box_min", q.answer_scale.top_box_min);
    w.end_object();
    w.end_object();
  }
  w.end_array();
  w.key("totals").begin_array();
  for (const report_metric& m : r.totals) {
    w.begin_object();
    write_metric_body(w, m);
    w.end_object();
  }
  w.end_array();
  write_trend(w, r.trend);
  write_breakdowns(w, r.breakdowns);
  write_journey(w, r.journey);
  w.end_object();
  return w.take();
}

CXM_END_NAMESPACE
