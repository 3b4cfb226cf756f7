// SPDX-License-Identifier: MIT
// UUIDv7 ids: the RFC 9562 layout (timestamp, version and variant bits), the text form, and
// order kept when the clock goes back and across restarts.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "device/uuid7.hpp"

using cxm::detail::format_uuid;
using cxm::detail::parse_uuid;
using cxm::detail::uuid7_generator;
using cxm::detail::uuid7_time_ms;
using cxm::detail::uuid_bytes;

namespace {
std::function<std::uint64_t()> seeded(std::uint64_t seed) {
  auto g = std::make_shared<std::mt19937_64>(seed);
  return [g] { return (*g)(); };
}
}  // namespace

TEST(Uuid7, LayoutHasTheTimestampVersionAndVariant) {
  uuid7_generator gen(seeded(1));
  const std::int64_t ms = 0x0190C1A2B3C4;
  const uuid_bytes id = gen.next(ms);
  EXPECT_EQ(id[0], 0x01);
  EXPECT_EQ(id[1], 0x90);
  EXPECT_EQ(id[2], 0xC1);
  EXPECT_EQ(id[3], 0xA2);
  EXPECT_EQ(id[4], 0xB3);
  EXPECT_EQ(id[5], 0xC4);
  EXPECT_EQ(id[6] >> 4, 7);          // version 7
  EXPECT_EQ(id[8] & 0xC0, 0x80);     // variant 0b10
  EXPECT_EQ(uuid7_time_ms(id), ms);
  const std::string text = format_uuid(id);
  ASSERT_EQ(text.size(), 36u);
  EXPECT_EQ(text.substr(0, 14), "0190c1a2-b3c4-");
  EXPECT_EQ(text[14], '7');
  EXPECT_EQ(text[8], '-');
  EXPECT_EQ(text[13], '-');
  EXPECT_EQ(text[18], '-');
  EXPECT_EQ(text[23], '-');
  for (char c : text) EXPECT_TRUE(c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << text;
}

TEST(Uuid7, TextRoundTrips) {
  uuid7_generator gen(seeded(2));
  const uuid_bytes id = gen.next(1'760'000'000'000);
  uuid_bytes back{};
  ASSERT_TRUE(parse_uuid(format_uuid(id), back));
  EXPECT_EQ(back, id);
  std::string upper = format_uuid(id);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ASSERT_TRUE(parse_uuid(upper, back));
  EXPECT_EQ(back, id);
  EXPECT_FALSE(parse_uuid("0190c1a2-b3c4-7000-8000-00000000000", back));    // short
  EXPECT_FALSE(parse_uuid("0190c1a2+b3c4-7000-8000-000000000000", back));   // separator
  EXPECT_FALSE(parse_uuid("0190c1a2-b3c4-7000-8000-00000000000g", back));   // not hex
}

TEST(Uuid7, IdsIncreaseWithinAMillisecondAndWhenTheClockGoesBack) {
  uuid7_generator gen(seeded(3));
  std::int64_t ms = 1'760'000'000'000;
  uuid_bytes last = gen.next(ms);
  std::mt19937 steps(4);
  for (int i = 0; i < 100000; ++i) {
    // Mostly the same millisecond, sometimes forward, sometimes back by up to an hour.
    const auto r = steps() % 10;
    if (r == 0) ms += 5;
    if (r == 1) ms -= static_cast<std::int64_t>(steps() % 3'600'000);
    const uuid_bytes id = gen.next(ms);
    ASSERT_LT(last, id) << i;
    ASSERT_LT(format_uuid(last), format_uuid(id));
    EXPECT_EQ(id[6] >> 4, 7);
    EXPECT_EQ(id[8] & 0xC0, 0x80);
    last = id;
  }
}

TEST(Uuid7, KeepsTheLastTimestampWhileTheClockIsBehind) {
  uuid7_generator gen(seeded(5));
  const uuid_bytes a = gen.next(2'000'000);
  const uuid_bytes b = gen.next(1'000'000);  // the clock went back
  EXPECT_EQ(uuid7_time_ms(b), 2'000'000);
  EXPECT_LT(a, b);
  const uuid_bytes c = gen.next(2'000'001);  // caught up: the real time again
  EXPECT_EQ(uuid7_time_ms(c), 2'000'001);
  // Out-of-range readings are clamped to the 48-bit field.
  EXPECT_EQ(uuid7_time_ms(gen.next(std::int64_t{1} << 50)), (std::int64_t{1} << 48) - 1);
}

TEST(Uuid7, ContinuesAfterAnObservedId) {
  uuid7_generator before(seeded(6));
  const uuid_bytes old = before.next(5'000'000);
  // A restarted process whose clock is behind the ids on disk.
  uuid7_generator after(seeded(7));
  after.observe(old);
  const uuid_bytes next = after.next(1'000);
  EXPECT_LT(old, next);
  EXPECT_EQ(uuid7_time_ms(next), 5'000'000);
  // Observing an older id changes nothing.
  after.observe(uuid_bytes{});
  EXPECT_LT(next, after.next(1'000));
}
