// SPDX-License-Identifier: MIT
// The settings of cxm serve: from an optional JSON file (--config), then command-line flags on
// top (examples/cli/serve_command.cpp). Every value is checked before the server starts; a bad
// one stops the start with the key and the reason (docs/server.md lists them).
#ifndef CXM_SERVER_CONFIG_HPP
#define CXM_SERVER_CONFIG_HPP

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <cxm/core/status.hpp>

#include "server/http/http_server.hpp"
#include "server/otlp/push.hpp"
#include "server/metrics/collector_metrics.hpp"
#include "server/storage/store.hpp"

namespace cxm::server {

struct rate_limit {
  double per_second = 100;  ///< requests a client (an IP address) may make per second, sustained
  double burst = 200;       ///< and at once; per_second 0 turns the limit off
};

struct serve_config {
  std::string address = "127.0.0.1";  ///< loopback unless configured otherwise
  unsigned short port = 8080;         ///< 0 picks a free port (tests)
  unsigned threads = 0;               ///< 0: one per core
  std::string surveys_dir;            ///< required: the survey definitions (*.json)
  store_options store{"sqlite:cxm.db", sync_mode::full};
  std::string widget_dir;             ///< the wasm build output (cxm-survey.js, the modules); empty: not served
  std::string demo_dir;               ///< the demo page; empty: not served
  /// The built dashboard (dashboard.html, .js, .css: wasm/report/build.mjs --dashboard DIR),
  /// served at /dashboard/; empty: not served.
  std::string dashboard_dir;
  http_limits limits;
  std::size_t max_records = 500;      ///< records in one batch
  std::vector<std::string> cors_origins;           ///< origins allowed to POST from other sites
  std::map<std::string, std::string> aggregate_tokens;  ///< source -> bearer token for /v1/aggregates
  std::vector<std::string> report_tokens;          ///< bearer tokens for /v1/report; empty: open
  std::vector<std::string> metrics_tokens;         ///< bearer tokens for /metrics; empty: open
  metrics_options metrics;                         ///< GET /metrics: segment labels, series cap
  rate_limit rate;
  /// Addresses of reverse proxies whose X-Forwarded-For is believed: a request from one of
  /// them is logged and rate-limited as the client the header names (its rightmost address
  /// that is not itself a trusted proxy). Empty: the header is ignored (anyone could forge it).
  std::vector<std::string> trusted_proxies;
  std::string access_log = "-";       ///< a file, or "-" for standard error
  /// The OTLP push of the metrics (server/otlp/push.hpp); off while `otlp.endpoint` is empty.
  otlp_push_options otlp;
};

/// Applies the JSON document `text` (the --config file) to `config`. Unknown keys and bad
/// values are errors naming the key.
status apply_config_json(std::string_view text, serve_config& config, std::string& detail);

/// Checks a complete configuration (directories exist, limits in range, origins well formed).
status check_config(const serve_config& config, std::string& detail);

/// "host:port" or ":port" or "port" into address and port.
status parse_listen(std::string_view text, serve_config& config, std::string& detail);

}  // namespace cxm::server

#endif  // CXM_SERVER_CONFIG_HPP
