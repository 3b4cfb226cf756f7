// SPDX-License-Identifier: MIT
// cxm serve as a whole: loads the surveys, opens the store, starts the committer, the routes
// and the HTTP server on a thread pool, and stops gracefully (no new connections, requests in
// flight answered, everything accepted committed) on SIGTERM or SIGINT, or when asked.
#ifndef CXM_SERVER_SERVE_HPP
#define CXM_SERVER_SERVE_HPP

#include <cstdint>
#include <memory>
#include <string>

#include <cxm/core/status.hpp>

#include "server/config.hpp"

namespace cxm::server {

/// A running collector. Tests start one in-process on port 0; the cxm tool runs one until a
/// signal.
class server_instance {
 public:
  /// Starts everything and returns once the port is listening. Errors name what failed: the
  /// configuration, a survey file, the store, the address.
  static result<std::unique_ptr<server_instance>> start(const serve_config& config);
  ~server_instance();  ///< stop() then wait()

  unsigned short port() const noexcept;
  /// Begins the graceful stop; returns at once. Safe from any thread and a signal handler's
  /// Asio callback.
  void stop();
  /// Blocks until the stop has finished: connections closed, queued rows committed.
  void wait();

  struct impl;

 private:
  explicit server_instance(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

/// Runs a collector until SIGTERM or SIGINT; 0 after a clean stop, 1 when it could not start
/// (the reason printed to standard error).
int serve(const serve_config& config);

}  // namespace cxm::server

#endif  // CXM_SERVER_SERVE_HPP
