// SPDX-License-Identifier: MIT
// The recorder under concurrency (the tsan preset runs this under ThreadSanitizer): threads
// recording while another takes snapshots and drains, shards handed from exiting threads to
// new ones, and recorders destroyed while threads that used them are still alive.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "cxm/device/recorder.hpp"
#include "device/recorder_shard.hpp"

namespace {

using cxm::metric_kind;

constexpr int recording_threads = 4;

cxm::recorder three() {
  return cxm::recorder::make({{"nps", metric_kind::nps, {}, {}},
                              {"ces", metric_kind::scale, cxm::scale::ces7(), {}},
                              {"ms", metric_kind::duration, {}, {}}})
      .value();
}

// What one thread records, kept in plain values alongside: the expected result, computed
// without the recorder.
struct expected {
  cxm::nps_tally nps;
  cxm::scale_tally ces = cxm::scale_tally::make(cxm::scale::ces7()).value();
  cxm::duration_sketch ms;
};

// A deterministic stream of answers and whole-millisecond durations per thread (whole numbers
// keep the sketch sums exact whatever the merge order), with some rejections. `x` carries the
// stream's state from one call to the next.
void record_stream(cxm::recorder& rec, std::uint64_t& x, int n, expected& out) {
  for (int i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    const int answer = static_cast<int>(x % 13) - 1;  // -1..11: two out of range
    const double score = static_cast<double>(x % 9);  // 0..8 on a 1-7 scale
    const double ms = static_cast<double>(x % 100000) - 10.0;  // a few negative
    EXPECT_EQ(rec.record(0, answer), out.nps.add(answer));
    EXPECT_EQ(rec.record(1, score), out.ces.add(score));
    EXPECT_EQ(rec.record_duration(2, ms), out.ms.record(ms));
  }
}
std::uint64_t seed_of(int seed) { return std::uint64_t{0x9E3779B97F4A7C15} * static_cast<std::uint64_t>(seed + 1); }

// Every count of `later` is at least that of `earlier`: no record ever disappears.
void expect_monotone(const cxm::recorder_snapshot& earlier, const cxm::recorder_snapshot& later) {
  const auto& a = std::get<cxm::nps_tally>(earlier.values[0]);
  const auto& b = std::get<cxm::nps_tally>(later.values[0]);
  for (int k = 0; k <= 10; ++k) EXPECT_LE(a.count(k), b.count(k));
  EXPECT_LE(a.rejected_total(), b.rejected_total());
  const auto& c = std::get<cxm::scale_tally>(earlier.values[1]);
  const auto& d = std::get<cxm::scale_tally>(later.values[1]);
  for (int k = 1; k <= 7; ++k) EXPECT_LE(c.count(k), d.count(k));
  EXPECT_LE(c.rejected_total(), d.rejected_total());
  const auto& e = std::get<cxm::duration_sketch>(earlier.values[2]);
  const auto& f = std::get<cxm::duration_sketch>(later.values[2]);
  EXPECT_LE(e.count(), f.count());
  EXPECT_LE(e.sum(), f.sum());
  EXPECT_LE(e.rejected_total(), f.rejected_total());
}

// Internally consistent: a sketch's count is its zero count plus its buckets.
void expect_consistent(const cxm::recorder_snapshot& s) {
  const auto& sketch = std::get<cxm::duration_sketch>(s.values[2]);
  std::uint64_t buckets = sketch.zero_count();
  sketch.for_each_bucket([&](std::int32_t, std::uint64_t c) { buckets += c; });
  EXPECT_EQ(buckets, sketch.count());
}

}  // namespace

TEST(RecorderThreads, SnapshotsAndDrainsWhileFourThreadsRecord) {
  cxm::recorder rec = three();
  std::vector<expected> per_thread(recording_threads);
  std::atomic<int> running{recording_threads};
  std::atomic<int> snapshots{0};
  std::vector<cxm::recorder_snapshot> drains;

  std::thread reader([&] {
    cxm::recorder_snapshot last = rec.snapshot();
    bool done = false;
    while (!done) {
      done = running.load() == 0;  // one more round after the last record
      const cxm::recorder_snapshot s = rec.snapshot();
      expect_consistent(s);
      expect_monotone(last, s);
      last = s;
      snapshots.fetch_add(1);
      drains.push_back(rec.drain());
      expect_consistent(drains.back());
      std::this_thread::yield();
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < recording_threads; ++t)
    writers.emplace_back([&, t] {
      // Record until the reader has taken 50 snapshots and drains meanwhile, however the
      // threads are scheduled (at least 20000 rounds; at most for 20 s on a starved machine).
      std::uint64_t x = seed_of(t);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      for (int chunk = 0; chunk < 20 || (snapshots.load() < 50 && std::chrono::steady_clock::now() < deadline);
           ++chunk)
        record_stream(rec, x, 1000, per_thread[static_cast<std::size_t>(t)]);
      running.fetch_sub(1);
    });
  for (auto& w : writers) w.join();
  reader.join();

  expected all;
  for (const expected& e : per_thread) {
    ASSERT_TRUE(all.nps.merge(e.nps).ok());
    ASSERT_TRUE(all.ces.merge(e.ces).ok());
    ASSERT_TRUE(all.ms.merge(e.ms).ok());
  }
  const cxm::recorder_snapshot final = rec.snapshot();
  EXPECT_EQ(std::get<cxm::nps_tally>(final.values[0]), all.nps);
  EXPECT_EQ(std::get<cxm::scale_tally>(final.values[1]), all.ces);
  EXPECT_EQ(std::get<cxm::duration_sketch>(final.values[2]), all.ms);

  // Every record in exactly one drain: their sum (plus an empty last one) is the final snapshot.
  cxm::recorder_snapshot sum = rec.drain();
  EXPECT_TRUE(sum.empty());
  for (const auto& d : drains) ASSERT_TRUE(sum.merge(d).ok());
  EXPECT_EQ(to_json(sum), to_json(final));
  EXPECT_GE(snapshots.load(), 50);
  RecordProperty("snapshots", snapshots.load());
  EXPECT_LE(cxm::detail::recorder_shard_counts(rec).shards, static_cast<std::size_t>(recording_threads));
}

TEST(RecorderThreads, ThreadsThatExitHandTheirShardsToNewThreads) {
  cxm::recorder rec = three();
  expected all;
  for (int wave = 0; wave < 3; ++wave) {
    std::vector<expected> per_thread(recording_threads);
    std::vector<std::thread> threads;
    for (int t = 0; t < recording_threads; ++t)
      threads.emplace_back([&, t] {
        std::uint64_t x = seed_of(wave * 10 + t);
        record_stream(rec, x, 2000, per_thread[static_cast<std::size_t>(t)]);
      });
    for (auto& t : threads) t.join();  // their thread_local destructors have run
    const cxm::detail::shard_counts c = cxm::detail::recorder_shard_counts(rec);
    EXPECT_LE(c.shards, static_cast<std::size_t>(recording_threads)) << "wave " << wave;
    EXPECT_EQ(c.in_use, 0u);
    for (const expected& e : per_thread) {
      ASSERT_TRUE(all.nps.merge(e.nps).ok());
      ASSERT_TRUE(all.ces.merge(e.ces).ok());
      ASSERT_TRUE(all.ms.merge(e.ms).ok());
    }
  }
  const cxm::recorder_snapshot s = rec.snapshot();
  EXPECT_EQ(std::get<cxm::nps_tally>(s.values[0]), all.nps);
  EXPECT_EQ(std::get<cxm::scale_tally>(s.values[1]), all.ces);
  EXPECT_EQ(std::get<cxm::duration_sketch>(s.values[2]), all.ms);
}

TEST(RecorderThreads, ARecorderDestroyedBeforeItsThreadsExitIsClean) {
  // Threads record, the recorder is destroyed while they are alive, then they record into a
  // second recorder (perhaps at the same address) and exit: their exit finds the first
  // recorder gone, and the second counts only its own records.
  auto first = std::make_unique<cxm::recorder>(three());
  std::mutex m;
  std::condition_variable cv;
  int phase = 0;  // 0: record into first; 1: first destroyed, record into second; 2: exit
  int recorded = 0;
  std::unique_ptr<cxm::recorder> second;
  auto wait_for = [&](int p) {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return phase >= p; });
  };
  auto done = [&] {
    std::lock_guard<std::mutex> lock(m);
    ++recorded;
    cv.notify_all();
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < recording_threads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        (void)first->record(0, 9);
        (void)first->record_duration(2, 5.0);
      }
      done();
      wait_for(1);
      for (int i = 0; i < 10; ++i) {
        (void)second->record(0, 1);
        (void)second->record_duration(2, 7.0);
      }
      done();
      wait_for(2);
    });
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return recorded == recording_threads; });
  }
  EXPECT_EQ(std::get<cxm::nps_tally>(first->snapshot().values[0]).count(9), 400u);
  first.reset();  // the threads still hold their shards' entries
  second = std::make_unique<cxm::recorder>(three());
  {
    std::lock_guard<std::mutex> lock(m);
    phase = 1;
    cv.notify_all();
  }
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return recorded == 2 * recording_threads; });
  }
  const cxm::recorder_snapshot s = second->snapshot();
  EXPECT_EQ(std::get<cxm::nps_tally>(s.values[0]).total(), 40u);
  EXPECT_EQ(std::get<cxm::nps_tally>(s.values[0]).count(1), 40u);
  EXPECT_EQ(std::get<cxm::duration_sketch>(s.values[2]).count(), 40u);
  // The second recorder is destroyed too before the threads exit.
  second.reset();
  {
    std::lock_guard<std::mutex> lock(m);
    phase = 2;
    cv.notify_all();
  }
  for (auto& t : threads) t.join();
}

TEST(RecorderThreads, ThreadsExitWhileTheRecorderIsDestroyed) {
  // The race the weak reference exists for: a thread's exit releasing its shard while the
  // recorder's last owner destroys it.
  for (int round = 0; round < 20; ++round) {
    auto rec = std::make_unique<cxm::recorder>(three());
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
      threads.emplace_back([&] {
        (void)rec->record(0, 9);
        ready.fetch_add(1);
      });
    while (ready.load() < 2) std::this_thread::yield();
    rec.reset();  // the threads may be exiting right now
    for (auto& t : threads) t.join();
  }
}

namespace {

// Records from its destructor, which runs as its thread exits.
struct records_on_exit {
  cxm::recorder* rec = nullptr;
  ~records_on_exit() {
    if (rec != nullptr) (void)rec->record(0, 5);
  }
};

}  // namespace

TEST(RecorderThreads, ARecordMadeWhileTheThreadExitsIsKept) {
  // Thread-locals are destroyed in the reverse order of their construction: `last` is made
  // before the recorder's per-thread list of shards, so it records after that list has given
  // the thread's shard back. That record must neither touch the released shard (another
  // thread may own it by then) nor be lost.
  cxm::recorder rec = three();
  std::thread([&] {
    static thread_local records_on_exit last;
    last.rec = &rec;
    (void)rec.record(0, 9);
  }).join();
  const cxm::recorder_snapshot s = rec.snapshot();
  EXPECT_EQ(std::get<cxm::nps_tally>(s.values[0]).count(9), 1u);
  EXPECT_EQ(std::get<cxm::nps_tally>(s.values[0]).count(5), 1u);
  // That late record took a shard it keeps until the recorder goes (its list was gone).
  EXPECT_EQ(cxm::detail::recorder_shard_counts(rec).shards, 1u);
  EXPECT_EQ(cxm::detail::recorder_shard_counts(rec).in_use, 1u);
}
