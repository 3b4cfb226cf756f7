// SPDX-License-Identifier: MIT
// The laws every decoded duration sketch must satisfy, whichever codec produced it.
#ifndef CXM_FUZZ_SKETCH_COMMON_HPP
#define CXM_FUZZ_SKETCH_COMMON_HPP

#include "cxm/sketch/duration_sketch.hpp"

namespace cxm_fuzz {

/// Both encodings round-trip and are canonical; quantiles are finite, ordered and within
/// [min, max]; merging with a copy doubles every count or refuses without a change.
void check_sketch(const cxm::duration_sketch& s);

}  // namespace cxm_fuzz

#endif  // CXM_FUZZ_SKETCH_COMMON_HPP
