// SPDX-License-Identifier: MIT
// The binary form of a duration sketch on hostile bytes (laws in sketch_common.hpp), and the
// sketch as a recorder: the same bytes read as doubles are recorded, merged and re-encoded.
#include <cstring>

#include "cxm/sketch/duration_sketch_codec.hpp"
#include "fuzz_support.hpp"
#include "sketch_common.hpp"

namespace cxm_fuzz {

int sketch_binary(const std::uint8_t* data, std::size_t size) {
  auto s = cxm::decode_duration_sketch(as_text(data, size));
  if (s) check_sketch(*s);
  else CXM_FUZZ_CHECK(s.code() != cxm::errc::ok && !s.detail().empty());

  // Record the input's bytes as doubles (NaN, infinities, negatives, subnormals and huge
  // values included) into a small sketch, so the budget forces downscaling.
  cxm::sketch_options options;
  options.max_buckets = 8;
  options.scale = size == 0 ? 6 : data[0] % 31 - 10;
  auto made = cxm::duration_sketch::make(options);
  if (!made) return 0;
  cxm::duration_sketch recorded = std::move(made).value();
  std::uint64_t accepted = 0;
  for (std::size_t i = 1; i + 8 <= size; i += 8) {
    double v;
    std::memcpy(&v, data + i, sizeof v);
    if (recorded.record(v, 1 + data[i] % 3).ok()) accepted += 1 + data[i] % 3;
  }
  CXM_FUZZ_CHECK(recorded.count() == accepted);
  check_sketch(recorded);
  return 0;
}

}  // namespace cxm_fuzz
