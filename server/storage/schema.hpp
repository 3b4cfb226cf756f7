// SPDX-License-Identifier: MIT
// The collector's schema and its migrations, shared by both backends: the DDL below is written
// in the subset SQLite and PostgreSQL agree on (BIGINT, TEXT, BOOLEAN, CHECK), so there is one
// schema to document and one list of versions. Internal to server/storage.
#ifndef CXM_SERVER_STORAGE_SCHEMA_HPP
#define CXM_SERVER_STORAGE_SCHEMA_HPP

#include <cstdint>
#include <string>

namespace cxm::server::schema {

/// One step: the statements that take a database from `version - 1` to `version`. A backend
/// applies each step in a transaction of its own, together with the row recording it in
/// cxm_schema, so a crash mid-migration leaves the previous version intact.
struct migration {
  std::int64_t version;
  const char* sql;  ///< several statements separated by ';' (no data, no parameters)
};

/// Records which steps were applied: one row per version. The current version is the highest.
inline constexpr const char* version_table_sql =
    "CREATE TABLE IF NOT EXISTS cxm_schema (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL)";
inline constexpr const char* current_version_sql = "SELECT COALESCE(MAX(version), 0) FROM cxm_schema";

// Notes on version 1:
// - Every column is NOT NULL (SQLite would otherwise accept NULL in a TEXT PRIMARY KEY).
// - CHECK (id <> '') backs the ingestion's own checks: a row that slips through fails its
//   whole insert call instead of storing a key no client can address.
// - record/snapshot are TEXT, not jsonb: a record must come back byte for byte as received.
// - responses(survey_id, answered_ms) serves reports of one survey over a time range;
//   aggregates(captured_ms) serves snapshot scans by capture time.
inline constexpr migration migrations[] = {
    {1,
     "CREATE TABLE responses ("
     " id TEXT NOT NULL PRIMARY KEY CHECK (id <> ''),"
     " survey_id TEXT NOT NULL,"
     " survey_version BIGINT NOT NULL,"
     " source TEXT NOT NULL,"
     " received_ms BIGINT NOT NULL,"
     " answered_ms BIGINT NOT NULL,"
     " score_mismatch BOOLEAN NOT NULL,"
     " record TEXT NOT NULL);"
     "CREATE INDEX responses_by_survey_time ON responses (survey_id, answered_ms);"
     "CREATE TABLE events ("
     " id TEXT NOT NULL PRIMARY KEY CHECK (id <> ''),"
     " source TEXT NOT NULL,"
     " received_ms BIGINT NOT NULL,"
     " record TEXT NOT NULL);"
     "CREATE TABLE aggregates ("
     " source TEXT NOT NULL,"
     " id TEXT NOT NULL CHECK (id <> ''),"
     " captured_ms BIGINT NOT NULL,"
     " received_ms BIGINT NOT NULL,"
     " snapshot TEXT NOT NULL,"
     " PRIMARY KEY (source, id));"
     "CREATE INDEX aggregates_by_capture ON aggregates (captured_ms);"},
    // Version 2: the response cells (docs/storage.md, "Cells"): additive counts per survey,
    // breakdown group, question and time cell, kept in the transaction that stores the
    // responses, so GET /v1/analysis sums cells instead of rescanning every record.
    // - size_ms: each count is kept at three cell sizes (cell_sizes_ms: 15 minutes, 1 hour,
    //   1 UTC day), so a range is summed from a few day rows and the hour and quarter-hour
    //   rows at its ends, not from every quarter hour in it.
    // - dimension '' is the totals (grp '' responses with a timestamp, 'u' without one);
    //   else a breakdown dimension and grp its value.
    // - question '' holds the response count n and p (responses without an
    //   inclusion_probability); a question's row holds n (shown), v0..v10 (valid answers by
    //   score − the scale's minimum) and e0..e6 (invalid answers by reason, in the order of
    //   the core's answer_problems). Skipped = n − valid − invalid.
    // - first_ms/first_id: the earliest (answered_ms, id) of the row's responses, for the
    //   breakdown groups' order of first appearance; last_ms the latest answered_ms.
    // - The primary key leads with (survey_id, dimension, size_ms, start_ms): every read is a
    //   range of it.
    // - cxm_cells_rebuild: a row here means the cells must be rebuilt from the responses (a v1
    //   database had responses but no cells); cxm serve does it at start (serve.cpp).
    {2,
     "CREATE TABLE response_cells ("
     " survey_id TEXT NOT NULL, dimension TEXT NOT NULL, size_ms BIGINT NOT NULL, start_ms BIGINT NOT NULL,"
     " grp TEXT NOT NULL, question TEXT NOT NULL, n BIGINT NOT NULL, p BIGINT NOT NULL,"
     " v0 BIGINT NOT NULL, v1 BIGINT NOT NULL, v2 BIGINT NOT NULL, v3 BIGINT NOT NULL, v4 BIGINT NOT NULL,"
     " v5 BIGINT NOT NULL, v6 BIGINT NOT NULL, v7 BIGINT NOT NULL, v8 BIGINT NOT NULL, v9 BIGINT NOT NULL,"
     " v10 BIGINT NOT NULL, e0 BIGINT NOT NULL, e1 BIGINT NOT NULL, e2 BIGINT NOT NULL, e3 BIGINT NOT NULL,"
     " e4 BIGINT NOT NULL, e5 BIGINT NOT NULL, e6 BIGINT NOT NULL,"
     " first_ms BIGINT NOT NULL, first_id TEXT NOT NULL, last_ms BIGINT NOT NULL,"
     " PRIMARY KEY (survey_id, dimension, size_ms, start_ms, grp, question));"
     "CREATE TABLE cxm_cells_rebuild (pending BIGINT NOT NULL);"
     "INSERT INTO cxm_cells_rebuild (pending) SELECT 1 WHERE EXISTS (SELECT 1 FROM responses)"},
};

/// The highest version this build knows; a database above it was written by a newer cxm.
inline constexpr std::int64_t latest_version = 2;

static_assert(sizeof(migrations) / sizeof(migrations[0]) == latest_version,
              "one migration per version, in order, starting at 1");

// The statements the backends run, in one place so both read the same columns in the same
// order. Parameters are positional ($n for PostgreSQL, ?n for SQLite: the same numbers).
inline constexpr const char* response_columns =
    "SELECT id, survey_id, survey_version, source, received_ms, answered_ms, score_mismatch, record "
    "FROM responses";
inline constexpr const char* aggregate_columns =
    "SELECT source, id, captured_ms, received_ms, snapshot FROM aggregates";
inline constexpr const char* counts_sql =
    "SELECT (SELECT COUNT(*) FROM responses), (SELECT COUNT(*) FROM events),"
    " (SELECT COUNT(*) FROM aggregates), (SELECT COUNT(*) FROM responses WHERE score_mismatch)";

/// The cell sizes every count is kept at, finest first; each divides the next, and a day
/// is a UTC day.
inline constexpr std::int64_t cell_sizes_ms[] = {15 * 60 * 1000, 60 * 60 * 1000, 24 * 60 * 60 * 1000};

/// The count columns of response_cells after n, in order: p, v0..v10, e0..e6. A cell row of
/// one response sets n = 1 and at most one of these to 1: its "slot" (0 none, 1 p, 2 + score
/// index, 13 + reason index).
inline constexpr int cell_counts = 19;
inline constexpr const char* cell_count_names[cell_counts] = {"p",  "v0", "v1", "v2", "v3", "v4", "v5",
                                                              "v6", "v7", "v8", "v9", "v10", "e0", "e1",
                                                              "e2", "e3", "e4", "e5", "e6"};

/// The additive upsert of one cell row: parameters 1 survey_id, 2 dimension, 3 size_ms,
/// 4 start_ms, 5 grp, 6 question, 7 n, 8..26 the counts, 27 first_ms, 28 first_id,
/// 29 last_ms (`mark` '?' for SQLite, '$' for PostgreSQL). ON CONFLICT ... DO UPDATE adds, so
/// writers in any order (several instances on one PostgreSQL) never lose a count; first_*
/// keep the earliest (answered_ms, id), ids compared byte-wise (`collate`: COLLATE "C" for
/// PostgreSQL, empty for SQLite, whose default is byte-wise).
/// `arrays` (PostgreSQL): each parameter is an array, one element per row, and the statement
/// upserts them all (one statement per commit instead of one per row; the rows' keys must
/// differ, as sum_new_cells makes them).
inline std::string cell_upsert_sql(char mark, const std::string& collate, bool arrays = false) {
  std::string cols = "survey_id, dimension, size_ms, start_ms, grp, question, n";
  for (const char* c : cell_count_names) cols += std::string(", ") + c;
  cols += ", first_ms, first_id, last_ms";
  std::string values;
  for (int i = 1; i <= 29; ++i) {
    values += (i > 1 ? ", " : "") + std::string(1, mark) + std::to_string(i);
    const bool text = i == 1 || i == 2 || i == 5 || i == 6 || i == 28;
    if (arrays) values += text ? "::text[]" : "::bigint[]";
  }
  std::string sql = "INSERT INTO response_cells (" + cols + ") " +
                    (arrays ? "SELECT * FROM unnest(" + values + ")" : "VALUES (" + values + ")");
  sql += " ON CONFLICT (survey_id, dimension, size_ms, start_ms, grp, question) DO UPDATE SET n = response_cells.n + excluded.n";
  for (const char* c : cell_count_names) sql += std::string(", ") + c + " = response_cells." + c + " + excluded." + c;
  const std::string earlier = "(excluded.first_ms < response_cells.first_ms OR (excluded.first_ms = "
                              "response_cells.first_ms AND excluded.first_id" + collate +
                              " < response_cells.first_id" + collate + "))";
  sql += ", first_ms = CASE WHEN " + earlier + " THEN excluded.first_ms ELSE response_cells.first_ms END";
  sql += ", first_id = CASE WHEN " + earlier + " THEN excluded.first_id ELSE response_cells.first_id END";
  sql += ", last_ms = CASE WHEN excluded.last_ms > response_cells.last_ms THEN excluded.last_ms ELSE response_cells.last_ms END";
  return sql;
}

/// Sums of one dimension's cells of one size over [from, to) of cell starts, by group and
/// question: grp, question, SUM(n), SUM(p), SUM(v0)..SUM(e6), MIN(first_ms), MAX(last_ms).
/// Parameters 1 survey, 2 dimension, 3 from, 4 to, 5 size.
inline std::string cell_sum_sql(char mark) {
  const std::string m(1, mark);
  std::string sql = "SELECT grp, question, SUM(n)";
  for (const char* c : cell_count_names) sql += std::string(", SUM(") + c + ")";
  sql += ", MIN(first_ms), MAX(last_ms) FROM response_cells WHERE survey_id = " + m + "1 AND dimension = " + m +
         "2 AND size_ms = " + m + "5 AND start_ms >= " + m + "3 AND start_ms < " + m + "4 GROUP BY grp, question";
  return sql;
}
/// Each group's first (first_ms, first_id) in [from, to): cells never share a millisecond
/// (a cell's first_ms lies inside it), so the earliest first_ms names one row. Same parameters.
inline std::string cell_first_sql(char mark) {
  const std::string m(1, mark);
  const std::string where = "survey_id = " + m + "1 AND dimension = " + m + "2 AND size_ms = " + m +
                            "5 AND start_ms >= " + m + "3 AND start_ms < " + m + "4 AND question = ''";
  return "SELECT c.grp, c.first_ms, c.first_id FROM response_cells c JOIN (SELECT grp, MIN(first_ms) AS m FROM "
         "response_cells WHERE " + where + " GROUP BY grp) f ON c.grp = f.grp AND c.first_ms = f.m WHERE c.survey_id = " + m + "1 AND c.dimension = " + m + "2 AND c.size_ms = " + m +
         "5 AND c.start_ms >= " + m + "3 AND c.start_ms < " + m + "4 AND c.question = ''";
}
/// The first and last cell start of a dimension in [from, to) (NULLs when none).
inline std::string cell_span_sql(char mark) {
  const std::string m(1, mark);
  return "SELECT MIN(start_ms), MAX(start_ms) FROM response_cells WHERE survey_id = " + m + "1 AND dimension = " +
         m + "2 AND size_ms = " + m + "5 AND start_ms >= " + m + "3 AND start_ms < " + m + "4";
}

}  // namespace cxm::server::schema

#endif  // CXM_SERVER_STORAGE_SCHEMA_HPP
