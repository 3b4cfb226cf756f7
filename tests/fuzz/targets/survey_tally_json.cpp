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
    // A survey tally holds valid responses only: no invalid answers, and skipped() cannot wrap.
    CXM_FUZZ_CHECK(q.answered <= q.shown && q.shown <= t->responses() && q.invalid == 0);
    CXM_FUZZ_CHECK(q.skipped() == q.shown - q.answered);
    for (std::uint64_t p : q.problems) CXM_FUZZ_CHECK(p == 0);
    CXM_FUZZ_CHECK(q.choices.counts().size() == q.choices.choices().size());
    if (cxm::has_choices(q.type)) CXM_FUZZ_CHECK(q.choices.answers() == q.answered);
    for (std::size_t i = 0; i < q.choices.choices().size(); ++i) {
      const double share = q.choices.share(i);
      CXM_FUZZ_CHECK(share >= 0 && share <= 1);  // a share is count / answers, each count at most answers
    }
    if (q.type == cxm::question_type::nps) CXM_FUZZ_CHECK(q.nps.total() == q.answered);
    if (q.type == cxm::question_type::ces || q.type == cxm::question_type::csat)
      CXM_FUZZ_CHECK(q.ratings.total() == q.answered);
  }
  check_survey_tally(*t);
  return 0;
}

}  // namespace cxm_fuzz
