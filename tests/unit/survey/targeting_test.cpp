// SPDX-License-Identifier: MIT
// Targeting: the sampling hash against independent golden values, stability, the sample rate
// over 100k ids, nesting of rates, and the two cooldown clocks.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "cxm/survey/definition.hpp"
#include "survey/survey_test_support.hpp"

namespace {

constexpr std::int64_t day_ms = 86400000;

cxm::survey with_targeting(double rate, int cooldown_days, int global_days, const std::string& id = "t") {
  const std::string text = R"({"format":"cxm.survey","version":1,"id":")" + id +
                           R"(","survey_version":1,"default_locale":"en","locales":{"en":{"dir":"ltr"}},)"
                           R"("targeting":{"sample_rate":)" + std::to_string(rate) +
                           R"(,"cooldown_days":)" + std::to_string(cooldown_days) +
                           R"(,"global_cooldown_days":)" + std::to_string(global_days) +
                           R"(},"questions":[{"id":"nps","type":"nps","text":{"en":{"prompt":"?"}}}]})";
  auto s = cxm::survey::parse(text);
  EXPECT_TRUE(s.ok()) << s.detail();
  return std::move(s).value();
}

}  // namespace

TEST(SurveyTargeting, SamplingHashMatchesTheIndependentGoldenValues) {
  const auto doc = survey_test::read_json("surveys/sampling.json");
  const auto& points = doc.at("points").as_array();
  ASSERT_GE(points.size(), 6u);
  for (const auto& p : points) {
    const std::string survey_id(p.at("survey_id").as_string());
    const std::string respondent(p.at("respondent_id").as_string());
    const double point = cxm::sampling_point(survey_id, respondent);
    const auto bits = p.at("bits").to_number<std::uint64_t>();
    EXPECT_EQ(point, static_cast<double>(bits) * 0x1.0p-53) << survey_id << " / " << respondent;
    EXPECT_GE(point, 0.0);
    EXPECT_LT(point, 1.0);
  }
}

TEST(SurveyTargeting, DecisionIsStableAndDependsOnTheSurvey) {
  const cxm::survey a = with_targeting(0.5, 0, 0, "survey-a");
  const cxm::survey b = with_targeting(0.5, 0, 0, "survey-b");
  int differ = 0;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = "respondent-" + std::to_string(i);
    const auto first = a.sample(id);
    EXPECT_EQ(first.included, a.sample(id).included);
    EXPECT_DOUBLE_EQ(first.probability, 0.5);
    differ += first.included != b.sample(id).included;
  }
  // Independent decisions per survey: about half differ.
  EXPECT_GT(differ, 400);
  EXPECT_LT(differ, 600);
}

TEST(SurveyTargeting, RateIsMetWithinToleranceOver100kIds) {
  for (double rate : {0.01, 0.1, 0.25, 0.5, 0.9}) {
    const cxm::survey s = with_targeting(rate, 0, 0, "after-onboarding");
    int included = 0;
    for (int i = 0; i < 100000; ++i) included += s.sample("user-" + std::to_string(i)).included;
    // Binomial: mean n·p, sd sqrt(n·p·(1−p)); allow 5 standard deviations.
    const double n = 100000, mean = n * rate, sd = std::sqrt(n * rate * (1 - rate));
    EXPECT_NEAR(included, mean, 5 * sd) << "rate " << rate;
  }
}

TEST(SurveyTargeting, RatesNestAndTheEndsAreExact) {
  const cxm::survey low = with_targeting(0.1, 0, 0), high = with_targeting(0.5, 0, 0);
  const cxm::survey none = with_targeting(0, 0, 0), all = with_targeting(1, 0, 0);
  for (int i = 0; i < 5000; ++i) {
    const std::string id = std::to_string(i * 7919);
    if (low.sample(id).included) {
      EXPECT_TRUE(high.sample(id).included) << id;
    }
    EXPECT_FALSE(none.sample(id).included);
    EXPECT_TRUE(all.sample(id).included);
  }
  EXPECT_DOUBLE_EQ(none.sample("x").probability, 0.0);
  EXPECT_DOUBLE_EQ(all.sample("x").probability, 1.0);
}

TEST(SurveyTargeting, CooldownClocks) {
  const cxm::survey s = with_targeting(1, 30, 7);
  const std::int64_t now = 1'790'000'000'000;  // 2026-09
  using r = cxm::eligibility_reason;
  struct row {
    std::int64_t last, last_any;
    r expected;
  };
  const row rows[] = {
      {-1, -1, r::ok},                                   // never shown
      {now - 30 * day_ms, -1, r::ok},                    // exactly 30 days ago: over
      {now - 30 * day_ms + 1, -1, r::cooldown},          // 1 ms short of 30 days
      {now - 1, -1, r::cooldown},
      {-1, now - 7 * day_ms, r::ok},
      {-1, now - 7 * day_ms + 1, r::global_cooldown},
      {now - 40 * day_ms, now - day_ms, r::global_cooldown},
      {now - day_ms, now - day_ms, r::cooldown},         // this survey's cooldown is reported first
      {now + 1000, -1, r::cooldown},                     // clock set back: wait rather than show twice
      {-1, now + 1000, r::global_cooldown},
      {-5, -5, r::ok},                                   // any negative time means "never"
  };
  for (const row& x : rows) {
    const cxm::eligibility e = s.eligible("anyone", now, x.last, x.last_any);
    EXPECT_EQ(e.reason, x.expected) << x.last << " " << x.last_any;
    EXPECT_EQ(e.eligible, x.expected == r::ok);
  }
}

TEST(SurveyTargeting, SampledOutComesFirstAndZeroCooldownsNeverBlock) {
  const cxm::survey none = with_targeting(0, 30, 7);
  EXPECT_EQ(none.eligible("a", 1000, -1, -1).reason, cxm::eligibility_reason::sampled_out);
  EXPECT_EQ(none.eligible("a", 1000, 999, 999).reason, cxm::eligibility_reason::sampled_out);
  const cxm::survey free = with_targeting(1, 0, 0);
  EXPECT_TRUE(free.eligible("a", 1000, 1000, 1000).eligible);
}

TEST(SurveyTargeting, ExtremeTimesDoNotOverflow) {
  const cxm::survey s = with_targeting(1, 3650, 3650);
  const std::int64_t max = INT64_MAX, min = INT64_MIN;
  EXPECT_EQ(s.eligible("a", max, 0, -1).reason, cxm::eligibility_reason::ok);
  EXPECT_EQ(s.eligible("a", max, max, -1).reason, cxm::eligibility_reason::cooldown);
  EXPECT_EQ(s.eligible("a", min, 0, -1).reason, cxm::eligibility_reason::cooldown);
  EXPECT_EQ(s.eligible("a", 0, min, min).reason, cxm::eligibility_reason::ok);
}
