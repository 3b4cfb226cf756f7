// SPDX-License-Identifier: MIT
// Files cxm serve hands out: the widget and its wasm modules, the demo page, the survey
// definitions. Each URL prefix maps to one directory; only regular files with a known
// extension inside it are served (after resolving symbolic links: a link that leads out of the
// directory is refused), never a listing, never a path with "..", NUL or a backslash.
#ifndef CXM_SERVER_HTTP_STATIC_FILES_HPP
#define CXM_SERVER_HTTP_STATIC_FILES_HPP

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <cxm/core/status.hpp>

namespace cxm::server {

struct static_file {
  std::string path;          ///< on disk, resolved
  const char* content_type;  ///< from the extension
  std::string body;
};

class static_files {
 public:
  /// Serves `dir` under `prefix` ("/cxm/": must start and end with '/'). Only files whose
  /// extension is in `extensions` (".js", ".wasm"...; empty: every known type).
  status add(std::string prefix, const std::string& dir, std::vector<std::string> extensions = {});
  /// Serves the one file `file` at `url` ("/").
  status add_file(std::string url, const std::string& file);

  /// The file for the URL path `target` (the query is ignored), or not_found /
  /// invalid_argument (a path that tries to leave its directory) / too_large (over max_bytes).
  result<static_file> find(std::string_view target, std::size_t max_bytes = std::size_t{16} << 20) const;

  /// The content type of a file name's extension, or nullptr when it is not served.
  static const char* content_type(std::string_view name) noexcept;

 private:
  struct root {
    std::string prefix;
    std::string dir;  // canonical
    std::vector<std::string> extensions;
    bool single_file = false;
  };
  std::vector<root> roots_;
};

}  // namespace cxm::server

#endif  // CXM_SERVER_HTTP_STATIC_FILES_HPP
