// SPDX-License-Identifier: MIT
// dense_store: growth inside the budget, downscaling and in-place counter widening.
#include <algorithm>

#include "cxm/sketch/dense_store.hpp"
#include "cxm/sketch/log_mapping.hpp"

CXM_BEGIN_NAMESPACE
namespace {

constexpr std::uint64_t u32_max = std::numeric_limits<std::uint32_t>::max();

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) noexcept {
  return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max()
                                                            : a + b;
}

std::uint32_t clamp_budget(std::uint32_t n) noexcept {
  return std::min(std::max(n, dense_store::min_buckets), dense_store::max_buckets_limit);
}

}  // namespace

dense_store::dense_store(std::uint32_t max_buckets) noexcept
    : data_(new std::uint32_t[clamp_budget(max_buckets)]()), max_buckets_(clamp_budget(max_buckets)) {}

dense_store::dense_store(const dense_store& other) noexcept
    : data_(other.max_buckets_ == 0 ? nullptr : new std::uint32_t[other.max_buckets_]),
      base_(other.base_),
      fast_start_(other.fast_start_),
      fast_count_(other.fast_count_),
      start_(other.start_),
      end_(other.end_),
      max_buckets_(other.max_buckets_),
      wide_(other.wide_) {
  if (data_) std::memcpy(data_.get(), other.data_.get(), other.heap_bytes());
}

dense_store& dense_store::operator=(const dense_store& other) noexcept {
  if (this != &other) *this = dense_store(other);
  return *this;
}

dense_store::dense_store(dense_store&& other) noexcept
    : data_(std::move(other.data_)),
      base_(other.base_),
      fast_start_(other.fast_start_),
      fast_count_(other.fast_count_),
      start_(other.start_),
      end_(other.end_),
      max_buckets_(other.max_buckets_),
      wide_(other.wide_) {
  other.max_buckets_ = 0;
  other.wide_ = false;
  other.start_ = std::numeric_limits<std::int32_t>::max();
  other.end_ = std::numeric_limits<std::int32_t>::min();
  other.sync_fast_range();
}

dense_store& dense_store::operator=(dense_store&& other) noexcept {
  if (this != &other) {
    data_ = std::move(other.data_);
    base_ = other.base_;
    start_ = other.start_;
    end_ = other.end_;
    max_buckets_ = other.max_buckets_;
    wide_ = other.wide_;
    sync_fast_range();
    other.max_buckets_ = 0;
    other.wide_ = false;
    other.start_ = std::numeric_limits<std::int32_t>::max();
    other.end_ = std::numeric_limits<std::int32_t>::min();
    other.sync_fast_range();
  }
  return *this;
}

void dense_store::set(std::size_t slot, std::uint64_t value) noexcept {
  if (!wide_) {
    data_[slot] = static_cast<std::uint32_t>(value);
  } else {
    std::memcpy(bytes() + 8 * slot, &value, 8);
  }
}

std::uint64_t dense_store::total() const noexcept {
  std::uint64_t t = 0;
  for_each([&t](std::int32_t, std::uint64_t c) { t = saturating_add(t, c); });
  return t;
}

void dense_store::clear() noexcept {
  if (data_) std::memset(data_.get(), 0, heap_bytes());
  wide_ = false;
  base_ = 0;
  start_ = std::numeric_limits<std::int32_t>::max();
  end_ = std::numeric_limits<std::int32_t>::min();
  sync_fast_range();
}

// The largest count of a bucket after halving k times and adding n to bucket index >> k.
std::uint64_t dense_store::merged_max(int k, std::int64_t index, std::uint64_t n) const noexcept {
  const std::int64_t target = detail::floor_shift(index, k);
  std::uint64_t best = n, run = 0, at_target = 0;
  std::int64_t run_key = 0;
  bool in_run = false;
  for_each([&](std::int32_t i, std::uint64_t c) {
    const std::int64_t key = detail::floor_shift(i, k);
    if (!in_run || key != run_key) {
      best = std::max(best, run);
      run = 0;
      run_key = key;
      in_run = true;
    }
    run = saturating_add(run, c);
    if (key == target) at_target = saturating_add(at_target, c);
  });
  best = std::max(best, run);
  return std::max(best, saturating_add(at_target, n));
}

// Moves the occupied range to slot 0, halves the resolution k times and, if `to_wide`, turns the
// 32-bit counters into 64-bit ones — all inside the one array.
void dense_store::reshape(int k, bool to_wide) noexcept {
  if (k == 0 && to_wide == wide_) return;
  if (empty()) {
    wide_ = wide_ || to_wide;
    sync_fast_range();
    return;
  }
  unsigned char* p = bytes();
  const std::size_t total_bytes = heap_bytes();
  const std::size_t width = wide_ ? 8 : 4;
  const auto len = static_cast<std::size_t>(std::int64_t{end_} - start_ + 1);
  const auto from = static_cast<std::size_t>(std::int64_t{start_} - base_);
  if (from != 0) {
    std::memmove(p, p + from * width, len * width);
    std::memset(p + len * width, 0, total_bytes - len * width);
  }
  base_ = start_;
  const std::int64_t new_start = detail::floor_shift(start_, k);
  const std::int64_t new_end = detail::floor_shift(end_, k);
  const auto new_len = static_cast<std::size_t>(new_end - new_start + 1);
  const auto target = [&](std::size_t pos) {
    return static_cast<std::size_t>(detail::floor_shift(start_ + static_cast<std::int64_t>(pos), k) - new_start);
  };

  if (!to_wide || wide_) {
    // Same width, k >= 1: bucket p moves down to target(p) <= p; forward order reads every
    // counter before anything lands on it.
    for (std::size_t pos = 0; pos < len; ++pos) {
      const std::uint64_t v = get(pos);
      set(pos, 0);
      const std::size_t q = target(pos);
      set(q, get(q) + v);
    }
  } else if (k == 0) {
    // 32 -> 64 bits in place: 64-bit slot q covers 32-bit slots 2q and 2q+1, which are at or
    // after q, so backward order reads each counter before it is overwritten.
    for (std::size_t pos = len; pos-- > 0;) {
      std::uint32_t c;
      std::memcpy(&c, p + 4 * pos, 4);
      const std::uint64_t v = c;
      std::memcpy(p + 8 * pos, &v, 8);
    }
  } else {
    // Halving and widening at once. 64-bit slot q overwrites 32-bit slots 2q, 2q+1; those
    // belong to new buckets q or q+1 (k >= 1), so read them ahead into two accumulators first.
    std::uint64_t acc_q = 0, acc_next = 0;
    std::size_t pos = 0;
    for (std::size_t q = 0; q < new_len; ++q) {
      const std::size_t limit = std::min(len, 2 * q + 2);
      while (pos < len && (target(pos) == q || pos < limit)) {
        std::uint32_t c;
        std::memcpy(&c, p + 4 * pos, 4);
        if (target(pos) == q) {
          acc_q += c;
        } else {
          CXM_ASSERT(target(pos) == q + 1);
          acc_next += c;
        }
        ++pos;
      }
      std::memcpy(p + 8 * q, &acc_q, 8);
      acc_q = acc_next;
      acc_next = 0;
    }
  }
  wide_ = to_wide || wide_;
  const std::size_t new_width = wide_ ? 8 : 4;
  std::memset(p + new_len * new_width, 0, total_bytes - new_len * new_width);
  start_ = static_cast<std::int32_t>(new_start);
  end_ = static_cast<std::int32_t>(new_end);
  base_ = new_start;
  sync_fast_range();
}

// Makes [lo, hi] (which fits the capacity) addressable and the occupied range; recentres the
// counters when the range would leave the array, so growth in either direction stays cheap.
void dense_store::place(std::int64_t lo, std::int64_t hi) noexcept {
  const std::int64_t cap = capacity();
  CXM_ASSERT(hi - lo + 1 <= cap);
  if (lo < base_ || hi > base_ + cap - 1) {
    const std::int64_t new_base = lo - (cap - (hi - lo + 1)) / 2;
    if (!empty()) {
      unsigned char* p = bytes();
      const std::size_t width = wide_ ? 8 : 4;
      const auto len = static_cast<std::size_t>(std::int64_t{end_} - start_ + 1);
      const auto from = static_cast<std::size_t>(start_ - base_);
      const auto to = static_cast<std::size_t>(start_ - new_base);
      std::memmove(p + to * width, p + from * width, len * width);
      std::memset(p, 0, to * width);
      std::memset(p + (to + len) * width, 0, heap_bytes() - (to + len) * width);
    }
    base_ = new_base;
  }
  start_ = static_cast<std::int32_t>(lo);
  end_ = static_cast<std::int32_t>(hi);
  sync_fast_range();
}

int dense_store::add(std::int32_t index, std::uint64_t n) noexcept {
  if (max_buckets_ == 0) return -1;
  if (n == 0) return 0;
  if (try_add(index, n)) return 0;
  if (wide_ && index >= start_ && index <= end_) {
    const auto slot = static_cast<std::size_t>(std::int64_t{index} - base_);
    set(slot, get(slot) + n);
    return 0;
  }
  const std::int64_t lo = empty() ? index : std::min(start_, index);
  const std::int64_t hi = empty() ? index : std::max(end_, index);
  for (int k = 0;; ++k) {
    const std::int64_t span = detail::floor_shift(hi, k) - detail::floor_shift(lo, k) + 1;
    if (span > max_buckets_) continue;  // cannot fit whatever the counter width
    bool to_wide = wide_;
    if (!to_wide) {
      // Before any halving only bucket `index` changes; afterwards merged buckets add up.
      const std::uint64_t biggest = k == 0 ? saturating_add(count(index), n) : merged_max(k, index, n);
      to_wide = biggest > u32_max;
    }
    if (span > (to_wide ? max_buckets_ / 2 : max_buckets_)) continue;
    reshape(k, to_wide);
    const std::int64_t at = detail::floor_shift(index, k);
    place(std::min<std::int64_t>(empty() ? at : start_, at), std::max<std::int64_t>(empty() ? at : end_, at));
    const auto slot = static_cast<std::size_t>(at - base_);
    set(slot, get(slot) + n);
    return k;
  }
}

int dense_store::downscale(int k) noexcept {
  if (k <= 0 || max_buckets_ == 0) return 0;
  if (empty()) return k;
  for (;; ++k) {
    const std::int64_t span = detail::floor_shift(end_, k) - detail::floor_shift(start_, k) + 1;
    const bool to_wide = wide_ || merged_max(k, start_, 0) > u32_max;
    if (span > (to_wide ? max_buckets_ / 2 : max_buckets_)) continue;
    reshape(k, to_wide);
    return k;
  }
}

bool dense_store::assign(std::int32_t offset, const std::uint64_t* counts, std::size_t size) noexcept {
  if (max_buckets_ == 0) return false;
  if (size == 0) {
    clear();
    return true;
  }
  if (counts[0] == 0 || counts[size - 1] == 0) return false;
  if (std::int64_t{offset} + static_cast<std::int64_t>(size) - 1 > std::numeric_limits<std::int32_t>::max())
    return false;
  const bool to_wide = std::any_of(counts, counts + size, [](std::uint64_t c) { return c > u32_max; });
  if (size > (to_wide ? max_buckets_ / 2 : max_buckets_)) return false;
  clear();
  wide_ = to_wide;
  base_ = offset;
  start_ = offset;
  end_ = static_cast<std::int32_t>(std::int64_t{offset} + static_cast<std::int64_t>(size) - 1);
  for (std::size_t i = 0; i < size; ++i) set(i, counts[i]);
  sync_fast_range();
  return true;
}

bool operator==(const dense_store& a, const dense_store& b) noexcept {
  if (a.max_buckets_ != b.max_buckets_ || a.start_ != b.start_ || a.end_ != b.end_) return false;
  if (a.empty()) return true;
  for (std::int32_t i = a.start_;; ++i) {
    if (a.count(i) != b.count(i)) return false;
    if (i == a.end_) break;
  }
  return true;
}

CXM_END_NAMESPACE
