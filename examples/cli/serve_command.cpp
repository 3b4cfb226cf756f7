// SPDX-License-Identifier: MIT
// `cxm serve`: the collector (server/). Its flags (parsed in main.cpp) override the values
// of --config FILE. docs/server.md lists every setting.
#include "serve_command.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "read_input.hpp"
#include "server/serve.hpp"

namespace cxm_cli {

int run_serve(const serve_command_options& o) {
  const std::string& config_file = o.config_file;
  const std::string& listen = o.listen;
  const std::string& store = o.store;
  const std::string& sync = o.sync;
  const std::vector<std::string>& origins = o.origins;
  const cxm::server::serve_config& flags = o.flags;
  const unsigned threads = o.threads;
  const std::size_t body = o.body;
  const std::size_t records = o.records;
  cxm::server::serve_config config;
  std::string detail;
  if (!config_file.empty()) {
    std::ifstream in(config_file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in || !cxm::server::apply_config_json(text.str(), config, detail)) {
      std::fprintf(stderr, "cxm serve: %s: %s\n", config_file.c_str(), in ? detail.c_str() : "cannot be read");
      return exit_usage;
    }
  }
  if (!flags.surveys_dir.empty()) config.surveys_dir = flags.surveys_dir;
  if (!listen.empty() && !cxm::server::parse_listen(listen, config, detail)) {
    std::fprintf(stderr, "cxm serve: --listen %s: %s\n", listen.c_str(), detail.c_str());
    return exit_usage;
  }
  if (!store.empty()) config.store.url = store;
  if (!sync.empty()) config.store.sync = sync == "full" ? cxm::server::sync_mode::full : cxm::server::sync_mode::normal;
  if (threads != 0) config.threads = threads;
  if (!flags.widget_dir.empty()) config.widget_dir = flags.widget_dir;
  if (!flags.demo_dir.empty()) config.demo_dir = flags.demo_dir;
  if (!flags.dashboard_dir.empty()) config.dashboard_dir = flags.dashboard_dir;
  if (!origins.empty()) config.cors_origins = origins;
  if (body != 0) config.limits.body_bytes = body;
  if (records != 0) config.max_records = records;
  if (flags.access_log != "-") config.access_log = flags.access_log;
  if (!o.otlp_endpoint.empty()) config.otlp.endpoint = o.otlp_endpoint;
  if (o.otlp_interval > 0)
    config.otlp.interval = std::chrono::milliseconds(static_cast<std::int64_t>(o.otlp_interval * 1000));
  for (const auto& h : o.otlp_headers) {
    const std::size_t eq = h.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "cxm serve: --otlp-header %s: expected Name=Value\n", h.c_str());
      return exit_usage;
    }
    config.otlp.headers.emplace_back(h.substr(0, eq), h.substr(eq + 1));
  }
  return cxm::server::serve(config) == 0 ? exit_ok : exit_no_input;
}

}  // namespace cxm_cli
