// SPDX-License-Identifier: MIT
#include "io/timestamp.hpp"

#include <gtest/gtest.h>

TEST(Timestamp, ParsesRfc3339) {
  // Expected values from `date -u -d ... +%s` (GNU coreutils), times 1000.
  struct row { const char* text; std::int64_t ms; };
  const row rows[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2000-02-29T12:00:00Z", 951825600000},
      {"2026-10-02T09:14:03Z", 1790932443000},
      {"2026-10-02T09:14:03.5Z", 1790932443500},
      {"2026-10-02T11:14:03+02:00", 1790932443000},
      {"2026-10-02t09:14:03.123456z", 1790932443123},
      {"2026-10-01T23:14:03-10:00", 1790932443000},
      {"9999-12-31T23:59:59Z", 253402300799000},
  };
  for (const row& r : rows) {
    std::int64_t ms = -1;
    EXPECT_TRUE(cxm::detail::parse_rfc3339_ms(r.text, ms)) << r.text;
    EXPECT_EQ(ms, r.ms) << r.text;
  }
}

TEST(Timestamp, RejectsMalformedAndOutOfRange) {
  for (const char* bad : {"", "2026-10-02", "2026-10-02T09:14:03", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
                          "2026-10-02T24:00:00Z", "1969-12-31T23:59:59Z", "2026-10-02T09:14:03.Z",
                          "2026-10-02T09:14:03Zjunk", "2026-10-02T09:14:03+0200", "20x6-10-02T09:14:03Z"}) {
    std::int64_t ms = 0;
    EXPECT_FALSE(cxm::detail::parse_rfc3339_ms(bad, ms)) << bad;
  }
}
