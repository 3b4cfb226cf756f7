// SPDX-License-Identifier: MIT
// The journey tracker: per-journey buffers applied in timestamp order, aggregates keyed by
// small interned ids (names come back only in report()), an LRU of open journeys for the cap
// and a FIFO of closed ones for late survey responses.
#include "cxm/journey_tracker.hpp"

#include <algorithm>
#include <cstring>
#include <cmath>
#include <functional>
#include <map>
#include <unordered_map>
#include <utility>
#include <vector>

CXM_BEGIN_NAMESPACE
namespace {

constexpr std::int64_t year_ms = 365LL * 24 * 3600 * 1000;
constexpr std::int64_t day_ms = 24LL * 3600 * 1000;
constexpr std::uint32_t none32 = 0xFFFFFFFFu;
constexpr std::size_t max_pending = 256;
constexpr std::size_t max_table_names = 4096;  // per table; further names share "(other)"

// Interned names: id <-> string, looked up by string_view without allocating. Id 0 is "".
class name_table {
 public:
  name_table() {
    names_.push_back(std::make_unique<std::string>());
    index_.emplace(std::string_view(*names_.back()), 0u);
  }
  std::uint32_t intern(std::string_view s) {
    const std::uint32_t id0 = scan(s);
    if (id0 < absent) return id0;
    if (id0 == unknown) {
      auto it = index_.find(s);
      if (it != index_.end()) return it->second;
    }
    if (names_.size() >= max_table_names) return intern_other();
    names_.push_back(std::make_unique<std::string>(s));
    const auto id = static_cast<std::uint32_t>(names_.size() - 1);
    index_.emplace(std::string_view(*names_.back()), id);
    return id;
  }
  /// The id of `s`, or 0 when it was never interned.
  std::uint32_t find(std::string_view s) const {
    const std::uint32_t id0 = scan(s);
    if (id0 < absent) return id0;
    if (id0 == absent) return 0;
    auto it = index_.find(s);
    return it == index_.end() ? 0u : it->second;
  }
  const std::string& name(std::uint32_t id) const { return *names_[id]; }
  std::size_t size() const noexcept { return names_.size(); }

 private:
  static constexpr std::uint32_t absent = 0xFFFFFFFEu;   // not among the (all scanned) names
  static constexpr std::uint32_t unknown = 0xFFFFFFFFu;  // more names than scanned: ask the index
  // The first names by a linear scan of (size, first byte) before any hashing: journeys have a
  // handful of steps and channels, and this is most of the lookups of the record path.
  std::uint32_t scan(std::string_view s) const noexcept {
    const std::size_t n = std::min<std::size_t>(names_.size(), 16);
    for (std::size_t i = 0; i < n; ++i) {
      const std::string& x = *names_[i];
      if (x.size() == s.size() && (s.empty() || (x[0] == s[0] && std::memcmp(x.data(), s.data(), s.size()) == 0)))
        return static_cast<std::uint32_t>(i);
    }
    return names_.size() <= 16 ? absent : unknown;
  }
  std::uint32_t intern_other() {
    static constexpr std::string_view other = "(other)";
    auto it = index_.find(other);
    if (it != index_.end()) return it->second;
    names_.push_back(std::make_unique<std::string>(other));
    const auto id = static_cast<std::uint32_t>(names_.size() - 1);
    index_.emplace(std::string_view(*names_.back()), id);
    return id;
  }
  std::vector<std::unique_ptr<std::string>> names_;  // stable addresses for the views
  std::unordered_map<std::string_view, std::uint32_t> index_;
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

struct step_state {
  std::int64_t begin_ts = 0;
  std::int64_t duration_ms = 0;  // total over the times the step ran
  std::uint32_t channel = 0;
  step_phase phase = step_phase::idle;
  bool reached = false;
  bool ended = false;
  effort_components effort;  // journeys unused here
};

struct pending_answer {
  std::int16_t step;
  std::int8_t nps;
};

enum class outcome : std::uint8_t { completed, abandoned, abandoned_timeout, evicted, unfinished };

struct journey_state {
  std::string id;
  std::uint64_t hash = 0;  // of id, for the journey index
  bool open = false;
  std::uint32_t segment = 0;
  bool any_applied = false;
  std::int64_t first_ts = 0;
  std::int64_t last_applied_ts = INT64_MIN;
  std::int64_t max_ts = INT64_MIN;
  std::int64_t last_contact_ts = INT64_MIN;
  std::vector<pending_event> pending;
  std::size_t head = 0;  // pending[head..] are not applied yet
  std::vector<step_state> steps;
  int current_step = -1;
  std::uint64_t touch_mask = 0;
  effort_components effort;
  std::vector<pending_answer> answers;
  std::uint32_t prev = none32, next = none32;  // in the open LRU or the closed FIFO

  void reset(std::string_view new_id, std::size_t step_count) {
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
    steps.assign(step_count, step_state{});
    current_step = -1;
    touch_mask = 0;
    effort = {};
    answers.clear();
    prev = next = none32;
  }
  std::size_t buffered() const noexcept { return pending.size() - head; }
};

struct lru_list {
  std::uint32_t head = none32, tail = none32;  // head: least recent
  std::size_t size = 0;
};

// FNV-1a over the bytes, then MurmurHash3's fmix64 so the low bits (the table index) mix well.
std::uint64_t hash_id(std::string_view s) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

// Journey id -> slot: open addressing with linear probing and backward-shift deletion (no
// tombstones, no node per journey). Entries keep the full hash, so a probe compares strings
// only on a hash match. Load factor <= 3/4.
class journey_index {
 public:
  struct entry {
    std::uint64_t hash;
    std::uint32_t slot;
  };
  journey_index() : table_(64, entry{0, none32}), mask_(63) {}

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
  std::uint32_t max_closed = 0;
  name_table step_names, touchpoint_names;  // fixed by the definition, for fast lookup
  name_table channels, segments, keys, texts;
  std::vector<std::unique_ptr<journey_state>> slots;
  std::vector<std::uint32_t> free_slots;
  journey_index journeys;
  std::uint32_t last_slot = none32;  // the journey of the previous event (streams come in runs)
  lru_list open_list, closed_list;
  std::string scratch;  // segment key building

  // Aggregates.
  std::array<std::uint64_t, journey_error_count> rejected{};
  std::uint64_t accepted = 0, applied = 0;
  std::vector<std::unique_ptr<journey_segment_stats>> segment_stats;  // by segment id
  struct cell {
    std::uint32_t step, segment, channel;
    duration_sketch sketch;
  };
  std::vector<cell> cells;
  std::unordered_map<std::uint64_t, std::uint32_t> cell_index;
  std::vector<effort_components> step_effort;
  std::vector<touchpoint_stats> tp_stats;
  std::map<std::pair<std::uint32_t, std::uint32_t>, quote_stats> quotes;  // (key, channel)
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, std::uint64_t> messages;  // (key, channel, text)
  std::vector<step_survey> survey;
  std::uint64_t responses_attached = 0, responses_unknown_step = 0, responses_without_duration = 0;

  explicit impl(journey_definition d, journey_tracker_options o) : def(std::move(d)), options(std::move(o)) {
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
  int step_of(std::string_view name) const {
    // Step ids are 1-based in the table (0 is "").
    return static_cast<int>(lookup(step_names, name)) - 1;
  }
  static std::uint32_t lookup(const name_table& t, std::string_view s) { return t.find(s); }

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
    auto it = cell_index.find(key);
    if (it != cell_index.end()) return cells[it->second].sketch;
    cells.push_back({step, segment, channel, duration_sketch::make(options.sketch).value()});
    cell_index.emplace(key, static_cast<std::uint32_t>(cells.size() - 1));
    return cells.back().sketch;
  }

  // ---- lists ----
  void list_push(lru_list& l, std::uint32_t i) {
    journey_state& j = *slots[i];
    j.prev = l.tail;
    j.next = none32;
    if (l.tail != none32) slots[l.tail]->next = i; else l.head = i;
    l.tail = i;
    ++l.size;
  }
  void list_remove(lru_list& l, std::uint32_t i) {
    journey_state& j = *slots[i];
    if (j.prev != none32) slots[j.prev]->next = j.next; else l.head = j.next;
    if (j.next != none32) slots[j.next]->prev = j.prev; else l.tail = j.prev;
    j.prev = j.next = none32;
    --l.size;
  }

  std::uint32_t find_journey(std::string_view id, std::uint64_t h) const noexcept {
    return journeys.find(h, [&](std::uint32_t i) { return slots[i]->id == id; });
  }
  std::uint32_t lookup_journey(std::string_view id, std::uint64_t& h) noexcept {
    if (last_slot != none32 && slots[last_slot]->id == id) {
      h = slots[last_slot]->hash;
      return last_slot;
    }
    h = hash_id(id);
    return find_journey(id, h);
  }

  std::uint32_t open_journey(std::string_view id, std::uint64_t h, const journey_event& e) {
    if (open_list.size >= def.max_open_journeys) evict(open_list.head);
    std::uint32_t i;
    if (!free_slots.empty()) {
      i = free_slots.back();
      free_slots.pop_back();
    } else {
      i = static_cast<std::uint32_t>(slots.size());
      slots.push_back(std::make_unique<journey_state>());
    }
    journey_state& j = *slots[i];
    j.reset(id, def.steps.size());
    j.hash = h;
    j.segment = segment_id(e.segment, e.segment_size);
    journeys.insert(h, i);
    list_push(open_list, i);
    return i;
  }

  std::uint32_t segment_id(const attribute* attrs, std::size_t n) {
    if (n == 0) return 0;
    // Canonical key: attributes sorted by name (insertion sort; n is tiny), "name=value,...".
    std::array<const attribute*, 64> order{};
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
    journey_state& j = *slots[i];
    while (j.open && j.head < j.pending.size() && j.pending[j.head].ts <= up_to_ts) {
      const pending_event p = j.pending[j.head++];
      apply(i, p);
    }
    if (!j.open) {
      // Events after complete/abandon: the journey is over.
      rejected[static_cast<std::size_t>(journey_error::journey_closed)] += j.buffered();
      j.head = j.pending.size();
    }
    if (j.head == j.pending.size()) {
      j.pending.clear();
      j.head = 0;
    }
  }

  void apply(std::uint32_t i, const pending_event& p) {
    journey_state& j = *slots[i];
    if (!j.any_applied) {
      j.any_applied = true;
      j.first_ts = p.ts;
    }
    const int s = p.step;
    step_state* st = s >= 0 ? &j.steps[static_cast<std::size_t>(s)] : nullptr;
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
    effort_components* se = at >= 0 ? &j.steps[static_cast<std::size_t>(at)].effort : nullptr;
    const auto bump = [&](std::uint64_t effort_components::*m, std::uint64_t by) {
      j.effort.*m += by;
      if (se != nullptr) se->*m += by;
    };
    switch (p.type) {
      case journey_event_type::contact: {
        bump(&effort_components::contacts, 1);
        if (j.last_contact_ts != INT64_MIN && p.ts - j.last_contact_ts <= def.recontact_window_days * day_ms)
          bump(&effort_components::recontacts, 1);
        j.last_contact_ts = p.ts;
        break;
      }
      case journey_event_type::transfer: bump(&effort_components::transfers, 1); break;
      case journey_event_type::channel_switch: bump(&effort_components::channel_switches, 1); break;
      case journey_event_type::wait:
        bump(&effort_components::waits, 1);
        bump(&effort_components::wait_ms, static_cast<std::uint64_t>(p.number));
        break;
      case journey_event_type::repeat_info: bump(&effort_components::repeats, 1); break;
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
    if (at >= 0) j.steps[static_cast<std::size_t>(at)].reached = j.steps[static_cast<std::size_t>(at)].reached || s >= 0;
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
    journey_state& j = *slots[i];
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
    effort_components e = j.effort;
    e.journeys = 1;
    e.wait_points = e.wait_ms / static_cast<std::uint64_t>(effort_weights::wait_point_ms);
    g.effort.merge(e);
    (void)g.effort_index.record(e.total());
    int furthest = -1;
    for (std::size_t s = 0; s < j.steps.size(); ++s) {
      step_state& st = j.steps[s];
      if (!st.reached) continue;
      ++g.reached[s];
      if (st.ended) ++g.ended[s];
      if (def.steps[s].funnel) furthest = static_cast<int>(s);
      effort_components se = st.effort;
      se.journeys = 1;
      se.wait_points = se.wait_ms / static_cast<std::uint64_t>(effort_weights::wait_point_ms);
      step_effort[s].merge(se);
    }
    if (!completed && furthest >= 0) ++g.last_step[static_cast<std::size_t>(furthest)];
    for (std::size_t t = 0; t < tp_stats.size(); ++t) {
      if ((j.touch_mask >> t & 1u) == 0) continue;
      ++tp_stats[t].journeys;
      if (completed) ++tp_stats[t].completed;
    }
    for (const pending_answer& a : j.answers) attach_band(j, a.step, a.nps);
    j.answers.clear();
    rejected[static_cast<std::size_t>(journey_error::journey_closed)] += j.buffered();
    j.pending.clear();
    j.head = 0;
    list_remove(open_list, i);
    list_push(closed_list, i);
    while (closed_list.size > max_closed) forget(closed_list.head);
  }

  void attach_band(const journey_state& j, int step, int nps) {
    const step_state& st = j.steps[static_cast<std::size_t>(step)];
    if (!st.ended) { ++responses_without_duration; return; }
    auto& counts = survey[static_cast<std::size_t>(step)].nps_by_duration[journey_report::duration_band(static_cast<double>(st.duration_ms))];
    ++counts[static_cast<std::size_t>(nps)];
  }

  void forget(std::uint32_t i) {
    list_remove(closed_list, i);
    journeys.erase(slots[i]->hash, i);
    if (last_slot == i) last_slot = none32;
    free_slots.push_back(i);
  }

  void evict(std::uint32_t i) {
    apply_ready(i, INT64_MAX);
    if (slots[i]->open) close(i, outcome::evicted, slots[i]->max_ts);
  }

  journey_error record(const journey_event& e) {
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
    std::uint64_t h = 0;
    std::uint32_t i = lookup_journey(e.journey_id, h);
    if (i == none32) {
      if (e.type == journey_event_type::step_end || e.type == journey_event_type::complete ||
          e.type == journey_event_type::abandon)
        return reject(journey_error::unknown_journey);
      i = open_journey(e.journey_id, h, e);
      last_slot = i;
    } else {
      last_slot = i;
      if (!slots[i]->open) return reject(journey_error::journey_closed);
      if (p.ts < slots[i]->last_applied_ts) return reject(journey_error::clock_backwards);
      // Most recently active goes to the tail of the LRU.
      if (open_list.tail != i) {
        list_remove(open_list, i);
        list_push(open_list, i);
      }
    }
    journey_state& j = *slots[i];
    if (!e.channel.empty()) p.channel = channels.intern(e.channel);
    // Sorted insert by timestamp, after equal ones (arrival order breaks ties); usually an append.
    auto pos = j.pending.end();
    while (pos != j.pending.begin() + static_cast<std::ptrdiff_t>(j.head) && (pos - 1)->ts > p.ts) --pos;
    j.pending.insert(pos, p);
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
    std::vector<std::uint32_t> ids;
    ids.reserve(open_list.size);
    for (std::uint32_t i = open_list.head; i != none32; i = slots[i]->next) ids.push_back(i);
    for (std::uint32_t i : ids) f(i);
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

journey_error journey_tracker::record(const journey_event& e) noexcept { return impl_->record(e); }

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
  const std::uint32_t ji = r.journey_id.empty() ? none32 : m.find_journey(r.journey_id, hash_id(r.journey_id));
  if (ji == none32) {
    ++m.responses_without_duration;
    return journey_error::none;
  }
  journey_state& j = *m.slots[ji];
  if (j.open) j.answers.push_back({static_cast<std::int16_t>(s), static_cast<std::int8_t>(nps)});
  else m.attach_band(j, s, nps);
  return journey_error::none;
}

void journey_tracker::advance(std::int64_t now_ms) {
  impl& m = *impl_;
  m.for_each_open([&](std::uint32_t i) {
    m.apply_ready(i, sat_sub(now_ms, m.def.reorder_window_ms));
    journey_state& j = *m.slots[i];
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
    if (m.slots[i]->open) m.close(i, outcome::unfinished, m.slots[i]->max_ts);
  });
}

std::size_t journey_tracker::open_journeys() const noexcept { return impl_->open_list.size; }
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
  for (const auto& c : m.cells)
    r.durations.emplace(journey_report::cell_key{m.def.steps[c.step].name, m.segments.name(c.segment), m.channels.name(c.channel)},
                        c.sketch);
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
