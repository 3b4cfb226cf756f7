// SPDX-License-Identifier: MIT
// The outbox's crash promise tested by killing the app: a child process appends and acks
// through cxm.h until SIGKILL lands at a seeded instant; the parent then reads back what is
// pending and checks it against what the child reported (tests/soak/README.md).
//
//   outbox_kill_soak [--seed N] [--cycles N] [--max-kill-ms N] [--dir PATH] [--keep]
//
// Why fork + exec rather than fork alone: every child is a fresh process, as an app restarted
// after being killed is: it inherits nothing of the parent's use of libcxm (descriptors, locks,
// lazily initialized state), and fork's "only async-signal-safe calls until exec" rule holds
// even if libcxm ever runs a thread in the parent. exec costs ~1 ms a cycle, and the kill
// instant is drawn from when the child reports it has started, so start-up does not eat the
// window.
//
// The child reports on a pipe, one line per write (each under PIPE_BUF, so atomic):
//   started                      before it opens the outbox (the kill window starts here, so
//                                some kills land in open's recovery)
//   opened                       the outbox is open and consent given
//   appended <seq> <id>          after cxm_outbox_append returned CXM_OK
//   acking <id> <id>...          the records of a batch, before cxm_outbox_ack
//   acked                        after cxm_outbox_ack returned CXM_OK
//   error <what>                 a call failed (a violation: the disk is fine)
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#if defined(__linux__)
#  include <sys/prctl.h>
#endif

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cxm/cxm.h"

namespace json = boost::json;

namespace {

// Each cycle's sequence numbers lie in [cycle * stride, (cycle + 1) * stride): a record's
// number says which child appended it.
constexpr std::uint64_t seq_stride = 10'000'000;
constexpr std::size_t batch_bytes = 16 * 1024;  // small batches: an "acking" line stays < PIPE_BUF
constexpr const char* source = "soak-install-0001";

// ---- records ---------------------------------------------------------------------------------

// The body of record `seq`: characters from a generator seeded by the number, so a record
// whose bytes changed anywhere no longer matches its number. 300-499 of them, except one
// record in 16 of 16-48 KiB: a write that spans pages is where a kill can cut a frame short
// (the kernel checks for a fatal signal between the pages it copies).
std::string body_of(std::uint64_t seq) {
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789-_";
  std::uint64_t x = seq * 0x9E3779B97F4A7C15ull + 1;
  std::string b(seq % 16 == 5 ? 16384 + seq * 7919 % 32768 : 300 + seq % 200, ' ');
  for (char& c : b) {
    x ^= x << 13;  // xorshift64
    x ^= x >> 7;
    x ^= x << 17;
    c = alphabet[x % (sizeof alphabet - 1)];
  }
  return b;
}

std::string record_of(std::uint64_t seq) {
  return "{\"soak\":1,\"seq\":" + std::to_string(seq) + ",\"body\":\"" + body_of(seq) + "\"}";
}

// A record as found in a batch payload (docs/outbox.md).
struct found_record {
  std::string id;
  std::uint64_t seq = 0;
  bool intact = false;  // body, seq and kind as appended
  std::string what;     // why not
};

std::string as_string(const json::value* v) {
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The records of a `cxm.batch` payload for /v1/responses (docs/outbox.md: "responses" and
// "events" arrays of the records as appended, each with the "id" the outbox inserted), each
// checked against its sequence number. False when the payload is not such a document.
bool records_of(std::string_view payload, std::vector<found_record>& out, std::string& why) {
  json::error_code ec;
  const json::value doc = json::parse(payload, ec);
  if (ec || !doc.is_object()) return why = "payload is not a JSON object", false;
  const json::object& o = doc.get_object();
  if (as_string(o.if_contains("format")) != "cxm.batch") return why = "payload format is not cxm.batch", false;
  if (o.if_contains("responses") == nullptr && o.if_contains("events") == nullptr)
    return why = "payload has neither responses nor events", false;
  for (const char* name : {"responses", "events"}) {
    const json::value* records = o.if_contains(name);
    if (records == nullptr) continue;
    if (!records->is_array()) return why = std::string(name) + " is not an array", false;
    for (const json::value& r : records->get_array()) {
      found_record f;
      const json::object* d = r.if_object();
      if (d == nullptr) {
        f.what = "record is not an object";
        out.push_back(std::move(f));
        continue;
      }
      f.id = as_string(d->if_contains("id"));
      const json::value* seq = d->if_contains("seq");
      if (seq != nullptr && seq->is_uint64()) f.seq = seq->get_uint64();
      if (seq != nullptr && seq->is_int64() && seq->get_int64() >= 0) f.seq = static_cast<std::uint64_t>(seq->get_int64());
      const bool even = f.seq % 2 == 0;  // responses have even numbers (run_child)
      if (seq == nullptr || (!seq->is_uint64() && !seq->is_int64())) {
        f.what = "record has no seq";
      } else if (as_string(d->if_contains("body")) != body_of(f.seq)) {
        f.what = "body does not match seq " + std::to_string(f.seq);
      } else if (d->size() != 4 || d->if_contains("soak") == nullptr) {
        f.what = "members added or lost";
      } else if (even != (std::string_view(name) == "responses")) {
        f.what = std::string("in ") + name + " with seq " + std::to_string(f.seq);
      } else {
        f.intact = true;
      }
      out.push_back(std::move(f));
    }
  }
  return true;
}

cxm_outbox_options soak_options() {
  cxm_outbox_options o;
  cxm_outbox_options_init(&o);
  return o;
}

// ---- the child -----------------------------------------------------------------------------------

void say(int fd, const std::string& line) {
  const std::string l = line + "\n";
  std::size_t done = 0;
  while (done < l.size()) {
    const ssize_t n = write(fd, l.data() + done, l.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(4);  // the parent is gone
    done += static_cast<std::size_t>(n);
  }
}

[[noreturn]] void child_error(int fd, const char* call, cxm_status s) {
  say(fd, std::string("error ") + call + ": " + cxm_status_name(s) + ": " + cxm_last_error_detail());
  _exit(3);
}

// Appends and acks until killed (or, should the parent be gone, for at most 20 s).
[[noreturn]] void run_child(const std::string& dir, int fd, std::uint64_t first_seq, std::uint64_t seed) {
  say(fd, "started");
  cxm_outbox* box = nullptr;
  const cxm_outbox_options o = soak_options();
  cxm_status s = cxm_outbox_open(dir.data(), dir.size(), source, std::strlen(source), &o, &box);
  if (s != CXM_OK) child_error(fd, "cxm_outbox_open", s);
  cxm_consent consent = CXM_CONSENT_UNKNOWN;
  if ((s = cxm_outbox_consent(box, &consent)) != CXM_OK) child_error(fd, "cxm_outbox_consent", s);
  if (consent != CXM_CONSENT_GIVEN && (s = cxm_outbox_set_consent(box, CXM_CONSENT_GIVEN)) != CXM_OK)
    child_error(fd, "cxm_outbox_set_consent", s);  // persisted: once is enough
  say(fd, "opened");
  std::mt19937_64 rng(seed);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  char id[CXM_OUTBOX_ID_SIZE];
  for (std::uint64_t seq = first_seq; std::chrono::steady_clock::now() < give_up; ++seq) {
    const std::string r = record_of(seq);
    const cxm_record_kind kind = seq % 2 == 0 ? CXM_RECORD_RESPONSE : CXM_RECORD_EVENT;
    if ((s = cxm_outbox_append(box, kind, r.data(), r.size(), id)) != CXM_OK) child_error(fd, "cxm_outbox_append", s);
    say(fd, "appended " + std::to_string(seq) + " " + id);
    if (rng() % 4 != 0) continue;  // a batch every fourth append or so
    cxm_outbox_batch b;
    s = cxm_outbox_next_batch(box, batch_bytes, &b);
    if (s == CXM_EMPTY) continue;
    if (s != CXM_OK) child_error(fd, "cxm_outbox_next_batch", s);
    std::vector<found_record> found;
    std::string why;
    if (!records_of(std::string_view(b.payload, b.payload_len), found, why)) {
      say(fd, "error batch: " + why);
      _exit(3);
    }
    std::string line = "acking";
    for (const found_record& f : found) {
      if (!f.intact) {
        say(fd, "error batch: record " + f.id + ": " + f.what);
        _exit(3);
      }
      line += " " + f.id;
    }
    say(fd, line);
    if ((s = cxm_outbox_ack(box, b.id)) != CXM_OK) child_error(fd, "cxm_outbox_ack", s);
    say(fd, "acked");
    cxm_outbox_batch_free(&b);
  }
  cxm_outbox_close(box);
  _exit(0);
}

// ---- the parent ----------------------------------------------------------------------------------

struct totals {
  std::uint64_t cycles = 0;
  std::uint64_t appends_confirmed = 0;
  std::uint64_t acks_confirmed = 0;          // batches whose "acked" arrived
  std::uint64_t records_acked = 0;           // their records
  std::uint64_t records_checked = 0;         // present records read back, over all cycles
  std::uint64_t unreported = 0;              // present, appended by a child killed before it said so
  std::uint64_t acks_cut = 0;           // "acking" without "acked", whose records were then
  std::uint64_t acks_cut_present = 0;   // all still present (the kill came before the ack's write)
  std::uint64_t acks_cut_gone = 0;      // all gone (it came after)
  std::uint64_t acks_cut_partial = 0;   // some of each: allowed (at most once), but not atomic
  std::uint64_t corrupt_skipped = 0;
  std::uint64_t max_pending = 0;
};

// What the parent knows: records that must be present (id -> seq) and ids that must never be
// seen again (acked, or gone after an interrupted ack).
struct ledger {
  std::unordered_map<std::string, std::uint64_t> expected;
  std::unordered_set<std::string> gone;
};

int violations = 0;
void violation(std::uint64_t cycle, const std::string& id, const std::string& what) {
  std::fprintf(stderr, "VIOLATION cycle %" PRIu64 " id %s: %s\n", cycle, id.empty() ? "-" : id.c_str(), what.c_str());
  ++violations;
}

std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> w;
  std::size_t i = 0;
  while (i < line.size()) {
    const std::size_t j = std::min(line.find(' ', i), line.size());
    if (j > i) w.push_back(line.substr(i, j - i));
    i = j + 1;
  }
  return w;
}

enum class until { deadline, first_line, eof };

// Reads what `fd` delivers into `buffer` until `deadline`, the first complete line or EOF, as
// `u` says. Returns false at EOF.
bool pump(int fd, std::string& buffer, std::chrono::steady_clock::time_point deadline, until u) {
  char chunk[65536];
  for (;;) {
    if (u == until::first_line && buffer.find('\n') != std::string::npos) return true;
    int timeout = -1;
    if (u != until::eof) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return true;
      timeout = static_cast<int>(left.count());
    }
    pollfd p{fd, POLLIN, 0};
    const int r = poll(&p, 1, timeout);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) return true;
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

// One cycle: runs a child, kills it, applies its report to the ledger and checks the outbox.
void cycle(const std::string& self, const std::string& dir, std::uint64_t c, std::mt19937_64& rng, int max_kill_ms,
           ledger& l, totals& t) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    std::perror("pipe2");
    std::exit(2);
  }
  const std::uint64_t first_seq = c * seq_stride;
  const std::uint64_t child_seed = rng();
  const auto kill_after = std::chrono::microseconds(rng() % (static_cast<std::uint64_t>(max_kill_ms) * 1000 + 1));
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(2);
  }
  if (pid == 0) {
#if defined(__linux__)
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    close(fds[0]);
    fcntl(fds[1], F_SETFD, 0);  // the write end survives exec
    const std::string fd = std::to_string(fds[1]), seq = std::to_string(first_seq), seed = std::to_string(child_seed);
    execl(self.c_str(), self.c_str(), "--child", dir.c_str(), fd.c_str(), seq.c_str(), seed.c_str(), nullptr);
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  // The window starts when the child says it has started (at most 10 s of start-up).
  if (pump(fds[0], out, std::chrono::steady_clock::now() + std::chrono::seconds(10), until::first_line))
    pump(fds[0], out, std::chrono::steady_clock::now() + kill_after, until::deadline);
  kill(pid, SIGKILL);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  pump(fds[0], out, {}, until::eof);
  close(fds[0]);
  if (WIFEXITED(wstatus))
    violation(c, "", "the child exited before the kill, with status " + std::to_string(WEXITSTATUS(wstatus)) +
                         (WEXITSTATUS(wstatus) == 127 ? " (it could not be started)" : ""));
  else if (!(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL))
    violation(c, "", "the child died of signal " + std::to_string(WTERMSIG(wstatus)) + " before the kill");

  // The report: complete lines only (the kill may cut the last write).
  std::unordered_set<std::string> limbo;  // acking without acked
  std::vector<std::string> acking;
  bool started = false;
  for (std::size_t i = 0, nl; (nl = out.find('\n', i)) != std::string::npos; i = nl + 1) {
    const std::string line = out.substr(i, nl - i);
    const std::vector<std::string> w = words(line);
    if (w.empty()) continue;
    if (w[0] == "started" || w[0] == "opened") {
      started = true;
    } else if (w[0] == "appended" && w.size() == 3) {
      ++t.appends_confirmed;
      const std::uint64_t seq = std::strtoull(w[1].c_str(), nullptr, 10);
      if (l.expected.count(w[2]) != 0 || l.gone.count(w[2]) != 0) violation(c, w[2], "an id handed out twice");
      l.expected[w[2]] = seq;
    } else if (w[0] == "acking") {
      acking.assign(w.begin() + 1, w.end());
      for (const std::string& id : acking) {
        if (l.expected.count(id) == 0) violation(c, id, "in a batch but never appended nor seen");
        limbo.insert(id);
      }
    } else if (w[0] == "acked") {
      ++t.acks_confirmed;
      for (const std::string& id : acking) {
        ++t.records_acked;
        limbo.erase(id);
        l.expected.erase(id);
        l.gone.insert(id);
      }
      acking.clear();
    } else if (w[0] == "error") {
      violation(c, "", "the child failed: " + line);
    } else {
      violation(c, "", "unexpected line from the child: " + line);
    }
  }
  (void)started;  // a child killed before it said so is a legal, empty cycle
  if (!limbo.empty()) ++t.acks_cut;

  // What is pending now, read as the next process would: every batch, none acked.
  cxm_outbox* box = nullptr;
  const cxm_outbox_options o = soak_options();
  cxm_status s = cxm_outbox_open(dir.data(), dir.size(), source, std::strlen(source), &o, &box);
  if (s != CXM_OK) {
    violation(c, "", std::string("cxm_outbox_open: ") + cxm_status_name(s) + ": " + cxm_last_error_detail());
    return;
  }
  cxm_consent consent = CXM_CONSENT_UNKNOWN;
  if (cxm_outbox_consent(box, &consent) != CXM_OK || (consent != CXM_CONSENT_GIVEN &&
                                                      cxm_outbox_set_consent(box, CXM_CONSENT_GIVEN) != CXM_OK))
    violation(c, "", std::string("consent: ") + cxm_last_error_detail());
  std::vector<found_record> present;
  cxm_outbox_batch b;
  while ((s = cxm_outbox_next_batch(box, 1u << 20, &b)) == CXM_OK) {
    std::string why;
    if (std::string_view(b.endpoint) != "/v1/responses") violation(c, b.id, std::string("endpoint ") + b.endpoint);
    if (!records_of(std::string_view(b.payload, b.payload_len), present, why)) violation(c, b.id, why);
    cxm_outbox_batch_free(&b);
  }
  if (s != CXM_EMPTY) violation(c, "", std::string("cxm_outbox_next_batch: ") + cxm_status_name(s) + ": " + cxm_last_error_detail());
  cxm_outbox_counts counts;
  if ((s = cxm_outbox_counts_get(box, &counts)) != CXM_OK) violation(c, "", "cxm_outbox_counts_get failed");
  cxm_outbox_close(box);  // the batches handed out above were in memory only
  if (counts.pending_records != present.size())
    violation(c, "", "counts say " + std::to_string(counts.pending_records) + " pending, the batches held " +
                         std::to_string(present.size()));
  if (counts.dropped_ttl + counts.dropped_cap + counts.dropped_rejected + counts.dropped_too_large != 0)
    violation(c, "", "records were dropped: the check would not hold");
  t.corrupt_skipped = counts.corrupt_skipped;
  t.max_pending = std::max<std::uint64_t>(t.max_pending, present.size());
  t.records_checked += present.size();

  // The checks.
  std::unordered_set<std::string> seen;
  for (const found_record& f : present) {
    if (!seen.insert(f.id).second) violation(c, f.id, "present twice");
    if (!f.intact) violation(c, f.id, "corrupt record delivered: " + f.what);
    if (l.gone.count(f.id) != 0) violation(c, f.id, "acked (or gone after an interrupted ack) yet present again");
    if (limbo.count(f.id) != 0) continue;
    const auto e = l.expected.find(f.id);
    if (e != l.expected.end()) {
      if (f.intact && e->second != f.seq)
        violation(c, f.id, "seq " + std::to_string(f.seq) + ", reported as " + std::to_string(e->second));
    } else if (f.seq / seq_stride == c) {
      ++t.unreported;  // appended, killed before the report: from now on it must stay
      l.expected[f.id] = f.seq;
    } else if (l.gone.count(f.id) == 0) {
      violation(c, f.id, "appeared only now, appended in cycle " + std::to_string(f.seq / seq_stride));
    }
  }
  for (const auto& [id, seq] : l.expected)
    if (limbo.count(id) == 0 && seen.count(id) == 0)
      violation(c, id, "lost: appended (seq " + std::to_string(seq) + ") and never acked, but not present");
  std::size_t still_present = 0;
  for (const std::string& id : limbo) {
    if (seen.count(id) != 0) {
      ++still_present;  // stays expected
    } else {
      l.expected.erase(id);
      l.gone.insert(id);
    }
  }
  if (!limbo.empty()) {
    if (still_present == limbo.size()) ++t.acks_cut_present;
    else if (still_present == 0) ++t.acks_cut_gone;
    else ++t.acks_cut_partial;
  }
}

int usage() {
  std::fprintf(stderr, "usage: outbox_kill_soak [--seed N] [--cycles N] [--max-kill-ms N] [--dir PATH] [--keep]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 6 && std::string_view(argv[1]) == "--child")
    run_child(argv[2], std::atoi(argv[3]), std::strtoull(argv[4], nullptr, 10), std::strtoull(argv[5], nullptr, 10));

  std::uint64_t seed = 1, cycles = 1000;
  int max_kill_ms = 30;
  bool keep = false;
  const char* tmp = std::getenv("TMPDIR");
  std::string base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--seed" && has_value) seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--cycles" && has_value) cycles = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--max-kill-ms" && has_value) max_kill_ms = std::max(0, std::atoi(argv[++i]));
    else if (a == "--dir" && has_value) base = argv[++i];
    else if (a == "--keep") keep = true;
    else return usage();
  }
  char self[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) {
    std::perror("readlink /proc/self/exe");
    return 2;
  }
  self[n] = '\0';
  std::string work = base + "/cxm-kill-soak-XXXXXX";
  if (mkdtemp(work.data()) == nullptr) {
    std::perror(work.c_str());
    return 2;
  }
  const std::string dir = work + "/outbox";

  std::printf("outbox kill soak: seed %" PRIu64 ", %" PRIu64 " cycles, kill 0-%d ms after start, %s\n", seed, cycles,
              max_kill_ms, dir.c_str());
  std::mt19937_64 rng(seed);
  ledger l;
  totals t;
  const auto began = std::chrono::steady_clock::now();
  for (std::uint64_t c = 0; c < cycles && violations < 20; ++c) {
    cycle(self, dir, c, rng, max_kill_ms, l, t);
    ++t.cycles;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  std::printf("cycles %" PRIu64 ", appends confirmed %" PRIu64 ", acks confirmed %" PRIu64 " (%" PRIu64
              " records), records checked %" PRIu64 ", torn frames skipped (corrupt_skipped) %" PRIu64
              ", max pending %" PRIu64 "\n",
              t.cycles, t.appends_confirmed, t.acks_confirmed, t.records_acked, t.records_checked, t.corrupt_skipped,
              t.max_pending);
  std::printf("appended but unreported %" PRIu64 ", acks cut by the kill %" PRIu64 " (records then all present %" PRIu64
              ", all gone %" PRIu64 ", partly %" PRIu64 "), %.1f s\n",
              t.unreported, t.acks_cut, t.acks_cut_present, t.acks_cut_gone, t.acks_cut_partial, seconds);
  if (violations != 0) {
    std::fprintf(stderr, "FAILED: %d violation(s); the outbox is kept in %s\n", violations, dir.c_str());
    return 1;
  }
  if (!keep) {
    std::error_code ec;
    std::filesystem::remove_all(work, ec);
  }
  std::printf("OK\n");
  return 0;
}
