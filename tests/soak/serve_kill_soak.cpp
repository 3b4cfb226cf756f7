// SPDX-License-Identifier: MIT
// cxm serve's exactly-once promise tested by killing the collector: each cycle starts `cxm serve`
// on a fresh port against one SQLite database kept across cycles, posts batches from a few
// client threads (new ids, ids re-sent from earlier batches, invalid records), sends SIGKILL at
// a seeded instant during ingestion, then checks the database against the verdicts that came
// back (tests/soak/README.md).
//
//   serve_kill_soak --cxm PATH --surveys DIR [--seed N] [--cycles N] [--max-kill-ms N]
//                   [--clients N] [--dir PATH] [--keep]
//
// The rules checked, per id:
//   - "accepted" in a reply: stored exactly once, with the bytes sent, in this cycle and later;
//   - "duplicate": the id was stored before (never for an id seen stored nowhere);
//   - "rejected" (the records are invalid on purpose): never stored;
//   - no reply (the request was cut by the kill): stored at most once; the next cycles re-send
//     it first and must get "duplicate" if it is stored, "accepted" if not.
// A violation prints `VIOLATION cycle <n> id <id>: <what>`; the run stops after 20 of them,
// exits 1 and keeps the directory (the database, the last server's standard error).
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#  include <sys/prctl.h>
#endif
#include <arpa/inet.h>
#include <sqlite3.h>

#include "serve_wire.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace json = boost::json;
namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

namespace {
using cxm_soak::connect_to;
using cxm_soak::post;
using cxm_soak::wait_listening;

struct options {
  std::string cxm, surveys, dir;
  std::uint64_t seed = 1;
  int cycles = 200;
  int max_kill_ms = 60;
  int clients = 3;
  bool keep = false;
};

// ---- violations and totals -------------------------------------------------------------------

std::mutex report_mutex;
int violations = 0;
int current_cycle = 0;

void violation(const std::string& id, const std::string& what) {
  std::lock_guard<std::mutex> lock(report_mutex);
  ++violations;
  if (violations <= 20)
    std::fprintf(stderr, "VIOLATION cycle %d id %s: %s\n", current_cycle, id.empty() ? "-" : id.c_str(), what.c_str());
}

struct totals {
  std::atomic<std::uint64_t> requests{0}, answered{0}, accepted{0}, duplicate{0}, rejected{0}, unavailable{0};
  std::atomic<std::uint64_t> inflight_requests{0}, inflight_records{0};
  std::uint64_t inflight_stored = 0, inflight_absent = 0, resent_checked = 0, early_kills = 0, quick_checks = 0;
} total;

// ---- the model: what every id sent so far must be ----------------------------------------------

enum class state : std::uint8_t { unknown, stored, absent, rejected };

struct entry {
  std::string text;  // the record as sent (and as it must be stored)
  state st = state::unknown;
};

struct model {
  std::mutex m;
  std::unordered_map<std::string, entry> ids;
  std::vector<std::string> stored_list;  // stored ids, for re-sends that must be duplicates
  std::deque<std::string> resend;        // cut by a kill: re-sent first, expected by their state
  std::vector<std::string> touched;      // ids sent this cycle: checked after the kill
  std::uint64_t stored = 0;
} db_model;

std::uint64_t mix(std::uint64_t x) {  // splitmix64
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

std::string valid_record(const std::string& id, std::mt19937_64& rng) {
  const int nps = static_cast<int>(rng() % 11), ces = 1 + static_cast<int>(rng() % 7), csat = 1 + static_cast<int>(rng() % 5);
  std::string r = "{\"id\":\"" + id +
                  "\",\"survey_id\":\"after-onboarding\",\"survey_version\":3,\"timestamp\":\"2026-12-03T10:00:00Z\","
                  "\"channel\":\"web\",\"answers\":{\"nps\":" + std::to_string(nps) + ",\"ces\":" + std::to_string(ces) +
                  ",\"csat\":" + std::to_string(csat);
  if (nps <= 6 && rng() % 2 == 0) r += ",\"what_went_wrong\":\"the setup took " + std::to_string(rng() % 90) + " minutes\"";
  return r + "}}";
}

// Invalid on purpose, each in its own way: the reply must say rejected, the store must not have it.
std::string invalid_record(const std::string& id, std::mt19937_64& rng) {
  switch (rng() % 4) {
    case 0: return "{\"id\":\"" + id + "\",\"survey_id\":\"after-onboarding\",\"survey_version\":3,\"answers\":{\"nps\":11}}";
    case 1: return "{\"id\":\"" + id + "\",\"survey_id\":\"after-onboarding\",\"survey_version\":3,\"answers\":{\"nps\":5,\"ces\":0}}";
    case 2: return "{\"id\":\"" + id + "\",\"survey_id\":\"after-onboarding\",\"survey_version\":99,\"answers\":{\"nps\":5}}";
    default: return "{\"id\":\"" + id + "\",\"survey_id\":\"no-such-survey\",\"survey_version\":1,\"answers\":{\"nps\":5}}";
  }
}

// ---- one cycle's clients -----------------------------------------------------------------------

struct item {
  std::string id;
  const char* expect;  // "accepted", "duplicate" or "rejected"
  bool fresh;          // the id is not known stored: it is unknown while in flight
};

struct cycle_ctx {
  unsigned short port = 0;
  std::atomic<bool> killing{false};
};

// Builds one batch (1-20 records): re-sends of ids cut by the last kill first, then a mix of
// new ids, re-sends of stored ids, invalid records and a new id twice in one batch.
std::vector<item> make_batch(int thread, std::uint64_t& counter, std::mt19937_64& rng, std::string& body) {
  std::vector<item> items;
  std::vector<std::string> texts;
  const std::size_t size = 1 + rng() % 20;
  std::lock_guard<std::mutex> lock(db_model.m);
  auto fresh_id = [&] {
    return "c" + std::to_string(current_cycle) + "-t" + std::to_string(thread) + "-" + std::to_string(counter++);
  };
  while (items.size() < size) {
    const unsigned roll = static_cast<unsigned>(rng() % 100);
    if (!db_model.resend.empty()) {
      std::string id = std::move(db_model.resend.front());
      db_model.resend.pop_front();
      entry& e = db_model.ids[id];
      const bool stored = e.st == state::stored;
      if (!stored) e.st = state::unknown;
      items.push_back({id, stored ? "duplicate" : "accepted", !stored});
      texts.push_back(e.text);
      ++total.resent_checked;
    } else if (roll < 15 && !db_model.stored_list.empty()) {
      const std::string& id = db_model.stored_list[rng() % db_model.stored_list.size()];
      items.push_back({id, "duplicate", false});
      texts.push_back(db_model.ids[id].text);
    } else if (roll < 25) {
      std::string id = fresh_id() + "-bad";
      std::string text = invalid_record(id, rng);
      db_model.ids[id] = {text, state::rejected};
      items.push_back({id, "rejected", false});
      texts.push_back(std::move(text));
    } else {
      std::string id = fresh_id();
      std::string text = valid_record(id, rng);
      db_model.ids[id] = {text, state::unknown};
      items.push_back({id, "accepted", true});
      texts.push_back(text);
      if (roll >= 97 && items.size() < size) {  // the same record twice in one request
        items.push_back({id, "duplicate", false});
        texts.push_back(std::move(text));
      }
    }
    db_model.touched.push_back(items.back().id);
  }
  body = "{\"responses\":[";
  for (std::size_t i = 0; i < texts.size(); ++i) body += (i ? "," : "") + texts[i];
  body += "]}";
  return items;
}

void settle(const std::vector<item>& items, const std::string& reply) {
  json::value v;
  try {
    v = json::parse(reply);
  } catch (const std::exception& e) {
    violation("", std::string("the reply is not JSON: ") + e.what() + ": " + reply.substr(0, 200));
    return;
  }
  const json::array* records = v.is_object() && v.as_object().contains("records") ? v.as_object().at("records").if_array() : nullptr;
  if (records == nullptr || records->size() != items.size()) {
    violation("", "the reply has no verdict per record: " + reply.substr(0, 200));
    return;
  }
  std::lock_guard<std::mutex> lock(db_model.m);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const item& it = items[i];
    const json::object& r = (*records)[i].as_object();
    const std::string verdict(r.at("verdict").as_string());
    const json::value* rid = r.if_contains("id");
    if (rid == nullptr || !rid->is_string() || rid->as_string() != it.id)
      violation(it.id, "verdict " + std::to_string(i) + " names another id");
    if (verdict == "accepted") ++total.accepted;
    else if (verdict == "duplicate") ++total.duplicate;
    else if (verdict == "rejected") ++total.rejected;
    if (verdict != it.expect) {
      violation(it.id, std::string("expected \"") + it.expect + "\", the reply says \"" + verdict + "\"");
      continue;
    }
    entry& e = db_model.ids[it.id];
    if (verdict == "accepted") {
      e.st = state::stored;
      db_model.stored_list.push_back(it.id);
      ++db_model.stored;
    }
  }
}

void client(int thread, cycle_ctx& cx, std::uint64_t seed) {
  std::mt19937_64 rng(mix(seed ^ mix(static_cast<std::uint64_t>(current_cycle) * 64 + static_cast<std::uint64_t>(thread))));
  std::uint64_t counter = 0;
  int fd = -1;
  while (!cx.killing.load()) {
    if (fd < 0 && (fd = connect_to(cx.port)) < 0) {
      if (!cx.killing.load()) violation("", "cannot connect to the live server: " + std::string(std::strerror(errno)));
      return;
    }
    std::string body, reply;
    std::vector<item> items = make_batch(thread, counter, rng, body);
    bool close = false;
    ++total.requests;
    const int status = post(fd, cx.port, body, reply, close);
    if (status < 0) {
      // Cut by the kill: the fresh ids stay unknown until the database is read; every id is
      // re-sent next cycle (stored ones must then be duplicates).
      if (!cx.killing.load()) violation("", "a request failed while the server was alive");
      ++total.inflight_requests;
      std::lock_guard<std::mutex> lock(db_model.m);
      for (const item& it : items) {
        if (!it.fresh) continue;  // rejected on purpose, or known stored
        ++total.inflight_records;
        db_model.resend.push_back(it.id);
      }
      ::close(fd);
      return;
    }
    ++total.answered;
    if (status == 503) {
      // The store failed: nothing of the request is stored; its ids are unknown to be safe.
      ++total.unavailable;
      std::lock_guard<std::mutex> lock(db_model.m);
      for (const item& it : items)
        if (it.fresh) db_model.resend.push_back(it.id);
    } else if (status != 200) {
      violation("", "HTTP " + std::to_string(status) + ": " + reply.substr(0, 200));
      ::close(fd);
      return;
    } else {
      settle(items, reply);
    }
    if (close) {
      ::close(fd);
      fd = -1;
    }
  }
  if (fd >= 0) ::close(fd);
}

// ---- the server process ------------------------------------------------------------------------

pid_t spawn(const options& o, const std::string& work, int& out_fd) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return -1;
  const std::string store = "sqlite:" + work + "/cxm.db", config = work + "/config.json", err = work + "/serve.stderr";
  const pid_t pid = ::fork();
  if (pid == 0) {
#if defined(__linux__)
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the soak
#endif
    ::dup2(p[1], 1);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (e >= 0) ::dup2(e, 2);
    const char* argv[] = {o.cxm.c_str(), "serve", "--surveys", o.surveys.c_str(), "--listen", "127.0.0.1:0",
                          "--store", store.c_str(), "--config", config.c_str(), "--sync", "full", "--threads", "2",
                          "--access-log", "/dev/null", nullptr};
    ::execv(o.cxm.c_str(), const_cast<char* const*>(argv));
    ::_exit(127);
  }
  ::close(p[1]);
  out_fd = p[0];
  return pid;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- the check against the database ------------------------------------------------------------

/// Opens the database as the next server will find it; closing does not checkpoint the WAL, so
/// the recovery after the kill is still the server's to do.
sqlite3* open_db(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    violation("", "cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "?"));
    sqlite3_close(db);
    return nullptr;
  }
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  sqlite3_busy_timeout(db, 5000);
  return db;
}

bool table_exists(sqlite3* db) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'responses'", -1, &s, nullptr);
  const bool yes = s != nullptr && sqlite3_step(s) == SQLITE_ROW;
  sqlite3_finalize(s);
  return yes;
}

void check_database(const std::string& path, bool full_scan) {
  sqlite3* db = open_db(path);
  if (db == nullptr) return;
  std::lock_guard<std::mutex> lock(db_model.m);
  if (!table_exists(db)) {  // killed before the first migration committed
    if (db_model.stored != 0) violation("", "the responses table is gone");
    sqlite3_close(db);
    db_model.touched.clear();
    return;
  }
  sqlite3_stmt* one = nullptr;
  sqlite3_prepare_v2(db, "SELECT COUNT(*), MAX(record) FROM responses WHERE id = ?1", -1, &one, nullptr);
  // The ids this cycle sent, and those still waiting for their re-send (absent must stay absent).
  std::vector<std::string> ids = db_model.touched;
  ids.insert(ids.end(), db_model.resend.begin(), db_model.resend.end());
  for (const std::string& id : ids) {
    entry& e = db_model.ids[id];
    sqlite3_bind_text(one, 1, id.data(), static_cast<int>(id.size()), SQLITE_STATIC);
    std::int64_t n = -1;
    std::string record;
    if (sqlite3_step(one) == SQLITE_ROW) {
      n = sqlite3_column_int64(one, 0);
      if (const unsigned char* t = sqlite3_column_text(one, 1)) record = reinterpret_cast<const char*>(t);
    } else {
      violation(id, std::string("reading it back: ") + sqlite3_errmsg(db));
    }
    sqlite3_reset(one);
    if (n > 1) violation(id, "stored " + std::to_string(n) + " times");
    if (n == 1 && record != e.text) violation(id, "stored with other bytes than sent: " + record.substr(0, 200));
    switch (e.st) {
      case state::stored:
        if (n != 1) violation(id, "accepted, but not in the database");
        break;
      case state::rejected:
        if (n != 0) violation(id, "rejected, but stored");
        break;
      case state::absent:
        if (n != 0) violation(id, "found absent after an earlier kill, but stored now without an \"accepted\"");
        break;
      case state::unknown:  // cut by the kill: whatever the database says, once
        if (n >= 1) {
          e.st = state::stored;
          db_model.stored_list.push_back(id);
          ++db_model.stored;
          ++total.inflight_stored;
        } else if (n == 0) {
          e.st = state::absent;
          ++total.inflight_absent;
        }
        break;
    }
  }
  sqlite3_finalize(one);
  db_model.touched.clear();
  sqlite3_stmt* count = nullptr;
  sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM responses", -1, &count, nullptr);
  if (count != nullptr && sqlite3_step(count) == SQLITE_ROW &&
      static_cast<std::uint64_t>(sqlite3_column_int64(count, 0)) != db_model.stored)
    violation("", "the database holds " + std::to_string(sqlite3_column_int64(count, 0)) + " responses, " +
                      std::to_string(db_model.stored) + " expected");
  sqlite3_finalize(count);
  // The response cells are written in the responses' transaction: after any kill, each cell
  // size counts every stored response once (docs/storage.md, "Cells").
  sqlite3_stmt* cells = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT size_ms, SUM(n) FROM response_cells WHERE dimension = '' AND question = '' GROUP BY size_ms",
                     -1, &cells, nullptr);
  int sizes = 0;
  while (cells != nullptr && sqlite3_step(cells) == SQLITE_ROW) {
    ++sizes;
    if (static_cast<std::uint64_t>(sqlite3_column_int64(cells, 1)) != db_model.stored)
      violation("", "the cells of size " + std::to_string(sqlite3_column_int64(cells, 0)) + " ms count " +
                        std::to_string(sqlite3_column_int64(cells, 1)) + " responses, " + std::to_string(db_model.stored) +
                        " stored");
  }
  if (cells == nullptr || (db_model.stored > 0 && sizes != 3))
    violation("", "the response cells are missing (" + std::to_string(sizes) + " cell sizes)");
  sqlite3_finalize(cells);
  if (full_scan) {
    ++total.quick_checks;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, nullptr);
    if (s == nullptr || sqlite3_step(s) != SQLITE_ROW || std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, 0))) != "ok")
      violation("", "PRAGMA quick_check: " + std::string(s ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0)) : "?"));
    sqlite3_finalize(s);
    sqlite3_prepare_v2(db, "SELECT id, record FROM responses", -1, &s, nullptr);
    while (s != nullptr && sqlite3_step(s) == SQLITE_ROW) {
      const std::string id(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
      auto it = db_model.ids.find(id);
      if (it == db_model.ids.end() || it->second.st != state::stored) violation(id, "stored, but never accepted");
      else if (it->second.text != reinterpret_cast<const char*>(sqlite3_column_text(s, 1))) violation(id, "bytes differ");
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "serve_kill_soak: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--cxm") o.cxm = next();
    else if (a == "--surveys") o.surveys = next();
    else if (a == "--dir") o.dir = next();
    else if (a == "--seed") o.seed = std::strtoull(next().c_str(), nullptr, 10);
    else if (a == "--cycles") o.cycles = std::atoi(next().c_str());
    else if (a == "--max-kill-ms") o.max_kill_ms = std::atoi(next().c_str());
    else if (a == "--clients") o.clients = std::atoi(next().c_str());
    else if (a == "--keep") o.keep = true;
    else {
      std::fprintf(stderr,
                   "usage: serve_kill_soak --cxm PATH --surveys DIR [--seed N] [--cycles N] [--max-kill-ms N] "
                   "[--clients N] [--dir PATH] [--keep]\n");
      return 2;
    }
  }
  if (o.cxm.empty() || o.surveys.empty() || o.cycles < 1 || o.max_kill_ms < 1 || o.clients < 1) {
    std::fprintf(stderr, "serve_kill_soak: --cxm and --surveys are required; counts must be positive\n");
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  if (o.dir.empty()) o.dir = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  std::string work = o.dir + "/serve_kill_soak.XXXXXX";
  if (::mkdtemp(work.data()) == nullptr) {
    std::perror("serve_kill_soak: mkdtemp");
    return 2;
  }
  std::ofstream(work + "/config.json") << "{\"rate_limit\":{\"per_second\":0}}\n";
  const std::string db_path = work + "/cxm.db";
  std::mt19937_64 rng(mix(o.seed));
  const auto started = clock_type::now();

  for (current_cycle = 0; current_cycle < o.cycles && violations < 20; ++current_cycle) {
    int out_fd = -1;
    const pid_t pid = spawn(o, work, out_fd);
    if (pid < 0) {
      std::perror("serve_kill_soak: fork");
      return 2;
    }
    if (rng() % 10 == 0) {
      // One cycle in ten kills the server while it starts: opening, recovering the WAL the last
      // kill left, migrating (the very first cycle may be one).
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      ::close(out_fd);
      ++total.early_kills;
      check_database(db_path, false);
      continue;
    }
    cycle_ctx cx;
    cx.port = wait_listening(out_fd);
    if (cx.port == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      ::close(out_fd);
      violation("", "the server did not start: " + file_text(work + "/serve.stderr"));
      break;
    }
    std::vector<std::thread> threads;
    for (int t = 0; t < o.clients; ++t) threads.emplace_back(client, t, std::ref(cx), o.seed);
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % (static_cast<std::uint64_t>(o.max_kill_ms) * 1000)));
    cx.killing.store(true);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(out_fd);
    for (auto& t : threads) t.join();
    if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
      violation("", "the server ended before the kill: " + file_text(work + "/serve.stderr"));
    check_database(db_path, current_cycle % 25 == 24);
  }

  // A last clean run: every id still waiting is re-sent and must get its verdict, then SIGTERM
  // must stop the server with status 0, and the whole database must match the model.
  if (violations == 0) {
    int out_fd = -1;
    const pid_t pid = spawn(o, work, out_fd);
    cycle_ctx cx;
    cx.port = pid > 0 ? wait_listening(out_fd) : 0;
    if (cx.port == 0) {
      violation("", "the server did not start for the final check: " + file_text(work + "/serve.stderr"));
    } else {
      int fd = connect_to(cx.port);
      std::mt19937_64 crng(mix(o.seed + 1));
      std::uint64_t counter = 0;
      for (int n = 0; n < 5 || !db_model.resend.empty(); ++n) {
        std::string body, reply;
        std::vector<item> items = make_batch(99, counter, crng, body);
        bool close = false;
        ++total.requests;
        const int st = fd < 0 ? -1 : post(fd, cx.port, body, reply, close);
        if (st != 200) {
          violation("", "the final re-send got HTTP " + std::to_string(st));
          break;
        }
        ++total.answered;
        settle(items, reply);
        if (close) {
          ::close(fd);
          fd = connect_to(cx.port);
        }
      }
      if (fd >= 0) ::close(fd);
      ::kill(pid, SIGTERM);
    }
    int status = 0;
    if (pid > 0) ::waitpid(pid, &status, 0);
    if (cx.port != 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
      violation("", "SIGTERM did not stop the server with status 0: " + file_text(work + "/serve.stderr"));
    ::close(out_fd);
    check_database(db_path, true);
  }

  const double secs = std::chrono::duration<double>(clock_type::now() - started).count();
  using ull = unsigned long long;
  std::printf(
      "serve_kill_soak: seed %llu, %d cycles (%llu killed while starting), %llu requests (%llu answered, %llu 503), "
      "verdicts: %llu accepted, %llu duplicate, %llu rejected; in flight at kill: %llu requests, %llu records "
      "(%llu found stored, %llu absent); %llu re-sent after a kill; %llu responses stored; %llu full checks; %.1f s\n",
      ull(o.seed), current_cycle, ull(total.early_kills), ull(total.requests), ull(total.answered), ull(total.unavailable),
      ull(total.accepted), ull(total.duplicate), ull(total.rejected), ull(total.inflight_requests),
      ull(total.inflight_records), ull(total.inflight_stored), ull(total.inflight_absent), ull(total.resent_checked),
      ull(db_model.stored), ull(total.quick_checks), secs);
  if (violations > 0) {
    std::fprintf(stderr, "serve_kill_soak: %d violation(s); the database and the last server's stderr are kept in %s\n",
                 violations, work.c_str());
    return 1;
  }
  if (!o.keep) {
    std::error_code ec;
    fs::remove_all(work, ec);
  }
  return 0;
}
