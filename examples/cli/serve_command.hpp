// SPDX-License-Identifier: MIT
// The `cxm serve` command (docs/server.md).
#ifndef CXM_CLI_SERVE_COMMAND_HPP
#define CXM_CLI_SERVE_COMMAND_HPP

namespace cxm_cli {

/// `cxm serve --surveys DIR [--listen ADDR:PORT] [--store URL] ...` (arguments after the
/// command name). Runs until SIGTERM or SIGINT. Exit statuses: 0 after a clean stop, 2 for bad
/// flags or configuration, 3 when the server could not start (a survey file, the store, the
/// port).
int serve_command(int argc, char** argv);

}  // namespace cxm_cli

#endif  // CXM_CLI_SERVE_COMMAND_HPP
