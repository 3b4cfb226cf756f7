// SPDX-License-Identifier: MIT
// Delivery: batches handed out (expiry first, one endpoint, the batch limit, the byte budget),
// and the outcomes the app reports (ack, fail), applied through the delivery schedule.
#include <fcntl.h>

#include <algorithm>
#include <map>

#include "device/batch_json.hpp"
#include "device/outbox_impl.hpp"

CXM_BEGIN_NAMESPACE

using detail::io_status;
using detail::settle_reason;

namespace {

constexpr std::size_t min_batch_bytes = 1024;
// Records found corrupt while a batch is read are settled and the batch is read again; this
// bounds the rounds (each round drops at least one record, so it is never reached in practice).
constexpr int max_read_rounds = 8;

// Older than the TTL: captured more than ttl_ms before now (never true for a capture time in
// the future of a clock that went back). Computed without overflow for any clock reading.
bool expired(std::int64_t capture_ms, std::int64_t now_ms, std::int64_t ttl_ms) noexcept {
  return now_ms > capture_ms &&
         static_cast<std::uint64_t>(now_ms) - static_cast<std::uint64_t>(capture_ms) > static_cast<std::uint64_t>(ttl_ms);
}

}  // namespace

std::vector<outbox::impl::batch>::iterator outbox::impl::find_batch(std::string_view id) {
  return std::find_if(in_flight_.begin(), in_flight_.end(), [&](const batch& b) { return b.id == id; });
}

// The batch's records are offered again.
void outbox::impl::release_batch(std::vector<batch>::iterator b) {
  for (std::uint64_t o : b->ordinals) {
    entry* e = find_entry(o);
    if (e == nullptr || e->state != entry_state::in_flight) continue;
    e->state = entry_state::pending;
    --in_flight_records_;
  }
  in_flight_.erase(b);
}

result<outbox_batch> outbox::impl::next_batch(std::size_t max_bytes) {
  if (max_bytes < min_batch_bytes) return {errc::invalid_argument, "max_bytes: must be at least 1024"};
  std::lock_guard<std::mutex> settle_lock(settle_mutex_);
  std::unique_lock<std::mutex> lk(mutex_);
  if (broken_) return broken_error<outbox_batch>();
  if (consent_ != consent_state::given)
    return {errc::not_permitted, consent_ == consent_state::revoked
                                     ? "consent was revoked: records are kept, nothing is sent"
                                     : "consent is unknown: records are kept, nothing is sent until it is given"};
  const std::int64_t now = options_.clock();
  if (!schedule_.ready(now)) {
    const std::int64_t next = schedule_.next_attempt_ms(now);
    return {errc::retry_later, "backing off after " + std::to_string(schedule_.failures()) + " failed attempt(s): next at " +
                                   detail::format_time_ms(next) + " (in " + std::to_string(next - now) + " ms)"};
  }

  // Expired records go first, so that they are never sent.
  std::vector<std::uint64_t> stale;
  for (const entry& e : entries_)
    if (offerable(e) && expired(e.capture_ms, now, options_.ttl_ms)) stale.push_back(e.ordinal);
  if (!stale.empty()) {
    settle_plan plan = plan_for(settle_reason::expired, std::move(stale));
    lk.unlock();
    io_status st = commit_settle(std::move(plan));
    if (!st) return {st.code(), st.detail()};
    lk.lock();
  }

  std::string buffer;
  for (int round = 0; round < max_read_rounds; ++round) {
    // The oldest offerable record chooses the endpoint; later records of that endpoint follow
    // in order while they fit the limit and the byte budget (the first always goes).
    auto first = std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) { return offerable(e); });
    if (first == entries_.end()) return {errc::empty, "no record is waiting to be sent"};
    const record_kind endpoint_kind = first->kind;
    const std::string batch_id = detail::format_uuid(ids_.next(now));
    detail::batch_writer sizer(batch_id, options_.source, now);
    const std::size_t limit = schedule_.batch_limit();
    std::vector<entry*> chosen;
    for (auto it = first; it != entries_.end() && chosen.size() < limit; ++it) {
      if (!offerable(*it) || !detail::same_endpoint(it->kind, endpoint_kind)) continue;
      const bool own_id = (it->flags & detail::flag_own_id) != 0;
      if (!chosen.empty() && sizer.size_with(it->kind, it->size, own_id) > max_bytes) break;
      sizer.count(it->kind, it->size, own_id);
      chosen.push_back(&*it);
    }

    // Read the records back (checked against their CRC) and write the payload.
    detail::batch_writer payload(batch_id, options_.source, now);
    std::vector<std::string> texts(chosen.size());
    std::vector<std::uint64_t> corrupt;
    std::map<std::uint64_t, detail::unique_fd> files;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      const entry& e = *chosen[i];
      const std::string path = detail::join_path(options_.directory, detail::segment_name(e.seq));
      auto f = files.find(e.seq);
      if (f == files.end()) {
        auto fd = detail::open_file(path, O_RDONLY);
        if (!fd) return {fd.code(), fd.detail()};
        f = files.emplace(e.seq, std::move(*fd)).first;
      }
      std::string_view json;
      io_status st = detail::read_record(f->second.get(), path, e.offset, e.size, e.id, buffer, json);
      if (!st && st.code() == errc::corrupt) {
        corrupt.push_back(e.ordinal);
        continue;
      }
      if (!st) return {st.code(), st.detail()};
      texts[i].assign(json);
      payload.add(e.kind, e.id, (e.flags & detail::flag_own_id) != 0, e.capture_ms, texts[i]);
    }
    if (!corrupt.empty()) {
      // Damaged on disk after it was written: never sent, counted, and settled so it does not
      // come back; then the batch is chosen again.
      settle_plan plan = plan_for(settle_reason::corrupt, std::move(corrupt));
      lk.unlock();
      io_status st = commit_settle(std::move(plan));
      if (!st) return {st.code(), st.detail()};
      lk.lock();
      continue;
    }

    batch b;
    b.id = batch_id;
    for (entry* e : chosen) {
      e->state = entry_state::in_flight;
      b.ordinals.push_back(e->ordinal);
    }
    in_flight_records_ += chosen.size();
    in_flight_.push_back(std::move(b));
    outbox_batch out;
    out.id = batch_id;
    out.endpoint = std::string(detail::endpoint_of(endpoint_kind));
    out.records = chosen.size();
    out.payload = payload.finish();
    return out;
  }
  return {errc::corrupt, "too many records of this batch were damaged on disk; try again"};
}

status outbox::impl::ack(std::string_view batch_id) {
  std::lock_guard<std::mutex> settle_lock(settle_mutex_);
  settle_plan plan;
  {
    std::lock_guard<std::mutex> g(mutex_);
    if (broken_) return errc::io_error;
    auto b = find_batch(batch_id);
    if (b == in_flight_.end()) return errc::not_found;
    plan = plan_for(settle_reason::acknowledged, b->ordinals);
    plan.batch_id = std::string(batch_id);
  }
  io_status st = commit_settle(std::move(plan));
  if (!st) return st.code();  // the batch stays in flight: ack may be called again
  std::lock_guard<std::mutex> g(mutex_);
  schedule_.on_ack();
  return errc::ok;
}

status outbox::impl::fail(std::string_view batch_id, int http_status, std::int64_t retry_after_ms) {
  const detail::failure_kind kind = detail::classify_status(http_status);
  if (kind == detail::failure_kind::invalid || retry_after_ms < 0) return errc::invalid_argument;
  std::lock_guard<std::mutex> settle_lock(settle_mutex_);
  settle_plan plan;
  {
    std::lock_guard<std::mutex> g(mutex_);
    if (broken_) return errc::io_error;
    auto b = find_batch(batch_id);
    if (b == in_flight_.end()) return errc::not_found;
    switch (kind) {
      case detail::failure_kind::retry:
        (void)schedule_.on_retry(options_.clock(), retry_after_ms, options_.random());
        release_batch(b);
        return errc::ok;
      case detail::failure_kind::too_large:
        if (b->ordinals.size() > 1) {
          schedule_.on_too_large(b->ordinals.size());
          release_batch(b);
          return errc::ok;
        }
        plan = plan_for(settle_reason::too_large, b->ordinals);
        break;
      default:
        plan = plan_for(settle_reason::rejected, b->ordinals);
        break;
    }
    plan.batch_id = std::string(batch_id);
  }
  return commit_settle(std::move(plan)).code();
}

CXM_END_NAMESPACE
