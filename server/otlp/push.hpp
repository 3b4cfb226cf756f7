// SPDX-License-Identifier: MIT
// The OTLP push of cxm serve (--otlp-endpoint): every interval, the collector's merged
// aggregates as one OTLP/HTTP ExportMetricsServiceRequest (JSON, gzip) to a receiver such as an
// OpenTelemetry Collector or Prometheus 3's OTLP endpoint.
//
// Delivery policy (the OTLP/HTTP specification's, docs/scale.md):
// - 2xx: delivered. A partial success (`partialSuccess.rejectedDataPoints`) is counted and logged.
// - 429, 502, 503, 504, a connection failure or a timeout: retried, after the Retry-After the
//   receiver sent (capped) or else after an exponential backoff with jitter (1 s doubling up
//   to a cap). Every attempt builds the body anew: the points are cumulative, so the newest
//   body holds everything an older one held, and a retry never sends stale numbers.
// - any other status: the request is dropped and counted (the receiver refused its content;
//   sending it again would be refused again), and the next interval sends the next one.
// Nothing is lost by a drop or a failure: the next successful push carries the cumulative totals.
#ifndef CXM_SERVER_OTLP_PUSH_HPP
#define CXM_SERVER_OTLP_PUSH_HPP

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <cxm/core/status.hpp>

#include "server/http/client.hpp"

namespace cxm::server {

class access_log;

struct otlp_push_options {
  std::string endpoint;                          ///< http://host[:port]/v1/metrics
  std::chrono::milliseconds interval{60000};     ///< between pushes
  std::chrono::milliseconds timeout{10000};      ///< of one attempt, connect to reply
  http_headers headers;                          ///< sent with each request (e.g. authorization)
  bool gzip = true;                              ///< Content-Encoding: gzip
  std::chrono::milliseconds first_backoff{1000}; ///< the first retry's delay without Retry-After
  std::chrono::milliseconds max_backoff{60000};  ///< the longest delay between retries
};

/// What the pusher has done so far (for /healthz and the tests).
struct otlp_push_stats {
  std::uint64_t attempts = 0;         ///< requests sent (or tried)
  std::uint64_t delivered = 0;        ///< answered 2xx
  std::uint64_t retries = 0;          ///< attempts that were retries of a failed one
  std::uint64_t dropped = 0;          ///< requests refused with a status that is not retried
  std::uint64_t rejected_points = 0;  ///< data points a 2xx reply said it rejected (partial success)
  std::uint64_t build_failures = 0;   ///< bodies that could not be built (nothing sent)
  unsigned last_status = 0;           ///< of the last reply, 0 when none or a transport failure
  std::string last_error;             ///< of the last failed attempt, empty once one succeeds
  std::int64_t last_delivered_ms = 0; ///< when the last 2xx came
};

class otlp_pusher {
 public:
  /// Returns the request body (the ExportMetricsServiceRequest JSON) of what is held now.
  using body_source = std::function<result<std::string>()>;

  /// Checks the options (`invalid_argument` naming them: the endpoint, an interval or timeout
  /// under 10 ms) and starts the pushing thread; the first push is one interval after start.
  static result<std::unique_ptr<otlp_pusher>> start(otlp_push_options options, body_source source, access_log* log);

  /// stop(true).
  ~otlp_pusher();
  otlp_pusher(const otlp_pusher&) = delete;
  otlp_pusher& operator=(const otlp_pusher&) = delete;

  /// Stops the thread. With `final_push`, one last attempt (no retry, within the timeout)
  /// delivers the state at shutdown. Idempotent.
  void stop(bool final_push = true);

  otlp_push_stats stats() const;

  /// What one attempt's reply means (the policy above); `retry_after` is set when the reply
  /// asked for a delay this code honours.
  enum class verdict : std::uint8_t { delivered, retry, drop };
  static verdict judge(unsigned status) noexcept;

  /// The data points a 2xx reply says it rejected (`partialSuccess.rejectedDataPoints` of an
  /// OTLP/HTTP JSON reply, an int64 as a string or a number) and its `errorMessage` into
  /// `message`; 0 for anything else (a protobuf or empty body, not JSON, a bad count). The
  /// reply comes from the network: any bytes are read without harm.
  static std::uint64_t rejected_points(const http_reply& reply, std::string& message);

 private:
  otlp_pusher(otlp_push_options options, http_url url, body_source source, access_log* log);
  void run();
  /// One attempt; returns the delay before the next one.
  std::chrono::milliseconds attempt(bool retrying, bool& failed);

  otlp_push_options options_;
  http_url url_;
  body_source source_;
  access_log* log_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool final_push_ = true;
  otlp_push_stats stats_;
  std::chrono::milliseconds backoff_;
  std::thread thread_;
};

}  // namespace cxm::server

#endif  // CXM_SERVER_OTLP_PUSH_HPP
