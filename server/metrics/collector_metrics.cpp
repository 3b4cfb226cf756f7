// SPDX-License-Identifier: MIT
#include "server/metrics/collector_metrics.hpp"

#include <cxm/device/recorder.hpp>
#include <cxm/survey/response_reader.hpp>
#include <cxm/survey/scoring.hpp>

namespace cxm::server {
namespace {

// Reads one stored record and hands its scored answers to `fn`. The store holds only records
// the collector accepted, so a record that no longer reads or scores (a definition removed
// since) is counted as unreadable rather than guessed at.
template <class Fn>
class answer_sink final : public response_sink {
 public:
  answer_sink(const survey* def, Fn& fn) : def_(def), fn_(fn) {}
  bool on_response(const response_view& r, std::vector<problem>&) override {
    seen = true;
    const scored_response scored = score(*def_, r.answers);
    for (const auto& a : scored.answers) fn_(r, def_->questions()[a.question], a);
    return true;
  }
  bool seen = false;

 private:
  const survey* def_;
  Fn& fn_;
};

}  // namespace

collector_metrics::collector_metrics(const survey_registry& surveys, metrics_options options)
    : surveys_(surveys), options_(std::move(options)) {}

void collector_metrics::count(counter_family& f, std::vector<std::string> labels) {
  auto it = f.find(labels);
  if (it != f.end()) {
    ++it->second;
    return;
  }
  // The cap is kept here, where series are created, so that a series once exposed stays
  // (a counter never moves into the overflow series later); the first max_series label sets
  // keep their own series.
  if (f.size() >= options_.max_series) labels.assign(labels.size(), std::string(prometheus::overflow_value));
  ++f[std::move(labels)];
}

void collector_metrics::add_response(const response_row& row) {
  std::lock_guard<std::mutex> lock(mu_);
  add_response_locked(row);
}

void collector_metrics::add_response_locked(const response_row& row) {
  const survey* def = surveys_.find(row.survey_id, row.survey_version);
  if (def == nullptr) {
    ++unreadable_;
    return;
  }
  auto fn = [&](const response_view& r, const survey_question& q, const scored_answer& a) {
    std::vector<std::string> labels{row.survey_id, q.id, std::string(r.step), std::string(r.channel)};
    for (const auto& key : options_.segment_labels) labels.emplace_back(r.segment_value(key));
    if (a.type == question_type::nps) {
      auto by_category = labels;
      by_category.emplace_back(name(a.category));
      count(nps_category_, std::move(by_category));
    }
    labels.push_back(std::to_string(a.score));
    if (a.type == question_type::nps) count(nps_, std::move(labels));
    else if (a.type == question_type::ces) count(ces_, std::move(labels));
    else if (a.type == question_type::csat) count(csat_, std::move(labels));
  };
  answer_sink<decltype(fn)> sink(def, fn);
  response_reader reader;
  reader.feed(row.record, sink);
  reader.feed("\n", sink);
  reader.finish(sink);
  if (!sink.seen) ++unreadable_;
}

void collector_metrics::add_snapshot(const aggregate_row& row) {
  std::lock_guard<std::mutex> lock(mu_);
  add_snapshot_locked(row);
}

void collector_metrics::add_snapshot_locked(const aggregate_row& row) {
  auto snap = recorder_snapshot_from_json(row.snapshot);
  if (!snap) {
    ++unreadable_;
    return;
  }
  // Snapshots are drains (what was recorded since the previous one), so the step's histogram
  // is the merge of all of them, as GET /v1/report merges them.
  for (std::size_t i = 0; i < snap->metrics.size(); ++i) {
    if (snap->metrics[i].kind != metric_kind::duration) continue;
    const auto* sketch = std::get_if<duration_sketch>(&snap->values[i]);
    if (sketch == nullptr) continue;
    auto h = prometheus::native_histogram::from_sketch(*sketch);
    if (!h) {
      ++unmerged_;
      continue;
    }
    std::string step = snap->metrics[i].name;
    auto it = durations_.find(step);
    if (it == durations_.end()) {
      if (durations_.size() >= options_.max_series) step = std::string(prometheus::overflow_value);
      it = durations_.find(step);
      if (it == durations_.end()) {
        durations_.emplace(std::move(step), std::move(*h));
        continue;
      }
    }
    if (!it->second.merge(*h)) ++unmerged_;
  }
}

status collector_metrics::load(store& s, std::string& detail) {
  std::lock_guard<std::mutex> lock(mu_);
  status st = s.scan_responses({}, [&](const response_row& row) {
    add_response_locked(row);
    return true;
  }, detail);
  if (!st) return st;
  return s.scan_aggregates(std::nullopt, std::nullopt, [&](const aggregate_row& row) {
    add_snapshot_locked(row);
    return true;
  }, detail);
}

prometheus::exposition collector_metrics::exposition(const response_outcomes& outcomes) const {
  // One more than the cap: the overflow series made here passes through as it is.
  prometheus::exposition e(options_.max_series + 1);
  std::vector<std::string> labels{"survey", "question", "step", "channel"};
  for (const auto& key : options_.segment_labels) labels.push_back("segment_" + key);
  auto with = [&](const char* last) {
    auto l = labels;
    l.emplace_back(last);
    return l;
  };
  (void)e.add_counter_family("cxm_nps_answers_total", "NPS answers of stored responses, by answer (0-10)", with("value"));
  (void)e.add_counter_family("cxm_nps_category_answers_total",
                             "NPS answers of stored responses, by category (detractor, passive, promoter)",
                             with("category"));
  (void)e.add_counter_family("cxm_ces_answers_total", "CES answers of stored responses, by answer", with("value"));
  (void)e.add_counter_family("cxm_csat_answers_total", "CSAT answers of stored responses, by answer", with("value"));
  (void)e.add_counter_family("cxm_records_total",
                             "Records (responses, events, snapshots) this instance answered since it started, by verdict", {"outcome"});
  (void)e.add_counter_family("cxm_unreadable_records_total",
                             "Stored responses or snapshots that no longer read or score (counted, not exposed)", {});
  (void)e.add_counter_family("cxm_unmerged_duration_metrics_total",
                             "Duration metrics of snapshots that did not merge into their step's histogram", {});
  (void)e.add_histogram_family("cxm_step_duration_milliseconds",
                               "Step durations recorded by apps (recorder snapshots), in milliseconds", {"step"});

  std::lock_guard<std::mutex> lock(mu_);
  const std::pair<const char*, const counter_family*> families[] = {
      {"cxm_nps_answers_total", &nps_},
      {"cxm_nps_category_answers_total", &nps_category_},
      {"cxm_ces_answers_total", &ces_},
      {"cxm_csat_answers_total", &csat_}};
  for (const auto& [family, series] : families)
    for (const auto& [values, n] : *series) (void)e.add(family, values, static_cast<double>(n));
  (void)e.add("cxm_records_total", {"accepted"}, static_cast<double>(outcomes.accepted));
  (void)e.add("cxm_records_total", {"duplicate"}, static_cast<double>(outcomes.duplicates));
  (void)e.add("cxm_records_total", {"rejected"}, static_cast<double>(outcomes.rejected));
  (void)e.add("cxm_unreadable_records_total", {}, static_cast<double>(unreadable_));
  (void)e.add("cxm_unmerged_duration_metrics_total", {}, static_cast<double>(unmerged_));
  for (const auto& [step, h] : durations_) (void)e.add("cxm_step_duration_milliseconds", {step}, h);
  return e;
}

}  // namespace cxm::server
