// SPDX-License-Identifier: MIT
/// @file sketch.hpp  The sketch module: durations in a mergeable base-2 exponential histogram
/// (the OpenTelemetry / Prometheus native layout), its mapping, store and codecs.
#ifndef CXM_SKETCH_HPP
#define CXM_SKETCH_HPP

#include "cxm/sketch/dense_store.hpp"
#include "cxm/sketch/duration_sketch.hpp"
#include "cxm/sketch/duration_sketch_codec.hpp"
#include "cxm/sketch/log_mapping.hpp"

#endif  // CXM_SKETCH_HPP
