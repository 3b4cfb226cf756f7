// SPDX-License-Identifier: MIT
// What cxm serve exposes at GET /metrics: answer counters of the stored responses and the apps'
// step durations (their recorder snapshots merged step by step), kept in memory: loaded from
// the store once at start, then updated with each committed row, so a scrape never rescans
// the store.
#ifndef CXM_SERVER_METRICS_COLLECTOR_METRICS_HPP
#define CXM_SERVER_METRICS_COLLECTOR_METRICS_HPP

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <cxm/core/status.hpp>

#include "server/ingest/survey_registry.hpp"
#include "server/metrics/exposition.hpp"
#include "server/storage/store.hpp"

namespace cxm::server {

/// Which labels /metrics writes, and how many series a family may hold.
///
/// Labels are survey, question, step (the journey step a response was asked at), channel and
/// `segment_<key>` for each segment key listed here
/// (keys match [a-zA-Z_][a-zA-Z0-9_]*), plus value or category, and step for durations. Never
/// respondent, journey or response ids, nor the app's source id: each of those is a new series
/// per person or install. Cardinality rule: a family's series are at most the product of its
/// labels' distinct values (surveys × questions × steps × channels × Π segment values × 11
/// answer values for NPS); `max_series` caps it, and label sets past the cap are counted in the
/// family's `__overflow__` series (see prometheus::exposition).
struct metrics_options {
  std::vector<std::string> segment_labels;
  std::size_t max_series = 10000;
};

/// Counters for the responses the collector answered (from /healthz's counters).
struct response_outcomes {
  std::uint64_t accepted = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t rejected = 0;
};

/// Thread safety: every member may be called from any thread.
class collector_metrics {
 public:
  collector_metrics(const survey_registry& surveys, metrics_options options);

  /// Counts every stored response and merges every stored snapshot. Errors: the store's.
  status load(store& s, std::string& detail);

  /// A response row the store has just committed (stored, not a duplicate).
  void add_response(const response_row& row);
  /// An aggregates row the store has just committed.
  void add_snapshot(const aggregate_row& row);

  /// The exposition of what is held, with the collector's own response counters.
  prometheus::exposition exposition(const response_outcomes& outcomes) const;

 private:
  // label values -> count; at most max_series entries plus the overflow one
  using counter_family = std::map<std::vector<std::string>, std::uint64_t>;
  void count(counter_family& f, std::vector<std::string> labels);
  void add_response_locked(const response_row& row);
  void add_snapshot_locked(const aggregate_row& row);

  const survey_registry& surveys_;
  metrics_options options_;
  mutable std::mutex mu_;
  counter_family nps_, nps_category_, ces_, csat_;
  std::map<std::string, prometheus::native_histogram> durations_;  // by step
  std::uint64_t unreadable_ = 0;    ///< stored records that did not read or score
  std::uint64_t unmerged_ = 0;      ///< snapshot metrics that did not merge (another zero threshold...)
};

}  // namespace cxm::server

#endif  // CXM_SERVER_METRICS_COLLECTOR_METRICS_HPP
