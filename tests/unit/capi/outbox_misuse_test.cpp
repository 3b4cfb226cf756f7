// SPDX-License-Identifier: MIT
// The outbox's C ABI misused: a NULL-argument table checked against the header, lengths no
// buffer has, invalid UTF-8 paths and sources, bad options and JSON, oversized records, and
// batches zeroed on failure.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "outbox_test_support.hpp"

using namespace capi_test;
using namespace outbox_test;

TEST_F(CapiOutbox, OptionsOutOfRangeAreInvalidArgumentsNamingTheField) {
  struct row {
    const char* field;
    std::function<void(cxm_outbox_options&)> set;
  };
  const std::vector<row> rows = {
      {"max_records", [](cxm_outbox_options& o) { o.max_records = 0; }},
      {"max_bytes", [](cxm_outbox_options& o) { o.max_bytes = 0; }},
      {"max_bytes", [](cxm_outbox_options& o) { o.max_bytes = o.max_record_bytes - 1; }},
      {"max_record_bytes", [](cxm_outbox_options& o) { o.max_record_bytes = 0; }},
      {"max_record_bytes", [](cxm_outbox_options& o) { o.max_record_bytes = (8u << 20) + 1; }},
      {"max_record_bytes", [](cxm_outbox_options& o) { o.max_record_bytes = UINT64_MAX; }},
      {"ttl_ms", [](cxm_outbox_options& o) { o.ttl_ms = -1; }},
      {"ttl_ms", [](cxm_outbox_options& o) { o.ttl_ms = 0; }},
      {"retry_base_ms", [](cxm_outbox_options& o) { o.retry_base_ms = -1; }},
      {"retry_base_ms", [](cxm_outbox_options& o) { o.retry_base_ms = 0; }},
      {"retry_max_ms", [](cxm_outbox_options& o) { o.retry_max_ms = 999; }},
      {"group_commit", [](cxm_outbox_options& o) { o.group_commit = 2; }},
      {"group_commit", [](cxm_outbox_options& o) { o.group_commit = -1; }},
      {"aggregates_only", [](cxm_outbox_options& o) { o.aggregates_only = 7; }},
  };
  for (const row& r : rows) {
    cxm_outbox_options o = defaults();
    r.set(o);
    cxm_outbox* b = nullptr;
    EXPECT_EQ(open_raw(dir.path, source, &o, &b), CXM_INVALID_ARGUMENT)
        << r.field;
    EXPECT_EQ(b, nullptr);
    EXPECT_NE(detail().find(r.field), std::string::npos) << r.field << ": " << detail();
  }
  // Nothing was created by the refused calls; the extremes that are allowed open.
  EXPECT_FALSE(std::filesystem::exists(dir.path));
  cxm_outbox_options o = defaults();
  o.max_records = 1;
  o.max_record_bytes = 2;
  o.max_bytes = 2;
  o.ttl_ms = 1;
  o.group_commit = 0;
  o.aggregates_only = 1;
  o.retry_base_ms = 1;
  o.retry_max_ms = 1;
  EXPECT_NE(open_box(dir.path, &o).get(), nullptr);
}

TEST_F(CapiOutbox, DirectoryAndSourceAreCheckedBeforeAnythingIsOpened) {
  cxm_outbox* b = nullptr;
  const std::string bad = dir.path + "\xC0\xAF";  // an overlong '/': never valid UTF-8
  EXPECT_EQ(open_raw(bad, source, nullptr, &b), CXM_INVALID_UTF8);
  EXPECT_NE(detail().find("directory"), std::string::npos) << detail();
  const std::string bad_source = "install\xFF";
  EXPECT_EQ(open_raw(dir.path, bad_source, nullptr, &b), CXM_INVALID_UTF8);
  EXPECT_NE(detail().find("source"), std::string::npos) << detail();
  const std::string nul_path = dir.path + std::string("\0x", 2);
  EXPECT_EQ(open_raw(nul_path, source, nullptr, &b), CXM_INVALID_ARGUMENT);
  EXPECT_NE(detail().find("NUL"), std::string::npos) << detail();
  for (const std::string& s : {std::string(), std::string("tab\there"), std::string(129, 'a'), std::string("caf\xC3\xA9")}) {
    EXPECT_EQ(open_raw(dir.path, s, nullptr, &b), CXM_INVALID_ARGUMENT)
        << s;
  }
  EXPECT_EQ(b, nullptr);
  EXPECT_FALSE(std::filesystem::exists(dir.path));
  // A parent that does not exist: the system's reason, naming the path.
  const std::string orphan = dir.root + "/missing/outbox";
  EXPECT_EQ(open_raw(orphan, source, nullptr, &b), CXM_IO_ERROR);
  EXPECT_NE(detail().find("missing"), std::string::npos) << detail();
}

TEST_F(CapiOutbox, RecordsThatAreNotSmallJsonObjectsAreRefusedAndNothingIsQueued) {
  cxm_outbox_options o = defaults();
  o.max_record_bytes = 100;
  const outbox box = open_box(dir.path, &o);
  struct row {
    std::string json;
    cxm_status expected;
  };
  const std::vector<row> rows = {
      {R"({"a":)", CXM_PARSE_ERROR},
      {"", CXM_PARSE_ERROR},
      {"[1,2]", CXM_WRONG_TYPE},
      {"\"text\"", CXM_WRONG_TYPE},
      {R"({"id":7})", CXM_WRONG_TYPE},  // an id that is not a string
      {"{\"a\":\"\xC0\xAF\"}", CXM_INVALID_UTF8},
      {R"({"a":1,"a":2})", CXM_DUPLICATE_KEY},
      {"{\"a\":\"" + std::string(93, 'x') + "\"}", CXM_TOO_LARGE},  // 101 bytes
  };
  char id[CXM_OUTBOX_ID_SIZE];
  for (const row& r : rows) {
    std::memset(id, 'z', sizeof id);
    EXPECT_EQ(cxm_outbox_append(box.get(), CXM_RECORD_RESPONSE, r.json.data(), r.json.size(), id), r.expected)
        << r.json << ": " << detail();
    EXPECT_STREQ(id, "");  // no id on failure
  }
  EXPECT_NE(detail(), "");
  const std::string fits = "{\"a\":\"" + std::string(92, 'x') + "\"}";  // exactly 100 bytes
  EXPECT_TRUE(is_uuid7(append(box.get(), CXM_RECORD_RESPONSE, fits)));
  const std::string obj = "{}";
  EXPECT_EQ(cxm_outbox_append(box.get(), static_cast<cxm_record_kind>(2), obj.data(), obj.size(), id),
            CXM_INVALID_ARGUMENT);  // aggregates come from a recorder
  EXPECT_NE(detail().find("kind 2"), std::string::npos) << detail();
  EXPECT_EQ(cxm_outbox_append(box.get(), CXM_RECORD_EVENT, obj.data(), obj.size(), nullptr), CXM_OK);  // id optional
  EXPECT_EQ(counts_of(box.get()).pending_records, 2u);
}

TEST_F(CapiOutbox, BatchesAreZeroedOnFailureAndFreeingIsSafe) {
  const outbox box = open_box(dir.path);
  cxm_outbox_batch b;
  std::memset(&b, 0x5a, sizeof b);
  EXPECT_EQ(cxm_outbox_next_batch(box.get(), 4096, &b), CXM_NOT_PERMITTED);
  EXPECT_TRUE(zeroed(b));
  cxm_outbox_batch_free(&b);
  cxm_outbox_batch_free(&b);
  cxm_outbox_batch_free(nullptr);
  cxm_outbox_close(nullptr);
  ASSERT_EQ(cxm_outbox_set_consent(box.get(), CXM_CONSENT_GIVEN), CXM_OK);
  std::memset(&b, 0x5a, sizeof b);
  EXPECT_EQ(cxm_outbox_next_batch(box.get(), 4096, &b), CXM_EMPTY);
  EXPECT_TRUE(zeroed(b));
  append(box.get(), CXM_RECORD_RESPONSE, "{}");
  std::memset(&b, 0x5a, sizeof b);
  EXPECT_EQ(cxm_outbox_next_batch(box.get(), 1023, &b), CXM_INVALID_ARGUMENT);  // under 1024 bytes
  EXPECT_TRUE(zeroed(b));
  ASSERT_EQ(cxm_outbox_next_batch(box.get(), 1024, &b), CXM_OK);
  cxm_outbox_batch_free(&b);
  EXPECT_TRUE(zeroed(b));
}

TEST_F(CapiOutbox, NullArgumentsAreInvalidArgumentsNamingThem) {
  const outbox box = open_box(dir.path);
  const recorder rec = make_recorder({{"m", CXM_METRIC_NPS}});
  const std::string d = dir.root + "/other";
  cxm_outbox* out = nullptr;
  cxm_outbox_batch b{};
  cxm_consent consent{};
  cxm_outbox_counts counts{};
  char id[CXM_OUTBOX_ID_SIZE];
  struct call {
    const char* function;
    const char* argument;
    std::function<cxm_status()> run;
  };
  const std::vector<call> calls = {
      {"cxm_outbox_open", "out", [&] { return cxm_outbox_open(d.data(), d.size(), "s", 1, nullptr, nullptr); }},
      {"cxm_outbox_open", "directory", [&] { return cxm_outbox_open(nullptr, 3, "s", 1, nullptr, &out); }},
      {"cxm_outbox_open", "source", [&] { return cxm_outbox_open(d.data(), d.size(), nullptr, 1, nullptr, &out); }},
      {"cxm_outbox_append", "outbox", [&] { return cxm_outbox_append(nullptr, CXM_RECORD_RESPONSE, "{}", 2, id); }},
      {"cxm_outbox_append", "json", [&] { return cxm_outbox_append(box.get(), CXM_RECORD_RESPONSE, nullptr, 2, id); }},
      {"cxm_outbox_append_aggregates", "outbox", [&] { return cxm_outbox_append_aggregates(nullptr, rec.get(), id); }},
      {"cxm_outbox_append_aggregates", "recorder", [&] { return cxm_outbox_append_aggregates(box.get(), nullptr, id); }},
      {"cxm_outbox_next_batch", "outbox", [&] { return cxm_outbox_next_batch(nullptr, 4096, &b); }},
      {"cxm_outbox_next_batch", "out", [&] { return cxm_outbox_next_batch(box.get(), 4096, nullptr); }},
      {"cxm_outbox_ack", "outbox", [&] { return cxm_outbox_ack(nullptr, "x"); }},
      {"cxm_outbox_ack", "batch_id", [&] { return cxm_outbox_ack(box.get(), nullptr); }},
      {"cxm_outbox_fail", "outbox", [&] { return cxm_outbox_fail(nullptr, "x", 503, 0); }},
      {"cxm_outbox_fail", "batch_id", [&] { return cxm_outbox_fail(box.get(), nullptr, 503, 0); }},
      {"cxm_outbox_set_consent", "outbox", [&] { return cxm_outbox_set_consent(nullptr, CXM_CONSENT_GIVEN); }},
      {"cxm_outbox_consent", "outbox", [&] { return cxm_outbox_consent(nullptr, &consent); }},
      {"cxm_outbox_consent", "out", [&] { return cxm_outbox_consent(box.get(), nullptr); }},
      {"cxm_outbox_purge", "outbox", [&] { return cxm_outbox_purge(nullptr); }},
      {"cxm_outbox_counts_get", "outbox", [&] { return cxm_outbox_counts_get(nullptr, &counts); }},
      {"cxm_outbox_counts_get", "out", [&] { return cxm_outbox_counts_get(box.get(), nullptr); }},
  };
  std::vector<std::string> covered;
  for (const call& c : calls) {
    std::memset(id, 'z', sizeof id);
    EXPECT_EQ(c.run(), CXM_INVALID_ARGUMENT) << c.function << " " << c.argument;
    EXPECT_EQ(detail(), std::string(c.function) + ": " + c.argument + " is NULL");
    if (std::string(c.function).rfind("cxm_outbox_append", 0) == 0) {
      EXPECT_STREQ(id, "") << c.function;
    }
    covered.push_back(c.function);
  }
  EXPECT_EQ(out, nullptr);
  EXPECT_EQ(b.id, nullptr);
  EXPECT_FALSE(std::filesystem::exists(d));
  EXPECT_EQ(counts_of(box.get()).pending_records, 0u);
  // Every function of cxm/c/outbox.h that returns a cxm_status is in the table.
  EXPECT_EQ(expect_every_fallible_function_covered({"outbox"}, covered), 10u);
}

TEST_F(CapiOutbox, LengthsNoBufferHasAreRefused) {
  const outbox box = open_box(dir.path);
  const char text[] = "{}";
  cxm_outbox* out = nullptr;
  EXPECT_EQ(cxm_outbox_open(text, SIZE_MAX, "s", 1, nullptr, &out), CXM_INVALID_ARGUMENT);
  EXPECT_NE(detail().find("PTRDIFF_MAX"), std::string::npos) << detail();
  EXPECT_EQ(cxm_outbox_open(dir.path.data(), dir.path.size(), text, SIZE_MAX, nullptr, &out), CXM_INVALID_ARGUMENT);
  EXPECT_NE(detail().find("PTRDIFF_MAX"), std::string::npos) << detail();
  EXPECT_EQ(cxm_outbox_append(box.get(), CXM_RECORD_RESPONSE, text, SIZE_MAX, nullptr), CXM_INVALID_ARGUMENT);
  EXPECT_NE(detail().find("PTRDIFF_MAX"), std::string::npos) << detail();
  EXPECT_EQ(out, nullptr);
}
