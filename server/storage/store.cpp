// SPDX-License-Identifier: MIT
// open_store: picks the backend from the URL's form. Nothing else lives here, so adding a
// backend is one branch and one file.
#include "server/storage/store.hpp"

#include <string_view>

#include "server/storage/postgres_store.hpp"
#include "server/storage/sqlite_store.hpp"

namespace cxm::server {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

result<std::unique_ptr<store>> open_store(const store_options& options) {
  const std::string& url = options.url;
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    return open_postgres_store(url, options.sync);
  }
  if (starts_with(url, "sqlite:")) {
    std::string path = url.substr(7);
    // "sqlite://" + absolute path is a common spelling of the same thing: accept it rather
    // than create a file named "/" + "/path".
    if (starts_with(path, "//")) path.erase(0, 2);
    if (path.empty()) {
      return {errc::invalid_argument, "store URL \"sqlite:\" names no file: expected sqlite:<path>"};
    }
    return open_sqlite_store(path, options.sync);
  }
  // A bare path is taken as SQLite only when its extension says so, so that a mistyped URL
  // ("postgress://...", "pg://...") is an error instead of a new empty database file.
  if (url.find("://") == std::string::npos && (ends_with(url, ".db") || ends_with(url, ".sqlite"))) {
    return open_sqlite_store(url, options.sync);
  }
  if (url.empty()) {
    return {errc::invalid_argument, "no store URL: expected sqlite:<path>, a path ending in .db or .sqlite, "
                                    "or postgresql://..."};
  }
  return {errc::invalid_argument,
          "store URL \"" + redact_postgres_url(url) +
              "\" is of no known kind: expected sqlite:<path>, a path ending in .db or .sqlite, "
              "postgresql://... or postgres://..."};
}

}  // namespace cxm::server
