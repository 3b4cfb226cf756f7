// SPDX-License-Identifier: MIT
// What the journey tracker's tests share: the test definition, a tracker for it, an event.
#ifndef CXM_TESTS_UNIT_JOURNEY_TRACKER_HELPERS_HPP
#define CXM_TESTS_UNIT_JOURNEY_TRACKER_HELPERS_HPP

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>
#include <utility>

#include "cxm/journey/tracker.hpp"
#include "test_support.hpp"

namespace cxm_test {

inline cxm::journey_definition test_definition() {
  auto d = cxm::journey_definition_from_json(test_data("journeys/definition.json"));
  EXPECT_TRUE(d.ok()) << d.detail();
  return d.value();
}

inline cxm::journey_tracker tracker_for(cxm::journey_definition d) {
  auto t = cxm::journey_tracker::make(std::move(d));
  EXPECT_TRUE(t.ok()) << t.detail();
  return std::move(t).value();
}

inline cxm::journey_event ev(cxm::journey_event_type type, std::string_view id, std::int64_t ts,
                             std::string_view step = {}, std::string_view channel = {}) {
  cxm::journey_event e;
  e.type = type;
  e.journey_id = id;
  e.timestamp_ms = ts;
  e.step = step;
  e.channel = channel;
  return e;
}

}  // namespace cxm_test

#endif  // CXM_TESTS_UNIT_JOURNEY_TRACKER_HELPERS_HPP
