// SPDX-License-Identifier: MIT
// Proves a downstream build compiles, links and runs against cxm::cxm.
#include <cxm/cxm.hpp>

#include <cstdio>

int main() {
  cxm::nps_tally t;
  for (int a : {10, 9, 3}) (void)t.add(a);
  auto back = cxm::nps_tally_from_json(cxm::to_json(t));
  if (!back || back.value() != t) return 1;
  std::printf("consumer OK: cxm %s, NPS %.1f\n", CXM_VERSION_STRING, t.score());
  return t.score() > 33.0 && t.score() < 34.0 ? 0 : 1;
}
