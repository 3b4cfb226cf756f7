// SPDX-License-Identifier: MIT
// Helpers of the outbox tests: temporary directories, an injected clock and random source,
// raw file access for corrupting files, and payloads parsed with the test's own Boost.JSON.
#ifndef CXM_TESTS_DEVICE_OUTBOX_TEST_SUPPORT_HPP
#define CXM_TESTS_DEVICE_OUTBOX_TEST_SUPPORT_HPP

#include <gtest/gtest.h>
#include <stdlib.h>  // mkdtemp

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cxm/device/outbox.hpp"

namespace outbox_test {

/// A fresh directory under the system's temporary directory, removed with its content. The
/// outbox goes in `path` (created by the outbox, inside `root`).
struct temp_dir {
  std::string root;
  std::string path;
  temp_dir() {
    std::string t = testing::TempDir() + "cxm-outbox-XXXXXX";
    EXPECT_NE(mkdtemp(t.data()), nullptr);
    root = t;
    path = root + "/outbox";
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::permissions(root, std::filesystem::perms::owner_all, ec);
    std::filesystem::permissions(path, std::filesystem::perms::owner_all, ec);
    std::filesystem::remove_all(root, ec);
  }
  std::string file(const std::string& name) const { return path + "/" + name; }
};

/// A clock the test moves by hand (ms since 1970), shared with the outbox's std::function.
struct manual_clock {
  std::shared_ptr<std::atomic<std::int64_t>> now = std::make_shared<std::atomic<std::int64_t>>(1'760'000'000'000);
  std::function<std::int64_t()> fn() const {
    auto n = now;
    return [n] { return n->load(); };
  }
  void set(std::int64_t ms) { now->store(ms); }
  void advance(std::int64_t ms) { now->fetch_add(ms); }
  std::int64_t get() const { return now->load(); }
};

/// A random source returning what the test sets (the same value until changed).
struct fixed_random {
  std::shared_ptr<std::atomic<std::uint64_t>> value = std::make_shared<std::atomic<std::uint64_t>>(0);
  std::function<std::uint64_t()> fn() const {
    auto v = value;
    return [v] { return v->load(); };
  }
  void set(std::uint64_t v) { value->store(v); }
};

inline cxm::outbox_options options_for(const temp_dir& dir) {
  cxm::outbox_options o;
  o.directory = dir.path;
  o.source = "install-7f3a";
  return o;
}

inline cxm::outbox open_ok(const cxm::outbox_options& o) {
  auto r = cxm::outbox::open(o);
  EXPECT_TRUE(r.ok()) << r.detail();
  return std::move(r).value();
}

/// A survey response of about 300 bytes of JSON, numbered `i`, without an id.
inline std::string response_json(int i) {
  std::string s = R"({"survey":"onboarding","survey_version":3,"timestamp":"2026-10-02T09:14:03Z",)"
                  R"("answers":{"nps":)" +
                  std::to_string(i % 11) + R"(,"ces":)" + std::to_string(1 + i % 7) +
                  R"(,"reason":"The setup took longer than I expected but support answered quickly"},)"
                  R"("context":{"platform":"android","app_version":"5.2.1","locale":"fr-FR","seq":)" +
                  std::to_string(i) + "}}";
  return s;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

/// The segment files of an outbox directory, sorted.
inline std::vector<std::string> segments(const temp_dir& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir.path, ec)) {
    const std::string n = e.path().filename().string();
    if (n.rfind("seg-", 0) == 0) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

inline std::uint64_t size_of_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::file_size(path, ec);
}

inline boost::json::value parse(const std::string& text) {
  boost::json::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << ec.message() << ": " << text;
  return v;
}

inline std::string str(const boost::json::value& v) {
  const boost::json::string* s = v.if_string();
  return s == nullptr ? std::string("<not a string>") : std::string(s->data(), s->size());
}

/// The records of a payload's arrays, in order: responses, events, aggregates.
inline std::vector<boost::json::object> records_of(const std::string& payload) {
  std::vector<boost::json::object> out;
  const boost::json::value v = parse(payload);
  const boost::json::object* o = v.if_object();
  if (o == nullptr) return out;
  for (const char* key : {"responses", "events", "aggregates"}) {
    const boost::json::value* a = o->if_contains(key);
    if (a == nullptr || !a->is_array()) continue;
    for (const auto& r : a->get_array())
      if (r.is_object()) out.push_back(r.get_object());
  }
  return out;
}

/// Takes every batch on offer (consent must be given) and returns the "id" of each record; the
/// batches are acknowledged when `ack`, else left in flight.
inline std::vector<std::string> take_all(cxm::outbox& box, bool ack, std::size_t max_bytes = 1u << 20) {
  std::vector<std::string> ids;
  for (;;) {
    auto b = box.next_batch(max_bytes);
    if (!b) {
      EXPECT_EQ(b.code(), cxm::errc::empty) << b.detail();
      break;
    }
    for (const auto& r : records_of(b->payload)) {
      const boost::json::value* id = r.if_contains("id");
      ids.push_back(id != nullptr ? str(*id) : std::string("<no id>"));
    }
    if (ack) {
      EXPECT_TRUE(box.ack(b->id).ok());
    }
  }
  return ids;
}

/// 2025-10-09T08:53:20.000Z: the tests' clock starts here.
constexpr std::int64_t t0 = 1'760'000'000'000;

/// An outbox in a fresh directory with the test's clock (at t0) and random source, retries of
/// 1 s doubling up to 8 s.
struct fixture {
  temp_dir dir;
  manual_clock clock;
  fixed_random random;
  cxm::outbox_options options;

  fixture() {
    clock.set(t0);
    options = options_for(dir);
    options.clock = clock.fn();
    options.random = random.fn();
    options.retry_base_ms = 1000;
    options.retry_max_ms = 8000;
  }
  /// Opens the outbox, and gives consent when `consent`.
  cxm::outbox open(bool consent = true) {
    cxm::outbox box = open_ok(options);
    if (consent) {
      EXPECT_TRUE(box.set_consent(cxm::consent_state::given).ok());
    }
    return box;
  }
  /// The path of the active (last) segment.
  std::string segment() const { return dir.file(segments(dir).back()); }
};

inline std::string append_ok(cxm::outbox& box, cxm::record_kind kind, const std::string& json) {
  auto id = box.append(kind, json);
  EXPECT_TRUE(id.ok()) << id.detail();
  return id.ok() ? *id : std::string();
}

inline cxm::outbox_batch batch_ok(cxm::outbox& box, std::size_t max_bytes = 1u << 20) {
  auto b = box.next_batch(max_bytes);
  EXPECT_TRUE(b.ok()) << b.detail();
  return b.ok() ? *b : cxm::outbox_batch{};
}

/// The "context.seq" of a record made by response_json, or -1.
inline std::int64_t seq_of(const boost::json::object& r) {
  const auto* c = r.if_contains("context");
  if (c == nullptr || !c->is_object()) return -1;
  const auto* s = c->get_object().if_contains("seq");
  return s != nullptr && s->is_int64() ? s->get_int64() : -1;
}

}  // namespace outbox_test

#endif  // CXM_TESTS_DEVICE_OUTBOX_TEST_SUPPORT_HPP
