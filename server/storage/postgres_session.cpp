// SPDX-License-Identifier: MIT
// libpq plumbing of the PostgreSQL backend (postgres_session.hpp) and redact_postgres_url.
#include "server/storage/postgres_session.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include "server/storage/postgres_store.hpp"
#include "server/storage/schema.hpp"

namespace cxm::server {
namespace pg {
namespace {

/// The advisory lock every cxm instance takes while it migrates: the bytes of "cxm_sch" read as a number.
constexpr const char* migration_lock_key = "27998433842520936";

/// Failures worth retrying: the connection (08), a transaction rolled back for a
/// serialization failure or a deadlock (40), resources (53), the server shutting down (57P0x).
bool transient(std::string_view sqlstate) {
  const std::string_view cls = sqlstate.substr(0, 2);
  return cls == "08" || cls == "40" || cls == "53" || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string trimmed(const char* s) {
  std::string out = s != nullptr ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

status fail(PGconn* c, const PGresult* r, const std::string& what, std::string& detail) {
  const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  // The primary message only: the full text's DETAIL line quotes the failing row, and a
  // record (personal data, possibly megabytes) does not belong in a log line.
  std::string message = r != nullptr ? trimmed(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)) : "";
  if (message.empty() && r != nullptr) message = trimmed(PQresultErrorMessage(r));
  if (message.empty()) message = trimmed(PQerrorMessage(c));
  if (message.empty() && r != nullptr) message = std::string("unexpected result ") + PQresStatus(PQresultStatus(r));
  detail = "PostgreSQL: " + what + ": " + message;
  if (state != nullptr) detail += std::string(" (SQLSTATE ") + state + ")";
  const bool retry = PQstatus(c) == CONNECTION_BAD || (state != nullptr && transient(state));
  return retry ? errc::retry_later : errc::io_error;
}

status exec(PGconn* c, const char* sql, ExecStatusType want, const std::string& what, std::string& detail,
            result_ptr* keep) {
  result_ptr r(PQexec(c, sql));
  if (PQresultStatus(r.get()) != want) return fail(c, r.get(), what, detail);
  if (keep != nullptr) *keep = std::move(r);
  return {};
}

conn_ptr connect(const std::string& url) {
  // Keywords are applied in order: the URL (expanded from dbname) may override the timeout and
  // the name, but not the encoding: records are compared as UTF-8 bytes.
  const std::array<const char*, 5> keys = {"connect_timeout", "application_name", "dbname", "client_encoding",
                                           nullptr};
  const std::array<const char*, 5> values = {"10", "cxm-serve", url.c_str(), "UTF8", nullptr};
  return conn_ptr(PQconnectdbParams(keys.data(), values.data(), 1));
}

/// Session settings every connection runs with. synchronous_commit is set on explicitly, in
/// both sync modes: "off" could lose commits already acknowledged to a client, whose outbox
/// would then have deleted them. client_min_messages keeps the NOTICEs of CREATE ... IF NOT
/// EXISTS out of the collector's stderr.
status set_session(PGconn* c, std::string& detail) {
  return exec(c, "SET synchronous_commit TO on; SET client_min_messages TO warning", PGRES_COMMAND_OK,
              "configuring the session", detail);
}

// One step per transaction, each under the advisory lock: a second instance starting at the same time waits, then finds the step done.
status migrate(PGconn* c, const std::string& shown, std::string& detail) {
  for (;;) {
    if (status st = exec(c, "BEGIN", PGRES_COMMAND_OK, "beginning a migration", detail); !st) return st;
    rollback_guard guard{c};
    const std::string lock_sql = std::string("SELECT pg_advisory_xact_lock(") + migration_lock_key + ")";
    result_ptr version;
    if (status st = exec(c, lock_sql.c_str(), PGRES_TUPLES_OK, "taking the migration lock", detail); !st) return st;
    if (status st = exec(c, schema::version_table_sql, PGRES_COMMAND_OK, "creating cxm_schema", detail); !st) {
      return st;
    }
    if (status st = exec(c, schema::current_version_sql, PGRES_TUPLES_OK, "reading the schema version", detail,
                         &version);
        !st) {
      return st;
    }
    std::int64_t current = 0;
    const char* text = PQgetvalue(version.get(), 0, 0);
    std::from_chars(text, text + std::strlen(text), current);
    if (current > schema::latest_version) {
      detail = "PostgreSQL database " + shown + " has schema version " + std::to_string(current) +
               "; this cxm knows versions up to " + std::to_string(schema::latest_version) +
               ": it was written by a newer cxm";
      return errc::unsupported_version;
    }
    if (current == schema::latest_version) return exec(c, "COMMIT", PGRES_COMMAND_OK, "committing", detail);
    const schema::migration& step = schema::migrations[static_cast<std::size_t>(current)];
    const std::string what = "migrating to schema version " + std::to_string(step.version);
    if (status st = exec(c, step.sql, PGRES_COMMAND_OK, what, detail); !st) return st;
    const std::string v = std::to_string(step.version);
    const std::string at = std::to_string(now_ms());
    const std::array<const char*, 2> params = {v.c_str(), at.c_str()};
    result_ptr r(PQexecParams(c, "INSERT INTO cxm_schema (version, applied_ms) VALUES ($1, $2)", 2, nullptr,
                              params.data(), nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) return fail(c, r.get(), what, detail);
    if (status st = exec(c, "COMMIT", PGRES_COMMAND_OK, what, detail); !st) return st;
  }
}

}  // namespace pg

std::string redact_postgres_url(const std::string& url) {
  std::string out = url;
  // postgresql://user:password@host/...: drop ":password" (the last '@' before the path ends
  // the user info; a password may contain '@' only percent-encoded, but be safe).
  const std::size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    const std::size_t start = scheme + 3;
    std::size_t end = out.find_first_of("/?#", start);
    if (end == std::string::npos) end = out.size();
    const std::size_t at = end > start ? out.rfind('@', end - 1) : std::string::npos;
    if (at != std::string::npos && at >= start) {
      const std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
    }
  }
  // ...?password=...&...: drop the parameter.
  const std::size_t query = out.find('?');
  if (query != std::string::npos) {
    std::string kept;
    std::size_t pos = query + 1;
    while (pos <= out.size()) {
      std::size_t amp = out.find('&', pos);
      if (amp == std::string::npos) amp = out.size();
      const std::string_view item(out.data() + pos, amp - pos);
      if (item.substr(0, 9) != "password=" && !item.empty()) {
        kept += kept.empty() ? "" : "&";
        kept += item;
      }
      pos = amp + 1;
    }
    out.erase(query);
    if (!kept.empty()) out += "?" + kept;
  }
  return out;
}


}  // namespace cxm::server
