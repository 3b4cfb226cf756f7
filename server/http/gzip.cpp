// SPDX-License-Identifier: MIT
#include "server/http/gzip.hpp"

#include <zlib.h>

namespace cxm::server {
namespace {
// windowBits 15 + 16: zlib writes (and reads only) the gzip wrapper instead of zlib's own.
constexpr int gzip_window = 15 + 16;
}  // namespace

result<std::string> gzip(std::string_view data) {
  z_stream zs{};
  // Level 1: the push compresses megabytes of JSON every interval; level 1 keeps most of the
  // gain at a fraction of the default level's CPU (bench/README.md, the OTLP push rows).
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, gzip_window, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return {errc::internal, "gzip: zlib could not start"};
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  const std::size_t written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return {errc::internal, "gzip: zlib failed"};
  out.resize(written);
  return out;
}

result<std::string> gunzip(std::string_view data, std::size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, gzip_window) != Z_OK) return {errc::internal, "gunzip: zlib could not start"};
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&zs);
      return {errc::too_large, "gunzip: over " + std::to_string(max_bytes) + " bytes"};
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;  // truncated input
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END || zs.avail_in != 0) return {errc::parse_error, "gunzip: not one complete gzip member"};
  return out;
}

}  // namespace cxm::server
