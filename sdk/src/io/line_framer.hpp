// SPDX-License-Identifier: MIT
// Internal: JSON Lines framing shared by the readers. Splits a byte stream fed in arbitrary
// chunks into lines without copying lines that lie inside one chunk, and bounds memory: a line
// longer than the limit is reported once and its remaining bytes are dropped as they arrive.
#ifndef CXM_SRC_LINE_FRAMER_HPP
#define CXM_SRC_LINE_FRAMER_HPP

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// Lines are separated by '\n'; a '\r' just before it belongs to the separator ("\r\n"), so
/// a line's length is the bytes before its "\n" or "\r\n". A line longer than the limit is
/// reported instead of delivered, whatever it holds (blank or not) and wherever the chunks
/// happen to split it: the result depends on the bytes only.
class line_framer {
 public:
  explicit line_framer(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  /// Calls `on_line(std::string_view)` for every complete line (without its separator) and
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
        // One byte over the limit may still be the '\r' of a "\r\n": keep up to limit + 1.
        if (pending_.size() + chunk.size() > max_line_bytes_ + 1) {
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
        deliver(chunk.substr(0, len), on_line, on_too_long);
      } else if (pending_.size() + len > max_line_bytes_ + 1) {
        pending_.clear();
        on_too_long();
      } else {
        pending_.append(chunk.data(), len);
        deliver(std::string_view(pending_), on_line, on_too_long);
        pending_.clear();
      }
      chunk.remove_prefix(len + 1);
    }
  }

  /// Ends the stream: a last line without '\n' is still a line.
  template <class OnLine, class OnTooLong>
  void finish(OnLine&& on_line, OnTooLong&& on_too_long) {
    if (skipping_) {
      skipping_ = false;
      return;
    }
    if (!pending_.empty()) {
      std::string last;
      last.swap(pending_);
      deliver(std::string_view(last), on_line, on_too_long);
    }
  }

 private:
  // `line` is everything before a '\n' (or before the end of the stream).
  template <class OnLine, class OnTooLong>
  void deliver(std::string_view line, OnLine& on_line, OnTooLong& on_too_long) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > max_line_bytes_) on_too_long();
    else on_line(line);
  }

  std::size_t max_line_bytes_;
  std::string pending_;
  bool skipping_ = false;
};

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_LINE_FRAMER_HPP
