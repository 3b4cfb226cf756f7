// SPDX-License-Identifier: MIT
// Fixed definitions the targets score against, and the round-trip and merge checks that
// several targets apply to the aggregates they produce.
#ifndef CXM_FUZZ_FIXTURES_HPP
#define CXM_FUZZ_FIXTURES_HPP

#include "cxm/journey/definition.hpp"
#include "cxm/journey/report.hpp"
#include "cxm/journey/tracker.hpp"
#include "cxm/survey/definition.hpp"
#include "cxm/survey/tally.hpp"

namespace cxm_fuzz {

/// A journey with small caps (4 open, 4 remembered closed journeys, a 1 s reorder window) so
/// that short inputs reach eviction, reordering and timeouts.
const cxm::journey_definition& test_journey();
/// Tracker options with small sketches (64 buckets: cheap to copy and encode, and quick to
/// force a downscale) and 4 remembered closed journeys.
cxm::journey_tracker_options test_tracker_options();
/// Survey definitions with every question type, display conditions and two locales.
const cxm::survey& test_survey();
const cxm::survey& example_survey();

/// decode(encode(r)) == r and encode is canonical; merging a decoded copy with the empty
/// report of the same definition changes nothing.
void check_report(const cxm::journey_report& report);
/// The same laws for a survey tally, plus merge(t, t) doubling every count (saturating).
void check_survey_tally(const cxm::survey_tally& tally);

}  // namespace cxm_fuzz

#endif  // CXM_FUZZ_FIXTURES_HPP
