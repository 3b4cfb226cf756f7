// SPDX-License-Identifier: MIT
/// @file cxm.hpp  Umbrella header: the whole cxm C++ API.
#ifndef CXM_CXM_HPP
#define CXM_CXM_HPP

#include "cxm/config.hpp"
#include "cxm/interval.hpp"
#include "cxm/journey.hpp"
#include "cxm/journey_event.hpp"
#include "cxm/journey_event_reader.hpp"
#include "cxm/journey_report.hpp"
#include "cxm/journey_tracker.hpp"
#include "cxm/json.hpp"
#include "cxm/nps_tally.hpp"
#include "cxm/otlp.hpp"
#include "cxm/response.hpp"
#include "cxm/response_reader.hpp"
#include "cxm/scale_tally.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/sketch/duration_sketch_codec.hpp"
#include "cxm/status.hpp"
#include "cxm/step_timer.hpp"
#include "cxm/survey.hpp"
#include "cxm/survey_response.hpp"
#include "cxm/survey_scorer.hpp"
#include "cxm/survey_tally.hpp"
#include "cxm/version.hpp"

#endif  // CXM_CXM_HPP
