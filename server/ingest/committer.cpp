// SPDX-License-Identifier: MIT
#include "server/ingest/committer.hpp"

#include <iterator>
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
  // The group's rows are moved out of the jobs for the insert, and back afterwards. When it fails, each job
  // is then retried alone, so that one request's failure (a row the database refuses) fails
  // only that request. The counts stay in the jobs' slots either way.
  std::vector<std::size_t> counts[3];
  std::vector<response_row> rows;
  std::vector<event_row> events;
  std::vector<aggregate_row> aggregates;
  auto take = [](auto& from, auto& into, std::vector<std::size_t>& count) {
    count.push_back(from.size());
    into.insert(into.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
    from.clear();
  };
  auto give_back = [](auto& from, std::vector<job>& to, auto member, const std::vector<std::size_t>& count) {
    std::size_t at = 0;
    for (std::size_t k = 0; k < to.size(); ++k) {
      auto& into = (*to[k].batch).*member;
      into.assign(std::make_move_iterator(from.begin() + static_cast<std::ptrdiff_t>(at)),
                  std::make_move_iterator(from.begin() + static_cast<std::ptrdiff_t>(at + count[k])));
      at += count[k];
    }
  };
  for (auto& j : jobs) {
    take(j.batch->rows, rows, counts[0]);
    take(j.batch->events, events, counts[1]);
    take(j.batch->aggregates, aggregates, counts[2]);
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
    // Back into their jobs on success too: the reply's callback counts the stored rows into
    // GET /metrics (moves only: no record is copied).
    give_back(rows, jobs, &prepared_batch::rows, counts[0]);
    give_back(events, jobs, &prepared_batch::events, counts[1]);
    give_back(aggregates, jobs, &prepared_batch::aggregates, counts[2]);
    for (std::size_t n = 0; n < jobs.size(); ++n) {
      std::vector<insert_outcome> mine;
      for (std::size_t k = 0; k < counts[0][n]; ++k) mine.push_back(outcomes[r++]);
      for (std::size_t k = 0; k < counts[1][n]; ++k) mine.push_back(outcomes[e++]);
      for (std::size_t k = 0; k < counts[2][n]; ++k) mine.push_back(outcomes[a++]);
      settle(*jobs[n].batch, mine);
      jobs[n].done(errc::ok, {});
    }
    return;
  }
  if (jobs.size() == 1) {
    jobs.front().done(st, detail);
    return;
  }
  give_back(rows, jobs, &prepared_batch::rows, counts[0]);
  give_back(events, jobs, &prepared_batch::events, counts[1]);
  give_back(aggregates, jobs, &prepared_batch::aggregates, counts[2]);
  for (auto& j : jobs) {
    std::vector<job> alone{std::move(j)};
    commit(alone);
  }
}

}  // namespace cxm::server
