// SPDX-License-Identifier: MIT
// The C ABI's statuses, per-thread error detail, strings and version.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "capi_test_support.hpp"

using namespace capi_test;

namespace {

// Whether `s` is valid UTF-8 (RFC 3629), written here rather than taken from cxm.
bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

}  // namespace

TEST(CapiStatus, EveryStatusHasItsDocumentedNumberNameAndMessage) {
  // The numbers and names of cxm::errc as status.hpp documents them.
  struct row {
    cxm_status status;
    int number;
    const char* name;
  };
  const row rows[] = {
      {CXM_OK, 0, "ok"}, {CXM_INVALID_ARGUMENT, 1, "invalid_argument"}, {CXM_OUT_OF_RANGE, 2, "out_of_range"},
      {CXM_NOT_INTEGER, 3, "not_integer"}, {CXM_NOT_FINITE, 4, "not_finite"}, {CXM_WRONG_TYPE, 5, "wrong_type"},
      {CXM_INCOMPATIBLE, 6, "incompatible"}, {CXM_UNSUPPORTED_VERSION, 7, "unsupported_version"},
      {CXM_PARSE_ERROR, 8, "parse_error"}, {CXM_DUPLICATE_KEY, 9, "duplicate_key"},
      {CXM_MISSING_FIELD, 10, "missing_field"}, {CXM_TOO_LARGE, 11, "too_large"}, {CXM_TOO_DEEP, 12, "too_deep"},
      {CXM_INVALID_UTF8, 13, "invalid_utf8"}, {CXM_DUPLICATE_ID, 14, "duplicate_id"}, {CXM_EMPTY, 15, "empty"},
      {CXM_IO_ERROR, 16, "io_error"}, {CXM_INTERNAL, 17, "internal"}, {CXM_LOCKED, 18, "locked"},
      {CXM_NO_SPACE, 19, "no_space"}, {CXM_NOT_FOUND, 20, "not_found"}, {CXM_CORRUPT, 21, "corrupt"},
      {CXM_NOT_PERMITTED, 22, "not_permitted"}, {CXM_RETRY_LATER, 23, "retry_later"},
  };
  for (const row& r : rows) {
    EXPECT_EQ(static_cast<int>(r.status), r.number) << r.name;
    EXPECT_STREQ(cxm_status_name(r.status), r.name);
    ASSERT_NE(cxm_status_message(r.status), nullptr);
    EXPECT_STRNE(cxm_status_message(r.status), "");
  }
  EXPECT_STREQ(cxm_status_message(CXM_OUT_OF_RANGE), "value out of range");
  EXPECT_STREQ(cxm_status_name(static_cast<cxm_status>(24)), "unknown");
  EXPECT_STREQ(cxm_status_message(static_cast<cxm_status>(1000)), "unknown error");
  EXPECT_EQ(sizeof(cxm_status), 4u);
}

TEST(CapiStatus, VersionIsTheHeadersVersion) {
  EXPECT_STREQ(cxm_version(), CXM_VERSION_STRING);
  std::int32_t major = -1, minor = -1, patch = -1;
  cxm_version_numbers(&major, &minor, &patch);
  EXPECT_EQ(major, CXM_VERSION_MAJOR);
  EXPECT_EQ(minor, CXM_VERSION_MINOR);
  EXPECT_EQ(patch, CXM_VERSION_PATCH);
  EXPECT_EQ(std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch), cxm_version());
  cxm_version_numbers(nullptr, nullptr, nullptr);  // each pointer is optional
  cxm_version_numbers(nullptr, &minor, nullptr);
}

TEST(CapiStatus, FreeFunctionsIgnoreNull) {
  cxm_string_free(nullptr);
  cxm_bytes_free(nullptr);
  cxm_nps_tally_destroy(nullptr);
  cxm_scale_tally_destroy(nullptr);
  cxm_duration_sketch_destroy(nullptr);
  cxm_survey_destroy(nullptr);
  cxm_journey_definition_destroy(nullptr);
  cxm_journey_tracker_destroy(nullptr);
  cxm_journey_report_destroy(nullptr);
  cxm_sketch_options_init(nullptr);
}

TEST(CapiStatus, DetailLastsUntilTheNextFailureOnTheSameThread) {
  std::thread([] {
    EXPECT_STREQ(cxm_last_error_detail(), "");  // a fresh thread has no failure yet
    cxm_nps_tally* t = nullptr;
    ASSERT_EQ(cxm_nps_tally_create(&t), CXM_OK);
    EXPECT_EQ(cxm_nps_tally_add(t, 11), CXM_OUT_OF_RANGE);
    EXPECT_STREQ(cxm_last_error_detail(), "value out of range");
    // Successful calls leave it alone.
    EXPECT_EQ(cxm_nps_tally_add(t, 10), CXM_OK);
    EXPECT_STREQ(cxm_last_error_detail(), "value out of range");
    // The next failure replaces it.
    EXPECT_EQ(cxm_nps_tally_add(nullptr, 10), CXM_INVALID_ARGUMENT);
    EXPECT_STREQ(cxm_last_error_detail(), "cxm_nps_tally_add: tally is NULL");
    // Another thread's failure does not touch this thread's detail.
    std::thread([] {
      EXPECT_STREQ(cxm_last_error_detail(), "");
      EXPECT_EQ(cxm_nps_tally_from_json("{", 1, nullptr), CXM_INVALID_ARGUMENT);
      EXPECT_STREQ(cxm_last_error_detail(), "cxm_nps_tally_from_json: out is NULL");
    }).join();
    EXPECT_STREQ(cxm_last_error_detail(), "cxm_nps_tally_add: tally is NULL");
    cxm_nps_tally_destroy(t);
  }).join();
}

TEST(CapiStatus, LongDetailsAreCutOnACharacterBoundary) {
  // A duplicate key of 1000 two-byte characters: the core names it in the detail, which is
  // longer than the 1023 bytes kept.
  std::string key;
  for (int i = 0; i < 1000; ++i) key += "\xC3\xA9";
  const std::string answers = "{\"" + key + "\":1,\"" + key + "\":2}";
  const std::string definition = test_data("surveys/conditions.json");
  cxm_survey* s = nullptr;
  ASSERT_EQ(cxm_survey_parse(definition.data(), definition.size(), &s), CXM_OK) << detail();
  char* out = nullptr;
  EXPECT_EQ(cxm_survey_score(s, answers.data(), answers.size(), &out, nullptr), CXM_DUPLICATE_KEY);
  EXPECT_EQ(out, nullptr);
  const std::string d = detail();
  EXPECT_EQ(d.rfind("answers: ", 0), 0u) << d;
  EXPECT_LE(d.size(), 1023u);
  EXPECT_GE(d.size(), 1000u) << d;
  EXPECT_TRUE(valid_utf8(d));
  cxm_survey_destroy(s);
}
