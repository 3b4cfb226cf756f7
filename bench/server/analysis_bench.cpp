// SPDX-License-Identifier: MIT
// GET /v1/analysis over a large store: the dashboard's refresh from the response cells against
// the rescan of every row, and what the cells cost at ingest (bench/README.md, "Server: the
// dashboard refresh"). A program of its own: it builds a database once, then times queries.
//
//   cxm_analysis_bench [--responses N] [--days D] [--store URL] [--runs R] [--no-cells-ingest]
//
// Responses: the bundled survey "after-onboarding" (NPS, CES, CSAT), 4 channels, 3 steps, a
// segment, spread evenly over D days (90) ending 2026-12-01, batches of 200 through
// store::insert as the committer sends them (rows made as ingest makes them, cells included).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "server/cells.hpp"
#include "server/report.hpp"
#include "server/storage/store.hpp"

using namespace cxm;
using namespace cxm::server;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::vector<response_row> make_batch(std::mt19937_64& rng, std::int64_t first, int n, std::int64_t total,
                                     std::int64_t t0, std::int64_t span_ms) {
  static const char* channels[] = {"web", "app", "email", "phone"};
  static const char* steps[] = {"signup", "setup", "first_use"};
  std::vector<response_row> rows;
  for (int i = 0; i < n; ++i) {
    const std::int64_t k = first + i;
    response_row r;
    r.id = "bench-" + std::to_string(k);
    r.survey_id = "after-onboarding";
    r.survey_version = 3;
    r.source = "web";
    r.answered_ms = t0 + span_ms * k / total + static_cast<std::int64_t>(rng() % 1000);
    r.received_ms = r.answered_ms + 1000;
    const int channel = static_cast<int>(rng() % 4);
    std::string rec = R"({"id":")" + r.id + R"(","survey_id":"after-onboarding","survey_version":3,"timestamp":)" +
                      std::to_string(r.answered_ms) + R"(,"channel":")" + channels[channel] + R"(","step":")" +
                      steps[rng() % 3] + R"(","segment":{"plan":")" + (rng() % 3 == 0 ? "pro" : "free") +
                      R"("},"answers":{"nps":)" + std::to_string(rng() % 11);
    if (rng() % 4 != 0) rec += ",\"ces\":" + std::to_string(1 + rng() % 7);
    if (rng() % 3 != 0) rec += ",\"csat\":" + std::to_string(1 + rng() % 5);
    r.record = rec + "}}";
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t total = 1000000;
  int days = 90, runs = 5;
  bool cells_at_ingest = true;
  std::string url = "sqlite:/tmp/cxm-analysis-bench.db";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--responses" && i + 1 < argc) total = std::atoll(argv[++i]);
    else if (a == "--days" && i + 1 < argc) days = std::atoi(argv[++i]);
    else if (a == "--store" && i + 1 < argc) url = argv[++i];
    else if (a == "--runs" && i + 1 < argc) runs = std::atoi(argv[++i]);
    else if (a == "--no-cells-ingest") cells_at_ingest = false;
    else {
      std::fprintf(stderr, "usage: %s [--responses N] [--days D] [--store URL] [--runs R] [--no-cells-ingest]\n", argv[0]);
      return 2;
    }
  }
  auto surveys = survey_registry::load(CXM_EXAMPLES_DIR "/web/surveys");
  if (!surveys) {
    std::fprintf(stderr, "surveys: %s\n", surveys.detail().c_str());
    return 1;
  }
  auto opened = open_store({url, sync_mode::normal});
  if (!opened) {
    std::fprintf(stderr, "store: %s\n", opened.detail().c_str());
    return 1;
  }
  store& s = **opened;
  store_counts counts;
  std::string detail;
  if (!s.counts(counts, detail)) return 1;

  const std::int64_t t1 = 1795996800000;  // 2026-12-01T00:00Z
  const std::int64_t span = std::int64_t{days} * 86400000;
  const std::int64_t t0 = t1 - span;
  if (counts.responses == 0) {
    // Ingest: rows and their cells made as ingest makes them (cells_of on the parsed record),
    // stored in batches of 200; the rate counts both.
    std::mt19937_64 rng(42);
    const cell_maker make = stored_cells(*surveys);
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t k = 0; k < total; k += 200) {
      std::vector<response_row> rows = make_batch(rng, k, static_cast<int>(std::min<std::int64_t>(200, total - k)), total, t0, span);
      if (cells_at_ingest)
        for (response_row& r : rows) make(r, r.cells);
      std::vector<insert_outcome> out;
      if (!s.insert(rows, {}, {}, out, detail)) {
        std::fprintf(stderr, "insert: %s\n", detail.c_str());
        return 1;
      }
    }
    const double took = seconds_since(start);
    std::printf("ingest %s: %lld responses in %.1f s: %.0f responses/s (batches of 200, sync normal)\n",
                cells_at_ingest ? "with cells" : "without cells", static_cast<long long>(total), took,
                static_cast<double>(total) / took);
    if (!cells_at_ingest) return 0;
  } else {
    std::printf("store holds %llu responses already\n", static_cast<unsigned long long>(counts.responses));
  }

  struct query {
    const char* name;
    std::vector<std::string> by;
    bool last_30_days;
  };
  const std::vector<query> queries = {
      {"by=week", {"week"}, false},
      {"by=channel", {"channel"}, false},
      {"by=week,channel (tz Europe/Berlin)", {"week", "channel"}, false},
      {"by=day,channel,step, last 30 days, unaligned from/to", {"day", "channel", "step"}, true},
  };
  std::printf("| query | rescan median ms | cells median ms | same JSON |\n| --- | ---: | ---: | --- |\n");
  for (const query& q : queries) {
    report_query rq;
    rq.survey_id = "after-onboarding";
    rq.breakdowns = q.by;
    if (q.by.size() == 2) rq.tz = "Europe/Berlin";
    if (q.last_30_days) {
      rq.from_ms = t1 - 30 * 86400000LL + 123457;
      rq.to_ms = t1 - 654321;
    }
    std::vector<double> rescan, cells;
    std::string a, b;
    for (int r = 0; r < runs; ++r) {
      auto t = std::chrono::steady_clock::now();
      bool used = false;
      auto x = build_analysis(s, *surveys, rq, analysis_path::automatic, &used);
      cells.push_back(seconds_since(t) * 1000);
      if (!x || !used) {
        std::fprintf(stderr, "%s: %s\n", q.name, x ? "fell back to the rescan" : x.detail().c_str());
        return 1;
      }
      a = *x;
      if (r < std::max(1, runs / 2)) {  // the rescan takes seconds: fewer runs
        t = std::chrono::steady_clock::now();
        auto y = build_analysis(s, *surveys, rq, analysis_path::rescan);
        rescan.push_back(seconds_since(t) * 1000);
        if (!y) return 1;
        b = *y;
      }
    }
    std::sort(rescan.begin(), rescan.end());
    std::sort(cells.begin(), cells.end());
    std::printf("| %s | %.0f | %.1f | %s |\n", q.name, rescan[rescan.size() / 2], cells[cells.size() / 2],
                a == b ? "yes" : "NO");
  }
  return 0;
}
