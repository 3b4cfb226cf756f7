// SPDX-License-Identifier: MIT
// The response cells on every backend (docs/storage.md, "Cells"): GET /v1/analysis from cells
// equals the rescan for random data and random from/to/by/tz, duplicates count once, a
// version 1 database gets its cells at first start, two writers on one database lose no count.
// Instantiated beside the storage suite (same Backend type: store_suite.hpp).
#ifndef CXM_TESTS_SERVER_CELLS_SUITE_HPP
#define CXM_TESTS_SERVER_CELLS_SUITE_HPP

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <cxm/survey/response_reader.hpp>

#include "server/cells.hpp"
#include "server/ingest/batch.hpp"
#include "server/ingest/ingest.hpp"
#include "server/report.hpp"
#include "server/zoneinfo.hpp"
#include "store_suite.hpp"

namespace cxm::server::test {

// The bundled survey "after-onboarding" (version 3): NPS, a 7-point CES, a CSAT, and text,
// emotion and choice questions the report leaves out.
inline survey_registry cells_surveys() {
  auto reg = survey_registry::load(CXM_EXAMPLES_DIR "/web/surveys");
  EXPECT_TRUE(reg) << reg.detail();
  return std::move(*reg);
}
inline const std::string survey_name = "after-onboarding";

// Random stored responses over ~40 days: channels, steps, a segment, some without a timestamp
// (answered_ms = received), some with an answer the survey now refuses (counted invalid).
inline std::vector<response_row> cells_rows(std::mt19937_64& rng, int n, const std::string& prefix = "r") {
  const std::int64_t t0 = 1790812800000;  // 2026-10-01T00:00Z
  std::vector<response_row> rows;
  for (int i = 0; i < n; ++i) {
    response_row r;
    r.id = prefix + std::to_string(i) + (rng() % 3 == 0 ? "b" : "");
    r.survey_id = survey_name;
    r.survey_version = 3;
    r.source = "web";
    r.received_ms = t0 + static_cast<std::int64_t>(rng() % (40ULL * 86400000ULL));
    const bool timed = rng() % 8 != 0;
    // Many responses in one millisecond sometimes: the groups' order then rests on the id.
    r.answered_ms = timed ? (rng() % 5 == 0 ? t0 + 3600000 : t0 + static_cast<std::int64_t>(rng() % (40ULL * 86400000ULL)))
                          : r.received_ms;
    std::string rec = R"({"id":")" + r.id + R"(","survey_id":")" + survey_name + R"(","survey_version":3)";
    if (timed) rec += ",\"timestamp\":" + std::to_string(r.answered_ms);
    // A NUL and a \x01 in a value (JSON escapes): PostgreSQL's TEXT holds no NUL.
    if (rng() % 4 != 0) rec += ",\"channel\":\"c" + std::to_string(rng() % 5) + (rng() % 20 == 0 ? "\\u0000x\"" : "\"");
    else if (rng() % 10 == 0) rec += R"(,"channel":"\u0001")";
    if (rng() % 2 == 0) rec += ",\"step\":\"s" + std::to_string(rng() % 3) + "\"";
    if (rng() % 3 == 0) rec += R"(,"segment":{"plan":")" + std::string(rng() % 2 ? "pro" : "free") + "\"}";
    if (rng() % 5 == 0) rec += ",\"inclusion_probability\":0.25";
    rec += ",\"answers\":{";
    std::string sep;
    if (rng() % 5 != 0) rec += std::exchange(sep, ",") + "\"nps\":" + std::to_string(rng() % 12);  // 11: invalid
    if (rng() % 3 != 0) rec += std::exchange(sep, ",") + "\"ces\":" + std::to_string(1 + rng() % 7);
    if (rng() % 3 != 0) rec += std::exchange(sep, ",") + "\"csat\":" + (rng() % 9 == 0 ? "\"4\"" : std::to_string(1 + rng() % 5));
    r.record = rec + "}}";
    rows.push_back(std::move(r));
  }
  return rows;
}

// The cells ingest would attach: the same function, through the same reader.
inline void attach_cells(const survey_registry& surveys, std::vector<response_row>& rows) {
  const cell_maker make = stored_cells(surveys);
  for (response_row& r : rows) {
    r.cells.clear();
    make(r, r.cells);
  }
}

template <class Backend>
class CellsSuite : public StoreSuite<Backend> {
 public:
  survey_registry surveys = cells_surveys();

  // The JSON both ways for one query; `used` says whether the cells served it.
  void expect_same(store& s, const report_query& q, bool& used) {
    auto rescan = build_analysis(s, surveys, q, analysis_path::rescan);
    auto cells = build_analysis(s, surveys, q, analysis_path::automatic, &used);
    ASSERT_TRUE(rescan) << rescan.detail();
    ASSERT_TRUE(cells) << cells.detail();
    // On a difference, where it starts: the documents are long.
    const std::string& x = *cells;
    const std::string& y = *rescan;
    std::size_t at = 0;
    while (at < x.size() && at < y.size() && x[at] == y[at]) ++at;
    const std::size_t from = at > 300 ? at - 300 : 0;
    EXPECT_TRUE(x == y) << "from cells: ..." << x.substr(from, 500) << "\nrescan:     ..." << y.substr(from, 500);
  }
};

TYPED_TEST_SUITE_P(CellsSuite);

TYPED_TEST_P(CellsSuite, AnalysisFromCellsEqualsTheRescan) {
  auto s = this->open();
  ASSERT_NE(s, nullptr);
  std::mt19937_64 rng(20261204);
  std::vector<response_row> rows = cells_rows(rng, 1500);
  attach_cells(this->surveys, rows);
  // In batches, each batch re-sending some rows of the one before: duplicates add nothing.
  for (std::size_t i = 0; i < rows.size(); i += 100) {
    std::vector<response_row> batch(rows.begin() + static_cast<std::ptrdiff_t>(i),
                                    rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), i + 100)));
    if (i >= 100) batch.insert(batch.end(), rows.begin() + static_cast<std::ptrdiff_t>(i - 30),
                               rows.begin() + static_cast<std::ptrdiff_t>(i));
    this->put(*s, batch);
  }
  const std::vector<std::string> zones = {"", "UTC", "+05:45", "-03:30", "+01:00"};
  const std::vector<std::string> periods = {"", "day", "week", "month"};
  const std::vector<std::string> dims = {"channel", "step", "segment.plan", "survey_id", "journey_id"};
  const std::int64_t t0 = 1790812800000;
  int used_cells = 0;
  for (int k = 0; k < 60; ++k) {
    report_query q;
    q.survey_id = survey_name;
    if (rng() % 4 != 0) q.from_ms = t0 - 86400000 + static_cast<std::int64_t>(rng() % (30ULL * 86400000ULL));
    if (rng() % 4 != 0) q.to_ms = (q.from_ms ? *q.from_ms : t0) + static_cast<std::int64_t>(rng() % (35ULL * 86400000ULL));
    if (k % 7 == 0 && q.from_ms) q.from_ms = cell_start(*q.from_ms);  // aligned too
    q.tz = zones[rng() % zones.size()];
    if (const std::string& p = periods[rng() % periods.size()]; !p.empty()) q.breakdowns.push_back(p);
    for (const std::string& d : dims)
      if (rng() % 3 == 0) q.breakdowns.push_back(d);
    bool used = false;
    SCOPED_TRACE("query " + std::to_string(k));
    this->expect_same(*s, q, used);
    used_cells += used ? 1 : 0;
  }
  EXPECT_GT(used_cells, 40);  // the comparison is of cells, not of two rescans
}

TYPED_TEST_P(CellsSuite, ZonesOffTheCellGridFallBackToTheRescan) {
  auto s = this->open();
  ASSERT_NE(s, nullptr);
  std::mt19937_64 rng(7);
  std::vector<response_row> rows = cells_rows(rng, 300);
  attach_cells(this->surveys, rows);
  this->put(*s, rows);
  report_query q;
  q.survey_id = survey_name;
  q.breakdowns = {"day", "channel"};
  q.tz = "+00:20";  // a period would start inside a cell
  bool used = true;
  this->expect_same(*s, q, used);
  EXPECT_FALSE(used);
  q.tz = "+00:15";  // on the grid
  this->expect_same(*s, q, used);
  EXPECT_TRUE(used);
}

TYPED_TEST_P(CellsSuite, AVersionOneDatabaseGetsItsCellsAtFirstStart) {
  std::mt19937_64 rng(11);
  std::vector<response_row> rows = cells_rows(rng, 400);
  {
    auto s = this->open();
    ASSERT_NE(s, nullptr);
    this->put(*s, rows);  // no cells attached: as a version 1 build stored them
  }
  // Back to version 1 as it was: no cell tables, one schema row.
  ASSERT_EQ(this->db_->exec("DROP TABLE response_cells"), "");
  ASSERT_EQ(this->db_->exec("DROP TABLE cxm_cells_rebuild"), "");
  ASSERT_EQ(this->db_->exec("DELETE FROM cxm_schema WHERE version = 2"), "");
  auto s = this->open();
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(this->db_->query_int("SELECT MAX(version) FROM cxm_schema"), 2);
  EXPECT_EQ(this->db_->query_int("SELECT COUNT(*) FROM cxm_cells_rebuild"), 1);
  bool rebuilt = false;
  std::string detail;
  ASSERT_TRUE(s->rebuild_cells_if_needed(stored_cells(this->surveys), rebuilt, detail)) << detail;
  EXPECT_TRUE(rebuilt);
  ASSERT_TRUE(s->rebuild_cells_if_needed(stored_cells(this->surveys), rebuilt, detail)) << detail;
  EXPECT_FALSE(rebuilt);  // once
  report_query q;
  q.survey_id = survey_name;
  q.breakdowns = {"week", "channel", "segment.plan"};
  bool used = false;
  this->expect_same(*s, q, used);
  EXPECT_TRUE(used);
  EXPECT_EQ(this->db_->query_int("SELECT COUNT(*) FROM cxm_cells_rebuild"), 0);
}

TYPED_TEST_P(CellsSuite, TwoWritersLoseNoCount) {
  auto one = this->open();
  auto two = this->open();
  ASSERT_NE(one, nullptr);
  ASSERT_NE(two, nullptr);
  std::mt19937_64 rng(5);
  std::vector<response_row> rows = cells_rows(rng, 800);
  attach_cells(this->surveys, rows);
  // Both instances store every row, in opposite orders, in small batches: each id is stored
  // once and its cells counted once, whichever instance won it.
  auto run = [&](store* s, bool reverse) {
    std::vector<response_row> mine = rows;
    if (reverse) std::reverse(mine.begin(), mine.end());
    for (std::size_t i = 0; i < mine.size(); i += 20) {
      std::vector<response_row> batch(mine.begin() + static_cast<std::ptrdiff_t>(i),
                                      mine.begin() + static_cast<std::ptrdiff_t>(std::min(mine.size(), i + 20)));
      std::vector<insert_outcome> out;
      std::string detail;
      for (int attempt = 0; attempt < 50; ++attempt) {
        const status st = s->insert(batch, {}, {}, out, detail);
        if (st.ok()) break;
        ASSERT_EQ(st.code(), errc::retry_later) << detail;  // busy: the caller retries
      }
    }
  };
  std::thread a(run, one.get(), false), b(run, two.get(), true);
  a.join();
  b.join();
  report_query q;
  q.survey_id = survey_name;
  q.breakdowns = {"day", "channel", "step"};
  bool used = false;
  this->expect_same(*one, q, used);
  EXPECT_TRUE(used);
}

// Ingest attaches the cells the rebuild would make, and the analysis of what it stored is
// served by the cells.
TYPED_TEST_P(CellsSuite, IngestAttachesTheCells) {
  std::mt19937_64 rng(3);
  std::vector<response_row> made = cells_rows(rng, 50);
  std::string body = R"({"responses":[)";
  for (std::size_t i = 0; i < made.size(); ++i) body += (i > 0 ? "," : "") + made[i].record;
  body += "]}";
  auto b = split_batch(body);
  ASSERT_TRUE(b) << b.detail();
  prepared_batch p = prepare(*b, this->surveys, 1790812800000);
  ASSERT_FALSE(p.rows.empty());
  const cell_maker make = stored_cells(this->surveys);
  for (const response_row& r : p.rows) {
    std::vector<cell_key> expected;
    make(r, expected);
    ASSERT_FALSE(r.cells.empty()) << r.id;
    ASSERT_EQ(r.cells.size(), expected.size()) << r.id;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(r.cells[i].dimension, expected[i].dimension);
      EXPECT_EQ(r.cells[i].start_ms, expected[i].start_ms);
      EXPECT_EQ(r.cells[i].group, expected[i].group);
      EXPECT_EQ(r.cells[i].question, expected[i].question);
      EXPECT_EQ(r.cells[i].slot, expected[i].slot);
    }
  }
  auto s = this->open();
  ASSERT_NE(s, nullptr);
  this->put(*s, p.rows);
  report_query q;
  q.survey_id = survey_name;
  q.breakdowns = {"channel", "week"};
  bool used = false;
  this->expect_same(*s, q, used);
  EXPECT_TRUE(used);
}

REGISTER_TYPED_TEST_SUITE_P(CellsSuite, IngestAttachesTheCells, AnalysisFromCellsEqualsTheRescan, ZonesOffTheCellGridFallBackToTheRescan,
                            AVersionOneDatabaseGetsItsCellsAtFirstStart, TwoWritersLoseNoCount);

}  // namespace cxm::server::test

#endif  // CXM_TESTS_SERVER_CELLS_SUITE_HPP
