// SPDX-License-Identifier: MIT
// The outbox's JSON: records checked before they are queued, RFC 3339 times, and the batch
// payload, whose size must be known exactly before it is written (the byte budget relies on it).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "device/batch_json.hpp"
#include "outbox_test_support.hpp"

using cxm::errc;
using cxm::record_kind;
using cxm::detail::batch_writer;
using cxm::detail::check_record_json;
using cxm::detail::format_time_ms;
using cxm::detail::uuid_bytes;

TEST(BatchJson, ChecksAndTrimsRecords) {
  auto r = check_record_json(" \t{\"a\": 1, \"id\": \"x\"}\n", 100);
  ASSERT_TRUE(r.ok()) << r.detail();
  EXPECT_EQ(r->json, "{\"a\": 1, \"id\": \"x\"}");
  EXPECT_TRUE(r->own_id);
  r = check_record_json("{ \n }", 100);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->json, "{}");
  EXPECT_FALSE(r->own_id);
  EXPECT_EQ(check_record_json("{\"id\":null}", 100).code(), errc::wrong_type);
  EXPECT_EQ(check_record_json("{\"id\":null}", 100).detail(), "id: expected a string, got null");
  EXPECT_EQ(check_record_json("{\"a\":\"" + std::string(100, 'x') + "\"}", 100).code(), errc::too_large);
  EXPECT_EQ(check_record_json("[]", 100).detail(), "(root): expected an object, got an array");
}

TEST(BatchJson, FormatsTimesAsRfc3339Milliseconds) {
  EXPECT_EQ(format_time_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_time_ms(outbox_test::t0 + 1234), "2025-10-09T08:53:21.234Z");
  EXPECT_EQ(format_time_ms(951782400000 + 86399999), "2000-02-29T23:59:59.999Z");
  EXPECT_EQ(format_time_ms(-5), "1970-01-01T00:00:00.000Z");                    // clamped
  EXPECT_EQ(format_time_ms(INT64_MAX), "9999-12-31T23:59:59.999Z");             // clamped
}

TEST(BatchJson, PayloadSizeIsKnownBeforeItIsWritten) {
  const uuid_bytes id{0x01, 0x99, 0xc8, 0x2c, 0xc0, 0x00, 0x7a, 0x3c, 0x8f, 0x21, 0x5b, 0x0e, 0x44, 0xc1, 0xd9, 0xa7};
  struct rec {
    record_kind kind;
    std::string json;
    bool own_id;
  };
  const std::vector<std::vector<rec>> batches = {
      {{record_kind::response, R"({"a":1})", false}},
      {{record_kind::response, "{}", false}, {record_kind::response, R"({"id":"r1","b":[1,2]})", true}},
      {{record_kind::event, R"({"e":"x"})", false}, {record_kind::response, R"({"r":2})", false},
       {record_kind::event, "{}", false}},
      {{record_kind::aggregates, R"({"format":"cxm.recorder_snapshot"})", false},
       {record_kind::aggregates, R"({"x":1})", false}},
  };
  for (const char* source : {"install-7f3a", "quote\"and\\backslash"}) {
    for (const auto& b : batches) {
      batch_writer w("0199c82c-c4d2-7b10-9c4e-21a7d0f3e815", source, outbox_test::t0);
      for (const rec& r : b) {
        const std::size_t expected = w.size_with(r.kind, r.json.size(), r.own_id);
        w.add(r.kind, id, r.own_id, outbox_test::t0, r.json);
        EXPECT_EQ(w.size(), expected);
      }
      const std::size_t size = w.size();
      const std::string payload = w.finish();
      EXPECT_EQ(payload.size(), size) << payload;
      EXPECT_TRUE(outbox_test::parse(payload).is_object());
    }
  }
}
