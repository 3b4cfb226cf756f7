// SPDX-License-Identifier: MIT
// Hostile input files for the cxm tool: generates each file in a temporary directory (a 100 MB
// single line, a 2 GB sparse file of NUL bytes, a 1 GB hole between lines, 100k and 20k nested
// brackets, 1e309, invalid UTF-8, NUL bytes, seeded binary garbage, an empty file, blank lines
// only, no trailing newline, a directory, a missing file, an unreadable file; plus 2 GB of NUL
// bytes through a pipe and a read error), runs `cxm report FILE` and
// `cxm journey DEFINITION.json FILE` on each, and checks that
//   - cxm exits normally with the documented status (0 good, 1 problems listed, 3 no input),
//   - its output names the file and, for line problems, the line and the reason,
//   - no sanitizer reported anything (ASan/UBSan/LSan print to stderr),
//   - its peak RSS (wait4's ru_maxrss) stays under --max-rss-mib: memory does not grow with
//     the input, which is up to 2 GB here,
// then prints a table of case, exit status, peak RSS and wall time.
//
// usage: cxm_cli_hostile_files CXM JOURNEY.json [--max-rss-mib N] [--timeout S] [--tmpdir DIR] [--keep]
// The files go to a new directory in --tmpdir (default $TMPDIR or /tmp), removed at the end.
//
// POSIX only (fork, exec, wait4, ftruncate); no Python, so it runs on a bare CI image.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

// Writes all of `data` to `fd`; false on an error.
bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// Creates `path` and calls `fill(fd)`; false (after saying why) if that fails.
bool make_file(const std::string& path, const std::function<bool(int)>& fill) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    std::fprintf(stderr, "cannot create %s: %s\n", path.c_str(), std::strerror(errno));
    return false;
  }
  const bool ok = fill(fd);
  if (!ok) std::fprintf(stderr, "cannot write %s: %s\n", path.c_str(), std::strerror(errno));
  return ::close(fd) == 0 && ok;
}

bool write_text(const std::string& path, const std::string& text) {
  return make_file(path, [&](int fd) { return write_all(fd, text.data(), text.size()); });
}

// `count` copies of `c` written in bounded chunks (the driver's own memory stays small: a
// forked child's ru_maxrss starts from its parent's resident size).
bool write_repeated(int fd, char c, std::uint64_t count) {
  std::string chunk(std::size_t{1} << 16, c);
  while (count > 0) {
    const std::size_t n = count < chunk.size() ? static_cast<std::size_t>(count) : chunk.size();
    if (!write_all(fd, chunk.data(), n)) return false;
    count -= n;
  }
  return true;
}

// One good record of each kind, for files that mix good and bad lines.
const std::string good_response = R"({"id":"r-1","survey_id":"s","answers":{"nps":9}})";
const std::string good_event =
    R"({"journey_id":"j-1","customer":"c-1","type":"touch","touchpoint":"social_post","timestamp":"2026-09-26T01:35:35Z"})";

enum class command { report, journey };
const char* name(command c) { return c == command::report ? "report" : "journey"; }

// What cxm must do with a case: its exit status and text its output must contain (besides the
// file's name, which every case checks).
struct expectation {
  int status = 0;
  std::vector<std::string> contains;
};

struct hostile_case {
  std::string name;
  std::string file;  // in the work directory
  // Creates the input for `cmd` at `path` (the same bytes for both commands unless the case
  // needs a record of the command's own kind); false if it could not.
  std::function<bool(const std::string& path, command cmd)> make;
  expectation report, journey;
  bool unreadable = false;  // chmod 000; cxm runs as nobody when the driver is root
  std::uint64_t stdin_zeros = 0;  // > 0: no file; cxm reads "-", a pipe carrying this many NUL bytes
  bool absolute = false;          // `file` is an existing path outside the work directory
};

struct run_result {
  bool started = false;
  bool timed_out = false;
  int wait_status = 0;
  long max_rss_kib = 0;
  double seconds = 0;
  std::string out, err;
};

// Reads what is available on `fd` into `into` (kept up to `cap` bytes); false at EOF.
bool drain(int fd, std::string& into, std::size_t cap) {
  char buf[65536];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return false;
  const std::size_t got = static_cast<std::size_t>(n);
  if (into.size() < cap) into.append(buf, got < cap - into.size() ? got : cap - into.size());
  return true;
}

// Writes `count` NUL bytes to `fd` from a forked process (a pipe has no holes to skip: the
// reader must stream every byte); returns its pid, or -1.
pid_t feed_zeros(int fd, int read_end, std::uint64_t count) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  ::close(read_end);  // else a cxm that stops reading early leaves this writer blocked forever
  static char zeros[std::size_t{1} << 16];
  while (count > 0) {
    const std::size_t n = count < sizeof zeros ? static_cast<std::size_t>(count) : sizeof zeros;
    if (!write_all(fd, zeros, n)) ::_exit(0);  // cxm stopped reading: fine
    count -= n;
  }
  ::_exit(0);
}

// Runs argv with stdin from /dev/null (or a pipe of `stdin_zeros` NUL bytes), captures stdout
// and stderr, and waits with wait4.
run_result run(const std::vector<std::string>& args, bool as_nobody, int timeout_s, std::uint64_t stdin_zeros) {
  run_result r;
  int in[2] = {-1, -1};
  pid_t feeder = -1;
  if (stdin_zeros > 0) {
    if (::pipe2(in, O_CLOEXEC) != 0) return r;
    ::signal(SIGPIPE, SIG_IGN);
    feeder = feed_zeros(in[1], in[0], stdin_zeros);  // before the output pipes exist: it must not hold them
    ::close(in[1]);
    if (feeder < 0) return r;
  }
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) return r;
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) return r;
  if (pid == 0) {
    const int input = in[0] >= 0 ? in[0] : ::open("/dev/null", O_RDONLY);
    if (input < 0 || ::dup2(input, 0) < 0 || ::dup2(out[1], 1) < 0 || ::dup2(err[1], 2) < 0) ::_exit(125);
    if (as_nobody && (::setgroups(0, nullptr) != 0 || ::setgid(65534) != 0 || ::setuid(65534) != 0)) {
      static const char msg[] = "hostile_files: cannot become nobody\n";
      (void)!::write(2, msg, sizeof msg - 1);
      ::_exit(126);
    }
    ::execv(argv[0], argv.data());
    static const char msg[] = "hostile_files: exec failed\n";
    (void)!::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  }
  r.started = true;
  if (in[0] >= 0) ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  const auto deadline = start + std::chrono::seconds(timeout_s);
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      r.timed_out = true;
      break;
    }
    const int n = ::poll(fds, 2, static_cast<int>(left.count()));
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    constexpr std::size_t cap = std::size_t{1} << 20;
    if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) out_open = drain(out[0], r.out, cap);
    if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) err_open = drain(err[0], r.err, cap);
    // Closed ends stay readable (EOF); stop polling them.
    if (!out_open) fds[0].fd = -1;
    if (!err_open) fds[1].fd = -1;
  }
  ::close(out[0]);
  ::close(err[0]);
  rusage ru{};
  while (::wait4(pid, &r.wait_status, 0, &ru) < 0 && errno == EINTR) {
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.max_rss_kib = ru.ru_maxrss;  // KiB on Linux
  if (feeder > 0) {
    if (r.timed_out) ::kill(feeder, SIGKILL);
    int ignored = 0;
    while (::waitpid(feeder, &ignored, 0) < 0 && errno == EINTR) {
    }
  }
  return r;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

std::string head(const std::string& s, std::size_t n) { return s.size() <= n ? s : s.substr(0, n) + "\n[...]"; }

std::vector<hostile_case> cases() {
  const std::uint64_t mib = std::uint64_t{1} << 20;
  std::vector<hostile_case> v;
  v.push_back({"100 MB single line", "long_line.jsonl",
               [=](const std::string& p, command) {
                 return make_file(p, [&](int fd) {
                   return write_all(fd, "{\"id\":\"", 7) && write_repeated(fd, 'x', 100 * mib) && write_all(fd, "\"}\n", 3);
                 });
               },
               {1, {"line 1: too_large"}}, {1, {"line 1: too_large"}}});
  v.push_back({"2 GB sparse file", "sparse_2gb.jsonl",
               [=](const std::string& p, command) {
                 return make_file(p, [&](int fd) { return ::ftruncate(fd, static_cast<off_t>(2048 * mib)) == 0; });
               },
               {1, {"line 1: too_large"}}, {1, {"line 1: too_large"}}});
  hostile_case piped{"2 GB of NUL on stdin", "-", nullptr, {1, {"line 1: too_large"}}, {1, {"line 1: too_large"}}};
  piped.stdin_zeros = 2048 * mib;
  v.push_back(piped);
  // A hole between records: cxm seeks over most of it, and must still count its lines.
  v.push_back({"1 GB hole between lines", "sparse_hole.jsonl",
               [=](const std::string& p, command c) {
                 const std::string good = c == command::report ? good_response : good_event;
                 const std::string second = c == command::report
                                                ? R"({"id":"r-2","survey_id":"s","answers":{"nps":3}})"
                                                : R"({"journey_id":"j-2","customer":"c-2","type":"touch","touchpoint":"social_post","timestamp":"2026-09-26T01:36:00Z"})";
                 return make_file(p, [&](int fd) {
                   return write_all(fd, good.data(), good.size()) && write_all(fd, "\n", 1) &&
                          ::lseek(fd, static_cast<off_t>(1024 * mib), SEEK_SET) > 0 && write_all(fd, "\n", 1) &&
                          write_all(fd, second.data(), second.size()) && write_all(fd, "\n", 1);
                 });
               },
               {1, {"line 2: too_large", "3 lines, 0 blank", "2 responses scored"}}, {1, {"line 2: too_large", "3 lines, 2 events read"}}});
  // 100k brackets make a 200 KB line: deeper than the readers' 16 levels, and over the
  // journey reader's 64 KiB line limit, which it checks first.
  v.push_back({"100k nested brackets", "nested_100k.jsonl",
               [](const std::string& p, command) {
                 return make_file(p, [](int fd) {
                   return write_all(fd, "{\"x\":", 5) && write_repeated(fd, '[', 100000) &&
                          write_repeated(fd, ']', 100000) && write_all(fd, "}\n", 2);
                 });
               },
               {1, {"line 1: too_deep"}}, {1, {"line 1: too_large"}}});
  v.push_back({"20k nested brackets", "nested_20k.jsonl",
               [](const std::string& p, command) {
                 return make_file(p, [](int fd) {
                   return write_all(fd, "{\"x\":", 5) && write_repeated(fd, '[', 20000) &&
                          write_repeated(fd, ']', 20000) && write_all(fd, "}\n", 2);
                 });
               },
               {1, {"line 1: too_deep"}}, {1, {"line 1: too_deep"}}});
  v.push_back({"1e309", "not_finite.jsonl",
               [](const std::string& p, command c) {
                 return write_text(p, c == command::report
                                          ? good_response + "\n" + R"({"id":"r-2","survey_id":"s","answers":{"nps":1e309}})" "\n"
                                          : good_event + "\n" +
                                                R"({"journey_id":"j-2","customer":"c-2","type":"touch","touchpoint":"social_post","timestamp":1e309})" "\n");
               },
               {1, {"line 2: answers.nps: not_finite"}}, {1, {"line 2: timestamp: not_finite"}}});
  v.push_back({"invalid UTF-8", "invalid_utf8.jsonl",
               [](const std::string& p, command c) {
                 return write_text(p, (c == command::report ? good_response : good_event) + "\n" +
                                          "{\"id\":\"\xff\xfe\xc0\xaf\",\"survey_id\":\"s\",\"answers\":{}}\n");
               },
               {1, {"line 2: invalid_utf8"}}, {1, {"line 2: invalid_utf8"}}});
  v.push_back({"NUL bytes", "nul_bytes.jsonl",
               [](const std::string& p, command c) {
                 std::string text = (c == command::report ? good_response : good_event) + "\n";
                 text += std::string("{\"id\":\"a\0b\"}\n", 13);
                 text += std::string(4, '\0') + "\n";
                 return write_text(p, text);
               },
               {1, {"line 2: parse_error", "line 3: parse_error"}}, {1, {"line 2: parse_error", "line 3: parse_error"}}});
  v.push_back({"binary garbage (seeded)", "garbage.bin",
               [](const std::string& p, command) {
                 return make_file(p, [](int fd) {
                   std::mt19937_64 rng(20261003);
                   std::string chunk(std::size_t{1} << 16, '\0');
                   for (int i = 0; i < 64; ++i) {  // 4 MiB
                     for (std::size_t k = 0; k < chunk.size(); k += 8) {
                       const std::uint64_t x = rng();
                       std::memcpy(&chunk[k], &x, 8);
                     }
                     if (!write_all(fd, chunk.data(), chunk.size())) return false;
                   }
                   return true;
                 });
               },
               {1, {"line 1: ", "no valid record"}}, {1, {"line 1: ", "no valid record"}}});
  v.push_back({"empty file", "empty.jsonl", [](const std::string& p, command) { return write_text(p, ""); },
               {3, {"empty file, no responses"}}, {3, {"empty file, no events"}}});
  v.push_back({"blank lines only", "blank.jsonl", [](const std::string& p, command) { return write_text(p, "\n  \n\t\r\n"); },
               {3, {"no responses, only 3 blank lines"}}, {3, {"no events, only 3 blank lines"}}});
  v.push_back({"no trailing newline", "no_newline.jsonl",
               [](const std::string& p, command c) {
                 return write_text(p, c == command::report ? good_response + "\n" + R"({"id":"r-2","survey_id":"s","answers":{"nps":3}})"
                                                           : good_event + "\n" + R"({"journey_id":"j-2","customer":"c-2","type":"touch","touchpoint":"social_post","timestamp":"2026-09-26T01:36:00Z"})");
               },
               {0, {"2 lines, 0 blank", "2 responses scored, 0 duplicates, 0 lines rejected"}}, {0, {"2 lines, 2 events read, 0 lines rejected"}}});
  v.push_back({"directory", "a_directory",
               [](const std::string& p, command) {
                 if (::mkdir(p.c_str(), 0755) == 0 || errno == EEXIST) return true;
                 std::fprintf(stderr, "cannot create %s: %s\n", p.c_str(), std::strerror(errno));
                 return false;
               },
               {3, {": Is a directory"}}, {3, {": Is a directory"}}});
  v.push_back({"missing file", "missing.jsonl", [](const std::string& p, command) { return ::unlink(p.c_str()) == 0 || errno == ENOENT; },
               {3, {": No such file or directory"}}, {3, {": No such file or directory"}}});
  // Linux: /proc/self/mem opens, and read() at offset 0 (unmapped) fails with EIO.
  if (::access("/proc/self/mem", R_OK) == 0) {
    hostile_case eio{"read error (EIO)", "/proc/self/mem", nullptr, {3, {": Input/output error"}}, {3, {": Input/output error"}}};
    eio.absolute = true;
    v.push_back(eio);
  }
  hostile_case unreadable{"unreadable file", "unreadable.jsonl",
                          [](const std::string& p, command) { return write_text(p, good_response + "\n") && ::chmod(p.c_str(), 0) == 0; },
                          {3, {": Permission denied"}}, {3, {": Permission denied"}}};
  unreadable.unreadable = true;
  v.push_back(unreadable);
  return v;
}

void remove_file(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) ::rmdir(path.c_str());
  else ::unlink(path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s CXM JOURNEY.json [--max-rss-mib N] [--timeout S] [--tmpdir DIR] [--keep]\n", argv[0]);
    return 2;
  }
  const std::string cxm = argv[1], definition = argv[2];
  long max_rss_mib = 64;
  int timeout_s = 300;
  bool keep = false;
  const char* tmp = std::getenv("TMPDIR");
  std::string parent = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--max-rss-mib" && i + 1 < argc) max_rss_mib = std::strtol(argv[++i], nullptr, 10);
    else if (a == "--timeout" && i + 1 < argc) timeout_s = static_cast<int>(std::strtol(argv[++i], nullptr, 10));
    else if (a == "--tmpdir" && i + 1 < argc) parent = argv[++i];
    else if (a == "--keep") keep = true;
    else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }

  std::string dir = parent + "/cxm-hostile-XXXXXX";
  if (::mkdtemp(&dir[0]) == nullptr) {
    std::fprintf(stderr, "mkdtemp %s: %s\n", dir.c_str(), std::strerror(errno));
    return 1;
  }
  ::chmod(dir.c_str(), 0711);  // nobody (the unreadable case, when we are root) must reach its file

  const bool root = ::geteuid() == 0;
  rusage self{};
  ::getrusage(RUSAGE_SELF, &self);
  std::printf("cxm hostile files: %s, definition %s\n  work directory %s, peak RSS bound %ld MiB, "
              "driver's own peak RSS %.1f MiB (a child's ru_maxrss starts from it)\n\n",
              cxm.c_str(), definition.c_str(), dir.c_str(), max_rss_mib, static_cast<double>(self.ru_maxrss) / 1024);
  std::printf("%-24s %-8s %6s %6s %10s %9s  %s\n", "case", "command", "exit", "want", "peak RSS", "wall", "result");

  int failures = 0;
  for (const hostile_case& c : cases()) {
    const bool piped = c.stdin_zeros > 0, generated = !piped && !c.absolute;
    const std::string path = piped ? std::string("-") : c.absolute ? c.file : dir + "/" + c.file;
    const std::string shown = piped ? std::string("<stdin>") : path;
    for (const command cmd : {command::report, command::journey}) {
      const expectation& want = cmd == command::report ? c.report : c.journey;
      if (generated) remove_file(path);
      if (generated && !c.make(path, cmd)) {
        ++failures;
        continue;
      }
      std::vector<std::string> args{cxm, name(cmd)};
      if (cmd == command::journey) args.push_back(definition);
      args.push_back(path);
      const run_result r = run(args, c.unreadable && root, timeout_s, c.stdin_zeros);

      std::vector<std::string> problems;
      if (!r.started) problems.push_back("could not start cxm");
      if (r.timed_out) problems.push_back("timed out after " + std::to_string(timeout_s) + " s");
      int status = -1;
      if (WIFEXITED(r.wait_status)) status = WEXITSTATUS(r.wait_status);
      else if (WIFSIGNALED(r.wait_status)) problems.push_back("killed by signal " + std::to_string(WTERMSIG(r.wait_status)));
      if (status != want.status) problems.push_back("exit status " + std::to_string(status) + ", want " + std::to_string(want.status));
      const std::string all = r.out + r.err;
      if (!contains(all, shown)) problems.push_back("the output does not name " + shown);
      for (const auto& text : want.contains)
        if (!contains(all, text)) problems.push_back("the output lacks \"" + text + "\"");
      for (const char* san : {"AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer", "runtime error:"})
        if (contains(r.err, san)) problems.push_back(std::string("sanitizer report: ") + san);
      if (r.max_rss_kib > max_rss_mib * 1024)
        problems.push_back("peak RSS " + std::to_string(r.max_rss_kib / 1024) + " MiB over the bound");

      char rss[32];
      std::snprintf(rss, sizeof rss, "%.1f MiB", static_cast<double>(r.max_rss_kib) / 1024);
      std::printf("%-24s %-8s %6d %6d %10s %8.3fs  %s\n", c.name.c_str(), name(cmd), status, want.status, rss, r.seconds,
                  problems.empty() ? "ok" : "FAIL");
      // The message a user sees: the first stderr line.
      const std::string first = r.err.substr(0, r.err.find('\n'));
      std::printf("    stderr: %s\n", head(first, 160).c_str());
      if (!problems.empty()) {
        ++failures;
        for (const auto& p : problems) std::printf("    - %s\n", p.c_str());
        std::printf("    stdout:\n%s\n    stderr:\n%s\n", head(r.out, 3000).c_str(), head(r.err, 6000).c_str());
      }
      std::fflush(stdout);
    }
    if (!keep && generated) remove_file(path);
  }
  if (!keep) ::rmdir(dir.c_str());
  std::printf("\n%s: %d failure%s\n", failures == 0 ? "PASS" : "FAIL", failures, failures == 1 ? "" : "s");
  return failures == 0 ? 0 : 1;
}
