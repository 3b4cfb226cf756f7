// SPDX-License-Identifier: MIT
// The routes of cxm serve and the checks every request passes first (rate limit, CORS,
// methods, content types, tokens). docs/server.md is the reference of what they answer.
#ifndef CXM_SERVER_APP_HPP
#define CXM_SERVER_APP_HPP

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/access_log.hpp"
#include "server/config.hpp"
#include "server/http/http_server.hpp"
#include "server/http/security.hpp"
#include "server/http/static_files.hpp"
#include "server/ingest/committer.hpp"
#include "server/ingest/survey_registry.hpp"
#include "server/metrics/collector_metrics.hpp"
#include "server/otlp/push.hpp"
#include "server/storage/store.hpp"

namespace cxm::server {

/// Counters for /healthz and the logs.
struct app_counters {
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::uint64_t> duplicates{0};
  std::atomic<std::uint64_t> rejected{0};
  std::atomic<std::uint64_t> score_mismatches{0};
  std::atomic<std::uint64_t> rate_limited{0};
  std::atomic<std::uint64_t> store_errors{0};
};

class collector_app final : public http_handler {
 public:
  /// Runs a task on the request threads (the committer's callbacks hand their work to it).
  using defer_fn = std::function<void(std::function<void()>)>;

  collector_app(const serve_config& config, const survey_registry& surveys, store& s, committer& c,
                static_files files, access_log& log, defer_fn defer);

  void handle(http_request&& request, const std::string& client, send_fn send) override;
  http_response refused(http::status status, const std::string& reason, const std::string& client) override;

  const app_counters& counters() const noexcept { return counters_; }

  /// The OTLP push's request body: the /metrics exposition as OTLP JSON
  /// (prometheus::exposition::to_otlp_json). `io_error` when the metrics could not be loaded.
  result<std::string> otlp_request(const otlp_attributes& resource, otlp_time time) const;
  /// The pusher whose counters /healthz shows (set by serve before the first request; may be null).
  void set_otlp_pusher(const otlp_pusher* p) noexcept { otlp_ = p; }

 private:
  void ingest(const http_request& req, bool aggregates, send_fn send);
  // GET /v1/report (the collector's report) and /v1/analysis (the report model).
  void report(const http_request& req, bool analysis, send_fn send);
  void file(const http_request& req, send_fn send);
  void health(const http_request& req, send_fn send);
  // GET /metrics: the Prometheus exposition (protobuf when asked for, else text).
  void metrics(const http_request& req, send_fn send);
  // The collector's own record counters, as /metrics and the push report them.
  response_outcomes outcomes() const noexcept;

  const serve_config& config_;
  const survey_registry& surveys_;
  store& store_;
  committer& committer_;
  static_files files_;
  access_log& log_;
  defer_fn defer_;
  rate_limiter limiter_;
  app_counters counters_;
  // Loaded from the store in the constructor, before any commit can add to it (a row counted
  // by the load and again at its commit would count twice); empty when the load failed.
  collector_metrics metrics_;
  std::string metrics_error_;
  const otlp_pusher* otlp_ = nullptr;
};

}  // namespace cxm::server

#endif  // CXM_SERVER_APP_HPP
