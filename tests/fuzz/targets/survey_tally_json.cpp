// SPDX-License-Identifier: MIT
// Survey tally aggregates on hostile bytes: decode gives a consistent tally or an error; a
// decoded tally round-trips canonically and merges with itself by doubling (fixtures.hpp).
#include "cxm/survey/tally.hpp"
#include "fixtures.hpp"
#include "fuzz_support.hpp"

namespace cxm_fuzz {

int survey_tally_json(const std::uint8_t* data, std::size_t size) {
  auto t = cxm::survey_tally::from_json(as_text(data, size));
  if (!t) {
    CXM_FUZZ_CHECK(t.code() != cxm::errc::ok && !t.detail().empty());
    return 0;
  }
  for (const auto& q : t->questions()) {
    CXM_FUZZ_CHECK(q.answered <= q.shown && q.shown <= t->responses());
    CXM_FUZZ_CHECK(q.choice_counts.size() == q.choices.size());
    (void)q.skipped();
    for (std::size_t i = 0; i < q.choices.size(); ++i) {
      const double share = q.choice_share(i);
      CXM_FUZZ_CHECK(share >= 0 && (q.multiple || share <= 1));
    }
  }
  check_survey_tally(*t);
  return 0;
}

}  // namespace cxm_fuzz
