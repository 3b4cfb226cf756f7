// SPDX-License-Identifier: MIT
// The storage suite on a real PostgreSQL (the CTest fixture "postgres"; a fresh schema per
// test), and what only PostgreSQL does: passwords kept out of logs, reconnecting after the
// server dropped the store's connections, an unreachable server.
#include "postgres_fixture.hpp"
#include "server/storage/postgres_store.hpp"
#include "cells_suite.hpp"
#include "store_suite.hpp"

namespace cxm::server::test {
namespace {

struct postgres_backend {
  class database {
   public:
    const std::string& error() const { return schema_.error(); }
    const std::string& url() const { return schema_.url(); }
    std::string exec(const std::string& sql) const { return schema_.exec(sql); }
    std::int64_t query_int(const std::string& sql) const {
      std::string err;
      const std::int64_t v = schema_.query_int(sql, &err);
      EXPECT_EQ(err, "");
      return v;
    }

   private:
    cxm::test::postgres_schema schema_;
  };
};

// The default name generator spelled out: clang -Wpedantic wants the variadic argument.
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, StoreSuite, postgres_backend, ::testing::internal::DefaultNameGenerator);
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, CellsSuite, postgres_backend, ::testing::internal::DefaultNameGenerator);

TEST(PostgresStore, RedactsPasswords) {
  EXPECT_EQ(redact_postgres_url("postgresql://cxm:s3cret@db.example:5432/cxm?sslmode=require"),
            "postgresql://cxm@db.example:5432/cxm?sslmode=require");
  EXPECT_EQ(redact_postgres_url("postgres://cxm:p@ss@db/cxm"), "postgres://cxm@db/cxm");
  EXPECT_EQ(redact_postgres_url("postgresql://db/cxm?password=s3cret&sslmode=require"),
            "postgresql://db/cxm?sslmode=require");
  EXPECT_EQ(redact_postgres_url("postgresql://db/cxm?password=s3cret"), "postgresql://db/cxm");
  EXPECT_EQ(redact_postgres_url("postgresql://cxm@db"), "postgresql://cxm@db");
  EXPECT_EQ(redact_postgres_url("postgresql://[::1]:5432/cxm"), "postgresql://[::1]:5432/cxm");
}

TEST(PostgresStore, DescribeHidesThePassword) {
  cxm::test::postgres_schema schema;
  ASSERT_EQ(schema.error(), "");
  // Trust authentication ignores passwords, so a URL carrying one still connects.
  std::string url = schema.url();
  const std::size_t at = url.find('@');
  ASSERT_NE(at, std::string::npos) << url;
  url.insert(at, ":s3cret");
  url = cxm::test::with_parameter(url, "password=s3cret");
  result<std::unique_ptr<store>> r = open_store({url, sync_mode::full});
  ASSERT_TRUE(r.ok()) << r.detail();
  const std::string shown = r.value()->describe();
  EXPECT_EQ(shown.find("s3cret"), std::string::npos) << shown;
  EXPECT_EQ(shown.rfind("postgresql://cxm@127.0.0.1:", 0), 0U) << shown;
}

TEST(PostgresStore, ReconnectsAfterTheServerDropsItsConnections) {
  cxm::test::postgres_schema schema;
  ASSERT_EQ(schema.error(), "");
  // Its own application_name, so only this store's connections are terminated.
  const std::string app = "reconnect_" + schema.name();
  result<std::unique_ptr<store>> r =
      open_store({cxm::test::with_parameter(schema.url(), "application_name=" + app), sync_mode::full});
  ASSERT_TRUE(r.ok()) << r.detail();
  store& s = *r.value();
  outcomes out;
  std::string detail;
  ASSERT_TRUE(s.insert({response("before")}, {}, {}, out, detail).ok()) << detail;
  store_counts c;
  ASSERT_TRUE(s.counts(c, detail).ok()) << detail;  // a pooled read connection exists now

  EXPECT_EQ(schema.query_int("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity"
                             " WHERE application_name = '" + app + "'"),
            2);
  ASSERT_TRUE(s.insert({response("after"), response("before")}, {}, {}, out, detail).ok()) << detail;
  EXPECT_EQ(out, (outcomes{S, D}));
  ASSERT_TRUE(s.counts(c, detail).ok()) << detail;
  EXPECT_EQ(c.responses, 2U);
}

TEST(PostgresStore, ReportsAnUnreachableServer) {
  result<std::unique_ptr<store>> r = open_store({"postgresql://cxm:s3cret@127.0.0.1:1/cxm", sync_mode::full});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::io_error);
  EXPECT_NE(r.detail().find("127.0.0.1:1"), std::string::npos) << r.detail();
  EXPECT_EQ(r.detail().find("s3cret"), std::string::npos) << r.detail();
}

TEST(PostgresStore, RefusesTextPostgreSQLCannotStoreAndStoresNothing) {
  cxm::test::postgres_schema schema;
  ASSERT_EQ(schema.error(), "");
  result<std::unique_ptr<store>> r = open_store({schema.url(), sync_mode::full});
  ASSERT_TRUE(r.ok()) << r.detail();
  response_row bad = response("bad");
  bad.record = std::string("{\"x\":\"a\0b\"}", 11);  // a NUL byte: never cut short silently
  outcomes out;
  std::string detail;
  EXPECT_EQ(r.value()->insert({response("good"), bad}, {}, {}, out, detail).code(), errc::io_error);
  EXPECT_NE(detail.find("bad"), std::string::npos) << detail;
  EXPECT_EQ(schema.query_int("SELECT COUNT(*) FROM responses"), 0);
}

}  // namespace
}  // namespace cxm::server::test
