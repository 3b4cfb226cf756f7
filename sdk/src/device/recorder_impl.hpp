// SPDX-License-Identifier: MIT
// Internal: the recorder's state and its record fast path, inline here so that the C ABI's
// record functions compile to the same few instructions as recorder::record (one call across
// the shared library's boundary instead of two). The slow paths live in recorder.cpp.
#ifndef CXM_SRC_DEVICE_RECORDER_IMPL_HPP
#define CXM_SRC_DEVICE_RECORDER_IMPL_HPP

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "cxm/core/status.hpp"
#include "cxm/device/recorder.hpp"
#include "cxm/stats/scale.hpp"
#include "device/recorder_shard.hpp"

// A thread_local declared extern is read through a call that runs its dynamic initializer,
// unless the compiler knows there is none; the cache below has none, and saying so keeps the
// fast path free of that call.
#if defined(__clang__)
#  define CXM_CONSTANT_INIT __attribute__((require_constant_initialization))
#elif defined(__GNUC__)
#  define CXM_CONSTANT_INIT __constinit
#else
#  define CXM_CONSTANT_INIT
#endif

CXM_BEGIN_NAMESPACE
namespace detail {

/// What a record needs of a metric, 16 bytes: its answer range (tallies), its cell in a shard
/// and its kind.
struct metric_slot {
  int min = 0;              // the lowest answer
  std::uint32_t span = 0;   // max - min
  std::uint32_t cell = 0;   // index among the shard's tally cells, or among its sketch cells
  metric_kind kind = metric_kind::nps;
};

/// The calling thread's last shard: one entry, read by every record. Keyed by a recorder id
/// from a process-wide counter, never the recorder's address: a recorder can be destroyed and
/// another allocated at the same address, and a thread still caching the first one's shard
/// must not match the second. Id 0 is no recorder.
///
/// Trivially destructible and constant-initialized, so reading it needs no guard. With glibc
/// the initial-exec model makes it one %fs-relative load even in libcxm.so (PIC code would
/// otherwise call __tls_get_addr), and the library can still be dlopen'ed (a JVM loads it so):
/// glibc keeps a reserve of static TLS for small variables like these 24 bytes. Android's
/// and musl's loaders refuse to dlopen a library with initial-exec TLS, so there the default
/// model is kept (a call per lookup, still no lock).
struct shard_cache {
  std::uint64_t recorder_id;
  tally_cell* tallies;
  sketch_cell* sketches;
};
#if defined(__GLIBC__) && !defined(__ANDROID__)
#  define CXM_CACHE_TLS_MODEL [[gnu::tls_model("initial-exec")]]
#else
#  define CXM_CACHE_TLS_MODEL
#endif
CXM_CACHE_TLS_MODEL CXM_CONSTANT_INIT extern thread_local shard_cache recorder_cache;

/// Counts an integer answer, or its rejection, in the cell.
inline status count_answer(tally_cell& cell, const metric_slot& m, int answer) noexcept {
  // One unsigned comparison checks both ends (modular arithmetic: no overflow).
  const unsigned offset = static_cast<unsigned>(answer) - static_cast<unsigned>(m.min);
  if (__builtin_expect(offset > m.span, 0)) {
    bump_saturating(cell.rejected[rejection_index(errc::out_of_range)]);
    return errc::out_of_range;
  }
  bump(cell.counts[offset]);
  return errc::ok;
}

/// Counts a numeric answer: the one rule every tally applies (scale.hpp), so a number is
/// rejected as its tally would reject it.
inline status count_number(tally_cell& cell, const metric_slot& m, double answer) noexcept {
  const scale s{m.min, m.min + static_cast<int>(m.span), m.min};
  if (const errc e = classify_answer(answer, s); e != errc::ok) {
    bump_saturating(cell.rejected[rejection_index(e)]);
    return e;
  }
  return count_answer(cell, m, static_cast<int>(answer));
}

/// Records a duration under the cell's lock.
inline status count_duration(sketch_cell& cell, double duration) noexcept {
  cell.lock.lock();
  const status r = cell.sketch.record(duration);
  cell.lock.unlock();
  return r;
}

}  // namespace detail

class recorder::impl {
 public:
  // ---- read by every record (set by make, never changed) ----
  std::uint64_t id = 0;
  std::size_t metric_count = 0;
  const detail::metric_slot* slot_data = nullptr;  // slots.data()

  // ---- the rest ----
  std::vector<detail::metric_slot> slots;
  std::vector<metric_spec> specs;
  std::vector<std::pair<std::string_view, std::size_t>> by_name;  // views of specs' names, sorted
  std::vector<std::size_t> tally_metrics;   // the metric of each tally cell
  std::vector<std::size_t> sketch_metrics;  // the metric of each sketch cell
  std::shared_ptr<detail::shard_registry> registry;

  // Snapshots, drains and restores, one at a time (the cold path).
  std::mutex mutex;
  std::vector<duration_sketch> drained;  // per sketch cell: all that drains took out of shards
  recorder_snapshot zero;                // every metric, empty
  recorder_snapshot restored;            // restored since the last drain
  bool has_restored = false;

  // ---- the fast paths: the cache hit, inline; everything else out of line ----

  static status record_answer(recorder& rec, std::size_t metric, int answer) noexcept {
    impl* p = rec.impl_.get();
    if (p == nullptr || metric >= p->metric_count) return errc::invalid_argument;
    const detail::metric_slot& m = p->slot_data[metric];
    if (m.kind == metric_kind::duration) return errc::invalid_argument;
    const detail::shard_cache& c = detail::recorder_cache;
    if (__builtin_expect(c.recorder_id != p->id, 0)) return p->answer_slow(m, answer);
    return detail::count_answer(c.tallies[m.cell], m, answer);
  }

  static status record_number(recorder& rec, std::size_t metric, double answer) noexcept {
    impl* p = rec.impl_.get();
    if (p == nullptr || metric >= p->metric_count) return errc::invalid_argument;
    const detail::metric_slot& m = p->slot_data[metric];
    if (m.kind == metric_kind::duration) return errc::invalid_argument;
    const detail::shard_cache& c = detail::recorder_cache;
    if (__builtin_expect(c.recorder_id != p->id, 0)) return p->number_slow(m, answer);
    return detail::count_number(c.tallies[m.cell], m, answer);
  }

  static status record_duration(recorder& rec, std::size_t metric, double duration) noexcept {
    impl* p = rec.impl_.get();
    if (p == nullptr || metric >= p->metric_count) return errc::invalid_argument;
    const detail::metric_slot& m = p->slot_data[metric];
    if (m.kind != metric_kind::duration) return errc::invalid_argument;
    const detail::shard_cache& c = detail::recorder_cache;
    if (__builtin_expect(c.recorder_id != p->id, 0)) return p->duration_slow(m, duration);
    return detail::count_duration(c.sketches[m.cell], duration);
  }

  // The same, reduced to the cache hit on a metric of the right kind, for the C ABI: true with
  // the record's status in `out`, or false having done nothing (call the function above). Its
  // callers then need nothing of their arguments after the call and keep no stack frame.
  static bool try_record_answer(recorder& rec, std::size_t metric, int answer, status& out) noexcept {
    const impl* p = rec.impl_.get();
    if (p == nullptr || metric >= p->metric_count) return false;
    const detail::metric_slot& m = p->slot_data[metric];
    const detail::shard_cache& c = detail::recorder_cache;
    if (m.kind == metric_kind::duration || c.recorder_id != p->id) return false;
    out = detail::count_answer(c.tallies[m.cell], m, answer);
    return true;
  }
  static bool try_record_number(recorder& rec, std::size_t metric, double answer, status& out) noexcept {
    const impl* p = rec.impl_.get();
    if (p == nullptr || metric >= p->metric_count) return false;
    const detail::metric_slot& m = p->slot_data[metric];
    const detail::shard_cache& c = detail::recorder_cache;
    if (m.kind == metric_kind::duration || c.recorder_id != p->id) return false;
    out = detail::count_number(c.tallies[m.cell], m, answer);
    return true;
  }
  static bool try_record_duration(recorder& rec, std::size_t metric, double duration, status& out) noexcept {
    const impl* p = rec.impl_.get();
    if (p == nullptr || metric >= p->metric_count) return false;
    const detail::metric_slot& m = p->slot_data[metric];
    const detail::shard_cache& c = detail::recorder_cache;
    if (m.kind != metric_kind::duration || c.recorder_id != p->id) return false;
    out = detail::count_duration(c.sketches[m.cell], duration);
    return true;
  }

  // A cache miss: the thread's first record, or one after it used another recorder.
  status answer_slow(const detail::metric_slot& m, int answer) noexcept;
  status number_slow(const detail::metric_slot& m, double answer) noexcept;
  status duration_slow(const detail::metric_slot& m, double duration) noexcept;
  /// The thread's shard (caching it), or nullptr when memory runs out.
  detail::shard* find_shard() noexcept;

  recorder_snapshot collect(bool drain);
  void clear_restored() noexcept;

  // A nested class may read the recorder's private members: the test hook's way in.
  static detail::shard_counts counts_of(const recorder& rec) noexcept {
    return rec.impl_ ? rec.impl_->registry->counts() : detail::shard_counts{};
  }
};

CXM_END_NAMESPACE

#endif  // CXM_SRC_DEVICE_RECORDER_IMPL_HPP
