// SPDX-License-Identifier: MIT
// A progress line on standard error while the cxm tool reads large inputs: bytes read of the
// total, records per second and the time left. Only when standard error is a terminal (a
// script or a pipe sees nothing), only after the first second (small inputs never show it),
// redrawn at most ten times a second, and erased when reading is done, so the report on
// standard output and the notes on standard error read as without it.
#ifndef CXM_CLI_PROGRESS_HPP
#define CXM_CLI_PROGRESS_HPP

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace cxm_cli {

class progress {
 public:
  using clock = std::chrono::steady_clock;

  /// `files`: the inputs, whose sizes (regular files only; "-" and pipes have none) make the
  /// total. `enabled`: the user's choice (--no-progress); a terminal is needed as well.
  progress(const std::vector<std::string>& files, bool enabled)
      : on_(enabled && ::isatty(STDERR_FILENO) == 1), start_(clock::now()), next_(start_ + std::chrono::seconds(1)) {
    for (const auto& f : files) {
      struct stat st {};
      if (f == "-" || ::stat(f.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
        total_ = 0;  // some input of unknown size: no total, no time left
        break;
      }
      total_ += static_cast<std::uint64_t>(st.st_size);
    }
  }
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;
  ~progress() { done(); }

  /// Called after each chunk: `bytes` read so far over all inputs, `records` counted so far.
  void update(std::uint64_t bytes, std::uint64_t records) {
    if (!on_) return;
    const clock::time_point now = clock::now();
    if (now < next_) return;
    next_ = now + std::chrono::milliseconds(100);
    const double seconds = std::chrono::duration<double>(now - start_).count();
    char line[160];
    int n = std::snprintf(line, sizeof line, "\rcxm: %s", size(bytes).c_str());
    if (total_ > 0 && bytes <= total_)
      n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), " of %s (%.0f%%)", size(total_).c_str(),
                         100.0 * static_cast<double>(bytes) / static_cast<double>(total_));
    n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), ", %.0f records/s",
                       static_cast<double>(records) / seconds);
    if (total_ > 0 && bytes > 0 && bytes < total_) {
      const double left = seconds * static_cast<double>(total_ - bytes) / static_cast<double>(bytes);
      n += std::snprintf(line + n, sizeof line - static_cast<std::size_t>(n), ", %s left", duration(left).c_str());
    }
    std::fprintf(stderr, "%s\x1b[K", line);  // \x1b[K: clear what a longer previous line left
    std::fflush(stderr);
    shown_ = true;
  }

  /// Erases the line (if one was drawn).
  void done() {
    if (!shown_) return;
    std::fprintf(stderr, "\r\x1b[K");
    std::fflush(stderr);
    shown_ = false;
  }

 private:
  static std::string size(std::uint64_t bytes) {
    char b[32];
    const double v = static_cast<double>(bytes);
    if (v >= 1e9) std::snprintf(b, sizeof b, "%.2f GB", v / 1e9);
    else if (v >= 1e6) std::snprintf(b, sizeof b, "%.1f MB", v / 1e6);
    else std::snprintf(b, sizeof b, "%.0f kB", v / 1e3);
    return b;
  }
  static std::string duration(double s) {
    char b[32];
    if (s < 60) std::snprintf(b, sizeof b, "%.0fs", s);
    else if (s < 3600) std::snprintf(b, sizeof b, "%ldmin %02lds", static_cast<long>(s) / 60, static_cast<long>(s) % 60);
    else std::snprintf(b, sizeof b, "%.1fh", s / 3600);
    return b;
  }

  bool on_;
  bool shown_ = false;
  std::uint64_t total_ = 0;
  clock::time_point start_;
  clock::time_point next_;
};

}  // namespace cxm_cli

#endif  // CXM_CLI_PROGRESS_HPP
