// SPDX-License-Identifier: MIT
// Internal: JSON Lines framing shared by the readers. Splits a byte stream fed in arbitrary
// chunks into lines without copying lines that lie inside one chunk, and bounds memory: a line
// longer than the limit is reported once and its remaining bytes are dropped as they arrive.
#ifndef CXM_SRC_LINE_FRAMER_HPP
#define CXM_SRC_LINE_FRAMER_HPP

#include <cstddef>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>

#include "cxm/status.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

class line_framer {
 public:
  explicit line_framer(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  /// Calls `on_line(std::string_view)` for every complete line (without its '\n') and
  /// `on_too_long()` once for every line over the limit, in stream order.
  template <class OnLine, class OnTooLong>
  void feed(std::string_view chunk, OnLine&& on_line, OnTooLong&& on_too_long) {
    while (!chunk.empty()) {
      const void* nl = std::memchr(chunk.data(), '\n', chunk.size());
      if (skipping_) {
        if (nl == nullptr) return;
        chunk.remove_prefix(static_cast<std::size_t>(static_cast<const char*>(nl) - chunk.data()) + 1);
        skipping_ = false;
        continue;
      }
      if (nl == nullptr) {
        if (pending_.size() + chunk.size() > max_line_bytes_) {
          pending_.clear();
          skipping_ = true;
          on_too_long();
          return;
        }
        pending_.append(chunk);
        return;
      }
      const std::size_t len = static_cast<std::size_t>(static_cast<const char*>(nl) - chunk.data());
      if (pending_.empty()) {
        on_line(chunk.substr(0, len));
      } else if (pending_.size() + len > max_line_bytes_) {
        pending_.clear();
        on_too_long();
      } else {
        pending_.append(chunk.data(), len);
        on_line(std::string_view(pending_));
        pending_.clear();
      }
      chunk.remove_prefix(len + 1);
    }
  }

  /// Ends the stream: a last line without '\n' is still a line.
  template <class OnLine>
  void finish(OnLine&& on_line) {
    if (skipping_) {
      skipping_ = false;
      return;
    }
    if (!pending_.empty()) {
      std::string last;
      last.swap(pending_);
      on_line(std::string_view(last));
    }
  }

 private:
  std::size_t max_line_bytes_;
  std::string pending_;
  bool skipping_ = false;
};

/// Streams the file at `path` into `feed(std::string_view)` in 1 MiB chunks, then calls
/// `finish()`. `errc::io_error` when it cannot be opened or read.
template <class Feed, class Finish>
status read_file_chunks(const std::string& path, Feed&& feed, Finish&& finish) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return errc::io_error;
  std::string buffer(std::size_t{1} << 20, '\0');
  while (in) {
    in.read(&buffer[0], static_cast<std::streamsize>(buffer.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    feed(std::string_view(buffer.data(), got));
  }
  if (in.bad()) return errc::io_error;
  finish();
  return errc::ok;
}

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_LINE_FRAMER_HPP
