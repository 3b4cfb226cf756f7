// SPDX-License-Identifier: MIT
#include "server/ingest/committer.hpp"

#include <utility>

namespace cxm::server {
namespace {
std::size_t rows_of(const prepared_batch& p) { return p.rows.size() + p.events.size() + p.aggregates.size(); }
}  // namespace

committer::committer(store& s, std::size_t max_rows) : store_(s), max_rows_(max_rows), writer_([this] { run(); }) {}

committer::~committer() { stop(); }

status committer::submit(std::shared_ptr<prepared_batch> p, done_fn done) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return errc::retry_later;
    queue_.push_back({std::move(p), std::move(done)});
  }
  wake_.notify_one();
  return errc::ok;
}

void committer::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
}

std::uint64_t committer::commits() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return commits_;
}

void committer::run() {
  std::vector<job> jobs;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is committed
      std::size_t rows = 0;
      // Take what is queued, up to max_rows (at least one job, however large).
      while (!queue_.empty() && (jobs.empty() || rows + rows_of(*queue_.front().batch) <= max_rows_)) {
        rows += rows_of(*queue_.front().batch);
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit(jobs);
    jobs.clear();
  }
}

void committer::commit(std::vector<job>& jobs) {
  std::vector<response_row> rows;
  std::vector<event_row> events;
  std::vector<aggregate_row> aggregates;
  // The rows are copied, not moved: when the group's commit fails, each job is retried alone
  // below, so that one request's failure (a row the database refuses) fails only that request.
  for (const auto& j : jobs) {
    rows.insert(rows.end(), j.batch->rows.begin(), j.batch->rows.end());
    events.insert(events.end(), j.batch->events.begin(), j.batch->events.end());
    aggregates.insert(aggregates.end(), j.batch->aggregates.begin(), j.batch->aggregates.end());
  }
  std::vector<insert_outcome> outcomes;
  std::string detail;
  status st = store_.insert(rows, events, aggregates, outcomes, detail);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++commits_;
  }
  if (st.ok()) {
    // Outcomes come as all rows, then all events, then all aggregates; hand each job its share
    // in its own order (rows, events, aggregates).
    std::size_t r = 0, e = rows.size(), a = rows.size() + events.size();
    for (auto& j : jobs) {
      std::vector<insert_outcome> mine;
      for (std::size_t k = 0; k < j.batch->rows.size(); ++k) mine.push_back(outcomes[r++]);
      for (std::size_t k = 0; k < j.batch->events.size(); ++k) mine.push_back(outcomes[e++]);
      for (std::size_t k = 0; k < j.batch->aggregates.size(); ++k) mine.push_back(outcomes[a++]);
      settle(*j.batch, mine);
      j.done(errc::ok, {});
    }
    return;
  }
  if (jobs.size() == 1) {
    jobs.front().done(st, detail);
    return;
  }
  for (auto& j : jobs) {
    std::vector<job> alone{std::move(j)};
    commit(alone);
  }
}

}  // namespace cxm::server
