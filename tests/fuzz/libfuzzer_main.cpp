// SPDX-License-Identifier: MIT
// The libFuzzer entry point of one target, chosen at compile time (CXM_FUZZ_TARGET).
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return cxm_fuzz::CXM_FUZZ_TARGET(data, size);
}
