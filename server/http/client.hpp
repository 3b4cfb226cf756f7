// SPDX-License-Identifier: MIT
// The collector's one outgoing HTTP call: a POST to a receiver given by URL (the OTLP push),
// with a deadline over the whole exchange. HTTP/1.1 over plain TCP only: TLS to a remote
// receiver is the job of a local OpenTelemetry Collector or proxy (docs/scale.md).
#ifndef CXM_SERVER_HTTP_CLIENT_HPP
#define CXM_SERVER_HTTP_CLIENT_HPP

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <cxm/core/status.hpp>

namespace cxm::server {

/// An http:// URL split for a request: host (a name, an IPv4 address or a bracketed IPv6 one,
/// brackets removed), port (80 when absent) and target (the path and query, "/" when absent).
struct http_url {
  std::string host;
  std::string port;
  std::string target;
};

/// `invalid_argument` naming what is wrong: another scheme (https is not spoken here), user
/// information, a missing host, a port outside 1-65535, a fragment, spaces or control bytes.
result<http_url> parse_http_url(std::string_view url);

using http_headers = std::vector<std::pair<std::string, std::string>>;

struct http_reply {
  unsigned status = 0;
  std::string retry_after;   ///< the Retry-After header as sent, empty when absent
  std::string content_type;
  std::string body;          ///< at most max_reply_bytes
};

/// Sends `body` with the given headers (Content-Type among them) and reads the reply, all
/// within `timeout`. `io_error` (cannot resolve or connect, the connection failed, a reply that
/// is not HTTP or is over 1 MiB, or the deadline passed), the detail naming the step.
result<http_reply> http_post(const http_url& url, const http_headers& headers, std::string body,
                             std::chrono::milliseconds timeout);

/// The delay a Retry-After value asks for (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date
/// (IMF-fixdate) taken relative to `now_ms`; a date in the past is no delay. False for anything
/// else (the caller then backs off on its own schedule).
bool parse_retry_after(std::string_view value, std::int64_t now_ms, std::chrono::milliseconds& delay);

}  // namespace cxm::server

#endif  // CXM_SERVER_HTTP_CLIENT_HPP
