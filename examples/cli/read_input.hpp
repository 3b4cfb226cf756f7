// SPDX-License-Identifier: MIT
// The cxm tool's input files: opened and read here (POSIX open/read, 1 MiB chunks) rather than
// by the SDK, so that every failure names its reason ("No such file or directory", "Is a
// directory", "Permission denied", a read error's strerror text), and the exit statuses the
// commands share (the table is also in the usage text and docs/cli.md).
#ifndef CXM_CLI_READ_INPUT_HPP
#define CXM_CLI_READ_INPUT_HPP

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace cxm_cli {

/// Exit statuses of `cxm report`, `cxm journey` and `cxm journey-merge`. A script can rely on
/// them: 0 and 1 mean a report was printed on standard output, 2 and 3 that none was.
inline constexpr int exit_ok = 0;        ///< report printed; every input line was a good record
inline constexpr int exit_problems = 1;  ///< report printed; some lines or answers were rejected (listed with file, line, reason)
inline constexpr int exit_usage = 2;     ///< bad command line; the usage text is printed
inline constexpr int exit_no_input = 3;  ///< no report: an input could not be opened, read or decoded, or the inputs hold no record

/// How a file is named in messages: "-" is standard input.
inline std::string display_name(const std::string& file) { return file == "-" ? std::string("<stdin>") : file; }

/// One input, read in chunks: a file, or standard input for "-".
///
/// Holes of a sparse file read as NUL bytes without a newline. When a line limit is set, a
/// hole longer than limit + 2 bytes is handed on as only limit + 2 NUL bytes and the rest is
/// seeked over: the line that holds the hole is over the limit either way, and the reader drops
/// an overlong line's bytes unparsed, so what it reports is the same, without reading (and
/// filling the page cache with) gigabytes of zeros.
class input_file {
 public:
  static constexpr std::size_t chunk_bytes = std::size_t{1} << 20;

  /// The reader's line limit (0: read holes like any data).
  explicit input_file(std::size_t max_line_bytes = 0) : max_zero_run_(max_line_bytes == 0 ? 0 : max_line_bytes + 2) {}

  input_file(const input_file&) = delete;
  input_file& operator=(const input_file&) = delete;
  ~input_file() {
    if (owned_) ::close(fd_);
  }

  /// Opens `file` ("-": standard input, which is not closed). False with error() set when it
  /// cannot be opened or is a directory.
  bool open(const std::string& file) {
    if (file == "-") {
      fd_ = STDIN_FILENO;
    } else {
      fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd_ < 0) return fail(errno);
      owned_ = true;
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return fail(errno);
    // open() succeeds on a directory and read() fails with EISDIR: say so before reading.
    if (S_ISDIR(st.st_mode)) return fail(EISDIR);
    if (S_ISREG(st.st_mode)) {
#ifdef POSIX_FADV_SEQUENTIAL
      (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
      // Fewer 512-byte blocks than the size needs: there are holes worth looking for.
      skip_holes_ = max_zero_run_ > 0 && static_cast<std::uint64_t>(st.st_blocks) * 512 < static_cast<std::uint64_t>(st.st_size);
      offset_ = ::lseek(fd_, 0, SEEK_CUR);
      if (offset_ < 0) skip_holes_ = false;
    }
    return true;
  }

  /// The next chunk (valid until the next call); empty at the end of the input or on a read
  /// error (then error() is set).
  std::string_view read() {
    if (!buffer_) buffer_.reset(new char[chunk_bytes]);
    if (zeros_left_ == 0 && skip_holes_) skip_hole();
    if (zeros_left_ > 0) {
      const std::size_t n = zeros_left_ < chunk_bytes ? static_cast<std::size_t>(zeros_left_) : chunk_bytes;
      std::memset(buffer_.get(), 0, n);
      zeros_left_ -= n;
      return {buffer_.get(), n};
    }
    for (;;) {
      const ssize_t got = ::read(fd_, buffer_.get(), chunk_bytes);
      if (got > 0) {
        bytes_ += static_cast<std::uint64_t>(got);
        offset_ += got;
        return {buffer_.get(), static_cast<std::size_t>(got)};
      }
      if (got == 0) return {};
      if (errno == EINTR) continue;
      fail(errno);
      return {};
    }
  }

  /// Why the file could not be opened or read (strerror text); empty if it could.
  const std::string& error() const noexcept { return error_; }
  /// Bytes of the input so far, holes seeked over included.
  std::uint64_t bytes() const noexcept { return bytes_; }

 private:
  // At a hole longer than max_zero_run_: queue max_zero_run_ NUL bytes and seek to its end.
  void skip_hole() {
    off_t data = ::lseek(fd_, offset_, SEEK_DATA);
    if (data < 0 && errno == ENXIO) {  // a hole up to the end of the file (or at its end)
      struct stat st {};
      data = ::fstat(fd_, &st) == 0 ? st.st_size : -1;
    }
    if (data < 0) {  // no SEEK_DATA here: read everything
      skip_holes_ = false;
      (void)::lseek(fd_, offset_, SEEK_SET);
      return;
    }
    if (data > offset_ && static_cast<std::uint64_t>(data - offset_) > max_zero_run_) {
      zeros_left_ = max_zero_run_;
      bytes_ += static_cast<std::uint64_t>(data - offset_);
      offset_ = data;
    }
    if (::lseek(fd_, offset_, SEEK_SET) < 0) skip_holes_ = false;
  }

  bool fail(int err) {
    error_ = std::strerror(err);
    return false;
  }

  int fd_ = -1;
  bool owned_ = false;
  std::uint64_t max_zero_run_ = 0;
  bool skip_holes_ = false;
  off_t offset_ = 0;          // where the next read() starts, when skipping holes
  std::uint64_t zeros_left_ = 0;  // NUL bytes still to hand on for a skipped hole
  std::unique_ptr<char[]> buffer_;
  std::string error_;
  std::uint64_t bytes_ = 0;
};

/// What reading one input did.
struct input_result {
  std::string error;       ///< why it could not be opened or read; empty when it was read to its end
  std::uint64_t bytes = 0; ///< bytes read
  bool ok() const noexcept { return error.empty(); }
};

/// Streams `file` ("-": standard input) through a cxm JSON Lines reader (feed, then finish)
/// into `sink`; `max_line_bytes` is the reader's line limit (its options'). On an error the
/// reader is not finished: the caller reports the file and stops. `on_chunk(bytes)` is called
/// after each chunk with the bytes read of this input so far (a progress line).
template <class Reader, class Sink, class OnChunk = void (*)(std::uint64_t)>
input_result read_input(const std::string& file, Reader& reader, Sink& sink, std::size_t max_line_bytes,
                        OnChunk&& on_chunk = [](std::uint64_t) {}) {
  input_file in(max_line_bytes);
  input_result r;
  if (!in.open(file)) {
    r.error = in.error();
    return r;
  }
  for (std::string_view chunk = in.read(); !chunk.empty(); chunk = in.read()) {
    reader.feed(chunk, sink);
    on_chunk(in.bytes());
  }
  r.bytes = in.bytes();
  if (!in.error().empty()) {
    r.error = in.error();
    return r;
  }
  reader.finish(sink);
  return r;
}

/// Reads a whole JSON document (a journey definition, a journey report) of at most
/// `max_bytes` into `out`: memory stays bounded whatever the file is.
inline input_result read_document(const std::string& file, std::string& out, std::size_t max_bytes) {
  input_file in;
  input_result r;
  out.clear();
  if (!in.open(file)) {
    r.error = in.error();
    return r;
  }
  for (std::string_view chunk = in.read(); !chunk.empty(); chunk = in.read()) {
    if (chunk.size() > max_bytes - out.size()) {
      r.error = "larger than " + std::to_string(max_bytes >> 20) + " MiB, not a document cxm reads";
      out.clear();
      return r;
    }
    out.append(chunk);
  }
  r.bytes = in.bytes();
  if (!in.error().empty()) r.error = in.error();
  return r;
}

}  // namespace cxm_cli

#endif  // CXM_CLI_READ_INPUT_HPP
