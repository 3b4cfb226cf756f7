// SPDX-License-Identifier: MIT
// The test PostgreSQL server (the CTest fixture "postgres", scripts/postgres.sh) as tests see
// it: its URL, and a fresh schema per test so that tests sharing the server never see each
// other's tables. Header-only; link libpq (cxm_use_test_postgres in CMakeLists.txt does).
#ifndef CXM_TESTS_SERVER_POSTGRES_FIXTURE_HPP
#define CXM_TESTS_SERVER_POSTGRES_FIXTURE_HPP

#include <libpq-fe.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

#include <unistd.h>

namespace cxm::test {

/// The test server's URL: $CXM_TEST_POSTGRES_URL when set, else the url file the fixture wrote
/// in CXM_TEST_POSTGRES_DIR. Empty, with the reason in `why`, when there is none: callers
/// fail the test (a missing server is a broken setup, never a reason to skip).
inline std::string postgres_url(std::string* why = nullptr) {
  if (const char* env = std::getenv("CXM_TEST_POSTGRES_URL"); env != nullptr && *env != '\0') return env;
#ifdef CXM_TEST_POSTGRES_DIR
  const std::string file = std::string(CXM_TEST_POSTGRES_DIR) + "/url";
  std::ifstream in(file);
  std::string url;
  if (in && std::getline(in, url) && !url.empty()) return url;
  if (why != nullptr) {
    *why = "no PostgreSQL test server: " + file +
           " is missing (run the tests through ctest, whose fixture postgres_start runs "
           "scripts/postgres.sh start, or set CXM_TEST_POSTGRES_URL)";
  }
#else
  if (why != nullptr) *why = "no PostgreSQL test server: CXM_TEST_POSTGRES_URL is not set";
#endif
  return {};
}

/// `url` with one more query parameter.
inline std::string with_parameter(const std::string& url, const std::string& parameter) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + parameter;
}

/// A schema of its own in the test database, created empty and dropped (with everything in
/// it) at the end. url() makes every connection use it through search_path, so a store opened
/// on it creates and migrates its tables there.
class postgres_schema {
 public:
  postgres_schema() {
    base_url_ = postgres_url(&error_);
    if (base_url_.empty()) return;
    static std::atomic<int> counter{0};
    name_ = "cxm_t" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
            std::to_string(std::random_device{}() % 100000U);
    url_ = with_parameter(base_url_, "options=-csearch_path%3D" + name_);
    error_ = exec_on(base_url_, "CREATE SCHEMA " + name_);
    if (!error_.empty()) error_ = "creating schema " + name_ + " at " + base_url_ + ": " + error_;
  }
  ~postgres_schema() {
    if (!name_.empty() && error_.empty()) exec_on(base_url_, "SET client_min_messages TO warning; DROP SCHEMA " + name_ + " CASCADE");
  }
  postgres_schema(const postgres_schema&) = delete;
  postgres_schema& operator=(const postgres_schema&) = delete;

  /// Empty when the schema is ready; else why not.
  const std::string& error() const { return error_; }
  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

  /// Runs SQL (no data from outside: test text only) in the schema; "" or the error.
  std::string exec(const std::string& sql) const { return exec_on(url_, sql); }
  /// The first column of the first row as a number, or -1 (and the error in `err`).
  std::int64_t query_int(const std::string& sql, std::string* err = nullptr) const {
    std::int64_t value = -1;
    const std::string e = run(url_, sql, &value);
    if (err != nullptr) *err = e;
    return value;
  }

 private:
  static std::string exec_on(const std::string& url, const std::string& sql) { return run(url, sql, nullptr); }
  static std::string run(const std::string& url, const std::string& sql, std::int64_t* value) {
    PGconn* c = PQconnectdb(url.c_str());
    std::string err;
    if (PQstatus(c) != CONNECTION_OK) {
      err = PQerrorMessage(c);
    } else {
      PGresult* r = PQexec(c, sql.c_str());
      const ExecStatusType st = PQresultStatus(r);
      if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        err = PQresultErrorMessage(r);
      } else if (value != nullptr && PQntuples(r) > 0) {
        *value = std::strtoll(PQgetvalue(r, 0, 0), nullptr, 10);
      }
      PQclear(r);
    }
    PQfinish(c);
    return err;
  }

  std::string base_url_, url_, name_, error_;
};

}  // namespace cxm::test

#endif  // CXM_TESTS_SERVER_POSTGRES_FIXTURE_HPP
