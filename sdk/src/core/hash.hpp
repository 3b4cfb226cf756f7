// SPDX-License-Identifier: MIT
// Internal: the 64-bit hashes of the hash tables (id de-duplication, the journey tracker), the
// byte equality they confirm a hash match with, and the avalanche finalizer the stable sampling hash also uses. Only fmix64 is part of a format
// (survey.hpp, sampling hash v1); hash_bytes is process-internal and may change.
#ifndef CXM_SRC_CORE_HASH_HPP
#define CXM_SRC_CORE_HASH_HPP

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

// Equality of the n bytes at a and b, for the short strings of the record path (ids, names)
// without a call to memcmp: 8-byte words, the last one overlapping; 4-byte halves below 8.
[[gnu::always_inline]] inline bool equal_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n < 8) {
    if (n >= 4) {
      std::uint32_t x0, y0, x1, y1;
      std::memcpy(&x0, a, 4);
      std::memcpy(&y0, b, 4);
      std::memcpy(&x1, a + n - 4, 4);
      std::memcpy(&y1, b + n - 4, 4);
      return ((x0 ^ y0) | (x1 ^ y1)) == 0;
    }
    for (std::size_t k = 0; k < n; ++k)
      if (a[k] != b[k]) return false;
    return true;
  }
  for (std::size_t k = 0; k + 8 < n; k += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a + k, 8);
    std::memcpy(&y, b + k, 8);
    if (x != y) return false;
  }
  std::uint64_t x, y;
  std::memcpy(&x, a + n - 8, 8);
  std::memcpy(&y, b + n - 8, 8);
  return x == y;
}

inline bool same_bytes(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && equal_bytes(a.data(), b.data(), a.size());
}

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_CORE_HASH_HPP
