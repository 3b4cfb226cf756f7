// SPDX-License-Identifier: MIT
// The journey section of a report: what a journey report holds, summarized with the report's
// statistics (its interval method, level and min_n) so that every printer only prints.
#include <map>
#include <utility>

#include "cxm/report/report.hpp"
#include "report/report_metric.hpp"

CXM_BEGIN_NAMESPACE
namespace {

// The names of the groups the step's p50 and p90 make (journey_report::nps_by_duration: at
// most p50, over p50 and up to p90, over p90).
constexpr const char* band_names[] = {"le_p50", "p50_p90", "gt_p90"};

report_effort effort_of(std::string step, const effort_components& c) {
  report_effort e;
  e.step = std::move(step);
  e.components = c;
  e.index = c.index();
  // Each part is the component's share of the index: weight · count / journeys (the same
  // weights as effort_components::total), so the parts add up to the index.
  if (c.journeys > 0) {
    const double j = static_cast<double>(c.journeys);
    e.transfers = effort_weights::transfer * static_cast<double>(c.transfers) / j;
    e.recontacts = effort_weights::recontact * static_cast<double>(c.recontacts) / j;
    e.channel_switches = effort_weights::channel_switch * static_cast<double>(c.channel_switches) / j;
    e.repeats = effort_weights::repeat * static_cast<double>(c.repeats) / j;
    e.wait_points = effort_weights::wait_point * static_cast<double>(c.wait_points) / j;
  }
  return e;
}

// An NPS question tally holding `counts` as answers, so a duration band's NPS goes through the
// same metric_of as every other NPS of the report.
question_tally nps_question(const std::string& id, const nps_tally& counts) {
  question_tally q;
  q.id = id;
  q.type = question_type::nps;
  q.nps = counts;
  q.answered = counts.total();
  q.shown = q.answered;
  return q;
}

}  // namespace

report_journey summarize_journey(const journey_report& j, const report_options& o) {
  report_journey out;
  out.id = j.journey_id;
  out.revision = j.revision;
  const journey_segment_stats total = j.total();
  out.started = total.started;
  out.completed = total.completed;
  for (const funnel_row& f : j.funnel())
    out.funnel.push_back({j.steps[f.step].name, f.reached, f.ended, f.conversion_to_next, f.dropped});

  // A step's durations in one channel, merged over the segments (sketches of one tracker share
  // their settings, so the merge cannot be incompatible).
  std::map<std::pair<std::string, std::string>, duration_sketch> by_channel;
  for (const auto& [key, sketch] : j.durations) {
    auto [it, fresh] = by_channel.try_emplace({std::get<0>(key), std::get<2>(key)}, sketch);
    if (!fresh) (void)it->second.merge(sketch);
  }
  for (const journey_report::step_info& step : j.steps)
    for (auto it = by_channel.lower_bound({step.name, std::string()});
         it != by_channel.end() && it->first.first == step.name; ++it) {
      report_step_duration d;
      d.step = step.name;
      d.channel = it->first.second;
      d.n = it->second.count();
      if (auto v = it->second.quantile(0.5)) d.p50_ms = *v;
      if (auto v = it->second.quantile(0.9)) d.p90_ms = *v;
      if (auto v = it->second.quantile(0.99)) d.p99_ms = *v;
      out.durations.push_back(std::move(d));
    }

  const std::vector<double> band_quantiles{0.5, 0.9};
  for (std::size_t i = 0; i < j.steps.size(); ++i) {
    report_step_nps s;
    s.step = j.steps[i].name;
    const question_tally empty = nps_question(std::string(), nps_tally());
    const question_tally& q = i < j.survey.size() ? j.survey[i].nps : empty;
    s.nps = detail::metric_of(q, o);
    // empty (no duration or no NPS answer by duration) leaves the bands out.
    if (auto split = j.nps_by_duration(s.step, band_quantiles)) {
      for (std::size_t g = 0; g < split->groups.size(); ++g) {
        report_duration_band b;
        b.band = band_names[g];
        if (g > 0) b.lower_ms = split->thresholds_ms[g - 1];
        if (g < split->thresholds_ms.size()) b.upper_ms = split->thresholds_ms[g];
        b.nps = detail::metric_of(nps_question(q.id, split->groups[g]), o);
        s.by_duration.push_back(std::move(b));
      }
    }
    out.nps.push_back(std::move(s));
  }

  out.effort = effort_of(std::string(), total.effort);
  for (std::size_t i = 0; i < j.steps.size() && i < j.step_effort.size(); ++i)
    if (j.step_effort[i].journeys > 0) out.step_effort.push_back(effort_of(j.steps[i].name, j.step_effort[i]));
  return out;
}

CXM_END_NAMESPACE
