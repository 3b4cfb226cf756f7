// SPDX-License-Identifier: MIT
/// @file export.hpp  The export module: aggregates as OTLP metrics for the engines fleets run.
#ifndef CXM_EXPORT_HPP
#define CXM_EXPORT_HPP

#include "cxm/export/otlp.hpp"

#endif  // CXM_EXPORT_HPP
