// SPDX-License-Identifier: MIT
// open_store: picks the backend from the URL's form. Nothing else lives here, so adding a
// backend is one branch and one file.
#include "server/storage/store.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>

#include "server/storage/schema.hpp"

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

std::vector<cell_delta> sum_new_cells(const std::vector<response_row>& rows, const std::vector<insert_outcome>& outcomes) {
  using key = std::tuple<const std::string*, const std::string*, std::int64_t, std::int64_t, const std::string*,
                         const std::string*>;
  // Keyed by pointers into `rows` for speed, ordered by the strings they point at.
  struct less {
    bool operator()(const key& a, const key& b) const {
      return std::tie(*std::get<0>(a), *std::get<1>(a), std::get<2>(a), std::get<3>(a), *std::get<4>(a), *std::get<5>(a)) <
             std::tie(*std::get<0>(b), *std::get<1>(b), std::get<2>(b), std::get<3>(b), *std::get<4>(b), *std::get<5>(b));
    }
  };
  std::map<key, cell_delta, less> sums;
  for (std::size_t i = 0; i < rows.size() && i < outcomes.size(); ++i) {
    if (outcomes[i] != insert_outcome::stored) continue;
    const response_row& r = rows[i];
    for (const cell_key& c : r.cells)
      for (const std::int64_t size : schema::cell_sizes_ms) {
        const std::int64_t rem = c.start_ms % size;
        const std::int64_t start = c.start_ms - (rem < 0 ? rem + size : rem);
        auto [it, made] = sums.try_emplace(key{&r.survey_id, &c.dimension, size, start, &c.group, &c.question});
        cell_delta& d = it->second;
        if (made) {
          d.survey_id = r.survey_id;
          d.dimension = c.dimension;
          d.size_ms = size;
          d.start_ms = start;
          d.group = c.group;
          d.question = c.question;
          d.first_ms = r.answered_ms;
          d.first_id = r.id;
          d.last_ms = r.answered_ms;
        } else if (r.answered_ms < d.first_ms || (r.answered_ms == d.first_ms && r.id < d.first_id)) {
          d.first_ms = r.answered_ms;
          d.first_id = r.id;
        }
        d.last_ms = std::max(d.last_ms, r.answered_ms);
        ++d.n;
        if (c.slot > 0) ++d.counts[static_cast<std::size_t>(c.slot - 1)];
      }
  }
  std::vector<cell_delta> out;
  out.reserve(sums.size());
  for (auto& entry : sums) out.push_back(std::move(entry.second));
  return out;
}

}  // namespace cxm::server
