// SPDX-License-Identifier: MIT
// The parameters of one PostgreSQL statement, as libpq takes them (internal to
// server/storage): text in binary format with its length, numbers and array literals in text
// format kept alive here, and the cell deltas of a commit as the 29 arrays of the cell upsert.
#ifndef CXM_SERVER_STORAGE_POSTGRES_PARAMS_HPP
#define CXM_SERVER_STORAGE_POSTGRES_PARAMS_HPP

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "server/storage/store.hpp"

namespace cxm::server::pg {

class params {
 public:
  void text(const std::string& v) {
    values_.push_back(v.data());
    lengths_.push_back(static_cast<int>(std::min<std::size_t>(v.size(), INT_MAX)));
    formats_.push_back(1);
    too_large_ = too_large_ || v.size() > static_cast<std::size_t>(INT_MAX);
  }
  void number(std::int64_t v) { literal(std::to_string(v)); }
  /// A value in text format that this object keeps (a number, an array literal).
  void literal(std::string v) {
    numbers_.push_back(std::move(v));
    values_.push_back(nullptr);  // pointed at the string once numbers_ stops moving
    lengths_.push_back(0);
    formats_.push_back(0);
    slots_.push_back(values_.size() - 1);
  }
  void boolean(bool v) {
    values_.push_back(v ? "true" : "false");
    lengths_.push_back(0);
    formats_.push_back(0);
  }
  void clear() {
    values_.clear();
    lengths_.clear();
    formats_.clear();
    numbers_.clear();
    slots_.clear();
    too_large_ = false;
  }
  bool too_large() const { return too_large_; }
  int count() const { return static_cast<int>(values_.size()); }
  const char* const* values() {
    for (std::size_t i = 0; i < slots_.size(); ++i) values_[slots_[i]] = numbers_[i].c_str();
    return values_.data();
  }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  std::vector<const char*> values_;
  std::vector<int> lengths_, formats_;
  std::vector<std::string> numbers_;
  std::vector<std::size_t> slots_;
  bool too_large_ = false;
};

// The 29 parameters of the cell upsert as arrays (text format literals: each text element
// quoted with \\ and " escaped; PostgreSQL's TEXT holds no NUL, so none can occur).
inline void cell_arrays(params& p, const std::vector<cell_delta>& cells) {
  const auto texts = [&](auto get) {
    std::string out = "{";
    for (std::size_t i = 0; i < cells.size(); ++i) {
      out += i != 0 ? ",\"" : "\"";
      for (const char ch : get(cells[i])) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
      }
      out += '"';
    }
    p.literal(out + "}");
  };
  const auto numbers = [&](auto get) {
    std::string out = "{";
    for (std::size_t i = 0; i < cells.size(); ++i) out += (i != 0 ? "," : "") + std::to_string(get(cells[i]));
    p.literal(out + "}");
  };
  texts([](const cell_delta& d) -> const std::string& { return d.survey_id; });
  texts([](const cell_delta& d) -> const std::string& { return d.dimension; });
  numbers([](const cell_delta& d) { return d.size_ms; });
  numbers([](const cell_delta& d) { return d.start_ms; });
  texts([](const cell_delta& d) -> const std::string& { return d.group; });
  texts([](const cell_delta& d) -> const std::string& { return d.question; });
  numbers([](const cell_delta& d) { return d.n; });
  for (std::size_t k = 0; k < 19; ++k) numbers([k](const cell_delta& d) { return d.counts[k]; });
  numbers([](const cell_delta& d) { return d.first_ms; });
  texts([](const cell_delta& d) -> const std::string& { return d.first_id; });
  numbers([](const cell_delta& d) { return d.last_ms; });
}

}  // namespace cxm::server::pg

#endif  // CXM_SERVER_STORAGE_POSTGRES_PARAMS_HPP
