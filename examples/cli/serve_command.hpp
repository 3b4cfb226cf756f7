// SPDX-License-Identifier: MIT
// The `cxm serve` command (docs/server.md).
#ifndef CXM_CLI_SERVE_COMMAND_HPP
#define CXM_CLI_SERVE_COMMAND_HPP

#include <cstddef>
#include <string>
#include <vector>

#include "server/config.hpp"

namespace cxm_cli {

/// `cxm serve --surveys DIR [--listen ADDR:PORT] [--store URL] ...`: flags over --config FILE.
struct serve_command_options {
  std::string config_file, listen, store, sync;
  std::vector<std::string> origins;
  cxm::server::serve_config flags;  ///< the flags that are plain settings (directories, log)
  unsigned threads = 0;
  std::size_t body = 0;
  std::size_t records = 0;
  std::string otlp_endpoint;
  double otlp_interval = 0;                ///< seconds; 0: the configuration's (60 s by default)
  std::vector<std::string> otlp_headers;   ///< "Name=Value"
};

/// Runs until SIGTERM or SIGINT. Exit statuses: 0 after a clean stop, 2 for bad configuration,
/// 3 when the server could not start (a survey file, the store, the port).
int run_serve(const serve_command_options& o);

}  // namespace cxm_cli

#endif  // CXM_CLI_SERVE_COMMAND_HPP
