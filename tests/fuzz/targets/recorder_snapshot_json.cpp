// SPDX-License-Identifier: MIT
// Recorder snapshots on hostile bytes (what an outbox replays and a collector receives): decode
// gives a snapshot or an error naming the path; a decoded snapshot re-encodes canonically and
// decodes equal; merging it with itself doubles it or refuses and leaves it unchanged.
#include <string>

#include "cxm/device/recorder.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {

int recorder_snapshot_json(const std::uint8_t* data, std::size_t size) {
  auto s = cxm::recorder_snapshot_from_json(as_text(data, size));
  if (!s) {
    CXM_FUZZ_CHECK(!s.detail().empty());
    return 0;
  }
  CXM_FUZZ_CHECK(s->metrics.size() == s->values.size());
  const std::string json = cxm::to_json(*s);
  auto again = cxm::recorder_snapshot_from_json(json);
  CXM_FUZZ_CHECK_MSG(again.ok(), again.detail() + "\n" + json);
  CXM_FUZZ_CHECK(cxm::to_json(*again) == json);
  cxm::recorder_snapshot doubled = *s;
  if (!doubled.merge(*s)) {
    CXM_FUZZ_CHECK(cxm::to_json(doubled) == json);
    return 0;
  }
  CXM_FUZZ_CHECK(doubled.empty() == s->empty());
  auto back = cxm::recorder_snapshot_from_json(cxm::to_json(doubled));
  CXM_FUZZ_CHECK_MSG(back.ok(), back.detail());
  return 0;
}

}  // namespace cxm_fuzz
