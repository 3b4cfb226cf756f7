// SPDX-License-Identifier: MIT
/// @file journey.hpp  The journey module: definitions, events and their JSON Lines reader, the
/// tracker, its mergeable report, and the app-side step timer.
#ifndef CXM_JOURNEY_HPP
#define CXM_JOURNEY_HPP

#include "cxm/journey/definition.hpp"
#include "cxm/journey/event.hpp"
#include "cxm/journey/event_reader.hpp"
#include "cxm/journey/report.hpp"
#include "cxm/journey/step_timer.hpp"
#include "cxm/journey/tracker.hpp"

#endif  // CXM_JOURNEY_HPP
