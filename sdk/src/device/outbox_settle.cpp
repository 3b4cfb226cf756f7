// SPDX-License-Identifier: MIT
// Settling records durably (acknowledged, dropped, purged): settled-log frames, their
// application to memory, segment removal, compaction, caps, purge, consent and the counts.
#include <algorithm>

#include "device/outbox_impl.hpp"

CXM_BEGIN_NAMESPACE

using detail::io_status;
using detail::settle_reason;

namespace {

// The settled log is compacted once it passes this size and holds at least twice what a
// compacted log would (so compaction does not run again at the next settle).
constexpr std::uint64_t settled_compact_bytes = 256u << 10;

}  // namespace

outbox::impl::entry* outbox::impl::find_entry(std::uint64_t ordinal) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), ordinal,
                             [](const entry& e, std::uint64_t o) { return e.ordinal < o; });
  return it != entries_.end() && it->ordinal == ordinal ? &*it : nullptr;
}

outbox::impl::settle_plan outbox::impl::plan_for(settle_reason reason, std::vector<std::uint64_t> ordinals) {
  settle_plan plan;
  plan.reason = reason;
  plan.counters = counters_;
  plan.floor = floor_;
  const std::uint64_t n = ordinals.size();
  switch (reason) {
    case settle_reason::expired: plan.counters.dropped_ttl += n; break;
    case settle_reason::capped: plan.counters.dropped_cap += n; break;
    case settle_reason::rejected: plan.counters.dropped_rejected += n; break;
    case settle_reason::too_large: plan.counters.dropped_too_large += n; break;
    case settle_reason::corrupt: plan.counters.corrupt_skipped += n; break;
    default: break;
  }
  plan.ids.reserve(ordinals.size());
  for (std::uint64_t o : ordinals)
    if (const entry* e = find_entry(o)) plan.ids.push_back(e->id);
  plan.ordinals = std::move(ordinals);
  return plan;
}

detail::io_status outbox::impl::commit_settle(settle_plan plan) {
  std::string frame;
  // A purge settles by its floor: listing every id would make the frame as large as the queue.
  static const std::vector<detail::uuid_bytes> none;
  detail::append_settled_frame(frame, plan.reason, plan.floor, plan.counters,
                               plan.reason == settle_reason::purged ? none : plan.ids);
  const std::uint64_t at = settled_.size;
  io_status st = detail::write_at(settled_.fd->get(), settled_.path, frame.data(), frame.size(), at);
  if (!st) {
    io_status cut = detail::truncate_file(settled_.fd->get(), settled_.path, at);
    if (!cut) {
      std::lock_guard<std::mutex> g(mutex_);
      mark_broken(cut.detail());
    }
    return st;
  }
  settled_.size += frame.size();
  st = detail::sync_data(settled_.fd->get(), settled_.path);
  std::vector<std::uint64_t> removed;
  {
    std::lock_guard<std::mutex> g(mutex_);
    if (!st) {
      mark_broken(st.detail());
      return {errc::io_error, broken_detail_};
    }
    apply_settle(plan, removed);
  }
  // Only now, with the frame durable, may the segments go.
  remove_segments(removed);
  // The settle is done whatever compaction does: a compaction that fails before its rename is
  // retried at a later settle, one that fails after it has stopped the outbox (mark_broken).
  (void)maybe_compact_settled(plan.reason == settle_reason::purged);
  return true;
}

void outbox::impl::apply_settle(const settle_plan& plan, std::vector<std::uint64_t>& removed) {
  for (std::uint64_t o : plan.ordinals) {
    entry* e = find_entry(o);
    if (e == nullptr || e->state == entry_state::settled) continue;
    if (e->state == entry_state::in_flight) --in_flight_records_;
    e->state = entry_state::settled;
    --pending_records_;
    pending_bytes_ -= e->size;
    ++tombstones_;
    auto seg = segments_.find(e->seq);
    if (seg == segments_.end()) continue;
    seg->second.settled.push_back(e->id);
    if (--seg->second.live == 0 && e->seq != active_seq_) {
      removed.push_back(e->seq);
      segments_.erase(seg);
    }
  }
  if (!plan.batch_id.empty()) {
    auto b = find_batch(plan.batch_id);
    if (b != in_flight_.end()) in_flight_.erase(b);
  }
  if (plan.reason == settle_reason::purged) {
    in_flight_.clear();
    for (auto it = segments_.begin(); it != segments_.end() && it->first < plan.floor;) {
      removed.push_back(it->first);
      it = segments_.erase(it);
    }
    floor_ = plan.floor;
  }
  counters_.raise_to(plan.counters);
  drop_tombstones();
}

// Settled entries leave the front at once; those behind a pending one wait until they are half
// of the queue, then go in one pass (keeps settling O(1) amortized, the queue sorted).
void outbox::impl::drop_tombstones() {
  while (!entries_.empty() && entries_.front().state == entry_state::settled) {
    entries_.pop_front();
    --tombstones_;
  }
  if (tombstones_ > 1024 && tombstones_ * 2 > entries_.size()) {
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                  [](const entry& e) { return e.state == entry_state::settled; }),
                   entries_.end());
    tombstones_ = 0;
  }
}

detail::io_status outbox::impl::maybe_compact_settled(bool force) {
  std::vector<detail::uuid_bytes> ids;
  detail::persisted_counters counters;
  {
    std::lock_guard<std::mutex> g(mutex_);
    std::size_t kept = 0;
    for (const auto& s : segments_) kept += s.second.settled.size();
    const std::uint64_t compacted = detail::file_header_size + detail::frame_prefix_size + detail::settled_fixed_size + 16 * kept;
    if (!force && (settled_.size < settled_compact_bytes || settled_.size < 2 * compacted)) return true;
    ids = detail::settled_ids_of(segments_);
    counters = counters_;
  }
  bool renamed = false;
  auto fresh = detail::compact_settled(options_.directory, floor_, counters, ids, renamed);
  if (!fresh) {
    // Before the rename the old log is intact and stays in use: compaction is retried later.
    // After it, only the directory's fsync failed, which stops the outbox like any fsync.
    if (renamed) {
      std::lock_guard<std::mutex> g(mutex_);
      mark_broken(fresh.detail());
    }
    return {fresh.code(), fresh.detail()};
  }
  settled_ = std::move(*fresh);
  return true;
}

detail::io_status outbox::impl::enforce_caps(std::uint64_t keep) {
  std::lock_guard<std::mutex> settle_lock(settle_mutex_);
  std::vector<std::uint64_t> victims;
  settle_plan plan;
  {
    std::lock_guard<std::mutex> g(mutex_);
    if (broken_) return {errc::io_error, broken_detail_};
    std::uint64_t records = pending_records_;
    std::uint64_t bytes = pending_bytes_;
    // Oldest first; records in flight are not touched (their batch settles them), so the
    // queue may stay over a cap by an in-flight batch until it is acknowledged.
    for (const entry& e : entries_) {
      if (records <= options_.max_records && bytes <= options_.max_bytes) break;
      if (!offerable(e) || e.ordinal == keep) continue;
      victims.push_back(e.ordinal);
      --records;
      bytes -= e.size;
    }
    if (victims.empty()) return true;
    plan = plan_for(settle_reason::capped, std::move(victims));
  }
  return commit_settle(std::move(plan));
}

status outbox::impl::purge() {
  std::lock_guard<std::mutex> settle_lock(settle_mutex_);
  std::vector<std::uint64_t> removed;
  settle_plan plan;
  {
    std::unique_lock<std::mutex> lk(mutex_);
    cv_.wait(lk, [&] { return !rolling_ || broken_; });
    if (broken_) return errc::io_error;
    // Records go to a fresh segment from now on; every segment below it is purged at once by
    // one settled frame whose floor says so, so a crash midway cannot bring half of them back.
    io_status st = roll_segment(lk, removed);
    if (!st) return st.code();
    std::vector<std::uint64_t> all;
    for (const entry& e : entries_)
      if (e.state != entry_state::settled && e.seq < active_seq_) all.push_back(e.ordinal);
    plan = plan_for(settle_reason::purged, std::move(all));
    plan.floor = active_seq_;
  }
  remove_segments(removed);
  return commit_settle(std::move(plan)).code();
}

status outbox::impl::set_consent(consent_state c) {
  if (c != consent_state::unknown && c != consent_state::given && c != consent_state::revoked)
    return errc::invalid_argument;
  std::lock_guard<std::mutex> settle_lock(settle_mutex_);
  detail::persisted_counters counters;
  {
    std::lock_guard<std::mutex> g(mutex_);
    if (broken_) return errc::io_error;
    counters = counters_;
  }
  bool renamed = false;
  io_status st = detail::write_state(options_.directory, c, counters, renamed);
  std::lock_guard<std::mutex> g(mutex_);
  if (!st) {
    if (renamed) mark_broken(st.detail());
    return st.code();
  }
  consent_ = c;
  return errc::ok;
}

consent_state outbox::impl::consent() const {
  std::lock_guard<std::mutex> g(mutex_);
  return consent_;
}

outbox_counts outbox::impl::counts() const {
  std::lock_guard<std::mutex> g(mutex_);
  outbox_counts c;
  c.pending_records = pending_records_;
  c.pending_bytes = pending_bytes_;
  c.in_flight_records = in_flight_records_;
  c.dropped_ttl = counters_.dropped_ttl;
  c.dropped_cap = counters_.dropped_cap;
  c.dropped_rejected = counters_.dropped_rejected;
  c.dropped_too_large = counters_.dropped_too_large;
  c.corrupt_skipped = counters_.corrupt_skipped;
  c.next_attempt_ms = schedule_.next_attempt_ms(options_.clock());
  return c;
}

CXM_END_NAMESPACE
