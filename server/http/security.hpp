// SPDX-License-Identifier: MIT
// What every answer of cxm serve carries and what every request is checked against before a
// route sees it: security headers, the CORS allowlist, bearer tokens, the per-client rate limit.
#ifndef CXM_SERVER_HTTP_SECURITY_HPP
#define CXM_SERVER_HTTP_SECURITY_HPP

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "server/http/http_server.hpp"

namespace cxm::server {

/// The Content-Security-Policy of every answer: the widget and the demo need only their own
/// origin and 'wasm-unsafe-eval' to compile the module (no inline script or style, no eval).
inline constexpr const char* content_security_policy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";

/// Sets nosniff, the CSP, Referrer-Policy, frame denial and Cache-Control: no-store (for the
/// API; static files override it).
void add_security_headers(http_response& res);

/// The Access-Control-* headers for a request from `origin` (the Origin header; empty when
/// none): only origins in `allowed` get any, so other sites' pages cannot read answers, and
/// their POSTs with a JSON content type are stopped by the browser's preflight.
void add_cors_headers(http_response& res, std::string_view origin, const std::vector<std::string>& allowed);
bool origin_allowed(std::string_view origin, const std::vector<std::string>& allowed);

/// Who sent `req`: `peer` (the connection's address), or, when `peer` is one of
/// `trusted_proxies`, the rightmost address of X-Forwarded-For that is not a trusted proxy
/// (proxies append to the header, so the entries left of the last trusted hop are the
/// client's to forge). Malformed entries are ignored.
std::string client_address(const http_request& req, const std::string& peer,
                           const std::vector<std::string>& trusted_proxies);

/// The token of "Authorization: Bearer <token>", or empty.
std::string_view bearer_token(const http_request& req);
/// Compares in time independent of where the strings differ.
bool same_token(std::string_view a, std::string_view b) noexcept;

/// A token bucket per client address. Memory is bounded: at most max_clients buckets; when
/// full, buckets that have refilled (idle clients) are dropped first, and if none has, new
/// clients share one overflow bucket rather than growing the table.
class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;
  rate_limiter(double per_second, double burst, std::size_t max_clients = 100000);
  /// True when `client` may make a request now; otherwise `retry_after_s` says when it may.
  bool allow(const std::string& client, clock::time_point now, unsigned& retry_after_s);
  bool enabled() const noexcept { return per_second_ > 0; }

 private:
  struct bucket {
    double tokens;
    clock::time_point updated;
  };
  void refill(bucket& b, clock::time_point now) const;
  double per_second_, burst_;
  std::size_t max_clients_;
  std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_;
  bucket overflow_;
};

}  // namespace cxm::server

#endif  // CXM_SERVER_HTTP_SECURITY_HPP
