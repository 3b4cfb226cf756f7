// SPDX-License-Identifier: MIT
#include "server/app.hpp"

#include <chrono>

#include <boost/beast/http.hpp>

#include "io/json_writer.hpp"
#include "server/ingest/batch.hpp"
#include "server/ingest/ingest.hpp"
#include "server/report.hpp"

namespace cxm::server {
namespace {

using clock_type = std::chrono::steady_clock;

std::string_view header(const http_request& req, http::field f) {
  auto it = req.find(f);
  return it == req.end() ? std::string_view() : std::string_view(it->value().data(), it->value().size());
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }
std::string_view query_of(std::string_view target) {
  std::size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

http_response make(http::status status, unsigned version, std::string body, const char* type) {
  http_response res{status, version};
  res.set(http::field::server, "cxm");
  res.set(http::field::content_type, type);
  res.body() = std::move(body);
  add_security_headers(res);
  return res;
}

// {"error":{"status":413,"code":"too_large","reason":"..."}}: the one shape of every refusal.
http_response error(http::status status, unsigned version, errc code, std::string_view reason) {
  detail::json_writer w;
  w.begin_object().key("error").begin_object().member("status", static_cast<unsigned>(status));
  w.member("code", name(code)).member("reason", reason).end_object().end_object();
  return make(status, version, w.take(), "application/json");
}

// The answer to HEAD: the headers of the GET, its length, no body.
void head_only(http_response& res) {
  res.content_length(res.body().size());
  res.body().clear();
}

bool json_content(const http_request& req) {
  std::string_view type = header(req, http::field::content_type);
  std::string_view base = type.substr(0, type.find(';'));
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  if (base.size() != 16) return false;
  constexpr std::string_view want = "application/json";
  for (std::size_t i = 0; i < want.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(base[i])) != want[i]) return false;
  return true;
}

// Same origin: the Origin header names the Host the request was sent to.
bool same_origin(const http_request& req, std::string_view origin) {
  std::string_view host = header(req, http::field::host);
  if (host.empty()) return false;
  for (std::string_view scheme : {"http://", "https://"})
    if (origin.size() == scheme.size() + host.size() && origin.substr(0, scheme.size()) == scheme &&
        origin.substr(scheme.size()) == host)
      return true;
  return false;
}

}  // namespace

collector_app::collector_app(const serve_config& config, const survey_registry& surveys, store& s, committer& c,
                             static_files files, access_log& log, defer_fn defer)
    : config_(config),
      surveys_(surveys),
      store_(s),
      committer_(c),
      files_(std::move(files)),
      log_(log),
      defer_(std::move(defer)),
      limiter_(config.rate.per_second, config.rate.burst),
      metrics_(surveys, config.metrics) {
  std::string detail;
  if (auto st = metrics_.load(store_, detail); !st) {
    metrics_error_ = "the metrics could not be loaded from the store: " + detail;
    log_.error("metrics", metrics_error_);
  }
}

http_response collector_app::refused(http::status status, const std::string& reason, const std::string& client) {
  errc code = status == http::status::payload_too_large ? errc::too_large : errc::invalid_argument;
  auto res = error(status, 11, code, reason);
  // The request was not read whole: its method and target are not known for sure.
  log_.request(client, "-", "-", res.result_int(), res.body().size(), 0);
  return res;
}

void collector_app::handle(http_request&& req, const std::string& peer, send_fn send) {
  counters_.requests.fetch_add(1, std::memory_order_relaxed);
  const std::string client = client_address(req, peer, config_.trusted_proxies);
  const auto start = clock_type::now();
  const std::string origin(header(req, http::field::origin));
  // Every answer goes out through here: CORS headers for allowed origins, then the access log.
  auto reply = [this, send = std::move(send), start, client, origin, method = std::string(req.method_string()),
                target = std::string(req.target())](http_response&& res) {
    add_cors_headers(res, origin, config_.cors_origins);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - start).count();
    log_.request(client, method, target, res.result_int(), res.body().size(), static_cast<std::uint64_t>(micros));
    send(std::move(res));
  };
  const unsigned v = req.version();
  const std::string_view path = path_of(req.target());

  if (path == "/healthz") return health(req, std::move(reply));

  unsigned retry_after = 0;
  if (!limiter_.allow(client, rate_limiter::clock::now(), retry_after)) {
    counters_.rate_limited.fetch_add(1, std::memory_order_relaxed);
    auto res = error(http::status::too_many_requests, v, errc::retry_later, "too many requests from this address");
    res.set(http::field::retry_after, std::to_string(retry_after));
    return reply(std::move(res));
  }

  const bool api = path.substr(0, 4) == "/v1/";
  if (api && !origin.empty() && !same_origin(req, origin) && !origin_allowed(origin, config_.cors_origins))
    return reply(error(http::status::forbidden, v, errc::not_permitted,
                       "origin " + origin + " is not allowed (see cors_origins)"));
  if (api && req.method() == http::verb::options) return reply(make(http::status::no_content, v, {}, "text/plain"));

  if (path == "/v1/responses" || path == "/v1/aggregates") {
    if (req.method() != http::verb::post) {
      auto res = error(http::status::method_not_allowed, v, errc::invalid_argument, "use POST");
      res.set(http::field::allow, "POST, OPTIONS");
      return reply(std::move(res));
    }
    if (!json_content(req))
      return reply(error(http::status::unsupported_media_type, v, errc::invalid_argument,
                         "the body must be sent as Content-Type: application/json"));
    return ingest(req, path == "/v1/aggregates", std::move(reply));
  }
  if (path == "/v1/report" || path == "/v1/analysis") {
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      auto res = error(http::status::method_not_allowed, v, errc::invalid_argument, "use GET");
      res.set(http::field::allow, "GET, HEAD, OPTIONS");
      return reply(std::move(res));
    }
    return report(req, path == "/v1/analysis", std::move(reply));
  }
  if (path == "/v1/surveys") {
    // The surveys served, for the dashboard's survey filter: public, as /surveys/ is.
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      auto res = error(http::status::method_not_allowed, v, errc::invalid_argument, "use GET");
      res.set(http::field::allow, "GET, HEAD, OPTIONS");
      return reply(std::move(res));
    }
    auto res = make(http::status::ok, v, surveys_.to_json(), "application/json");
    if (req.method() == http::verb::head) head_only(res);
    return reply(std::move(res));
  }
  if (path == "/metrics") {
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      auto res = error(http::status::method_not_allowed, v, errc::invalid_argument, "use GET");
      res.set(http::field::allow, "GET, HEAD");
      return reply(std::move(res));
    }
    return metrics(req, std::move(reply));
  }
  if (api) return reply(error(http::status::not_found, v, errc::not_found, "no such endpoint"));
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    auto res = error(http::status::method_not_allowed, v, errc::invalid_argument, "use GET");
    res.set(http::field::allow, "GET, HEAD");
    return reply(std::move(res));
  }
  return file(req, std::move(reply));
}

void collector_app::health(const http_request& req, send_fn send) {
  detail::json_writer w;
  w.begin_object().member("status", "ok").member("store", store_.describe());
  w.member("surveys", static_cast<std::uint64_t>(surveys_.size()));
  w.member("requests", counters_.requests.load()).member("accepted", counters_.accepted.load());
  w.member("duplicates", counters_.duplicates.load()).member("rejected", counters_.rejected.load());
  w.member("score_mismatches", counters_.score_mismatches.load());
  w.member("rate_limited", counters_.rate_limited.load()).member("store_errors", counters_.store_errors.load());
  w.member("commits", committer_.commits());
  if (otlp_) {
    const otlp_push_stats o = otlp_->stats();
    w.key("otlp").begin_object().member("attempts", o.attempts).member("delivered", o.delivered);
    w.member("retries", o.retries).member("dropped", o.dropped).member("rejected_points", o.rejected_points);
    w.member("build_failures", o.build_failures).member("last_status", static_cast<std::uint64_t>(o.last_status));
    w.member("last_error", o.last_error).member("last_delivered_ms", o.last_delivered_ms).end_object();
  }
  w.end_object();
  send(make(http::status::ok, req.version(), w.take(), "application/json"));
}

response_outcomes collector_app::outcomes() const noexcept {
  response_outcomes o;
  o.accepted = counters_.accepted.load(std::memory_order_relaxed);
  o.duplicates = counters_.duplicates.load(std::memory_order_relaxed);
  o.rejected = counters_.rejected.load(std::memory_order_relaxed);
  return o;
}

result<std::string> collector_app::otlp_request(const otlp_attributes& resource, otlp_time time) const {
  if (!metrics_error_.empty()) return {errc::io_error, metrics_error_};
  return metrics_.exposition(outcomes()).to_otlp_json(resource, time);
}

// Prometheus asks for the protobuf exposition with this Accept media type (and parameters);
// anything else (a browser, curl, a scraper of the text format) gets the text format.
static bool wants_protobuf(std::string_view accept) {
  std::size_t start = 0;
  while (start < accept.size()) {
    std::size_t end = accept.find(',', start);
    if (end == std::string_view::npos) end = accept.size();
    std::string_view part = accept.substr(start, end - start);
    start = end + 1;
    if (part.find("application/vnd.google.protobuf") == std::string_view::npos) continue;
    if (part.find("proto=io.prometheus.client.MetricFamily") == std::string_view::npos) continue;
    if (part.find("encoding=delimited") == std::string_view::npos) continue;
    return true;
  }
  return false;
}

void collector_app::metrics(const http_request& req, send_fn send) {
  const unsigned v = req.version();
  if (!config_.metrics_tokens.empty()) {
    std::string_view token = bearer_token(req);
    bool ok = false;
    for (const auto& t : config_.metrics_tokens) ok = same_token(token, t) || ok;
    if (!ok) {
      auto res = error(http::status::unauthorized, v, errc::not_permitted, "a valid bearer token is required");
      res.set(http::field::www_authenticate, "Bearer");
      return send(std::move(res));
    }
  }
  if (!metrics_error_.empty()) return send(error(http::status::service_unavailable, v, errc::io_error, metrics_error_));
  const auto e = metrics_.exposition(outcomes());
  const bool protobuf = wants_protobuf(header(req, http::field::accept));
  auto res = protobuf ? make(http::status::ok, v, e.to_protobuf(), prometheus::protobuf_content_type.data())
                      : make(http::status::ok, v, e.to_text(), prometheus::text_content_type.data());
  res.set(http::field::vary, "Accept");
  res.set(http::field::cache_control, "no-store");
  if (req.method() == http::verb::head) head_only(res);
  send(std::move(res));
}

void collector_app::ingest(const http_request& req, bool aggregates, send_fn send) {
  const unsigned v = req.version();
  batch_limits limits;
  limits.max_bytes = config_.limits.body_bytes;
  limits.max_records = config_.max_records;
  auto split = split_batch(req.body(), limits);
  if (!split) {
    http::status st = split.code() == errc::too_large ? http::status::payload_too_large : http::status::bad_request;
    return send(error(st, v, split.code(), split.detail()));
  }
  auto b = std::make_shared<batch>(std::move(*split));
  if (aggregates && (!b->responses.empty() || !b->events.empty() || b->kind != batch_kind::outbox))
    return send(error(http::status::bad_request, v, errc::invalid_argument,
                      "/v1/aggregates takes a cxm.batch with aggregates only"));
  if (!aggregates && !b->aggregates.empty())
    return send(error(http::status::bad_request, v, errc::invalid_argument,
                      "aggregates go to /v1/aggregates"));
  if (aggregates && !config_.aggregate_tokens.empty()) {
    std::string_view token = bearer_token(req);
    auto it = config_.aggregate_tokens.find(b->source);
    if (token.empty()) {
      auto res = error(http::status::unauthorized, v, errc::not_permitted, "a bearer token is required");
      res.set(http::field::www_authenticate, "Bearer");
      return send(std::move(res));
    }
    if (it == config_.aggregate_tokens.end() || !same_token(token, it->second))
      return send(error(http::status::forbidden, v, errc::not_permitted,
                        "the token is not the one of source " + b->source));
  }

  auto p = std::make_shared<prepared_batch>(prepare(*b, surveys_, now_ms()));
  auto finish = [this, b, p, v, send](status st, const std::string& detail) {
    if (!st) {
      counters_.store_errors.fetch_add(1, std::memory_order_relaxed);
      log_.error("store", detail);
      auto res = error(http::status::service_unavailable, v, st.code(), "the records could not be stored; retry");
      res.set(http::field::retry_after, "5");
      return send(std::move(res));
    }
    // Only rows this commit stored change the metrics: a duplicate was counted when first stored.
    const std::size_t aggregates_from = p->rows.size() + p->events.size();
    for (std::size_t i = 0; i < p->rows.size(); ++i)
      if (p->verdicts[p->slots[i]].outcome == verdict::accepted) metrics_.add_response(p->rows[i]);
    for (std::size_t i = 0; i < p->aggregates.size(); ++i)
      if (p->verdicts[p->slots[aggregates_from + i]].outcome == verdict::accepted)
        metrics_.add_snapshot(p->aggregates[i]);
    for (const auto& rv : p->verdicts) {
      if (rv.outcome == verdict::accepted) counters_.accepted.fetch_add(1, std::memory_order_relaxed);
      else if (rv.outcome == verdict::duplicate) counters_.duplicates.fetch_add(1, std::memory_order_relaxed);
      else if (rv.outcome == verdict::rejected) counters_.rejected.fetch_add(1, std::memory_order_relaxed);
    }
    counters_.score_mismatches.fetch_add(p->score_mismatches, std::memory_order_relaxed);
    send(make(http::status::ok, v, verdicts_json(*b, *p), "application/json"));
  };
  if (p->slots.empty()) return finish(errc::ok, {});
  // The committer calls back on its one writer thread; the reply (JSON, counters, freeing the
  // parsed batch) is built on a request thread so that the next commit need not wait for it.
  auto handoff = [this, finish](status st, const std::string& detail) {
    defer_([finish, st, detail] { finish(st, detail); });
  };
  if (auto st = committer_.submit(p, handoff); !st) {
    auto res = error(http::status::service_unavailable, v, st.code(), "the collector is shutting down; retry");
    res.set(http::field::retry_after, "5");
    send(std::move(res));
  }
}

void collector_app::report(const http_request& req, bool analysis, send_fn send) {
  const unsigned v = req.version();
  if (!config_.report_tokens.empty()) {
    std::string_view token = bearer_token(req);
    bool ok = false;
    for (const auto& t : config_.report_tokens) ok = same_token(token, t) || ok;
    if (!ok) {
      auto res = error(http::status::unauthorized, v, errc::not_permitted, "a valid bearer token is required");
      res.set(http::field::www_authenticate, "Bearer");
      return send(std::move(res));
    }
  }
  auto q = parse_report_query(query_of(req.target()));
  if (!q) return send(error(http::status::bad_request, v, q.code(), q.detail()));
  auto r = analysis ? build_analysis(store_, surveys_, *q) : build_report(store_, surveys_, *q);
  if (!r) {
    http::status st = r.code() == errc::not_found ? http::status::not_found
                      : r.code() == errc::invalid_argument ? http::status::bad_request
                                                            : http::status::service_unavailable;
    if (st == http::status::service_unavailable) log_.error("report", r.detail());
    return send(error(st, v, r.code(), r.detail()));
  }
  auto res = make(http::status::ok, v, std::move(*r), "application/json");
  if (req.method() == http::verb::head) head_only(res);
  send(std::move(res));
}

void collector_app::file(const http_request& req, send_fn send) {
  const unsigned v = req.version();
  auto f = files_.find(req.target());
  if (!f && path_of(req.target()) == "/favicon.ico") {
    // Browsers ask every origin for an icon; "none" is an answer, a 404 is a console error.
    auto res = make(http::status::no_content, v, {}, "image/x-icon");
    res.set(http::field::cache_control, "public, max-age=86400");
    return send(std::move(res));
  }
  if (!f) return send(error(http::status::not_found, v, errc::not_found, "no such file"));
  auto res = make(http::status::ok, v, std::move(f->body), f->content_type);
  // Short caching: the widget and definitions change with deployments, not by the minute.
  res.set(http::field::cache_control, "public, max-age=60");
  if (req.method() == http::verb::head) head_only(res);
  send(std::move(res));
}

}  // namespace cxm::server
