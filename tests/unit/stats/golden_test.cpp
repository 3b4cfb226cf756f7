// SPDX-License-Identifier: MIT
// Golden statistics: tests/data/golden.json holds values computed independently of this code
// (tests/data/golden/compute_golden.py, mpmath at 40 digits, each case names its source).
// The wasm Node tests read the same file.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "io/strict_json.hpp"
#include "test_support.hpp"

namespace json = boost::json;

namespace {

// Values are in NPS points or on the answer scale: 1e-9 is far below any reported precision
// and far above double rounding (a few ulps of 100).
constexpr double tolerance = 1e-9;

json::value golden() {
  cxm::detail::json_limits limits;
  auto v = cxm::detail::parse_strict(cxm_test::test_data("golden.json"), limits);
  EXPECT_TRUE(v.ok()) << v.detail();
  return v.ok() ? v.value() : json::value{};
}

cxm::nps_tally tally_of(const json::value& counts) {
  cxm::nps_tally::counts_type c{};
  const json::array& a = counts.as_array();
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = a.at(i).to_number<std::uint64_t>();
  return cxm::nps_tally(c);
}

cxm::interval_method method_of(json::string_view m) {
  if (m == "wald") return cxm::interval_method::wald;
  if (m == "adjusted_wald") return cxm::interval_method::adjusted_wald;
  return cxm::interval_method::score;
}

}  // namespace

TEST(Golden, NpsScoresAndIntervals) {
  const json::value g = golden();
  std::size_t checked = 0;
  for (const json::value& c : g.at("nps").as_array()) {
    const std::string name(c.at("name").as_string());
    const cxm::nps_tally t = tally_of(c.at("counts"));
    EXPECT_EQ(t.promoters(), c.at("promoters").to_number<std::uint64_t>()) << name;
    EXPECT_EQ(t.passives(), c.at("passives").to_number<std::uint64_t>()) << name;
    EXPECT_EQ(t.detractors(), c.at("detractors").to_number<std::uint64_t>()) << name;
    EXPECT_NEAR(t.score(), c.at("score").to_number<double>(), tolerance) << name;
    EXPECT_NEAR(t.standard_error(), c.at("wald_se").to_number<double>(), tolerance) << name;
    EXPECT_NEAR(t.adjusted_score(), c.at("adjusted_score").to_number<double>(), tolerance) << name;
    EXPECT_NEAR(t.adjusted_standard_error(), c.at("adjusted_se").to_number<double>(), tolerance) << name;
    for (const json::value& iv : c.at("intervals").as_array()) {
      const auto method = method_of(iv.at("method").as_string());
      const double level = iv.at("level").to_number<double>();
      auto ci = t.confidence_interval(level, method);
      ASSERT_TRUE(ci.ok()) << name << ": " << ci.detail();
      const std::string what = name + " " + cxm::name(method) + " @" + std::to_string(level);
      EXPECT_NEAR(ci->lower, iv.at("lower").to_number<double>(), tolerance) << what;
      EXPECT_NEAR(ci->upper, iv.at("upper").to_number<double>(), tolerance) << what;
      EXPECT_EQ(ci->n, t.total()) << what;
      EXPECT_EQ(ci->level, level) << what;
      EXPECT_EQ(ci->method, method) << what;
      EXPECT_NEAR(ci->point, c.at("score").to_number<double>(), tolerance) << what;
      const char* centre = method == cxm::interval_method::adjusted_wald ? "adjusted_score" : "score";
      EXPECT_NEAR(ci->center, c.at(centre).to_number<double>(), tolerance) << what;
      ++checked;
    }
  }
  EXPECT_GE(checked, 90u);
}

TEST(Golden, NpsDifferences) {
  const json::value g = golden();
  std::size_t checked = 0;
  for (const json::value& c : g.at("nps_difference").as_array()) {
    const std::string name(c.at("name").as_string());
    const auto method = method_of(c.at("method").as_string());
    const double level = c.at("level").to_number<double>();
    auto d = cxm::compare(tally_of(c.at("a")), tally_of(c.at("b")), level, method);
    ASSERT_TRUE(d.ok()) << name << ": " << d.detail();
    EXPECT_NEAR(d->difference, c.at("difference").to_number<double>(), tolerance) << name;
    EXPECT_NEAR(d->standard_error, c.at("se").to_number<double>(), tolerance) << name;
    EXPECT_NEAR(d->lower, c.at("lower").to_number<double>(), tolerance) << name;
    EXPECT_NEAR(d->upper, c.at("upper").to_number<double>(), tolerance) << name;
    EXPECT_NEAR(d->p_value, c.at("p_value").to_number<double>(), 1e-12) << name;
    ++checked;
  }
  EXPECT_GE(checked, 16u);
}

TEST(Golden, ScaleTallies) {
  const json::value g = golden();
  std::size_t checked = 0;
  for (const json::value& c : g.at("scale").as_array()) {
    const std::string name(c.at("name").as_string());
    const json::object& so = c.at("scale").as_object();
    cxm::scale s{static_cast<int>(so.at("min").as_int64()), static_cast<int>(so.at("max").as_int64()),
                 static_cast<int>(so.at("top_box_min").as_int64())};
    auto made = cxm::scale_tally::make(s);
    ASSERT_TRUE(made.ok()) << name;
    cxm::scale_tally t = made.value();
    const json::array& counts = c.at("counts").as_array();
    for (std::size_t i = 0; i < counts.size(); ++i)
      for (std::int64_t k = 0; k < counts[i].as_int64(); ++k)
        ASSERT_TRUE(t.add(s.min + static_cast<int>(i)).ok());
    EXPECT_EQ(t.total(), c.at("n").to_number<std::uint64_t>()) << name;
    EXPECT_NEAR(t.mean(), c.at("mean").to_number<double>(), tolerance) << name;
    EXPECT_NEAR(t.top_box_share(), c.at("top_box").to_number<double>(), tolerance) << name;
    if (c.at("sd").is_null()) {
      EXPECT_EQ(t.mean_interval().code(), cxm::errc::empty) << name;
    } else {
      EXPECT_NEAR(t.standard_deviation(), c.at("sd").to_number<double>(), tolerance) << name;
    }
    for (const json::value& iv : c.at("mean_intervals").as_array()) {
      // This section's intervals are Student's (compute_golden.py); Hall's are in scale_mean.
      auto ci = t.mean_interval(iv.at("level").to_number<double>(), cxm::interval_method::student_t);
      ASSERT_TRUE(ci.ok()) << name;
      EXPECT_NEAR(ci->lower, iv.at("lower").to_number<double>(), tolerance) << name;
      EXPECT_NEAR(ci->upper, iv.at("upper").to_number<double>(), tolerance) << name;
      ++checked;
    }
    for (const json::value& iv : c.at("top_box_intervals").as_array()) {
      auto ci = t.top_box_interval(iv.at("level").to_number<double>());
      ASSERT_TRUE(ci.ok()) << name;
      EXPECT_NEAR(ci->lower, iv.at("lower").to_number<double>(), tolerance) << name;
      EXPECT_NEAR(ci->upper, iv.at("upper").to_number<double>(), tolerance) << name;
      ++checked;
    }
  }
  EXPECT_GE(checked, 20u);
}

// Student t and Hall intervals of the mean from mean_interval_golden.py (standard library only:
// t quantile from its own incomplete beta, Hall's limits by bisection on g).
TEST(Golden, ScaleMeanIntervals) {
  const json::value g = golden();
  std::size_t checked = 0;
  for (const json::value& c : g.at("scale_mean").as_array()) {
    const std::string name(c.at("name").as_string());
    const json::object& so = c.at("scale").as_object();
    const int min = static_cast<int>(so.at("min").as_int64()), max = static_cast<int>(so.at("max").as_int64());
    auto made = cxm::scale_tally::make(cxm::scale{min, max, max});
    ASSERT_TRUE(made.ok()) << name;
    cxm::scale_tally t = made.value();
    cxm::scale_tally::counts_type counts{};
    const json::array& ca = c.at("counts").as_array();
    for (std::size_t i = 0; i < ca.size(); ++i) counts[i] = ca[i].to_number<std::uint64_t>();
    ASSERT_TRUE(t.set_counts(counts).ok()) << name;
    EXPECT_NEAR(t.mean(), c.at("mean").to_number<double>(), tolerance) << name;
    EXPECT_NEAR(t.standard_deviation(), c.at("sd").to_number<double>(), tolerance) << name;
    for (const json::value& iv : c.at("intervals").as_array()) {
      const std::string method(iv.at("method").as_string());
      const auto m = method == "hall_t" ? cxm::interval_method::hall_t : cxm::interval_method::student_t;
      ASSERT_EQ(method, cxm::name(m)) << name;
      const double level = iv.at("level").to_number<double>();
      auto ci = t.mean_interval(level, m);
      ASSERT_TRUE(ci.ok()) << name;
      EXPECT_EQ(ci->method, m);
      EXPECT_NEAR(ci->lower, iv.at("lower").to_number<double>(), tolerance) << name << " " << method << " " << level;
      EXPECT_NEAR(ci->upper, iv.at("upper").to_number<double>(), tolerance) << name << " " << method << " " << level;
      if (m == cxm::interval_method::hall_t) {
        // The default is Hall's.
        auto d = t.mean_interval(level);
        ASSERT_TRUE(d.ok());
        EXPECT_EQ(d->lower, ci->lower);
        EXPECT_EQ(d->upper, ci->upper);
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 60u);
}
