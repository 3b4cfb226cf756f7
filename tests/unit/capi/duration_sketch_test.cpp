// SPDX-License-Identifier: MIT
// Duration sketches through the C ABI: the hand-written golden files of tests/data/sketch (both
// formats, worked out in its README), exact figures, quantiles within the documented relative
// error of the true order statistic (computed here by sorting), merge, and hostile bytes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "capi_test_support.hpp"

using namespace capi_test;

namespace {

sketch make(const cxm_sketch_options* options = nullptr) {
  cxm_duration_sketch* s = nullptr;
  EXPECT_EQ(cxm_duration_sketch_create(options, &s), CXM_OK) << detail();
  return sketch(s);
}

std::vector<std::uint8_t> hex_bytes(const std::string& text) {
  std::vector<std::uint8_t> out;
  std::string digits;
  for (char c : text)
    if (std::isxdigit(static_cast<unsigned char>(c))) digits += c;
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
    out.push_back(static_cast<std::uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
  return out;
}

std::string json_of(const cxm_duration_sketch* s) {
  char* out = nullptr;
  std::size_t len = 0;
  EXPECT_EQ(cxm_duration_sketch_to_json(s, &out, &len), CXM_OK);
  return take(out, len);
}

std::vector<std::uint8_t> bytes_of(const cxm_duration_sketch* s) {
  std::uint8_t* out = nullptr;
  std::size_t len = 0;
  EXPECT_EQ(cxm_duration_sketch_encode(s, &out, &len), CXM_OK);
  std::vector<std::uint8_t> v(out, out + len);
  cxm_bytes_free(out);
  return v;
}

}  // namespace

TEST(CapiSketch, GoldenFilesOfBothFormats) {
  std::string golden_json = test_data("sketch/duration_sketch_v1.json");
  while (!golden_json.empty() && (golden_json.back() == '\n' || golden_json.back() == '\r')) golden_json.pop_back();
  const std::vector<std::uint8_t> golden_bytes = hex_bytes(test_data("sketch/duration_sketch_v1.hex"));
  ASSERT_EQ(golden_bytes.size(), 43u);

  cxm_sketch_options o;
  cxm_sketch_options_init(&o);
  o.scale = 2;
  o.max_buckets = 160;
  const sketch s = make(&o);
  for (double v : {0.0, 1.5, 2.5, 3.0, 4.0, 10.0}) ASSERT_EQ(cxm_duration_sketch_record(s.get(), v), CXM_OK);
  EXPECT_EQ(cxm_duration_sketch_record(s.get(), -1), CXM_OUT_OF_RANGE);
  EXPECT_EQ(cxm_duration_sketch_record(s.get(), std::nan("")), CXM_NOT_FINITE);
  EXPECT_EQ(json_of(s.get()), golden_json);
  EXPECT_EQ(bytes_of(s.get()), golden_bytes);

  cxm_duration_sketch* decoded = nullptr;
  ASSERT_EQ(cxm_duration_sketch_decode(golden_bytes.data(), golden_bytes.size(), &decoded), CXM_OK) << detail();
  const sketch hd(decoded);
  EXPECT_EQ(json_of(decoded), golden_json);
  cxm_duration_sketch* parsed = nullptr;
  ASSERT_EQ(cxm_duration_sketch_from_json(golden_json.data(), golden_json.size(), &parsed), CXM_OK) << detail();
  const sketch hp(parsed);
  EXPECT_EQ(bytes_of(parsed), golden_bytes);

  cxm_sketch_stats st{};
  ASSERT_EQ(cxm_duration_sketch_stats(parsed, &st), CXM_OK);
  EXPECT_EQ(st.count, 6u);
  EXPECT_EQ(st.sum, 21.0);
  EXPECT_EQ(st.min, 0.0);
  EXPECT_EQ(st.max, 10.0);
  EXPECT_EQ(st.mean, 3.5);
  EXPECT_EQ(st.zero_count, 1u);
  EXPECT_EQ(st.rejected, 2u);
  EXPECT_EQ(st.scale, 2);
  EXPECT_EQ(st.max_buckets, 160u);
  // (b - 1) / (b + 1) with b = 2^(1/4) (the README of the golden files).
  const double b = std::pow(2.0, 0.25);
  EXPECT_NEAR(st.relative_error, (b - 1) / (b + 1), 1e-15);
}

TEST(CapiSketch, DefaultsAndExactFigures) {
  cxm_sketch_options o{};
  cxm_sketch_options_init(&o);
  EXPECT_EQ(o.scale, 6);  // cxm's documented defaults: scale 6, 1600 buckets, zero threshold 0
  EXPECT_EQ(o.max_buckets, 1600u);
  EXPECT_EQ(o.zero_threshold, 0.0);
  const sketch s = make();
  cxm_sketch_stats st{};
  ASSERT_EQ(cxm_duration_sketch_stats(s.get(), &st), CXM_OK);
  EXPECT_EQ(st.count, 0u);
  EXPECT_EQ(st.min, 0.0);
  EXPECT_EQ(st.max_buckets, 1600u);
  EXPECT_EQ(st.scale, 6);
  double q = 1;
  EXPECT_EQ(cxm_duration_sketch_quantile(s.get(), 0.5, &q), CXM_EMPTY);
  EXPECT_EQ(q, 0.0);
  for (double v : {120.0, 80.0, 1000.0}) ASSERT_EQ(cxm_duration_sketch_record(s.get(), v), CXM_OK);
  ASSERT_EQ(cxm_duration_sketch_stats(s.get(), &st), CXM_OK);
  EXPECT_EQ(st.count, 3u);
  EXPECT_EQ(st.sum, 1200.0);
  EXPECT_EQ(st.min, 80.0);
  EXPECT_EQ(st.max, 1000.0);
  EXPECT_EQ(st.mean, 400.0);
  // q = 0 and 1 are the exact extremes.
  ASSERT_EQ(cxm_duration_sketch_quantile(s.get(), 0.0, &q), CXM_OK);
  EXPECT_EQ(q, 80.0);
  ASSERT_EQ(cxm_duration_sketch_quantile(s.get(), 1.0, &q), CXM_OK);
  EXPECT_EQ(q, 1000.0);
  for (double bad : {-0.1, 1.1, std::nan("")}) EXPECT_EQ(cxm_duration_sketch_quantile(s.get(), bad, &q), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(cxm_duration_sketch_record(s.get(), std::numeric_limits<double>::max()), CXM_OK);
  EXPECT_EQ(cxm_duration_sketch_record(s.get(), std::numeric_limits<double>::max()), CXM_OUT_OF_RANGE);  // sum overflow
}

TEST(CapiSketch, QuantilesAreWithinTheRelativeErrorOfTheTrueRank) {
  // Lognormal durations (median ~ 1 s); the true q-quantile is the value of rank
  // floor(q * (n - 1)) of the sorted values.
  std::mt19937_64 rng(20240611);
  std::lognormal_distribution<double> d(std::log(1000.0), 1.2);
  std::vector<double> values(20000);
  const sketch s = make();
  for (double& v : values) {
    v = d(rng);
    ASSERT_EQ(cxm_duration_sketch_record(s.get(), v), CXM_OK);
  }
  std::sort(values.begin(), values.end());
  // Scale 6: alpha = tanh(ln 2 / 2^7).
  const double alpha = std::tanh(std::log(2.0) / 128.0);
  cxm_sketch_stats st{};
  ASSERT_EQ(cxm_duration_sketch_stats(s.get(), &st), CXM_OK);
  EXPECT_NEAR(st.relative_error, alpha, 1e-15);
  for (double q : {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999}) {
    const double truth = values[static_cast<std::size_t>(std::floor(q * static_cast<double>(values.size() - 1)))];
    double est = 0;
    ASSERT_EQ(cxm_duration_sketch_quantile(s.get(), q, &est), CXM_OK);
    EXPECT_LE(std::fabs(est - truth), alpha * truth * (1 + 1e-12)) << q;
  }
}

TEST(CapiSketch, MergeEqualsRecordingBoth) {
  const sketch a = make(), b = make(), both = make();
  for (int i = 1; i <= 500; ++i) {
    const double v = i * 3.0;
    ASSERT_EQ(cxm_duration_sketch_record(i % 2 ? a.get() : b.get(), v), CXM_OK);
    ASSERT_EQ(cxm_duration_sketch_record(both.get(), v), CXM_OK);
  }
  ASSERT_EQ(cxm_duration_sketch_merge(a.get(), b.get()), CXM_OK);
  EXPECT_EQ(json_of(a.get()), json_of(both.get()));  // whole milliseconds: the sums agree exactly
  // A sketch merged into itself holds everything twice.
  ASSERT_EQ(cxm_duration_sketch_merge(b.get(), b.get()), CXM_OK);
  cxm_sketch_stats st{};
  ASSERT_EQ(cxm_duration_sketch_stats(b.get(), &st), CXM_OK);
  EXPECT_EQ(st.count, 500u);
  // Different zero thresholds do not merge.
  cxm_sketch_options o;
  cxm_sketch_options_init(&o);
  o.zero_threshold = 1.0;
  const sketch c = make(&o);
  EXPECT_EQ(cxm_duration_sketch_merge(a.get(), c.get()), CXM_INCOMPATIBLE);
}

TEST(CapiSketch, BadOptionsAreNamed) {
  struct row {
    std::int32_t scale;
    std::uint32_t max_buckets;
    double zero_threshold;
    const char* in_detail;
  };
  for (const row& r : {row{21, 1600, 0, "scale"}, row{-11, 1600, 0, "scale"}, row{6, 7, 0, "max_buckets"},
                       row{6, (1u << 20) + 1, 0, "max_buckets"}, row{6, 1600, -1, "zero_threshold"},
                       row{6, 1600, std::nan(""), "zero_threshold"}}) {
    const cxm_sketch_options o{r.scale, r.max_buckets, r.zero_threshold};
    cxm_duration_sketch* s = reinterpret_cast<cxm_duration_sketch*>(&s);
    EXPECT_EQ(cxm_duration_sketch_create(&o, &s), CXM_INVALID_ARGUMENT) << r.in_detail;
    EXPECT_EQ(s, nullptr);
    EXPECT_NE(detail().find(r.in_detail), std::string::npos) << detail();
  }
}

TEST(CapiSketch, HostileBytesAreErrorsNotCrashes) {
  const std::vector<std::uint8_t> golden = hex_bytes(test_data("sketch/duration_sketch_v1.hex"));
  cxm_duration_sketch* s = nullptr;
  // Every truncation of the golden encoding, and each byte flipped.
  for (std::size_t n = 0; n < golden.size(); ++n) {
    EXPECT_NE(cxm_duration_sketch_decode(golden.data(), n, &s), CXM_OK) << n;
    EXPECT_EQ(s, nullptr);
  }
  for (std::size_t i = 0; i < golden.size(); ++i) {
    std::vector<std::uint8_t> bad = golden;
    bad[i] ^= 0xFF;
    if (cxm_duration_sketch_decode(bad.data(), bad.size(), &s) == CXM_OK) cxm_duration_sketch_destroy(s);
  }
  const std::uint8_t other_version[] = {0xD2, 0x00};
  EXPECT_EQ(cxm_duration_sketch_decode(other_version, sizeof other_version, &s), CXM_UNSUPPORTED_VERSION);
  const std::uint8_t other_format[] = {0x7B};
  EXPECT_EQ(cxm_duration_sketch_decode(other_format, sizeof other_format, &s), CXM_INCOMPATIBLE);
  EXPECT_EQ(cxm_duration_sketch_decode(nullptr, 0, &s), CXM_INVALID_ARGUMENT);  // no bytes: truncated
  EXPECT_NE(detail(), "");
  const std::string json = R"({"format":"cxm.duration_sketch","version":1,"scale":99})";
  EXPECT_EQ(cxm_duration_sketch_from_json(json.data(), json.size(), &s), CXM_MISSING_FIELD) << detail();
}
