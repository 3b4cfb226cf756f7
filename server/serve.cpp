// SPDX-License-Identifier: MIT
#include "server/serve.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include <cxm/core/version.hpp>

#include "server/access_log.hpp"
#include "server/app.hpp"
#include "server/cells.hpp"
#include "server/ingest/committer.hpp"

namespace cxm::server {
namespace net = boost::asio;

struct server_instance::impl {
  serve_config config;
  std::unique_ptr<access_log> log;
  survey_registry surveys;
  std::unique_ptr<store> db;
  std::unique_ptr<committer> writer;
  std::unique_ptr<collector_app> app;
  std::unique_ptr<otlp_pusher> otlp;  // when config.otlp.endpoint is set
  net::io_context ioc;
  std::unique_ptr<http_server> http;
  std::vector<std::thread> threads;
  unsigned short port = 0;
  bool waited = false;

  explicit impl(const serve_config& c) : config(c), ioc(static_cast<int>(c.threads)) {}
};

server_instance::server_instance(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

server_instance::~server_instance() {
  stop();
  wait();
}

unsigned short server_instance::port() const noexcept { return impl_->port; }

result<std::unique_ptr<server_instance>> server_instance::start(const serve_config& given) {
  serve_config config = given;
  if (config.threads == 0) config.threads = std::max(1u, std::thread::hardware_concurrency());
  std::string detail;
  if (auto st = check_config(config, detail); !st) return {st.code(), "configuration: " + detail};
  auto p = std::make_unique<impl>(config);

  auto log = access_log::open(config.access_log);
  if (!log) return {log.code(), "access_log: " + log.detail()};
  p->log = std::move(*log);
  auto surveys = survey_registry::load(config.surveys_dir);
  if (!surveys) return {surveys.code(), "surveys: " + surveys.detail()};
  if (surveys->size() == 0) return {errc::not_found, "surveys: no *.json survey definition in " + config.surveys_dir};
  p->surveys = std::move(*surveys);
  auto db = open_store(config.store);
  if (!db) return {db.code(), "store: " + db.detail()};
  p->db = std::move(*db);
  // A database upgraded from schema version 1 gets its response cells before the listener
  // opens (docs/storage.md, "Cells"): GET /v1/analysis sums them.
  {
    bool rebuilt = false;
    if (status st = p->db->rebuild_cells_if_needed(stored_cells(p->surveys), rebuilt, detail); !st)
      return {st.code(), "store: rebuilding the response cells: " + detail};
    if (rebuilt) p->log->info("cells", "rebuilt the response cells from the stored responses");
  }
  p->writer = std::make_unique<committer>(*p->db);

  static_files files;
  if (!config.surveys_dir.empty()) (void)files.add("/surveys/", config.surveys_dir, {".json"});
  if (!config.widget_dir.empty()) (void)files.add("/cxm/", config.widget_dir, {".js", ".mjs", ".cjs", ".wasm"});
  if (!config.dashboard_dir.empty()) {
    // Before the demo: the first root whose prefix matches a path answers it.
    // The page at /dashboard/ (and /dashboard); its one script and one style sheet beside it.
    // Nothing else of the directory (the report template lives there too) is served.
    const std::string page = config.dashboard_dir + "/dashboard.html";
    if (auto st = files.add_file("/dashboard/", page); !st)
      return {st.code(), "dashboard: " + page + " not found (wasm/report/build.mjs --dashboard DIR builds it)"};
    (void)files.add_file("/dashboard", page);
    (void)files.add("/dashboard/", config.dashboard_dir, {".js", ".css"});
  }
  if (!config.demo_dir.empty()) {
    if (auto st = files.add_file("/", config.demo_dir + "/index.html"); !st)
      return {st.code(), "demo: " + config.demo_dir + "/index.html not found"};
    (void)files.add("/", config.demo_dir, {".html", ".css", ".js"});
  }
  p->app = std::make_unique<collector_app>(p->config, p->surveys, *p->db, *p->writer, std::move(files), *p->log,
                                           [io = &p->ioc](std::function<void()> task) { net::post(*io, std::move(task)); });
  p->http = std::make_unique<http_server>(p->ioc, *p->app, config.limits);
  auto bound = p->http->listen(config.address, config.port);
  if (!bound) return {bound.code(), bound.detail()};
  p->port = bound->port();
  p->log->info("listening", "http://" + (config.address.find(':') != std::string::npos ? "[" + config.address + "]"
                                                                                        : config.address) +
                                ":" + std::to_string(p->port) + " store " + p->db->describe() + ", " +
                                std::to_string(p->surveys.size()) + " survey definitions, " +
                                std::to_string(config.threads) + " threads");
  if (!config.otlp.endpoint.empty()) {
    // The push's points are cumulative from this instance's start (the counters of records it
    // answered restart with it; the answer counts and durations are the store's, loaded at start).
    const std::uint64_t start_ns = static_cast<std::uint64_t>(now_ms()) * 1000000u;
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
    otlp_attributes resource{otlp_attribute::str("service.name", "cxm-serve"),
                             otlp_attribute::str("service.version", CXM_VERSION_STRING),
                             otlp_attribute::str("service.instance.id", std::string(host) + ":" + std::to_string(p->port))};
    collector_app* app = p->app.get();
    auto pusher = otlp_pusher::start(config.otlp, [app, resource, start_ns]() {
      return app->otlp_request(resource, {start_ns, static_cast<std::uint64_t>(now_ms()) * 1000000u});
    }, p->log.get());
    if (!pusher) return {pusher.code(), pusher.detail()};
    p->otlp = std::move(*pusher);
    p->app->set_otlp_pusher(p->otlp.get());
    p->log->info("otlp", "pushing to " + config.otlp.endpoint + " every " +
                             std::to_string(config.otlp.interval.count()) + " ms");
  }
  for (unsigned i = 0; i < config.threads; ++i) p->threads.emplace_back([io = &p->ioc] { io->run(); });
  return std::unique_ptr<server_instance>(new server_instance(std::move(p)));
}

void server_instance::stop() {
  if (impl_ && impl_->http && !impl_->waited) impl_->http->drain();
}

void server_instance::wait() {
  if (!impl_ || impl_->waited) return;
  for (auto& t : impl_->threads) t.join();
  // Whatever was posted as the threads left (a session's last handler) runs here, so that no
  // session outlives the http_server it reports to when the members are destroyed.
  impl_->ioc.restart();
  impl_->ioc.run();
  // Every request was answered; what the committer still holds belongs to requests whose
  // clients went away. It is committed all the same: accepted means stored.
  impl_->writer->stop();
  if (impl_->otlp) {
    // The last commits' replies (and their metrics) were handed to the request threads, which
    // are gone: run them here, then push the final state once.
    impl_->ioc.restart();
    impl_->ioc.run();
    impl_->otlp->stop(true);
  }
  impl_->log->info("stopped", "all requests answered, all accepted records committed");
  impl_->waited = true;
}

int serve(const serve_config& config) {
  auto s = server_instance::start(config);
  if (!s) {
    std::fprintf(stderr, "cxm serve: %s\n", s.detail().c_str());
    return 1;
  }
  std::printf("cxm serve: listening on http://%s:%u/ (SIGTERM or Ctrl-C stops it)\n", config.address.c_str(),
              static_cast<unsigned>((*s)->port()));
  std::fflush(stdout);
  // Signals are waited for on a context of their own, so the stop never depends on the
  // server's threads being free.
  net::io_context signals_ioc;
  net::signal_set signals(signals_ioc, SIGINT, SIGTERM);
  server_instance* instance = s->get();
  signals.async_wait([instance](const boost::system::error_code& ec, int) {
    if (!ec) instance->stop();
  });
  std::thread watcher([&] { signals_ioc.run(); });
  (*s)->wait();
  signals.cancel();
  signals_ioc.stop();
  watcher.join();
  return 0;
}

}  // namespace cxm::server
