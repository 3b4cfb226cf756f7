// SPDX-License-Identifier: MIT
#include "server/http/http_server.hpp"

#include <array>
#include <chrono>
#include <optional>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace cxm::server {
namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

class http_server::session : public std::enable_shared_from_this<http_server::session> {
 public:
  session(tcp::socket&& socket, std::string client, http_server& server)
      : stream_(std::move(socket)), server_(server), client_(std::move(client)) {}
  ~session() { server_.leave(client_); }

  void start() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&session::read, shared_from_this()));
  }

  /// From drain(): closes the connection when it waits for a next request; a session that is
  /// reading or answering one closes after its answer.
  void close_if_idle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_ && !self->parser_->got_some()) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.socket().close(ec);
      }
    });
  }

 private:
  void read() {
    if (server_.draining() && requests_ > 0) return close();
    parser_.emplace();
    parser_->body_limit(server_.limits().body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(server_.limits().header_bytes));
    // One deadline per request: the first request of a connection must arrive whole within
    // read_timeout; a later one within idle_timeout of the previous answer (a keep-alive
    // connection may wait that long for its next request, and a slow one is cut there).
    stream_.expires_after(requests_ == 0 ? server_.limits().read_timeout : server_.limits().idle_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted) return close();
    // A request not read whole in time: the stream has already closed the socket (that is how
    // Beast cancels the read), so a slow client gets no answer, only the closed connection.
    if (ec == beast::error::timeout) return close();
    if (ec == http::error::body_limit)
      return refuse(http::status::payload_too_large,
                    "the body is over the limit of " + std::to_string(server_.limits().body_bytes) + " bytes");
    if (ec == http::error::header_limit)
      return refuse(http::status::request_header_fields_too_large, "the request header is too large");
    if (ec.category() == http::make_error_code(http::error::bad_target).category())
      return refuse(http::status::bad_request, "malformed HTTP request: " + ec.message());
    if (ec) return close();

    ++requests_;
    busy_ = true;
    // A slow handler (a commit under load) is not the client's fault: no deadline meanwhile.
    stream_.expires_never();
    http_request request = parser_->release();
    keep_alive_ = request.keep_alive();
    auto self = shared_from_this();
    // The guard keeps the io_context running while the handler has an answer to give (a
    // commit in progress has no operation of its own on the io_context).
    auto guard = std::make_shared<net::executor_work_guard<beast::tcp_stream::executor_type>>(
        stream_.get_executor());
    server_.handler().handle(std::move(request), client_, [self, guard](http_response&& res) {
      net::post(self->stream_.get_executor(),
                [self, res = std::make_shared<http_response>(std::move(res))]() mutable { self->write(res); });
      guard->reset();
    });
  }

  void refuse(http::status status, const std::string& reason) {
    keep_alive_ = false;
    busy_ = true;
    lingering_ = true;
    write(std::make_shared<http_response>(server_.handler().refused(status, reason, client_)));
  }

  // After refusing a request whose bytes are still arriving (a body over the limit), closing at
  // once would make the kernel reset the connection, and the client could lose the answer
  // before reading it. So: stop sending, then read and discard for a bounded time and amount
  // (1 s, 1 MiB), then close.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(1));
    discard();
  }

  void discard() {
    stream_.async_read_some(net::buffer(discard_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->discarded_ += n;
      if (ec || self->discarded_ > (std::size_t{1} << 20)) return self->close();
      self->discard();
    });
  }

  void write(const std::shared_ptr<http_response>& res) {
    res->keep_alive(keep_alive_ && !server_.draining());
    // An answer to HEAD comes with the Content-Length its GET would have and no body: the
    // handler set the length itself, which prepare_payload would reset to the empty body's.
    if (res->find(http::field::content_length) == res->end()) res->prepare_payload();
    stream_.expires_after(server_.limits().write_timeout);
    http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      self->busy_ = false;
      if (!ec && self->lingering_) return self->linger();
      if (ec || !res->keep_alive()) return self->close();
      self->read();
    });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_{std::in_place};
  http_server& server_;
  std::string client_;
  std::size_t requests_ = 0;
  bool busy_ = false;
  bool keep_alive_ = false;
  bool lingering_ = false;
  std::size_t discarded_ = 0;
  std::array<char, 4096> discard_{};
};

http_server::http_server(net::io_context& ioc, http_handler& handler, http_limits limits)
    : ioc_(ioc), handler_(handler), limits_(limits), acceptor_(net::make_strand(ioc)) {}

http_server::~http_server() = default;

result<tcp::endpoint> http_server::listen(const std::string& address, unsigned short port) {
  beast::error_code ec;
  auto ip = net::ip::make_address(address, ec);
  if (ec) return {errc::invalid_argument, "listen address \"" + address + "\": " + ec.message()};
  tcp::endpoint ep(ip, port);
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return {errc::io_error, "cannot listen on " + address + ":" + std::to_string(port) + ": " + ec.message()};
  auto bound = acceptor_.local_endpoint(ec);
  accept();
  return bound;
}

void http_server::accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || draining()) return;
    if (!ec) {
      beast::error_code peer_ec;
      auto peer = socket.remote_endpoint(peer_ec);
      std::string client = peer_ec ? std::string("unknown") : peer.address().to_string();
      bool admitted = false;
      {
        std::lock_guard<std::mutex> lock(sessions_mutex_);
        std::size_t& mine = per_client_[client];
        admitted = connections_.load(std::memory_order_relaxed) < limits_.max_connections &&
                   (limits_.max_connections_per_client == 0 || mine < limits_.max_connections_per_client);
        if (admitted) {
          ++mine;
          connections_.fetch_add(1, std::memory_order_relaxed);
        } else if (mine == 0) {
          per_client_.erase(client);
        }
      }
      if (!admitted) {
        socket.close(ec);  // over a limit: refused without reading a byte
      } else {
        auto s = std::make_shared<session>(std::move(socket), std::move(client), *this);
        enter(s);
        s->start();
      }
    }
    accept();
  });
}

void http_server::enter(const std::shared_ptr<session>& s) {
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  // Forget finished sessions now and then so the list stays as long as the live ones.
  if (sessions_.size() >= 64 && sessions_.size() % 64 == 0) {
    std::vector<std::weak_ptr<session>> live;
    for (auto& w : sessions_)
      if (!w.expired()) live.push_back(std::move(w));
    sessions_.swap(live);
  }
  sessions_.push_back(s);
}

void http_server::leave(const std::string& client) noexcept {
  std::lock_guard<std::mutex> lock(sessions_mutex_);
  auto it = per_client_.find(client);
  if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);
  connections_.fetch_sub(1, std::memory_order_relaxed);
}

void http_server::drain() {
  draining_.store(true, std::memory_order_release);
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
  });
  std::vector<std::shared_ptr<session>> live;
  {
    std::lock_guard<std::mutex> lock(sessions_mutex_);
    for (auto& w : sessions_)
      if (auto s = w.lock()) live.push_back(std::move(s));
    sessions_.clear();
  }
  for (auto& s : live) s->close_if_idle();
}

}  // namespace cxm::server
