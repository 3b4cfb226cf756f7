// SPDX-License-Identifier: MIT
// The storage suite: what every backend of cxm::server::store must do, as one typed GoogleTest
// suite. A backend's test program instantiates it with a type providing
//   Backend::database: a fresh, empty database for one test, with
//     error()            "" when ready, else why not (the test fails)
//     url()              the store URL to open
//     exec(sql)          raw SQL beside the store ("" or the error)
//     query_int(sql)     the first value of a one-row query
#ifndef CXM_TESTS_SERVER_STORE_SUITE_HPP
#define CXM_TESTS_SERVER_STORE_SUITE_HPP

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "server/storage/store.hpp"

namespace cxm::server {

inline bool operator==(const response_row& a, const response_row& b) {
  return std::tie(a.id, a.survey_id, a.survey_version, a.source, a.received_ms, a.answered_ms, a.score_mismatch,
                  a.record) == std::tie(b.id, b.survey_id, b.survey_version, b.source, b.received_ms,
                                        b.answered_ms, b.score_mismatch, b.record);
}
inline bool operator==(const aggregate_row& a, const aggregate_row& b) {
  return std::tie(a.source, a.id, a.captured_ms, a.received_ms, a.snapshot) ==
         std::tie(b.source, b.id, b.captured_ms, b.received_ms, b.snapshot);
}
inline std::ostream& operator<<(std::ostream& o, const response_row& r) {
  return o << "{" << r.id << ", " << r.survey_id << ", " << r.answered_ms << ", " << r.record << "}";
}
inline std::ostream& operator<<(std::ostream& o, const aggregate_row& a) {
  return o << "{" << a.source << "/" << a.id << ", " << a.captured_ms << "}";
}

namespace test {

using outcomes = std::vector<insert_outcome>;
constexpr insert_outcome S = insert_outcome::stored;
constexpr insert_outcome D = insert_outcome::duplicate;

inline response_row response(std::string id, std::string survey = "s1", std::int64_t answered = 1000) {
  response_row r;
  r.id = std::move(id);
  r.survey_id = std::move(survey);
  r.survey_version = 3;
  r.source = "web";
  r.received_ms = 5000;
  r.answered_ms = answered;
  r.record = R"({"id":")" + r.id + R"(","answers":{"nps":9}})";
  return r;
}
inline event_row event(std::string id) {
  return {id, "app-1", 6000, R"({"event":"step","id":")" + id + "\"}"};
}
inline aggregate_row aggregate(std::string source, std::string id, std::int64_t captured = 2000) {
  return {std::move(source), std::move(id), captured, 7000, R"({"format":"cxm.recorder_snapshot"})"};
}

template <class Backend>
class StoreSuite : public ::testing::Test {
 public:  // public: insert_from_threads below uses the helpers
  void SetUp() override {
    db_ = std::make_unique<typename Backend::database>();
    ASSERT_TRUE(db_->error().empty()) << db_->error();
  }

  std::unique_ptr<store> open(sync_mode sync = sync_mode::full) {
    result<std::unique_ptr<store>> r = open_store({db_->url(), sync});
    EXPECT_TRUE(r.ok()) << name(r.code()) << ": " << r.detail();
    return r.ok() ? std::move(r).value() : nullptr;
  }

  /// Inserts and expects success; returns the outcomes.
  static outcomes put(store& s, const std::vector<response_row>& rows, const std::vector<event_row>& events = {},
                      const std::vector<aggregate_row>& aggregates = {}) {
    outcomes out;
    std::string detail;
    const status st = s.insert(rows, events, aggregates, out, detail);
    EXPECT_TRUE(st.ok()) << name(st.code()) << ": " << detail;
    return out;
  }

  static std::vector<response_row> responses(store& s, const response_query& q = {}) {
    std::vector<response_row> out;
    std::string detail;
    const status st = s.scan_responses(q, [&](const response_row& r) { out.push_back(r); return true; }, detail);
    EXPECT_TRUE(st.ok()) << detail;
    return out;
  }
  static std::vector<aggregate_row> aggregates(store& s, std::optional<std::int64_t> from = {},
                                               std::optional<std::int64_t> to = {}) {
    std::vector<aggregate_row> out;
    std::string detail;
    const status st = s.scan_aggregates(from, to, [&](const aggregate_row& a) { out.push_back(a); return true; }, detail);
    EXPECT_TRUE(st.ok()) << detail;
    return out;
  }
  static store_counts count(store& s) {
    store_counts c;
    std::string detail;
    const status st = s.counts(c, detail);
    EXPECT_TRUE(st.ok()) << detail;
    return c;
  }

  std::unique_ptr<typename Backend::database> db_;
};

TYPED_TEST_SUITE_P(StoreSuite);

TYPED_TEST_P(StoreSuite, StoresOnceAndReportsLaterCallsAsDuplicates) {
  auto s = this->open();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(this->put(*s, {response("r1"), response("r2")}, {event("e1")}, {aggregate("app", "a1")}),
            (outcomes{S, S, S, S}));
  EXPECT_EQ(this->put(*s, {response("r2"), response("r3")}, {event("e1"), event("e2")}, {aggregate("app", "a1")}),
            (outcomes{D, S, D, S, D}));
  const store_counts c = this->count(*s);
  EXPECT_EQ(c.responses, 3U);
  EXPECT_EQ(c.events, 2U);
  EXPECT_EQ(c.aggregates, 1U);
  EXPECT_EQ(this->put(*s, {}), outcomes{});  // an empty call is a successful no-op
}

TYPED_TEST_P(StoreSuite, ReportsARepeatWithinOneCallAsDuplicate) {
  auto s = this->open();
  ASSERT_NE(s, nullptr);
  // The same aggregate id from two sources is two snapshots: the key is (source, id).
  EXPECT_EQ(this->put(*s, {response("b"), response("a"), response("b")}, {event("e"), event("e")},
                      {aggregate("app1", "x"), aggregate("app2", "x"), aggregate("app1", "x")}),
            (outcomes{S, S, D, S, D, S, S, D}));
  const store_counts c = this->count(*s);
  EXPECT_EQ(c.responses, 2U);
  EXPECT_EQ(c.events, 1U);
  EXPECT_EQ(c.aggregates, 2U);
}

TYPED_TEST_P(StoreSuite, ReturnsEveryFieldByteForByte) {
  auto s = this->open();
  ASSERT_NE(s, nullptr);
  std::vector<response_row> rows;
  response_row a = response(std::string(128, 'x'), "סקר-שביעות-רצון", -5);
  a.record = "{\"comment\":\"שלום, \\\"עולם\\\" \\\\ C:\\\\path \\u05e9 'quoted' \xF0\x9F\x98\x80\",\"tab\":\"\t\"}";
  a.survey_version = std::numeric_limits<std::int64_t>::max();
  a.received_ms = std::numeric_limits<std::int64_t>::min();
  a.score_mismatch = true;
  a.source = "app \"one\" \\ 'two'";
  rows.push_back(a);
  std::string hebrew_id;
  while (hebrew_id.size() < 128) hebrew_id += "ש";  // 2 bytes each: 128 bytes, 64 letters
  response_row b = response(hebrew_id, "s", 0);
  b.record = std::string("{\"big\":\"") + std::string(300000, 'z') + "\"}";
  rows.push_back(b);
  aggregate_row g = aggregate("מקור", std::string(128, '\\'), 42);
  g.snapshot = "{\"name\":\"\\\"quoted\\\" – עברית\"}";
  ASSERT_EQ(this->put(*s, rows, {event("ev-ש")}, {g}), (outcomes{S, S, S, S}));

  const std::vector<response_row> back = this->responses(*s);
  ASSERT_EQ(back.size(), 2U);
  EXPECT_EQ(back[0], a);  // answered -5 before 0
  EXPECT_EQ(back[1], b);
  EXPECT_EQ(this->aggregates(*s), std::vector<aggregate_row>{g});
}

TYPED_TEST_P(StoreSuite, ScansInOrderAndFilters) {
  auto s = this->open();
  ASSERT_NE(s, nullptr);
  // Ties on answered_ms order by id bytes: "B" < "a" < "é" (0x42 < 0x61 < 0xC3).
  std::vector<response_row> rows = {response("a", "s1", 300), response("B", "s1", 300), response("é", "s2", 300),
                                    response("c", "s2", 100), response("d", "s1", 200), response("e", "s1", 400),
                                    response("f", "s2", 400),  response("g", "s1", 100)};
  ASSERT_EQ(this->put(*s, rows).size(), rows.size());
  std::vector<response_row> sorted = rows;
  std::sort(sorted.begin(), sorted.end(), [](const response_row& x, const response_row& y) {
    return std::tie(x.answered_ms, x.id) < std::tie(y.answered_ms, y.id);
  });
  // Every combination of filters against the same rows filtered here.
  for (const char* survey : {"", "s1", "s2", "none"}) {
    for (std::optional<std::int64_t> from : {std::optional<std::int64_t>{}, std::optional<std::int64_t>{200}}) {
      for (std::optional<std::int64_t> to : {std::optional<std::int64_t>{}, std::optional<std::int64_t>{400}}) {
        std::vector<response_row> want;
        for (const response_row& r : sorted) {
          if ((*survey == '\0' || r.survey_id == survey) && (!from || r.answered_ms >= *from) &&
              (!to || r.answered_ms < *to)) {
            want.push_back(r);
          }
        }
        EXPECT_EQ(this->responses(*s, {survey, from, to}), want)
            << "survey '" << survey << "' from " << from.value_or(-1) << " to " << to.value_or(-1);
      }
    }
  }

  std::vector<aggregate_row> snaps = {aggregate("b", "1", 20), aggregate("a", "2", 20), aggregate("a", "1", 20),
                                      aggregate("z", "9", 10), aggregate("c", "0", 30)};
  ASSERT_EQ(this->put(*s, {}, {}, snaps).size(), snaps.size());
  auto ids = [](const std::vector<aggregate_row>& v) {
    std::vector<std::string> out;
    for (const aggregate_row& a : v) out.push_back(a.source + "/" + a.id);
    return out;
  };
  EXPECT_EQ(ids(this->aggregates(*s)), (std::vector<std::string>{"z/9", "a/1", "a/2", "b/1", "c/0"}));
  EXPECT_EQ(ids(this->aggregates(*s, 20)), (std::vector<std::string>{"a/1", "a/2", "b/1", "c/0"}));
  EXPECT_EQ(ids(this->aggregates(*s, {}, 30)), (std::vector<std::string>{"z/9", "a/1", "a/2", "b/1"}));
  EXPECT_EQ(ids(this->aggregates(*s, 11, 30)), (std::vector<std::string>{"a/1", "a/2", "b/1"}));
}

TYPED_TEST_P(StoreSuite, StopsAScanWhenAsked) {
  auto s = this->open();
  ASSERT_NE(s, nullptr);
  std::vector<response_row> rows;
  std::vector<aggregate_row> snaps;
  for (int i = 0; i < 600; ++i) {  // more than one batch of a PostgreSQL cursor
    rows.push_back(response("r" + std::to_string(1000 + i), "s1", i));
    snaps.push_back(aggregate("app", std::to_string(1000 + i), i));
  }
  ASSERT_EQ(this->put(*s, rows, {}, snaps).size(), 1200U);
  for (int round = 0; round < 3; ++round) {  // the same connections serve the next scans
    int seen = 0;
    std::string detail;
    ASSERT_TRUE(s->scan_responses({}, [&](const response_row&) { return ++seen < 3; }, detail).ok()) << detail;
    EXPECT_EQ(seen, 3);
    seen = 0;
    ASSERT_TRUE(s->scan_aggregates({}, {}, [&](const aggregate_row&) { return ++seen < 300; }, detail).ok())
        << detail;
    EXPECT_EQ(seen, 300);
  }
  EXPECT_EQ(this->responses(*s).size(), 600U);
}

TYPED_TEST_P(StoreSuite, CountsRowsAndScoreMismatches) {
  auto s = this->open(sync_mode::normal);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(this->count(*s).responses, 0U);
  response_row m1 = response("m1"), m2 = response("m2");
  m1.score_mismatch = m2.score_mismatch = true;
  this->put(*s, {m1, response("ok1"), m2, m1}, {event("e1"), event("e2"), event("e3")},
            {aggregate("a", "1"), aggregate("b", "1")});
  const store_counts c = this->count(*s);
  EXPECT_EQ(c.responses, 3U);
  EXPECT_EQ(c.score_mismatches, 2U);
  EXPECT_EQ(c.events, 3U);
  EXPECT_EQ(c.aggregates, 2U);
}

TYPED_TEST_P(StoreSuite, ReopeningKeepsDataAndMigratesOnce) {
  {
    auto s = this->open();
    ASSERT_NE(s, nullptr);
    this->put(*s, {response("r1")}, {event("e1")}, {aggregate("app", "a1")});
  }
  auto s = this->open(sync_mode::normal);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(this->db_->query_int("SELECT COUNT(*) FROM cxm_schema"), 2);
  EXPECT_EQ(this->db_->query_int("SELECT MAX(version) FROM cxm_schema"), 2);
  EXPECT_EQ(this->count(*s).responses, 1U);
  EXPECT_EQ(this->put(*s, {response("r1")}, {event("e1")}, {aggregate("app", "a1")}), (outcomes{D, D, D}));
}

TYPED_TEST_P(StoreSuite, RefusesASchemaFromANewerBuild) {
  ASSERT_NE(this->open(), nullptr);
  ASSERT_EQ(this->db_->exec("INSERT INTO cxm_schema (version, applied_ms) VALUES (99, 0)"), "");
  result<std::unique_ptr<store>> r = open_store({this->db_->url(), sync_mode::full});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::unsupported_version);
  EXPECT_NE(r.detail().find("schema version 99"), std::string::npos) << r.detail();
  EXPECT_NE(r.detail().find("newer cxm"), std::string::npos) << r.detail();
}

TYPED_TEST_P(StoreSuite, StoresNothingOfAFailedCall) {
  auto s = this->open();
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(this->put(*s, {response("before")}), outcomes{S});
  // An empty id breaks the schema's CHECK: the call fails after storing the rows before it.
  for (int where = 0; where < 3; ++where) {
    std::vector<response_row> rows = {response("n1"), response("n2")};
    std::vector<event_row> events = {event("e1")};
    std::vector<aggregate_row> snaps = {aggregate("app", "a1")};
    if (where == 0) rows.push_back(response(""));
    if (where == 1) events.push_back(event(""));
    if (where == 2) snaps.push_back(aggregate("app", ""));
    outcomes out = {S};
    std::string detail;
    const status st = s->insert(rows, events, snaps, out, detail);
    EXPECT_EQ(st.code(), errc::io_error) << where;
    EXPECT_TRUE(out.empty());
    std::string lower = detail;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_NE(lower.find("check constraint"), std::string::npos) << detail;  // the database's own words
    EXPECT_EQ(detail.find('\n'), std::string::npos) << detail;  // one line, for logs
    const store_counts c = this->count(*s);
    EXPECT_EQ(c.responses, 1U) << where;
    EXPECT_EQ(c.events, 0U) << where;
    EXPECT_EQ(c.aggregates, 0U) << where;
  }
  // The store goes on working, and the rows of the failed calls were never stored.
  EXPECT_EQ(this->put(*s, {response("n1"), response("before")}, {event("e1")}, {aggregate("app", "a1")}),
            (outcomes{S, D, S, S}));
}

/// Threads insert overlapping batches of ids (the same ids, in different orders) through
/// `stores[t % stores.size()]` while a scanner reads; each id is stored exactly once.
template <class Suite>
void insert_from_threads(Suite& suite, const std::vector<store*>& stores) {
  constexpr int ids = 240, threads = 4, batch = 8;
  std::vector<std::atomic<int>> stored(ids);
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < threads; ++t) {
    writers.emplace_back([&, t] {
      store& s = *stores[static_cast<std::size_t>(t) % stores.size()];
      std::vector<int> order(ids);
      for (int i = 0; i < ids; ++i) order[static_cast<std::size_t>(i)] = i;
      std::shuffle(order.begin(), order.end(), std::mt19937(static_cast<unsigned>(t)));
      for (std::size_t at = 0; at < order.size(); at += batch) {
        std::vector<response_row> rows;
        std::vector<aggregate_row> snaps;
        for (std::size_t i = at; i < at + batch && i < order.size(); ++i) {
          rows.push_back(response("id" + std::to_string(order[i]), "s1", order[i]));
          snaps.push_back(aggregate("app", std::to_string(order[i])));
        }
        outcomes out;
        std::string detail;
        status st;
        for (int attempt = 0; attempt < 50; ++attempt) {  // retry_later is the caller's to retry
          st = s.insert(rows, {}, snaps, out, detail);
          if (st.code() != errc::retry_later) break;
        }
        if (!st.ok()) {
          ++failures;
          ADD_FAILURE() << detail;
          continue;
        }
        for (std::size_t i = 0; i < rows.size(); ++i) {
          if (out[i] == S) ++stored[static_cast<std::size_t>(order[at + i])];
        }
      }
    });
  }
  std::thread scanner([&] {
    store& s = *stores[0];
    int scans = 0;
    while (writing || scans == 0) {
      std::int64_t last = -1;
      std::string detail;
      const status st = s.scan_responses({"s1", {}, {}}, [&](const response_row& r) {
        EXPECT_GE(r.answered_ms, last);
        last = r.answered_ms;
        return true;
      }, detail);
      EXPECT_TRUE(st.ok()) << detail;
      store_counts c;
      EXPECT_TRUE(s.counts(c, detail).ok()) << detail;
      EXPECT_LE(c.responses, static_cast<std::uint64_t>(ids));
      ++scans;
    }
  });
  for (std::thread& w : writers) w.join();
  writing = false;
  scanner.join();
  EXPECT_EQ(failures.load(), 0);
  for (int i = 0; i < ids; ++i) EXPECT_EQ(stored[static_cast<std::size_t>(i)].load(), 1) << "id" << i;
  const store_counts c = suite.count(*stores[0]);
  EXPECT_EQ(c.responses, static_cast<std::uint64_t>(ids));
  EXPECT_EQ(c.aggregates, static_cast<std::uint64_t>(ids));
}

TYPED_TEST_P(StoreSuite, ThreadsStoreEachIdOnceWhileAScanRuns) {
  auto s = this->open();
  ASSERT_NE(s, nullptr);
  insert_from_threads(*this, {s.get()});
}

TYPED_TEST_P(StoreSuite, TwoInstancesStoreEachIdOnce) {
  auto one = this->open();
  auto two = this->open();
  ASSERT_NE(one, nullptr);
  ASSERT_NE(two, nullptr);
  insert_from_threads(*this, {one.get(), two.get()});
}

REGISTER_TYPED_TEST_SUITE_P(StoreSuite, StoresOnceAndReportsLaterCallsAsDuplicates,
                            ReportsARepeatWithinOneCallAsDuplicate, ReturnsEveryFieldByteForByte,
                            ScansInOrderAndFilters, StopsAScanWhenAsked, CountsRowsAndScoreMismatches,
                            ReopeningKeepsDataAndMigratesOnce, RefusesASchemaFromANewerBuild,
                            StoresNothingOfAFailedCall, ThreadsStoreEachIdOnceWhileAScanRuns,
                            TwoInstancesStoreEachIdOnce);

}  // namespace test
}  // namespace cxm::server

#endif  // CXM_TESTS_SERVER_STORE_SUITE_HPP
