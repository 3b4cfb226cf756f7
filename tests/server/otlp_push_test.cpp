// SPDX-License-Identifier: MIT
// The OTLP push's transport and delivery policy, against a receiver in this process (the
// collector's own HTTP server with a scripted handler): the URL and Retry-After parsers, gzip,
// which statuses are retried and which dropped, Retry-After honoured, backoff without it, a
// receiver that never answers, partial success counted, and the last push at stop. The push's
// content against the OpenTelemetry JS decoder is tests/server/otlp_receiver.test.mjs.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "server/http/client.hpp"
#include "server/http/gzip.hpp"
#include "server/http/http_server.hpp"
#include "server/otlp/push.hpp"

namespace {

using namespace cxm::server;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

TEST(HttpUrl, SplitsHostPortAndTarget) {
  auto u = parse_http_url("http://127.0.0.1:4318/v1/metrics");
  ASSERT_TRUE(u.ok()) << u.detail();
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "4318");
  EXPECT_EQ(u->target, "/v1/metrics");
  u = parse_http_url("HTTP://collector.internal");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "collector.internal");
  EXPECT_EQ(u->port, "80");
  EXPECT_EQ(u->target, "/");
  u = parse_http_url("http://[::1]:9090/api/v1/otlp/v1/metrics?x=1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "9090");
  EXPECT_EQ(u->target, "/api/v1/otlp/v1/metrics?x=1");
  for (const char* bad : {"https://collector:4318/v1/metrics", "http://user:pw@host/", "http:///v1/metrics",
                          "http://host:0/", "http://host:65536/", "http://host:12a/", "http://host/a b",
                          "http://host/#frag", "http://[::1/", "ftp://host/", "http://host:/"}) {
    auto r = parse_http_url(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.code(), cxm::errc::invalid_argument) << bad;
    }
  }
}

TEST(RetryAfter, SecondsOrAnImfDate) {
  std::chrono::milliseconds d{};
  ASSERT_TRUE(parse_retry_after("120", 0, d));
  EXPECT_EQ(d, 120s);
  ASSERT_TRUE(parse_retry_after(" 0 ", 0, d));
  EXPECT_EQ(d, 0s);
  // 1994-11-06T08:49:37Z is 784111777 s after 1970 (RFC 9110's example date).
  const std::int64_t at = 784111777000;
  ASSERT_TRUE(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at - 5000, d));
  EXPECT_EQ(d, 5000ms);
  ASSERT_TRUE(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", at + 1000, d));
  EXPECT_EQ(d, 0ms) << "a date in the past is no delay";
  for (const char* bad : {"", "-1", "1.5", "soon", "99999999999", "Sunday, 06-Nov-94 08:49:37 GMT",
                          "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 32 Nov 1994 08:49:37 GMT"})
    EXPECT_FALSE(parse_retry_after(bad, 0, d)) << bad;
}

TEST(Gzip, RoundTripsAndRefusesWhatIsNotGzip) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "{\"name\":\"cxm.step.duration\",\"count\":\"" + std::to_string(i) + "\"}";
  auto packed = gzip(text);
  ASSERT_TRUE(packed.ok());
  EXPECT_LT(packed->size(), text.size() / 4);
  EXPECT_EQ(static_cast<unsigned char>((*packed)[0]), 0x1f);  // the gzip magic
  EXPECT_EQ(static_cast<unsigned char>((*packed)[1]), 0x8b);
  auto back = gunzip(*packed, text.size());
  ASSERT_TRUE(back.ok()) << back.detail();
  EXPECT_EQ(*back, text);
  EXPECT_EQ(gunzip(*packed, text.size() - 1).code(), cxm::errc::too_large);
  EXPECT_EQ(gunzip(packed->substr(0, packed->size() - 4), text.size()).code(), cxm::errc::parse_error);
  EXPECT_EQ(gunzip("not gzip at all", 100).code(), cxm::errc::parse_error);
  auto empty = gzip("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*gunzip(*empty, 0), "");
}

TEST(OtlpPolicy, RetriesOnlyWhatTheSpecificationCallsRetryable) {
  for (unsigned s : {200u, 202u, 204u}) EXPECT_EQ(otlp_pusher::judge(s), otlp_pusher::verdict::delivered) << s;
  for (unsigned s : {429u, 502u, 503u, 504u}) EXPECT_EQ(otlp_pusher::judge(s), otlp_pusher::verdict::retry) << s;
  for (unsigned s : {301u, 400u, 401u, 403u, 404u, 413u, 415u, 500u, 501u})
    EXPECT_EQ(otlp_pusher::judge(s), otlp_pusher::verdict::drop) << s;
}

/// A receiver on a loopback port that answers each request with the next scripted reply
/// (then 200) and records what it received and when.
class receiver : public http_handler {
 public:
  struct reply {
    unsigned status = 200;
    std::string retry_after;
    std::string body;
    bool hang = false;  ///< never answer (the client must time out)
  };
  struct seen {
    clock_type::time_point at;
    std::string content_type, content_encoding, custom, body;
  };

  explicit receiver(std::deque<reply> script) : script_(std::move(script)), server_(ioc_, *this, http_limits{}) {
    auto ep = server_.listen("127.0.0.1", 0);
    if (!ep) throw std::runtime_error(ep.detail());
    port_ = ep->port();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~receiver() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& s : hung_) s(http_response{http::status::service_unavailable, 11});
      hung_.clear();
    }
    server_.drain();
    ioc_.stop();
    thread_.join();
  }

  void handle(http_request&& req, const std::string&, send_fn send) override {
    std::unique_lock<std::mutex> lock(mu_);
    seen s;
    s.at = clock_type::now();
    s.content_type = std::string(req[http::field::content_type]);
    s.content_encoding = std::string(req[http::field::content_encoding]);
    s.custom = std::string(req["X-Cxm-Test"]);
    s.body = req.body();
    requests_.push_back(std::move(s));
    reply r = script_.empty() ? reply{} : script_.front();
    if (!script_.empty()) script_.pop_front();
    changed_.notify_all();
    if (r.hang) {
      hung_.push_back(std::move(send));
      return;
    }
    lock.unlock();
    http_response res{static_cast<http::status>(r.status), req.version()};
    if (!r.retry_after.empty()) res.set(http::field::retry_after, r.retry_after);
    res.set(http::field::content_type, "application/json");
    res.body() = r.body;
    res.prepare_payload();
    send(std::move(res));
  }
  http_response refused(http::status status, const std::string&, const std::string&) override {
    return http_response{status, 11};
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1/metrics"; }
  /// Waits until `n` requests came (or 20 s passed); returns them.
  std::vector<seen> wait_for(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait_for(lock, 20s, [&] { return requests_.size() >= n; });
    return requests_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<reply> script_;
  std::vector<seen> requests_;
  std::vector<send_fn> hung_;
  boost::asio::io_context ioc_;
  http_server server_;
  unsigned short port_ = 0;
  std::thread thread_;
};

/// A body source that numbers its bodies, so each request says which build it carries.
struct numbered_source {
  std::atomic<int> built{0};
  otlp_pusher::body_source fn() {
    return [this]() -> cxm::result<std::string> {
      return "{\"resourceMetrics\":[],\"build\":" + std::to_string(++built) + "}";
    };
  }
};

otlp_push_options fast(const std::string& url) {
  otlp_push_options o;
  o.endpoint = url;
  o.interval = 100ms;
  o.timeout = 2s;
  o.first_backoff = 200ms;
  o.max_backoff = 400ms;
  o.headers = {{"X-Cxm-Test", "token-1"}};
  return o;
}

TEST(OtlpPush, RetriesHonourRetryAfterBackOffAndDropWhatIsRefused) {
  receiver rx({{503, "1", "", false},
               {429, "", "", false},
               {400, "", "{\"code\":3,\"message\":\"bad metric\"}", false},
               {200, "", "{\"partialSuccess\":{\"rejectedDataPoints\":\"2\",\"errorMessage\":\"2 points too old\"}}", false},
               {200, "", "{}", false}});
  numbered_source src;
  auto pusher = otlp_pusher::start(fast(rx.url()), src.fn(), nullptr);
  ASSERT_TRUE(pusher.ok()) << pusher.detail();
  const auto got = rx.wait_for(5);
  (*pusher)->stop(false);
  ASSERT_GE(got.size(), 5u);

  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(got[i].content_type, "application/json");
    EXPECT_EQ(got[i].content_encoding, "gzip");
    EXPECT_EQ(got[i].custom, "token-1");
    auto body = gunzip(got[i].body, 1 << 20);
    ASSERT_TRUE(body.ok()) << body.detail();
    // Every attempt carries a body built for it: a retry sends the newest cumulative state.
    EXPECT_EQ(*body, "{\"resourceMetrics\":[],\"build\":" + std::to_string(i + 1) + "}");
  }
  // 503 with Retry-After: 1 s before the next attempt, although the interval is 100 ms.
  EXPECT_GE(got[1].at - got[0].at, 950ms);
  // 429 without Retry-After: the backoff, at least half of the first 200 ms (equal jitter).
  EXPECT_GE(got[2].at - got[1].at, 95ms);
  // 400 is dropped: the next push waits the interval (100 ms), not a backoff; it is no retry.
  EXPECT_GE(got[3].at - got[2].at, 95ms);

  const otlp_push_stats s = (*pusher)->stats();
  EXPECT_GE(s.attempts, 5u);
  EXPECT_EQ(s.retries, 2u) << "the attempts after the 503 and after the 429";
  EXPECT_EQ(s.dropped, 1u);
  EXPECT_GE(s.delivered, 2u);
  EXPECT_EQ(s.rejected_points, 2u);
  EXPECT_EQ(s.build_failures, 0u);
  EXPECT_EQ(s.last_status, 200u);
  EXPECT_TRUE(s.last_error.empty());
  EXPECT_GT(s.last_delivered_ms, 0);
}

TEST(OtlpPush, AReceiverThatNeverAnswersTimesOutAndIsRetried) {
  receiver rx({{200, "", "", true}});
  numbered_source src;
  auto o = fast(rx.url());
  o.timeout = 300ms;
  auto pusher = otlp_pusher::start(o, src.fn(), nullptr);
  ASSERT_TRUE(pusher.ok());
  const auto got = rx.wait_for(2);
  (*pusher)->stop(false);
  ASSERT_GE(got.size(), 2u);
  EXPECT_GE(got[1].at - got[0].at, 300ms) << "the first attempt waited for its deadline";
  const otlp_push_stats s = (*pusher)->stats();
  EXPECT_GE(s.retries, 1u);
  EXPECT_EQ(s.dropped, 0u);
}

TEST(OtlpPush, NoReceiverAtAllIsRetriedAndNamed) {
  // A port nobody listens on: bind one, note it, close it.
  unsigned short port = 0;
  {
    receiver rx({});
    port = static_cast<unsigned short>(std::stoi(rx.url().substr(17, 5)));
  }
  numbered_source src;
  auto pusher = otlp_pusher::start(fast("http://127.0.0.1:" + std::to_string(port) + "/v1/metrics"), src.fn(), nullptr);
  ASSERT_TRUE(pusher.ok());
  const auto deadline = clock_type::now() + 10s;
  while ((*pusher)->stats().attempts < 2 && clock_type::now() < deadline) std::this_thread::sleep_for(20ms);
  (*pusher)->stop(false);
  const otlp_push_stats s = (*pusher)->stats();
  EXPECT_GE(s.attempts, 2u);
  EXPECT_EQ(s.delivered, 0u);
  EXPECT_EQ(s.last_status, 0u);
  EXPECT_NE(s.last_error.find("connect"), std::string::npos) << s.last_error;
}

TEST(OtlpPush, StopDeliversTheLastStateOnce) {
  receiver rx({});
  numbered_source src;
  auto o = fast(rx.url());
  o.interval = std::chrono::hours(1);
  auto pusher = otlp_pusher::start(o, src.fn(), nullptr);
  ASSERT_TRUE(pusher.ok());
  (*pusher)->stop(true);
  (*pusher)->stop(true);  // idempotent
  const auto got = rx.wait_for(1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(src.built.load(), 1);
  EXPECT_EQ((*pusher)->stats().delivered, 1u);
}

TEST(OtlpPush, BodiesThatCannotBeBuiltAreCountedNotSent) {
  receiver rx({});
  int calls = 0;
  auto pusher = otlp_pusher::start(fast(rx.url()), [&]() -> cxm::result<std::string> {
    return {cxm::errc::io_error, "the store is gone (call " + std::to_string(++calls) + ")"};
  }, nullptr);
  ASSERT_TRUE(pusher.ok());
  const auto deadline = clock_type::now() + 10s;
  while ((*pusher)->stats().build_failures < 2 && clock_type::now() < deadline) std::this_thread::sleep_for(20ms);
  (*pusher)->stop(false);
  const otlp_push_stats s = (*pusher)->stats();
  EXPECT_GE(s.build_failures, 2u);
  EXPECT_EQ(s.attempts, 0u);
  EXPECT_NE(s.last_error.find("the store is gone"), std::string::npos);
  EXPECT_TRUE(rx.wait_for(0).empty());
}

TEST(OtlpPush, BadOptionsAreRefusedNamingThem) {
  numbered_source src;
  auto o = fast("https://collector:4318/v1/metrics");
  auto r = otlp_pusher::start(o, src.fn(), nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.detail().find("otlp_endpoint"), std::string::npos) << r.detail();
  o = fast("http://127.0.0.1:4318/v1/metrics");
  o.interval = 1ms;
  r = otlp_pusher::start(o, src.fn(), nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.detail().find("otlp_interval"), std::string::npos) << r.detail();
  o = fast("http://127.0.0.1:4318/v1/metrics");
  o.headers = {{"Bad Name", "x"}};
  r = otlp_pusher::start(o, src.fn(), nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.detail().find("otlp_headers"), std::string::npos) << r.detail();
  o.headers = {{"Authorization", "Bearer a\r\nInjected: 1"}};
  EXPECT_FALSE(otlp_pusher::start(o, src.fn(), nullptr).ok());
  EXPECT_EQ(src.built.load(), 0);
}

}  // namespace
