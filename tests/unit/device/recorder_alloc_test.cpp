// SPDX-License-Identifier: MIT
// Recording into a recorder does not allocate once the thread has its shard: this program
// replaces the global operator new with a counting one (hence a program of its own) and records
// answers, numbers, durations and rejections, across drains (which swap the shard's sketches
// for spares) and while alternating between two recorders.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include "counting_new.hpp"
#include "cxm/device/recorder.hpp"

using cxm_test::allocations;

namespace {

cxm::recorder three() {
  return cxm::recorder::make({{"nps", cxm::metric_kind::nps, {}, {}},
                              {"ces", cxm::metric_kind::scale, cxm::scale::ces7(), {}},
                              {"ms", cxm::metric_kind::duration, {}, {}}})
      .value();
}

// One round of every kind of record, rejections included.
void record_round(cxm::recorder& rec, int i) {
  (void)rec.record(0, i % 13 - 1);
  (void)rec.record(0, i % 3 == 0 ? 9.5 : 7.0);
  (void)rec.record(1, static_cast<double>(i % 9));
  (void)rec.record(1, i % 8);
  (void)rec.record_duration(2, i % 97 == 0 ? -1.0 : 1.0 + (i % 5000) * 3.7);
  (void)rec.record_duration(2, i % 101 == 0 ? std::numeric_limits<double>::quiet_NaN() : 1e-3 * i);
  (void)rec.record(2, 1);  // the wrong kind: refused, no allocation either
}

}  // namespace

TEST(RecorderAlloc, CountingOperatorNewIsInstalled) {
  const std::size_t before = allocations.load();
  auto* v = new std::vector<int>(10);
  delete v;
  EXPECT_GE(allocations.load() - before, 2u);
}

TEST(RecorderAlloc, RecordingDoesNotAllocateAfterTheFirstRecord) {
  cxm::recorder rec = three();
  const std::size_t first = allocations.load();
  (void)rec.record(0, 9);  // the thread's first record: its shard (the counter sees it)
  EXPECT_GE(allocations.load() - first, 1u);
  std::size_t during = 0;
  for (int drain = 0; drain < 3; ++drain) {
    const std::size_t before = allocations.load();
    for (int i = 0; i < 200000; ++i) record_round(rec, i);
    during += allocations.load() - before;
    const cxm::recorder_snapshot d = rec.drain();  // allocates: the snapshot is the caller's
    EXPECT_FALSE(d.empty());
  }
  EXPECT_EQ(during, 0u) << "allocations while recording";
}

TEST(RecorderAlloc, AlternatingBetweenRecordersDoesNotAllocate) {
  cxm::recorder a = three();
  cxm::recorder b = three();
  (void)a.record(0, 9);
  (void)b.record(0, 9);
  const std::size_t before = allocations.load();
  for (int i = 0; i < 100000; ++i) {
    record_round(a, i);
    record_round(b, i);
  }
  EXPECT_EQ(allocations.load() - before, 0u);
}

TEST(RecorderAlloc, OtherThreadsRecordWithoutAllocatingToo) {
  cxm::recorder rec = three();
  // Two threads get their shards and list entries first; the count covers only what follows,
  // when both record at once (and then exit, which frees but does not allocate).
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t)
    threads.emplace_back([&, t] {
      record_round(rec, t);
      ready.fetch_add(1);
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < 100000; ++i) record_round(rec, i);
    });
  while (ready.load() < 2) std::this_thread::yield();
  const std::size_t before = allocations.load();
  go.store(true);
  for (auto& t : threads) t.join();
  EXPECT_EQ(allocations.load() - before, 0u);
}
