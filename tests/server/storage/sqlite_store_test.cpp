// SPDX-License-Identifier: MIT
// The storage suite on SQLite (a temporary file per test), and what only SQLite does: the
// URL forms open_store accepts, WAL mode, waiting for and giving up on another writer's lock.
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "cells_suite.hpp"
#include "store_suite.hpp"

namespace cxm::server::test {
namespace {

/// A fresh directory under the temporary directory, removed with everything in it.
class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cxm-store-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Runs SQL on its own connection to `file`; "" or the error. Fills `value` from the first
/// column of the first row when asked.
std::string sqlite_run(const std::string& file, const std::string& sql, std::int64_t* value = nullptr) {
  sqlite3* db = nullptr;
  std::string err;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    err = sqlite3_errmsg(db);
  } else {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      err = sqlite3_errmsg(db);
    } else {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_ROW && value != nullptr) *value = sqlite3_column_int64(s, 0);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) err = sqlite3_errmsg(db);
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return err;
}

struct sqlite_backend {
  class database {
   public:
    const std::string& error() const { return error_; }
    std::string url() const { return "sqlite:" + file_; }
    std::string exec(const std::string& sql) const { return sqlite_run(file_, sql); }
    std::int64_t query_int(const std::string& sql) const {
      std::int64_t v = -1;
      const std::string err = sqlite_run(file_, sql, &v);
      EXPECT_EQ(err, "");
      return v;
    }

   private:
    temp_dir dir_;
    std::string file_ = dir_.path() + "/store.db";
    std::string error_ = dir_.path().empty() ? "cannot create a temporary directory" : "";
  };
};

// The default name generator spelled out: clang -Wpedantic wants the variadic argument.
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreSuite, sqlite_backend, ::testing::internal::DefaultNameGenerator);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, CellsSuite, sqlite_backend, ::testing::internal::DefaultNameGenerator);

result<std::unique_ptr<store>> open_url(const std::string& url) { return open_store({url, sync_mode::full}); }

TEST(SqliteStore, OpenStoreTakesSqliteUrlsAndBarePaths) {
  temp_dir dir;
  for (const std::string& url : {"sqlite:" + dir.path() + "/a.db", dir.path() + "/b.db", dir.path() + "/c.sqlite",
                                 "sqlite://" + dir.path() + "/d.data"}) {
    result<std::unique_ptr<store>> r = open_url(url);
    ASSERT_TRUE(r.ok()) << url << ": " << r.detail();
    EXPECT_EQ(r.value()->describe().rfind("sqlite:" + dir.path() + "/", 0), 0U) << r.value()->describe();
  }
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/d.data"));
}

TEST(SqliteStore, OpenStoreRefusesUnknownUrls) {
  for (const char* url : {"", "sqlite:", "mysql://cxm:hunter2@db/cxm", "/var/lib/cxm/data.json", "pg://x/y"}) {
    result<std::unique_ptr<store>> r = open_url(url);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.code(), errc::invalid_argument) << url;
    EXPECT_FALSE(r.detail().empty());
    EXPECT_EQ(r.detail().find("hunter2"), std::string::npos) << r.detail();
  }
}

TEST(SqliteStore, ReportsAFileThatCannotBeOpened) {
  temp_dir dir;
  result<std::unique_ptr<store>> r = open_url("sqlite:" + dir.path() + "/missing/dir/x.db");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::io_error);
  EXPECT_NE(r.detail().find("SQLite"), std::string::npos) << r.detail();
}

TEST(SqliteStore, UsesWalMode) {
  temp_dir dir;
  const std::string file = dir.path() + "/w.db";
  ASSERT_TRUE(open_url(file).ok());
  std::int64_t wal = 0;
  EXPECT_EQ(sqlite_run(file, "SELECT journal_mode = 'wal' FROM pragma_journal_mode", &wal), "");
  EXPECT_EQ(wal, 1);
}

/// Another process holding the write lock: the store waits (busy timeout) and then succeeds,
/// or, when the lock outlasts the timeout, answers retry_later and stores nothing.
TEST(SqliteStore, WaitsForAnotherWriterThenGivesUpWithRetryLater) {
  temp_dir dir;
  const std::string file = dir.path() + "/busy.db";
  result<std::unique_ptr<store>> opened = open_url(file);
  ASSERT_TRUE(opened.ok()) << opened.detail();
  store& s = *opened.value();
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &other), SQLITE_OK);
  auto insert_one = [&](const std::string& id, std::string& detail) {
    outcomes out;
    return s.insert({response(id)}, {}, {}, out, detail);
  };

  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  });
  std::string detail;
  EXPECT_TRUE(insert_one("waited", detail).ok()) << detail;
  release.join();

  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  const status st = insert_one("refused", detail);
  EXPECT_EQ(st.code(), errc::retry_later);
  EXPECT_NE(detail.find("locked"), std::string::npos) << detail;
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  store_counts c;
  ASSERT_TRUE(s.counts(c, detail).ok());
  EXPECT_EQ(c.responses, 1U);
}

}  // namespace
}  // namespace cxm::server::test
