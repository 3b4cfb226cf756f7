// SPDX-License-Identifier: MIT
/// @file cxm.hpp  Umbrella header: the whole cxm C++ API, one module header each.
#ifndef CXM_CXM_HPP
#define CXM_CXM_HPP

#include "cxm/core.hpp"
#include "cxm/device.hpp"
#include "cxm/export.hpp"
#include "cxm/journey.hpp"
#include "cxm/report.hpp"
#include "cxm/sketch.hpp"
#include "cxm/stats.hpp"
#include "cxm/survey.hpp"

#endif  // CXM_CXM_HPP
