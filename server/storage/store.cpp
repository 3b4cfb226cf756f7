// SPDX-License-Identifier: MIT
// open_store: picks the backend from the URL's form. Nothing else lives here, so adding a
// backend is one branch and one file.
#include "server/storage/store.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

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

namespace {

// Adds response `r`'s share (or another delta's counts) into `d`, made when `made`.
void add_first_last(cell_delta& d, std::int64_t first_ms, const std::string& first_id, std::int64_t last_ms) {
  if (first_ms < d.first_ms || (first_ms == d.first_ms && first_id < d.first_id)) {
    d.first_ms = first_ms;
    d.first_id = first_id;
  }
  d.last_ms = std::max(d.last_ms, last_ms);
}

// The key of a delta as one string: hashing and comparing one string is what keeps this
// cheap (it runs for every stored response).
void key_of(std::string& k, const std::string& survey, const std::string& dimension, std::int64_t size,
            std::int64_t start, const std::string& group, const std::string& question) {
  k.assign(survey).push_back('\0');
  k.append(dimension).push_back('\0');
  k.append(reinterpret_cast<const char*>(&size), sizeof size);
  k.append(reinterpret_cast<const char*>(&start), sizeof start);
  k.append(group).push_back('\0');
  k.append(question);
}

}  // namespace

std::vector<cell_delta> sum_new_cells(const std::vector<response_row>& rows, const std::vector<insert_outcome>& outcomes) {
  // First the finest cells, then each summed into the coarser sizes: most responses of a
  // commit share their finest cells, so the coarser sums see few entries.
  std::unordered_map<std::string, cell_delta> finest;
  std::string k;
  for (std::size_t i = 0; i < rows.size() && i < outcomes.size(); ++i) {
    if (outcomes[i] != insert_outcome::stored) continue;
    const response_row& r = rows[i];
    for (const cell_key& c : r.cells) {
      key_of(k, r.survey_id, c.dimension, 0, c.start_ms, c.group, c.question);
      auto [it, made] = finest.try_emplace(k);
      cell_delta& d = it->second;
      if (made) {
        d.survey_id = r.survey_id;
        d.dimension = c.dimension;
        d.start_ms = c.start_ms;
        d.group = c.group;
        d.question = c.question;
        d.first_ms = r.answered_ms;
        d.first_id = r.id;
        d.last_ms = r.answered_ms;
      } else {
        add_first_last(d, r.answered_ms, r.id, r.answered_ms);
      }
      ++d.n;
      if (c.slot > 0) ++d.counts[static_cast<std::size_t>(c.slot - 1)];
    }
  }
  std::map<std::string, cell_delta> sums;  // ordered by key: the order writers lock rows in
  for (const auto& entry : finest) {
    const cell_delta& f = entry.second;
    for (const std::int64_t size : schema::cell_sizes_ms) {
      const std::int64_t rem = f.start_ms % size;
      const std::int64_t start = f.start_ms - (rem < 0 ? rem + size : rem);
      key_of(k, f.survey_id, f.dimension, size, start, f.group, f.question);
      auto [it, made] = sums.try_emplace(k, f);
      cell_delta& d = it->second;
      if (made) {
        d.size_ms = size;
        d.start_ms = start;
        continue;
      }
      d.n += f.n;
      for (std::size_t i = 0; i < d.counts.size(); ++i) d.counts[i] += f.counts[i];
      add_first_last(d, f.first_ms, f.first_id, f.last_ms);
    }
  }
  std::vector<cell_delta> out;
  out.reserve(sums.size());
  for (auto& entry : sums) out.push_back(std::move(entry.second));
  return out;
}

}  // namespace cxm::server
