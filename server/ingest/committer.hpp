// SPDX-License-Identifier: MIT
// Group commit: requests hand their rows to one writer thread, which stores everything queued
// in one transaction. A synced commit costs the same for 1 row or 5,000, so under load many
// requests share one fsync; each request's reply waits for the commit that holds its rows.
#ifndef CXM_SERVER_INGEST_COMMITTER_HPP
#define CXM_SERVER_INGEST_COMMITTER_HPP

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/ingest/ingest.hpp"
#include "server/storage/store.hpp"

namespace cxm::server {

class committer {
 public:
  /// Called on the writer thread once the batch's rows are committed (status ok; settle() has
  /// filled its verdicts) or could not be (the status and detail say why; nothing is stored).
  /// Keep it short (hand the work to another thread): every later commit waits for it. The
  /// batch's rows have been moved into the store by then.
  using done_fn = std::function<void(status, const std::string& detail)>;

  /// `max_rows` bounds one transaction (rows + events + aggregates); a larger batch still
  /// commits, alone.
  explicit committer(store& s, std::size_t max_rows = 5000);
  ~committer();
  committer(const committer&) = delete;
  committer& operator=(const committer&) = delete;

  /// Queues `p` (kept alive by the caller until `done` runs). `retry_later` once stopping.
  status submit(std::shared_ptr<prepared_batch> p, done_fn done);
  /// Commits what is queued, then stops the writer thread. Idempotent.
  void stop();

  std::uint64_t commits() const;

 private:
  struct job {
    std::shared_ptr<prepared_batch> batch;
    done_fn done;
  };
  void run();
  void commit(std::vector<job>& jobs);

  store& store_;
  std::size_t max_rows_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<job> queue_;
  bool stopping_ = false;
  std::uint64_t commits_ = 0;
  std::thread writer_;
};

}  // namespace cxm::server

#endif  // CXM_SERVER_INGEST_COMMITTER_HPP
