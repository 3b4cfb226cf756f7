// SPDX-License-Identifier: MIT
// The collector's schema and its migrations, shared by both backends: the DDL below is written
// in the subset SQLite and PostgreSQL agree on (BIGINT, TEXT, BOOLEAN, CHECK), so there is one
// schema to document and one list of versions. Internal to server/storage.
#ifndef CXM_SERVER_STORAGE_SCHEMA_HPP
#define CXM_SERVER_STORAGE_SCHEMA_HPP

#include <cstdint>

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
};

/// The highest version this build knows; a database above it was written by a newer cxm.
inline constexpr std::int64_t latest_version = 1;

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

}  // namespace cxm::server::schema

#endif  // CXM_SERVER_STORAGE_SCHEMA_HPP
