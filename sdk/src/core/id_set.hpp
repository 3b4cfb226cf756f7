// SPDX-License-Identifier: MIT
// Internal: a set of ids (response ids), for de-duplication by whoever aggregates. The ids sit
// one after another in one arena; the hash index (hash_index.hpp) maps their hashes to
// (offset, length), so an id costs an arena append and usually one probe instead of a node
// allocation in a std::unordered_set<std::string>. Equal hashes are confirmed by comparing the
// bytes, so a collision can never drop a good response.
#ifndef CXM_SRC_CORE_ID_SET_HPP
#define CXM_SRC_CORE_ID_SET_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "core/hash.hpp"
#include "core/hash_index.hpp"
#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

class id_set {
 public:
  static std::uint64_t hash(std::string_view id) noexcept { return hash_bytes(id); }
  /// See hash_index::prefetch: call it as soon as the id is known, insert later.
  void prefetch(std::uint64_t h) const noexcept { index_.prefetch(h); }

  /// Adds `id` (1..255 bytes) whose hash() is `h`; false if it was already present.
  bool insert(std::string_view id, std::uint64_t h) {
    if (contains(id, h)) return false;
    // The arena holds each id behind its length byte, so for_each can walk it.
    arena_.push_back(static_cast<char>(id.size()));
    index_.insert(h, std::uint64_t{arena_.size()} << 8 | id.size());  // never 0: ids are never empty
    arena_.append(id);
    return true;
  }
  bool insert(std::string_view id) { return insert(id, hash(id)); }

  bool contains(std::string_view id, std::uint64_t h) const noexcept {
    const auto same = [&](std::uint64_t packed) {
      return (packed & 0xFF) == id.size() &&
             same_bytes(std::string_view(arena_).substr(static_cast<std::size_t>(packed >> 8), id.size()), id);
    };
    return index_.find(h, same) != 0;
  }
  bool contains(std::string_view id) const noexcept { return contains(id, hash(id)); }

  /// Calls f(id) for every id, in insertion order.
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t at = 0; at < arena_.size();) {
      const std::size_t n = static_cast<unsigned char>(arena_[at]);
      f(std::string_view(arena_).substr(at + 1, n));
      at += 1 + n;
    }
  }
  std::size_t size() const noexcept { return index_.size(); }

 private:
  hash_index<std::uint64_t, 0> index_;  // offset << 8 | length
  std::string arena_;
};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_CORE_ID_SET_HPP
