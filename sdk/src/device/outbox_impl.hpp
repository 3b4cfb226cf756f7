// SPDX-License-Identifier: MIT
// Internal: the state behind cxm::outbox and how its threads share it. outbox.cpp opens and
// appends (group commit), outbox_settle.cpp settles records durably, outbox_delivery.cpp
// hands out batches and takes their outcomes.
//
// Locking. `settle_mutex_` serializes everything that writes the settled log or the state
// file (ack, fail, next_batch's expiry, cap drops, purge, consent); `mutex_` guards the
// in-memory state and is never held during an fsync (next_batch holds it while it reads a
// batch's records back from the page cache, well under a millisecond). Order:
// settle_mutex_, then mutex_. Appends take only mutex_ (and settle_mutex_ after their record
// is durable when a cap must drop records), so an ack's fsync never delays an append.
//
// Settling is "durable, then visible": a settle first computes its frame under mutex_, writes
// and fsyncs it with only settle_mutex_ held, then applies it to memory under mutex_. While
// settle_mutex_ is held nothing else can settle, hand out or take back records, so the plan
// stays valid in between.
//
// Group commit. An append writes its frame under mutex_ and gets the next ordinal; it is
// durable once `synced_` reaches it. If no fsync is running, the appender becomes the leader:
// it fsyncs the active segment outside the lock for everything written so far (`written_`),
// then wakes the others. Before its fsync the leader gathers: when the previous fsync covered
// several records, it waits until as many are written again, or group_commit_window
// (0.5 ms) at most. So an append waits at most for the fsync under way, one window and its own
// fsync.
// Invariant: every frame with an ordinal above synced_ is in the active segment (a segment is
// fsynced whole before the next one becomes active), so syncing the active segment suffices.
// Records become visible to next_batch and the caps only once durable.
#ifndef CXM_SRC_DEVICE_OUTBOX_IMPL_HPP
#define CXM_SRC_DEVICE_OUTBOX_IMPL_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cxm/device/outbox.hpp"
#include "device/delivery_schedule.hpp"
#include "device/file_ops.hpp"
#include "device/outbox_log.hpp"
#include "device/uuid7.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {
/// How long a group-commit leader waits at most for the appenders of the previous group to
/// write again before its fsync (wait_durable). Measured with 8 appending threads on a 2-core
/// VM whose fdatasync takes about 0.25 ms: 11.8k appends/s without a window, 14.0k with
/// 0.2 ms, 16.4k with 0.5 ms; a window sized from the last fsync's duration gave 11.0k.
inline constexpr std::chrono::microseconds group_commit_window{500};
}  // namespace detail


class outbox::impl {
 public:
  impl(outbox_options options, detail::unique_fd lock, detail::recovery rec);

  result<std::string> append(record_kind kind, std::string_view json);
  /// `json` already checked (check_record_json).
  result<std::string> append_checked(record_kind kind, std::string_view json, bool own_id);
  result<outbox_batch> next_batch(std::size_t max_bytes);
  status ack(std::string_view batch_id);
  status fail(std::string_view batch_id, int http_status, std::int64_t retry_after_ms);
  status set_consent(consent_state c);
  consent_state consent() const;
  status purge();
  outbox_counts counts() const;
  /// Drops the oldest records beyond the caps (never `keep`, the record just appended).
  detail::io_status enforce_caps(std::uint64_t keep);
  /// Writes the state file when recovery found something to record.
  detail::io_status write_state_after_recovery(bool dirty);

 private:
  enum class entry_state : std::uint8_t { pending, in_flight, settled };
  // A record in memory: metadata only, the JSON stays on disk (100k records ~ 6 MB).
  struct entry {
    std::uint64_t ordinal;  // append order, from 1; records are kept sorted by it
    detail::uuid_bytes id;
    std::int64_t capture_ms;
    std::uint64_t seq;       // segment
    std::uint32_t offset;    // of the frame in the segment
    std::uint32_t size;      // bytes of JSON
    record_kind kind;
    std::uint8_t flags;
    entry_state state;
  };
  struct batch {
    std::string id;
    std::vector<std::uint64_t> ordinals;
  };
  // A settle computed under mutex_, made durable, then applied.
  struct settle_plan {
    detail::settle_reason reason = detail::settle_reason::acknowledged;
    std::vector<std::uint64_t> ordinals;
    std::vector<detail::uuid_bytes> ids;
    detail::persisted_counters counters;  // after the settle
    std::uint64_t floor = 0;
    std::string batch_id;  // the batch this settles, if any
  };

  // outbox.cpp
  detail::io_status roll_segment(std::unique_lock<std::mutex>& lk, std::vector<std::uint64_t>& removed);
  detail::io_status wait_durable(std::unique_lock<std::mutex>& lk, std::uint64_t ordinal);
  void mark_broken(const std::string& detail);
  template <class T>
  result<T> broken_error() const {
    return {errc::io_error, broken_detail_};
  }
  void remove_segments(const std::vector<std::uint64_t>& seqs);

  // outbox_settle.cpp (settle_mutex_ held by the caller)
  settle_plan plan_for(detail::settle_reason reason, std::vector<std::uint64_t> ordinals);
  detail::io_status commit_settle(settle_plan plan);
  void apply_settle(const settle_plan& plan, std::vector<std::uint64_t>& removed);
  detail::io_status maybe_compact_settled(bool force);
  entry* find_entry(std::uint64_t ordinal);
  bool offerable(const entry& e) const noexcept { return e.state == entry_state::pending && e.ordinal <= synced_; }
  void drop_tombstones();

  // outbox_delivery.cpp
  std::vector<batch>::iterator find_batch(std::string_view id);
  void release_batch(std::vector<batch>::iterator b);

  const outbox_options options_;
  detail::unique_fd lock_;  // the flock on LOCK, held for the outbox's lifetime

  std::mutex settle_mutex_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;  // synced_, syncing_, rolling_, broken_ changed
  std::condition_variable gathered_;  // a frame was written while a leader gathers (wait_durable)

  // Guarded by mutex_.
  std::deque<entry> entries_;
  std::size_t tombstones_ = 0;  // settled entries not at the front yet
  std::map<std::uint64_t, detail::segment_info> segments_;
  std::uint64_t active_seq_ = 0;
  detail::log_file active_;
  std::uint64_t written_ = 0;  // the last ordinal written
  std::uint64_t synced_ = 0;   // every ordinal up to this is durable
  bool syncing_ = false;       // a group-commit leader is gathering or in fdatasync
  std::uint64_t last_group_ = 0;  // records the previous group-commit fsync made durable
  bool rolling_ = false;       // a new segment is being made: appends wait
  bool broken_ = false;        // an fsync failed: see mark_broken
  std::string broken_detail_;
  std::uint64_t pending_records_ = 0;
  std::uint64_t pending_bytes_ = 0;
  std::uint64_t in_flight_records_ = 0;
  std::vector<batch> in_flight_;
  detail::persisted_counters counters_;
  consent_state consent_ = consent_state::unknown;
  detail::delivery_schedule schedule_;
  detail::uuid7_generator ids_;

  // Guarded by settle_mutex_.
  detail::log_file settled_;
  std::uint64_t floor_ = 0;
};

CXM_END_NAMESPACE

#endif  // CXM_SRC_DEVICE_OUTBOX_IMPL_HPP
