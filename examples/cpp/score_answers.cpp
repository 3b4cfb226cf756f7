// SPDX-License-Identifier: MIT
// The smallest cxm app: score NPS and CES answers on the device and print the statistics.
// (The README's C++ snippet is this file.)
#include <cxm/cxm.hpp>

#include <cstdio>

int main() {
  cxm::nps_tally nps;
  for (int answer : {10, 9, 9, 8, 7, 6, 10, 3, 9, 10}) {
    if (!nps.add(answer)) return 1;
  }
  if (nps.add(11).code() != cxm::errc::out_of_range) return 1;  // rejected and counted

  auto ci = nps.confidence_interval(0.95);  // adjusted Wald by default
  if (!ci) {
    std::printf("no interval: %s\n", ci.detail().c_str());
    return 1;
  }
  std::printf("NPS %+.1f (n=%llu), 95%% %s interval [%.1f, %.1f]%s\n", nps.score(),
              static_cast<unsigned long long>(ci->n), cxm::name(ci->method), ci->lower, ci->upper,
              ci->small_sample ? " (small sample)" : "");

  auto ces = cxm::scale_tally::make(cxm::scale::ces7()).value();
  for (int answer : {7, 6, 6, 5, 2, 7, 4}) (void)ces.add(answer);
  auto mean = ces.mean_interval(0.95);
  auto easy = ces.top_box_interval(0.95);
  if (!mean || !easy) return 1;
  std::printf("CES mean %.2f [%.2f, %.2f], easy %.0f%% [%.0f%%, %.0f%%]\n", ces.mean(), mean->lower,
              mean->upper, 100 * ces.top_box_share(), 100 * easy->lower, 100 * easy->upper);

  std::printf("%s\n", cxm::to_json(nps).c_str());  // a mergeable aggregate for the backend
  return 0;
}
