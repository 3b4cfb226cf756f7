// SPDX-License-Identifier: MIT
// Internal: the state the journey tracker keeps per open journey (buffered events, step
// states, effort so far, answers waiting for the journey to close) and the two orders it keeps
// journeys in (activity for the cap, closing for late survey answers).
#ifndef CXM_SRC_JOURNEY_TRACKER_STATE_HPP
#define CXM_SRC_JOURNEY_TRACKER_STATE_HPP

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "cxm/journey/event.hpp"
#include "core/hash_index.hpp"
#include "cxm/journey/report.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

constexpr std::int64_t year_ms = 365LL * 24 * 3600 * 1000;
constexpr std::int64_t day_ms = 24LL * 3600 * 1000;
constexpr std::size_t max_pending = 256;
// Timestamps the tracker accepts: 1970-01-01 to 9999-12-31 in ms, so differences and window
// arithmetic never overflow.
constexpr std::int64_t max_timestamp_ms = 253402300799999LL;

inline std::int64_t micros(double v) noexcept { return static_cast<std::int64_t>(std::llround(v * 1e6)); }


struct pending_event {
  std::int64_t ts = 0;
  std::int64_t number = 0;  // wait: ms; quote: micro-units
  journey_event_type type = journey_event_type::step_begin;
  std::int16_t step = -1;
  std::int16_t touchpoint = -1;
  std::uint32_t channel = 0;
  std::uint32_t key = 0;   // quote offer / message key
  std::uint32_t text = 0;  // message value
};

enum class step_phase : std::uint8_t { idle, running, ended };

// The effort of one open journey, or of one of its steps: 32-bit counts (saturating) so that
// per-journey state stays a few cache lines; widened into effort_components when it closes.
struct open_effort {
  std::uint32_t contacts = 0, recontacts = 0, transfers = 0, channel_switches = 0, waits = 0, repeats = 0;
  std::uint64_t wait_ms = 0;

  bool any() const noexcept {
    return (contacts | recontacts | transfers | channel_switches | waits | repeats) != 0 || wait_ms != 0;
  }
  effort_components widen() const noexcept {
    effort_components e;
    e.journeys = 1;
    e.contacts = contacts;
    e.recontacts = recontacts;
    e.transfers = transfers;
    e.channel_switches = channel_switches;
    e.waits = waits;
    e.repeats = repeats;
    e.wait_ms = wait_ms;
    e.wait_points = wait_ms / static_cast<std::uint64_t>(effort_weights::wait_point_ms);
    return e;
  }
};

struct step_state {
  std::int64_t begin_ts = 0;
  std::int64_t duration_ms = 0;  // total over the times the step ran
  std::uint32_t channel = 0;
  step_phase phase = step_phase::idle;
  bool reached = false;
  bool ended = false;
  open_effort effort;
};

// The events of a journey not applied yet, in timestamp order: up to `inline_capacity` inside
// the journey's state (the usual reorder window holds one to three), more on the heap.
class pending_buffer {
 public:
  static constexpr std::size_t inline_capacity = 4;
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  pending_event* data() noexcept { return spilled_ ? heap_.data() : local_.data(); }
  const pending_event* data() const noexcept { return spilled_ ? heap_.data() : local_.data(); }
  pending_event& operator[](std::size_t k) noexcept { return data()[k]; }
  const pending_event& operator[](std::size_t k) const noexcept { return data()[k]; }
  /// Inserts `p` after every event from `from` on with a timestamp <= p.ts.
  void insert_sorted(std::size_t from, const pending_event& p) {
    if (!spilled_ && size_ == inline_capacity) {
      heap_.assign(local_.begin(), local_.end());
      spilled_ = true;
    }
    std::size_t pos = size_;
    const pending_event* d = data();
    while (pos > from && d[pos - 1].ts > p.ts) --pos;
    if (spilled_) {
      heap_.insert(heap_.begin() + static_cast<std::ptrdiff_t>(pos), p);
    } else {
      for (std::size_t k = size_; k > pos; --k) local_[k] = local_[k - 1];
      local_[pos] = p;
    }
    ++size_;
  }
  /// Removes the first `n` events.
  void drop_front(std::size_t n) {
    if (spilled_) {
      heap_.erase(heap_.begin(), heap_.begin() + static_cast<std::ptrdiff_t>(n));
    } else {
      for (std::size_t k = n; k < size_; ++k) local_[k - n] = local_[k];
    }
    size_ -= n;
  }
  void clear() noexcept {
    heap_.clear();  // keeps the capacity for the slot's next journey
    spilled_ = false;
    size_ = 0;
  }

 private:
  std::array<pending_event, inline_capacity> local_;
  std::vector<pending_event> heap_;
  std::size_t size_ = 0;
  bool spilled_ = false;
};

struct pending_answer {
  std::int16_t step;
  std::int8_t nps;
};

enum class outcome : std::uint8_t { completed, abandoned, abandoned_timeout, evicted, unfinished };

struct journey_state {
  std::string id;
  std::uint64_t hash = 0;      // of id, for the journey index
  std::uint64_t last_seq = 0;  // arrival number of its newest event: its place in the LRU order
  std::int64_t first_ts = 0;
  std::int64_t last_applied_ts = INT64_MIN;
  std::int64_t max_ts = INT64_MIN;
  std::int64_t last_contact_ts = INT64_MIN;
  std::uint32_t segment = 0;
  std::size_t head = 0;  // pending[head..] are not applied yet
  int current_step = -1;
  bool open = false;
  bool any_applied = false;
  std::uint64_t touch_mask = 0;
  open_effort effort;
  pending_buffer pending;
  std::vector<pending_answer> answers;

  void reset(std::string_view new_id) {
    id.assign(new_id.data(), new_id.size());
    open = true;
    segment = 0;
    any_applied = false;
    first_ts = 0;
    last_applied_ts = INT64_MIN;
    max_ts = INT64_MIN;
    last_contact_ts = INT64_MIN;
    pending.clear();
    head = 0;
    current_step = -1;
    touch_mask = 0;
    effort = {};
    answers.clear();
  }
  std::size_t buffered() const noexcept { return pending.size() - head; }
  // Drops the applied prefix once it is most of the buffer, so a journey whose events keep
  // coming inside the reorder window does not grow its buffer without bound.
  void compact() {
    if (head == pending.size()) {
      pending.clear();
      head = 0;
    } else if (head >= 16 && head * 2 >= pending.size()) {
      pending.drop_front(head);
      head = 0;
    }
  }
};

// A FIFO of slots in a ring that only grows (a deque would allocate and free blocks as it
// moves, and recording must not allocate in steady state).
class slot_fifo {
 public:
  std::size_t size() const noexcept { return size_; }
  std::uint32_t front() const noexcept { return ring_[head_]; }
  void push_back(std::uint32_t slot) {
    if (size_ == ring_.size()) grow();
    ring_[(head_ + size_) % ring_.size()] = slot;
    ++size_;
  }
  void pop_front() noexcept {
    head_ = (head_ + 1) % ring_.size();
    --size_;
  }

 private:
  void grow() {
    std::vector<std::uint32_t> bigger(std::max<std::size_t>(16, ring_.size() * 2));
    for (std::size_t k = 0; k < size_; ++k) bigger[k] = ring_[(head_ + k) % ring_.size()];
    ring_.swap(bigger);
    head_ = 0;
  }
  std::vector<std::uint32_t> ring_;
  std::size_t head_ = 0, size_ = 0;
};

// The open journeys in least-recently-active order, kept lazily: every accepted event appends
// (slot, arrival number) and the journey remembers its newest number, so an entry is live only
// while it is the newest of an open journey. Appending is sequential (no linked-list neighbours
// to touch on every event, each a cache miss with thousands of journeys open); stale entries
// are skipped at the front and compacted away once they outnumber the open journeys four
// times, which bounds the queue by 5 x open + 256 entries and keeps the cost O(1) amortized.
class activity_queue {
 public:
  struct entry {
    std::uint32_t slot;
    std::uint64_t seq;
  };
  void push(std::uint32_t slot, std::uint64_t seq) { entries_.push_back({slot, seq}); }
  template <class Live>
  void maybe_compact(std::size_t open, Live&& live) {
    // The whole vector counts: the prefix eviction has consumed is reclaimed here too.
    if (entries_.size() <= 4 * open + 256) return;
    std::size_t out = 0;
    for (std::size_t k = head_; k < entries_.size(); ++k)
      if (live(entries_[k])) entries_[out++] = entries_[k];
    entries_.resize(out);
    head_ = 0;
  }
  /// The least recently active open journey (none32 when none), without removing it.
  template <class Live>
  std::uint32_t oldest(Live&& live) {
    while (head_ < entries_.size() && !live(entries_[head_])) ++head_;
    return head_ < entries_.size() ? entries_[head_].slot : none32;
  }
  /// The open journeys, least recently active first.
  template <class Live>
  std::vector<std::uint32_t> live_slots(Live&& live) const {
    std::vector<std::uint32_t> out;
    for (std::size_t k = head_; k < entries_.size(); ++k)
      if (live(entries_[k])) out.push_back(entries_[k].slot);
    return out;
  }

 private:
  std::vector<entry> entries_;
  std::size_t head_ = 0;
};

// Hash -> slot (journey ids to journey slots; duration cells to cells): open addressing with
// linear probing and backward-shift deletion (no tombstones, no node per entry). Entries keep
// the full hash, so a probe compares keys only on a hash match. Load factor <= 3/4.
}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_JOURNEY_TRACKER_STATE_HPP
