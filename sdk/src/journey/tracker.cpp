// SPDX-License-Identifier: MIT
// The journey tracker: journey states by value in slots found through an open-addressing
// table, per-journey buffers applied in timestamp order, aggregates keyed by small interned ids
// (names come back only in report()), a lazy activity queue of open journeys for the cap and a
// FIFO of closed ones for late survey responses.
#include "cxm/journey/tracker.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <cmath>
#include <functional>
#include <map>
#include <utility>
#include <vector>

#include "core/hash.hpp"

CXM_BEGIN_NAMESPACE
namespace {

constexpr std::int64_t year_ms = 365LL * 24 * 3600 * 1000;
constexpr std::int64_t day_ms = 24LL * 3600 * 1000;
constexpr std::uint32_t none32 = 0xFFFFFFFFu;
constexpr std::size_t max_pending = 256;
constexpr std::size_t max_table_names = 4096;  // per table; further names share "(other)"

// Equality of the n bytes at a and b, for the short strings of the record path (ids, names)
// without a call to memcmp: 8-byte words, the last one overlapping; 4-byte halves below 8.
[[gnu::always_inline]] inline bool equal_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n < 8) {
    if (n >= 4) {
      std::uint32_t x0, y0, x1, y1;
      std::memcpy(&x0, a, 4);
      std::memcpy(&y0, b, 4);
      std::memcpy(&x1, a + n - 4, 4);
      std::memcpy(&y1, b + n - 4, 4);
      return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    for (std::size_t k = 0; k < n; ++k)
      if (a[k] != b[k]) return false;
    return true;
  }
  for (std::size_t k = 0; k + 8 < n; k += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a + k, 8);
    std::memcpy(&y, b + k, 8);
    if (x != y) return false;
  }
  std::uint64_t x, y;
  std::memcpy(&x, a + n - 8, 8);
  std::memcpy(&y, b + n - 8, 8);
  return x == y;
}

inline bool same_bytes(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && equal_bytes(a.data(), b.data(), a.size());
}

// Interned names: id <-> string, looked up by string_view without allocating. Id 0 is "".
// Lookups are most of the record path's work (a step and a channel per event), so the table
// probes by a key made of the size and first 7 bytes with one multiply, and compares the rest
// of the bytes only on a key match: a name up to 7 bytes long is found without a memcmp.
class name_table {
 public:
  name_table() { (void)add(std::string_view()); }
  [[gnu::always_inline]] std::uint32_t intern(std::string_view s) {
    const std::uint64_t key = prefix_key(s);
    const std::uint32_t id = lookup(s, key);
    if (id != none32) return id;
    if (names_.size() >= max_table_names) return intern_other();
    return add(s);
  }
  /// The id of `s`, or 0 when it was never interned.
  [[gnu::always_inline]] std::uint32_t find(std::string_view s) const noexcept {
    const std::uint32_t id = lookup(s, prefix_key(s));
    return id == none32 ? 0u : id;
  }
  const std::string& name(std::uint32_t id) const { return *names_[id]; }
  std::size_t size() const noexcept { return names_.size(); }

 private:
  // The size and the first 7 bytes: equal keys mean equal strings up to 7 bytes long.
  [[gnu::always_inline]] static std::uint64_t prefix_key(std::string_view s) noexcept {
    const std::size_t n = s.size();
    std::uint64_t w = 0;
    if (n >= 8) {
      std::memcpy(&w, s.data(), 8);
      w &= 0x00FFFFFFFFFFFFFFULL;  // the first 7 bytes (little-endian, asserted below)
    } else if (n >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, s.data(), 4);
      std::memcpy(&b, s.data() + n - 4, 4);
      w = std::uint64_t{a} | (std::uint64_t{b} >> (8 * (8 - n))) << 32;  // bytes 0-3, then 4..n-1
    } else {
      for (std::size_t k = 0; k < n; ++k) w |= std::uint64_t{static_cast<unsigned char>(s[k])} << (8 * k);
    }
    return w << 8 | std::min<std::size_t>(n, 255);
  }
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "prefix_key reads the first bytes as the low bytes");

  std::size_t home(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);  // Fibonacci hashing
  }
  [[gnu::always_inline]] std::uint32_t lookup(std::string_view s, std::uint64_t key) const noexcept {
    const std::size_t mask = table_.size() - 1;
    for (std::size_t i = home(key);; i = (i + 1) & mask) {
      const std::uint32_t id = table_[i];
      if (id == none32) return none32;
      if (keys_[id] != key) continue;
      if (s.size() <= 7) return id;  // the key is the whole string
      const std::string& x = *names_[id];
      if (x.size() == s.size() && equal_bytes(x.data() + 7, s.data() + 7, s.size() - 7)) return id;
    }
  }
  [[gnu::noinline]] std::uint32_t add(std::string_view s) {
    const auto id = static_cast<std::uint32_t>(names_.size());
    names_.push_back(std::make_unique<std::string>(s));
    keys_.push_back(prefix_key(s));
    if (names_.size() * 2 > table_.size()) {  // load factor <= 1/2
      table_.assign(table_.size() * 2, none32);
      --shift_;
      for (std::uint32_t k = 0; k < names_.size(); ++k) place(k);
    } else {
      place(id);
    }
    return id;
  }
  void place(std::uint32_t id) noexcept {
    const std::size_t mask = table_.size() - 1;
    std::size_t i = home(keys_[id]);
    while (table_[i] != none32) i = (i + 1) & mask;
    table_[i] = id;
  }
  [[gnu::noinline]] std::uint32_t intern_other() {
    static constexpr std::string_view other = "(other)";
    const std::uint32_t id = lookup(other, prefix_key(other));
    return id != none32 ? id : add(other);
  }
  std::vector<std::unique_ptr<std::string>> names_;  // by id
  std::vector<std::uint64_t> keys_;                  // prefix_key of each name, by id
  std::vector<std::uint32_t> table_ = std::vector<std::uint32_t>(16, none32);  // ids by home(key)
  int shift_ = 60;                                   // 64 - log2(table_.size())
};

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
class slot_index {
 public:
  struct entry {
    std::uint64_t hash;
    std::uint32_t slot;
  };
  slot_index() : table_(64, entry{0, none32}), mask_(63) {}

  template <class SameId>
  std::uint32_t find(std::uint64_t h, SameId&& same) const noexcept {
    for (std::size_t i = static_cast<std::size_t>(h & mask_);; i = (i + 1) & mask_) {
      const entry& e = table_[i];
      if (e.slot == none32) return none32;
      if (e.hash == h && same(e.slot)) return e.slot;
    }
  }
  void insert(std::uint64_t h, std::uint32_t slot) {
    if ((size_ + 1) * 4 > table_.size() * 3) grow();
    place(h, slot);
    ++size_;
  }
  void erase(std::uint64_t h, std::uint32_t slot) noexcept {
    std::size_t i = static_cast<std::size_t>(h & mask_);
    while (table_[i].slot != slot) {
      if (table_[i].slot == none32) return;
      i = (i + 1) & mask_;
    }
    // Backward shift: move later entries of the cluster into the hole when their home allows.
    for (std::size_t j = (i + 1) & mask_; table_[j].slot != none32; j = (j + 1) & mask_) {
      const std::size_t home = static_cast<std::size_t>(table_[j].hash & mask_);
      const bool movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
      if (movable) {
        table_[i] = table_[j];
        i = j;
      }
    }
    table_[i].slot = none32;
    --size_;
  }
  std::size_t size() const noexcept { return size_; }

 private:
  void place(std::uint64_t h, std::uint32_t slot) noexcept {
    std::size_t i = static_cast<std::size_t>(h & mask_);
    while (table_[i].slot != none32) i = (i + 1) & mask_;
    table_[i] = {h, slot};
  }
  void grow() {
    std::vector<entry> old(table_.size() * 2, entry{0, none32});
    old.swap(table_);
    mask_ = table_.size() - 1;
    for (const entry& e : old)
      if (e.slot != none32) place(e.hash, e.slot);
  }
  std::vector<entry> table_;
  std::size_t mask_;
  std::size_t size_ = 0;
};

// Timestamps the tracker accepts: 1970-01-01 to 9999-12-31 in ms, so differences and window
// arithmetic never overflow.
constexpr std::int64_t max_timestamp_ms = 253402300799999LL;

std::int64_t sat_sub(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  return __builtin_sub_overflow(a, b, &r) ? (b > 0 ? INT64_MIN : INT64_MAX) : r;
}
std::int64_t sat_add_i64(std::int64_t a, std::int64_t b) noexcept {
  std::int64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? (b > 0 ? INT64_MAX : INT64_MIN) : r;
}

std::int64_t micros(double v) noexcept { return static_cast<std::int64_t>(std::llround(v * 1e6)); }

}  // namespace

struct journey_tracker::impl {
  journey_definition def;
  journey_tracker_options options;
  std::size_t step_count = 0;  // def.steps.size()
  std::uint32_t max_closed = 0;
  name_table step_names, touchpoint_names;  // fixed by the definition, for fast lookup
  name_table channels, segments, keys, texts;
  // Journey slots: states by value, and their step states in one pool (step_count per slot),
  // so an event reaches its journey without chasing a pointer per journey.
  std::vector<journey_state> slots;
  std::vector<step_state> step_pool;
  std::vector<std::uint32_t> free_slots;
  slot_index journeys;
  std::uint32_t last_slot = none32;  // the journey of the previous event (streams come in runs)
  activity_queue activity;           // open journeys by last activity (the eviction order)
  std::uint64_t seq = 0;             // events accepted so far: the activity clock
  std::size_t open_count = 0;
  slot_fifo closed_fifo;  // closed journeys remembered, least recently closed first
  std::string scratch;  // segment key building

  // Aggregates.
  std::array<std::uint64_t, journey_error_count> rejected{};
  std::uint64_t accepted = 0, applied = 0;
  std::vector<std::unique_ptr<journey_segment_stats>> segment_stats;  // by segment id
  struct cell {
    std::uint64_t key;  // step << 48 | segment << 24 | channel
    duration_sketch sketch;
  };
  std::vector<cell> cells;
  slot_index cell_index;  // by mix(key)
  std::vector<effort_components> step_effort;
  std::vector<touchpoint_stats> tp_stats;
  std::map<std::pair<std::uint32_t, std::uint32_t>, quote_stats> quotes;  // (key, channel)
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, std::uint64_t> messages;  // (key, channel, text)
  std::vector<step_survey> survey;
  std::uint64_t responses_attached = 0, responses_unknown_step = 0, responses_without_duration = 0;

  explicit impl(journey_definition d, journey_tracker_options o) : def(std::move(d)), options(std::move(o)) {
    step_count = def.steps.size();
    max_closed = options.max_closed_journeys == 0 ? def.max_open_journeys : options.max_closed_journeys;
    for (const journey_step& s : def.steps) (void)step_names.intern(s.name);
    for (const journey_touchpoint& t : def.touchpoints) (void)touchpoint_names.intern(t.name);
    step_effort.resize(def.steps.size());
    survey.resize(def.steps.size());
    tp_stats.resize(def.touchpoints.size());
    for (std::size_t i = 0; i < def.touchpoints.size(); ++i) tp_stats[i].controlled = def.touchpoints[i].controlled;
    for (const journey_step& s : def.steps) (void)channels.intern(s.channel);
  }

  journey_error reject(journey_error e) noexcept {
    ++rejected[static_cast<std::size_t>(e)];
    return e;
  }
  [[gnu::always_inline]] int step_of(std::string_view name) const {
    // Step ids are 1-based in the table (0 is "").
    return static_cast<int>(lookup(step_names, name)) - 1;
  }
  [[gnu::always_inline]] static std::uint32_t lookup(const name_table& t, std::string_view s) { return t.find(s); }

  journey_segment_stats& seg_stats(std::uint32_t id) {
    while (segment_stats.size() <= id) {
      auto s = std::make_unique<journey_segment_stats>();
      s->time_to_complete = duration_sketch::make(options.sketch).value();
      s->effort_index = duration_sketch::make(options.sketch).value();
      s->reached.assign(def.steps.size(), 0);
      s->ended.assign(def.steps.size(), 0);
      s->last_step.assign(def.steps.size(), 0);
      segment_stats.push_back(std::move(s));
    }
    return *segment_stats[id];
  }

  duration_sketch& cell_sketch(std::uint32_t step, std::uint32_t segment, std::uint32_t channel) {
    const std::uint64_t key = std::uint64_t{step} << 48 | std::uint64_t{segment} << 24 | channel;
    const std::uint64_t h = detail::fmix64(key);
    const std::uint32_t c = cell_index.find(h, [&](std::uint32_t k) { return cells[k].key == key; });
    if (c != none32) return cells[c].sketch;
    cells.push_back({key, duration_sketch::make(options.sketch).value()});
    cell_index.insert(h, static_cast<std::uint32_t>(cells.size() - 1));
    return cells.back().sketch;
  }

  // ---- slots ----
  step_state* steps_of(std::uint32_t i) noexcept { return step_pool.data() + std::size_t{i} * step_count; }
  bool live(const activity_queue::entry& e) const noexcept {
    const journey_state& j = slots[e.slot];
    return j.open && j.last_seq == e.seq;
  }
  [[gnu::always_inline]] void touch(std::uint32_t i) {
    slots[i].last_seq = ++seq;
    activity.push(i, seq);
    activity.maybe_compact(open_count, [this](const activity_queue::entry& e) { return live(e); });
  }

  std::uint32_t find_journey(std::string_view id, std::uint64_t h) const noexcept {
    return journeys.find(h, [&](std::uint32_t i) { return same_bytes(slots[i].id, id); });
  }
  std::uint32_t lookup_journey(std::string_view id, std::uint64_t h) const noexcept {
    if (last_slot != none32 && slots[last_slot].hash == h && same_bytes(slots[last_slot].id, id)) return last_slot;
    return find_journey(id, h);
  }

  std::uint32_t open_journey(std::string_view id, std::uint64_t h, const journey_event& e) {
    if (open_count >= def.max_open_journeys) {
      const std::uint32_t oldest = activity.oldest([this](const activity_queue::entry& x) { return live(x); });
      if (oldest != none32) evict(oldest);
    }
    std::uint32_t i;
    if (!free_slots.empty()) {
      i = free_slots.back();
      free_slots.pop_back();
    } else {
      i = static_cast<std::uint32_t>(slots.size());
      slots.emplace_back();
      step_pool.resize(step_pool.size() + step_count);
    }
    journey_state& j = slots[i];
    j.reset(id);
    std::fill_n(steps_of(i), step_count, step_state{});
    j.hash = h;
    j.segment = segment_id(e.segment, e.segment_size);
    journeys.insert(h, i);
    ++open_count;
    return i;
  }

  std::uint32_t segment_id(const attribute* attrs, std::size_t n) {
    if (n == 0) return 0;
    // Canonical key: attributes sorted by name (insertion sort; n is tiny), "name=value,...".
    std::array<const attribute*, 64> order;  // the first m are set below
    const std::size_t m = std::min<std::size_t>(n, order.size());
    for (std::size_t k = 0; k < m; ++k) {
      std::size_t p = k;
      while (p > 0 && attrs[k].name < order[p - 1]->name) {
        order[p] = order[p - 1];
        --p;
      }
      order[p] = &attrs[k];
    }
    scratch.clear();
    for (std::size_t k = 0; k < m; ++k) {
      if (k > 0) scratch += ',';
      scratch.append(order[k]->name.data(), order[k]->name.size());
      scratch += '=';
      scratch.append(order[k]->value.data(), order[k]->value.size());
    }
    return segments.intern(scratch);
  }

  // ---- applying events ----
  void apply_ready(std::uint32_t i, std::int64_t up_to_ts) {
    journey_state& j = slots[i];
    while (j.open && j.head < j.pending.size() && j.pending[j.head].ts <= up_to_ts) {
      const pending_event p = j.pending[j.head++];
      apply(i, p);
    }
    if (!j.open) {
      // Events after complete/abandon: the journey is over.
      rejected[static_cast<std::size_t>(journey_error::journey_closed)] += j.buffered();
      j.head = j.pending.size();
    }
    j.compact();
  }

  void apply(std::uint32_t i, const pending_event& p) {
    journey_state& j = slots[i];
    if (!j.any_applied) {
      j.any_applied = true;
      j.first_ts = p.ts;
    }
    const int s = p.step;
    step_state* const steps = steps_of(i);
    step_state* st = s >= 0 ? &steps[s] : nullptr;
    switch (p.type) {
      case journey_event_type::step_begin:
        if (st->phase == step_phase::running) { reject(journey_error::begin_twice); return; }
        st->phase = step_phase::running;
        st->begin_ts = p.ts;
        st->channel = p.channel != 0 ? p.channel : channels.intern(def.steps[static_cast<std::size_t>(s)].channel);
        j.current_step = s;
        break;
      case journey_event_type::step_end: {
        if (st->phase == step_phase::idle) {
          reject(st->ended ? journey_error::double_end : journey_error::end_without_begin);
          return;
        }
        if (st->phase == step_phase::ended) { reject(journey_error::double_end); return; }
        const std::int64_t d = p.ts - st->begin_ts;
        if (d > year_ms) { reject(journey_error::duration_over_year); return; }
        (void)cell_sketch(static_cast<std::uint32_t>(s), j.segment, st->channel).record(static_cast<double>(d));
        st->duration_ms += d;
        st->phase = step_phase::ended;
        st->ended = true;
        break;
      }
      default:
        break;
    }
    // Attribution: the named step, else the step most recently begun.
    const int at = s >= 0 ? s : j.current_step;
    open_effort* se = at >= 0 ? &steps[at].effort : nullptr;
    const auto bump = [&](std::uint32_t open_effort::*m) {
      j.effort.*m += j.effort.*m != UINT32_MAX;
      if (se != nullptr) se->*m += se->*m != UINT32_MAX;
    };
    switch (p.type) {
      case journey_event_type::contact: {
        bump(&open_effort::contacts);
        if (j.last_contact_ts != INT64_MIN && p.ts - j.last_contact_ts <= def.recontact_window_days * day_ms)
          bump(&open_effort::recontacts);
        j.last_contact_ts = p.ts;
        break;
      }
      case journey_event_type::transfer: bump(&open_effort::transfers); break;
      case journey_event_type::channel_switch: bump(&open_effort::channel_switches); break;
      case journey_event_type::wait:
        bump(&open_effort::waits);
        j.effort.wait_ms += static_cast<std::uint64_t>(p.number);  // <= a year each: no overflow
        if (se != nullptr) se->wait_ms += static_cast<std::uint64_t>(p.number);
        break;
      case journey_event_type::repeat_info: bump(&open_effort::repeats); break;
      case journey_event_type::quote: {
        auto [it, fresh] = quotes.try_emplace({p.key, p.channel});
        quote_stats& q = it->second;
        if (fresh || p.number < q.min) q.min = p.number;
        if (fresh || p.number > q.max) q.max = p.number;
        ++q.count;
        q.sum = sat_add_i64(q.sum, p.number);
        break;
      }
      case journey_event_type::message: ++messages[{p.key, p.channel, p.text}]; break;
      default: break;
    }
    if (at >= 0) steps[at].reached = steps[at].reached || s >= 0;
    int tp = p.touchpoint;
    if (tp < 0 && p.type == journey_event_type::step_begin) tp = static_cast<int>(def.steps[static_cast<std::size_t>(s)].touchpoint);
    if (tp >= 0) {
      ++tp_stats[static_cast<std::size_t>(tp)].events;
      j.touch_mask |= std::uint64_t{1} << tp;
    }
    j.last_applied_ts = p.ts;
    ++applied;
    if (p.type == journey_event_type::complete) close(i, outcome::completed, p.ts);
    else if (p.type == journey_event_type::abandon) close(i, outcome::abandoned, p.ts);
  }

  void close(std::uint32_t i, outcome o, std::int64_t ts) {
    journey_state& j = slots[i];
    if (!j.open) return;
    j.open = false;
    journey_segment_stats& g = seg_stats(j.segment);
    ++g.started;
    const bool completed = o == outcome::completed;
    switch (o) {
      case outcome::completed:
        ++g.completed;
        (void)g.time_to_complete.record(static_cast<double>(ts - j.first_ts));
        break;
      case outcome::abandoned: ++g.abandoned; break;
      case outcome::abandoned_timeout: ++g.abandoned_timeout; break;
      case outcome::evicted: ++g.evicted; break;
      case outcome::unfinished: ++g.unfinished; break;
    }
    const effort_components e = j.effort.widen();
    g.effort.merge(e);
    (void)g.effort_index.record(e.total());
    int furthest = -1;
    const step_state* const steps = steps_of(i);
    for (std::size_t s = 0; s < step_count; ++s) {
      const step_state& st = steps[s];
      if (!st.reached) continue;
      ++g.reached[s];
      if (st.ended) ++g.ended[s];
      if (def.steps[s].funnel) furthest = static_cast<int>(s);
      if (st.effort.any()) step_effort[s].merge(st.effort.widen());
      else step_effort[s].journeys = step_effort[s].journeys == UINT64_MAX ? UINT64_MAX : step_effort[s].journeys + 1;
    }
    if (!completed && furthest >= 0) ++g.last_step[static_cast<std::size_t>(furthest)];
    for (std::size_t t = 0; t < tp_stats.size(); ++t) {
      if ((j.touch_mask >> t & 1u) == 0) continue;
      ++tp_stats[t].journeys;
      if (completed) ++tp_stats[t].completed;
    }
    for (const pending_answer& a : j.answers) attach_band(i, a.step, a.nps);
    j.answers.clear();
    rejected[static_cast<std::size_t>(journey_error::journey_closed)] += j.buffered();
    j.pending.clear();
    j.head = 0;
    --open_count;
    closed_fifo.push_back(i);
    while (closed_fifo.size() > max_closed) forget(closed_fifo.front());
  }

  void attach_band(std::uint32_t i, int step, int nps) {
    const step_state& st = steps_of(i)[step];
    if (!st.ended) { ++responses_without_duration; return; }
    auto& counts = survey[static_cast<std::size_t>(step)].nps_by_duration[journey_report::duration_band(static_cast<double>(st.duration_ms))];
    ++counts[static_cast<std::size_t>(nps)];
  }

  void forget(std::uint32_t i) {
    closed_fifo.pop_front();
    journeys.erase(slots[i].hash, i);
    if (last_slot == i) last_slot = none32;
    free_slots.push_back(i);
  }

  void evict(std::uint32_t i) {
    apply_ready(i, INT64_MAX);
    if (slots[i].open) close(i, outcome::evicted, slots[i].max_ts);
  }

  // `h` is detail::hash_bytes(e.journey_id).
  journey_error record(const journey_event& e, std::uint64_t h) {
    if (e.journey_id.empty()) return reject(journey_error::unknown_journey);
    if (e.timestamp_ms < 0 || e.timestamp_ms > max_timestamp_ms) return reject(journey_error::invalid_event);
    pending_event p;
    p.ts = e.timestamp_ms;
    p.type = e.type;
    if (static_cast<std::size_t>(e.type) >= journey_event_type_count) return reject(journey_error::invalid_event);
    if (!e.step.empty()) {
      const int s = step_of(e.step);
      if (s < 0) return reject(journey_error::unknown_step);
      p.step = static_cast<std::int16_t>(s);
    } else if (e.type == journey_event_type::step_begin || e.type == journey_event_type::step_end) {
      return reject(journey_error::invalid_event);
    }
    if (!e.touchpoint.empty()) {
      const int t = static_cast<int>(lookup(touchpoint_names, e.touchpoint)) - 1;
      if (t < 0) return reject(journey_error::unknown_touchpoint);
      p.touchpoint = static_cast<std::int16_t>(t);
    } else if (e.type == journey_event_type::touch) {
      return reject(journey_error::invalid_event);
    }
    switch (e.type) {
      case journey_event_type::wait:
        if (e.duration_ms < 0) return reject(journey_error::invalid_event);
        if (e.duration_ms > year_ms) return reject(journey_error::duration_over_year);
        p.number = e.duration_ms;
        break;
      case journey_event_type::quote:
        if (e.key.empty() || !std::isfinite(e.value) || std::fabs(e.value) > 9e12) return reject(journey_error::invalid_event);
        p.number = micros(e.value);
        p.key = keys.intern(e.key);
        break;
      case journey_event_type::message:
        if (e.key.empty()) return reject(journey_error::invalid_event);
        p.key = keys.intern(e.key);
        p.text = texts.intern(e.text);
        break;
      default: break;
    }
    std::uint32_t i = lookup_journey(e.journey_id, h);
    if (i == none32) {
      if (e.type == journey_event_type::step_end || e.type == journey_event_type::complete ||
          e.type == journey_event_type::abandon)
        return reject(journey_error::unknown_journey);
      i = open_journey(e.journey_id, h, e);
      last_slot = i;
    } else {
      last_slot = i;
      if (!slots[i].open) return reject(journey_error::journey_closed);
      if (p.ts < slots[i].last_applied_ts) return reject(journey_error::clock_backwards);
    }
    touch(i);
    journey_state& j = slots[i];
    if (!e.channel.empty()) p.channel = channels.intern(e.channel);
    // Sorted by timestamp, after equal ones (arrival order breaks ties); usually an append.
    j.pending.insert_sorted(j.head, p);
    ++accepted;
    if (p.ts > j.max_ts) j.max_ts = p.ts;
    if (j.buffered() > max_pending) {
      const pending_event first = j.pending[j.head++];
      apply(i, first);
    }
    if (j.open) apply_ready(i, j.max_ts - def.reorder_window_ms);
    return journey_error::none;
  }

  template <class F>
  void for_each_open(F&& f) {
    for (std::uint32_t i : activity.live_slots([this](const activity_queue::entry& e) { return live(e); })) f(i);
  }
};

journey_tracker::journey_tracker(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
journey_tracker::~journey_tracker() = default;
journey_tracker::journey_tracker(journey_tracker&&) noexcept = default;
journey_tracker& journey_tracker::operator=(journey_tracker&&) noexcept = default;

result<journey_tracker> journey_tracker::make(journey_definition definition, journey_tracker_options options) {
  auto ok = definition.validate();
  if (!ok) return {ok.code(), ok.detail()};
  auto probe = duration_sketch::make(options.sketch);
  if (!probe) return {probe.code(), "sketch: " + probe.detail()};
  return journey_tracker(std::make_unique<impl>(std::move(definition), std::move(options)));
}

journey_error journey_tracker::record(const journey_event& e) noexcept { return impl_->record(e, detail::hash_bytes(e.journey_id)); }

journey_error journey_tracker::record_duration(std::string_view step, std::string_view channel,
                                               std::string_view segment_key, double duration_ms) noexcept {
  impl& m = *impl_;
  const int s = m.step_of(step);
  if (s < 0) return m.reject(journey_error::unknown_step);
  if (!std::isfinite(duration_ms) || duration_ms < 0) return m.reject(journey_error::invalid_event);
  if (duration_ms > static_cast<double>(year_ms)) return m.reject(journey_error::duration_over_year);
  const std::uint32_t seg = m.segments.intern(segment_key);
  const std::uint32_t ch = m.channels.intern(channel);
  (void)m.cell_sketch(static_cast<std::uint32_t>(s), seg, ch).record(duration_ms);
  ++m.accepted;
  ++m.applied;
  return journey_error::none;
}

journey_error journey_tracker::add_response(const response_view& r) {
  impl& m = *impl_;
  const int s = r.step.empty() ? -1 : m.step_of(r.step);
  if (s < 0) {
    ++m.responses_unknown_step;
    return journey_error::unknown_step;
  }
  step_survey& sv = m.survey[static_cast<std::size_t>(s)];
  ++m.responses_attached;
  int nps = -1;
  if (const answer_value* a = r.find(m.options.nps_question)) {
    if (a->type == answer_type::number) {
      if (sv.nps.add(a->number).ok()) nps = static_cast<int>(a->number);
    } else {
      (void)sv.nps.reject(errc::wrong_type);
    }
  }
  if (const answer_value* a = r.find(m.options.ces_question)) {
    if (a->type == answer_type::number && a->number >= 1 && a->number <= 7 && std::floor(a->number) == a->number)
      ++sv.ces[static_cast<std::size_t>(a->number) - 1];
  }
  if (const answer_value* a = r.find(m.options.emotion_question)) {
    if (a->type == answer_type::string && !a->text.empty()) {
      auto it = sv.emotions.find(a->text);
      if (it != sv.emotions.end()) ++it->second;
      else if (sv.emotions.size() < 64) sv.emotions.emplace(std::string(a->text), 1);
      else ++sv.emotions["(other)"];
    }
  }
  if (nps < 0) return journey_error::none;
  const std::uint32_t ji = r.journey_id.empty() ? none32 : m.find_journey(r.journey_id, detail::hash_bytes(r.journey_id));
  if (ji == none32) {
    ++m.responses_without_duration;
    return journey_error::none;
  }
  journey_state& j = m.slots[ji];
  if (j.open) j.answers.push_back({static_cast<std::int16_t>(s), static_cast<std::int8_t>(nps)});
  else m.attach_band(ji, s, nps);
  return journey_error::none;
}

void journey_tracker::advance(std::int64_t now_ms) {
  impl& m = *impl_;
  m.for_each_open([&](std::uint32_t i) {
    m.apply_ready(i, sat_sub(now_ms, m.def.reorder_window_ms));
    journey_state& j = m.slots[i];
    if (j.open && j.max_ts <= sat_sub(now_ms, m.def.abandon_after_ms)) {
      m.apply_ready(i, INT64_MAX);
      if (j.open) m.close(i, outcome::abandoned_timeout, j.max_ts);
    }
  });
}

void journey_tracker::finish() {
  impl& m = *impl_;
  m.for_each_open([&](std::uint32_t i) {
    m.apply_ready(i, INT64_MAX);
    if (m.slots[i].open) m.close(i, outcome::unfinished, m.slots[i].max_ts);
  });
}

std::size_t journey_tracker::open_journeys() const noexcept { return impl_->open_count; }
const journey_definition& journey_tracker::definition() const noexcept { return impl_->def; }
std::uint64_t journey_tracker::rejected(journey_error e) const noexcept {
  const auto k = static_cast<std::size_t>(e);
  return k < journey_error_count ? impl_->rejected[k] : 0;
}

journey_report journey_tracker::report() const {
  const impl& m = *impl_;
  journey_report r;
  r.journey_id = m.def.id;
  r.revision = m.def.revision;
  for (const journey_step& s : m.def.steps) {
    const journey_touchpoint& t = m.def.touchpoints[s.touchpoint];
    r.steps.push_back({s.name, m.def.stages[s.stage], t.name, s.channel, t.controlled, s.funnel});
  }
  r.rejected = m.rejected;
  r.events_accepted = m.accepted;
  r.events_applied = m.applied;
  for (std::size_t id = 0; id < m.segment_stats.size(); ++id)
    if (m.segment_stats[id]->started > 0) r.segments.emplace(m.segments.name(static_cast<std::uint32_t>(id)), *m.segment_stats[id]);
  for (const auto& c : m.cells) {
    const auto step = static_cast<std::size_t>(c.key >> 48);
    const auto segment = static_cast<std::uint32_t>(c.key >> 24 & 0xFFFFFF);
    const auto channel = static_cast<std::uint32_t>(c.key & 0xFFFFFF);
    r.durations.emplace(journey_report::cell_key{m.def.steps[step].name, m.segments.name(segment), m.channels.name(channel)},
                        c.sketch);
  }
  r.step_effort = m.step_effort;
  for (std::size_t t = 0; t < m.tp_stats.size(); ++t) r.touchpoints.emplace(m.def.touchpoints[t].name, m.tp_stats[t]);
  for (const auto& [k, q] : m.quotes) r.quotes[m.keys.name(k.first)][m.channels.name(k.second)] = q;
  for (const auto& [k, n] : m.messages)
    r.messages[m.keys.name(std::get<0>(k))][m.channels.name(std::get<1>(k))][m.texts.name(std::get<2>(k))] += n;
  r.survey = m.survey;
  r.responses_attached = m.responses_attached;
  r.responses_unknown_step = m.responses_unknown_step;
  r.responses_without_duration = m.responses_without_duration;
  return r;
}

CXM_END_NAMESPACE
