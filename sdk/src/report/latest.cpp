// SPDX-License-Identifier: MIT
#include "cxm/report/latest.hpp"

#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

CXM_BEGIN_NAMESPACE

namespace {

// The latest response of one (respondent, period) so far.
struct candidate {
  std::int64_t timestamp_ms = 0;
  std::string id;
};

bool later(std::int64_t ts, std::string_view id, const candidate& c) {
  return ts > c.timestamp_ms || (ts == c.timestamp_ms && id > std::string_view(c.id));
}

}  // namespace

struct latest_per_respondent::state {
  std::optional<period_unit> unit;
  time_zone zone;
  // Key: the respondent's bytes, then the period index's 8 bytes (none without periods). The
  // respondent comes first whole, so two keys can only be equal for the same pair.
  std::unordered_map<std::string, candidate> latest;
  std::string key;  // scratch

  const std::string& key_of(const response_view& r) {
    key.assign(r.respondent.data(), r.respondent.size());
    if (unit) {
      const std::int64_t index = period_of(r.timestamp_ms, *unit, zone).index;
      char bytes[sizeof index];
      std::memcpy(bytes, &index, sizeof index);
      key.append(bytes, sizeof bytes);
    }
    return key;
  }
};

latest_per_respondent::latest_per_respondent(std::optional<period_unit> unit, time_zone zone)
    : state_(new state{unit, std::move(zone), {}, {}}) {}
latest_per_respondent::~latest_per_respondent() = default;
latest_per_respondent::latest_per_respondent(latest_per_respondent&&) noexcept = default;
latest_per_respondent& latest_per_respondent::operator=(latest_per_respondent&&) noexcept = default;

void latest_per_respondent::observe(const response_view& r) {
  if (r.respondent.empty() || !r.has_timestamp) {
    ++unplaced_;
    return;
  }
  auto [it, inserted] = state_->latest.try_emplace(state_->key_of(r));
  if (inserted || later(r.timestamp_ms, r.id, it->second)) {
    it->second.timestamp_ms = r.timestamp_ms;
    it->second.id.assign(r.id.data(), r.id.size());
  }
}

bool latest_per_respondent::keep(const response_view& r) const {
  if (r.respondent.empty() || !r.has_timestamp) return true;
  const auto it = state_->latest.find(state_->key_of(r));
  // Not observed in the first pass: nothing to compare with, so it is not dropped.
  if (it == state_->latest.end()) return true;
  return it->second.timestamp_ms == r.timestamp_ms && std::string_view(it->second.id) == r.id;
}

std::size_t latest_per_respondent::respondents() const noexcept { return state_->latest.size(); }

CXM_END_NAMESPACE
