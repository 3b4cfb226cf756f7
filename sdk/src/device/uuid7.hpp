// SPDX-License-Identifier: MIT
// Internal: UUID version 7 (RFC 9562), the ids of outbox records and batches: time-ordered, and
// increasing within one outbox even when the clock it is given goes backwards.
#ifndef CXM_SRC_DEVICE_UUID7_HPP
#define CXM_SRC_DEVICE_UUID7_HPP

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// The 16 bytes of a UUID in network order (the order of its text form).
using uuid_bytes = std::array<std::uint8_t, 16>;

/// Characters of the text form "xxxxxxxx-xxxx-7xxx-yxxx-xxxxxxxxxxxx".
inline constexpr std::size_t uuid_text_size = 36;

/// Makes UUIDv7s from a millisecond clock reading and a random source.
///
/// Layout (RFC 9562, section 5.7, with the dedicated counter of section 6.2, method 1):
///
/// | bits   | field                                                              |
/// | ------ | ------------------------------------------------------------------ |
/// | 0-47   | unix_ts_ms, big-endian                                             |
/// | 48-51  | version, 0b0111                                                    |
/// | 52-63  | counter bits 41..30 (rand_a)                                       |
/// | 64-65  | variant, 0b10                                                      |
/// | 66-95  | counter bits 29..0 (first 30 bits of rand_b)                       |
/// | 96-127 | random (last 32 bits of rand_b)                                    |
///
/// The 42-bit counter starts at a random value below 2^41 in each new millisecond and is
/// incremented for every further id in the same millisecond, so ids from one generator are
/// strictly increasing as bytes and as text. The timestamp never goes back: a clock reading
/// older than the last one used reuses the last one (and keeps counting), which is what keeps
/// the order when the device's clock is set back. A counter overflow (2^41 ids in one
/// millisecond) borrows the next millisecond, as RFC 9562 allows.
///
/// Not thread-safe: the outbox calls it under its lock.
class uuid7_generator {
 public:
  /// `random` gives 64 random bits per call.
  explicit uuid7_generator(std::function<std::uint64_t()> random) : random_(std::move(random)) {}

  /// The next id for a clock reading of `now_ms` (ms since 1970; clamped to 0..2^48-1).
  uuid_bytes next(std::int64_t now_ms);
  /// Continues after `id` when it is later than every id made so far (an id read back from
  /// disk), so ids stay increasing across restarts even if the clock went back in between.
  void observe(const uuid_bytes& id) noexcept;

 private:
  std::function<std::uint64_t()> random_;
  std::int64_t last_ms_ = -1;  // the timestamp of the last id; -1 before the first
  std::uint64_t counter_ = 0;  // the 42-bit counter of the last id
};

/// The timestamp field (ms since 1970) of a UUIDv7.
std::int64_t uuid7_time_ms(const uuid_bytes& id) noexcept;
/// Writes the lowercase 8-4-4-4-12 text form into out[0..36).
void format_uuid(const uuid_bytes& id, char* out) noexcept;
std::string format_uuid(const uuid_bytes& id);
/// Reads the 8-4-4-4-12 text form (either case); false when `text` is not one.
bool parse_uuid(std::string_view text, uuid_bytes& out) noexcept;

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_DEVICE_UUID7_HPP
