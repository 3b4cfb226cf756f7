// SPDX-License-Identifier: MIT
// The outbox through the C ABI (cxm/c/outbox.h): every function, payloads read back with the
// test's own Boost.JSON field by field (the format: docs/outbox.md), consent, delivery
// outcomes, persistence across handles, aggregates from a recorder, a locked directory and
// four threads appending through one handle. Misuse: outbox_misuse_test.cpp.
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

TEST(CapiOutboxOptions, InitGivesTheDocumentedDefaults) {
  cxm_outbox_options o;
  std::memset(&o, 0x5a, sizeof o);
  cxm_outbox_options_init(&o);
  EXPECT_EQ(o.max_records, 10000u);
  EXPECT_EQ(o.max_bytes, 16u << 20);
  EXPECT_EQ(o.ttl_ms, 30LL * 24 * 3600 * 1000);
  EXPECT_EQ(o.max_record_bytes, 256u << 10);
  EXPECT_EQ(o.group_commit, 1);
  EXPECT_EQ(o.aggregates_only, 0);
  EXPECT_EQ(o.retry_base_ms, 1000);
  EXPECT_EQ(o.retry_max_ms, 300000);
  cxm_outbox_options_init(nullptr);  // ignored
}

TEST_F(CapiOutbox, RecordsWaitForConsentThenLeaveInOneBatch) {
  const outbox box = open_box(dir.path);
  cxm_consent consent = CXM_CONSENT_GIVEN;
  ASSERT_EQ(cxm_outbox_consent(box.get(), &consent), CXM_OK);
  EXPECT_EQ(consent, CXM_CONSENT_UNKNOWN);

  const std::string response = R"({"survey_id":"checkout","answers":{"nps":9}})";
  const std::string event = R"({"id":"e-1","journey_id":"j-1","type":"step_end","step":"pay"})";
  const std::string rid = append(box.get(), CXM_RECORD_RESPONSE, response);
  const std::string eid = append(box.get(), CXM_RECORD_EVENT, event);
  EXPECT_TRUE(is_uuid7(rid)) << rid;
  EXPECT_TRUE(is_uuid7(eid)) << eid;
  EXPECT_NE(rid, eid);
  EXPECT_EQ(counts_of(box.get()).pending_records, 2u);

  {
    batch b;
    EXPECT_EQ(cxm_outbox_next_batch(box.get(), 64 * 1024, &b.b), CXM_NOT_PERMITTED);  // consent unknown
    EXPECT_TRUE(zeroed(b.b));
  }
  ASSERT_EQ(cxm_outbox_set_consent(box.get(), CXM_CONSENT_GIVEN), CXM_OK);
  ASSERT_EQ(cxm_outbox_consent(box.get(), &consent), CXM_OK);
  EXPECT_EQ(consent, CXM_CONSENT_GIVEN);

  batch b;
  ASSERT_EQ(cxm_outbox_next_batch(box.get(), 64 * 1024, &b.b), CXM_OK) << detail();
  EXPECT_TRUE(is_uuid7(b.b.id)) << b.b.id;
  EXPECT_STREQ(b.b.endpoint, "/v1/responses");
  EXPECT_EQ(b.b.records, 2u);
  EXPECT_EQ(std::strlen(b.b.payload), b.b.payload_len);
  EXPECT_EQ(counts_of(box.get()).in_flight_records, 2u);

  // The payload, field by field: the header, then each record as appended, the response with
  // the id the outbox gave it inserted first, the event with its own id kept.
  const json::object p = b.payload();
  EXPECT_EQ(p.size(), 7u) << json::serialize(p);
  EXPECT_EQ(str(p, "format"), "cxm.batch");
  EXPECT_EQ(p.at("version"), json::value(1));
  EXPECT_EQ(str(p, "batch"), b.b.id);
  EXPECT_EQ(str(p, "source"), source);
  EXPECT_TRUE(is_time_ms(p.at("sent_at"))) << json::serialize(p.at("sent_at"));
  const json::array& responses = p.at("responses").as_array();
  ASSERT_EQ(responses.size(), 1u);
  const json::object& r = responses[0].as_object();
  EXPECT_EQ(r.size(), 3u);
  EXPECT_EQ(r.begin()->key(), "id");  // inserted first
  EXPECT_EQ(str(r, "id"), rid);
  EXPECT_EQ(str(r, "survey_id"), "checkout");
  EXPECT_EQ(r.at("answers"), parse(R"({"nps":9})"));
  const json::array& events = p.at("events").as_array();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], parse(event));  // its own string id is kept, nothing added

  EXPECT_EQ(cxm_outbox_ack(box.get(), b.b.id), CXM_OK) << detail();
  const cxm_outbox_counts c = counts_of(box.get());
  EXPECT_EQ(c.pending_records, 0u);
  EXPECT_EQ(c.pending_bytes, 0u);
  EXPECT_EQ(c.in_flight_records, 0u);
  batch none;
  EXPECT_EQ(cxm_outbox_next_batch(box.get(), 64 * 1024, &none.b), CXM_EMPTY);
}

TEST_F(CapiOutbox, SettlingTwiceOrAnUnknownBatchIsNotFound) {
  const outbox box = open_given(dir.path);
  append(box.get(), CXM_RECORD_RESPONSE, "{}");
  batch b;
  ASSERT_EQ(cxm_outbox_next_batch(box.get(), 4096, &b.b), CXM_OK);
  EXPECT_EQ(cxm_outbox_ack(box.get(), b.b.id), CXM_OK);
  EXPECT_EQ(cxm_outbox_ack(box.get(), b.b.id), CXM_NOT_FOUND);
  EXPECT_NE(detail(), "");
  EXPECT_EQ(cxm_outbox_fail(box.get(), b.b.id, 503, 0), CXM_NOT_FOUND);
  EXPECT_EQ(cxm_outbox_ack(box.get(), "01890a5d-ac96-774b-bcce-b302099a8057"), CXM_NOT_FOUND);
  EXPECT_EQ(cxm_outbox_ack(box.get(), ""), CXM_NOT_FOUND);
  EXPECT_EQ(counts_of(box.get()).pending_records, 0u);
}

TEST_F(CapiOutbox, DeliveryOutcomesRetryHalveOrDropAndCount) {
  cxm_outbox_options o = defaults();
  o.retry_base_ms = 1;  // the first retry after 0.5-1 ms
  o.retry_max_ms = 1;
  const outbox box = open_given(dir.path, &o);
  for (int i = 0; i < 4; ++i) append(box.get(), CXM_RECORD_RESPONSE, R"({"n":)" + std::to_string(i) + "}");

  // 503: the same records come back after the backoff, in a new batch.
  std::string first;
  {
    batch b;
    ASSERT_EQ(cxm_outbox_next_batch(box.get(), 64 * 1024, &b.b), CXM_OK);
    EXPECT_EQ(b.b.records, 4u);
    first = b.b.id;
    ASSERT_EQ(cxm_outbox_fail(box.get(), b.b.id, 503, 0), CXM_OK) << detail();
    EXPECT_EQ(counts_of(box.get()).in_flight_records, 0u);
  }
  batch again;
  ASSERT_EQ(next_when_ready(box.get(), &again.b), CXM_OK) << detail();
  EXPECT_EQ(again.b.records, 4u);
  EXPECT_NE(again.b.id, first);

  // 413 halves the batches; a single record refused with 413 is dropped and counted.
  ASSERT_EQ(cxm_outbox_fail(box.get(), again.b.id, 413, 0), CXM_OK);
  std::size_t size = 4;
  while (size > 1) {
    batch b;
    ASSERT_EQ(next_when_ready(box.get(), &b.b), CXM_OK) << detail();
    EXPECT_EQ(b.b.records, size / 2);
    size = b.b.records;
    ASSERT_EQ(cxm_outbox_fail(box.get(), b.b.id, 413, 0), CXM_OK);
  }
  EXPECT_EQ(counts_of(box.get()).dropped_too_large, 1u);
  EXPECT_EQ(counts_of(box.get()).pending_records, 3u);

  // Another 4xx drops the batch's records and counts them.
  batch b;
  ASSERT_EQ(next_when_ready(box.get(), &b.b), CXM_OK) << detail();
  EXPECT_EQ(cxm_outbox_fail(box.get(), b.b.id, 204, 0), CXM_INVALID_ARGUMENT);  // a success is an ack
  EXPECT_EQ(cxm_outbox_fail(box.get(), b.b.id, 503, -1), CXM_INVALID_ARGUMENT);  // no negative Retry-After
  const std::size_t rejected = b.b.records;
  ASSERT_EQ(cxm_outbox_fail(box.get(), b.b.id, 400, 0), CXM_OK);
  const cxm_outbox_counts c = counts_of(box.get());
  EXPECT_EQ(c.dropped_rejected, rejected);
  EXPECT_EQ(c.pending_records, 3u - rejected);
}

TEST_F(CapiOutbox, BackingOffIsRetryLaterUntilNextAttempt) {
  const outbox box = open_given(dir.path);  // retries after 0.5-1 s
  append(box.get(), CXM_RECORD_EVENT, "{}");
  batch b;
  ASSERT_EQ(cxm_outbox_next_batch(box.get(), 4096, &b.b), CXM_OK);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  ASSERT_EQ(cxm_outbox_fail(box.get(), b.b.id, 0, 0), CXM_OK);  // a network error
  const cxm_outbox_counts c = counts_of(box.get());
  EXPECT_GE(c.next_attempt_ms, now_ms + 400);
  EXPECT_LE(c.next_attempt_ms, now_ms + 60'000);
  batch later;
  EXPECT_EQ(cxm_outbox_next_batch(box.get(), 4096, &later.b), CXM_RETRY_LATER);
  EXPECT_TRUE(zeroed(later.b));
  EXPECT_EQ(c.pending_records, 1u);
}

TEST_F(CapiOutbox, RecordsConsentAndCountersSurviveReopening) {
  std::vector<std::string> ids;
  {
    const outbox box = open_given(dir.path);
    append(box.get(), CXM_RECORD_EVENT, "{}");
    batch refused;
    ASSERT_EQ(cxm_outbox_next_batch(box.get(), 4096, &refused.b), CXM_OK);
    ASSERT_EQ(cxm_outbox_fail(box.get(), refused.b.id, 422, 0), CXM_OK);  // dropped, counted
    for (int i = 0; i < 3; ++i) ids.push_back(append(box.get(), CXM_RECORD_RESPONSE, R"({"i":)" + std::to_string(i) + "}"));
    batch b;  // handed out, never settled: in memory only
    ASSERT_EQ(cxm_outbox_next_batch(box.get(), 4096, &b.b), CXM_OK);
    EXPECT_EQ(b.b.records, 3u);
  }
  const outbox box = open_box(dir.path);
  cxm_consent consent = CXM_CONSENT_UNKNOWN;
  ASSERT_EQ(cxm_outbox_consent(box.get(), &consent), CXM_OK);
  EXPECT_EQ(consent, CXM_CONSENT_GIVEN);
  const cxm_outbox_counts c = counts_of(box.get());
  EXPECT_EQ(c.pending_records, 3u);
  EXPECT_EQ(c.in_flight_records, 0u);
  EXPECT_EQ(c.dropped_rejected, 1u);
  batch b;
  ASSERT_EQ(cxm_outbox_next_batch(box.get(), 4096, &b.b), CXM_OK);
  std::vector<std::string> got;
  const json::object p = b.payload();
  for (const json::value& r : p.at("responses").as_array()) got.push_back(str(r.as_object(), "id"));
  EXPECT_EQ(got, ids);  // oldest first
}

TEST_F(CapiOutbox, RevokedConsentKeepsRecordsUntilPurged) {
  const outbox box = open_given(dir.path);
  append(box.get(), CXM_RECORD_RESPONSE, "{}");
  append(box.get(), CXM_RECORD_RESPONSE, "{}");
  batch out;
  ASSERT_EQ(cxm_outbox_next_batch(box.get(), 4096, &out.b), CXM_OK);

  ASSERT_EQ(cxm_outbox_set_consent(box.get(), CXM_CONSENT_REVOKED), CXM_OK);
  batch b;
  EXPECT_EQ(cxm_outbox_next_batch(box.get(), 4096, &b.b), CXM_NOT_PERMITTED);
  EXPECT_EQ(counts_of(box.get()).pending_records, 2u);  // kept on the device
  ASSERT_EQ(cxm_outbox_purge(box.get()), CXM_OK);
  EXPECT_EQ(counts_of(box.get()).pending_records, 0u);
  EXPECT_EQ(cxm_outbox_ack(box.get(), out.b.id), CXM_NOT_FOUND);  // purged while in flight

  EXPECT_EQ(cxm_outbox_set_consent(box.get(), static_cast<cxm_consent>(3)), CXM_INVALID_ARGUMENT);
  EXPECT_NE(detail().find("consent 3"), std::string::npos) << detail();
  EXPECT_EQ(cxm_outbox_set_consent(box.get(), static_cast<cxm_consent>(1000)), CXM_INVALID_ARGUMENT);
  cxm_consent consent = CXM_CONSENT_GIVEN;
  ASSERT_EQ(cxm_outbox_consent(box.get(), &consent), CXM_OK);
  EXPECT_EQ(consent, CXM_CONSENT_REVOKED);  // unchanged by the refused values
}

TEST_F(CapiOutbox, ASecondHandleOnTheDirectoryIsLocked) {
  outbox first = open_box(dir.path);
  cxm_outbox* second = reinterpret_cast<cxm_outbox*>(&first);
  EXPECT_EQ(open_raw(dir.path, source, nullptr, &second), CXM_LOCKED);
  EXPECT_EQ(second, nullptr);
  EXPECT_NE(detail(), "");
  first.reset();  // releases the directory
  const outbox again = open_box(dir.path);
  EXPECT_NE(again.get(), nullptr);
}

TEST_F(CapiOutbox, AggregatesComeFromARecorderDrainedExactlyOnce) {
  cxm_outbox_options o = defaults();
  o.aggregates_only = 1;
  const outbox box = open_given(dir.path, &o);
  const recorder rec = make_recorder({{"onboarding.nps", CXM_METRIC_NPS}, {"kyc.duration_ms", CXM_METRIC_DURATION}});
  ASSERT_NE(rec, nullptr);
  char id[CXM_OUTBOX_ID_SIZE];
  EXPECT_EQ(cxm_outbox_append_aggregates(box.get(), rec.get(), id), CXM_EMPTY);  // nothing recorded
  EXPECT_STREQ(id, "");

  for (int a : {10, 9, 3}) ASSERT_EQ(cxm_recorder_record_int(rec.get(), 0, a), CXM_OK);
  for (double d : {1200.0, 800.0}) ASSERT_EQ(cxm_recorder_record_duration(rec.get(), 1, d), CXM_OK);
  ASSERT_EQ(cxm_outbox_append_aggregates(box.get(), rec.get(), id), CXM_OK) << detail();
  const std::string aid = id;
  EXPECT_TRUE(is_uuid7(aid));
  EXPECT_EQ(cxm_outbox_append_aggregates(box.get(), rec.get(), id), CXM_EMPTY);  // drained once
  // Raw answers never leave the device in this mode.
  EXPECT_EQ(cxm_outbox_append(box.get(), CXM_RECORD_RESPONSE, "{}", 2, id), CXM_NOT_PERMITTED);

  batch b;
  ASSERT_EQ(cxm_outbox_next_batch(box.get(), 64 * 1024, &b.b), CXM_OK) << detail();
  EXPECT_STREQ(b.b.endpoint, "/v1/aggregates");
  EXPECT_EQ(b.b.records, 1u);
  const json::object p = b.payload();
  EXPECT_EQ(str(p, "format"), "cxm.batch");
  EXPECT_EQ(str(p, "source"), source);
  EXPECT_EQ(p.if_contains("responses"), nullptr);
  const json::array& aggregates = p.at("aggregates").as_array();
  ASSERT_EQ(aggregates.size(), 1u);
  const json::object& a = aggregates[0].as_object();
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(str(a, "id"), aid);
  EXPECT_TRUE(is_time_ms(a.at("captured_at")));
  const json::object& snap = a.at("snapshot").as_object();
  EXPECT_EQ(str(snap, "format"), "cxm.recorder_snapshot");
  const json::array& metrics = snap.at("metrics").as_array();
  ASSERT_EQ(metrics.size(), 2u);
  EXPECT_EQ(str(metrics[0].as_object(), "name"), "onboarding.nps");
  EXPECT_EQ(str(metrics[0].as_object(), "kind"), "nps");
  EXPECT_EQ(metrics[0].at("value").at("counts"), parse("[0,0,0,1,0,0,0,0,0,1,1]"));
  EXPECT_EQ(str(metrics[1].as_object(), "name"), "kyc.duration_ms");
  EXPECT_EQ(metrics[1].at("value").at("count"), json::value(2));
  EXPECT_EQ(metrics[1].at("value").at("sum").to_number<double>(), 2000.0);

  // The same figures as the recorder's own snapshot JSON (everything was drained into it).
  char* own = nullptr;
  std::size_t own_len = 0;
  ASSERT_EQ(cxm_recorder_snapshot_json(rec.get(), &own, &own_len), CXM_OK);
  EXPECT_EQ(parse(take(own, own_len)), a.at("snapshot"));
}

TEST_F(CapiOutbox, FourThreadsAppendThroughOneHandle) {
  const outbox box = open_box(dir.path);
  constexpr std::size_t threads = 4, each = 50;
  std::vector<std::vector<std::string>> ids(threads);
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (std::size_t i = 0; i < each; ++i) {
        const std::string j = R"({"thread":)" + std::to_string(t) + R"(,"i":)" + std::to_string(i) + "}";
        char id[CXM_OUTBOX_ID_SIZE];
        if (cxm_outbox_append(box.get(), CXM_RECORD_RESPONSE, j.data(), j.size(), id) == CXM_OK) ids[t].push_back(id);
      }
    });
  for (std::thread& t : pool) t.join();
  std::set<std::string> all;
  for (const auto& v : ids) {
    EXPECT_EQ(v.size(), each);
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), threads * each);  // unique ids
  EXPECT_EQ(counts_of(box.get()).pending_records, threads * each);

  // Every record is there once, intact, and each thread's records are in its order.
  ASSERT_EQ(cxm_outbox_set_consent(box.get(), CXM_CONSENT_GIVEN), CXM_OK);
  std::vector<std::size_t> next(threads, 0);
  std::set<std::string> seen;
  batch b;
  while (cxm_outbox_next_batch(box.get(), 4096, &b.b) == CXM_OK) {
    const json::object p = b.payload();
    for (const json::value& v : p.at("responses").as_array()) {
      const json::object& r = v.as_object();
      const auto t = r.at("thread").to_number<std::size_t>();
      const auto i = r.at("i").to_number<std::size_t>();
      ASSERT_LT(t, threads);
      ASSERT_EQ(i, next[t]++);
      EXPECT_EQ(str(r, "id"), ids[t][i]);
      EXPECT_TRUE(seen.insert(str(r, "id")).second);
    }
    ASSERT_EQ(cxm_outbox_ack(box.get(), b.b.id), CXM_OK);
    cxm_outbox_batch_free(&b.b);
  }
  EXPECT_EQ(seen, all);
  EXPECT_EQ(counts_of(box.get()).pending_records, 0u);
}
