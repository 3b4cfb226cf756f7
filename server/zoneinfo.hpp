// SPDX-License-Identifier: MIT
// Time zones by name for the cxm tool and the collector: UTC, an offset, or an IANA name whose
// TZif file is read from $TZDIR or /usr/share/zoneinfo (the core parses the bytes; it reads no
// files). The name comes from a command line or a URL, so it is a path under that directory
// only when it is a plain zone name: letters, digits, '_', '+', '-', '/', no "..", not absolute.
#ifndef CXM_SERVER_ZONEINFO_HPP
#define CXM_SERVER_ZONEINFO_HPP

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <cxm/report/period.hpp>

namespace cxm::server {

inline result<time_zone> load_time_zone(const std::string& name) {
  if (auto fixed = time_zone::parse_fixed(name)) return fixed;
  const bool plain = !name.empty() && name[0] != '/' && name.size() <= 64 && name.find("..") == std::string::npos &&
                     name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-/") ==
                         std::string::npos;
  if (!plain) return {errc::invalid_argument, "not a time zone: expected UTC, +HH:MM or a name like Europe/Berlin"};
  const char* dir = std::getenv("TZDIR");
  const std::string path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return {errc::invalid_argument, "no such time zone (" + path + ": " + std::strerror(errno) + ")"};
  // TZif files are a few kilobytes; 1 MiB bounds what a strange file can cost.
  std::string bytes;
  char buf[8192];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0 && bytes.size() <= (std::size_t{1} << 20)) bytes.append(buf, n);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return {errc::invalid_argument, "no such time zone (" + path + ": cannot be read)"};
  return time_zone::from_tzif(name, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

}  // namespace cxm::server

#endif  // CXM_SERVER_ZONEINFO_HPP
