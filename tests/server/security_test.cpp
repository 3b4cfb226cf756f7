// SPDX-License-Identifier: MIT
// cxm serve treats every request as hostile: limits, content types, origins, tokens, the rate
// limit, static files confined to their directories, security headers on every answer.
#include <thread>

#include "server_fixture.hpp"

namespace cxm_test {
namespace {

const std::string csp =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";

void expect_security_headers(const response& r, const std::string& what) {
  EXPECT_EQ(r["Content-Security-Policy"], csp) << what;
  EXPECT_EQ(r["X-Content-Type-Options"], "nosniff") << what;
  EXPECT_EQ(r["X-Frame-Options"], "DENY") << what;
}

TEST_F(ServerTest, EveryAnswerCarriesTheSecurityHeaders) {
  start();
  expect_security_headers(get(port_, "/"), "page");
  expect_security_headers(get(port_, "/cxm/widget/cxm-survey.js"), "widget");
  expect_security_headers(get(port_, "/healthz"), "health");
  expect_security_headers(get(port_, "/v1/report"), "report");
  expect_security_headers(get(port_, "/nowhere"), "404");
  expect_security_headers(post(port_, "/v1/responses", "nonsense"), "400");
  expect_security_headers(post(port_, "/v1/responses", std::string(2 << 20, ' ')), "413");
}

TEST_F(ServerTest, RespondentTextIsNeverServedAsHtml) {
  start();
  const std::string rec =
      R"({"id":"x","survey_id":"after-onboarding","answers":{"nps":1,"what_went_wrong":"<script>alert(1)</script>"}})";
  auto r = post(port_, "/v1/responses", R"({"responses":[)" + rec + "]}");
  ASSERT_EQ(r.result_int(), 200u);
  EXPECT_EQ(r[http::field::content_type], "application/json");
  auto report = get(port_, "/v1/report");
  EXPECT_EQ(report[http::field::content_type], "application/json");
  // A rejected record's reason quotes what was sent; still JSON, still escaped.
  auto bad = post(port_, "/v1/responses", R"({"responses":[{"id":"<b>","survey_id":"<img src=x>","answers":{}}]})");
  EXPECT_EQ(bad[http::field::content_type], "application/json");
}

TEST_F(ServerTest, OversizedAndMalformedRequestsGetAReason) {
  config_.limits.body_bytes = 64 * 1024;
  config_.max_records = 3;
  start();
  auto big = post(port_, "/v1/responses", std::string(100 * 1024, ' '));
  EXPECT_EQ(big.result_int(), 413u);
  EXPECT_NE(big.body().find("65536"), std::string::npos) << big.body();
  auto many = post(port_, "/v1/responses", R"({"responses":[{},{},{},{}]})");
  EXPECT_EQ(many.result_int(), 413u);
  EXPECT_NE(many.body().find("4 records"), std::string::npos);
  auto deep = post(port_, "/v1/responses", R"({"responses":[)" + std::string(5000, '[') + std::string(5000, ']') + "]}");
  EXPECT_EQ(deep.result_int(), 400u);
  EXPECT_NE(deep.body().find("too_deep"), std::string::npos);
  auto garbage = raw(port_, "GARBAGE\r\n\r\n");
  EXPECT_EQ(garbage.substr(0, 12), "HTTP/1.1 400");
  auto header = raw(port_, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n");
  EXPECT_EQ(header.substr(0, 12), "HTTP/1.1 431");
}

TEST_F(ServerTest, ContentTypeAndMethodAreChecked) {
  start();
  auto text = request(port_, http::verb::post, "/v1/responses", R"({"responses":[]})", {}, "text/plain");
  EXPECT_EQ(text.result_int(), 415u);
  auto form = request(port_, http::verb::post, "/v1/responses", "a=b", {}, "application/x-www-form-urlencoded");
  EXPECT_EQ(form.result_int(), 415u);
  EXPECT_EQ(request(port_, http::verb::post, "/v1/responses", R"({"responses":[]})", {},
                    "Application/JSON; charset=utf-8").result_int(), 200u);
  auto put = request(port_, http::verb::put, "/v1/responses", "{}");
  EXPECT_EQ(put.result_int(), 405u);
  EXPECT_EQ(put[http::field::allow], "POST, OPTIONS");
  EXPECT_EQ(request(port_, http::verb::delete_, "/cxm/widget/cxm-survey.js").result_int(), 405u);
  EXPECT_EQ(post(port_, "/v1/report", "{}").result_int(), 405u);
  EXPECT_EQ(get(port_, "/v1/nothing").result_int(), 404u);
}

TEST_F(ServerTest, CorsAllowsOnlyConfiguredOrigins) {
  config_.cors_origins = {"https://shop.example"};
  start();
  const std::string body = R"({"responses":[]})";
  auto preflight = request(port_, http::verb::options, "/v1/responses", {},
                           {{"Origin", "https://shop.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(preflight.result_int(), 204u);
  EXPECT_EQ(preflight[http::field::access_control_allow_origin], "https://shop.example");
  EXPECT_NE(preflight[http::field::access_control_allow_headers].find("Content-Type"), std::string::npos);
  auto allowed = post(port_, "/v1/responses", body, {{"Origin", "https://shop.example"}});
  EXPECT_EQ(allowed.result_int(), 200u);
  EXPECT_EQ(allowed[http::field::access_control_allow_origin], "https://shop.example");

  auto other = post(port_, "/v1/responses", body, {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other.result_int(), 403u);
  EXPECT_EQ(other.find(http::field::access_control_allow_origin), other.end());
  auto other_preflight = request(port_, http::verb::options, "/v1/responses", {}, {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other_preflight.result_int(), 403u);
  EXPECT_EQ(other_preflight.find(http::field::access_control_allow_origin), other_preflight.end());
  // Same origin needs no configuration; no Origin at all (an app, curl) neither.
  EXPECT_EQ(post(port_, "/v1/responses", body, {{"Origin", "http://127.0.0.1:" + std::to_string(port_)}}).result_int(), 200u);
  EXPECT_EQ(post(port_, "/v1/responses", body).result_int(), 200u);
}

TEST_F(ServerTest, NoCrossOriginByDefault) {
  start();
  auto r = post(port_, "/v1/responses", R"({"responses":[]})", {{"Origin", "https://shop.example"}});
  EXPECT_EQ(r.result_int(), 403u);
}

TEST_F(ServerTest, TokensGuardAggregatesPerSourceAndTheReport) {
  config_.aggregate_tokens = {{"app-1", "token-of-app-1-0123456789"}};
  config_.report_tokens = {"token-of-analyst-0123456789"};
  start();
  const std::string body =
      R"({"format":"cxm.batch","version":1,"batch":"b","source":"app-1","sent_at":"2026-12-03T10:00:00.000Z","aggregates":[]})";
  auto none = post(port_, "/v1/aggregates", body);
  EXPECT_EQ(none.result_int(), 401u);
  EXPECT_EQ(none[http::field::www_authenticate], "Bearer");
  EXPECT_EQ(post(port_, "/v1/aggregates", body, {{"Authorization", "Bearer token-of-analyst-0123456789"}}).result_int(), 403u);
  EXPECT_EQ(post(port_, "/v1/aggregates", body, {{"Authorization", "Bearer token-of-app-1-0123456789"}}).result_int(), 200u);
  std::string other_source = body;
  other_source.replace(other_source.find("app-1"), 5, "app-2");
  EXPECT_EQ(post(port_, "/v1/aggregates", other_source, {{"Authorization", "Bearer token-of-app-1-0123456789"}}).result_int(), 403u);

  EXPECT_EQ(get(port_, "/v1/report").result_int(), 401u);
  EXPECT_EQ(get(port_, "/v1/report", {{"Authorization", "Bearer token-of-app-1-0123456789"}}).result_int(), 401u);
  EXPECT_EQ(get(port_, "/v1/report", {{"Authorization", "Bearer token-of-analyst-0123456789"}}).result_int(), 200u);
  // Responses from the widget need no token (a page cannot keep a secret).
  EXPECT_EQ(post(port_, "/v1/responses", R"({"responses":[]})").result_int(), 200u);
}

TEST_F(ServerTest, RateLimitAnswers429WithRetryAfter) {
  config_.rate = {2, 5};
  start();
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 12; ++i) {
    auto r = get(port_, "/v1/report");
    if (r.result_int() == 429) {
      ++limited;
      retry_after = std::string(r[http::field::retry_after]);
      EXPECT_NE(r.body().find("retry_later"), std::string::npos);
    }
  }
  EXPECT_GE(limited, 5);  // 5 at once, then 2 per second
  EXPECT_FALSE(retry_after.empty());
  EXPECT_GE(std::stoi(retry_after), 1);
  EXPECT_EQ(get(port_, "/healthz").result_int(), 200u);  // health checks are never limited
}

TEST_F(ServerTest, ForwardedForCountsOnlyFromTrustedProxies) {
  config_.rate = {0.01, 2};  // two requests per client, then 429 for minutes
  config_.trusted_proxies = {"127.0.0.1"};
  start();
  auto from = [&](const std::string& xff) { return get(port_, "/v1/report", {{"X-Forwarded-For", xff}}).result_int(); };
  EXPECT_EQ(from("10.0.0.1"), 200u);
  EXPECT_EQ(from("10.0.0.1"), 200u);
  EXPECT_EQ(from("10.0.0.1"), 429u);
  EXPECT_EQ(from("10.0.0.2"), 200u);               // another client behind the proxy
  EXPECT_EQ(from("10.0.0.1, 10.0.0.3"), 200u);     // the rightmost hop is the client
  EXPECT_EQ(from("10.0.0.3, 127.0.0.1"), 200u);    // trusted hops are skipped
  EXPECT_EQ(from("10.0.0.3"), 429u);
  EXPECT_EQ(from("not an address"), 200u);         // nothing usable: the proxy itself
}

TEST_F(ServerTest, ForwardedForIsIgnoredWithoutTrustedProxies) {
  config_.rate = {0.01, 2};
  start();
  EXPECT_EQ(get(port_, "/v1/report", {{"X-Forwarded-For", "10.0.0.1"}}).result_int(), 200u);
  EXPECT_EQ(get(port_, "/v1/report", {{"X-Forwarded-For", "10.0.0.2"}}).result_int(), 200u);
  EXPECT_EQ(get(port_, "/v1/report", {{"X-Forwarded-For", "10.0.0.3"}}).result_int(), 429u);  // all are 127.0.0.1
}

TEST_F(ServerTest, StaticFilesStayInsideTheirDirectories) {
  start();
  for (const char* target : {"/cxm/../outside/secret.js", "/cxm/%2e%2e/outside/secret.js", "/cxm/widget/%2E%2E/%2E%2E/outside/secret.js",
                             "/cxm/widget/escape.js", "/cxm/.hidden.js", "/cxm/widget/", "/cxm/", "/surveys/",
                             "/cxm//widget/cxm-survey.js", "/cxm/widget\\cxm-survey.js", "/cxm/widget/cxm-survey.js%00.js",
                             "/cxm/%zz.js"}) {
    auto r = get(port_, target);
    EXPECT_EQ(r.result_int(), 404u) << target;
    EXPECT_EQ(r.body().find("secret"), std::string::npos) << target;
  }
}

TEST_F(ServerTest, OneClientCannotTakeEveryConnection) {
  config_.limits.max_connections_per_client = 4;
  start();
  boost::asio::io_context ioc;
  std::vector<boost::asio::ip::tcp::socket> idle;
  for (int i = 0; i < 4; ++i) {
    idle.emplace_back(ioc);
    idle.back().connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  }
  // Accepting is asynchronous: wait until the server has admitted the four.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(get(port_, "/healthz").result_int(), 0u);  // a fifth from the same address: closed
  idle.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(get(port_, "/healthz").result_int(), 200u);
}

TEST_F(ServerTest, SlowRequestIsCutOff) {
  config_.limits.read_timeout = std::chrono::milliseconds(300);
  start();
  // A body that never finishes: the server closes the connection at the deadline, without
  // waiting for the client, and the rest of the server is unaffected.
  const auto start = std::chrono::steady_clock::now();
  auto answer = raw(port_, "POST /v1/responses HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
  EXPECT_EQ(answer, "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(get(port_, "/healthz").result_int(), 200u);
}

}  // namespace
}  // namespace cxm_test
