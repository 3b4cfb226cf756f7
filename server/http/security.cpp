// SPDX-License-Identifier: MIT
#include "server/http/security.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <boost/asio/ip/address.hpp>

namespace cxm::server {

void add_security_headers(http_response& res) {
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Content-Security-Policy", content_security_policy);
  res.set("Referrer-Policy", "no-referrer");
  res.set("X-Frame-Options", "DENY");
  res.set("Cross-Origin-Resource-Policy", "same-origin");
  if (res.find(http::field::cache_control) == res.end()) res.set(http::field::cache_control, "no-store");
}

bool origin_allowed(std::string_view origin, const std::vector<std::string>& allowed) {
  return !origin.empty() && std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
}

void add_cors_headers(http_response& res, std::string_view origin, const std::vector<std::string>& allowed) {
  res.set(http::field::vary, "Origin");
  if (!origin_allowed(origin, allowed)) return;
  res.set(http::field::access_control_allow_origin, std::string(origin));
  res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
  res.set(http::field::access_control_allow_headers, "Content-Type, Authorization");
  res.set(http::field::access_control_max_age, "600");
  // The widget reads Retry-After on a 429 or 503 to schedule its retry.
  res.set(http::field::access_control_expose_headers, "Retry-After");
}

std::string client_address(const http_request& req, const std::string& peer,
                           const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](std::string_view a) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), a) != trusted_proxies.end();
  };
  if (!trusted(peer)) return peer;
  auto it = req.find("X-Forwarded-For");
  if (it == req.end()) return peer;
  std::string_view list(it->value().data(), it->value().size());
  // From the right: the first entry that is a valid address and not a trusted proxy.
  while (!list.empty()) {
    std::size_t comma = list.rfind(',');
    std::string_view entry = comma == std::string_view::npos ? list : list.substr(comma + 1);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(0, comma);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(std::string(entry), ec);
    if (ec) continue;
    std::string text = address.to_string();
    if (!trusted(text)) return text;
  }
  return peer;
}

std::string_view bearer_token(const http_request& req) {
  auto it = req.find(http::field::authorization);
  if (it == req.end()) return {};
  std::string_view v(it->value().data(), it->value().size());
  constexpr std::string_view scheme = "Bearer ";
  if (v.size() <= scheme.size()) return {};
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(v[i])) != std::tolower(static_cast<unsigned char>(scheme[i]))) return {};
  return v.substr(scheme.size());
}

bool same_token(std::string_view a, std::string_view b) noexcept {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
  return diff == 0 && !b.empty();
}

rate_limiter::rate_limiter(double per_second, double burst, std::size_t max_clients)
    : per_second_(per_second), burst_(burst), max_clients_(max_clients), overflow_{burst, clock::now()} {}

void rate_limiter::refill(bucket& b, clock::time_point now) const {
  double dt = std::chrono::duration<double>(now - b.updated).count();
  if (dt > 0) {
    b.tokens = std::min(burst_, b.tokens + dt * per_second_);
    b.updated = now;
  }
}

bool rate_limiter::allow(const std::string& client, clock::time_point now, unsigned& retry_after_s) {
  if (per_second_ <= 0) return true;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = buckets_.find(client);
  bucket* b = nullptr;
  if (it != buckets_.end()) {
    b = &it->second;
  } else {
    if (buckets_.size() >= max_clients_) {
      for (auto i = buckets_.begin(); i != buckets_.end();) {
        refill(i->second, now);
        i = i->second.tokens >= burst_ ? buckets_.erase(i) : std::next(i);
      }
    }
    if (buckets_.size() < max_clients_) b = &buckets_.emplace(client, bucket{burst_, now}).first->second;
    else b = &overflow_;
  }
  refill(*b, now);
  if (b->tokens >= 1) {
    b->tokens -= 1;
    return true;
  }
  retry_after_s = static_cast<unsigned>(std::ceil((1 - b->tokens) / per_second_));
  if (retry_after_s == 0) retry_after_s = 1;
  return false;
}

}  // namespace cxm::server
