// SPDX-License-Identifier: MIT
// UUIDv7 generation, text form and parsing (uuid7.hpp has the layout).
#include "device/uuid7.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {
namespace {

constexpr std::int64_t max_ms = (std::int64_t{1} << 48) - 1;
constexpr std::uint64_t counter_bits = 42;
constexpr std::uint64_t counter_limit = std::uint64_t{1} << counter_bits;
// A new millisecond starts the counter below 2^41, so at least 2^41 ids fit before an overflow.
constexpr std::uint64_t seed_mask = (std::uint64_t{1} << (counter_bits - 1)) - 1;

std::uint64_t counter_of(const uuid_bytes& id) noexcept {
  return (std::uint64_t{id[6] & 0x0Fu} << 38) | (std::uint64_t{id[7]} << 30) | (std::uint64_t{id[8] & 0x3Fu} << 24) |
         (std::uint64_t{id[9]} << 16) | (std::uint64_t{id[10]} << 8) | std::uint64_t{id[11]};
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_dash_position(std::size_t i) noexcept { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

uuid_bytes uuid7_generator::next(std::int64_t now_ms) {
  const std::int64_t ms = now_ms < 0 ? 0 : (now_ms > max_ms ? max_ms : now_ms);
  if (ms > last_ms_) {
    last_ms_ = ms;
    counter_ = random_() & seed_mask;
  } else if (++counter_ == counter_limit) {
    ++last_ms_;  // borrow the next millisecond (RFC 9562, section 6.2)
    counter_ = random_() & seed_mask;
  }
  const auto ts = static_cast<std::uint64_t>(last_ms_);
  const std::uint64_t tail = random_();
  uuid_bytes id{};
  for (int i = 0; i < 6; ++i) id[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ts >> (40 - 8 * i));
  id[6] = static_cast<std::uint8_t>(0x70u | ((counter_ >> 38) & 0x0Fu));
  id[7] = static_cast<std::uint8_t>(counter_ >> 30);
  id[8] = static_cast<std::uint8_t>(0x80u | ((counter_ >> 24) & 0x3Fu));
  id[9] = static_cast<std::uint8_t>(counter_ >> 16);
  id[10] = static_cast<std::uint8_t>(counter_ >> 8);
  id[11] = static_cast<std::uint8_t>(counter_);
  for (int i = 0; i < 4; ++i) id[static_cast<std::size_t>(12 + i)] = static_cast<std::uint8_t>(tail >> (24 - 8 * i));
  return id;
}

void uuid7_generator::observe(const uuid_bytes& id) noexcept {
  const std::int64_t ms = uuid7_time_ms(id);
  const std::uint64_t counter = counter_of(id);
  if (ms > last_ms_ || (ms == last_ms_ && counter > counter_)) {
    last_ms_ = ms;
    counter_ = counter;
  }
}

std::int64_t uuid7_time_ms(const uuid_bytes& id) noexcept {
  std::uint64_t ts = 0;
  for (int i = 0; i < 6; ++i) ts = ts << 8 | id[static_cast<std::size_t>(i)];
  return static_cast<std::int64_t>(ts);
}

void format_uuid(const uuid_bytes& id, char* out) noexcept {
  static constexpr char digits[] = "0123456789abcdef";
  std::size_t byte = 0;
  for (std::size_t i = 0; i < uuid_text_size; ++i) {
    if (is_dash_position(i)) {
      out[i] = '-';
      continue;
    }
    out[i] = digits[id[byte] >> 4];
    out[++i] = digits[id[byte] & 0x0Fu];
    ++byte;
  }
}

std::string format_uuid(const uuid_bytes& id) {
  std::string s(uuid_text_size, '\0');
  format_uuid(id, s.data());
  return s;
}

bool parse_uuid(std::string_view text, uuid_bytes& out) noexcept {
  if (text.size() != uuid_text_size) return false;
  std::size_t byte = 0;
  for (std::size_t i = 0; i < uuid_text_size; ++i) {
    if (is_dash_position(i)) {
      if (text[i] != '-') return false;
      continue;
    }
    const int hi = hex_value(text[i]);
    const int lo = hex_value(text[++i]);
    if (hi < 0 || lo < 0) return false;
    out[byte++] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

}  // namespace detail
CXM_END_NAMESPACE
