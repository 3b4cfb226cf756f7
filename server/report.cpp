// SPDX-License-Identifier: MIT
#include "server/report.hpp"

#include <cstdlib>
#include <map>

#include <cxm/device/recorder.hpp>
#include <cxm/stats/tally_json.hpp>
#include <cxm/sketch/duration_sketch_codec.hpp>
#include <cxm/survey/response_reader.hpp>
#include <cxm/survey/scorer.hpp>

#include "io/json_writer.hpp"
#include "io/timestamp.hpp"
#include "server/http/url.hpp"

namespace cxm::server {
namespace {

bool parse_time(const std::string& text, std::int64_t& out) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 15) {
    out = std::strtoll(text.c_str(), nullptr, 10);
    return true;
  }
  return detail::parse_rfc3339_ms(text, out);
}

void write_interval(detail::json_writer& w, const char* key, const result<interval>& i) {
  if (!i) return;
  w.key(key).begin_object().member("point", i->point).member("lower", i->lower).member("upper", i->upper);
  w.member("small_sample", i->small_sample).end_object();
}

void write_question(detail::json_writer& w, const question_tally& t, const report_query& q) {
  w.begin_object().member("id", t.id).member("type", name(t.type));
  w.member("shown", t.shown).member("answered", t.answered).member("invalid", t.invalid);
  if (t.type == question_type::nps) {
    w.member("promoters", t.nps.promoters()).member("passives", t.nps.passives());
    w.member("detractors", t.nps.detractors());
    write_interval(w, "nps", t.nps.confidence_interval(q.level, q.method));
  } else {
    w.member("top_box", t.ratings.top_box_count());
    write_interval(w, "mean", t.ratings.mean_interval(q.level));
    write_interval(w, "top_box_share", t.ratings.top_box_interval(q.level));
  }
  w.end_object();
}

const char* kind_name(metric_kind k) {
  switch (k) {
    case metric_kind::nps: return "nps";
    case metric_kind::scale: return "scale";
    case metric_kind::duration: return "duration";
  }
  return "unknown";
}

// Aggregate snapshots of many apps do not share one metric list, so they merge metric by metric
// (by name and kind); a metric whose values do not merge (another scale) is counted, not guessed.
struct merged_metric {
  metric_kind kind;
  metric_value value;
};

}  // namespace

result<report_query> parse_report_query(std::string_view qs) {
  report_query q;
  std::size_t start = 0;
  while (start < qs.size()) {
    std::size_t end = qs.find('&', start);
    if (end == std::string_view::npos) end = qs.size();
    std::string_view pair = qs.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::string key, value;
    if (!percent_decode(pair.substr(0, eq), key, true) ||
        !percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), value, true))
      return {errc::invalid_argument, "the query string has a bad percent escape"};
    if (key == "survey") {
      q.survey_id = value;
    } else if (key == "from" || key == "to") {
      std::int64_t ms = 0;
      if (!parse_time(value, ms)) return {errc::invalid_argument, key + ": expected an RFC 3339 time or ms since 1970"};
      (key == "from" ? q.from_ms : q.to_ms) = ms;
    } else if (key == "by") {
      std::size_t s = 0;
      while (s <= value.size()) {
        std::size_t e = value.find(',', s);
        if (e == std::string::npos) e = value.size();
        if (e > s) q.breakdowns.push_back(value.substr(s, e - s));
        s = e + 1;
      }
      if (q.breakdowns.size() > 8) return {errc::invalid_argument, "by: at most 8 dimensions"};
    } else if (key == "level") {
      char* endp = nullptr;
      q.level = std::strtod(value.c_str(), &endp);
      if (value.empty() || *endp != '\0' || !(q.level > 0 && q.level < 1))
        return {errc::invalid_argument, "level: expected a number between 0 and 1"};
    } else if (key == "method") {
      if (value == "adjusted_wald") q.method = interval_method::adjusted_wald;
      else if (value == "wald") q.method = interval_method::wald;
      else if (value == "score") q.method = interval_method::score;
      else return {errc::invalid_argument, "method: expected adjusted_wald, wald or score"};
    } else if (key == "tz") {
      q.tz = value;
    } else if (key == "p_adjust") {
      q.p_adjust = value;
    } else if (key == "min_n") {
      char* endp = nullptr;
      const unsigned long long n = std::strtoull(value.c_str(), &endp, 10);
      if (value.empty() || *endp != '\0' || value[0] == '-' || n > 1000000)
        return {errc::invalid_argument, "min_n: expected a count up to 1000000"};
      q.min_n = n;
    } else {
      return {errc::invalid_argument,
              key + ": unknown parameter (survey, from, to, by, level, method, tz, p_adjust, min_n)"};
    }
  }
  return q;
}

result<const survey*> resolve_survey(const survey_registry& surveys, const std::string& asked) {
  std::string survey_id = asked;
  if (survey_id.empty()) {
    auto ids = surveys.ids();
    if (ids.size() != 1) return {errc::invalid_argument, "survey: required when several surveys are served"};
    survey_id = ids.front();
  }
  const survey* def = surveys.latest(survey_id);
  if (def == nullptr) return {errc::not_found, "survey: no survey \"" + survey_id + "\" is served here"};
  return def;
}

result<std::string> build_report(store& s, const survey_registry& surveys, const report_query& q) {
  auto found = resolve_survey(surveys, q.survey_id);
  if (!found) return {found.code(), found.detail()};
  const survey* def = *found;
  const std::string survey_id = def->id();

  survey_scorer scorer;
  for (const auto& question : def->questions())
    if (question.type == question_type::nps || question.type == question_type::ces ||
        question.type == question_type::csat)
      if (auto st = scorer.add_question(question.id, question.type, question.scale); !st)
        return {st.code(), "question " + question.id + ": " + st.message()};
  for (const auto& b : q.breakdowns)
    if (auto st = scorer.add_breakdown(b); !st)
      return {errc::invalid_argument, "by: \"" + b + "\" is not a dimension (" + std::string(breakdown_dimensions) + ")"};

  response_reader reader;
  std::uint64_t stored = 0, mismatches = 0;
  std::string detail;
  response_query rq{survey_id, q.from_ms, q.to_ms};
  status st = s.scan_responses(rq, [&](const response_row& row) {
    ++stored;
    mismatches += row.score_mismatch ? 1 : 0;
    reader.feed(row.record, scorer);
    reader.feed("\n", scorer);
    return true;
  }, detail);
  if (!st) return {st.code(), detail};

  std::map<std::string, merged_metric> metrics;
  std::uint64_t snapshots = 0, unmerged = 0;
  st = s.scan_aggregates(q.from_ms, q.to_ms, [&](const aggregate_row& row) {
    auto snap = recorder_snapshot_from_json(row.snapshot);
    if (!snap) return ++unmerged, true;
    ++snapshots;
    for (std::size_t i = 0; i < snap->metrics.size(); ++i) {
      auto it = metrics.find(snap->metrics[i].name);
      if (it == metrics.end()) {
        metrics.emplace(snap->metrics[i].name, merged_metric{snap->metrics[i].kind, snap->values[i]});
        continue;
      }
      bool ok = it->second.kind == snap->metrics[i].kind && it->second.value.index() == snap->values[i].index();
      if (ok) {
        status m = std::visit(
            [&](auto& into) -> status {
              using T = std::decay_t<decltype(into)>;
              return into.merge(std::get<T>(snap->values[i]));
            },
            it->second.value);
        ok = m.ok();
      }
      unmerged += ok ? 0 : 1;
    }
    return true;
  }, detail);
  if (!st) return {st.code(), detail};

  detail::json_writer w;
  w.begin_object().member("format", "cxm.server_report").member("version", 1);
  w.member("survey_id", survey_id).member("survey_version", def->version());
  if (q.from_ms) w.member("from", *q.from_ms);
  if (q.to_ms) w.member("to", *q.to_ms);
  w.member("level", q.level).member("method", name(q.method));
  w.member("stored", stored).member("responses", scorer.responses());
  w.member("unreadable", reader.stats().rejected_lines).member("score_mismatches", mismatches);
  w.key("questions").begin_array();
  for (const auto& t : scorer.totals()) write_question(w, t, q);
  w.end_array();
  w.key("breakdowns").begin_array();
  for (const auto& b : scorer.breakdowns()) {
    w.begin_object().member("dimension", b.dimension).member("overflow", b.overflow).key("groups").begin_array();
    for (const auto& g : b.groups) {
      w.begin_object().member("value", g.value).member("responses", g.responses).key("questions").begin_array();
      for (const auto& t : g.questions) write_question(w, t, q);
      w.end_array().end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
  w.key("aggregates").begin_object().member("snapshots", snapshots).member("unmerged", unmerged);
  w.key("metrics").begin_array();
  for (const auto& [metric_name, m] : metrics) {
    w.begin_object().member("name", metric_name).member("kind", kind_name(m.kind)).key("value");
    std::visit([&](const auto& v) { w.raw(to_json(v)); }, m.value);
    w.end_object();
  }
  w.end_array().end_object();
  w.end_object();
  return w.take();
}

}  // namespace cxm::server
