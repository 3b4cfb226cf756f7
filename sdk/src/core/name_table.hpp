// SPDX-License-Identifier: MIT
// Internal: name interning. Names (steps, channels, segment keys, offers) become small dense
// ids, looked up by string_view without allocating; aggregates keyed by ids turn back into
// names only when a report is built.
#ifndef CXM_SRC_CORE_NAME_TABLE_HPP
#define CXM_SRC_CORE_NAME_TABLE_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.hpp"
#include "core/hash_index.hpp"
#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// Names a table interns; further names share "(other)", so hostile input cannot grow it.
inline constexpr std::size_t max_table_names = 4096;

// Interned names: id <-> string, looked up by string_view without allocating. Id 0 is "".
// Lookups are most of the record path's work (a step and a channel per event), so the table
// probes by a key made of the size and first 7 bytes with one multiply, and compares the rest
// of the bytes only on a key match: a name up to 7 bytes long is found without a memcmp.
class name_table {
 public:
  name_table() { (void)add(std::string_view()); }
  [[gnu::always_inline]] std::uint32_t intern(std::string_view s) {
    const std::uint64_t key = prefix_key(s);
    const std::uint32_t id = lookup(s, key);
    if (id != none32) return id;
    if (names_.size() >= max_table_names) return intern_other();
    return add(s);
  }
  /// The id of `s`, or 0 when it was never interned.
  [[gnu::always_inline]] std::uint32_t find(std::string_view s) const noexcept {
    const std::uint32_t id = lookup(s, prefix_key(s));
    return id == none32 ? 0u : id;
  }
  const std::string& name(std::uint32_t id) const { return *names_[id]; }
  std::size_t size() const noexcept { return names_.size(); }

 private:
  // The size and the first 7 bytes: equal keys mean equal strings up to 7 bytes long.
  [[gnu::always_inline]] static std::uint64_t prefix_key(std::string_view s) noexcept {
    const std::size_t n = s.size();
    std::uint64_t w = 0;
    if (n >= 8) {
      std::memcpy(&w, s.data(), 8);
      w &= 0x00FFFFFFFFFFFFFFULL;  // the first 7 bytes (little-endian, asserted below)
    } else if (n >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, s.data(), 4);
      std::memcpy(&b, s.data() + n - 4, 4);
      w = std::uint64_t{a} | (std::uint64_t{b} >> (8 * (8 - n))) << 32;  // bytes 0-3, then 4..n-1
    } else {
      for (std::size_t k = 0; k < n; ++k) w |= std::uint64_t{static_cast<unsigned char>(s[k])} << (8 * k);
    }
    return w << 8 | std::min<std::size_t>(n, 255);
  }
  static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "prefix_key reads the first bytes as the low bytes");

  std::size_t home(std::uint64_t key) const noexcept {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_);  // Fibonacci hashing
  }
  [[gnu::always_inline]] std::uint32_t lookup(std::string_view s, std::uint64_t key) const noexcept {
    const std::size_t mask = table_.size() - 1;
    for (std::size_t i = home(key);; i = (i + 1) & mask) {
      const std::uint32_t id = table_[i];
      if (id == none32) return none32;
      if (keys_[id] != key) continue;
      if (s.size() <= 7) return id;  // the key is the whole string
      const std::string& x = *names_[id];
      if (x.size() == s.size() && equal_bytes(x.data() + 7, s.data() + 7, s.size() - 7)) return id;
    }
  }
  [[gnu::noinline]] std::uint32_t add(std::string_view s) {
    const auto id = static_cast<std::uint32_t>(names_.size());
    names_.push_back(std::make_unique<std::string>(s));
    keys_.push_back(prefix_key(s));
    if (names_.size() * 2 > table_.size()) {  // load factor <= 1/2
      table_.assign(table_.size() * 2, none32);
      --shift_;
      for (std::uint32_t k = 0; k < names_.size(); ++k) place(k);
    } else {
      place(id);
    }
    return id;
  }
  void place(std::uint32_t id) noexcept {
    const std::size_t mask = table_.size() - 1;
    std::size_t i = home(keys_[id]);
    while (table_[i] != none32) i = (i + 1) & mask;
    table_[i] = id;
  }
  [[gnu::noinline]] std::uint32_t intern_other() {
    static constexpr std::string_view other = "(other)";
    const std::uint32_t id = lookup(other, prefix_key(other));
    return id != none32 ? id : add(other);
  }
  std::vector<std::unique_ptr<std::string>> names_;  // by id
  std::vector<std::uint64_t> keys_;                  // prefix_key of each name, by id
  std::vector<std::uint32_t> table_ = std::vector<std::uint32_t>(16, none32);  // ids by home(key)
  int shift_ = 60;                                   // 64 - log2(table_.size())
};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_CORE_NAME_TABLE_HPP
