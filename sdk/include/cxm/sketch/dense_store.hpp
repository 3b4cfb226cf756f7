// SPDX-License-Identifier: MIT
/// @file dense_store.hpp  Bucket index -> count in one preallocated array with a bucket budget.
#ifndef CXM_SKETCH_DENSE_STORE_HPP
#define CXM_SKETCH_DENSE_STORE_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE

/// The counts of a contiguous range of bucket indices, held in one array allocated at
/// construction; the *store* half of a sketch (DDSketch's mapping/store split).
///
/// Counters are 32-bit, so `max_buckets` of them take 4·`max_buckets` bytes. If one bucket ever
/// needs more than 2^32 - 1 counts, the counters widen in place to 64 bits and the store then
/// holds `max_buckets / 2` buckets. Nothing is ever reallocated.
///
/// When a new index does not fit the budget, `add` halves the resolution — bucket i becomes
/// bucket i >> 1, counts of merged buckets add up — as often as needed and reports how many
/// times it did, so the owner lowers its mapping's scale by as much (OpenTelemetry's downscale).
/// A tail is never collapsed into an edge bucket, and counts are never dropped.
///
/// Invariants: every counter outside [first_index(), last_index()] is zero, and the counters at
/// both ends are non-zero (every index ever added with a non-zero count is inside the range).
///
/// @par Thread safety
/// None: one store per thread, or external locking.
class CXM_API dense_store {
 public:
  /// The smallest budget: at the coarsest scale (-10) every double fits three buckets, so a
  /// budget of 8 (4 after widening) can always absorb a value by downscaling.
  static constexpr std::uint32_t min_buckets = 8;
  static constexpr std::uint32_t max_buckets_limit = std::uint32_t{1} << 20;
  /// 1600 buckets: 25 octaves (a ratio of 3·10^7, e.g. 10 ms to 3.8 days) at scale 6, in
  /// 6400 bytes of counters.
  static constexpr std::uint32_t default_max_buckets = 1600;

  /// A store of at most `max_buckets` buckets (clamped to [min_buckets, max_buckets_limit]).
  /// Allocates 4·max_buckets bytes, once. Allocation failure terminates.
  explicit dense_store(std::uint32_t max_buckets = default_max_buckets) noexcept;
  dense_store(const dense_store& other) noexcept;
  dense_store& operator=(const dense_store& other) noexcept;
  /// Moving leaves `other` without capacity: it may only be assigned to or destroyed
  /// (`add` on it returns -1 and changes nothing).
  dense_store(dense_store&& other) noexcept;
  dense_store& operator=(dense_store&& other) noexcept;
  ~dense_store() = default;

  /// Adds `n` to an index already inside [first_index(), last_index()] when its counter does
  /// not overflow; otherwise changes nothing and returns false (then call `add`). O(1), no
  /// allocation.
  bool try_add(std::int32_t index, std::uint64_t n) noexcept {
    // [fast_start_, fast_start_ + fast_count_) is the range while counters are 32-bit and is
    // empty once they are 64-bit, so one unsigned comparison checks the range and the width.
    if (static_cast<std::uint32_t>(index) - static_cast<std::uint32_t>(fast_start_) >= fast_count_) return false;
    std::uint32_t& c = data_[static_cast<std::size_t>(std::int64_t{index} - base_)];
    if (n > std::uint64_t{std::numeric_limits<std::uint32_t>::max()} - c) return false;
    c = static_cast<std::uint32_t>(c + n);
    return true;
  }

  /// Adds `n` counts to bucket `index`, first halving the resolution k >= 0 times if the range
  /// would not fit the budget otherwise (the count then goes to bucket index >> k).
  /// @returns k, or -1 for a moved-from store. n = 0 changes nothing. No allocation.
  int add(std::int32_t index, std::uint64_t n) noexcept;

  /// Halves the resolution at least `k` times (more if merged counts need 64-bit counters and
  /// then no longer fit). @returns the number of halvings applied. No allocation.
  int downscale(int k) noexcept;

  /// Replaces the contents with `size` counts for indices offset, offset+1, ... Returns false
  /// (and changes nothing) if they do not fit the budget, or if a count at either end is zero.
  bool assign(std::int32_t offset, const std::uint64_t* counts, std::size_t size) noexcept;

  /// Removes every count (keeps the budget and the allocation).
  void clear() noexcept;

  bool empty() const noexcept { return start_ > end_; }
  /// The lowest and highest occupied index. Precondition: !empty().
  std::int32_t first_index() const noexcept { return start_; }
  std::int32_t last_index() const noexcept { return end_; }
  /// The number of buckets from first_index() to last_index() (0 when empty).
  std::size_t size() const noexcept {
    return empty() ? 0 : static_cast<std::size_t>(std::int64_t{end_} - start_ + 1);
  }
  /// The count of bucket `index` (0 outside the range).
  std::uint64_t count(std::int32_t index) const noexcept {
    if (index < start_ || index > end_) return 0;
    return get(static_cast<std::size_t>(std::int64_t{index} - base_));
  }
  /// The sum of all counts. O(size()).
  std::uint64_t total() const noexcept;

  std::uint32_t max_buckets() const noexcept { return max_buckets_; }
  /// The current bucket capacity: max_buckets, or max_buckets / 2 once counters are 64-bit.
  std::uint32_t capacity() const noexcept { return wide_ ? max_buckets_ / 2 : max_buckets_; }
  bool wide() const noexcept { return wide_; }
  /// Bytes allocated on the heap (fixed at construction).
  std::size_t heap_bytes() const noexcept { return std::size_t{4} * max_buckets_; }

  /// Calls f(index, count) for every index from first_index() to last_index(), in order
  /// (interior buckets may have count 0).
  template <class F>
  void for_each(F&& f) const {
    if (empty()) return;
    for (std::int64_t i = start_; i <= end_; ++i)
      f(static_cast<std::int32_t>(i), get(static_cast<std::size_t>(i - base_)));
  }

  /// Same budget and the same counts at the same indices.
  friend CXM_API bool operator==(const dense_store& a, const dense_store& b) noexcept;
  friend bool operator!=(const dense_store& a, const dense_store& b) noexcept { return !(a == b); }

 private:
  std::uint64_t get(std::size_t slot) const noexcept {
    if (!wide_) return data_[slot];
    // 64-bit counters occupy two 32-bit slots each; memcpy reads their object representation.
    std::uint64_t c;
    std::memcpy(&c, bytes() + 8 * slot, 8);
    return c;
  }
  const unsigned char* bytes() const noexcept { return reinterpret_cast<const unsigned char*>(data_.get()); }
  unsigned char* bytes() noexcept { return reinterpret_cast<unsigned char*>(data_.get()); }
  void sync_fast_range() noexcept {
    fast_start_ = start_;
    // end_ < start_ when empty; the range is at most max_buckets_ long.
    fast_count_ = wide_ || end_ < start_ ? 0u : static_cast<std::uint32_t>(std::int64_t{end_} - start_ + 1);
  }
  void set(std::size_t slot, std::uint64_t value) noexcept;
  std::uint64_t merged_max(int k, std::int64_t index, std::uint64_t n) const noexcept;
  void reshape(int k, bool to_wide) noexcept;
  void place(std::int64_t lo, std::int64_t hi) noexcept;

  std::unique_ptr<std::uint32_t[]> data_;  // max_buckets_ 32-bit slots
  std::int64_t base_ = 0;                   // the index of slot 0
  std::int32_t fast_start_ = std::numeric_limits<std::int32_t>::max();
  std::uint32_t fast_count_ = 0;
  std::int32_t start_ = std::numeric_limits<std::int32_t>::max();
  std::int32_t end_ = std::numeric_limits<std::int32_t>::min();
  std::uint32_t max_buckets_;
  bool wide_ = false;
};

CXM_END_NAMESPACE

#endif  // CXM_SKETCH_DENSE_STORE_HPP
