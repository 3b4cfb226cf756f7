// SPDX-License-Identifier: MIT
// The thread-safe recorder: per-thread shards found through a thread-local cache, merged by
// snapshots, drained exactly once (recorder_shard.hpp states who writes what).
#include "cxm/device/recorder.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "core/saturating.hpp"
#include "device/recorder_impl.hpp"
#include "device/recorder_metrics.hpp"
#include "device/recorder_shard.hpp"

CXM_BEGIN_NAMESPACE

namespace detail {
CXM_CACHE_TLS_MODEL CXM_CONSTANT_INIT thread_local shard_cache recorder_cache{0, nullptr, nullptr};
}  // namespace detail

namespace {

using detail::recorder_cache;

// Recorder ids: see shard_cache.
std::atomic<std::uint64_t> next_recorder_id{1};

// Set when the thread's list of shards (below) has been destroyed: the thread is exiting.
CXM_CACHE_TLS_MODEL thread_local bool owned_list_gone = false;

// One shard a thread owns: the registry is held weakly, so the entry outlives the recorder
// harmlessly.
struct owned_shard {
  std::uint64_t recorder_id;
  std::weak_ptr<detail::shard_registry> registry;
  detail::shard* shard;
  owned_shard* next;
};

// Every shard the thread owns, in any recorder: the slow path's lookup, and the release of
// the shards when the thread exits. A plain list of nodes made with nothrow new (a vector
// could throw from the noexcept record path).
class owned_list {
 public:
  constexpr owned_list() noexcept = default;
  owned_list(const owned_list&) = delete;
  owned_list& operator=(const owned_list&) = delete;
  ~owned_list() {
    // A record made later in this thread's exit (another thread_local's destructor) must not
    // write to a shard that another thread may then own: forget it.
    recorder_cache = {0, nullptr, nullptr};
    owned_list_gone = true;
    while (head != nullptr) {
      owned_shard* n = head;
      head = n->next;
      if (const auto registry = n->registry.lock()) registry->release(n->shard);
      delete n;
    }
  }
  owned_shard* head = nullptr;
};
thread_local owned_list owned;

}  // namespace

// ---- the registry ----------------------------------------------------------------------------

namespace detail {

shard_registry::~shard_registry() {
  while (head_ != nullptr) {
    shard* s = head_;
    head_ = s->next;
    delete s;
  }
}

shard* shard_registry::make_shard() const noexcept {
  shard* s = new (std::nothrow) shard;
  if (s == nullptr) return nullptr;
  const bool made =
      s->tallies.allocate(tally_count_, [](void* at, std::size_t) { new (at) tally_cell(); }) &&
      s->baselines.allocate(tally_count_, [](void* at, std::size_t) { new (at) tally_baseline(); }) &&
      s->sketches.allocate(empty_sketches_.size(),
                           [this](void* at, std::size_t i) { new (at) sketch_cell(empty_sketches_[i]); }) &&
      s->spares.allocate(empty_sketches_.size(),
                         [this](void* at, std::size_t i) { new (at) duration_sketch(empty_sketches_[i]); });
  if (made) return s;
  delete s;
  return nullptr;
}

shard* shard_registry::acquire() noexcept {
  std::lock_guard<std::mutex> hold(mutex_);
  for (shard* s = head_; s != nullptr; s = s->next) {
    if (!s->in_use) {
      s->in_use = true;
      return s;
    }
  }
  shard* s = make_shard();
  if (s == nullptr) return nullptr;
  s->in_use = true;
  s->next = head_;
  head_ = s;
  return s;
}

void shard_registry::release(shard* s) noexcept {
  std::lock_guard<std::mutex> hold(mutex_);
  s->in_use = false;
}

shard_counts shard_registry::counts() const noexcept {
  std::lock_guard<std::mutex> hold(mutex_);
  shard_counts c;
  for (const shard* s = head_; s != nullptr; s = s->next) {
    ++c.shards;
    if (s->in_use) ++c.in_use;
  }
  return c;
}

}  // namespace detail

// ---- the slow path of record: a thread's first record, or one after another recorder ---------

detail::shard* recorder::impl::find_shard() noexcept {
  if (!owned_list_gone) {
    owned_shard** link = &owned.head;
    while (*link != nullptr) {
      owned_shard* n = *link;
      if (n->recorder_id == id) {
        recorder_cache = {id, n->shard->tallies.data(), n->shard->sketches.data()};
        return n->shard;
      }
      if (n->registry.expired()) {  // that recorder is gone: drop the entry
        *link = n->next;
        delete n;
        continue;
      }
      link = &n->next;
    }
  }
  detail::shard* s = registry->acquire();
  if (s == nullptr) return nullptr;
  if (!owned_list_gone) {
    auto* n = new (std::nothrow) owned_shard{id, registry, s, owned.head};
    if (n == nullptr) {
      registry->release(s);
      return nullptr;
    }
    owned.head = n;
  }
  // Otherwise the thread is exiting and its list is gone: it keeps the shard (the recorder
  // frees it), which costs one shard per such thread and loses nothing.
  recorder_cache = {id, s->tallies.data(), s->sketches.data()};
  return s;
}

status recorder::impl::answer_slow(const detail::metric_slot& m, int answer) noexcept {
  detail::shard* s = find_shard();
  return s == nullptr ? errc::too_large : detail::count_answer(s->tallies[m.cell], m, answer);
}

status recorder::impl::number_slow(const detail::metric_slot& m, double answer) noexcept {
  detail::shard* s = find_shard();
  return s == nullptr ? errc::too_large : detail::count_number(s->tallies[m.cell], m, answer);
}

status recorder::impl::duration_slow(const detail::metric_slot& m, double duration) noexcept {
  detail::shard* s = find_shard();
  return s == nullptr ? errc::too_large : detail::count_duration(s->sketches[m.cell], duration);
}

recorder_snapshot recorder::impl::collect(bool drain) {
  std::lock_guard<std::mutex> hold(mutex);
  recorder_snapshot out = zero;
  const std::size_t tallies = tally_metrics.size();
  const std::size_t sketches = sketch_metrics.size();
  if (!drain) {
    // Drains took these records out of the shards: a snapshot counts them again.
    for (std::size_t d = 0; d < sketches; ++d)
      (void)std::get<duration_sketch>(out.values[sketch_metrics[d]]).merge(drained[d]);
  }
  std::vector<detail::tally_baseline> sums(tallies);
  registry->for_each([&](detail::shard& s) {
    for (std::size_t t = 0; t < tallies; ++t) {
      detail::tally_cell& cell = s.tallies[t];
      detail::tally_baseline& base = s.baselines[t];
      detail::tally_baseline& sum = sums[t];
      for (std::size_t k = 0; k < scale::max_points; ++k) {
        const std::uint64_t now = cell.counts[k].load(std::memory_order_relaxed);
        // Counts only grow and only drains move the baseline: now >= base, the difference is
        // exactly the records since the last drain.
        sum.counts[k] += drain ? now - base.counts[k] : now;
        if (drain) base.counts[k] = now;
      }
      for (std::size_t k = 0; k < detail::rejection_reasons; ++k) {
        const std::uint64_t now = cell.rejected[k].load(std::memory_order_relaxed);
        sum.rejected[k] = detail::add_saturating(sum.rejected[k], drain ? now - base.rejected[k] : now);
        if (drain) base.rejected[k] = now;
      }
    }
    for (std::size_t d = 0; d < sketches; ++d) {
      detail::sketch_cell& cell = s.sketches[d];
      auto& value = std::get<duration_sketch>(out.values[sketch_metrics[d]]);
      if (drain) {
        // Swap the shard's sketch for the empty spare: moves of pointers, so the owner waits
        // for no allocation and no merge. The merges happen after the lock is released.
        duration_sketch& spare = s.spares[d];
        cell.lock.lock();
        std::swap(cell.sketch, spare);
        cell.lock.unlock();
        (void)value.merge(spare);
        (void)drained[d].merge(spare);
        spare.clear();  // empty, at its initial scale: the next drain's spare
      } else {
        cell.lock.lock();
        (void)value.merge(cell.sketch);
        cell.lock.unlock();
      }
    }
  });
  for (std::size_t t = 0; t < tallies; ++t) {
    const detail::tally_baseline& sum = sums[t];
    std::array<std::uint64_t, 4> rejected{};
    std::copy(std::begin(sum.rejected), std::end(sum.rejected), rejected.begin());
    metric_value& v = out.values[tally_metrics[t]];
    // The totals stay below max_count (2^62): one thread records at most a few billion
    // values a second, so a shard would need a century to get there.
    if (auto* nps = std::get_if<nps_tally>(&v)) {
      nps_tally::counts_type counts{};
      std::copy(std::begin(sum.counts), std::begin(sum.counts) + counts.size(), counts.begin());
      *nps = nps_tally(counts);
      nps->set_rejected_counts(rejected);
    } else if (auto* tally = std::get_if<scale_tally>(&v)) {
      scale_tally::counts_type counts{};
      std::copy(std::begin(sum.counts), std::end(sum.counts), counts.begin());
      (void)tally->set_counts(counts);
      tally->set_rejected_counts(rejected);
    }
  }
  // What was restored goes out with this drain; kept for the next one if it cannot be added.
  if (drain && has_restored && out.merge(restored).ok()) clear_restored();
  return out;
}

void recorder::impl::clear_restored() noexcept {
  for (metric_value& v : restored.values) {
    if (auto* nps = std::get_if<nps_tally>(&v)) {
      *nps = nps_tally();
    } else if (auto* tally = std::get_if<scale_tally>(&v)) {
      *tally = scale_tally::make(tally->answer_scale()).value();  // the scale is valid
    } else if (auto* sketch = std::get_if<duration_sketch>(&v)) {
      sketch->clear();
    }
  }
  has_restored = false;
}

// ---- making one ------------------------------------------------------------------------------

result<recorder> recorder::make(std::vector<metric_spec> metrics) {
  if (metrics.empty() || metrics.size() > max_metrics)
    return {errc::invalid_argument, "metrics: a recorder has 1 to 4096 metrics, got " + std::to_string(metrics.size())};
  auto p = std::make_unique<impl>();
  std::vector<duration_sketch> empty_sketches;
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    const metric_spec& m = metrics[i];
    const std::string at = "metrics[" + std::to_string(i) + "]";
    errc code = errc::ok;
    if (const char* why = detail::metric_name_problem(m.name, code)) return {code, at + ".name: " + why};
    detail::metric_slot slot;
    slot.kind = m.kind;
    switch (m.kind) {
      case metric_kind::nps:
        slot.cell = static_cast<std::uint32_t>(p->tally_metrics.size());
        slot.min = nps_tally::min_answer;
        slot.span = nps_tally::max_answer - nps_tally::min_answer;
        p->tally_metrics.push_back(i);
        p->zero.values.emplace_back(nps_tally());
        break;
      case metric_kind::scale: {
        auto tally = scale_tally::make(m.scale);
        if (!tally.ok()) return {errc::invalid_argument, at + ".scale: " + tally.detail()};
        slot.cell = static_cast<std::uint32_t>(p->tally_metrics.size());
        slot.min = m.scale.min;
        slot.span = static_cast<std::uint32_t>(m.scale.max - m.scale.min);  // valid: 0..10
        p->tally_metrics.push_back(i);
        p->zero.values.emplace_back(std::move(tally).value());
        break;
      }
      case metric_kind::duration: {
        auto sketch = duration_sketch::make(m.sketch);
        if (!sketch.ok()) return {errc::invalid_argument, at + ".sketch: " + sketch.detail()};
        slot.cell = static_cast<std::uint32_t>(p->sketch_metrics.size());
        p->sketch_metrics.push_back(i);
        empty_sketches.push_back(sketch.value());
        p->zero.values.emplace_back(std::move(sketch).value());
        break;
      }
      default:
        return {errc::invalid_argument,
                at + ".kind: " + std::to_string(static_cast<std::int32_t>(m.kind)) + " is not a metric kind"};
    }
    p->slots.push_back(slot);
  }
  p->specs = std::move(metrics);
  p->metric_count = p->slots.size();
  p->slot_data = p->slots.data();
  for (std::size_t i = 0; i < p->specs.size(); ++i) p->by_name.emplace_back(p->specs[i].name, i);
  std::sort(p->by_name.begin(), p->by_name.end());
  // Report the duplicate that comes first in the list: the smallest second index.
  std::size_t duplicate = p->specs.size(), original = 0;
  for (std::size_t k = 1; k < p->by_name.size(); ++k) {
    if (p->by_name[k].first == p->by_name[k - 1].first && p->by_name[k].second < duplicate) {
      duplicate = p->by_name[k].second;  // sorted by (name, index): k - 1 holds the earlier one
      original = p->by_name[k - 1].second;
    }
  }
  if (duplicate != p->specs.size())
    return {errc::invalid_argument, "metrics[" + std::to_string(duplicate) + "].name: the name of metrics[" +
                                        std::to_string(original) + "] again (names are unique)"};

  p->zero.metrics = p->specs;
  p->restored = p->zero;
  p->drained = empty_sketches;
  p->registry = std::make_shared<detail::shard_registry>(p->tally_metrics.size(), std::move(empty_sketches));
  p->id = next_recorder_id.fetch_add(1, std::memory_order_relaxed);
  return recorder(std::move(p));
}

recorder::recorder(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
recorder::recorder(recorder&&) noexcept = default;
recorder& recorder::operator=(recorder&&) noexcept = default;
recorder::~recorder() = default;

const std::vector<metric_spec>& recorder::metrics() const noexcept {
  static const std::vector<metric_spec> none;
  return impl_ ? impl_->specs : none;
}

std::optional<std::size_t> recorder::find(std::string_view name) const noexcept {
  if (!impl_) return std::nullopt;
  const auto& index = impl_->by_name;
  const auto it = std::lower_bound(index.begin(), index.end(), name,
                                   [](const std::pair<std::string_view, std::size_t>& e, std::string_view n) {
                                     return e.first < n;
                                   });
  if (it == index.end() || it->first != name) return std::nullopt;
  return it->second;
}

// ---- recording: the fast paths are inline in recorder_impl.hpp -------------------------------

status recorder::record(std::size_t metric, int answer) noexcept { return impl::record_answer(*this, metric, answer); }

status recorder::record(std::size_t metric, double answer) noexcept {
  return impl::record_number(*this, metric, answer);
}

status recorder::record_duration(std::size_t metric, double duration) noexcept {
  return impl::record_duration(*this, metric, duration);
}

// ---- snapshots and drains --------------------------------------------------------------------

recorder_snapshot recorder::snapshot() const { return impl_ ? impl_->collect(false) : recorder_snapshot(); }

recorder_snapshot recorder::drain() { return impl_ ? impl_->collect(true) : recorder_snapshot(); }

status recorder::restore(const recorder_snapshot& drained) {
  if (!impl_) return errc::invalid_argument;
  std::lock_guard<std::mutex> hold(impl_->mutex);
  // merge() checks that `drained` has these metrics and changes nothing on error.
  const status s = impl_->restored.merge(drained);
  if (s.ok()) impl_->has_restored = true;
  return s;
}

namespace detail {

shard_counts recorder_shard_counts(const recorder& rec) noexcept { return recorder::impl::counts_of(rec); }

}  // namespace detail

CXM_END_NAMESPACE
