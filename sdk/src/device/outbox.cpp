// SPDX-License-Identifier: MIT
// cxm::outbox: opening (options, lock, recovery), appending with group commit, segment
// rollover, and the public members, which forward to outbox::impl (outbox_impl.hpp explains
// the locking).
#include "cxm/device/outbox.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <random>
#include <thread>
#include <utility>

#include "device/batch_json.hpp"
#include "device/outbox_impl.hpp"

CXM_BEGIN_NAMESPACE

using detail::io_status;

namespace {

constexpr std::size_t max_source_bytes = 128;

result<bool> check_options(const outbox_options& o) {
  const auto bad = [](std::string what) { return result<bool>(errc::invalid_argument, std::move(what)); };
  if (o.directory.empty()) return bad("directory: must not be empty");
  // The system calls take a NUL-terminated path: a NUL inside would open a shorter, other path.
  if (o.directory.find('\0') != std::string::npos) return bad("directory: contains a NUL byte");
  if (o.source.empty() || o.source.size() > max_source_bytes) return bad("source: expected 1-128 bytes");
  for (char c : o.source)
    if (c < 0x20 || c > 0x7E) return bad("source: expected printable ASCII");
  if (o.max_records == 0) return bad("max_records: must be at least 1");
  if (o.max_record_bytes < 2 || o.max_record_bytes > detail::max_record_json)
    return bad("max_record_bytes: expected 2 to " + std::to_string(detail::max_record_json));
  if (o.max_bytes < o.max_record_bytes) return bad("max_bytes: must be at least max_record_bytes");
  if (o.ttl_ms <= 0) return bad("ttl_ms: must be positive");
  if (o.retry_base_ms <= 0) return bad("retry_base_ms: must be positive");
  if (o.retry_max_ms < o.retry_base_ms) return bad("retry_max_ms: must be at least retry_base_ms");
  return true;
}

std::int64_t system_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

template <class T>
result<T> pass(const io_status& st) {
  return {st.code(), st.detail()};
}

}  // namespace

// ---- open --------------------------------------------------------------------------------

outbox::impl::impl(outbox_options options, detail::unique_fd lock, detail::recovery rec)
    : options_(std::move(options)),
      lock_(std::move(lock)),
      segments_(std::move(rec.segments)),
      active_seq_(rec.active_seq),
      active_(std::move(rec.active)),
      counters_(rec.counters),
      consent_(rec.consent),
      schedule_(options_.retry_base_ms, options_.retry_max_ms),
      ids_(options_.random),
      settled_(std::move(rec.settled)),
      floor_(rec.floor) {
  for (const detail::stored_record& r : rec.records) {
    entries_.push_back({++written_, r.id, r.capture_ms, r.seq, r.offset, r.size, r.kind, r.flags, entry_state::pending});
    pending_bytes_ += r.size;
  }
  pending_records_ = entries_.size();
  synced_ = written_;
  if (rec.have_id) ids_.observe(rec.max_id);
}

detail::io_status outbox::impl::write_state_after_recovery(bool dirty) {
  if (!dirty) return true;
  bool renamed = false;
  return detail::write_state(options_.directory, consent_, counters_, renamed);
}

result<outbox> outbox::open(outbox_options options) {
  auto checked = check_options(options);
  if (!checked) return {checked.code(), checked.detail()};
  if (!options.clock) options.clock = system_clock_ms;
  if (!options.random) {
    std::random_device rd;
    auto gen = std::make_shared<std::mt19937_64>(std::uint64_t{rd()} << 32 ^ rd());
    options.random = [gen] { return (*gen)(); };
  }
  io_status st = detail::make_dir(options.directory);
  if (!st) return pass<outbox>(st);
  auto lock = detail::lock_dir(options.directory);
  if (!lock) return {lock.code(), lock.detail()};
  auto rec = detail::recover(options.directory);
  if (!rec) return {rec.code(), rec.detail()};
  const bool dirty = rec->state_dirty;
  auto p = std::make_unique<impl>(std::move(options), std::move(*lock), std::move(*rec));
  st = p->write_state_after_recovery(dirty);
  if (!st) return pass<outbox>(st);
  st = p->enforce_caps(0);
  if (!st) return pass<outbox>(st);
  return outbox(std::move(p));
}

// ---- append ------------------------------------------------------------------------------

result<std::string> outbox::impl::append(record_kind kind, std::string_view json) {
  if (kind != record_kind::response && kind != record_kind::event && kind != record_kind::aggregates)
    return {errc::invalid_argument, "kind: not a record_kind"};
  if (options_.aggregates_only && kind != record_kind::aggregates)
    return {errc::not_permitted, "aggregates-only mode: responses and events are not queued"};
  auto checked = detail::check_record_json(json, options_.max_record_bytes);
  if (!checked) return {checked.code(), checked.detail()};
  if (kind == record_kind::aggregates) {
    // Aggregates are delivered inside a wrapper that says what they are: only a snapshot fits.
    auto snapshot = recorder_snapshot_from_json(checked->json);
    if (!snapshot) return {snapshot.code(), snapshot.detail()};
  }
  return append_checked(kind, checked->json, kind != record_kind::aggregates && checked->own_id);
}

result<std::string> outbox::impl::append_checked(record_kind kind, std::string_view json, bool own_id) {
  if (json.size() > options_.max_record_bytes)
    return {errc::too_large, "record of " + std::to_string(json.size()) + " bytes is over the limit of " +
                                 std::to_string(options_.max_record_bytes) + " (max_record_bytes)"};
  // Everything but the id, the capture time and the CRC is prepared before taking the lock.
  std::string frame = detail::record_frame(kind, own_id ? detail::flag_own_id : 0, json);
  std::vector<std::uint64_t> removed;
  std::unique_lock<std::mutex> lk(mutex_);
  cv_.wait(lk, [&] { return !rolling_ || broken_; });
  if (broken_) return broken_error<std::string>();
  const std::int64_t now = options_.clock();
  const detail::uuid_bytes id = ids_.next(now);
  detail::seal_record(frame, id, now);
  const std::uint64_t at = active_.size;
  io_status st = detail::write_at(active_.fd->get(), active_.path, frame.data(), frame.size(), at);
  if (!st) {
    // A partial frame must not stay: the next record would follow it and recovery would count
    // the fragment as damage. If even the truncate fails, the end of the log is unknown.
    io_status cut = detail::truncate_file(active_.fd->get(), active_.path, at);
    if (!cut) mark_broken(cut.detail());
    return {st.code(), st.detail()};
  }
  active_.size += frame.size();
  const std::uint64_t ordinal = ++written_;
  if (syncing_) gathered_.notify_one();  // a gathering leader may have its group now
  entries_.push_back({ordinal, id, now, active_seq_, static_cast<std::uint32_t>(at),
                      static_cast<std::uint32_t>(json.size()), kind, static_cast<std::uint8_t>(own_id ? 1 : 0),
                      entry_state::pending});
  ++segments_[active_seq_].live;
  ++pending_records_;
  pending_bytes_ += json.size();
  if (active_.size >= detail::segment_roll_bytes && !rolling_) {
    // A failed rollover is not this record's failure: it is in the current segment, which keeps
    // taking records until a new one can be made. Only a failed fsync matters (broken_).
    (void)roll_segment(lk, removed);
  }
  st = wait_durable(lk, ordinal);
  if (!st) return {st.code(), st.detail()};
  const bool over_cap = pending_records_ > options_.max_records || pending_bytes_ > options_.max_bytes;
  lk.unlock();
  remove_segments(removed);
  // The record is durable: a failure to drop others for the caps is not its failure (they are
  // dropped at a later append).
  if (over_cap) (void)enforce_caps(ordinal);
  return detail::format_uuid(id);
}

// Why a failed fsync stops the outbox: after fsync reports an error, Linux may already have
// marked the dirty pages clean (and other systems differ), so a retried fsync can succeed
// without the data on disk. What is durable is then unknown until the files are read again,
// which is what reopening does. A failed truncate after a failed write (the end of the log is
// unknown) and a rename whose directory fsync failed stop it for the same reason.
void outbox::impl::mark_broken(const std::string& detail) {
  if (!broken_) broken_detail_ = "the outbox stopped writing (reopen it to recover): " + detail;
  broken_ = true;
  cv_.notify_all();
}

detail::io_status outbox::impl::wait_durable(std::unique_lock<std::mutex>& lk, std::uint64_t ordinal) {
  while (synced_ < ordinal) {
    if (broken_) return {errc::io_error, broken_detail_};
    if (options_.group_commit && syncing_) {
      cv_.wait(lk);
      continue;
    }
    // Lead: sync everything written so far. Without group commit each append syncs for itself
    // (concurrent fsyncs of one file may still overlap in the kernel). With it, the leader
    // first gathers: when the previous fsync covered several appenders, they are likely to
    // append again right away (each waited for that fsync), so it waits until as many frames
    // are written, or group_commit_window at most, before syncing them all in one fsync. A
    // lone appender (a previous group of one) only yields once, and never waits.
    const std::uint64_t before = synced_;
    if (options_.group_commit) {
      syncing_ = true;
      if (last_group_ > 1) {
        const std::uint64_t expect = last_group_;
        gathered_.wait_for(lk, detail::group_commit_window,
                           [&] { return broken_ || written_ - synced_ >= expect; });
      } else {
        lk.unlock();
        std::this_thread::yield();
        lk.lock();
      }
    }
    const std::uint64_t target = options_.group_commit ? written_ : ordinal;
    const std::shared_ptr<detail::unique_fd> fd = active_.fd;
    const std::string path = active_.path;
    lk.unlock();
    io_status st = detail::sync_data(fd->get(), path);
    lk.lock();
    if (options_.group_commit) syncing_ = false;
    if (!st) {
      mark_broken(st.detail());
      return {errc::io_error, broken_detail_};
    }
    synced_ = std::max(synced_, target);
    if (options_.group_commit) last_group_ = target - before;
    cv_.notify_all();
  }
  return true;
}

// Makes segment active_seq_ + 1 the active one. Appends wait meanwhile (rolling_), other
// calls go on: the new file is created and the old one fsynced outside the lock.
detail::io_status outbox::impl::roll_segment(std::unique_lock<std::mutex>& lk, std::vector<std::uint64_t>& removed) {
  rolling_ = true;
  const detail::log_file old = active_;
  const std::uint64_t old_seq = active_seq_;
  const std::uint64_t last = written_;
  lk.unlock();
  auto fresh = detail::create_segment(options_.directory, old_seq + 1);
  io_status synced = detail::sync_data(old.fd->get(), old.path);
  lk.lock();
  rolling_ = false;
  cv_.notify_all();
  if (!synced) {
    mark_broken(synced.detail());
    return {errc::io_error, broken_detail_};
  }
  synced_ = std::max(synced_, last);  // the old segment is durable whole
  if (!fresh) return {fresh.code(), fresh.detail()};
  active_ = std::move(*fresh);
  active_seq_ = old_seq + 1;
  segments_[active_seq_];
  auto it = segments_.find(old_seq);
  if (it != segments_.end() && it->second.live == 0) {
    removed.push_back(old_seq);
    segments_.erase(it);
  }
  return true;
}

// Removes segments whose records are all settled, outside the lock. A failure leaves a file
// that the next open removes (its records are settled in the settled log).
void outbox::impl::remove_segments(const std::vector<std::uint64_t>& seqs) {
  if (seqs.empty()) return;
  for (std::uint64_t seq : seqs) (void)detail::remove_file(detail::join_path(options_.directory, detail::segment_name(seq)));
  (void)detail::sync_dir(options_.directory);
}

// ---- the public members ------------------------------------------------------------------

namespace {
const char* const moved_from = "this outbox was moved from";
}

outbox::outbox(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
outbox::outbox(outbox&&) noexcept = default;
outbox& outbox::operator=(outbox&&) noexcept = default;
outbox::~outbox() = default;

result<std::string> outbox::append(record_kind kind, std::string_view json) {
  if (!impl_) return {errc::invalid_argument, moved_from};
  return impl_->append(kind, json);
}

result<std::string> outbox::append_aggregates(recorder& rec) {
  if (!impl_) return {errc::invalid_argument, moved_from};
  recorder_snapshot snapshot = rec.drain();
  if (snapshot.empty()) return {errc::empty, "nothing was recorded since the last drain"};
  auto id = impl_->append_checked(record_kind::aggregates, to_json(snapshot), false);
  // Nothing recorded may be lost: the snapshot goes back into the recorder for the next drain.
  if (!id) (void)rec.restore(snapshot);
  return id;
}

result<outbox_batch> outbox::next_batch(std::size_t max_bytes) {
  if (!impl_) return {errc::invalid_argument, moved_from};
  return impl_->next_batch(max_bytes);
}

status outbox::ack(std::string_view batch_id) { return impl_ ? impl_->ack(batch_id) : status(errc::invalid_argument); }

status outbox::fail(std::string_view batch_id, int http_status, std::int64_t retry_after_ms) {
  return impl_ ? impl_->fail(batch_id, http_status, retry_after_ms) : status(errc::invalid_argument);
}

status outbox::set_consent(consent_state c) { return impl_ ? impl_->set_consent(c) : status(errc::invalid_argument); }
consent_state outbox::consent() const { return impl_ ? impl_->consent() : consent_state::unknown; }
status outbox::purge() { return impl_ ? impl_->purge() : status(errc::invalid_argument); }
outbox_counts outbox::counts() const { return impl_ ? impl_->counts() : outbox_counts{}; }

CXM_END_NAMESPACE
