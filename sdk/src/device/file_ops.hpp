// SPDX-License-Identifier: MIT
// Internal: the POSIX file operations of the outbox, as results whose detail names the file and
// the system's reason ("<path>: <strerror>"). EINTR and short reads and writes are handled
// here; ENOSPC, EFBIG and EDQUOT become `no_space`, every other failure `io_error`.
#ifndef CXM_SRC_DEVICE_FILE_OPS_HPP
#define CXM_SRC_DEVICE_FILE_OPS_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// The outcome of a file operation without a value: true, or an error with its detail.
using io_status = result<bool>;

/// The error for the system error `err` while working on `path`: no_space for ENOSPC, EFBIG and
/// EDQUOT, io_error otherwise, with the detail "<path>: <strerror(err)>".
errc errc_of_errno(int err) noexcept;
std::string errno_detail(std::string_view path, int err);
template <class T = bool>
result<T> errno_error(std::string_view path, int err) {
  return {errc_of_errno(err), errno_detail(path, err)};
}

/// An owned file descriptor, closed on destruction.
class unique_fd {
 public:
  unique_fd() noexcept = default;
  explicit unique_fd(int fd) noexcept : fd_(fd) {}
  unique_fd(unique_fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  unique_fd& operator=(unique_fd&& o) noexcept;
  unique_fd(const unique_fd&) = delete;
  unique_fd& operator=(const unique_fd&) = delete;
  ~unique_fd();
  int get() const noexcept { return fd_; }
  bool valid() const noexcept { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

/// "<dir>/<name>".
std::string join_path(std::string_view dir, std::string_view name);

/// open(2) with O_CLOEXEC added.
result<unique_fd> open_file(const std::string& path, int flags, unsigned mode = 0600);
/// open(2) of a file that may be missing: an invalid descriptor when it does not exist.
result<unique_fd> open_if_exists(const std::string& path, int flags);
/// The size of an open file.
result<std::uint64_t> file_size(int fd, const std::string& path);
/// Writes all `n` bytes at `offset` (pwrite, retried on EINTR and short writes). On error some
/// of the bytes may have been written: the caller truncates them away.
io_status write_at(int fd, const std::string& path, const void* data, std::size_t n, std::uint64_t offset);
/// Reads exactly `n` bytes at `offset`; an end of file before them is io_error "unexpected end
/// of file".
io_status read_at(int fd, const std::string& path, void* data, std::size_t n, std::uint64_t offset);
/// The whole content of an open file.
result<std::string> read_all(int fd, const std::string& path);
/// ftruncate(2).
io_status truncate_file(int fd, const std::string& path, std::uint64_t size);
/// Makes the file's data (and the metadata needed to read it back, such as its size) durable:
/// fdatasync(2), or F_FULLFSYNC on Apple systems, whose fsync does not flush the drive's cache.
io_status sync_data(int fd, const std::string& path);
/// Makes the file's data and all of its metadata durable: fsync(2) (F_FULLFSYNC on Apple).
io_status sync_file(int fd, const std::string& path);
/// Makes the entries of directory `dir` durable (created, renamed, removed files): fsync of
/// the directory itself.
io_status sync_dir(const std::string& dir);
/// rename(2).
io_status rename_file(const std::string& from, const std::string& to);
/// unlink(2); a file that is already gone is not an error.
io_status remove_file(const std::string& path);
/// Creates directory `path` (mode 0700) unless it exists, then makes its entry durable in
/// the parent. A non-directory in its place is io_error.
io_status make_dir(const std::string& path);
/// The names in directory `dir` ("." and ".." left out).
result<std::vector<std::string>> list_dir(const std::string& dir);
/// Replaces `dir/name` with `bytes` so that a crash leaves either the old or the new content:
/// write `name.tmp`, fsync it, rename it over `name`, fsync the directory. Returns the new
/// file, open for reading and writing. `renamed` (optional) tells, on error, whether the new
/// content had already replaced the old (only the directory's fsync failed).
result<unique_fd> replace_file(const std::string& dir, std::string_view name, std::string_view bytes,
                               bool* renamed = nullptr);
/// Opens (creating) `dir/LOCK` and takes an exclusive flock(2) without waiting. flock locks
/// belong to the open file description, so a second open in the same process conflicts too.
/// Errors: `locked` naming the directory when held elsewhere, io_error naming the file.
result<unique_fd> lock_dir(const std::string& dir);

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_DEVICE_FILE_OPS_HPP
