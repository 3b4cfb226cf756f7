// SPDX-License-Identifier: MIT
// Backoff, jitter, the 413 limit and the classification of HTTP statuses (delivery_schedule.hpp).
#include "device/delivery_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

CXM_BEGIN_NAMESPACE
namespace detail {
namespace {

std::int64_t add_saturated(std::int64_t a, std::int64_t b) noexcept {
  // b >= 0 here.
  return a > std::numeric_limits<std::int64_t>::max() - b ? std::numeric_limits<std::int64_t>::max() : a + b;
}

}  // namespace

failure_kind classify_status(int s) noexcept {
  if (s == 0 || s == 408 || s == 429 || (s >= 300 && s <= 399) || (s >= 500 && s <= 599)) return failure_kind::retry;
  if (s == 413) return failure_kind::too_large;
  if (s >= 400 && s <= 499) return failure_kind::rejected;
  return failure_kind::invalid;
}

std::int64_t backoff_ms(std::int64_t base_ms, std::int64_t max_ms, std::uint32_t failures,
                        std::uint64_t random) noexcept {
  const std::uint32_t shift = failures == 0 ? 0 : failures - 1;
  // base * 2^shift, without overflowing: past max it is max.
  std::int64_t full = max_ms;
  if (shift < 62 && base_ms <= (max_ms >> shift)) full = std::min(max_ms, base_ms << shift);
  // A double has 53 bits of mantissa: the top 53 random bits give a uniform fraction in [0, 1].
  constexpr double top = static_cast<double>((std::uint64_t{1} << 53) - 1);
  const double factor = 0.5 + 0.5 * (static_cast<double>(random >> 11) / top);
  return static_cast<std::int64_t>(std::floor(static_cast<double>(full) * factor));
}

bool delivery_schedule::ready(std::int64_t now_ms) noexcept {
  next_ms_ = clamped(now_ms);
  return next_ms_ <= now_ms;
}

std::int64_t delivery_schedule::next_attempt_ms(std::int64_t now_ms) const noexcept {
  const std::int64_t next = clamped(now_ms);
  return next > now_ms ? next : 0;
}

std::int64_t delivery_schedule::clamped(std::int64_t now_ms) const noexcept {
  const std::int64_t longest = add_saturated(now_ms, std::max(max_ms_, granted_ms_));
  return next_ms_ > longest ? longest : next_ms_;
}

void delivery_schedule::on_ack() noexcept {
  failures_ = 0;
  next_ms_ = 0;
  granted_ms_ = 0;
  limit_ = std::min(default_batch_limit, limit_ * 2);
}

std::int64_t delivery_schedule::on_retry(std::int64_t now_ms, std::int64_t retry_after_ms,
                                         std::uint64_t random) noexcept {
  if (failures_ < std::numeric_limits<std::uint32_t>::max()) ++failures_;
  const std::int64_t after = std::clamp<std::int64_t>(retry_after_ms, 0, max_retry_after_ms);
  const std::int64_t delay = std::max(after, backoff_ms(base_ms_, max_ms_, failures_, random));
  next_ms_ = add_saturated(now_ms, delay);
  granted_ms_ = delay;
  return delay;
}

void delivery_schedule::on_too_large(std::size_t batch_records) noexcept {
  limit_ = std::max<std::size_t>(1, std::min(limit_, batch_records) / 2);
}

}  // namespace detail
CXM_END_NAMESPACE
