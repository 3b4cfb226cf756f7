// SPDX-License-Identifier: MIT
// Journey definitions on hostile bytes: decode returns a definition that validates, or an error
// naming a path; the encoding of a decoded definition decodes to the same encoding; a tracker
// can be made from it and reports on nothing.
#include <string>

#include "cxm/journey/definition.hpp"
#include "cxm/journey/tracker.hpp"
#include "fixtures.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {

int journey_definition(const std::uint8_t* data, std::size_t size) {
  auto def = cxm::journey_definition_from_json(as_text(data, size));
  if (!def) {
    CXM_FUZZ_CHECK(def.code() != cxm::errc::ok && !def.detail().empty());
    return 0;
  }
  CXM_FUZZ_CHECK_MSG(def->validate().ok(), def->validate().detail());
  const std::string json = cxm::to_json(*def);
  auto again = cxm::journey_definition_from_json(json);
  CXM_FUZZ_CHECK_MSG(again.ok(), again.detail() + "\n" + json);
  CXM_FUZZ_CHECK(cxm::to_json(*again) == json);
  for (std::size_t i = 0; i < def->steps.size(); ++i) {
    CXM_FUZZ_CHECK(def->step_index(def->steps[i].name) == static_cast<int>(i));
    CXM_FUZZ_CHECK(def->steps[i].stage < def->stages.size());
    CXM_FUZZ_CHECK(def->steps[i].touchpoint < def->touchpoints.size());
  }
  cxm::journey_definition small = *def;
  small.max_open_journeys = 2;  // the tracker allocates for the cap
  auto tracker = cxm::journey_tracker::make(small, {});
  CXM_FUZZ_CHECK_MSG(tracker.ok(), tracker.detail());
  if (!def->steps.empty()) {
    cxm::journey_event e;
    e.journey_id = "j";
    e.step = def->steps[0].name;
    e.timestamp_ms = 1000;
    (void)tracker->record(e);
    e.type = cxm::journey_event_type::step_end;
    e.timestamp_ms = 5000;
    (void)tracker->record(e);
  }
  tracker->finish();
  check_report(tracker->report());
  return 0;
}

}  // namespace cxm_fuzz
