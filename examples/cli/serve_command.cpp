// SPDX-License-Identifier: MIT
// `cxm serve`: the collector (server/). Flags are parsed with CLI11; they override the values
// of --config FILE. docs/server.md lists every setting.
#include "serve_command.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "read_input.hpp"
#include "server/serve.hpp"

namespace cxm_cli {

CLI::App* add_serve_command(CLI::App& parent, serve_command_options& o) {
  CLI::App& app = *parent.add_subcommand("serve", "the collector: serves <cxm-survey>, takes responses from widgets "
                                                   "and app outboxes, stores each once, reports (docs/server.md)");
  std::string& config_file = o.config_file;
  std::string& listen = o.listen;
  std::string& store = o.store;
  std::string& sync = o.sync;
  std::vector<std::string>& origins = o.origins;
  cxm::server::serve_config& flags = o.flags;
  unsigned& threads = o.threads;
  std::size_t& body = o.body;
  std::size_t& records = o.records;
  app.add_option("--config", config_file, "a JSON file of settings (flags override it)")->check(CLI::ExistingFile);
  app.add_option("--surveys", flags.surveys_dir, "directory of survey definitions (*.json)")->check(CLI::ExistingDirectory);
  app.add_option("--listen", listen, "[address:]port to listen on (default 127.0.0.1:8080)");
  app.add_option("--store", store, "sqlite:FILE (default sqlite:cxm.db) or a postgresql:// URL");
  app.add_option("--sync", sync, "full (survives power loss, default) or normal (survives a crash)")
      ->check(CLI::IsMember({"full", "normal"}));
  app.add_option("--threads", threads, "request threads (default: one per core)")->check(CLI::Range(1u, 256u));
  app.add_option("--widget", flags.widget_dir, "the wasm build output to serve under /cxm/")->check(CLI::ExistingDirectory);
  app.add_option("--demo", flags.demo_dir, "the demo page directory to serve at /")->check(CLI::ExistingDirectory);
  app.add_option("--cors-origin", origins, "an origin allowed to post from another site (repeatable)");
  app.add_option("--max-body-bytes", body, "largest request body")->check(CLI::Range(std::size_t{1024}, std::size_t{64} << 20));
  app.add_option("--max-records", records, "most records in one batch")->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  app.add_option("--access-log", flags.access_log, "file for the JSON access and error log, - for standard error");
  return &app;
}

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
  if (!origins.empty()) config.cors_origins = origins;
  if (body != 0) config.limits.body_bytes = body;
  if (records != 0) config.max_records = records;
  if (flags.access_log != "-") config.access_log = flags.access_log;
  return cxm::server::serve(config) == 0 ? exit_ok : exit_no_input;
}

}  // namespace cxm_cli
