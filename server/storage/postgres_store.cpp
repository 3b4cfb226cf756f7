// SPDX-License-Identifier: MIT
// The PostgreSQL backend. Several collector instances may share the database, so everything
// that must happen once happens in the database: unique keys with ON CONFLICT DO NOTHING for
// rows, a transaction-scoped advisory lock for migrations. Inside one instance, inserts go
// through one writer connection under write_mutex_ (as the store interface promises) and scans
// borrow pooled connections, each used by one thread at a time.
//
// Data only ever travels as statement parameters. Text goes in binary format (the bytes as
// they are, with their length: no NUL-terminated copies, and a NUL or invalid UTF-8 is
// refused by the server instead of being cut short); results come back in text format,
// which for TEXT columns is the stored bytes unchanged.
#include "server/storage/postgres_store.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cstring>
#include <mutex>
#include <numeric>
#include <optional>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "server/storage/postgres_params.hpp"
#include "server/storage/postgres_session.hpp"
#include "server/storage/schema.hpp"

namespace cxm::server {
namespace {

using pg::cell_arrays;
using pg::conn_ptr;
using pg::exec;
using pg::fail;
using pg::params;
using pg::result_ptr;
using pg::rollback_guard;
using pg::trimmed;

/// Idle pooled read connections kept open; more are opened under load, closed when returned.
constexpr std::size_t max_idle_readers = 4;


/// A connection and whether its session is set up (settings, prepared statements) since it
/// was last (re)connected: PQreset starts a new session, which knows none of them.
struct connection {
  conn_ptr conn;
  bool ready = false;
};

constexpr std::array<std::pair<const char*, const char*>, 3> insert_statements = {{
    {"cxm_insert_response",
     "INSERT INTO responses (id, survey_id, survey_version, source, received_ms, answered_ms, score_mismatch, record)"
     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING"},
    {"cxm_insert_event",
     "INSERT INTO events (id, source, received_ms, record) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"},
    {"cxm_insert_aggregate",
     "INSERT INTO aggregates (source, id, captured_ms, received_ms, snapshot) VALUES ($1, $2, $3, $4, $5)"
     " ON CONFLICT DO NOTHING"},
}};


std::int64_t get_int(const PGresult* r, int row, int col) {
  const char* text = PQgetvalue(r, row, col);
  std::int64_t v = 0;
  std::from_chars(text, text + PQgetlength(r, row, col), v);
  return v;
}
void get_text(const PGresult* r, int row, int col, std::string& out) {
  out.assign(PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col)));
}

/// Statement parameters: text values by pointer and length in binary format, numbers as text.
/// Appends "<column> >= $n" / "<column> < $n" for the bounds given, as parameters of `p`.
void add_range(std::string& sql, params& p, const char*& sep, const char* column, std::optional<std::int64_t> from,
               std::optional<std::int64_t> to) {
  if (from) {
    p.number(*from);
    sql += std::exchange(sep, " AND ") + std::string(column) + " >= $" + std::to_string(p.count());
  }
  if (to) {
    p.number(*to);
    sql += std::exchange(sep, " AND ") + std::string(column) + " < $" + std::to_string(p.count());
  }
}

/// Positions 0..n-1 sorted by key (stable: a key's first occurrence keeps its place).
template <class Key>
std::vector<std::size_t> key_order(std::size_t n, Key key) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  return order;
}

class postgres_store final : public store {
 public:
  postgres_store(std::string url, connection writer)
      : url_(std::move(url)), shown_(redact_postgres_url(url_)), writer_(std::move(writer)) {}

  /// Prepares the insert statements (after the migration created their tables).
  status prepare_writer(std::string& detail) { return ensure(writer_, true, detail); }

  /// Connects or reconnects `c` when needed and sets its session up. retry_later when the
  /// server cannot be reached now.
  status ensure(connection& c, bool writer, std::string& detail) {
    if (!c.conn) {
      c.conn = pg::connect(url_);
      c.ready = false;
      if (!c.conn) {
        detail = "PostgreSQL: out of memory connecting to " + shown_;
        return errc::io_error;
      }
    }
    if (PQstatus(c.conn.get()) != CONNECTION_OK) {
      PQreset(c.conn.get());
      c.ready = false;
      if (PQstatus(c.conn.get()) != CONNECTION_OK) {
        detail = "PostgreSQL: cannot connect to " + shown_ + ": " + trimmed(PQerrorMessage(c.conn.get()));
        return errc::retry_later;
      }
    }
    if (c.ready) return {};
    if (status st = pg::set_session(c.conn.get(), detail); !st) return st;
    if (writer) {
      for (const auto& [name, sql] : insert_statements) {
        result_ptr r(PQprepare(c.conn.get(), name, sql, 0, nullptr));
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
          return fail(c.conn.get(), r.get(), "preparing the insert statements", detail);
        }
      }
      static const std::string upsert = schema::cell_upsert_sql('$', " COLLATE \"C\"", true);
      result_ptr r(PQprepare(c.conn.get(), "cxm_upsert_cell", upsert.c_str(), 0, nullptr));
      if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
        return fail(c.conn.get(), r.get(), "preparing the cell statement", detail);
      }
    }
    c.ready = true;
    return {};
  }

  status insert(const std::vector<response_row>& rows, const std::vector<event_row>& events,
                const std::vector<aggregate_row>& aggregates, std::vector<insert_outcome>& outcomes,
                std::string& detail) override {
    outcomes.clear();
    std::vector<insert_outcome> out(rows.size() + events.size() + aggregates.size(), insert_outcome::duplicate);
    std::lock_guard<std::mutex> lock(write_mutex_);
    for (int attempt = 0;; ++attempt) {
      if (status st = ensure(writer_, true, detail); !st) return st;
      bool commit_sent = false;
      const status st = insert_once(rows, events, aggregates, out, commit_sent, detail);
      if (st.ok()) {
        outcomes = std::move(out);
        return {};
      }
      // A connection the server dropped while idle (restart, idle timeout) fails the first
      // statement: nothing was committed, so reconnect and run the call once more. After
      // COMMIT was sent its fate is unknown: the caller retries, and the keys make that safe.
      const bool dropped = PQstatus(writer_.conn.get()) == CONNECTION_BAD;
      if (!dropped || commit_sent || attempt > 0) return st;
    }
  }

  status scan_responses(const response_query& q, const std::function<bool(const response_row&)>& fn,
                        std::string& detail) override {
    std::string sql = std::string("DECLARE cxm_scan NO SCROLL CURSOR FOR ") + schema::response_columns;
    params p;
    const char* sep = " WHERE ";
    if (!q.survey_id.empty()) {
      p.text(q.survey_id);
      sql += std::exchange(sep, " AND ") + std::string("survey_id = $") + std::to_string(p.count());
    }
    add_range(sql, p, sep, "answered_ms", q.from_ms, q.to_ms);
    // COLLATE "C": ids order by their bytes, as in SQLite, whatever the database's locale.
    sql += " ORDER BY answered_ms, id COLLATE \"C\"";
    response_row row;
    return scan(sql, p, "scanning responses", detail, [&](const PGresult* r, int i) {
      get_text(r, i, 0, row.id);
      get_text(r, i, 1, row.survey_id);
      row.survey_version = get_int(r, i, 2);
      get_text(r, i, 3, row.source);
      row.received_ms = get_int(r, i, 4);
      row.answered_ms = get_int(r, i, 5);
      row.score_mismatch = PQgetvalue(r, i, 6)[0] == 't';
      get_text(r, i, 7, row.record);
      return fn(row);
    });
  }

  status scan_aggregates(std::optional<std::int64_t> from_ms, std::optional<std::int64_t> to_ms,
                         const std::function<bool(const aggregate_row&)>& fn, std::string& detail) override {
    std::string sql = std::string("DECLARE cxm_scan NO SCROLL CURSOR FOR ") + schema::aggregate_columns;
    params p;
    const char* sep = " WHERE ";
    add_range(sql, p, sep, "captured_ms", from_ms, to_ms);
    sql += " ORDER BY captured_ms, source COLLATE \"C\", id COLLATE \"C\"";
    aggregate_row row;
    return scan(sql, p, "scanning aggregates", detail, [&](const PGresult* r, int i) {
      get_text(r, i, 0, row.source);
      get_text(r, i, 1, row.id);
      row.captured_ms = get_int(r, i, 2);
      row.received_ms = get_int(r, i, 3);
      get_text(r, i, 4, row.snapshot);
      return fn(row);
    });
  }

  status counts(store_counts& out, std::string& detail) override {
    return with_reader(detail, [&](PGconn* c, bool&) -> status {
      result_ptr r;
      if (status st = exec(c, schema::counts_sql, PGRES_TUPLES_OK, "counting", detail, &r); !st) return st;
      out.responses = static_cast<std::uint64_t>(get_int(r.get(), 0, 0));
      out.events = static_cast<std::uint64_t>(get_int(r.get(), 0, 1));
      out.aggregates = static_cast<std::uint64_t>(get_int(r.get(), 0, 2));
      out.score_mismatches = static_cast<std::uint64_t>(get_int(r.get(), 0, 3));
      return {};
    });
  }

  status sum_cells(const cell_range& q, const std::function<void(const cell_sum&)>& fn,
                   std::string& detail) override {
    return cell_query(q, schema::cell_sum_sql('$'), detail, [&](const PGresult* r, int i) {
      cell_sum c;
      get_text(r, i, 0, c.group);
      get_text(r, i, 1, c.question);
      c.n = get_int(r, i, 2);
      for (int k = 0; k < schema::cell_counts; ++k) c.counts[static_cast<std::size_t>(k)] = get_int(r, i, 3 + k);
      c.first_ms = get_int(r, i, 3 + schema::cell_counts);
      c.last_ms = get_int(r, i, 4 + schema::cell_counts);
      fn(c);
    });
  }

  status first_in_cells(const cell_range& q,
                        const std::function<void(const std::string&, std::int64_t, const std::string&)>& fn,
                        std::string& detail) override {
    std::string group, id;
    return cell_query(q, schema::cell_first_sql('$'), detail, [&](const PGresult* r, int i) {
      get_text(r, i, 0, group);
      get_text(r, i, 2, id);
      fn(group, get_int(r, i, 1), id);
    });
  }

  status cell_span(const cell_range& q, std::optional<std::int64_t>& first, std::optional<std::int64_t>& last,
                   std::string& detail) override {
    first.reset();
    last.reset();
    return cell_query(q, schema::cell_span_sql('$'), detail, [&](const PGresult* r, int i) {
      if (PQgetisnull(r, i, 0)) return;
      first = get_int(r, i, 0);
      last = get_int(r, i, 1);
    });
  }

  // On the writer connection, in one transaction: DELETE of the request row takes its lock,
  // so an instance starting at the same time waits here and then finds no row to delete.
  // One statement per 10,000 responses: a one-time cost when a version 1 database is upgraded.
  status rebuild_cells_if_needed(const cell_maker& make, bool& rebuilt, std::string& detail) override {
    rebuilt = false;
    std::lock_guard<std::mutex> lock(write_mutex_);
    if (status st = ensure(writer_, true, detail); !st) return st;
    PGconn* c = writer_.conn.get();
    if (status st = exec(c, "BEGIN", PGRES_COMMAND_OK, "beginning the cells' rebuild", detail); !st) return st;
    rollback_guard guard{c};
    result_ptr taken;
    if (status st = exec(c, "DELETE FROM cxm_cells_rebuild", PGRES_COMMAND_OK, "reading cxm_cells_rebuild", detail, &taken); !st)
      return st;
    if (std::strcmp(PQcmdTuples(taken.get()), "0") == 0) return exec(c, "COMMIT", PGRES_COMMAND_OK, "committing", detail);
    if (status st = exec(c, "DELETE FROM response_cells", PGRES_COMMAND_OK, "clearing the cells", detail); !st) return st;
    const std::string declare = std::string("DECLARE cxm_rebuild NO SCROLL CURSOR FOR ") + schema::response_columns;
    if (status st = exec(c, declare.c_str(), PGRES_COMMAND_OK, "scanning responses for the cells", detail); !st) return st;
    // A batch of rows at a time: its cells are summed, then upserted.
    params p;
    for (bool more = true; more;) {
      result_ptr batch;
      if (status st = exec(c, "FETCH 10000 FROM cxm_rebuild", PGRES_TUPLES_OK, "scanning responses", detail, &batch); !st)
        return st;
      const int n = PQntuples(batch.get());
      more = n > 0;
      std::vector<response_row> rows(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) {
        response_row& row = rows[static_cast<std::size_t>(i)];
        get_text(batch.get(), i, 0, row.id);
        get_text(batch.get(), i, 1, row.survey_id);
        row.answered_ms = get_int(batch.get(), i, 5);
        get_text(batch.get(), i, 7, row.record);
        make(row, row.cells);
        row.record.clear();
      }
      const std::vector<cell_delta> cells = sum_new_cells(rows, std::vector<insert_outcome>(rows.size(), insert_outcome::stored));
      if (cells.empty()) continue;
      p.clear();
      cell_arrays(p, cells);
      result_ptr r(PQexecPrepared(c, "cxm_upsert_cell", p.count(), p.values(), p.lengths(), p.formats(), 0));
      if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return fail(c, r.get(), "rebuilding the cells", detail);
    }
    if (status st = exec(c, "COMMIT", PGRES_COMMAND_OK, "committing the cells' rebuild", detail); !st) return st;
    rebuilt = true;
    return {};
  }

  std::string describe() const override { return shown_; }

 private:
  /// Runs one of the cell queries (parameters: survey, dimension, from, to) on a pooled reader.
  template <class OnRow>
  status cell_query(const cell_range& q, const std::string& sql, std::string& detail, OnRow&& on_row) {
    return with_reader(detail, [&](PGconn* c, bool& delivered) -> status {
      params p;
      p.text(q.survey_id), p.text(q.dimension), p.number(q.from_ms), p.number(q.to_ms), p.number(q.size_ms);
      result_ptr r(PQexecParams(c, sql.c_str(), p.count(), nullptr, p.values(), p.lengths(), p.formats(), 0));
      if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) return fail(c, r.get(), "reading cells", detail);
      delivered = true;
      for (int i = 0; i < PQntuples(r.get()); ++i) on_row(r.get(), i);
      return {};
    });
  }

  // BEGIN runs on its own (a connection dropped while idle fails there, before anything was
  // sent: the caller reconnects and tries once more); then every insert and the COMMIT go out
  // in one libpq pipeline, one round trip for the whole group instead of one per row, and
  // their results come back in order.
  status insert_once(const std::vector<response_row>& rows, const std::vector<event_row>& events,
                     const std::vector<aggregate_row>& aggregates, std::vector<insert_outcome>& out,
                     bool& commit_sent, std::string& detail) {
    PGconn* c = writer_.conn.get();
    if (status st = exec(c, "BEGIN", PGRES_COMMAND_OK, "beginning a transaction", detail); !st) return st;
    rollback_guard guard{c};  // after the pipeline is left (declared first: destroyed last)
    if (PQenterPipelineMode(c) != 1) return fail(c, nullptr, "entering pipeline mode", detail);
    struct pipeline_exit {
      PGconn* c;
      ~pipeline_exit() { PQexitPipelineMode(c); }
    } leave{c};
    constexpr std::size_t commit_slot = static_cast<std::size_t>(-1);
    constexpr std::size_t cells_slot = static_cast<std::size_t>(-2);
    struct sent_query {
      std::size_t slot;
      std::string what;
    };
    std::vector<sent_query> sent;
    params p;
    auto send = [&](const char* statement, std::size_t slot, std::string what) -> status {
      if (p.too_large()) {
        detail = "PostgreSQL: " + what + ": a value is over 2 GiB";
        return errc::io_error;
      }
      if (PQsendQueryPrepared(c, statement, p.count(), p.values(), p.lengths(), p.formats(), 0) != 1)
        return fail(c, nullptr, what, detail);
      sent.push_back({slot, std::move(what)});
      return {};
    };
    // A failure before every query was read leaves the connection mid-pipeline: reset it, which
    // also discards the open transaction (nothing of the call is stored unless COMMIT ran, and
    // then the caller's retry finds duplicates).
    auto broken = [&](status st) {
      PQreset(c);
      writer_.ready = false;
      return st;
    };
    // Keys are inserted in sorted order (per table, tables in a fixed order): two instances
    // inserting overlapping keys then wait on each other's row locks in the same order and
    // cannot deadlock. Outcomes still land at the rows' own positions.
    for (std::size_t i : key_order(rows.size(), [&](std::size_t k) -> const std::string& { return rows[k].id; })) {
      const response_row& r = rows[i];
      p.clear();
      p.text(r.id), p.text(r.survey_id), p.number(r.survey_version), p.text(r.source);
      p.number(r.received_ms), p.number(r.answered_ms), p.boolean(r.score_mismatch), p.text(r.record);
      if (status st = send("cxm_insert_response", i, "storing response \"" + r.id + "\""); !st) return broken(st);
    }
    const std::size_t events_at = rows.size();
    for (std::size_t i : key_order(events.size(), [&](std::size_t k) -> const std::string& { return events[k].id; })) {
      const event_row& e = events[i];
      p.clear();
      p.text(e.id), p.text(e.source), p.number(e.received_ms), p.text(e.record);
      if (status st = send("cxm_insert_event", events_at + i, "storing event \"" + e.id + "\""); !st) return broken(st);
    }
    const std::size_t aggregates_at = rows.size() + events.size();
    auto aggregate_key = [&](std::size_t k) { return std::tie(aggregates[k].source, aggregates[k].id); };
    for (std::size_t i : key_order(aggregates.size(), aggregate_key)) {
      const aggregate_row& a = aggregates[i];
      p.clear();
      p.text(a.source), p.text(a.id), p.number(a.captured_ms), p.number(a.received_ms), p.text(a.snapshot);
      const std::string what = "storing aggregates \"" + a.source + "\"/\"" + a.id + "\"";
      if (status st = send("cxm_insert_aggregate", aggregates_at + i, what); !st) return broken(st);
    }
    // One result per query (then a null), in the order sent, then the sync; after the first
    // error the rest come back PGRES_PIPELINE_ABORTED and the transaction is rolled back by
    // the guard.
    const auto collect = [&]() -> status {
      status first_error;
      for (const auto& q : sent) {
        result_ptr r(PQgetResult(c));
        if (!r) return broken(fail(c, nullptr, q.what, detail));
        const ExecStatusType t = PQresultStatus(r.get());
        if (first_error.ok()) {
          if (q.slot == commit_slot) {
            // A COMMIT of a transaction that failed answers "ROLLBACK": check the tag too.
            if (t != PGRES_COMMAND_OK || std::strcmp(PQcmdStatus(r.get()), "COMMIT") != 0)
              first_error = fail(c, r.get(), q.what, detail);
          } else if (t != PGRES_COMMAND_OK) {
            first_error = fail(c, r.get(), q.what, detail);
          } else if (q.slot != cells_slot) {
            out[q.slot] = std::strcmp(PQcmdTuples(r.get()), "1") == 0 ? insert_outcome::stored : insert_outcome::duplicate;
          }
        }
        result_ptr end(PQgetResult(c));  // the null that closes this query's results
      }
      sent.clear();
      result_ptr sync(PQgetResult(c));
      if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC)
        return broken(first_error.ok() ? fail(c, sync.get(), "ending the pipeline", detail) : first_error);
      return first_error;
    };
    // With cells, a second round trip in the same transaction: which rows are new (and so
    // count in the cells) is known only from the inserts' results.
    if (std::any_of(rows.begin(), rows.end(), [](const response_row& r) { return !r.cells.empty(); })) {
      if (PQpipelineSync(c) != 1) return broken(fail(c, nullptr, "storing responses", detail));
      if (status st = collect(); !st) return st;
      const std::vector<cell_delta> cells = sum_new_cells(rows, out);
      if (!cells.empty()) {
        p.clear();
        cell_arrays(p, cells);
        if (status st = send("cxm_upsert_cell", cells_slot, "counting responses in their cells"); !st) return broken(st);
      }
    }
    commit_sent = true;
    if (PQsendQueryParams(c, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) != 1 || PQpipelineSync(c) != 1)
      return broken(fail(c, nullptr, "committing", detail));
    sent.push_back({commit_slot, "committing"});
    return collect();
  }

  /// Runs `once(conn, delivered)` on a pooled connection, reconnecting and running it once
  /// more when the connection turns out dropped before any row reached the caller.
  template <class Fn>
  status with_reader(std::string& detail, Fn&& once) {
    connection c;
    {
      std::lock_guard<std::mutex> lock(pool_mutex_);
      if (!idle_.empty()) {
        c = std::move(idle_.back());
        idle_.pop_back();
      }
    }
    status st;
    for (int attempt = 0;; ++attempt) {
      if (st = ensure(c, false, detail); !st) break;
      bool delivered = false;
      st = once(c.conn.get(), delivered);
      if (st.ok() || delivered || attempt > 0 || PQstatus(c.conn.get()) != CONNECTION_BAD) break;
    }
    // Back to the pool only in a clean state: connected and outside any transaction.
    if (c.conn && PQstatus(c.conn.get()) == CONNECTION_OK && PQtransactionStatus(c.conn.get()) == PQTRANS_IDLE) {
      std::lock_guard<std::mutex> lock(pool_mutex_);
      if (idle_.size() < max_idle_readers) idle_.push_back(std::move(c));
    }
    return st;
  }

  /// Declares the cursor `declare_sql` (named cxm_scan) in a read-only transaction and hands
  /// its rows to `on_row` a batch at a time, so a large scan never sits in memory whole and
  /// an early stop reads no further.
  template <class OnRow>
  status scan(const std::string& declare_sql, params& p, const char* what, std::string& detail, OnRow&& on_row) {
    return with_reader(detail, [&](PGconn* c, bool& delivered) -> status {
      if (status st = exec(c, "BEGIN READ ONLY", PGRES_COMMAND_OK, what, detail); !st) return st;
      rollback_guard guard{c};
      result_ptr declared(
          PQexecParams(c, declare_sql.c_str(), p.count(), nullptr, p.values(), p.lengths(), p.formats(), 0));
      if (PQresultStatus(declared.get()) != PGRES_COMMAND_OK) return fail(c, declared.get(), what, detail);
      for (bool more = true; more;) {
        result_ptr batch;
        if (status st = exec(c, "FETCH 256 FROM cxm_scan", PGRES_TUPLES_OK, what, detail, &batch); !st) return st;
        const int n = PQntuples(batch.get());
        more = n > 0;
        for (int i = 0; i < n && more; ++i) {
          delivered = true;
          more = on_row(batch.get(), i);
        }
      }
      return exec(c, "COMMIT", PGRES_COMMAND_OK, what, detail);
    });
  }

  const std::string url_;
  const std::string shown_;
  std::mutex write_mutex_;  // guards writer_
  connection writer_;
  std::mutex pool_mutex_;  // guards idle_
  std::vector<connection> idle_;
};

}  // namespace

result<std::unique_ptr<store>> open_postgres_store(const std::string& url, sync_mode sync) {
  // Both modes commit with synchronous_commit on (see set_session): the knob that would make
  // "normal" cheaper in PostgreSQL loses acknowledged commits on a server crash.
  static_cast<void>(sync);
  const std::string shown = redact_postgres_url(url);
  connection writer;
  writer.conn = pg::connect(url);
  if (!writer.conn || PQstatus(writer.conn.get()) != CONNECTION_OK) {
    return {errc::io_error, "PostgreSQL: cannot connect to " + shown + ": " +
                                (writer.conn ? trimmed(PQerrorMessage(writer.conn.get())) : "out of memory")};
  }
  std::string detail;
  if (status st = pg::set_session(writer.conn.get(), detail); !st) return {errc::io_error, detail};
  if (status st = pg::migrate(writer.conn.get(), shown, detail); !st) {
    return {st.code() == errc::unsupported_version ? st.code() : errc::io_error, detail};
  }
  auto s = std::make_unique<postgres_store>(url, std::move(writer));
  if (status st = s->prepare_writer(detail); !st) return {errc::io_error, detail};
  return std::unique_ptr<store>(std::move(s));
}

}  // namespace cxm::server
