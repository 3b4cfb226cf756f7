// SPDX-License-Identifier: MIT
// The SQLite backend. Locking: connections are opened with SQLITE_OPEN_NOMUTEX and every
// connection is used by one thread at a time under this file's own locks (the writer under
// write_mutex_, a reader while leased from the pool), so SQLite's per-connection mutex would
// only be a second lock taken on every call. Readers and the writer are separate connections,
// so in WAL mode a scan reads its snapshot while inserts commit beside it.
#include "server/storage/sqlite_store.hpp"

#include <sqlite3.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "server/storage/schema.hpp"

namespace cxm::server {
namespace {

/// How long a connection waits for another process's lock before SQLITE_BUSY (retry_later).
constexpr int busy_timeout_ms = 5000;
/// Idle read connections kept open; more are opened under load and closed when returned.
constexpr std::size_t max_idle_readers = 4;

struct db_closer {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using db_ptr = std::unique_ptr<sqlite3, db_closer>;
struct stmt_finalizer {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_finalizer>;

/// "SQLite: <what>: <message> (<code name>, extended code N)".
std::string sqlite_error(sqlite3* db, int rc, std::string_view what) {
  std::string s = "SQLite: ";
  s += what;
  s += ": ";
  s += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  s += " (";
  s += sqlite3_errstr(rc);
  s += ", extended code ";
  s += std::to_string(db != nullptr ? sqlite3_extended_errcode(db) : rc);
  s += ")";
  return s;
}

/// BUSY and LOCKED (after the busy timeout) mean another writer holds the database: the caller
/// may try again. Everything else is a failure of the database.
errc map_error(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? errc::retry_later : errc::io_error;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

result<db_ptr> open_connection(const std::string& path, bool create) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  db_ptr db(raw);
  if (rc != SQLITE_OK) return {errc::io_error, sqlite_error(db.get(), rc, "opening " + path)};
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), busy_timeout_ms);
  return db;
}

stmt_ptr prepare(sqlite3* db, const std::string& sql, int& rc) {
  sqlite3_stmt* raw = nullptr;
  rc = sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size() + 1), SQLITE_PREPARE_PERSISTENT, &raw,
                          nullptr);
  return stmt_ptr(raw);
}

/// Binds text without copying: the statement is stepped and reset before the string changes.
int bind_text(sqlite3_stmt* s, int index, const std::string& v) {
  return sqlite3_bind_text64(s, index, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void column_text(sqlite3_stmt* s, int col, std::string& out) {
  const unsigned char* p = sqlite3_column_text(s, col);
  const int n = sqlite3_column_bytes(s, col);  // after column_text, as SQLite requires
  if (p == nullptr) {
    out.clear();
  } else {
    out.assign(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
  }
}

/// Resets a statement (and forgets its bindings) however the scope is left.
struct stmt_reset {
  sqlite3_stmt* s;
  ~stmt_reset() {
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
  }
};

/// Runs one statement that returns no rows; SQLITE_OK or the error code.
int run(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr); }

/// Reads a one-row, one-integer query.
int query_int(sqlite3* db, const char* sql, std::int64_t& out) {
  int rc = SQLITE_OK;
  stmt_ptr s = prepare(db, sql, rc);
  if (rc != SQLITE_OK) return rc;
  rc = sqlite3_step(s.get());
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? SQLITE_ERROR : rc;
  out = sqlite3_column_int64(s.get(), 0);
  return SQLITE_OK;
}

/// Brings the schema to schema::latest_version, one step per transaction. BEGIN IMMEDIATE takes
/// the write lock before the version is read, so two processes opening a new file at once
/// apply each step once.
status migrate(sqlite3* db, const std::string& path, std::string& detail) {
  for (;;) {
    int rc = run(db, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK) {
      detail = sqlite_error(db, rc, "locking " + path + " to check its schema");
      return errc::io_error;
    }
    std::int64_t current = 0;
    std::string what = "reading the schema version";
    if ((rc = run(db, schema::version_table_sql)) == SQLITE_OK &&
        (rc = query_int(db, schema::current_version_sql, current)) == SQLITE_OK) {
      if (current > schema::latest_version) {
        run(db, "ROLLBACK");
        detail = "SQLite database " + path + " has schema version " + std::to_string(current) +
                 "; this cxm knows versions up to " + std::to_string(schema::latest_version) +
                 ": it was written by a newer cxm";
        return errc::unsupported_version;
      }
      if (current == schema::latest_version) {
        if ((rc = run(db, "COMMIT")) == SQLITE_OK) return {};
      } else {
        const schema::migration& step = schema::migrations[static_cast<std::size_t>(current)];
        what = "migrating to schema version " + std::to_string(step.version);
        if ((rc = run(db, step.sql)) == SQLITE_OK) {
          // Numbers only, no outside data: built as text like the DDL itself.
          const std::string record = "INSERT INTO cxm_schema (version, applied_ms) VALUES (" +
                                     std::to_string(step.version) + ", " + std::to_string(now_ms()) + ")";
          if ((rc = run(db, record.c_str())) == SQLITE_OK) rc = run(db, "COMMIT");
        }
      }
    }
    if (rc != SQLITE_OK) {
      detail = sqlite_error(db, rc, what + " of " + path);
      if (sqlite3_get_autocommit(db) == 0) run(db, "ROLLBACK");
      return errc::io_error;
    }
  }
}

/// A read connection and its cached statements. Declared first, `db` is destroyed last.
struct reader {
  db_ptr db;
  std::array<stmt_ptr, 8> response_scans;   // by which filters are present (bit 0 survey, 1 from, 2 to)
  std::array<stmt_ptr, 4> aggregate_scans;  // bit 0 from, bit 1 to
  stmt_ptr counts, cell_sum, cell_first, cell_span;
};

class sqlite_store final : public store {
 public:
  sqlite_store(std::string path, db_ptr writer) : path_(std::move(path)), writer_(std::move(writer)) {}

  status prepare_writes(std::string& detail) {
    static constexpr std::array<const char*, 6> sql = {
        "INSERT INTO responses (id, survey_id, survey_version, source, received_ms, answered_ms, score_mismatch,"
        " record) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
        "INSERT INTO events (id, source, received_ms, record) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
        "INSERT INTO aggregates (source, id, captured_ms, received_ms, snapshot) VALUES (?1, ?2, ?3, ?4, ?5)"
        " ON CONFLICT DO NOTHING",
        "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"};
    std::array<stmt_ptr*, 6> into = {&insert_response_, &insert_event_, &insert_aggregate_, &begin_, &commit_,
                                     &rollback_};
    int rc = SQLITE_OK;
    for (std::size_t i = 0; i < sql.size() && rc == SQLITE_OK; ++i) *into[i] = prepare(writer_.get(), sql[i], rc);
    if (rc == SQLITE_OK) {
      upsert_cell_ = prepare(writer_.get(), schema::cell_upsert_sql('?', ""), rc);
    }
    if (rc != SQLITE_OK) {
      detail = sqlite_error(writer_.get(), rc, "preparing the insert statements");
      return errc::io_error;
    }
    return {};
  }

  status insert(const std::vector<response_row>& rows, const std::vector<event_row>& events,
                const std::vector<aggregate_row>& aggregates, std::vector<insert_outcome>& outcomes,
                std::string& detail) override {
    outcomes.clear();
    std::vector<insert_outcome> out;
    out.reserve(rows.size() + events.size() + aggregates.size());
    std::lock_guard<std::mutex> lock(write_mutex_);
    sqlite3* db = writer_.get();
    int rc = step_once(begin_.get());
    if (rc != SQLITE_DONE) return fail(rc, "beginning a transaction", detail);
    // Rolls back however the scope is left before COMMIT succeeds (errors, exceptions).
    struct rollback_guard {
      sqlite_store& self;
      ~rollback_guard() {
        if (sqlite3_get_autocommit(self.writer_.get()) == 0) self.step_once(self.rollback_.get());
      }
    } guard{*this};

    for (const response_row& r : rows) {
      sqlite3_stmt* s = insert_response_.get();
      bind_text(s, 1, r.id);
      bind_text(s, 2, r.survey_id);
      sqlite3_bind_int64(s, 3, r.survey_version);
      bind_text(s, 4, r.source);
      sqlite3_bind_int64(s, 5, r.received_ms);
      sqlite3_bind_int64(s, 6, r.answered_ms);
      sqlite3_bind_int(s, 7, r.score_mismatch ? 1 : 0);
      bind_text(s, 8, r.record);
      if ((rc = step_once(s)) != SQLITE_DONE) return fail(rc, "storing response \"" + r.id + "\"", detail);
      out.push_back(sqlite3_changes(db) == 1 ? insert_outcome::stored : insert_outcome::duplicate);
    }
    // Only new rows count in the cells: a duplicate was counted when it was first stored.
    if ((rc = add_cells(sum_new_cells(rows, out))) != SQLITE_DONE) return fail(rc, "counting the responses in their cells", detail);
    for (const event_row& e : events) {
      sqlite3_stmt* s = insert_event_.get();
      bind_text(s, 1, e.id);
      bind_text(s, 2, e.source);
      sqlite3_bind_int64(s, 3, e.received_ms);
      bind_text(s, 4, e.record);
      if ((rc = step_once(s)) != SQLITE_DONE) return fail(rc, "storing event \"" + e.id + "\"", detail);
      out.push_back(sqlite3_changes(db) == 1 ? insert_outcome::stored : insert_outcome::duplicate);
    }
    for (const aggregate_row& a : aggregates) {
      sqlite3_stmt* s = insert_aggregate_.get();
      bind_text(s, 1, a.source);
      bind_text(s, 2, a.id);
      sqlite3_bind_int64(s, 3, a.captured_ms);
      sqlite3_bind_int64(s, 4, a.received_ms);
      bind_text(s, 5, a.snapshot);
      if ((rc = step_once(s)) != SQLITE_DONE) {
        return fail(rc, "storing aggregates \"" + a.source + "\"/\"" + a.id + "\"", detail);
      }
      out.push_back(sqlite3_changes(db) == 1 ? insert_outcome::stored : insert_outcome::duplicate);
    }
    // A COMMIT that fails (SQLITE_BUSY while readers hold the WAL, I/O) leaves the
    // transaction open: the guard rolls it back.
    if ((rc = step_once(commit_.get())) != SQLITE_DONE) return fail(rc, "committing", detail);
    outcomes = std::move(out);
    return {};
  }

  status scan_responses(const response_query& q, const std::function<bool(const response_row&)>& fn,
                        std::string& detail) override {
    const std::size_t variant = (q.survey_id.empty() ? 0U : 1U) | (q.from_ms ? 2U : 0U) | (q.to_ms ? 4U : 0U);
    lease r(*this);
    if (!r.ok(detail)) return errc::io_error;
    stmt_ptr& slot = r->response_scans[variant];
    if (!slot) {
      std::string sql = schema::response_columns;
      const char* sep = " WHERE ";
      if ((variant & 1U) != 0) sql += std::exchange(sep, " AND ") + std::string("survey_id = ?1");
      if ((variant & 2U) != 0) sql += std::exchange(sep, " AND ") + std::string("answered_ms >= ?2");
      if ((variant & 4U) != 0) sql += std::exchange(sep, " AND ") + std::string("answered_ms < ?3");
      sql += " ORDER BY answered_ms, id";
      int rc = SQLITE_OK;
      slot = prepare(r->db.get(), sql, rc);
      if (rc != SQLITE_OK) return fail_read(r->db.get(), rc, "preparing a response scan", detail);
    }
    sqlite3_stmt* s = slot.get();
    stmt_reset reset{s};
    if ((variant & 1U) != 0) bind_text(s, 1, q.survey_id);
    if ((variant & 2U) != 0) sqlite3_bind_int64(s, 2, *q.from_ms);
    if ((variant & 4U) != 0) sqlite3_bind_int64(s, 3, *q.to_ms);
    response_row row;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      column_text(s, 0, row.id);
      column_text(s, 1, row.survey_id);
      row.survey_version = sqlite3_column_int64(s, 2);
      column_text(s, 3, row.source);
      row.received_ms = sqlite3_column_int64(s, 4);
      row.answered_ms = sqlite3_column_int64(s, 5);
      row.score_mismatch = sqlite3_column_int64(s, 6) != 0;
      column_text(s, 7, row.record);
      if (!fn(row)) return {};
    }
    if (rc != SQLITE_DONE) return fail_read(r->db.get(), rc, "scanning responses", detail);
    return {};
  }

  status scan_aggregates(std::optional<std::int64_t> from_ms, std::optional<std::int64_t> to_ms,
                         const std::function<bool(const aggregate_row&)>& fn, std::string& detail) override {
    const std::size_t variant = (from_ms ? 1U : 0U) | (to_ms ? 2U : 0U);
    lease r(*this);
    if (!r.ok(detail)) return errc::io_error;
    stmt_ptr& slot = r->aggregate_scans[variant];
    if (!slot) {
      std::string sql = schema::aggregate_columns;
      if (variant == 1) sql += " WHERE captured_ms >= ?1";
      if (variant == 2) sql += " WHERE captured_ms < ?2";
      if (variant == 3) sql += " WHERE captured_ms >= ?1 AND captured_ms < ?2";
      sql += " ORDER BY captured_ms, source, id";
      int rc = SQLITE_OK;
      slot = prepare(r->db.get(), sql, rc);
      if (rc != SQLITE_OK) return fail_read(r->db.get(), rc, "preparing an aggregates scan", detail);
    }
    sqlite3_stmt* s = slot.get();
    stmt_reset reset{s};
    if (from_ms) sqlite3_bind_int64(s, 1, *from_ms);
    if (to_ms) sqlite3_bind_int64(s, 2, *to_ms);
    aggregate_row row;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      column_text(s, 0, row.source);
      column_text(s, 1, row.id);
      row.captured_ms = sqlite3_column_int64(s, 2);
      row.received_ms = sqlite3_column_int64(s, 3);
      column_text(s, 4, row.snapshot);
      if (!fn(row)) return {};
    }
    if (rc != SQLITE_DONE) return fail_read(r->db.get(), rc, "scanning aggregates", detail);
    return {};
  }

  status counts(store_counts& out, std::string& detail) override {
    lease r(*this);
    if (!r.ok(detail)) return errc::io_error;
    if (!r->counts) {
      int rc = SQLITE_OK;
      r->counts = prepare(r->db.get(), schema::counts_sql, rc);
      if (rc != SQLITE_OK) return fail_read(r->db.get(), rc, "preparing the counts", detail);
    }
    sqlite3_stmt* s = r->counts.get();
    stmt_reset reset{s};
    const int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW) return fail_read(r->db.get(), rc, "counting", detail);
    out.responses = static_cast<std::uint64_t>(sqlite3_column_int64(s, 0));
    out.events = static_cast<std::uint64_t>(sqlite3_column_int64(s, 1));
    out.aggregates = static_cast<std::uint64_t>(sqlite3_column_int64(s, 2));
    out.score_mismatches = static_cast<std::uint64_t>(sqlite3_column_int64(s, 3));
    return {};
  }

  status sum_cells(const cell_range& q, const std::function<void(const cell_sum&)>& fn,
                   std::string& detail) override {
    return cell_query(q, &reader::cell_sum, schema::cell_sum_sql('?'), detail, [&](sqlite3_stmt* s) {
      cell_sum c;
      column_text(s, 0, c.group);
      column_text(s, 1, c.question);
      c.n = sqlite3_column_int64(s, 2);
      for (int i = 0; i < schema::cell_counts; ++i) c.counts[static_cast<std::size_t>(i)] = sqlite3_column_int64(s, 3 + i);
      c.first_ms = sqlite3_column_int64(s, 3 + schema::cell_counts);
      c.last_ms = sqlite3_column_int64(s, 4 + schema::cell_counts);
      fn(c);
    });
  }

  status first_in_cells(const cell_range& q,
                        const std::function<void(const std::string&, std::int64_t, const std::string&)>& fn,
                        std::string& detail) override {
    std::string group, id;
    return cell_query(q, &reader::cell_first, schema::cell_first_sql('?'), detail, [&](sqlite3_stmt* s) {
      column_text(s, 0, group);
      column_text(s, 2, id);
      fn(group, sqlite3_column_int64(s, 1), id);
    });
  }

  status cell_span(const cell_range& q, std::optional<std::int64_t>& first, std::optional<std::int64_t>& last,
                   std::string& detail) override {
    first.reset();
    last.reset();
    return cell_query(q, &reader::cell_span, schema::cell_span_sql('?'), detail, [&](sqlite3_stmt* s) {
      if (sqlite3_column_type(s, 0) == SQLITE_NULL) return;
      first = sqlite3_column_int64(s, 0);
      last = sqlite3_column_int64(s, 1);
    });
  }

  status rebuild_cells_if_needed(const cell_maker& make, bool& rebuilt, std::string& detail) override {
    rebuilt = false;
    std::lock_guard<std::mutex> lock(write_mutex_);
    sqlite3* db = writer_.get();
    int rc = step_once(begin_.get());
    if (rc != SQLITE_DONE) return fail(rc, "beginning the cells' rebuild", detail);
    struct rollback_guard {
      sqlite_store& self;
      ~rollback_guard() {
        if (sqlite3_get_autocommit(self.writer_.get()) == 0) self.step_once(self.rollback_.get());
      }
    } guard{*this};
    std::int64_t pending = 0;
    if ((rc = query_int(db, "SELECT COUNT(*) FROM cxm_cells_rebuild", pending)) != SQLITE_OK)
      return fail(rc, "reading cxm_cells_rebuild", detail);
    if (pending == 0) {
      if ((rc = step_once(commit_.get())) != SQLITE_DONE) return fail(rc, "committing", detail);
      return {};
    }
    if ((rc = run(db, "DELETE FROM response_cells; DELETE FROM cxm_cells_rebuild")) != SQLITE_OK)
      return fail(rc, "clearing the cells", detail);
    stmt_ptr scan = prepare(db, schema::response_columns, rc);
    if (rc != SQLITE_OK) return fail(rc, "preparing the cells' rebuild", detail);
    // In chunks: the cells of a chunk are summed before they are written.
    std::vector<response_row> chunk;
    const auto flush = [&]() {
      const int done = add_cells(sum_new_cells(chunk, std::vector<insert_outcome>(chunk.size(), insert_outcome::stored)));
      chunk.clear();
      return done;
    };
    while ((rc = sqlite3_step(scan.get())) == SQLITE_ROW) {
      response_row row;
      column_text(scan.get(), 0, row.id);
      column_text(scan.get(), 1, row.survey_id);
      row.answered_ms = sqlite3_column_int64(scan.get(), 5);
      column_text(scan.get(), 7, row.record);
      make(row, row.cells);
      row.record.clear();
      chunk.push_back(std::move(row));
      if (chunk.size() == 10000 && (rc = flush()) != SQLITE_DONE) return fail(rc, "rebuilding the cells", detail);
    }
    if (rc == SQLITE_DONE) rc = flush();
    if (rc != SQLITE_DONE) return fail(rc, "scanning responses for the cells", detail);
    scan.reset();
    if ((rc = step_once(commit_.get())) != SQLITE_DONE) return fail(rc, "committing the cells' rebuild", detail);
    rebuilt = true;
    return {};
  }

  std::string describe() const override { return "sqlite:" + path_; }

 private:
  /// Adds `cells` to response_cells; SQLITE_DONE or the error.
  int add_cells(const std::vector<cell_delta>& cells) {
    sqlite3_stmt* s = upsert_cell_.get();
    for (const cell_delta& c : cells) {
      bind_text(s, 1, c.survey_id);
      bind_text(s, 2, c.dimension);
      sqlite3_bind_int64(s, 3, c.size_ms);
      sqlite3_bind_int64(s, 4, c.start_ms);
      bind_text(s, 5, c.group);
      bind_text(s, 6, c.question);
      sqlite3_bind_int64(s, 7, c.n);
      for (int i = 0; i < schema::cell_counts; ++i) sqlite3_bind_int64(s, 8 + i, c.counts[static_cast<std::size_t>(i)]);
      sqlite3_bind_int64(s, 27, c.first_ms);
      bind_text(s, 28, c.first_id);
      sqlite3_bind_int64(s, 29, c.last_ms);
      if (const int rc = step_once(s); rc != SQLITE_DONE) return rc;
    }
    return SQLITE_DONE;
  }

  /// Runs one of the cell queries (parameters: survey, dimension, from, to, size) on a leased reader.
  template <class OnRow>
  status cell_query(const cell_range& q, stmt_ptr reader::*slot, const std::string& sql, std::string& detail,
                    OnRow&& on_row) {
    lease r(*this);
    if (!r.ok(detail)) return errc::io_error;
    stmt_ptr& st = (*r.operator->()).*slot;
    int rc = SQLITE_OK;
    if (!st) {
      st = prepare(r->db.get(), sql, rc);
      if (rc != SQLITE_OK) return fail_read(r->db.get(), rc, "preparing a cells query", detail);
    }
    sqlite3_stmt* s = st.get();
    stmt_reset reset{s};
    bind_text(s, 1, q.survey_id);
    bind_text(s, 2, q.dimension);
    sqlite3_bind_int64(s, 3, q.from_ms);
    sqlite3_bind_int64(s, 4, q.to_ms);
    sqlite3_bind_int64(s, 5, q.size_ms);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) on_row(s);
    if (rc != SQLITE_DONE) return fail_read(r->db.get(), rc, "reading cells", detail);
    return {};
  }

  /// A read connection borrowed from the pool for one call, returned on scope exit.
  class lease {
   public:
    explicit lease(sqlite_store& owner) : owner_(owner) {
      {
        std::lock_guard<std::mutex> lock(owner_.pool_mutex_);
        if (!owner_.idle_.empty()) {
          r_ = std::move(owner_.idle_.back());
          owner_.idle_.pop_back();
          return;
        }
      }
      // Opened outside the pool's lock: opening touches the file and may wait.
      result<db_ptr> db = open_connection(owner_.path_, false);
      if (!db) {
        error_ = db.detail();
        return;
      }
      // query_only: a reader can never write, whatever a future bug asks of it.
      const int rc = run(db.value().get(), "PRAGMA query_only = ON");
      if (rc != SQLITE_OK) {
        error_ = sqlite_error(db.value().get(), rc, "configuring a read connection");
        return;
      }
      r_ = std::make_unique<reader>();
      r_->db = std::move(db).value();
    }
    ~lease() {
      if (!r_) return;
      std::lock_guard<std::mutex> lock(owner_.pool_mutex_);
      if (owner_.idle_.size() < max_idle_readers) owner_.idle_.push_back(std::move(r_));
    }
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;

    bool ok(std::string& detail) const {
      if (!r_) detail = error_;
      return r_ != nullptr;
    }
    reader* operator->() const { return r_.get(); }

   private:
    sqlite_store& owner_;
    std::unique_ptr<reader> r_;
    std::string error_;
  };

  int step_once(sqlite3_stmt* s) {
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return rc;
  }

  status fail(int rc, const std::string& what, std::string& detail) const {
    detail = sqlite_error(writer_.get(), rc, what + " in " + path_);
    return map_error(rc);
  }
  status fail_read(sqlite3* db, int rc, const std::string& what, std::string& detail) const {
    detail = sqlite_error(db, rc, what + " in " + path_);
    return map_error(rc);
  }

  std::string path_;
  std::mutex write_mutex_;  // guards writer_ and its statements
  db_ptr writer_;           // declared before its statements: closed after they are finalized
  stmt_ptr insert_response_, insert_event_, insert_aggregate_, upsert_cell_, begin_, commit_, rollback_;
  std::mutex pool_mutex_;  // guards idle_
  std::vector<std::unique_ptr<reader>> idle_;
};

}  // namespace

result<std::unique_ptr<store>> open_sqlite_store(const std::string& path, sync_mode sync) {
  if (path.empty()) return {errc::invalid_argument, "the SQLite store needs a file path"};
  result<db_ptr> opened = open_connection(path, true);
  if (!opened) return {opened.code(), opened.detail()};
  db_ptr db = std::move(opened).value();

  // WAL: readers see the last commit while a writer works, and a commit is one append.
  // The journal mode is stored in the file; the answer says whether it took.
  int rc = SQLITE_OK;
  {
    stmt_ptr s = prepare(db.get(), "PRAGMA journal_mode = WAL", rc);
    if (rc == SQLITE_OK) rc = sqlite3_step(s.get());
    if (rc != SQLITE_ROW) {
      return {errc::io_error, sqlite_error(db.get(), rc, "switching " + path + " to WAL mode")};
    }
    const unsigned char* mode = sqlite3_column_text(s.get(), 0);
    if (mode == nullptr || std::string_view(reinterpret_cast<const char*>(mode)) != "wal") {
      return {errc::io_error, "SQLite: " + path + " cannot use WAL mode (journal mode stays \"" +
                                  std::string(mode != nullptr ? reinterpret_cast<const char*>(mode) : "") + "\")"};
    }
  }
  // FULL syncs the WAL at every commit (survives power loss); NORMAL syncs only at checkpoints
  // (a commit survives the process dying, not the machine).
  const char* sync_sql = sync == sync_mode::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
  if ((rc = run(db.get(), sync_sql)) != SQLITE_OK) {
    return {errc::io_error, sqlite_error(db.get(), rc, "setting synchronous on " + path)};
  }
  std::string detail;
  if (status st = migrate(db.get(), path, detail); !st) return {st.code(), detail};
  auto s = std::make_unique<sqlite_store>(path, std::move(db));
  if (status st = s->prepare_writes(detail); !st) return {st.code(), detail};
  return std::unique_ptr<store>(std::move(s));
}

}  // namespace cxm::server
