// SPDX-License-Identifier: MIT
// The outbox as an app uses it: append and the record checks, a batch read back field by field,
// consent, the aggregates-only mode, purge, caps with their counters, restarts, segments, and
// appends from several threads. Delivery outcomes: outbox_delivery_test.cpp; damaged files and
// failing disks: outbox_faults_test.cpp.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cxm/device/outbox.hpp"
#include "cxm/device/recorder.hpp"
#include "outbox_test_support.hpp"

using namespace outbox_test;
using cxm::errc;
using cxm::record_kind;


// ---- the round trip ----------------------------------------------------------------------------

TEST(Outbox, AppendBatchAckRoundTrip) {
  fixture f;
  cxm::outbox box = f.open();
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(append_ok(box, record_kind::response, response_json(i)));
  EXPECT_EQ(box.counts().pending_records, 3u);
  EXPECT_EQ(box.counts().pending_bytes, 3 * response_json(0).size());

  cxm::outbox_batch b = batch_ok(box);
  EXPECT_EQ(b.endpoint, "/v1/responses");
  EXPECT_EQ(b.records, 3u);
  EXPECT_EQ(b.id.size(), 36u);
  EXPECT_EQ(box.counts().in_flight_records, 3u);

  // The payload, field by field, in the documented order.
  const boost::json::value v = parse(b.payload);
  const boost::json::object& o = v.get_object();
  std::vector<std::string> keys;
  for (const auto& kv : o) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"format", "version", "batch", "source", "sent_at", "responses"}));
  EXPECT_EQ(str(o.at("format")), "cxm.batch");
  EXPECT_EQ(o.at("version").as_int64(), 1);
  EXPECT_EQ(str(o.at("batch")), b.id);
  EXPECT_EQ(str(o.at("source")), "install-7f3a");
  EXPECT_EQ(str(o.at("sent_at")), "2025-10-09T08:53:20.000Z");
  const boost::json::array& responses = o.at("responses").as_array();
  ASSERT_EQ(responses.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const boost::json::object& r = responses[i].as_object();
    // The record's id is inserted as the first member, the app's members follow unchanged.
    EXPECT_EQ(r.begin()->key(), "id");
    EXPECT_EQ(str(r.at("id")), ids[i]);
    boost::json::object original = parse(response_json(static_cast<int>(i))).as_object();
    boost::json::object without_id = r;
    without_id.erase("id");
    EXPECT_EQ(without_id, original);
  }

  ASSERT_TRUE(box.ack(b.id).ok());
  const cxm::outbox_counts c = box.counts();
  EXPECT_EQ(c.pending_records, 0u);
  EXPECT_EQ(c.pending_bytes, 0u);
  EXPECT_EQ(c.in_flight_records, 0u);
  EXPECT_EQ(box.next_batch(1u << 20).code(), errc::empty);
}

TEST(Outbox, RecordIdsAreIncreasingUuid7s) {
  fixture f;
  cxm::outbox box = f.open();
  std::string last;
  for (int i = 0; i < 50; ++i) {
    if (i == 25) f.clock.set(t0 - 3'600'000);  // the clock goes back an hour
    const std::string id = append_ok(box, record_kind::event, R"({"e":1})");
    EXPECT_EQ(id[14], '7');
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos);
    EXPECT_GT(id, last);
    last = id;
  }
}

TEST(Outbox, InsertsAnIdOnlyWhenTheRecordHasNoStringId) {
  fixture f;
  cxm::outbox box = f.open();
  const std::string own = append_ok(box, record_kind::response, R"({"id":"resp-42","answers":{"nps":9}})");
  const std::string empty = append_ok(box, record_kind::response, "{}");
  const std::string spaced = append_ok(box, record_kind::response, " \n{ \"a\" : [1, 2] }\t\r\n");
  const std::string inner_space = append_ok(box, record_kind::response, "{ }");
  cxm::outbox_batch b = batch_ok(box);
  const auto records = records_of(b.payload);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0], parse(R"({"id":"resp-42","answers":{"nps":9}})").as_object());  // its own id kept
  EXPECT_NE(own, "resp-42");  // the record id still exists (settling uses it)
  EXPECT_EQ(records[1], parse(R"({"id":")" + empty + R"("})").as_object());
  EXPECT_EQ(records[2], parse(R"({"id":")" + spaced + R"(","a":[1,2]})").as_object());
  EXPECT_EQ(records[3], parse(R"({"id":")" + inner_space + R"("})").as_object());
  // Leading and trailing whitespace is not stored; the inside of the object is kept as given.
  EXPECT_NE(b.payload.find(R"({"id":")" + spaced + R"(", "a" : [1, 2] })"), std::string::npos);
}

TEST(Outbox, RefusesRecordsThatAreNotOneStrictJsonObject) {
  fixture f;
  f.options.max_record_bytes = 1000;
  cxm::outbox box = f.open();
  const struct {
    std::string json;
    errc code;
  } cases[] = {
      {"[1,2]", errc::wrong_type},
      {"\"text\"", errc::wrong_type},
      {"{\"a\":1", errc::parse_error},
      {"{\"a\":1} {}", errc::parse_error},
      {"", errc::parse_error},
      {"{\"a\":\"\xff\"}", errc::invalid_utf8},
      {"{\"a\":1,\"a\":2}", errc::duplicate_key},
      {"{\"a\":1e999}", errc::not_finite},
      {"{\"id\":5}", errc::wrong_type},
      {"{\"a\":\"" + std::string(1000, 'x') + "\"}", errc::too_large},
      {std::string(40, '[') + std::string(40, ']'), errc::too_deep},
  };
  for (const auto& c : cases) {
    auto r = box.append(record_kind::response, c.json);
    EXPECT_EQ(r.code(), c.code) << c.json << " -> " << (r.ok() ? "ok" : r.detail());
  }
  EXPECT_EQ(box.append(static_cast<record_kind>(7), "{}").code(), errc::invalid_argument);
  // Aggregates must be recorder snapshots.
  EXPECT_FALSE(box.append(record_kind::aggregates, R"({"a":1})").ok());
  EXPECT_EQ(box.counts().pending_records, 0u);
}

// ---- endpoints and the batch budget ----------------------------------------------------------

TEST(Outbox, AFailedAggregatesAppendPutsTheSnapshotBack) {
  fixture f;
  f.options.max_record_bytes = 64;  // smaller than any snapshot
  cxm::outbox box = f.open();
  auto rec = cxm::recorder::make({{"onboarding.nps", cxm::metric_kind::nps, {}, {}}}).value();
  ASSERT_TRUE(rec.record(0, 10).ok());
  EXPECT_EQ(box.append_aggregates(rec).code(), errc::too_large);
  // Nothing was lost: the next drain still holds the answer.
  const cxm::recorder_snapshot s = rec.drain();
  EXPECT_EQ(std::get<cxm::nps_tally>(s.values[0]).total(), 1u);
}

// ---- consent and modes -------------------------------------------------------------------------

TEST(Outbox, NothingIsOfferedWithoutConsentAndConsentPersists) {
  fixture f;
  {
    cxm::outbox box = f.open(false);
    EXPECT_EQ(box.consent(), cxm::consent_state::unknown);
    append_ok(box, record_kind::response, response_json(0));  // kept meanwhile
    EXPECT_EQ(box.next_batch(4096).code(), errc::not_permitted);
    ASSERT_TRUE(box.set_consent(cxm::consent_state::given).ok());
    auto b = box.next_batch(4096);
    ASSERT_TRUE(b.ok());
    ASSERT_TRUE(box.fail(b->id, 503, 0).ok());
    ASSERT_TRUE(box.set_consent(cxm::consent_state::revoked).ok());
    f.clock.advance(60'000);
    EXPECT_EQ(box.next_batch(4096).code(), errc::not_permitted);
    EXPECT_EQ(box.counts().pending_records, 1u);  // revoking keeps the records
    EXPECT_EQ(box.set_consent(static_cast<cxm::consent_state>(9)).code(), errc::invalid_argument);
  }
  cxm::outbox again = f.open(false);
  EXPECT_EQ(again.consent(), cxm::consent_state::revoked);
  EXPECT_EQ(again.counts().pending_records, 1u);
}

TEST(Outbox, AggregatesOnlyRefusesRawRecords) {
  fixture f;
  f.options.aggregates_only = true;
  cxm::outbox box = f.open();
  EXPECT_EQ(box.append(record_kind::response, response_json(0)).code(), errc::not_permitted);
  EXPECT_EQ(box.append(record_kind::event, "{}").code(), errc::not_permitted);
  auto rec = cxm::recorder::make({{"onboarding.nps", cxm::metric_kind::nps, {}, {}}}).value();
  ASSERT_TRUE(rec.record(0, 7).ok());
  ASSERT_TRUE(box.append_aggregates(rec).ok());
  cxm::outbox_batch b = batch_ok(box);
  EXPECT_EQ(b.endpoint, "/v1/aggregates");
  EXPECT_EQ(b.records, 1u);
}

TEST(Outbox, PurgeDeletesEverythingInFlightIncluded) {
  fixture f;
  {
    cxm::outbox box = f.open();
    for (int i = 0; i < 5; ++i) append_ok(box, record_kind::response, response_json(i));
    cxm::outbox_batch b = batch_ok(box, 1024);  // two records in flight
    EXPECT_EQ(box.counts().in_flight_records, 2u);
    ASSERT_TRUE(box.purge().ok());
    const cxm::outbox_counts c = box.counts();
    EXPECT_EQ(c.pending_records, 0u);
    EXPECT_EQ(c.pending_bytes, 0u);
    EXPECT_EQ(c.in_flight_records, 0u);
    EXPECT_EQ(box.ack(b.id).code(), errc::not_found);
    EXPECT_EQ(box.next_batch(4096).code(), errc::empty);
    EXPECT_EQ(segments(f.dir).size(), 1u);  // only the new active segment
    // The outbox goes on working.
    append_ok(box, record_kind::response, response_json(9));
  }
  cxm::outbox again = f.open();
  const std::vector<std::string> ids = take_all(again, true);
  ASSERT_EQ(ids.size(), 1u);
}

// ---- TTL and caps ------------------------------------------------------------------------------

TEST(Outbox, CapsDropTheOldestRecordsAndCountThem) {
  fixture f;
  f.options.max_records = 3;
  {
    cxm::outbox box = f.open(false);
    for (int i = 0; i < 5; ++i) append_ok(box, record_kind::response, response_json(i));
    EXPECT_EQ(box.counts().pending_records, 3u);
    EXPECT_EQ(box.counts().dropped_cap, 2u);
  }
  cxm::outbox box = f.open();
  EXPECT_EQ(box.counts().dropped_cap, 2u);  // persisted
  std::vector<std::int64_t> seqs;
  cxm::outbox_batch b = batch_ok(box);
  for (const auto& r : records_of(b.payload)) seqs.push_back(seq_of(r));
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{2, 3, 4}));

  // Records in flight are not dropped: the queue stays over the cap until they settle.
  append_ok(box, record_kind::response, response_json(5));
  EXPECT_EQ(box.counts().pending_records, 4u);
  EXPECT_EQ(box.counts().dropped_cap, 2u);
  ASSERT_TRUE(box.fail(b.id, 503, 0).ok());
  append_ok(box, record_kind::response, response_json(6));
  EXPECT_EQ(box.counts().pending_records, 3u);
  EXPECT_EQ(box.counts().dropped_cap, 4u);

  // The byte cap.
  fixture g;
  g.options.max_record_bytes = 400;
  g.options.max_bytes = 1000;  // room for three records of about 300 bytes
  cxm::outbox small = g.open(false);
  for (int i = 0; i < 5; ++i) append_ok(small, record_kind::response, response_json(i));
  EXPECT_EQ(small.counts().pending_records, 3u);
  EXPECT_LE(small.counts().pending_bytes, 1000u);
  EXPECT_EQ(small.counts().dropped_cap, 2u);
}

// ---- restarts ----------------------------------------------------------------------------------

TEST(Outbox, ARestartKeepsPendingRecordsAndCounters) {
  fixture f;
  std::vector<std::string> kept;
  {
    cxm::outbox box = f.open();
    for (int i = 0; i < 5; ++i) kept.push_back(append_ok(box, record_kind::response, response_json(i)));
    cxm::outbox_batch b = batch_ok(box, 1024);  // records 0 and 1
    ASSERT_EQ(b.records, 2u);
    ASSERT_TRUE(box.fail(b.id, 400, 0).ok());
    kept.erase(kept.begin(), kept.begin() + 2);
  }
  cxm::outbox box = f.open(false);
  EXPECT_EQ(box.consent(), cxm::consent_state::given);
  const cxm::outbox_counts c = box.counts();
  EXPECT_EQ(c.pending_records, 3u);
  EXPECT_EQ(c.pending_bytes, 3 * response_json(0).size());
  EXPECT_EQ(c.dropped_rejected, 2u);
  EXPECT_EQ(c.corrupt_skipped, 0u);
  EXPECT_EQ(take_all(box, true), kept);
  // New ids continue after the recovered ones.
  EXPECT_GT(append_ok(box, record_kind::event, "{}"), kept.back());
}

TEST(Outbox, BatchesInFlightAtARestartAreOfferedAgain) {
  fixture f;
  std::vector<std::string> ids;
  std::string old_batch;
  {
    cxm::outbox box = f.open();
    for (int i = 0; i < 3; ++i) ids.push_back(append_ok(box, record_kind::response, response_json(i)));
    old_batch = batch_ok(box).id;
    EXPECT_EQ(box.counts().in_flight_records, 3u);
  }  // the app was killed before the collector answered
  cxm::outbox box = f.open();
  EXPECT_EQ(box.counts().pending_records, 3u);
  EXPECT_EQ(box.counts().in_flight_records, 0u);
  EXPECT_EQ(box.ack(old_batch).code(), errc::not_found);
  // At least once: the same records, with the same ids, so the collector can drop duplicates.
  EXPECT_EQ(take_all(box, true), ids);
}

TEST(Outbox, SegmentsRollOverAndGoOnceDelivered) {
  fixture f;
  f.options.max_record_bytes = 300u << 10;
  cxm::outbox box = f.open();
  const std::string big = R"({"blob":")" + std::string(200u << 10, 'b') + R"("})";
  for (int i = 0; i < 12; ++i) append_ok(box, record_kind::response, big);
  EXPECT_GE(segments(f.dir).size(), 3u);  // about five records per MiB
  EXPECT_EQ(take_all(box, true, 8u << 20).size(), 12u);
  EXPECT_EQ(segments(f.dir).size(), 1u);  // the active one stays
  EXPECT_EQ(box.counts().pending_bytes, 0u);
}

// ---- options and threads -----------------------------------------------------------------------

TEST(Outbox, RejectsBadOptions) {
  temp_dir dir;
  const auto code = [&](auto change) {
    cxm::outbox_options o = options_for(dir);
    change(o);
    auto r = cxm::outbox::open(o);
    return r.code();
  };
  EXPECT_EQ(code([](auto& o) { o.directory.clear(); }), errc::invalid_argument);
  EXPECT_EQ(code([](auto& o) { o.source.clear(); }), errc::invalid_argument);
  EXPECT_EQ(code([](auto& o) { o.source = std::string(129, 'a'); }), errc::invalid_argument);
  EXPECT_EQ(code([](auto& o) { o.source = "line\nbreak"; }), errc::invalid_argument);
  EXPECT_EQ(code([](auto& o) { o.max_records = 0; }), errc::invalid_argument);
  EXPECT_EQ(code([](auto& o) { o.max_bytes = 1000; }), errc::invalid_argument);  // < max_record_bytes
  EXPECT_EQ(code([](auto& o) { o.max_record_bytes = 9u << 20; o.max_bytes = 64u << 20; }), errc::invalid_argument);
  EXPECT_EQ(code([](auto& o) { o.ttl_ms = 0; }), errc::invalid_argument);
  EXPECT_EQ(code([](auto& o) { o.retry_base_ms = 0; }), errc::invalid_argument);
  EXPECT_EQ(code([](auto& o) { o.retry_max_ms = 10; }), errc::invalid_argument);
  EXPECT_EQ(code([&](auto& o) { o.directory = dir.root + "/no/such/parent"; }), errc::io_error);
}

TEST(Outbox, ASecondOutboxOnTheSameDirectoryIsLocked) {
  fixture f;
  cxm::outbox box = f.open();
  auto second = cxm::outbox::open(f.options);
  EXPECT_EQ(second.code(), errc::locked);
  EXPECT_NE(second.detail().find(f.dir.path), std::string::npos) << second.detail();
  {
    cxm::outbox moved = std::move(box);  // the lock moves with the object
    EXPECT_EQ(cxm::outbox::open(f.options).code(), errc::locked);
  }
  EXPECT_TRUE(cxm::outbox::open(f.options).ok());  // released when the object is destroyed
}

TEST(Outbox, OneFsyncPerAppendWithoutGroupCommit) {
  fixture f;
  f.options.group_commit = false;
  cxm::outbox box = f.open();
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(append_ok(box, record_kind::response, response_json(i)));
  EXPECT_EQ(take_all(box, true), ids);
}

TEST(Outbox, ConcurrentAppendsFromFourThreads) {
  for (bool group : {true, false}) {
    fixture f;
    f.options.group_commit = group;
    cxm::outbox box = f.open();
    constexpr int threads = 4;
    constexpr int per_thread = 150;
    std::vector<std::vector<std::string>> ids(threads);
    std::vector<std::thread> pool;
    std::atomic<int> done{0};
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        for (int i = 0; i < per_thread; ++i) {
          auto id = box.append(record_kind::response, response_json(t * per_thread + i));
          if (id) ids[static_cast<std::size_t>(t)].push_back(*id);
        }
        ++done;
      });
    // Delivery runs meanwhile, as an app's sender thread would, until the appenders are done
    // and nothing is left (or a minute passes).
    std::set<std::string> delivered;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (std::chrono::steady_clock::now() < deadline) {
      const bool finished = done.load() == threads;
      auto b = box.next_batch(64u << 10);
      if (!b) {
        if (b.code() != errc::empty) {
          ADD_FAILURE() << b.detail();  // no ASSERT: the threads must be joined
          break;
        }
        if (finished) break;
        std::this_thread::yield();
        continue;
      }
      for (const auto& r : records_of(b->payload)) EXPECT_TRUE(delivered.insert(str(r.at("id"))).second);
      EXPECT_TRUE(box.ack(b->id).ok());
    }
    for (auto& t : pool) t.join();
    std::set<std::string> appended;
    for (const auto& v : ids) {
      EXPECT_EQ(v.size(), static_cast<std::size_t>(per_thread));
      EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));  // one thread's ids increase
      appended.insert(v.begin(), v.end());
    }
    EXPECT_EQ(appended.size(), static_cast<std::size_t>(threads * per_thread));
    EXPECT_EQ(delivered, appended);
    EXPECT_EQ(box.counts().pending_records, 0u);
  }
}

TEST(Outbox, EveryMemberAtOnceFromSeveralThreads) {
  // Appends that roll segments over, deliveries with acks and 413s, counts and consent reads,
  // all at once (the tsan preset runs this under ThreadSanitizer); every record is delivered
  // exactly once.
  fixture f;
  f.options.max_record_bytes = 64u << 10;
  cxm::outbox box = f.open();
  constexpr int threads = 3;
  constexpr int per_thread = 60;
  const std::string big = R"({"blob":")" + std::string(60u << 10, 'b') + R"("})";
  std::vector<std::vector<std::string>> ids(threads);
  std::atomic<int> done{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        auto id = box.append(i % 3 == 0 ? record_kind::event : record_kind::response,
                             i % 4 == 0 ? big : response_json(i));
        if (id) ids[static_cast<std::size_t>(t)].push_back(*id);
      }
      ++done;
    });
  std::atomic<bool> stop{false};
  std::thread reader([&] {
    while (!stop.load()) {
      const cxm::outbox_counts c = box.counts();
      EXPECT_LE(c.in_flight_records, c.pending_records);
      EXPECT_EQ(box.consent(), cxm::consent_state::given);
    }
  });
  std::multiset<std::string> delivered;
  int round = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (std::chrono::steady_clock::now() < deadline) {
    const bool finished = done.load() == threads;
    auto b = box.next_batch(256u << 10);
    if (!b) {
      if (b.code() != errc::empty || finished) break;
      std::this_thread::yield();
      continue;
    }
    if (b->records > 1 && ++round % 3 == 0) {
      EXPECT_TRUE(box.fail(b->id, 413, 0).ok());  // half as many next time, nothing lost
      continue;
    }
    for (const auto& r : records_of(b->payload)) delivered.insert(str(r.at("id")));
    EXPECT_TRUE(box.ack(b->id).ok());
  }
  stop = true;
  reader.join();
  for (auto& t : pool) t.join();
  std::multiset<std::string> appended;
  for (const auto& v : ids) appended.insert(v.begin(), v.end());
  EXPECT_EQ(appended.size(), static_cast<std::size_t>(threads * per_thread));
  EXPECT_EQ(delivered, appended);
  EXPECT_EQ(box.counts().pending_records, 0u);
  EXPECT_EQ(segments(f.dir).size(), 1u);
}

TEST(Outbox, TheSettledLogIsCompacted) {
  // 20,000 acknowledged records list 320 KB of ids in the settled log, past the 256 KiB at
  // which it is rewritten with only the ids of segments that still exist.
  fixture f;
  f.options.max_records = 100000;
  cxm::outbox box = f.open();
  const std::string record = R"({"answers":{"nps":9},"pad":")" + std::string(64, 'p') + R"("})";
  std::vector<std::thread> pool;
  for (int t = 0; t < 8; ++t)
    pool.emplace_back([&] {
      for (int i = 0; i < 2500; ++i) EXPECT_TRUE(box.append(record_kind::response, record).ok());
    });
  for (auto& t : pool) t.join();
  ASSERT_EQ(box.counts().pending_records, 20000u);
  EXPECT_GE(segments(f.dir).size(), 3u);
  EXPECT_EQ(take_all(box, true).size(), 20000u);
  EXPECT_LT(size_of_file(f.dir.file("settled.log")), 256u << 10);
  EXPECT_EQ(segments(f.dir).size(), 1u);
  append_ok(box, record_kind::response, record);
  { cxm::outbox closing = std::move(box); }
  cxm::outbox again = f.open();
  EXPECT_EQ(again.counts().pending_records, 1u);
  EXPECT_EQ(again.counts().corrupt_skipped, 0u);
}
