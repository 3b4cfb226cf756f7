// SPDX-License-Identifier: MIT
#include "server/http/client.hpp"

#include <algorithm>
#include <ctime>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace cxm::server {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t max_reply_bytes = std::size_t{1} << 20;

bool all_digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

result<http_url> parse_http_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (url.size() < scheme.size() || !std::equal(scheme.begin(), scheme.end(), url.begin(), [](char a, char b) {
        return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
      }))
    return {errc::invalid_argument, "expected an http:// URL (TLS: send through a local collector or proxy)"};
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return {errc::invalid_argument, "spaces or control characters in the URL"};
  if (url.find('#') != std::string_view::npos) return {errc::invalid_argument, "a URL with a fragment"};
  std::string_view rest = url.substr(scheme.size());
  const std::size_t slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  http_url out;
  out.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (out.target[0] == '?') out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos)
    return {errc::invalid_argument, "user information in the URL (send credentials as a header)"};
  std::string_view port;
  if (!authority.empty() && authority[0] == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return {errc::invalid_argument, "an unclosed [ in the host"};
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return {errc::invalid_argument, "text after the bracketed host"};
      port = after.substr(1);
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (out.host.empty()) return {errc::invalid_argument, "no host in the URL"};
  if (port.empty() && authority.find(':') == std::string_view::npos) {
    out.port = "80";
  } else {
    if (!all_digits(port) || port.size() > 5 || std::stoul(std::string(port)) == 0 ||
        std::stoul(std::string(port)) > 65535)
      return {errc::invalid_argument, "the port is not a number in 1-65535"};
    out.port = std::string(port);
  }
  return out;
}

result<http_reply> http_post(const http_url& url, const http_headers& headers, std::string body,
                             std::chrono::milliseconds timeout) {
  // Asynchronous operations on a private io_context: beast's tcp_stream applies its deadline
  // to asynchronous operations only, and one deadline must bound resolve, connect, write and read.
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  http::request<http::string_body> req{http::verb::post, url.target, 11};
  req.set(http::field::host, url.port == "80" ? url.host : url.host + ":" + url.port);
  req.set(http::field::user_agent, "cxm-serve");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = std::move(body);
  req.prepare_payload();

  http::response_parser<http::string_body> parser;
  parser.body_limit(max_reply_bytes);
  beast::flat_buffer buffer;
  beast::error_code failure;
  const char* step = "resolve";
  bool done = false;

  net::steady_timer deadline(ioc, timeout);
  deadline.async_wait([&](beast::error_code ec) {
    if (ec || done) return;
    failure = beast::error::timeout;
    resolver.cancel();
    stream.cancel();
  });
  auto finish = [&](beast::error_code ec) {
    if (!failure) failure = ec;
    done = true;
    deadline.cancel();
  };
  resolver.async_resolve(url.host, url.port, [&](beast::error_code ec, tcp::resolver::results_type endpoints) {
    if (ec || failure) return finish(ec);
    step = "connect";
    stream.async_connect(endpoints, [&](beast::error_code ec2, const tcp::endpoint&) {
      if (ec2 || failure) return finish(ec2);
      step = "send";
      http::async_write(stream, req, [&](beast::error_code ec3, std::size_t) {
        if (ec3 || failure) return finish(ec3);
        step = "read the reply";
        http::async_read(stream, buffer, parser, [&](beast::error_code ec4, std::size_t) { finish(ec4); });
      });
    });
  });
  ioc.run();
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);

  const std::string where = url.host + ":" + url.port + url.target;
  if (failure == beast::error::timeout)
    return {errc::io_error, std::string(step) + ": " + where + " did not answer within " +
                                std::to_string(timeout.count()) + " ms"};
  if (failure) return {errc::io_error, std::string(step) + ": " + where + ": " + failure.message()};
  auto& res = parser.get();
  http_reply reply;
  reply.status = res.result_int();
  if (auto it = res.find(http::field::retry_after); it != res.end()) reply.retry_after = std::string(it->value());
  if (auto it = res.find(http::field::content_type); it != res.end()) reply.content_type = std::string(it->value());
  reply.body = std::move(res.body());
  return reply;
}

bool parse_retry_after(std::string_view value, std::int64_t now_ms, std::chrono::milliseconds& delay) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (all_digits(value)) {
    // Ten digits are over 300 years: anything longer is not a delay anyone means.
    if (value.size() > 10) return false;
    delay = std::chrono::seconds(std::stoll(std::string(value)));
    return true;
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (the one form senders must use).
  if (value.size() != 29 || value.substr(3, 2) != ", " || value.substr(25) != " GMT") return false;
  static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::string_view mon = value.substr(8, 3);
  int month = -1;
  for (int i = 0; i < 12; ++i)
    if (mon == months[i]) month = i;
  const std::string_view day = value.substr(5, 2), year = value.substr(12, 4);
  const std::string_view hh = value.substr(17, 2), mm = value.substr(20, 2), ss = value.substr(23, 2);
  if (month < 0 || value[7] != ' ' || value[11] != ' ' || value[16] != ' ' || value[19] != ':' || value[22] != ':' ||
      !all_digits(day) || !all_digits(year) || !all_digits(hh) || !all_digits(mm) || !all_digits(ss))
    return false;
  std::tm tm{};
  tm.tm_year = std::stoi(std::string(year)) - 1900;
  tm.tm_mon = month;
  tm.tm_mday = std::stoi(std::string(day));
  tm.tm_hour = std::stoi(std::string(hh));
  tm.tm_min = std::stoi(std::string(mm));
  tm.tm_sec = std::stoi(std::string(ss));
  if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) return false;
  const std::int64_t at_ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
  delay = std::chrono::milliseconds(at_ms > now_ms ? at_ms - now_ms : 0);
  return true;
}

}  // namespace cxm::server
