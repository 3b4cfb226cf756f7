// SPDX-License-Identifier: MIT
// libpq plumbing of the PostgreSQL backend: owning handles, running statements with errors
// turned into status + detail, session settings, the schema migration. Internal to
// server/storage (postgres_store.cpp is its user).
#ifndef CXM_SERVER_STORAGE_POSTGRES_SESSION_HPP
#define CXM_SERVER_STORAGE_POSTGRES_SESSION_HPP

#include <libpq-fe.h>

#include <memory>
#include <string>

#include <cxm/core/status.hpp>

namespace cxm::server::pg {

struct conn_closer {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using conn_ptr = std::unique_ptr<PGconn, conn_closer>;
struct result_clearer {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_clearer>;

/// The text without its trailing newlines and spaces (libpq's messages end in "\n").
std::string trimmed(const char* s);

/// Fills `detail` ("PostgreSQL: <what>: <server message> (SQLSTATE x)") and picks the code:
/// retry_later for a lost connection and transient failures, io_error otherwise.
status fail(PGconn* c, const PGresult* r, const std::string& what, std::string& detail);

/// Runs a statement without parameters; ok when it ends with `want` (the result kept in
/// `keep` when asked).
status exec(PGconn* c, const char* sql, ExecStatusType want, const std::string& what, std::string& detail,
            result_ptr* keep = nullptr);

/// Rolls back an open transaction however the scope is left (errors, exceptions).
struct rollback_guard {
  PGconn* c;
  ~rollback_guard() {
    if (PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) != PQTRANS_IDLE) PQclear(PQexec(c, "ROLLBACK"));
  }
};

/// Starts connecting to `url` (check PQstatus); null only when out of memory.
conn_ptr connect(const std::string& url);

/// The settings every session of the store runs with (see the definition for why).
status set_session(PGconn* c, std::string& detail);

/// Brings the schema to schema::latest_version. unsupported_version when the database is
/// newer than this build; `shown` names the database in details.
status migrate(PGconn* c, const std::string& shown, std::string& detail);

}  // namespace cxm::server::pg

#endif  // CXM_SERVER_STORAGE_POSTGRES_SESSION_HPP
