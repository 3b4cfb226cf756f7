// SPDX-License-Identifier: MIT
#include "server/http/static_files.hpp"

#include "server/http/url.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace cxm::server {
namespace fs = std::filesystem;
namespace {

struct type_entry {
  const char* extension;
  const char* type;
};
// Only what the widget, the demo and the definitions need. HTML is served only from the demo
// directory (its prefix allows it); nothing a respondent sent is ever a file here.
constexpr type_entry types[] = {
    {".html", "text/html; charset=utf-8"},      {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".cjs", "text/javascript; charset=utf-8"},
    {".wasm", "application/wasm"},              {".json", "application/json; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},        {".svg", "image/svg+xml"},
    {".png", "image/png"},                      {".ico", "image/x-icon"},
};

std::string_view extension_of(std::string_view name) {
  std::size_t slash = name.rfind('/');
  std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return name.substr(dot);
}

bool inside(const fs::path& file, const std::string& dir) {
  const std::string f = file.string();
  return f.size() > dir.size() && f.compare(0, dir.size(), dir) == 0 && f[dir.size()] == '/';
}

}  // namespace

const char* static_files::content_type(std::string_view name) noexcept {
  std::string_view ext = extension_of(name);
  for (const auto& t : types)
    if (ext == t.extension) return t.type;
  return nullptr;
}

status static_files::add(std::string prefix, const std::string& dir, std::vector<std::string> extensions) {
  std::error_code ec;
  fs::path canonical = fs::canonical(dir, ec);
  if (ec || !fs::is_directory(canonical, ec)) return errc::not_found;
  roots_.push_back({std::move(prefix), canonical.string(), std::move(extensions), false});
  return errc::ok;
}

status static_files::add_file(std::string url, const std::string& file) {
  std::error_code ec;
  fs::path canonical = fs::canonical(file, ec);
  if (ec || !fs::is_regular_file(canonical, ec)) return errc::not_found;
  roots_.push_back({std::move(url), canonical.string(), {}, true});
  return errc::ok;
}

result<static_file> static_files::find(std::string_view target, std::size_t max_bytes) const {
  std::string_view path = target.substr(0, target.find_first_of("?#"));
  std::string decoded;
  if (!percent_decode(path, decoded)) return {errc::invalid_argument, "bad percent escape"};
  if (decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos)
    return {errc::invalid_argument, "forbidden character in the path"};
  for (const auto& r : roots_) {
    std::string file;
    if (r.single_file) {
      if (decoded != r.prefix) continue;
      file = r.dir;
    } else {
      if (decoded.compare(0, r.prefix.size(), r.prefix) != 0) continue;
      std::string rel = decoded.substr(r.prefix.size());
      if (rel.empty()) return {errc::not_found, "no listing"};
      // Every segment must be a plain name: no "..", ".", empty segments or hidden files.
      std::size_t start = 0;
      while (start <= rel.size()) {
        std::size_t end = rel.find('/', start);
        if (end == std::string::npos) end = rel.size();
        std::string_view seg(rel.data() + start, end - start);
        if (seg.empty() || seg.front() == '.') return {errc::invalid_argument, "path segment not allowed"};
        start = end + 1;
      }
      if (!r.extensions.empty() &&
          std::find(r.extensions.begin(), r.extensions.end(), std::string(extension_of(rel))) == r.extensions.end())
        return {errc::not_found, "not served"};
      file = r.dir + "/" + rel;
    }
    const char* type = content_type(file);
    if (type == nullptr) return {errc::not_found, "not served"};
    std::error_code ec;
    fs::path real = fs::canonical(file, ec);  // resolves links: the result must stay inside
    if (ec) return {errc::not_found, "no such file"};
    if (!r.single_file && !inside(real, r.dir)) return {errc::invalid_argument, "outside its directory"};
    if (!fs::is_regular_file(real, ec)) return {errc::not_found, "not a file"};
    auto size = fs::file_size(real, ec);
    if (ec) return {errc::not_found, "no such file"};
    if (size > max_bytes) return {errc::too_large, "file too large"};
    std::ifstream in(real, std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in) return {errc::io_error, "cannot read"};
    return static_file{real.string(), type, body.str()};
  }
  return {errc::not_found, "no such file"};
}

}  // namespace cxm::server
