// SPDX-License-Identifier: MIT
// Internal: when the outbox offers the next batch and how large it may be, after acks and
// failures. Pure logic: the time and the random bits are passed in, so every delay can be
// computed by hand in a test.
#ifndef CXM_SRC_DEVICE_DELIVERY_SCHEDULE_HPP
#define CXM_SRC_DEVICE_DELIVERY_SCHEDULE_HPP

#include <cstddef>
#include <cstdint>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// What a failed delivery's HTTP status means for the batch's records.
enum class failure_kind {
  retry,      ///< 0 (network error, timeout), 408, 429, 3xx, 5xx: send again after a backoff
  too_large,  ///< 413: send fewer records at once (a single record is dropped)
  rejected,   ///< any other 4xx: the collector will never take them, drop them
  invalid,    ///< 1xx, 2xx (a success is an ack) or no HTTP status at all: a caller's mistake
};
failure_kind classify_status(int http_status) noexcept;

/// The delay before the next attempt after `failures` consecutive failures (1 or more):
/// min(max_ms, base_ms * 2^(failures-1)), scaled by a factor in [0.5, 1] taken from the top 53
/// bits of `random` (0 gives 0.5, all ones 1.0), rounded down. The jitter spreads the retries of
/// many devices that lost the network at the same moment.
std::int64_t backoff_ms(std::int64_t base_ms, std::int64_t max_ms, std::uint32_t failures,
                        std::uint64_t random) noexcept;

/// The delivery state of one outbox: consecutive failures, the time before which no batch is
/// offered, and the batch size limit. Not thread-safe (the outbox's lock guards it).
class delivery_schedule {
 public:
  static constexpr std::size_t default_batch_limit = 500;
  /// The longest Retry-After honoured (a day): a larger one from a confused server must not stop
  /// delivery for longer.
  static constexpr std::int64_t max_retry_after_ms = 24LL * 3600 * 1000;

  delivery_schedule(std::int64_t base_ms, std::int64_t max_ms) noexcept : base_ms_(base_ms), max_ms_(max_ms) {}

  /// The most records the next batch may hold.
  std::size_t batch_limit() const noexcept { return limit_; }
  std::uint32_t failures() const noexcept { return failures_; }

  /// True when a batch may be offered at `now_ms`. A wait that reaches further ahead of `now_ms`
  /// than it was ever granted (retry_max_ms, or a longer Retry-After) means the clock went back;
  /// it is pulled in to now_ms + that longest wait, so a clock set back by a year does not stop
  /// delivery for a year.
  bool ready(std::int64_t now_ms) noexcept;
  /// When the next batch may be offered, as seen at `now_ms` (with ready()'s correction); 0
  /// when it may be offered now.
  std::int64_t next_attempt_ms(std::int64_t now_ms) const noexcept;

  /// The collector took a batch: failures reset, no wait, the limit doubles back toward the
  /// default.
  void on_ack() noexcept;
  /// A retryable failure at `now_ms`: one more failure, and no batch before now_ms + the larger
  /// of `retry_after_ms` (capped at max_retry_after_ms) and backoff_ms(). Returns that delay.
  std::int64_t on_retry(std::int64_t now_ms, std::int64_t retry_after_ms, std::uint64_t random) noexcept;
  /// 413 for a batch of `batch_records`: the limit becomes half of that batch (at least 1), so
  /// batches shrink even when the byte budget, not the limit, made them small.
  void on_too_large(std::size_t batch_records) noexcept;

 private:
  std::int64_t clamped(std::int64_t now_ms) const noexcept;

  std::int64_t base_ms_;
  std::int64_t max_ms_;
  std::size_t limit_ = default_batch_limit;
  std::uint32_t failures_ = 0;
  std::int64_t next_ms_ = 0;     // no batch before this
  std::int64_t granted_ms_ = 0;  // the wait granted with next_ms_
};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_DEVICE_DELIVERY_SCHEDULE_HPP
