// SPDX-License-Identifier: MIT
// The settings file and flags of cxm serve: every bad value is refused with its key.
#include "server/config.hpp"

#include <gtest/gtest.h>

namespace cxm::server {
namespace {

TEST(Config, FileSetsEverySetting) {
  serve_config c;
  std::string detail;
  const char* text = R"({"listen":"0.0.0.0:9000","surveys":"/s","store":"postgresql://db/cxm","sync":"normal",
    "threads":4,"widget":"/w","demo":"/d","dashboard":"/b","max_body_bytes":65536,"max_records":100,"max_connections":50,"max_connections_per_client":8,
    "read_timeout_ms":2000,"cors_origins":["https://shop.example"],
    "tokens":{"aggregates":{"app-1":"0123456789abcdef"},"report":["fedcba9876543210"]},
    "rate_limit":{"per_second":10,"burst":20},"access_log":"/var/log/cxm.log","trusted_proxies":["10.0.0.5","::1"]})";
  ASSERT_TRUE(apply_config_json(text, c, detail)) << detail;
  EXPECT_EQ(c.address, "0.0.0.0");
  EXPECT_EQ(c.port, 9000);
  EXPECT_EQ(c.store.url, "postgresql://db/cxm");
  EXPECT_EQ(c.store.sync, sync_mode::normal);
  EXPECT_EQ(c.threads, 4u);
  EXPECT_EQ(c.dashboard_dir, "/b");
  EXPECT_EQ(c.limits.body_bytes, 65536u);
  EXPECT_EQ(c.max_records, 100u);
  EXPECT_EQ(c.limits.max_connections, 50u);
  EXPECT_EQ(c.limits.max_connections_per_client, 8u);
  EXPECT_EQ(c.limits.read_timeout, std::chrono::milliseconds(2000));
  ASSERT_EQ(c.cors_origins.size(), 1u);
  EXPECT_EQ(c.aggregate_tokens.at("app-1"), "0123456789abcdef");
  ASSERT_EQ(c.report_tokens.size(), 1u);
  EXPECT_EQ(c.rate.per_second, 10);
  EXPECT_EQ(c.rate.burst, 20);
  EXPECT_EQ(c.access_log, "/var/log/cxm.log");
  ASSERT_EQ(c.trusted_proxies.size(), 2u);
}

TEST(Config, OtlpPushSettings) {
  serve_config c;
  EXPECT_TRUE(c.otlp.endpoint.empty()) << "no push unless asked for";
  std::string detail;
  ASSERT_TRUE(apply_config_json(R"({"otlp":{"endpoint":"http://127.0.0.1:4318/v1/metrics","interval_seconds":2.5,
    "timeout_seconds":3,"gzip":false,"headers":{"Authorization":"Bearer abc"}}})", c, detail)) << detail;
  EXPECT_EQ(c.otlp.endpoint, "http://127.0.0.1:4318/v1/metrics");
  EXPECT_EQ(c.otlp.interval, std::chrono::milliseconds(2500));
  EXPECT_EQ(c.otlp.timeout, std::chrono::milliseconds(3000));
  EXPECT_FALSE(c.otlp.gzip);
  ASSERT_EQ(c.otlp.headers.size(), 1u);
  EXPECT_EQ(c.otlp.headers[0].first, "Authorization");
  c.surveys_dir = CXM_EXAMPLES_DIR "/web/surveys";
  EXPECT_TRUE(check_config(c, detail)) << detail;
  c.otlp.endpoint = "https://collector.example/v1/metrics";
  EXPECT_FALSE(check_config(c, detail));
  EXPECT_NE(detail.find("otlp.endpoint"), std::string::npos) << detail;
}

TEST(Config, DefaultsBindLoopback) {
  serve_config c;
  EXPECT_EQ(c.address, "127.0.0.1");
  EXPECT_TRUE(c.cors_origins.empty());
  EXPECT_EQ(c.store.sync, sync_mode::full);
}

class ConfigRefused : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(ConfigRefused, NamesTheKey) {
  serve_config c;
  std::string detail;
  EXPECT_FALSE(apply_config_json(GetParam().first, c, detail)) << GetParam().first;
  EXPECT_NE(detail.find(GetParam().second), std::string::npos) << detail;
}

INSTANTIATE_TEST_SUITE_P(
    Files, ConfigRefused,
    ::testing::Values(std::make_pair("[]", "object"), std::make_pair(R"({"listen":"x:y"})", "listen"),
                      std::make_pair(R"({"listen":"1.2.3.4:70000"})", "listen"),
                      std::make_pair(R"({"sync":"sometimes"})", "sync"), std::make_pair(R"({"threads":-1})", "threads"),
                      std::make_pair(R"({"max_body_bytes":10})", "max_body_bytes"),
                      std::make_pair(R"({"colour":"red"})", "colour"),
                      std::make_pair(R"({"tokens":{"admin":[]}})", "tokens.admin"),
                      std::make_pair(R"({"rate_limit":{"per_second":"fast"}})", "rate_limit.per_second"),
                      std::make_pair(R"({"cors_origins":"*"})", "cors_origins"),
                      std::make_pair(R"({"surveys":"a","surveys":"b"})", "surveys"),
                      std::make_pair(R"({"otlp":{"interval_seconds":0}})", "otlp.interval_seconds"),
                      std::make_pair(R"({"otlp":{"gzip":"yes"}})", "otlp.gzip"),
                      std::make_pair(R"({"otlp":{"headers":["x"]}})", "otlp.headers"),
                      std::make_pair(R"({"otlp":{"url":"http://x/"}})", "otlp.url")));

TEST(Config, CheckRefusesWhatCannotWork) {
  std::string detail;
  serve_config c;
  EXPECT_FALSE(check_config(c, detail));
  EXPECT_NE(detail.find("surveys"), std::string::npos);
  c.surveys_dir = CXM_EXAMPLES_DIR "/web/surveys";
  EXPECT_TRUE(check_config(c, detail)) << detail;
  c.cors_origins = {"*"};
  EXPECT_FALSE(check_config(c, detail));
  c.cors_origins = {"https://shop.example/path"};
  EXPECT_FALSE(check_config(c, detail));
  c.cors_origins = {"https://shop.example:8443"};
  EXPECT_TRUE(check_config(c, detail)) << detail;
  c.report_tokens = {"short"};
  EXPECT_FALSE(check_config(c, detail));
  EXPECT_NE(detail.find("16 bytes"), std::string::npos);
  c.report_tokens.clear();
  c.trusted_proxies = {"proxy.internal"};
  EXPECT_FALSE(check_config(c, detail));
  EXPECT_NE(detail.find("trusted_proxies"), std::string::npos);
  c.trusted_proxies.clear();
  c.widget_dir = "/no/such/dir";
  EXPECT_FALSE(check_config(c, detail));
}

TEST(Config, ListenForms) {
  serve_config c;
  std::string detail;
  EXPECT_TRUE(parse_listen("9090", c, detail));
  EXPECT_EQ(c.address, "127.0.0.1");
  EXPECT_EQ(c.port, 9090);
  EXPECT_TRUE(parse_listen("[::1]:8081", c, detail));
  EXPECT_EQ(c.address, "::1");
  EXPECT_EQ(c.port, 8081);
  EXPECT_FALSE(parse_listen("host:", c, detail));
}

}  // namespace
}  // namespace cxm::server
