// SPDX-License-Identifier: MIT
// A small blocking HTTP client for the collector's tests (Boost.Beast), and a raw socket for
// what a well-behaved client never sends.
#ifndef CXM_TESTS_SERVER_HTTP_CLIENT_HPP
#define CXM_TESTS_SERVER_HTTP_CLIENT_HPP

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace cxm_test {

namespace http = boost::beast::http;
using response = http::response<http::string_body>;
using headers = std::vector<std::pair<std::string, std::string>>;

/// A response with status 0: none came.
inline response no_answer() {
  response r;
  r.result(0u);
  return r;
}

/// One request on a new connection; the answer (status 0 and an empty body when the server
/// refused the connection or closed it without one).
inline response request(unsigned short port, http::verb method, const std::string& target,
                        const std::string& body = {}, const headers& extra = {},
                        const std::string& content_type = "application/json") {
  boost::asio::io_context ioc;
  boost::beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(30));
  boost::beast::error_code ec;
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) return no_answer();
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  if (!body.empty() || method == http::verb::post) req.set(http::field::content_type, content_type);
  for (const auto& [k, v] : extra) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  // A server may answer before it has read the whole request (a body over its limit) and
  // stop reading: the write then fails, but the answer can still be read.
  http::write(stream, req, ec);
  boost::beast::flat_buffer buffer;
  response res;
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::uint64_t{64} << 20);
  http::read(stream, buffer, parser, ec);
  if (ec) return no_answer();
  res = parser.release();
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  return res;
}

inline response get(unsigned short port, const std::string& target, const headers& extra = {}) {
  return request(port, http::verb::get, target, {}, extra);
}
inline response post(unsigned short port, const std::string& target, const std::string& body,
                     const headers& extra = {}) {
  return request(port, http::verb::post, target, body, extra);
}

/// Sends `bytes` as they are and returns everything the server answers until it closes.
inline std::string raw(unsigned short port, const std::string& bytes) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket s(ioc);
  s.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port));
  boost::beast::error_code wec;
  boost::asio::write(s, boost::asio::buffer(bytes), wec);  // may fail once the server answered
  std::string out;
  boost::beast::error_code ec;
  char buf[4096];
  for (;;) {
    std::size_t n = s.read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
  }
  return out;
}

}  // namespace cxm_test

#endif  // CXM_TESTS_SERVER_HTTP_CLIENT_HPP
