// SPDX-License-Identifier: MIT
// NPS and scale tally aggregates on hostile bytes: decode gives a tally or an error; a decoded
// tally re-encodes canonically and decodes equal; its statistics are finite and in range; and
// merging it with itself doubles every count or refuses (never wraps).
#include <cmath>
#include <string>

#include "cxm/stats/tally_json.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {
namespace {

std::uint64_t twice(std::uint64_t c) { return c > UINT64_MAX / 2 ? UINT64_MAX : 2 * c; }

void check_interval(const cxm::result<cxm::interval>& ci, double lo, double hi) {
  if (!ci) return;
  CXM_FUZZ_CHECK(std::isfinite(ci->lower) && std::isfinite(ci->upper));
  CXM_FUZZ_CHECK(ci->lower <= ci->upper && ci->lower >= lo && ci->upper <= hi);
}

void check_nps(const cxm::nps_tally& t) {
  const std::string json = cxm::to_json(t);
  auto d = cxm::nps_tally_from_json(json);
  CXM_FUZZ_CHECK_MSG(d.ok(), d.detail() + "\n" + json);
  CXM_FUZZ_CHECK(*d == t && cxm::to_json(*d) == json);
  CXM_FUZZ_CHECK(t.promoters() + t.passives() + t.detractors() == t.total());
  CXM_FUZZ_CHECK(std::isfinite(t.score()) && t.score() >= -100 && t.score() <= 100);
  CXM_FUZZ_CHECK(std::isfinite(t.standard_error()) && t.standard_error() >= 0);
  for (auto m : {cxm::interval_method::wald, cxm::interval_method::adjusted_wald, cxm::interval_method::score})
    check_interval(t.confidence_interval(0.95, m), -100, 100);
  auto diff = cxm::compare(t, t);
  if (diff) CXM_FUZZ_CHECK(std::isfinite(diff->difference) && diff->p_value >= 0 && diff->p_value <= 1);
  cxm::nps_tally doubled = t;
  const cxm::status st = doubled.merge(t);
  if (!st) {
    CXM_FUZZ_CHECK(st.code() == cxm::errc::out_of_range && doubled == t);
    return;
  }
  for (std::size_t i = 0; i < t.counts().size(); ++i) CXM_FUZZ_CHECK(doubled.counts()[i] == 2 * t.counts()[i]);
  for (std::size_t i = 0; i < t.rejected_counts().size(); ++i)
    CXM_FUZZ_CHECK(doubled.rejected_counts()[i] == twice(t.rejected_counts()[i]));
}

void check_scale(const cxm::scale_tally& t) {
  const std::string json = cxm::to_json(t);
  auto d = cxm::scale_tally_from_json(json);
  CXM_FUZZ_CHECK_MSG(d.ok(), d.detail() + "\n" + json);
  CXM_FUZZ_CHECK(*d == t && cxm::to_json(*d) == json);
  const cxm::scale& s = t.answer_scale();
  if (!t.empty()) {
    CXM_FUZZ_CHECK(std::isfinite(t.mean()) && t.mean() >= s.min && t.mean() <= s.max);
    check_interval(t.top_box_interval(0.95), 0, 1);
    auto mean = t.mean_interval(0.95);
    if (mean) CXM_FUZZ_CHECK(std::isfinite(mean->lower) && mean->lower <= mean->upper);
  }
  cxm::scale_tally doubled = t;
  const cxm::status st = doubled.merge(t);
  if (!st) {
    CXM_FUZZ_CHECK(st.code() == cxm::errc::out_of_range && doubled == t);
    return;
  }
  for (std::size_t i = 0; i < t.counts().size(); ++i) CXM_FUZZ_CHECK(doubled.counts()[i] == 2 * t.counts()[i]);
}

}  // namespace

int tally_json(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = as_text(data, size);
  if (auto t = cxm::nps_tally_from_json(input)) check_nps(*t);
  else CXM_FUZZ_CHECK(!t.detail().empty());
  if (auto t = cxm::scale_tally_from_json(input)) check_scale(*t);
  else CXM_FUZZ_CHECK(!t.detail().empty());
  return 0;
}

}  // namespace cxm_fuzz
