// SPDX-License-Identifier: MIT
/// @file status.hpp  The one error enum shared by every cxm surface (C++, C ABI, JS), and the
/// `status` / `result<T>` values that carry it. No cxm API throws.
#ifndef CXM_CORE_STATUS_HPP
#define CXM_CORE_STATUS_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE

/// Error codes. 0 is success. Values are append-only and never reused: the C ABI returns the
/// same numbers as `cxm_status` (cxm/cxm.h) and the JS API exposes them as `CxmError.code`.
enum class errc : std::int32_t {
  ok = 0,
  invalid_argument = 1,     ///< a precondition of the call does not hold (level outside (0,1), bad scale...)
  out_of_range = 2,         ///< a value outside its declared range (NPS 11, CES 0 on a 1-7 scale)
  not_integer = 3,          ///< a number with a fractional part where an integer answer is required
  not_finite = 4,           ///< NaN or an infinity
  wrong_type = 5,           ///< a JSON value of the wrong type ("9", null, true where a number belongs)
  incompatible = 6,         ///< merging aggregates of different kinds or scales
  unsupported_version = 7,  ///< an encoded aggregate of a format version this build does not read
  parse_error = 8,          ///< not well-formed JSON (includes trailing garbage)
  duplicate_key = 9,        ///< the same key twice in one JSON object
  missing_field = 10,       ///< a required field is absent
  too_large = 11,           ///< input over a documented size limit
  too_deep = 12,            ///< JSON nesting over the depth limit
  invalid_utf8 = 13,        ///< text that is not valid UTF-8
  duplicate_id = 14,        ///< a response id seen before (idempotent delivery makes this normal)
  empty = 15,               ///< a statistic asked of an empty tally
  io_error = 16,            ///< a file could not be read or written
  internal = 17,            ///< a bug in cxm; please report it
  locked = 18,            ///< held by another process (an outbox directory locked by another process)
  no_space = 19,          ///< no space left: the disk is full or a file size limit was reached
  not_found = 20,         ///< no such item (a batch that is unknown or already settled)
  corrupt = 21,           ///< stored data failed its checksum or framing
  not_permitted = 22,     ///< refused by a policy: consent not given, the aggregates-only mode
  retry_later = 23,       ///< nothing can be done now: try again later (a retry is scheduled)
};

/// The highest errc value: every surface that lists the codes (the C ABI's checks, the wasm
/// module's enum table, the tests) runs up to it, so a new code is appended here too.
inline constexpr errc last_errc = errc::retry_later;

/// A static, human-readable description of `e` (never null).
CXM_API const char* message(errc e) noexcept;
/// The short identifier of `e` ("out_of_range"), as used in JSON and logs.
CXM_API const char* name(errc e) noexcept;

/// The `std::error_category` of `errc`, so `std::error_code ec = errc::parse_error;` works.
CXM_API const std::error_category& error_category() noexcept;
inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// The outcome of an operation that produces no value. Cheap to copy (one int).
class [[nodiscard]] status {
 public:
  constexpr status() noexcept = default;
  constexpr status(errc code) noexcept : code_(code) {}  // NOLINT(google-explicit-constructor)
  constexpr bool ok() const noexcept { return code_ == errc::ok; }
  constexpr explicit operator bool() const noexcept { return ok(); }
  constexpr errc code() const noexcept { return code_; }
  const char* message() const noexcept { return cxm::message(code_); }
  friend constexpr bool operator==(status a, status b) noexcept { return a.code_ == b.code_; }
  friend constexpr bool operator!=(status a, status b) noexcept { return a.code_ != b.code_; }

 private:
  errc code_ = errc::ok;
};

/// A value or an error with a detail message (where and why). Used on cold paths (parsing,
/// merging, statistics), where a message naming the field is worth an allocation.
///
/// `value()` requires `ok()`; check first, or use simdjson-style `get(out)`.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  result(errc code, std::string detail = {}) : code_(code), detail_(std::move(detail)) {  // NOLINT
    CXM_ASSERT(code != errc::ok);
  }

  bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  errc code() const noexcept { return code_; }
  /// Where and why the operation failed, e.g. `line 7: answers.nps: expected an integer 0-10`.
  /// Falls back to `message(code())` when no detail was given.
  std::string detail() const { return detail_.empty() ? std::string(cxm::message(code_)) : detail_; }

  T& value() & noexcept { CXM_ASSERT(ok()); return *value_; }
  const T& value() const& noexcept { CXM_ASSERT(ok()); return *value_; }
  T&& value() && noexcept { CXM_ASSERT(ok()); return std::move(*value_); }
  T& operator*() & noexcept { return value(); }
  const T& operator*() const& noexcept { return value(); }
  T* operator->() noexcept { return &value(); }
  const T* operator->() const noexcept { return &value(); }

  /// Moves the value into `out` when there is one; returns the error code either way.
  errc get(T& out) && {
    if (value_) out = std::move(*value_);
    return code_;
  }

 private:
  std::optional<T> value_;
  errc code_ = errc::ok;
  std::string detail_;
};

CXM_END_NAMESPACE

template <>
struct std::is_error_code_enum<cxm::errc> : std::true_type {};

#endif  // CXM_CORE_STATUS_HPP
