// SPDX-License-Identifier: MIT
// The delivery schedule alone: statuses classified, backoff delays computed by hand, Retry-After,
// the 413 limit, and a clock that goes back.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "device/delivery_schedule.hpp"

using cxm::detail::backoff_ms;
using cxm::detail::classify_status;
using cxm::detail::delivery_schedule;
using cxm::detail::failure_kind;

namespace {
constexpr std::uint64_t all_ones = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t half = std::uint64_t{1} << 63;  // top 53 bits 2^52: factor 0.75 (+3e-17)
}  // namespace

TEST(DeliverySchedule, ClassifiesHttpStatuses) {
  for (int s : {0, 408, 429, 300, 301, 307, 399, 500, 502, 503, 599}) EXPECT_EQ(classify_status(s), failure_kind::retry) << s;
  EXPECT_EQ(classify_status(413), failure_kind::too_large);
  for (int s : {400, 401, 403, 404, 409, 410, 422, 499}) EXPECT_EQ(classify_status(s), failure_kind::rejected) << s;
  for (int s : {-1, 1, 99, 100, 101, 200, 201, 204, 299, 600, 999}) EXPECT_EQ(classify_status(s), failure_kind::invalid) << s;
}

TEST(DeliverySchedule, BackoffDoublesUpToTheMaximumWithJitter) {
  // min(max, base * 2^(failures-1)) * (0.5 + 0.5 * top53 / (2^53 - 1)), rounded down.
  EXPECT_EQ(backoff_ms(1000, 300000, 1, 0), 500);           // 1000 * 0.5
  EXPECT_EQ(backoff_ms(1000, 300000, 1, all_ones), 1000);   // 1000 * 1
  EXPECT_EQ(backoff_ms(1000, 300000, 2, half), 1500);       // 2000 * 0.75
  EXPECT_EQ(backoff_ms(1000, 300000, 3, all_ones), 4000);   // 4000
  EXPECT_EQ(backoff_ms(1000, 300000, 9, all_ones), 256000);  // 2^8 * 1000
  EXPECT_EQ(backoff_ms(1000, 300000, 10, all_ones), 300000);  // 512000 capped
  EXPECT_EQ(backoff_ms(1000, 300000, 10, 0), 150000);
  // Far past any shift: still the maximum, no overflow.
  EXPECT_EQ(backoff_ms(1000, 300000, 70, all_ones), 300000);
  EXPECT_EQ(backoff_ms(1000, 300000, std::numeric_limits<std::uint32_t>::max(), 0), 150000);
  EXPECT_EQ(backoff_ms(3, 7, 2, all_ones), 6);
  EXPECT_EQ(backoff_ms(3, 7, 2, 0), 3);  // 6 * 0.5
  EXPECT_EQ(backoff_ms(3, 7, 3, 0), 3);  // min(7, 12) * 0.5 = 3.5, rounded down
}

TEST(DeliverySchedule, RetryAfterWinsWhenLongerAndIsCapped) {
  delivery_schedule s(1000, 8000);
  const std::int64_t now = 1'000'000;
  EXPECT_TRUE(s.ready(now));
  EXPECT_EQ(s.next_attempt_ms(now), 0);
  EXPECT_EQ(s.on_retry(now, 0, 0), 500);
  EXPECT_EQ(s.failures(), 1u);
  EXPECT_FALSE(s.ready(now + 499));
  EXPECT_EQ(s.next_attempt_ms(now + 499), now + 500);
  EXPECT_TRUE(s.ready(now + 500));
  EXPECT_EQ(s.on_retry(now, 30'000, 0), 30'000);  // failure 2: 1000 < 30000
  EXPECT_EQ(s.on_retry(now, 400, all_ones), 4000);  // failure 3: 4000 > 400
  // A Retry-After of a year is honoured for a day at most.
  EXPECT_EQ(s.on_retry(now, 365LL * 86'400'000, 0), delivery_schedule::max_retry_after_ms);
  EXPECT_EQ(s.next_attempt_ms(now), now + delivery_schedule::max_retry_after_ms);
  s.on_ack();
  EXPECT_EQ(s.failures(), 0u);
  EXPECT_TRUE(s.ready(now));
}

TEST(DeliverySchedule, AClockThatGoesBackDoesNotStopDelivery) {
  delivery_schedule s(1000, 8000);
  const std::int64_t now = 1'760'000'000'000;
  EXPECT_EQ(s.on_retry(now, 0, all_ones), 1000);  // next at now + 1000
  // The clock is set back a day: the next attempt would be a day and a second away, more than
  // the longest wait ever granted (8 s): it is pulled in to the new now + 8 s.
  const std::int64_t back = now - 86'400'000;
  EXPECT_EQ(s.next_attempt_ms(back), back + 8000);
  EXPECT_FALSE(s.ready(back));
  EXPECT_FALSE(s.ready(back + 7999));
  EXPECT_TRUE(s.ready(back + 8000));
  // A long Retry-After is a wait that was granted: it is kept, not pulled in.
  EXPECT_EQ(s.on_retry(back, 60'000, 0), 60'000);
  EXPECT_EQ(s.next_attempt_ms(back + 1), back + 60'000);
  EXPECT_EQ(s.next_attempt_ms(back - 10'000), back - 10'000 + 60'000);  // back 10 s more: pulled in
}

TEST(DeliverySchedule, Status413HalvesTheLimitAndAcksDoubleIt) {
  delivery_schedule s(1000, 8000);
  EXPECT_EQ(s.batch_limit(), 500u);
  s.on_too_large(500);
  EXPECT_EQ(s.batch_limit(), 250u);
  s.on_too_large(40);  // a batch cut short by its bytes: half of what was sent
  EXPECT_EQ(s.batch_limit(), 20u);
  s.on_too_large(3);
  EXPECT_EQ(s.batch_limit(), 1u);
  s.on_too_large(1);
  EXPECT_EQ(s.batch_limit(), 1u);  // never 0
  for (std::size_t expected : {2u, 4u, 8u, 16u, 32u, 64u, 128u, 256u, 500u, 500u}) {
    s.on_ack();
    EXPECT_EQ(s.batch_limit(), expected);
  }
}
