// SPDX-License-Identifier: MIT
#include "server/access_log.hpp"

#include <chrono>
#include <memory>

#include "io/json_writer.hpp"

namespace cxm::server {
namespace {
std::string time_text(std::int64_t ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}
}  // namespace

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

result<std::unique_ptr<access_log>> access_log::open(const std::string& where) {
  if (where == "-") return std::make_unique<access_log>(stderr, false);
  std::FILE* f = std::fopen(where.c_str(), "a");
  if (f == nullptr) return {errc::io_error, where + ": cannot be opened for appending"};
  return std::make_unique<access_log>(f, true);
}

access_log::~access_log() {
  if (owned_) std::fclose(out_);
}

void access_log::line(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fputc('\n', out_);
  std::fflush(out_);
}

void access_log::request(std::string_view client, std::string_view method, std::string_view target, unsigned status,
                         std::uint64_t bytes, std::uint64_t micros) {
  detail::json_writer w;
  w.begin_object().member("time", time_text(now_ms())).member("kind", "access").member("client", client);
  w.member("method", method).member("target", target.substr(0, 512)).member("status", status);
  w.member("bytes", bytes).member("us", micros).end_object();
  line(w.take());
}

void access_log::error(std::string_view what, std::string_view detail) {
  detail::json_writer w;
  w.begin_object().member("time", time_text(now_ms())).member("kind", "error").member("what", what);
  w.member("detail", detail).end_object();
  line(w.take());
}

void access_log::info(std::string_view what, std::string_view detail) {
  detail::json_writer w;
  w.begin_object().member("time", time_text(now_ms())).member("kind", "info").member("what", what);
  w.member("detail", detail).end_object();
  line(w.take());
}

}  // namespace cxm::server
