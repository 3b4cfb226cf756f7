// SPDX-License-Identifier: MIT
// journey_report: merge and queries (format in cxm/journey/report.hpp; JSON in report_json.cpp).
#include "cxm/journey/report.hpp"

#include <algorithm>
#include <cmath>

#include "core/saturating.hpp"
#include "cxm/sketch/log_mapping.hpp"
#include "journey/report_names.hpp"

CXM_BEGIN_NAMESPACE
namespace {

using detail::add_saturating;

void add_counts(std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  if (a.size() < b.size()) a.resize(b.size(), 0);
  for (std::size_t i = 0; i < b.size(); ++i) a[i] = add_saturating(a[i], b[i]);
}

}  // namespace

const char* name(journey_error e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i < journey_error_count ? detail::journey_error_names[i] : "unknown";
}

void effort_components::merge(const effort_components& o) noexcept {
  journeys = add_saturating(journeys, o.journeys);
  contacts = add_saturating(contacts, o.contacts);
  recontacts = add_saturating(recontacts, o.recontacts);
  transfers = add_saturating(transfers, o.transfers);
  channel_switches = add_saturating(channel_switches, o.channel_switches);
  waits = add_saturating(waits, o.waits);
  wait_ms = add_saturating(wait_ms, o.wait_ms);
  wait_points = add_saturating(wait_points, o.wait_points);
  repeats = add_saturating(repeats, o.repeats);
}

double effort_components::total() const noexcept {
  return effort_weights::transfer * static_cast<double>(transfers) +
         effort_weights::recontact * static_cast<double>(recontacts) +
         effort_weights::channel_switch * static_cast<double>(channel_switches) +
         effort_weights::repeat * static_cast<double>(repeats) +
         effort_weights::wait_point * static_cast<double>(wait_points);
}

std::int32_t journey_report::duration_band(double ms) noexcept {
  if (!(ms > 0)) return zero_duration_band;
  // The exact base-2 exponential index at the bands' scale: the sketch's own bucket layout.
  return log_mapping(duration_band_scale).index(ms);
}

double journey_report::band_lower_ms(std::int32_t band) noexcept {
  return band == zero_duration_band ? 0.0 : log_mapping(duration_band_scale).lower_boundary(band);
}

int journey_report::step_index(std::string_view step) const noexcept {
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].name == step) return static_cast<int>(i);
  return -1;
}

std::uint64_t journey_report::rejected_total() const noexcept {
  std::uint64_t t = 0;
  for (std::uint64_t r : rejected) t = add_saturating(t, r);
  return t;
}

static bool same_steps(const journey_report& a, const journey_report& b) {
  if (a.steps.size() != b.steps.size()) return false;
  for (std::size_t i = 0; i < a.steps.size(); ++i) {
    const auto& x = a.steps[i];
    const auto& y = b.steps[i];
    if (x.name != y.name || x.stage != y.stage || x.touchpoint != y.touchpoint || x.channel != y.channel ||
        x.controlled != y.controlled || x.funnel != y.funnel)
      return false;
  }
  return true;
}

static status merge_segment(journey_segment_stats& a, const journey_segment_stats& b) {
  if (status s = a.time_to_complete.merge(b.time_to_complete); !s) return s;
  if (status s = a.effort_index.merge(b.effort_index); !s) return s;
  a.started = add_saturating(a.started, b.started);
  a.completed = add_saturating(a.completed, b.completed);
  a.abandoned = add_saturating(a.abandoned, b.abandoned);
  a.abandoned_timeout = add_saturating(a.abandoned_timeout, b.abandoned_timeout);
  a.evicted = add_saturating(a.evicted, b.evicted);
  a.unfinished = add_saturating(a.unfinished, b.unfinished);
  a.effort.merge(b.effort);
  add_counts(a.reached, b.reached);
  add_counts(a.ended, b.ended);
  add_counts(a.last_step, b.last_step);
  return errc::ok;
}

status journey_report::merge(const journey_report& other) {
  if (journey_id != other.journey_id || revision != other.revision || !same_steps(*this, other))
    return errc::incompatible;
  // Check every sketch pair first so a failure leaves the report unchanged.
  for (const auto& [k, s] : other.durations) {
    auto it = durations.find(k);
    if (it != durations.end() && it->second.zero_threshold() != s.zero_threshold()) return errc::incompatible;
  }
  for (const auto& [k, s] : other.segments) {
    auto it = segments.find(k);
    if (it != segments.end() &&
        (it->second.time_to_complete.zero_threshold() != s.time_to_complete.zero_threshold() ||
         it->second.effort_index.zero_threshold() != s.effort_index.zero_threshold()))
      return errc::incompatible;
  }
  journey_report r = *this;  // the sum overflow of a sketch is the only other failure
  for (std::size_t i = 0; i < journey_error_count; ++i) r.rejected[i] = add_saturating(r.rejected[i], other.rejected[i]);
  r.events_accepted = add_saturating(r.events_accepted, other.events_accepted);
  r.events_applied = add_saturating(r.events_applied, other.events_applied);
  for (const auto& [k, s] : other.segments) {
    auto it = r.segments.find(k);
    if (it == r.segments.end()) r.segments.emplace(k, s);
    else if (status st = merge_segment(it->second, s); !st) return st;
  }
  for (const auto& [k, s] : other.durations) {
    auto it = r.durations.find(k);
    if (it == r.durations.end()) r.durations.emplace(k, s);
    else if (status st = it->second.merge(s); !st) return st;
  }
  if (r.step_effort.size() < other.step_effort.size()) r.step_effort.resize(other.step_effort.size());
  for (std::size_t i = 0; i < other.step_effort.size(); ++i) r.step_effort[i].merge(other.step_effort[i]);
  for (const auto& [k, t] : other.touchpoints) {
    auto [it, fresh] = r.touchpoints.try_emplace(k, t);
    if (!fresh) {
      it->second.events = add_saturating(it->second.events, t.events);
      it->second.journeys = add_saturating(it->second.journeys, t.journeys);
      it->second.completed = add_saturating(it->second.completed, t.completed);
    }
  }
  for (const auto& [offer, by_channel] : other.quotes)
    for (const auto& [channel, q] : by_channel) {
      auto [it, fresh] = r.quotes[offer].try_emplace(channel, q);
      if (fresh) continue;
      quote_stats& a = it->second;
      a.min = std::min(a.min, q.min);
      a.max = std::max(a.max, q.max);
      a.count = add_saturating(a.count, q.count);
      if (__builtin_add_overflow(a.sum, q.sum, &a.sum)) a.sum = q.sum > 0 ? INT64_MAX : INT64_MIN;
    }
  for (const auto& [key, by_channel] : other.messages)
    for (const auto& [channel, values] : by_channel)
      for (const auto& [value, n] : values) {
        std::uint64_t& c = r.messages[key][channel][value];
        c = add_saturating(c, n);
      }
  r.responses_attached = add_saturating(r.responses_attached, other.responses_attached);
  r.responses_unknown_step = add_saturating(r.responses_unknown_step, other.responses_unknown_step);
  r.responses_without_duration = add_saturating(r.responses_without_duration, other.responses_without_duration);
  r.responses_duplicate = add_saturating(r.responses_duplicate, other.responses_duplicate);
  // A report without survey tallies (built by hand) takes the other's as they are.
  const bool take = r.survey.empty();
  if (take) r.survey = other.survey;
  else if (r.survey.size() != other.survey.size() && !other.survey.empty()) return errc::incompatible;
  for (std::size_t i = 0; i < (take ? 0 : other.survey.size()); ++i) {
    step_survey& a = r.survey[i];
    const step_survey& b = other.survey[i];
    // r is a copy: on an error *this is unchanged.
    if (status st = a.nps.merge(b.nps); !st) return st;
    if (status st = a.ces.merge(b.ces); !st) return st;
    if (status st = a.emotion.merge(b.emotion); !st) return st;
    for (const auto& [band, counts] : b.nps_by_duration) {
      auto [it, fresh] = a.nps_by_duration.try_emplace(band, counts);
      if (fresh) continue;
      nps_tally sum(it->second);  // a band's counts are within max_count: the merge checks the sum
      if (status st = sum.merge(nps_tally(counts)); !st) return st;
      it->second = sum.counts();
    }
  }
  *this = std::move(r);
  return errc::ok;
}

journey_segment_stats journey_report::total() const {
  journey_segment_stats t;
  t.reached.assign(steps.size(), 0);
  t.ended.assign(steps.size(), 0);
  t.last_step.assign(steps.size(), 0);
  bool first = true;
  for (const auto& [k, s] : segments) {
    if (first) {
      t.time_to_complete = s.time_to_complete;
      t.effort_index = s.effort_index;
      t.time_to_complete.clear();
      t.effort_index.clear();
      first = false;
    }
    (void)merge_segment(t, s);
  }
  return t;
}

duration_sketch journey_report::step_durations(std::string_view step) const {
  duration_sketch out;
  bool first = true;
  for (const auto& [k, s] : durations) {
    if (std::get<0>(k) != step) continue;
    if (first) {
      out = s;
      first = false;
    } else {
      (void)out.merge(s);
    }
  }
  return out;
}

std::vector<funnel_row> journey_report::funnel() const {
  const journey_segment_stats t = total();
  std::vector<funnel_row> rows;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (!steps[i].funnel) continue;
    funnel_row r;
    r.step = i;
    r.reached = t.reached[i];
    r.ended = t.ended[i];
    r.dropped = t.last_step[i];
    rows.push_back(r);
  }
  for (std::size_t k = 0; k + 1 < rows.size(); ++k)
    rows[k].conversion_to_next =
        rows[k].reached == 0 ? 0.0 : static_cast<double>(rows[k + 1].reached) / static_cast<double>(rows[k].reached);
  return rows;
}

std::vector<consistency_row> journey_report::quote_consistency() const {
  std::vector<consistency_row> out;
  for (const auto& [offer, by_channel] : quotes) {
    consistency_row r;
    r.key = offer;
    r.channels = by_channel.size();
    std::int64_t lo = INT64_MAX, hi = INT64_MIN;
    const quote_stats* first = nullptr;
    for (const auto& [channel, q] : by_channel) {
      lo = std::min(lo, q.min);
      hi = std::max(hi, q.max);
      if (first == nullptr) first = &q;
      else if (q.min != first->min || q.max != first->max) r.inconsistent = true;
    }
    r.spread = by_channel.empty() ? 0.0 : static_cast<double>(hi - lo) / 1e6;
    out.push_back(r);
  }
  return out;
}

std::vector<consistency_row> journey_report::message_consistency() const {
  std::vector<consistency_row> out;
  for (const auto& [key, by_channel] : messages) {
    consistency_row r;
    r.key = key;
    r.channels = by_channel.size();
    std::map<std::string, int> distinct;
    const std::map<std::string, std::uint64_t>* first = nullptr;
    for (const auto& [channel, values] : by_channel) {
      for (const auto& v : values) distinct[v.first] = 1;
      if (first == nullptr) {
        first = &values;
      } else {
        bool same = first->size() == values.size();
        for (auto a = first->begin(), b = values.begin(); same && a != first->end(); ++a, ++b) same = a->first == b->first;
        if (!same) r.inconsistent = true;
      }
    }
    r.spread = static_cast<double>(distinct.size());
    out.push_back(r);
  }
  return out;
}

result<duration_split> journey_report::nps_by_duration(std::string_view step,
                                                        const std::vector<double>& quantiles) const {
  const int s = step_index(step);
  if (s < 0 || static_cast<std::size_t>(s) >= survey.size())
    return {errc::invalid_argument, "step: not a step of the journey"};
  for (std::size_t i = 0; i < quantiles.size(); ++i)
    if (!(quantiles[i] > 0 && quantiles[i] < 1) || (i > 0 && !(quantiles[i] > quantiles[i - 1])))
      return {errc::invalid_argument, "quantiles: expected increasing numbers in (0, 1)"};
  const auto& bands = survey[static_cast<std::size_t>(s)].nps_by_duration;
  const duration_sketch d = step_durations(step);
  if (d.empty() || bands.empty()) return {errc::empty, "no NPS answer by duration for this step"};
  duration_split out;
  std::vector<std::int32_t> cuts;  // a band at or above a cut goes to the next group
  for (double q : quantiles) {
    const double t = d.quantile(q).value();
    // Durations up to the quantile t stay below the cut: the cut is the upper boundary of t's
    // band, at most one band (1.1%) above t.
    std::int32_t b = duration_band(t);
    b = b == zero_duration_band ? zero_duration_band + 1 : b + 1;
    cuts.push_back(b);
    out.thresholds_ms.push_back(band_lower_ms(b));
  }
  out.groups.resize(cuts.size() + 1);
  for (const auto& [band, c] : bands) {
    std::size_t g = 0;
    while (g < cuts.size() && band >= cuts[g]) ++g;
    if (!out.groups[g].merge(nps_tally(c))) return {errc::out_of_range, "more NPS answers than a tally counts"};
  }
  return out;
}

std::array<touchpoint_stats, 2> journey_report::touchpoints_by_kind() const {
  std::array<touchpoint_stats, 2> out{};
  out[1].controlled = false;
  for (const auto& [n, t] : touchpoints) {
    touchpoint_stats& o = out[t.controlled ? 0 : 1];
    o.events = add_saturating(o.events, t.events);
    o.journeys = add_saturating(o.journeys, t.journeys);
    o.completed = add_saturating(o.completed, t.completed);
  }
  return out;
}

// Equal reports encode alike (the encoding is canonical).
bool operator==(const journey_report& a, const journey_report& b) { return to_json(a) == to_json(b); }

CXM_END_NAMESPACE
