// SPDX-License-Identifier: MIT
// The outbox on the real disk: durable appends of ~300-byte survey responses with group commit
// from 1, 2, 4 and 8 threads and with one fsync per record, and the recovery of a directory
// holding 100,000 queued records.
//
// The directories live under /var/tmp (a disk, unlike a tmpfs /tmp: an fsync must reach the
// device for the numbers to mean anything) and are removed afterwards. Targets: 20,000 durable
// responses/s with group commit; recovery of 100,000 records within 200 ms.
// Names: BM_Outbox_AppendGroupCommit, BM_Outbox_AppendFsyncEach, BM_Outbox_Recover.
#include <benchmark/benchmark.h>
#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cxm/device/outbox.hpp"

namespace {

// A directory under /var/tmp, removed with its content.
struct bench_dir {
  std::string path;
  bench_dir() {
    std::string t = "/var/tmp/cxm-bm-outbox-XXXXXX";
    if (mkdtemp(t.data()) != nullptr) path = t;
  }
  ~bench_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  bench_dir(const bench_dir&) = delete;
  bench_dir& operator=(const bench_dir&) = delete;
};

// A survey response of 300 bytes or so.
std::string response(std::size_t i) {
  return R"({"survey":"onboarding","survey_version":3,"timestamp":"2026-10-02T09:14:03Z",)"
         R"("answers":{"nps":)" +
         std::to_string(i % 11) + R"(,"ces":)" + std::to_string(1 + i % 7) +
         R"(,"reason":"The setup took longer than I expected but support answered quickly"},)"
         R"("context":{"platform":"android","app_version":"5.2.1","locale":"fr-FR","seq":)" +
         std::to_string(i) + "}}";
}

cxm::outbox_options options(const std::string& dir, bool group_commit) {
  cxm::outbox_options o;
  o.directory = dir + "/outbox";
  o.source = "bench";
  o.group_commit = group_commit;
  // No cap drops during the run: only appends are measured.
  o.max_records = std::uint64_t{1} << 40;
  o.max_bytes = std::uint64_t{1} << 40;
  return o;
}

// One outbox shared by the benchmark's threads: made by thread 0 before the timed loop, closed
// by it after (Google Benchmark starts and ends the threads' loops together).
struct shared_outbox {
  std::unique_ptr<bench_dir> dir;
  std::optional<cxm::outbox> box;
};
shared_outbox shared;

void append_loop(benchmark::State& state, bool group_commit) {
  if (state.thread_index() == 0) {
    shared.dir = std::make_unique<bench_dir>();
    auto r = cxm::outbox::open(options(shared.dir->path, group_commit));
    if (r)
      shared.box.emplace(std::move(r).value());
    else
      state.SkipWithError(r.detail().c_str());
  }
  const std::string json = response(static_cast<std::size_t>(state.thread_index()));
  for (auto _ : state) {
    if (!shared.box) break;
    auto id = shared.box->append(cxm::record_kind::response, json);
    if (!id) {
      state.SkipWithError(id.detail().c_str());
      break;
    }
    benchmark::DoNotOptimize(id);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(json.size()));
  if (state.thread_index() == 0) {
    shared.box.reset();
    shared.dir.reset();
  }
}

// Durable appends (each returns once its record is fdatasync'd), concurrent appends sharing
// fsyncs. items_per_second is the aggregate rate over all threads.
void BM_Outbox_AppendGroupCommit(benchmark::State& state) { append_loop(state, true); }
BENCHMARK(BM_Outbox_AppendGroupCommit)->Threads(1)->Threads(2)->Threads(4)->Threads(8)->UseRealTime();

// One fdatasync per append, made by the appending thread.
void BM_Outbox_AppendFsyncEach(benchmark::State& state) { append_loop(state, false); }
BENCHMARK(BM_Outbox_AppendFsyncEach)->Threads(1)->Threads(4)->UseRealTime();

// open() of a directory holding 100,000 queued responses (~33 MB in 32 segments): the lock,
// every frame's CRC, the metadata of every record in memory. The files are in the page cache
// (an app restarted after a crash; after a reboot the first read also waits for the disk).
void BM_Outbox_Recover(benchmark::State& state) {
  constexpr std::size_t records = 100000;
  bench_dir dir;
  {
    // Filled by 8 threads so that group commit keeps the set-up short.
    auto r = cxm::outbox::open(options(dir.path, true));
    if (!r) {
      state.SkipWithError(r.detail().c_str());
      return;
    }
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < 8; ++t)
      pool.emplace_back([&, t] {
        for (std::size_t i = t; i < records; i += 8) (void)r->append(cxm::record_kind::response, response(i));
      });
    for (auto& t : pool) t.join();
    if (r->counts().pending_records != records) {
      state.SkipWithError("set-up: not every record was queued");
      return;
    }
  }
  for (auto _ : state) {
    auto r = cxm::outbox::open(options(dir.path, true));
    if (!r || r->counts().pending_records != records) {
      state.SkipWithError("recovery lost records");
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(records));
}
BENCHMARK(BM_Outbox_Recover)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
