// SPDX-License-Identifier: MIT
// Internal: the set of response ids a reader has seen, for de-duplication.
//
// An open-addressing table of (hash, offset, length) over one arena of concatenated ids:
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

#include "cxm/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// A 64-bit hash of `s`: 8 bytes per multiply, finished with MurmurHash3's fmix64 avalanche.
inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  return h;
}

class id_set {
 public:
  /// Adds `id`; false if it was already present.
  bool insert(std::string_view id) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = hash_bytes(id);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
      slot& s = slots_[i];
      if (s.length == 0) {
        s = {h, arena_.size(), static_cast<std::uint32_t>(id.size())};
        arena_.append(id);
        ++size_;
        return true;
      }
      if (s.hash == h && s.length == id.size() && arena_.compare(s.offset, s.length, id) == 0) return false;
    }
  }
  std::size_t size() const noexcept { return size_; }

 private:
  struct slot {
    std::uint64_t hash = 0;
    std::size_t offset = 0;
    std::uint32_t length = 0;  // 0 = empty (ids are never empty)
  };
  void grow() {
    std::vector<slot> old(slots_.empty() ? 1024 : slots_.size() * 2);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const slot& s : old) {
      if (s.length == 0) continue;
      std::size_t i = static_cast<std::size_t>(s.hash) & mask;
      while (slots_[i].length != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<slot> slots_;
  std::string arena_;
  std::size_t size_ = 0;
};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_ID_SET_HPP
