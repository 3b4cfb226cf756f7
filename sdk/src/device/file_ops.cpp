// SPDX-License-Identifier: MIT
// POSIX file operations with "<path>: <reason>" errors (file_ops.hpp). Linux, Android, Apple.
#include "device/file_ops.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

CXM_BEGIN_NAMESPACE
namespace detail {
namespace {

// strerror(3) may share one buffer between threads; strerror_r does not, but comes in two
// flavours (GNU returns the text, XSI an int). Overloads pick the one the C library declared.
[[maybe_unused]] const char* strerror_text(int rc, const char* buf) noexcept { return rc == 0 ? buf : "unknown error"; }
[[maybe_unused]] const char* strerror_text(const char* text, const char*) noexcept { return text; }

// Retries a system call interrupted by a signal.
template <class F>
auto retry_eintr(F f) {
  for (;;) {
    const auto rc = f();
    if (rc >= 0 || errno != EINTR) return rc;
  }
}

std::string parent_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

errc errc_of_errno(int err) noexcept {
  switch (err) {
    case ENOSPC:
    case EFBIG:
#if defined(EDQUOT)
    case EDQUOT:
#endif
      return errc::no_space;
    default:
      return errc::io_error;
  }
}

std::string errno_detail(std::string_view path, int err) {
  char buf[256] = {};
  std::string s(path);
  s += ": ";
  s += strerror_text(strerror_r(err, buf, sizeof buf), buf);
  return s;
}

unique_fd& unique_fd::operator=(unique_fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

// close(2) errors are not reported: every write that matters was followed by an fsync whose
// result was checked, and retrying close after EINTR may close another thread's descriptor.
unique_fd::~unique_fd() {
  if (fd_ >= 0) ::close(fd_);
}

std::string join_path(std::string_view dir, std::string_view name) {
  std::string s(dir);
  if (!s.empty() && s.back() != '/') s += '/';
  s += name;
  return s;
}

result<unique_fd> open_file(const std::string& path, int flags, unsigned mode) {
  const int fd = retry_eintr([&] { return ::open(path.c_str(), flags | O_CLOEXEC, static_cast<mode_t>(mode)); });
  if (fd < 0) return errno_error<unique_fd>(path, errno);
  return unique_fd(fd);
}

result<unique_fd> open_if_exists(const std::string& path, int flags) {
  const int fd = retry_eintr([&] { return ::open(path.c_str(), flags | O_CLOEXEC); });
  if (fd < 0 && errno == ENOENT) return unique_fd();
  if (fd < 0) return errno_error<unique_fd>(path, errno);
  return unique_fd(fd);
}

result<std::uint64_t> file_size(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return errno_error<std::uint64_t>(path, errno);
  return static_cast<std::uint64_t>(st.st_size);
}

io_status write_at(int fd, const std::string& path, const void* data, std::size_t n, std::uint64_t offset) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = retry_eintr([&] { return ::pwrite(fd, p, n, static_cast<off_t>(offset)); });
    if (w < 0) return errno_error(path, errno);
    if (w == 0) return errno_error(path, ENOSPC);  // no progress: treat as a full device
    p += w;
    n -= static_cast<std::size_t>(w);
    offset += static_cast<std::uint64_t>(w);
  }
  return true;
}

io_status read_at(int fd, const std::string& path, void* data, std::size_t n, std::uint64_t offset) {
  auto* p = static_cast<char*>(data);
  while (n > 0) {
    const ssize_t r = retry_eintr([&] { return ::pread(fd, p, n, static_cast<off_t>(offset)); });
    if (r < 0) return errno_error(path, errno);
    if (r == 0) return {errc::io_error, path + ": unexpected end of file"};
    p += r;
    n -= static_cast<std::size_t>(r);
    offset += static_cast<std::uint64_t>(r);
  }
  return true;
}

result<std::string> read_all(int fd, const std::string& path) {
  auto size = file_size(fd, path);
  if (!size) return {size.code(), size.detail()};
  std::string bytes(static_cast<std::size_t>(*size), '\0');
  std::size_t got = 0;
  // Read to the end, not just the size fstat saw: the file is ours and locked, but a short read
  // at the end must not leave zeros in place of the data.
  for (;;) {
    if (got == bytes.size()) bytes.resize(bytes.size() + 4096);
    const ssize_t r = retry_eintr([&] {
      return ::pread(fd, bytes.data() + got, bytes.size() - got, static_cast<off_t>(got));
    });
    if (r < 0) return errno_error<std::string>(path, errno);
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  bytes.resize(got);
  return bytes;
}

io_status truncate_file(int fd, const std::string& path, std::uint64_t size) {
  if (retry_eintr([&] { return ::ftruncate(fd, static_cast<off_t>(size)); }) != 0) return errno_error(path, errno);
  return true;
}

io_status sync_data(int fd, const std::string& path) {
#if defined(__APPLE__)
  // fsync on Apple systems leaves the data in the drive's cache; F_FULLFSYNC flushes it. Some
  // file systems refuse it (network shares): fsync is then the best there is.
  if (::fcntl(fd, F_FULLFSYNC) == 0) return true;
  if (retry_eintr([&] { return ::fsync(fd); }) != 0) return errno_error(path, errno);
#else
  if (retry_eintr([&] { return ::fdatasync(fd); }) != 0) return errno_error(path, errno);
#endif
  return true;
}

io_status sync_file(int fd, const std::string& path) {
#if defined(__APPLE__)
  if (::fcntl(fd, F_FULLFSYNC) == 0) return true;
#endif
  if (retry_eintr([&] { return ::fsync(fd); }) != 0) return errno_error(path, errno);
  return true;
}

io_status sync_dir(const std::string& dir) {
  auto fd = open_file(dir, O_RDONLY | O_DIRECTORY);
  if (!fd) return {fd.code(), fd.detail()};
  return sync_file(fd->get(), dir);
}

io_status rename_file(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return errno_error(to, errno);
  return true;
}

io_status remove_file(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return errno_error(path, errno);
  return true;
}

io_status make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0) return sync_dir(parent_of(path));
  const int err = errno;
  struct stat st {};
  if (err == EEXIST && ::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return true;
    return {errc::io_error, path + ": not a directory"};
  }
  return errno_error(path, err);
}

result<std::vector<std::string>> list_dir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return errno_error<std::vector<std::string>>(dir, errno);
  std::vector<std::string> names;
  errno = 0;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  const int err = errno;
  ::closedir(d);
  if (err != 0) return errno_error<std::vector<std::string>>(dir, err);
  return names;
}

result<unique_fd> replace_file(const std::string& dir, std::string_view name, std::string_view bytes,
                               bool* renamed) {
  if (renamed != nullptr) *renamed = false;
  const std::string path = join_path(dir, name);
  const std::string tmp = path + ".tmp";
  auto fd = open_file(tmp, O_RDWR | O_CREAT | O_TRUNC);
  if (!fd) return fd;
  io_status st = write_at(fd->get(), tmp, bytes.data(), bytes.size(), 0);
  if (st) st = sync_file(fd->get(), tmp);
  if (st) st = rename_file(tmp, path);
  if (!st) {
    (void)remove_file(tmp);
    return {st.code(), st.detail()};
  }
  // The descriptor now names `path`: the same file under its new name.
  if (renamed != nullptr) *renamed = true;
  st = sync_dir(dir);
  if (!st) return {st.code(), st.detail()};
  return fd;
}

result<unique_fd> lock_dir(const std::string& dir) {
  const std::string path = join_path(dir, "LOCK");
  auto fd = open_file(path, O_RDWR | O_CREAT);
  if (!fd) return fd;
  if (retry_eintr([&] { return ::flock(fd->get(), LOCK_EX | LOCK_NB); }) != 0) {
    const int err = errno;
    if (err == EWOULDBLOCK)
      return {errc::locked, dir + ": the outbox is open in another process or another outbox object"};
    return errno_error<unique_fd>(path, err);
  }
  return fd;
}

}  // namespace detail
CXM_END_NAMESPACE
