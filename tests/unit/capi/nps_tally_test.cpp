// SPDX-License-Identifier: MIT
// NPS tallies through the C ABI. Scores and intervals are checked against tests/data/golden.json
// (tests/data/golden/compute_golden.py, mpmath at 40 digits, independent of cxm).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "capi_test_support.hpp"

using namespace capi_test;

namespace {

constexpr double tolerance = 1e-9;  // NPS points: far below any reported precision

// A tally holding `counts` (answers 0..10), added one answer at a time through the C ABI.
nps_tally tally_of(const json::array& counts) {
  cxm_nps_tally* t = nullptr;
  EXPECT_EQ(cxm_nps_tally_create(&t), CXM_OK);
  for (std::size_t a = 0; a < counts.size(); ++a)
    for (std::int64_t k = 0; k < counts[a].to_number<std::int64_t>(); ++k)
      EXPECT_EQ(cxm_nps_tally_add(t, static_cast<double>(a)), CXM_OK);
  return nps_tally(t);
}

cxm_interval_method method_of(json::string_view m) {
  if (m == "wald") return CXM_INTERVAL_WALD;
  if (m == "adjusted_wald") return CXM_INTERVAL_ADJUSTED_WALD;
  return CXM_INTERVAL_SCORE;
}

}  // namespace

TEST(CapiNps, GoldenScoresAndIntervals) {
  const json::value golden = parse(test_data("golden.json"));
  std::size_t checked = 0;
  for (const json::value& c : golden.at("nps").as_array()) {
    const std::string name(c.at("name").as_string());
    const nps_tally t = tally_of(c.at("counts").as_array());
    cxm_nps_counts n{};
    ASSERT_EQ(cxm_nps_tally_counts(t.get(), &n), CXM_OK);
    EXPECT_EQ(n.promoters, c.at("promoters").to_number<std::uint64_t>()) << name;
    EXPECT_EQ(n.passives, c.at("passives").to_number<std::uint64_t>()) << name;
    EXPECT_EQ(n.detractors, c.at("detractors").to_number<std::uint64_t>()) << name;
    EXPECT_EQ(n.total, c.at("n").to_number<std::uint64_t>()) << name;
    EXPECT_EQ(n.rejected, 0u);
    for (std::size_t a = 0; a < 11; ++a) EXPECT_EQ(n.answers[a], c.at("counts").at(a).to_number<std::uint64_t>());
    double score = -1000;
    ASSERT_EQ(cxm_nps_tally_score(t.get(), &score), CXM_OK);
    EXPECT_NEAR(score, c.at("score").to_number<double>(), tolerance) << name;
    for (const json::value& iv : c.at("intervals").as_array()) {
      const double level = iv.at("level").to_number<double>();
      cxm_interval ci{};
      ASSERT_EQ(cxm_nps_tally_interval(t.get(), level, method_of(iv.at("method").as_string()), &ci), CXM_OK) << detail();
      EXPECT_NEAR(ci.lower, iv.at("lower").to_number<double>(), tolerance) << name;
      EXPECT_NEAR(ci.upper, iv.at("upper").to_number<double>(), tolerance) << name;
      EXPECT_EQ(ci.method, method_of(iv.at("method").as_string()));
      EXPECT_EQ(ci.level, level);
      EXPECT_EQ(ci.n, n.total);
      EXPECT_NEAR(ci.point, c.at("score").to_number<double>(), tolerance);
      const bool adjusted = ci.method == CXM_INTERVAL_ADJUSTED_WALD;
      EXPECT_NEAR(ci.center, c.at(adjusted ? "adjusted_score" : "score").to_number<double>(), tolerance) << name;
      EXPECT_EQ(ci.small_sample, n.total < 30 ? 1 : 0) << name;
      EXPECT_EQ(ci.point_inside, ci.lower <= ci.point && ci.point <= ci.upper ? 1 : 0) << name;
      ++checked;
    }
  }
  EXPECT_GE(checked, 20u);
}

TEST(CapiNps, RejectedAnswersAreCountedAndReturned) {
  cxm_nps_tally* raw = nullptr;
  ASSERT_EQ(cxm_nps_tally_create(&raw), CXM_OK);
  const nps_tally t(raw);
  EXPECT_EQ(cxm_nps_tally_add(t.get(), 9), CXM_OK);
  EXPECT_EQ(cxm_nps_tally_add(t.get(), 11), CXM_OUT_OF_RANGE);
  EXPECT_EQ(cxm_nps_tally_add(t.get(), -1), CXM_OUT_OF_RANGE);
  EXPECT_EQ(cxm_nps_tally_add(t.get(), 9.5), CXM_NOT_INTEGER);
  EXPECT_EQ(cxm_nps_tally_add(t.get(), std::nan("")), CXM_NOT_FINITE);
  EXPECT_EQ(cxm_nps_tally_add(t.get(), std::numeric_limits<double>::infinity()), CXM_NOT_FINITE);
  cxm_nps_counts n{};
  ASSERT_EQ(cxm_nps_tally_counts(t.get(), &n), CXM_OK);
  EXPECT_EQ(n.total, 1u);
  EXPECT_EQ(n.rejected, 5u);
  // The JSON form names each reason (tally_json.hpp).
  char* s = nullptr;
  std::size_t len = 0;
  ASSERT_EQ(cxm_nps_tally_to_json(t.get(), &s, &len), CXM_OK);
  EXPECT_EQ(take(s, len),
            R"({"format":"cxm.nps_tally","version":1,"counts":[0,0,0,0,0,0,0,0,0,1,0],)"
            R"("rejected":{"out_of_range":2,"not_integer":1,"not_finite":2,"wrong_type":0}})");
}

TEST(CapiNps, BulkBytesCountTheSameAsSingleAnswers) {
  // 1000 bytes cycling through 0..12: 11 valid answers and 2 rejected bytes per 13.
  std::vector<std::uint8_t> bytes(1000);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i % 13);
  cxm_nps_tally* raw = nullptr;
  ASSERT_EQ(cxm_nps_tally_create(&raw), CXM_OK);
  const nps_tally t(raw);
  std::uint64_t accepted = 0;
  ASSERT_EQ(cxm_nps_tally_add_bulk(t.get(), bytes.data(), bytes.size(), &accepted), CXM_OK);
  // 1000 = 76 * 13 + 12: 76 full cycles (836 valid) plus 0..11 (11 valid: 0..10).
  EXPECT_EQ(accepted, 76u * 11 + 11);
  cxm_nps_counts n{};
  ASSERT_EQ(cxm_nps_tally_counts(t.get(), &n), CXM_OK);
  EXPECT_EQ(n.total, accepted);
  EXPECT_EQ(n.rejected, 1000u - accepted);
  EXPECT_EQ(n.answers[0], 77u);
  EXPECT_EQ(n.answers[10], 77u);
  // Zero bytes, with or without a pointer, and without the optional count.
  EXPECT_EQ(cxm_nps_tally_add_bulk(t.get(), nullptr, 0, &accepted), CXM_OK);
  EXPECT_EQ(accepted, 0u);
  EXPECT_EQ(cxm_nps_tally_add_bulk(t.get(), bytes.data(), 13, nullptr), CXM_OK);
}

TEST(CapiNps, MergeAndJsonRoundTrip) {
  // a: 9, 10, 3 (2 promoters, 1 detractor); b: 7, 0 (1 passive, 1 detractor).
  cxm_nps_tally *a = nullptr, *b = nullptr;
  ASSERT_EQ(cxm_nps_tally_create(&a), CXM_OK);
  ASSERT_EQ(cxm_nps_tally_create(&b), CXM_OK);
  const nps_tally ha(a), hb(b);
  for (double x : {9.0, 10.0, 3.0}) ASSERT_EQ(cxm_nps_tally_add(a, x), CXM_OK);
  for (double x : {7.0, 0.0}) ASSERT_EQ(cxm_nps_tally_add(b, x), CXM_OK);
  ASSERT_EQ(cxm_nps_tally_merge(a, b), CXM_OK);
  double score = 0;
  ASSERT_EQ(cxm_nps_tally_score(a, &score), CXM_OK);
  EXPECT_DOUBLE_EQ(score, 0.0);  // 2 promoters, 1 passive, 2 detractors of 5: 100 * (2 - 2) / 5
  // Merging a tally into itself doubles it.
  ASSERT_EQ(cxm_nps_tally_merge(a, a), CXM_OK);
  cxm_nps_counts n{};
  ASSERT_EQ(cxm_nps_tally_counts(a, &n), CXM_OK);
  EXPECT_EQ(n.total, 10u);
  EXPECT_EQ(n.promoters, 4u);

  char* s = nullptr;
  std::size_t len = 0;
  ASSERT_EQ(cxm_nps_tally_to_json(a, &s, &len), CXM_OK);
  const std::string text = take(s, len);
  cxm_nps_tally* back = nullptr;
  ASSERT_EQ(cxm_nps_tally_from_json(text.data(), text.size(), &back), CXM_OK) << detail();
  const nps_tally hback(back);
  ASSERT_EQ(cxm_nps_tally_to_json(back, &s, nullptr), CXM_OK);  // out_len is optional
  EXPECT_EQ(std::string(s), text);
  cxm_string_free(s);
}

TEST(CapiNps, EmptyTallyHasNoScore) {
  cxm_nps_tally* raw = nullptr;
  ASSERT_EQ(cxm_nps_tally_create(&raw), CXM_OK);
  const nps_tally t(raw);
  double score = 42;
  EXPECT_EQ(cxm_nps_tally_score(t.get(), &score), CXM_EMPTY);
  EXPECT_EQ(score, 0.0);
  cxm_interval ci{};
  ci.lower = 42;
  EXPECT_EQ(cxm_nps_tally_interval(t.get(), 0.95, CXM_INTERVAL_WALD, &ci), CXM_EMPTY);
  EXPECT_EQ(ci.lower, 0.0);  // zeroed on failure
  EXPECT_NE(detail().find("no NPS answers"), std::string::npos) << detail();
}

TEST(CapiNps, BadLevelsAndMethodsAreInvalidArguments) {
  cxm_nps_tally* raw = nullptr;
  ASSERT_EQ(cxm_nps_tally_create(&raw), CXM_OK);
  const nps_tally t(raw);
  ASSERT_EQ(cxm_nps_tally_add(t.get(), 9), CXM_OK);
  cxm_interval ci{};
  for (double level : {0.0, 1.0, -0.5, 1.5, std::nan("")}) {
    EXPECT_EQ(cxm_nps_tally_interval(t.get(), level, CXM_INTERVAL_WALD, &ci), CXM_INVALID_ARGUMENT) << level;
    EXPECT_NE(detail().find("level"), std::string::npos) << detail();
  }
  // Wilson and Student t are not NPS methods; 99 is no method at all.
  EXPECT_EQ(cxm_nps_tally_interval(t.get(), 0.95, CXM_INTERVAL_WILSON, &ci), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(cxm_nps_tally_interval(t.get(), 0.95, CXM_INTERVAL_STUDENT_T, &ci), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(cxm_nps_tally_interval(t.get(), 0.95, static_cast<cxm_interval_method>(99), &ci), CXM_INVALID_ARGUMENT);
}

TEST(CapiNps, FromJsonErrorsNameTheField) {
  struct row {
    std::string json;
    cxm_status status;
    const char* in_detail;
  };
  const row rows[] = {
      {"", CXM_PARSE_ERROR, ""},
      {"{", CXM_PARSE_ERROR, ""},
      {R"({"format":"cxm.scale_tally","version":1})", CXM_INCOMPATIBLE, "format"},
      {R"({"format":"cxm.nps_tally","version":2,"counts":[0,0,0,0,0,0,0,0,0,0,0]})", CXM_UNSUPPORTED_VERSION, "version"},
      {R"({"format":"cxm.nps_tally","version":1})", CXM_MISSING_FIELD, "counts"},
      {R"({"format":"cxm.nps_tally","version":1,"counts":"x","rejected":{}})", CXM_WRONG_TYPE, "counts"},
      {R"({"format":"cxm.nps_tally","format":"cxm.nps_tally"})", CXM_DUPLICATE_KEY, "format"},
      {"{\"format\":\"cxm.nps_tally\xff\"}", CXM_INVALID_UTF8, ""},
      {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", CXM_TOO_DEEP, ""},
      {std::string(2u << 20, ' '), CXM_TOO_LARGE, ""},
  };
  for (const row& r : rows) {
    cxm_nps_tally* t = reinterpret_cast<cxm_nps_tally*>(&t);  // must be reset to NULL
    EXPECT_EQ(cxm_nps_tally_from_json(r.json.data(), r.json.size(), &t), r.status)
        << r.json.substr(0, 60) << ": " << detail();
    EXPECT_EQ(t, nullptr);
    EXPECT_NE(detail().find(r.in_detail), std::string::npos) << detail();
    EXPECT_NE(detail(), "");
  }
}
