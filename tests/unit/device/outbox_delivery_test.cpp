// SPDX-License-Identifier: MIT
// Delivery through the outbox: endpoints, the byte budget, TTL expiry, and the outcomes of
// batches (backoff computed by hand under an injected clock and random source, Retry-After,
// 413 halving, 4xx drops, unknown batches and nonsense statuses).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cxm/device/outbox.hpp"
#include "cxm/device/recorder.hpp"
#include "outbox_test_support.hpp"

using namespace outbox_test;
using cxm::errc;
using cxm::record_kind;

TEST(Outbox, ResponsesAndEventsShareABatchAggregatesGoElsewhere) {
  fixture f;
  cxm::outbox box = f.open();
  auto rec = cxm::recorder::make({{"onboarding.nps", cxm::metric_kind::nps, {}, {}}}).value();
  const std::string r1 = append_ok(box, record_kind::response, response_json(1));
  const std::string e1 = append_ok(box, record_kind::event, R"({"journey":"kyc","step":"start"})");
  ASSERT_TRUE(rec.record(0, 9).ok());
  ASSERT_TRUE(rec.record(0, 3).ok());
  f.clock.advance(1234);
  auto agg = box.append_aggregates(rec);
  ASSERT_TRUE(agg.ok()) << agg.detail();
  const std::string r2 = append_ok(box, record_kind::response, response_json(2));
  // Nothing new recorded: nothing to queue.
  EXPECT_EQ(box.append_aggregates(rec).code(), errc::empty);

  // The oldest record chooses the endpoint; the aggregates wait for the next batch.
  cxm::outbox_batch b1 = batch_ok(box);
  EXPECT_EQ(b1.endpoint, "/v1/responses");
  EXPECT_EQ(b1.records, 3u);
  const boost::json::value v1 = parse(b1.payload);
  ASSERT_TRUE(v1.get_object().contains("events"));
  EXPECT_EQ(str(v1.at("responses").as_array()[0].at("id")), r1);
  EXPECT_EQ(str(v1.at("responses").as_array()[1].at("id")), r2);
  EXPECT_EQ(str(v1.at("events").as_array()[0].at("id")), e1);

  cxm::outbox_batch b2 = batch_ok(box);
  EXPECT_EQ(b2.endpoint, "/v1/aggregates");
  EXPECT_EQ(b2.records, 1u);
  const boost::json::value v2 = parse(b2.payload);
  EXPECT_FALSE(v2.get_object().contains("responses"));
  const boost::json::object& a = v2.at("aggregates").as_array()[0].as_object();
  std::vector<std::string> keys;
  for (const auto& kv : a) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "captured_at", "snapshot"}));
  EXPECT_EQ(str(a.at("id")), *agg);
  EXPECT_EQ(str(a.at("captured_at")), "2025-10-09T08:53:21.234Z");
  EXPECT_EQ(str(a.at("snapshot").at("format")), "cxm.recorder_snapshot");
  // The snapshot decodes to what was recorded.
  auto snapshot = cxm::recorder_snapshot_from_json(boost::json::serialize(a.at("snapshot")));
  ASSERT_TRUE(snapshot.ok()) << snapshot.detail();
  EXPECT_EQ(std::get<cxm::nps_tally>(snapshot->values[0]).total(), 2u);
  EXPECT_TRUE(box.ack(b1.id).ok());
  EXPECT_TRUE(box.ack(b2.id).ok());
}

TEST(Outbox, BatchesStayWithinTheByteBudgetButTakeAtLeastOneRecord) {
  fixture f;
  cxm::outbox box = f.open();
  for (int i = 0; i < 20; ++i) append_ok(box, record_kind::response, response_json(i));
  std::vector<std::int64_t> seqs;
  std::size_t batches = 0;
  for (;;) {
    auto b = box.next_batch(1024);
    if (!b) {
      EXPECT_EQ(b.code(), errc::empty);
      break;
    }
    ++batches;
    EXPECT_LE(b->payload.size(), 1024u);
    EXPECT_GE(b->records, 1u);
    for (const auto& r : records_of(b->payload)) seqs.push_back(seq_of(r));
    EXPECT_EQ(records_of(b->payload).size(), b->records);
  }
  // About 350 bytes per record with its id: two per KiB, in order, each once.
  EXPECT_EQ(batches, 10u);
  ASSERT_EQ(seqs.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(seqs[static_cast<std::size_t>(i)], i);

  // A record larger than the budget still goes, alone.
  fixture g;
  cxm::outbox big = g.open();
  append_ok(big, record_kind::response, R"({"text":")" + std::string(3000, 'x') + R"("})");
  append_ok(big, record_kind::response, response_json(0));
  auto b = big.next_batch(1024);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->records, 1u);
  EXPECT_GT(b->payload.size(), 3000u);
  EXPECT_EQ(big.next_batch(1000).code(), errc::invalid_argument);  // under the 1024 minimum
}

TEST(Outbox, ExpiredRecordsAreDroppedAndCounted) {
  fixture f;
  f.options.ttl_ms = 60'000;
  cxm::outbox box = f.open();
  append_ok(box, record_kind::response, response_json(0));  // captured at t0
  f.clock.advance(30'000);
  append_ok(box, record_kind::response, response_json(1));  // t0 + 30 s
  f.clock.advance(30'000);
  // t0 + 60 s: the first is exactly 60 s old, not older: both stay.
  EXPECT_EQ(box.counts().pending_records, 2u);
  cxm::outbox_batch b = batch_ok(box);
  EXPECT_EQ(b.records, 2u);
  ASSERT_TRUE(box.fail(b.id, 0, 0).ok());  // back to pending; retry in 500 ms (random 0)
  f.clock.advance(1000);  // t0 + 61 s: the first expires
  b = batch_ok(box);
  EXPECT_EQ(b.records, 1u);
  EXPECT_EQ(seq_of(records_of(b.payload)[0]), 1);
  EXPECT_EQ(box.counts().dropped_ttl, 1u);
  EXPECT_EQ(box.counts().pending_records, 1u);
}

TEST(Outbox, BackoffFollowsTheScheduleWithJitterAndRetryAfter) {
  fixture f;  // retry_base_ms 1000, retry_max_ms 8000
  cxm::outbox box = f.open();
  append_ok(box, record_kind::response, response_json(0));
  const std::uint64_t all_ones = std::numeric_limits<std::uint64_t>::max();

  // Failure 1, random 0 (jitter factor 0.5): min(8000, 1000 * 2^0) * 0.5 = 500 ms.
  cxm::outbox_batch b = batch_ok(box);
  f.random.set(0);
  ASSERT_TRUE(box.fail(b.id, 503, 0).ok());
  EXPECT_EQ(box.counts().next_attempt_ms, t0 + 500);
  EXPECT_EQ(box.counts().in_flight_records, 0u);
  f.clock.set(t0 + 499);
  auto later = box.next_batch(4096);
  EXPECT_EQ(later.code(), errc::retry_later);
  EXPECT_NE(later.detail().find("2025-10-09T08:53:20.500Z"), std::string::npos) << later.detail();
  f.clock.set(t0 + 500);

  // Failure 2 (network error), random 2^63: the top 53 bits are 2^52, factor 0.5 + 0.5 *
  // 2^52 / (2^53 - 1) = 0.75 (plus 3e-17): 2000 * 0.75 = 1500 ms -> t0 + 2000.
  b = batch_ok(box);
  f.random.set(std::uint64_t{1} << 63);
  ASSERT_TRUE(box.fail(b.id, 0, 0).ok());
  EXPECT_EQ(box.counts().next_attempt_ms, t0 + 2000);
  f.clock.set(t0 + 2000);

  // Failure 3 (429), random 0: 4000 * 0.5 = 2000 ms, but Retry-After 10 s is longer -> t0 + 12000.
  b = batch_ok(box);
  f.random.set(0);
  ASSERT_TRUE(box.fail(b.id, 429, 10'000).ok());
  EXPECT_EQ(box.counts().next_attempt_ms, t0 + 12'000);
  f.clock.set(t0 + 12'000);

  // Failure 4 (500), random all ones (factor 1): min(8000, 8000) = 8000 ms -> t0 + 20000.
  b = batch_ok(box);
  f.random.set(all_ones);
  ASSERT_TRUE(box.fail(b.id, 500, 0).ok());
  EXPECT_EQ(box.counts().next_attempt_ms, t0 + 20'000);
  f.clock.set(t0 + 20'000);

  // Failure 5 (a 307 redirect the app did not follow): min(8000, 16000) = 8000 -> t0 + 28000.
  b = batch_ok(box);
  ASSERT_TRUE(box.fail(b.id, 307, 0).ok());
  EXPECT_EQ(box.counts().next_attempt_ms, t0 + 28'000);
  f.clock.set(t0 + 28'000);

  // Failure 6 (408), random 0: 8000 * 0.5 = 4000 -> t0 + 32000. Retries never run out.
  b = batch_ok(box);
  f.random.set(0);
  ASSERT_TRUE(box.fail(b.id, 408, 0).ok());
  EXPECT_EQ(box.counts().next_attempt_ms, t0 + 32'000);
  f.clock.set(t0 + 32'000);

  // An ack resets the schedule: no wait after the next failure's... nothing pending now.
  b = batch_ok(box);
  ASSERT_TRUE(box.ack(b.id).ok());
  EXPECT_EQ(box.counts().next_attempt_ms, 0);
  append_ok(box, record_kind::response, response_json(1));
  b = batch_ok(box);
  ASSERT_TRUE(box.fail(b.id, 502, 0).ok());  // failure 1 again: 500 ms
  EXPECT_EQ(box.counts().next_attempt_ms, t0 + 32'500);
}

TEST(Outbox, Status413HalvesTheBatchAndDropsASingleRecord) {
  fixture f;
  cxm::outbox box = f.open();
  for (int i = 0; i < 10; ++i) append_ok(box, record_kind::response, response_json(i));
  // 10 -> 413 -> limit 5 -> 413 -> 2 -> 413 -> 1 -> 413: that one record is dropped.
  for (std::size_t expected : {10u, 5u, 2u, 1u}) {
    cxm::outbox_batch b = batch_ok(box);
    EXPECT_EQ(b.records, expected);
    ASSERT_TRUE(box.fail(b.id, 413, 0).ok());
    EXPECT_EQ(box.counts().next_attempt_ms, 0);  // no backoff: a smaller batch goes at once
  }
  EXPECT_EQ(box.counts().dropped_too_large, 1u);
  EXPECT_EQ(box.counts().pending_records, 9u);
  // Each ack doubles the limit back toward 500: 1, 2, 4, then the last 2.
  for (std::size_t expected : {1u, 2u, 4u, 2u}) {
    cxm::outbox_batch b = batch_ok(box);
    EXPECT_EQ(b.records, expected);
    ASSERT_TRUE(box.ack(b.id).ok());
  }
  EXPECT_EQ(box.counts().pending_records, 0u);
}

TEST(Outbox, OtherClientErrorsDropTheBatch) {
  fixture f;
  cxm::outbox box = f.open();
  for (int status : {400, 404, 422}) {
    for (int i = 0; i < 3; ++i) append_ok(box, record_kind::response, response_json(i));
    cxm::outbox_batch b = batch_ok(box);
    ASSERT_TRUE(box.fail(b.id, status, 0).ok());
  }
  EXPECT_EQ(box.counts().dropped_rejected, 9u);
  EXPECT_EQ(box.counts().pending_records, 0u);
  EXPECT_EQ(box.counts().next_attempt_ms, 0);
}

TEST(Outbox, OutcomesOfUnknownBatchesAndNonsenseStatuses) {
  fixture f;
  cxm::outbox box = f.open();
  append_ok(box, record_kind::response, response_json(0));
  cxm::outbox_batch b = batch_ok(box);
  for (int status : {200, 204, 100, -1, 99, 600, 1000})
    EXPECT_EQ(box.fail(b.id, status, 0).code(), errc::invalid_argument) << status;
  EXPECT_EQ(box.fail(b.id, 503, -5).code(), errc::invalid_argument);
  EXPECT_EQ(box.counts().in_flight_records, 1u);  // nothing changed
  EXPECT_EQ(box.ack("0190c1a2-0000-7000-8000-000000000000").code(), errc::not_found);
  EXPECT_EQ(box.fail("not a batch", 503, 0).code(), errc::not_found);
  ASSERT_TRUE(box.ack(b.id).ok());
  EXPECT_EQ(box.ack(b.id).code(), errc::not_found);
  EXPECT_EQ(box.fail(b.id, 503, 0).code(), errc::not_found);
}
