// SPDX-License-Identifier: MIT
// The JSON form of a duration sketch on hostile bytes (laws in sketch_common.hpp).
#include "cxm/sketch/duration_sketch_codec.hpp"
#include "fuzz_support.hpp"
#include "sketch_common.hpp"

namespace cxm_fuzz {

int sketch_json(const std::uint8_t* data, std::size_t size) {
  auto s = cxm::duration_sketch_from_json(as_text(data, size));
  if (!s) {
    CXM_FUZZ_CHECK(s.code() != cxm::errc::ok && !s.detail().empty());
    return 0;
  }
  check_sketch(*s);
  return 0;
}

}  // namespace cxm_fuzz
