// SPDX-License-Identifier: MIT
// Only each respondent's latest response: the latest by timestamp, then by id; the same choice
// whatever the order; responses that cannot be placed are kept and counted.
#include "cxm/report/latest.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace {

struct rec {
  std::string id, respondent;
  bool has_ts;
  std::int64_t ts;
};

cxm::response_view view(const rec& r) {
  cxm::response_view v;
  v.id = r.id;
  v.survey_id = "s";
  v.respondent = r.respondent;
  v.has_timestamp = r.has_ts;
  v.timestamp_ms = r.ts;
  return v;
}

std::vector<std::string> kept(const std::vector<rec>& in, cxm::latest_per_respondent& f) {
  for (const auto& r : in) f.observe(view(r));
  std::vector<std::string> out;
  for (const auto& r : in)
    if (f.keep(view(r))) out.push_back(r.id);
  std::sort(out.begin(), out.end());
  return out;
}

const std::vector<rec> sample = {
    {"a1", "alice", true, 1000}, {"a2", "alice", true, 3000}, {"a3", "alice", true, 2000},
    {"b1", "bob", true, 5000},   {"b2", "bob", true, 5000},     // same instant: the greater id
    {"c1", "", true, 1},         {"c2", "carol", false, 0},     // cannot be placed: kept
    {"d1", "dave", true, -86400000},
};

}  // namespace

TEST(LatestPerRespondent, KeepsTheLatestByTimeThenById) {
  cxm::latest_per_respondent f;
  EXPECT_EQ(kept(sample, f), (std::vector<std::string>{"a2", "b2", "c1", "c2", "d1"}));
  EXPECT_EQ(f.respondents(), 3u);  // alice, bob, dave
  EXPECT_EQ(f.unplaced(), 2u);
}

TEST(LatestPerRespondent, TheChoiceDoesNotDependOnTheOrder) {
  std::mt19937 rng(20261203);
  std::vector<rec> shuffled = sample;
  for (int round = 0; round < 20; ++round) {
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    cxm::latest_per_respondent f;
    EXPECT_EQ(kept(shuffled, f), (std::vector<std::string>{"a2", "b2", "c1", "c2", "d1"}));
  }
}

TEST(LatestPerRespondent, ARespondentNameIsNotConfusedWithAnother) {
  // Keys are the respondent's bytes whole: "al" + something never equals "alice".
  cxm::latest_per_respondent f;
  const std::vector<rec> in = {{"x1", "al", true, 10}, {"x2", "alice", true, 5}, {"x3", std::string("al\0ice", 6), true, 1}};
  EXPECT_EQ(kept(in, f), (std::vector<std::string>{"x1", "x2", "x3"}));
}

TEST(LatestPerRespondent, AResponseNotObservedIsKept) {
  cxm::latest_per_respondent f;
  EXPECT_TRUE(f.keep(view({"z", "zoe", true, 1})));
}

TEST(LatestPerRespondent, PerPeriodKeepsTheLatestOfEachPeriod) {
  // 2026-10-05 is a Monday; days in UTC+02:00: 23:30 UTC on the 5th is the 6th there.
  auto zone = cxm::time_zone::parse_fixed("+02:00");
  ASSERT_TRUE(zone);
  const std::int64_t day5 = 1791158400000;  // 2026-10-05T00:00:00Z
  const std::int64_t hour = 3600000;
  const std::vector<rec> in = {
      {"m1", "ann", true, day5 + 8 * hour},   // 5th, 10:00 local
      {"m2", "ann", true, day5 + 12 * hour},  // 5th, 14:00 local: latest of the 5th
      {"m3", "ann", true, day5 + 22 * hour},  // 6th, 00:00 local
      {"m4", "ann", true, day5 + 23 * hour},  // 6th, 01:00 local: latest of the 6th
  };
  cxm::latest_per_respondent by_day(cxm::period_unit::day, *zone);
  EXPECT_EQ(kept(in, by_day), (std::vector<std::string>{"m2", "m4"}));
  EXPECT_EQ(by_day.respondents(), 2u);
  cxm::latest_per_respondent by_week(cxm::period_unit::week, *zone);
  EXPECT_EQ(kept(in, by_week), (std::vector<std::string>{"m4"}));
}
