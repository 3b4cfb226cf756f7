// SPDX-License-Identifier: MIT
// Structured logs of cxm serve: one JSON object per line, for every request answered (access)
// and for every failure worth an operator's attention (error). Lines are written whole under a
// lock, so concurrent requests never interleave.
#ifndef CXM_SERVER_ACCESS_LOG_HPP
#define CXM_SERVER_ACCESS_LOG_HPP

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <cxm/core/status.hpp>

namespace cxm::server {

class access_log {
 public:
  /// "-" logs to standard error; anything else is a file opened for appending.
  static result<std::unique_ptr<access_log>> open(const std::string& where);
  explicit access_log(std::FILE* out, bool owned) : out_(out), owned_(owned) {}
  ~access_log();
  access_log(const access_log&) = delete;
  access_log& operator=(const access_log&) = delete;

  void request(std::string_view client, std::string_view method, std::string_view target, unsigned status,
               std::uint64_t bytes, std::uint64_t micros);
  void error(std::string_view what, std::string_view detail);
  void info(std::string_view what, std::string_view detail);

 private:
  void line(const std::string& text);
  std::FILE* out_;
  bool owned_;
  std::mutex mutex_;
};

/// Milliseconds since 1970 (UTC), from the system clock.
std::int64_t now_ms();

}  // namespace cxm::server

#endif  // CXM_SERVER_ACCESS_LOG_HPP
