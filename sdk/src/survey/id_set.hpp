// SPDX-License-Identifier: MIT
// Internal: the set of response ids a reader has seen, for de-duplication.
//
// An open-addressing table of 16-byte (hash, offset|length) slots over one arena of ids:
// one arena append and usually one probe per id, instead of a node allocation per id in a
// std::unordered_set<std::string>. Equal hashes are confirmed by comparing the bytes, so a hash
// collision can never drop a good response.
#ifndef CXM_SRC_ID_SET_HPP
#define CXM_SRC_ID_SET_HPP

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "core/hash.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

class id_set {
 public:
  static std::uint64_t hash(std::string_view id) noexcept { return hash_bytes(id); }

  /// Starts loading the slot `hash` lands in. The reader calls this as soon as a record's id is
  /// parsed and inserts after the rest of the record: a table of millions of ids lives in
  /// memory, not cache, and the miss is then paid while parsing instead of waiting.
  void prefetch(std::uint64_t hash) const noexcept {
#if defined(__GNUC__) || defined(__clang__)
    if (!slots_.empty()) __builtin_prefetch(&slots_[static_cast<std::size_t>(hash) & (slots_.size() - 1)], 1);
#endif
  }

  /// Adds `id` (1..255 bytes) whose hash() is `h`; false if it was already present.
  bool insert(std::string_view id, std::uint64_t h) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
      slot& s = slots_[i];
      if (s.packed == 0) {
        s = {h, std::uint64_t{arena_.size()} << 8 | id.size()};
        arena_.append(id);
        ++size_;
        return true;
      }
      if (s.hash == h && (s.packed & 0xFF) == id.size() && arena_.compare(static_cast<std::size_t>(s.packed >> 8), id.size(), id) == 0)
        return false;
    }
  }
  bool insert(std::string_view id) { return insert(id, hash(id)); }
  std::size_t size() const noexcept { return size_; }

 private:
  struct slot {
    std::uint64_t hash = 0;
    std::uint64_t packed = 0;  // arena offset << 8 | length; 0 = empty (ids are never empty)
  };
  void grow() {
    std::vector<slot> old(slots_.empty() ? 1024 : slots_.size() * 2);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    // Re-insert in batches, prefetching each batch's target slots first (see prefetch()).
    constexpr std::size_t batch = 16;
    for (std::size_t start = 0; start < old.size(); start += batch) {
      const std::size_t end = start + batch < old.size() ? start + batch : old.size();
#if defined(__GNUC__) || defined(__clang__)
      for (std::size_t k = start; k < end; ++k)
        if (old[k].packed != 0) __builtin_prefetch(&slots_[static_cast<std::size_t>(old[k].hash) & mask], 1);
#endif
      for (std::size_t k = start; k < end; ++k) {
        if (old[k].packed == 0) continue;
        std::size_t i = static_cast<std::size_t>(old[k].hash) & mask;
        while (slots_[i].packed != 0) i = (i + 1) & mask;
        slots_[i] = old[k];
      }
    }
  }
  std::vector<slot> slots_;
  std::string arena_;
  std::size_t size_ = 0;
};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_ID_SET_HPP
