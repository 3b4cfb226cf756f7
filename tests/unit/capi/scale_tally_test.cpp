// SPDX-License-Identifier: MIT
// CES and CSAT scale tallies through the C ABI. Means, top-box shares and their intervals are
// checked against tests/data/golden.json (compute_golden.py, mpmath, independent of cxm).
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "capi_test_support.hpp"

using namespace capi_test;

namespace {

constexpr double tolerance = 1e-9;

scale_tally make(cxm_scale_id id) {
  cxm_scale_tally* t = nullptr;
  EXPECT_EQ(cxm_scale_tally_create(id, &t), CXM_OK) << detail();
  return scale_tally(t);
}

}  // namespace

TEST(CapiScale, GoldenMeansTopBoxesAndIntervals) {
  const json::value golden = parse(test_data("golden.json"));
  std::size_t checked = 0;
  for (const json::value& c : golden.at("scale").as_array()) {
    const std::string name(c.at("name").as_string());
    const json::value& sc = c.at("scale");
    cxm_scale_tally* raw = nullptr;
    ASSERT_EQ(cxm_scale_tally_create_custom(sc.at("min").to_number<std::int32_t>(), sc.at("max").to_number<std::int32_t>(),
                                            sc.at("top_box_min").to_number<std::int32_t>(), &raw),
              CXM_OK)
        << detail();
    const scale_tally t(raw);
    const json::array& counts = c.at("counts").as_array();
    const auto min = sc.at("min").to_number<std::int32_t>();
    for (std::size_t i = 0; i < counts.size(); ++i)
      for (std::int64_t k = 0; k < counts[i].to_number<std::int64_t>(); ++k)
        ASSERT_EQ(cxm_scale_tally_add(t.get(), static_cast<double>(min + static_cast<std::int32_t>(i))), CXM_OK);
    cxm_scale_counts n{};
    ASSERT_EQ(cxm_scale_tally_counts(t.get(), &n), CXM_OK);
    EXPECT_EQ(n.total, c.at("n").to_number<std::uint64_t>()) << name;
    EXPECT_EQ(n.points, static_cast<std::int32_t>(counts.size()));
    for (std::size_t i = 0; i < counts.size(); ++i) EXPECT_EQ(n.answers[i], counts[i].to_number<std::uint64_t>());
    for (std::size_t i = counts.size(); i < 11; ++i) EXPECT_EQ(n.answers[i], 0u);
    EXPECT_NEAR(static_cast<double>(n.top_box) / static_cast<double>(n.total), c.at("top_box").to_number<double>(),
                tolerance);
    double mean = 0;
    ASSERT_EQ(cxm_scale_tally_mean(t.get(), &mean), CXM_OK);
    EXPECT_NEAR(mean, c.at("mean").to_number<double>(), tolerance) << name;
    for (const json::value& iv : c.at("mean_intervals").as_array()) {
      cxm_interval ci{};
      // This section's intervals are Student's; the default (Hall's) is checked below.
      ASSERT_EQ(cxm_scale_tally_mean_interval_with(t.get(), iv.at("level").to_number<double>(), CXM_INTERVAL_STUDENT_T,
                                                   &ci),
                CXM_OK)
          << detail();
      EXPECT_NEAR(ci.lower, iv.at("lower").to_number<double>(), tolerance) << name;
      EXPECT_NEAR(ci.upper, iv.at("upper").to_number<double>(), tolerance) << name;
      EXPECT_EQ(ci.method, CXM_INTERVAL_STUDENT_T);
      EXPECT_NEAR(ci.point, c.at("mean").to_number<double>(), tolerance);
      ++checked;
    }
    for (const json::value& iv : c.at("top_box_intervals").as_array()) {
      cxm_interval ci{};
      ASSERT_EQ(cxm_scale_tally_top_box_interval(t.get(), iv.at("level").to_number<double>(), &ci), CXM_OK) << detail();
      EXPECT_NEAR(ci.lower, iv.at("lower").to_number<double>(), tolerance) << name;
      EXPECT_NEAR(ci.upper, iv.at("upper").to_number<double>(), tolerance) << name;
      EXPECT_EQ(ci.method, CXM_INTERVAL_WILSON);
      EXPECT_NEAR(ci.point, c.at("top_box").to_number<double>(), tolerance);
      ++checked;
    }
  }
  EXPECT_GE(checked, 12u);
}

// Both mean intervals against mean_interval_golden.py; the plain call gives Hall's.
TEST(CapiScale, GoldenMeanIntervalsByMethod) {
  const json::value golden = parse(test_data("golden.json"));
  std::size_t checked = 0;
  for (const json::value& c : golden.at("scale_mean").as_array()) {
    const std::string name(c.at("name").as_string());
    const json::value& sc = c.at("scale");
    const std::int32_t max = sc.at("max").to_number<std::int32_t>();
    cxm_scale_tally* raw = nullptr;
    ASSERT_EQ(cxm_scale_tally_create_custom(sc.at("min").to_number<std::int32_t>(), max, max, &raw), CXM_OK) << detail();
    const scale_tally t(raw);
    const json::array& counts = c.at("counts").as_array();
    for (std::size_t i = 0; i < counts.size(); ++i)
      for (std::int64_t k = 0; k < counts[i].to_number<std::int64_t>(); ++k)
        ASSERT_EQ(cxm_scale_tally_add(t.get(), sc.at("min").to_number<double>() + static_cast<double>(i)), CXM_OK);
    for (const json::value& iv : c.at("intervals").as_array()) {
      const bool hall = iv.at("method").as_string() == "hall_t";
      const double level = iv.at("level").to_number<double>();
      cxm_interval ci{};
      ASSERT_EQ(cxm_scale_tally_mean_interval_with(t.get(), level, hall ? CXM_INTERVAL_HALL_T : CXM_INTERVAL_STUDENT_T,
                                                   &ci),
                CXM_OK)
          << detail();
      EXPECT_EQ(ci.method, hall ? CXM_INTERVAL_HALL_T : CXM_INTERVAL_STUDENT_T);
      EXPECT_NEAR(ci.lower, iv.at("lower").to_number<double>(), tolerance) << name;
      EXPECT_NEAR(ci.upper, iv.at("upper").to_number<double>(), tolerance) << name;
      if (hall) {
        cxm_interval d{};
        ASSERT_EQ(cxm_scale_tally_mean_interval(t.get(), level, &d), CXM_OK);
        EXPECT_EQ(d.method, CXM_INTERVAL_HALL_T);
        EXPECT_EQ(d.lower, ci.lower);
        EXPECT_EQ(d.upper, ci.upper);
      }
      ++checked;
    }
    // NPS methods are not intervals of a mean.
    cxm_interval ci{};
    EXPECT_EQ(cxm_scale_tally_mean_interval_with(t.get(), 0.95, CXM_INTERVAL_WILSON, &ci), CXM_INVALID_ARGUMENT);
  }
  EXPECT_GE(checked, 60u);
}

TEST(CapiScale, NamedScalesAreTheCustomaryOnes) {
  struct row {
    cxm_scale_id id;
    std::int32_t min, max, top_box_min;
  };
  // CES 1-7 easy 5-7, legacy CES 1-5 easy 4-5, CSAT 1-5 satisfied 4-5.
  for (const row& r : {row{CXM_SCALE_CES7, 1, 7, 5}, row{CXM_SCALE_CES5, 1, 5, 4}, row{CXM_SCALE_CSAT5, 1, 5, 4}}) {
    const scale_tally t = make(r.id);
    cxm_scale_counts n{};
    ASSERT_EQ(cxm_scale_tally_counts(t.get(), &n), CXM_OK);
    EXPECT_EQ(n.min, r.min);
    EXPECT_EQ(n.max, r.max);
    EXPECT_EQ(n.top_box_min, r.top_box_min);
    EXPECT_EQ(n.points, r.max - r.min + 1);
  }
  cxm_scale_tally* t = nullptr;
  EXPECT_EQ(cxm_scale_tally_create(static_cast<cxm_scale_id>(3), &t), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(t, nullptr);
  EXPECT_NE(detail().find("unknown scale id 3"), std::string::npos) << detail();
  // A top box outside the scale; twelve points.
  EXPECT_EQ(cxm_scale_tally_create_custom(1, 5, 6, &t), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(cxm_scale_tally_create_custom(0, 11, 9, &t), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(t, nullptr);
}

TEST(CapiScale, AddRejectsWhatIsNotOnTheScale) {
  const scale_tally t = make(CXM_SCALE_CES7);
  EXPECT_EQ(cxm_scale_tally_add(t.get(), 5), CXM_OK);
  EXPECT_EQ(cxm_scale_tally_add(t.get(), 0), CXM_OUT_OF_RANGE);
  EXPECT_EQ(cxm_scale_tally_add(t.get(), 8), CXM_OUT_OF_RANGE);
  EXPECT_EQ(cxm_scale_tally_add(t.get(), 2.5), CXM_NOT_INTEGER);
  EXPECT_EQ(cxm_scale_tally_add(t.get(), -std::numeric_limits<double>::infinity()), CXM_NOT_FINITE);
  cxm_scale_counts n{};
  ASSERT_EQ(cxm_scale_tally_counts(t.get(), &n), CXM_OK);
  EXPECT_EQ(n.total, 1u);
  EXPECT_EQ(n.top_box, 1u);
  EXPECT_EQ(n.rejected, 4u);
  // One answer has a mean and a top-box interval but no mean interval (no variance).
  cxm_interval ci{};
  EXPECT_EQ(cxm_scale_tally_mean_interval(t.get(), 0.95, &ci), CXM_EMPTY);
  EXPECT_EQ(cxm_scale_tally_top_box_interval(t.get(), 0.95, &ci), CXM_OK);
  EXPECT_EQ(ci.small_sample, 1);
  EXPECT_EQ(cxm_scale_tally_top_box_interval(t.get(), 1.0, &ci), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(cxm_scale_tally_mean_interval(t.get(), 0.0, &ci), CXM_INVALID_ARGUMENT);
  const scale_tally empty = make(CXM_SCALE_CSAT5);
  double mean = 1;
  EXPECT_EQ(cxm_scale_tally_mean(empty.get(), &mean), CXM_EMPTY);
  EXPECT_EQ(mean, 0.0);
  EXPECT_EQ(cxm_scale_tally_top_box_interval(empty.get(), 0.95, &ci), CXM_EMPTY);
}

TEST(CapiScale, MergeNeedsTheSameScale) {
  const scale_tally a = make(CXM_SCALE_CES7), b = make(CXM_SCALE_CES7), c = make(CXM_SCALE_CES5);
  for (double x : {7.0, 6.0, 2.0}) ASSERT_EQ(cxm_scale_tally_add(a.get(), x), CXM_OK);
  for (double x : {1.0, 4.0}) ASSERT_EQ(cxm_scale_tally_add(b.get(), x), CXM_OK);
  ASSERT_EQ(cxm_scale_tally_merge(a.get(), b.get()), CXM_OK);
  double mean = 0;
  ASSERT_EQ(cxm_scale_tally_mean(a.get(), &mean), CXM_OK);
  EXPECT_DOUBLE_EQ(mean, 4.0);  // (7 + 6 + 2 + 1 + 4) / 5
  EXPECT_EQ(cxm_scale_tally_merge(a.get(), c.get()), CXM_INCOMPATIBLE);
  EXPECT_NE(detail(), "");
  ASSERT_EQ(cxm_scale_tally_merge(a.get(), a.get()), CXM_OK);  // doubles
  cxm_scale_counts n{};
  ASSERT_EQ(cxm_scale_tally_counts(a.get(), &n), CXM_OK);
  EXPECT_EQ(n.total, 10u);
  EXPECT_EQ(n.top_box, 4u);  // 7 and 6, twice
}

TEST(CapiScale, JsonRoundTripKeepsTheScale) {
  const scale_tally t = make(CXM_SCALE_CES5);
  for (double x : {5.0, 4.0, 1.0, 9.0}) (void)cxm_scale_tally_add(t.get(), x);
  char* s = nullptr;
  std::size_t len = 0;
  ASSERT_EQ(cxm_scale_tally_to_json(t.get(), &s, &len), CXM_OK);
  const std::string text = take(s, len);
  EXPECT_EQ(text, R"({"format":"cxm.scale_tally","version":1,"scale":{"min":1,"max":5,"top_box_min":4},)"
                  R"("counts":[1,0,0,1,1],"rejected":{"out_of_range":1,"not_integer":0,"not_finite":0,"wrong_type":0}})");
  cxm_scale_tally* back = nullptr;
  ASSERT_EQ(cxm_scale_tally_from_json(text.data(), text.size(), &back), CXM_OK) << detail();
  const scale_tally hback(back);
  cxm_scale_counts n{};
  ASSERT_EQ(cxm_scale_tally_counts(back, &n), CXM_OK);
  EXPECT_EQ(n.max, 5);
  EXPECT_EQ(n.total, 3u);
  EXPECT_EQ(n.rejected, 1u);
  const std::string nps = R"({"format":"cxm.nps_tally","version":1,"counts":[0,0,0,0,0,0,0,0,0,0,0],"rejected":{}})";
  EXPECT_EQ(cxm_scale_tally_from_json(nps.data(), nps.size(), &back), CXM_INCOMPATIBLE);
  EXPECT_EQ(back, nullptr);
}
