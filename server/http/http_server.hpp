// SPDX-License-Identifier: MIT
// The HTTP/1.1 transport of cxm serve (Boost.Beast over Boost.Asio): accepts connections,
// reads one request at a time per connection within the size and time limits, hands it to a
// handler that may answer later from any thread, writes the answer, keeps the connection alive
// when both sides want it. Knows nothing of cxm: routes live in the handler (server/app.hpp).
#ifndef CXM_SERVER_HTTP_HTTP_SERVER_HPP
#define CXM_SERVER_HTTP_HTTP_SERVER_HPP

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cxm/core/status.hpp>

namespace cxm::server {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;
/// Sends the answer to one request: call it exactly once, from any thread.
using send_fn = std::function<void(http_response&&)>;

class http_handler {
 public:
  virtual ~http_handler() = default;
  /// `client` is the peer's address ("127.0.0.1"). Transport errors (a body over the limit,
  /// a malformed request, a slow client) never reach the handler: the server answers them
  /// (413, 431, 400) through `refused`, or closes the connection (a request not read whole
  /// within read_timeout).
  virtual void handle(http_request&& request, const std::string& client, send_fn send) = 0;
  /// Builds the answer to a request the transport refused (status and reason), so that it
  /// carries the same headers as every other answer (and is logged like them); called before
  /// the connection closes.
  virtual http_response refused(http::status status, const std::string& reason, const std::string& client) = 0;
};

struct http_limits {
  std::size_t body_bytes = std::size_t{1} << 20;
  std::size_t header_bytes = 16 * 1024;
  /// A request must arrive whole within this time from its first byte (slow clients hold no
  /// connection longer); an idle keep-alive connection is closed after idle_timeout.
  std::chrono::milliseconds read_timeout{10'000};
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  /// Connections beyond this are closed as soon as they are accepted.
  std::size_t max_connections = 1024;
  /// And beyond this many from one client address (0: no such cap), so that one client cannot
  /// take every connection. Behind a reverse proxy every client has the proxy's address: raise
  /// it there, or set 0 and cap at the proxy.
  std::size_t max_connections_per_client = 128;
};

class http_server {
 public:
  http_server(boost::asio::io_context& ioc, http_handler& handler, http_limits limits);
  ~http_server();

  /// Binds and starts accepting. Port 0 picks a free port; the bound endpoint is returned.
  result<boost::asio::ip::tcp::endpoint> listen(const std::string& address, unsigned short port);
  /// Graceful stop: no new connections; requests being read or answered finish and get their
  /// answer (with Connection: close); idle connections are closed. The io_context runs out of
  /// work once they are done.
  void drain();
  bool draining() const noexcept { return draining_.load(std::memory_order_acquire); }
  std::size_t connections() const noexcept { return connections_.load(std::memory_order_relaxed); }

  const http_limits& limits() const noexcept { return limits_; }
  http_handler& handler() noexcept { return handler_; }

  // Used by the sessions.
  class session;
  void enter(const std::shared_ptr<session>& s);
  void leave(const std::string& client) noexcept;

 private:
  void accept();

  boost::asio::io_context& ioc_;
  http_handler& handler_;
  http_limits limits_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> draining_{false};
  std::atomic<std::size_t> connections_{0};
  std::mutex sessions_mutex_;
  std::vector<std::weak_ptr<session>> sessions_;
  std::unordered_map<std::string, std::size_t> per_client_;  // open connections by address
};

}  // namespace cxm::server

#endif  // CXM_SERVER_HTTP_HTTP_SERVER_HPP
