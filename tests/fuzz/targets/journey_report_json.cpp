// SPDX-License-Identifier: MIT
// Journey reports on hostile bytes: decode gives a report or an error; a decoded report
// round-trips canonically, merges with the empty report as identity and with itself, and
// answers every query (funnel, consistency, durations, NPS by duration) without failing.
#include <cmath>

#include "cxm/journey/report.hpp"
#include "fixtures.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {

int journey_report_json(const std::uint8_t* data, std::size_t size) {
  auto r = cxm::journey_report_from_json(as_text(data, size));
  if (!r) {
    CXM_FUZZ_CHECK(r.code() != cxm::errc::ok && !r.detail().empty());
    return 0;
  }
  check_report(*r);
  const cxm::journey_segment_stats total = r->total();
  (void)total;
  for (const cxm::funnel_row& f : r->funnel()) {
    CXM_FUZZ_CHECK(f.step < r->steps.size());
    CXM_FUZZ_CHECK(std::isfinite(f.conversion_to_next) && f.conversion_to_next >= 0);
  }
  for (const auto& c : r->quote_consistency()) CXM_FUZZ_CHECK(std::isfinite(c.spread));
  (void)r->message_consistency();
  (void)r->touchpoints_by_kind();
  for (const auto& step : r->steps) {
    const cxm::duration_sketch d = r->step_durations(step.name);
    if (!d.empty()) {
      auto p90 = d.quantile(0.9);
      CXM_FUZZ_CHECK(p90.ok());
      const auto split = r->nps_by_duration(step.name, {0.5, 0.9});
      if (split) {
        CXM_FUZZ_CHECK(split->groups.size() == 3 && split->thresholds_ms.size() == 2);
        CXM_FUZZ_CHECK(split->thresholds_ms[0] <= split->thresholds_ms[1]);
      }
    }
  }
  cxm::journey_report doubled = *r;
  if (doubled.merge(*r).ok()) check_report(doubled);
  else CXM_FUZZ_CHECK(doubled == *r);
  return 0;
}

}  // namespace cxm_fuzz
