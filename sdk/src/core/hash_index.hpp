// SPDX-License-Identifier: MIT
// Internal: the one open-addressing hash index of cxm: 64-bit hash -> a small value (a slot
// number, an arena offset), linear probing, deletion by backward shift (no tombstones), a load
// of at most 3/4. Callers keep the keys themselves and confirm a hash match with their own
// predicate, so a collision can never merge two keys. Used for journeys by id, duration cells,
// and response ids (id_set.hpp).
#ifndef CXM_SRC_CORE_HASH_INDEX_HPP
#define CXM_SRC_CORE_HASH_INDEX_HPP

#include <cstddef>
#include <cstdint>
#include <vector>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// "No value" of the uint32 indexes (slot numbers, interned ids).
inline constexpr std::uint32_t none32 = 0xFFFFFFFFu;

template <class Value, Value Empty>
class hash_index {
 public:
  struct entry {
    std::uint64_t hash;
    Value value;
  };
  hash_index() : table_(64, entry{0, Empty}), mask_(63) {}

  /// The value whose entry has hash `h` and satisfies `same(value)`, or Empty.
  template <class Same>
  Value find(std::uint64_t h, Same&& same) const noexcept {
    for (std::size_t i = static_cast<std::size_t>(h & mask_);; i = (i + 1) & mask_) {
      const entry& e = table_[i];
      if (e.value == Empty) return Empty;
      if (e.hash == h && same(e.value)) return e.value;
    }
  }
  /// Adds (h, v); v must not be Empty and (h, v) not present. Allocates when it grows.
  void insert(std::uint64_t h, Value v) {
    if ((size_ + 1) * 4 > table_.size() * 3) grow();
    place(h, v);
    ++size_;
  }
  /// Removes (h, v) if present. No allocation.
  void erase(std::uint64_t h, Value v) noexcept {
    std::size_t i = static_cast<std::size_t>(h & mask_);
    while (table_[i].value != v) {
      if (table_[i].value == Empty) return;
      i = (i + 1) & mask_;
    }
    // Backward shift: move later entries of the cluster into the hole when their home allows.
    for (std::size_t j = (i + 1) & mask_; table_[j].value != Empty; j = (j + 1) & mask_) {
      const std::size_t home = static_cast<std::size_t>(table_[j].hash & mask_);
      const bool movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
      if (movable) {
        table_[i] = table_[j];
        i = j;
      }
    }
    table_[i].value = Empty;
    --size_;
  }
  /// Starts loading the entry `h` lands in: a table of millions of keys lives in memory, not
  /// cache, so a caller that knows a key early pays the miss while it does other work.
  void prefetch(std::uint64_t h) const noexcept {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(&table_[static_cast<std::size_t>(h & mask_)], 1);
#endif
  }
  std::size_t size() const noexcept { return size_; }

 private:
  void place(std::uint64_t h, Value v) noexcept {
    std::size_t i = static_cast<std::size_t>(h & mask_);
    while (table_[i].value != Empty) i = (i + 1) & mask_;
    table_[i] = {h, v};
  }
  void grow() {
    std::vector<entry> old(table_.size() * 2, entry{0, Empty});
    old.swap(table_);
    mask_ = table_.size() - 1;
    for (const entry& e : old)
      if (e.value != Empty) place(e.hash, e.value);
  }
  std::vector<entry> table_;
  std::size_t mask_;
  std::size_t size_ = 0;
};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_CORE_HASH_INDEX_HPP
