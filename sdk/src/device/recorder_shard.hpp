// SPDX-License-Identifier: MIT
// Internal: the per-thread shards of a recorder and the registry that hands them out to
// threads and takes them back when the threads exit.
//
// Who writes what (the invariants the recorder's consistency rests on):
// - a tally cell's counters are written only by the thread that owns the shard, with a relaxed
//   load and a relaxed store (no read-modify-write, no lock); snapshots and drains only load
//   them. A record is one counter increment, so any set of loads is a set of whole records;
// - a sketch cell is written under its spin lock: by the owner to record, by a drain to swap
//   the sketch for an empty spare, by a snapshot to read it;
// - baselines and spares are touched by drains only, under the recorder's mutex;
// - `next` and `in_use` are the registry's, under its mutex. A shard changes owner only
//   through release() and acquire(), both under that mutex, so a new owner sees every value the
//   previous one wrote (the mutex orders them) and continues its counters.
// Cells are cache-line aligned and the owner's cells and the drains' data are separate
// allocations, so recording threads never write a line that another thread writes.
#ifndef CXM_SRC_DEVICE_RECORDER_SHARD_HPP
#define CXM_SRC_DEVICE_RECORDER_SHARD_HPP

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <new>
#include <thread>
#include <utility>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/device/recorder.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// The line size of the CPUs cxm targets (x86-64, ARMv8); C++17's
/// hardware_destructive_interference_size is not available everywhere and warns in GCC.
inline constexpr std::size_t cache_line = 64;

/// Adds one to a counter that only the calling thread writes: a relaxed load and a relaxed
/// store compile to plain moves, where fetch_add would lock the bus.
inline void bump(std::atomic<std::uint64_t>& c) noexcept {
  c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}
/// The same for a rejection counter, which saturates at 2^64 - 1 like the tallies' counters.
inline void bump_saturating(std::atomic<std::uint64_t>& c) noexcept {
  const std::uint64_t v = c.load(std::memory_order_relaxed);
  c.store(v == UINT64_MAX ? v : v + 1, std::memory_order_relaxed);
}

/// The rejection reasons of the tallies, in the order of their counters.
inline constexpr std::size_t rejection_reasons = nps_tally::rejected_reasons.size();
/// The counter of `reason` (out_of_range, not_integer, not_finite; wrong_type is never recorded).
constexpr std::size_t rejection_index(errc reason) noexcept {
  std::size_t i = 0;
  while (i + 1 < rejection_reasons && nps_tally::rejected_reasons[i] != reason) ++i;
  return i;
}
static_assert(rejection_index(errc::out_of_range) == 0 && rejection_index(errc::not_finite) == 2,
              "the tallies' rejection order");

/// One tally metric of one shard: counts per answer point (index 0 = the scale's min) and
/// rejections by reason.
struct alignas(cache_line) tally_cell {
  std::atomic<std::uint64_t> counts[scale::max_points];
  std::atomic<std::uint64_t> rejected[rejection_reasons];
  tally_cell() noexcept {
    // C++17's std::atomic default constructor leaves the value uninitialized.
    for (auto& c : counts) c.store(0, std::memory_order_relaxed);
    for (auto& c : rejected) c.store(0, std::memory_order_relaxed);
  }
};

/// A tally cell's counters at the last drain (drains only).
struct tally_baseline {
  std::uint64_t counts[scale::max_points] = {};
  std::uint64_t rejected[rejection_reasons] = {};
};

/// A test-and-test-and-set lock for a sketch cell. Its owner takes it for every record and
/// finds it free unless a snapshot or drain holds it (for one merge or one swap).
class spin_lock {
 public:
  void lock() noexcept {
    while (locked_.exchange(true, std::memory_order_acquire)) {
      // Wait reading, not writing, so the line is not bounced; yield now and then, since the
      // holder may have been preempted (recording threads may outnumber the cores).
      for (unsigned spins = 0; locked_.load(std::memory_order_relaxed); ++spins) {
        if ((spins & 63) == 63) std::this_thread::yield();
      }
    }
  }
  void unlock() noexcept { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

/// One duration metric of one shard.
struct alignas(cache_line) sketch_cell {
  spin_lock lock;
  duration_sketch sketch;
  explicit sketch_cell(const duration_sketch& empty) noexcept : sketch(empty) {}
};

/// `n` objects of T in one allocation aligned for T, made with nothrow new, so that a shard can
/// be allocated from record() (noexcept) and report running out of memory instead of throwing.
template <class T>
class cell_array {
 public:
  cell_array() noexcept = default;
  cell_array(const cell_array&) = delete;
  cell_array& operator=(const cell_array&) = delete;
  ~cell_array() {
    for (std::size_t i = size_; i-- > 0;) data_[i].~T();
    if (data_ != nullptr) ::operator delete(data_, std::align_val_t{alignof(T)});
  }

  /// Allocates `n` objects, each constructed by make(where, i) with placement new; false when
  /// memory runs out (then nothing is constructed).
  template <class Make>
  bool allocate(std::size_t n, Make&& make) noexcept {
    if (n == 0) return true;
    void* p = ::operator new(n * sizeof(T), std::align_val_t{alignof(T)}, std::nothrow);
    if (p == nullptr) return false;
    data_ = static_cast<T*>(p);
    for (; size_ < n; ++size_) make(static_cast<void*>(data_ + size_), size_);
    return true;
  }

  T* data() noexcept { return data_; }
  T& operator[](std::size_t i) noexcept { return data_[i]; }
  const T& operator[](std::size_t i) const noexcept { return data_[i]; }
  std::size_t size() const noexcept { return size_; }

 private:
  T* data_ = nullptr;
  std::size_t size_ = 0;
};

/// The metrics of one thread (or of threads one after the other). The header is written by
/// the registry only when the shard changes hands.
struct alignas(cache_line) shard {
  cell_array<tally_cell> tallies;     // the owner's, one per tally metric
  cell_array<sketch_cell> sketches;   // the owner's (under each cell's lock), one per duration metric
  cell_array<tally_baseline> baselines;  // drains only
  cell_array<duration_sketch> spares;    // drains only: swapped with a cell's sketch under its lock
  shard* next = nullptr;  // the registry's list
  bool in_use = false;    // owned by a live thread
};

/// How many shards a recorder holds, and how many live threads own one (a test hook).
struct shard_counts {
  std::size_t shards = 0;
  std::size_t in_use = 0;
};

/// Every shard of a recorder. Shared (std::shared_ptr) by the recorder and weakly by the
/// threads that own shards, so that a thread exiting after the recorder was destroyed finds
/// nothing to release, and one exiting while it is destroyed keeps it alive until it is done.
class shard_registry {
 public:
  /// Shards of `tallies` tally cells and one sketch cell per sketch of `empty_sketches` (each
  /// an empty sketch with its metric's options, copied into every new shard).
  shard_registry(std::size_t tallies, std::vector<duration_sketch> empty_sketches) noexcept
      : tally_count_(tallies), empty_sketches_(std::move(empty_sketches)) {}
  shard_registry(const shard_registry&) = delete;
  shard_registry& operator=(const shard_registry&) = delete;
  ~shard_registry();

  /// A free shard, or a new one; nullptr when memory runs out.
  shard* acquire() noexcept;
  /// Gives a shard back (its thread exits); it keeps its counts for the next owner.
  void release(shard* s) noexcept;

  /// Calls f(shard&) for every shard, holding the registry's mutex (threads wanting a shard
  /// wait; recording threads do not).
  template <class F>
  void for_each(F&& f) {
    std::lock_guard<std::mutex> hold(mutex_);
    for (shard* s = head_; s != nullptr; s = s->next) f(*s);
  }

  shard_counts counts() const noexcept;

 private:
  shard* make_shard() const noexcept;

  mutable std::mutex mutex_;
  shard* head_ = nullptr;
  std::size_t tally_count_;
  std::vector<duration_sketch> empty_sketches_;
};

/// Test hook: the shards of `rec` (0 for a moved-from recorder).
shard_counts recorder_shard_counts(const recorder& rec) noexcept;

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_DEVICE_RECORDER_SHARD_HPP
