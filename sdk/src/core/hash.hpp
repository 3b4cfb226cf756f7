// SPDX-License-Identifier: MIT
// Internal: the 64-bit hashes of the hash tables (id de-duplication, the journey tracker) and
// the avalanche finalizer the stable sampling hash also uses. Only fmix64 is part of a format
// (survey.hpp, sampling hash v1); hash_bytes is process-internal and may change.
#ifndef CXM_SRC_HASH_HPP
#define CXM_SRC_HASH_HPP

#include <cstdint>
#include <cstring>
#include <string_view>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// MurmurHash3's 64-bit finalizer: every input bit affects every output bit, the low ones
/// (a table index) included.
constexpr std::uint64_t fmix64(std::uint64_t k) noexcept {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdull;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ull;
  k ^= k >> 33;
  return k;
}

/// A 64-bit hash of `s`: 8 bytes per multiply, the last 1-7 in at most two loads (overlapping
/// the previous word when `s` is longer), finished with fmix64.
inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ s.size();
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  if (n > 0) {
    std::uint64_t w;
    if (s.size() >= 8) {
      std::memcpy(&w, s.data() + s.size() - 8, 8);
    } else if (n >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      w = std::uint64_t{a} | std::uint64_t{b} << 32;
    } else {
      w = std::uint64_t{static_cast<unsigned char>(p[0])} | std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
          std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
    }
    h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
  }
  return fmix64(h);
}

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_HASH_HPP
