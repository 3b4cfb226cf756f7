// SPDX-License-Identifier: MIT
// What the outbox's C ABI tests share: handles freed by scope, opening helpers, payload checks
// and the fixture that gives each test a fresh directory.
#ifndef CXM_TESTS_CAPI_OUTBOX_TEST_SUPPORT_HPP
#define CXM_TESTS_CAPI_OUTBOX_TEST_SUPPORT_HPP

#include <gtest/gtest.h>

#include <stdlib.h>  // mkdtemp

#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "capi_test_support.hpp"

namespace outbox_test {

using namespace capi_test;

using outbox = std::unique_ptr<cxm_outbox, destroyer<cxm_outbox, cxm_outbox_close>>;
using recorder = std::unique_ptr<cxm_recorder, destroyer<cxm_recorder, cxm_recorder_destroy>>;

// A batch freed when it goes out of scope.
struct batch {
  cxm_outbox_batch b{};
  batch() = default;
  batch(const batch&) = delete;
  batch& operator=(const batch&) = delete;
  ~batch() { cxm_outbox_batch_free(&b); }
  json::object payload() const {
    const json::value v = parse(std::string(b.payload, b.payload_len));
    return v.is_object() ? v.get_object() : json::object();
  }
};

// What cxm.h promises for a batch after a failure or a free.
inline bool zeroed(const cxm_outbox_batch& b) {
  return b.id == nullptr && b.endpoint == nullptr && b.payload == nullptr && b.payload_len == 0 && b.records == 0;
}

inline const std::string source = "install-42";

inline cxm_outbox_options defaults() {
  cxm_outbox_options o;
  cxm_outbox_options_init(&o);
  return o;
}

inline cxm_status open_raw(const std::string& dir, const std::string& src, const cxm_outbox_options* o,
                           cxm_outbox** out) {
  return cxm_outbox_open(dir.data(), dir.size(), src.data(), src.size(), o, out);
}

inline outbox open_box(const std::string& dir, const cxm_outbox_options* options = nullptr) {
  cxm_outbox* b = nullptr;
  EXPECT_EQ(open_raw(dir, source, options, &b), CXM_OK) << detail();
  return outbox(b);
}

// An outbox whose user gave consent.
inline outbox open_given(const std::string& dir, const cxm_outbox_options* options = nullptr) {
  outbox box = open_box(dir, options);
  EXPECT_EQ(cxm_outbox_set_consent(box.get(), CXM_CONSENT_GIVEN), CXM_OK);
  return box;
}

// A recorder of the metrics named, each of its kind (default settings).
inline recorder make_recorder(const std::vector<std::pair<const char*, cxm_metric_kind>>& metrics) {
  std::vector<cxm_metric_spec> specs(metrics.size());
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    specs[i].name = metrics[i].first;
    specs[i].name_len = std::strlen(metrics[i].first);
    specs[i].kind = metrics[i].second;
  }
  cxm_recorder* r = nullptr;
  EXPECT_EQ(cxm_recorder_create(specs.data(), specs.size(), &r), CXM_OK) << detail();
  return recorder(r);
}

inline std::string append(cxm_outbox* box, cxm_record_kind kind, const std::string& json) {
  char id[CXM_OUTBOX_ID_SIZE];
  EXPECT_EQ(cxm_outbox_append(box, kind, json.data(), json.size(), id), CXM_OK) << detail();
  return id;
}

inline cxm_outbox_counts counts_of(const cxm_outbox* box) {
  cxm_outbox_counts c;
  EXPECT_EQ(cxm_outbox_counts_get(box, &c), CXM_OK);
  return c;
}

// The next batch once the backoff (of a few ms in these tests) is over.
inline cxm_status next_when_ready(cxm_outbox* box, cxm_outbox_batch* out) {
  cxm_status s = cxm_outbox_next_batch(box, 64 * 1024, out);
  for (int i = 0; i < 1000 && s == CXM_RETRY_LATER; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    s = cxm_outbox_next_batch(box, 64 * 1024, out);
  }
  return s;
}

// A UUIDv7 in its text form (RFC 9562): 8-4-4-4-12 lower-case hex, version 7, variant 10.
inline bool is_uuid7(const std::string& s) {
  static const std::regex form("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  return std::regex_match(s, form);
}

// RFC 3339 UTC with milliseconds, as the payload writes times.
inline bool is_time_ms(const json::value& v) {
  static const std::regex form(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  return v.is_string() && std::regex_match(std::string(v.get_string()), form);
}

inline std::string str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string("<absent>");
}

}  // namespace outbox_test

// Each test has a fresh directory, removed with everything in it afterwards; the outbox goes
// in dir.path, which does not exist yet.
class CapiOutbox : public testing::Test {
 protected:
  void SetUp() override {
    dir.root = testing::TempDir() + "cxm-outbox-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir.root.data()), nullptr);
    dir.path = dir.root + "/outbox";
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir.root, ec);
  }
  struct {
    std::string root, path;
  } dir;
};

#endif  // CXM_TESTS_CAPI_OUTBOX_TEST_SUPPORT_HPP
