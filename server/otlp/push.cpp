// SPDX-License-Identifier: MIT
#include "server/otlp/push.hpp"

#include <algorithm>
#include <random>

#include <boost/json.hpp>

#include "server/access_log.hpp"
#include "server/http/gzip.hpp"

namespace cxm::server {
namespace {

constexpr std::chrono::milliseconds min_period{10};
/// A receiver's Retry-After is honoured up to this: longer, and the pusher would look dead.
constexpr std::chrono::milliseconds max_retry_after{std::chrono::minutes(5)};

}  // namespace

std::uint64_t otlp_pusher::rejected_points(const http_reply& reply, std::string& message) {
  if (reply.body.empty() || reply.content_type.find("json") == std::string::npos) return 0;
  boost::json::error_code ec;
  const boost::json::value v = boost::json::parse(reply.body, ec);
  if (ec || !v.is_object()) return 0;
  const auto* partial = v.as_object().if_contains("partialSuccess");
  if (!partial || !partial->is_object()) return 0;
  const auto& p = partial->as_object();
  if (const auto* m = p.if_contains("errorMessage"); m && m->is_string()) message = std::string(m->as_string());
  const auto* n = p.if_contains("rejectedDataPoints");
  if (!n) return 0;
  // proto3 JSON writes int64 as a string; accept a number too.
  if (n->is_string()) {
    const std::string s(n->as_string());
    if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) return 0;
    return std::stoull(s);
  }
  if (n->is_uint64()) return n->as_uint64();
  if (n->is_int64() && n->as_int64() > 0) return static_cast<std::uint64_t>(n->as_int64());
  return 0;
}

otlp_pusher::verdict otlp_pusher::judge(unsigned status) noexcept {
  if (status >= 200 && status < 300) return verdict::delivered;
  if (status == 429 || status == 502 || status == 503 || status == 504) return verdict::retry;
  return verdict::drop;
}

result<std::unique_ptr<otlp_pusher>> otlp_pusher::start(otlp_push_options options, body_source source, access_log* log) {
  auto url = parse_http_url(options.endpoint);
  if (!url) return {errc::invalid_argument, "otlp_endpoint: " + url.detail()};
  if (options.interval < min_period) return {errc::invalid_argument, "otlp_interval: at least 10 ms"};
  if (options.timeout < min_period) return {errc::invalid_argument, "otlp_timeout: at least 10 ms"};
  if (options.first_backoff < min_period || options.max_backoff < options.first_backoff)
    return {errc::invalid_argument, "otlp backoff: the first delay at least 10 ms and at most the longest"};
  for (const auto& [name, value] : options.headers) {
    const bool token = !name.empty() && name.find_first_not_of("!#$%&'*+-.^_`|~0123456789"
                                                               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
                                            std::string::npos;
    const bool clean = std::none_of(value.begin(), value.end(), [](char c) {
      return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f;
    });
    if (!token || !clean) return {errc::invalid_argument, "otlp_headers: \"" + name + "\" is not a header name with a clean value"};
  }
  std::unique_ptr<otlp_pusher> p(new otlp_pusher(std::move(options), std::move(*url), std::move(source), log));
  p->thread_ = std::thread([raw = p.get()] { raw->run(); });
  return p;
}

otlp_pusher::otlp_pusher(otlp_push_options options, http_url url, body_source source, access_log* log)
    : options_(std::move(options)), url_(std::move(url)), source_(std::move(source)), log_(log),
      backoff_(options_.first_backoff) {}

otlp_pusher::~otlp_pusher() { stop(true); }

void otlp_pusher::stop(bool final_push) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    final_push_ = final_push;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

otlp_push_stats otlp_pusher::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void otlp_pusher::run() {
  bool retrying = false;
  std::chrono::milliseconds wait = options_.interval;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, wait, [this] { return stopping_; });
      if (stopping_) {
        const bool last = final_push_;
        lock.unlock();
        if (last) {
          bool failed = false;
          (void)attempt(false, failed);
        }
        return;
      }
    }
    bool failed = false;
    wait = attempt(retrying, failed);
    retrying = failed;
  }
}

std::chrono::milliseconds otlp_pusher::attempt(bool retrying, bool& failed) {
  failed = false;
  auto body = source_();
  if (!body) {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.build_failures;
    stats_.last_error = body.detail();
    if (log_) log_->error("otlp_push", "the request could not be built: " + body.detail());
    return options_.interval;
  }
  http_headers headers = options_.headers;
  headers.emplace_back("Content-Type", "application/json");
  std::string payload = std::move(*body);
  if (options_.gzip) {
    auto packed = gzip(payload);
    if (packed) {
      payload = std::move(*packed);
      headers.emplace_back("Content-Encoding", "gzip");
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.attempts;
    if (retrying) ++stats_.retries;
  }
  auto reply = http_post(url_, headers, std::move(payload), options_.timeout);

  std::lock_guard<std::mutex> lock(mu_);
  const verdict v = reply ? judge(reply->status) : verdict::retry;
  stats_.last_status = reply ? reply->status : 0;
  if (v == verdict::delivered) {
    std::string message;
    const std::uint64_t rejected = rejected_points(*reply, message);
    stats_.rejected_points += rejected;
    ++stats_.delivered;
    stats_.last_delivered_ms = now_ms();
    stats_.last_error.clear();
    if (rejected > 0 && log_)
      log_->error("otlp_push", "the receiver rejected " + std::to_string(rejected) + " data points: " + message);
    backoff_ = options_.first_backoff;
    return options_.interval;
  }
  const std::string why = reply ? "HTTP " + std::to_string(reply->status) + " " + reply->body.substr(0, 200)
                                : reply.detail();
  stats_.last_error = why;
  if (v == verdict::drop) {
    ++stats_.dropped;
    if (log_) log_->error("otlp_push", "dropped (not retried): " + why);
    backoff_ = options_.first_backoff;
    return options_.interval;
  }
  failed = true;
  std::chrono::milliseconds delay{};
  if (reply && !reply->retry_after.empty() && parse_retry_after(reply->retry_after, now_ms(), delay)) {
    delay = std::min(std::max(delay, min_period), max_retry_after);
  } else {
    // Equal jitter: half the backoff fixed, half random, so collectors that failed together
    // do not retry together.
    thread_local std::minstd_rand rng{std::random_device{}()};
    const auto half = backoff_.count() / 2;
    delay = std::chrono::milliseconds(half + static_cast<std::int64_t>(rng() % static_cast<unsigned>(half + 1)));
    backoff_ = std::min(backoff_ * 2, options_.max_backoff);
  }
  if (log_) log_->error("otlp_push", why + "; retrying in " + std::to_string(delay.count()) + " ms");
  return delay;
}

}  // namespace cxm::server
