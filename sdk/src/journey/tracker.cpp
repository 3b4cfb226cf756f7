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
#include "core/hash_index.hpp"
#include "core/id_set.hpp"
#include "core/name_table.hpp"
#include "core/saturating.hpp"
#include "journey/tracker_state.hpp"
#include "cxm/survey/scoring.hpp"

CXM_BEGIN_NAMESPACE
namespace {

using namespace detail;  // the tracker's own internals (tracker_state.hpp) and core's
using slot_index = hash_index<std::uint32_t, none32>;

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
  std::uint64_t responses_duplicate = 0;
  detail::id_set attached_ids;  // ids of the responses attached, so each counts once
  // The questions attached responses are judged against (options), and a scratch answer.
  survey_question nps_question, ces_question, emotion_question;
  scored_answer scored;

  explicit impl(journey_definition d, journey_tracker_options o) : def(std::move(d)), options(std::move(o)) {
    step_count = def.steps.size();
    max_closed = options.max_closed_journeys == 0 ? def.max_open_journeys : options.max_closed_journeys;
    for (const journey_step& s : def.steps) (void)step_names.intern(s.name);
    for (const journey_touchpoint& t : def.touchpoints) (void)touchpoint_names.intern(t.name);
    step_effort.resize(def.steps.size());
    nps_question.id = options.nps_question;
    nps_question.type = question_type::nps;
    nps_question.scale = scale::nps();
    ces_question.id = options.ces_question;
    ces_question.type = question_type::ces;
    ces_question.scale = options.ces_scale;
    emotion_question.id = options.emotion_question;
    emotion_question.type = question_type::emotion;
    emotion_question.choices.assign(emotion_set.begin(), emotion_set.end());
    survey.resize(def.steps.size());
    for (step_survey& sv : survey) {
      sv.nps = question_tally::of(nps_question);
      sv.ces = question_tally::of(ces_question);
      sv.emotion = question_tally::of(emotion_question);
    }
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
        q.sum = add_saturating(q.sum, p.number);
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
    auto& counts =
        survey[static_cast<std::size_t>(step)].nps_by_duration[journey_report::duration_band(static_cast<double>(st.duration_ms))];
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

journey_error journey_tracker::add_response(const response_view& r, std::vector<problem>* problems) {
  impl& m = *impl_;
  const int s = r.step.empty() ? -1 : m.step_of(r.step);
  if (s < 0) {
    ++m.responses_unknown_step;
    return journey_error::unknown_step;
  }
  // The same response attached twice (a retried delivery, two files) counts once.
  if (!r.id.empty() && !m.attached_ids.insert(r.id)) {
    ++m.responses_duplicate;
    return journey_error::duplicate_response;
  }
  step_survey& sv = m.survey[static_cast<std::size_t>(s)];
  ++m.responses_attached;
  int nps = -1;
  std::string reason;
  const std::pair<const survey_question*, question_tally*> questions[] = {
      {&m.nps_question, &sv.nps}, {&m.ces_question, &sv.ces}, {&m.emotion_question, &sv.emotion}};
  for (const auto& [q, tally] : questions) {
    const answer_value* v = r.find(q->id);
    if (v == nullptr) {
      tally->add_shown(nullptr);
      continue;
    }
    const errc e = score_answer(*q, *v, m.scored, problems != nullptr ? &reason : nullptr);
    if (e != errc::ok) {
      tally->add_invalid(e);
      if (problems != nullptr) problems->push_back({e, "answers." + q->id, reason});
      continue;
    }
    tally->add_shown(&m.scored);
    if (q->type == question_type::nps) nps = m.scored.score;
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
    m.apply_ready(i, sub_saturating(now_ms, m.def.reorder_window_ms));
    journey_state& j = m.slots[i];
    if (j.open && j.max_ts <= sub_saturating(now_ms, m.def.abandon_after_ms)) {
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
  r.responses_duplicate = m.responses_duplicate;
  r.responses_unknown_step = m.responses_unknown_step;
  r.responses_without_duration = m.responses_without_duration;
  return r;
}

CXM_END_NAMESPACE
