// SPDX-License-Identifier: MIT
// duration_sketch JSON and binary forms: hand-written golden files, exact round trips, strict
// decoding with errors that name the field, and garbage / truncated binary input.
#include "cxm/sketch/duration_sketch_codec.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using cxm::duration_sketch;
using cxm::errc;

duration_sketch make(int scale, std::uint32_t max_buckets, double zero_threshold = 0.0) {
  cxm::sketch_options o;
  o.scale = scale;
  o.max_buckets = max_buckets;
  o.zero_threshold = zero_threshold;
  return duration_sketch::make(o).value();
}

// The example of tests/data/sketch/README.md.
duration_sketch golden_sketch() {
  duration_sketch s = make(2, 160);
  for (double x : {0.0, 1.5, 2.5, 3.0, 4.0, 10.0}) EXPECT_TRUE(s.record(x).ok());
  EXPECT_EQ(s.record(-1.0).code(), errc::out_of_range);
  EXPECT_EQ(s.record(std::numeric_limits<double>::quiet_NaN()).code(), errc::not_finite);
  return s;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string from_hex(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  std::string byte;
  while (in >> byte) out.push_back(static_cast<char>(std::stoi(byte, nullptr, 16)));
  return out;
}

// Seeded sketches of every kind: empty, zeros only, real-valued, integer, downscaled, with a
// zero threshold, with rejections, with 64-bit counters.
std::vector<duration_sketch> sample_sketches() {
  std::vector<duration_sketch> out;
  out.push_back(duration_sketch());
  out.push_back(make(20, 8));
  duration_sketch zeros;
  (void)zeros.record(0.0, 3);
  out.push_back(zeros);
  for (std::uint32_t seed = 1; seed <= 60; ++seed) {
    std::mt19937_64 rng(seed);
    const int scale = static_cast<int>(rng() % 31) - 10;
    const std::uint32_t budget = 8 + static_cast<std::uint32_t>(rng() % 300);
    const double threshold = seed % 5 == 0 ? 0.5 : 0.0;
    duration_sketch s = make(scale, budget, threshold);
    std::lognormal_distribution<double> d(std::log(1000.0), 0.5 + static_cast<double>(seed % 4));
    const auto n = rng() % 2000;
    for (std::uint64_t i = 0; i < n; ++i) {
      double x = d(rng);
      if (seed % 3 == 0) x = std::round(x);
      if (i % 97 == 0) x = 0.0;
      if (i % 89 == 0) x = -x;
      (void)s.record(x);
    }
    if (seed % 7 == 0) (void)s.record(d(rng), std::uint64_t{1} << 40);
    out.push_back(s);
  }
  return out;
}

TEST(DurationSketchCodec, GoldenJsonIsFrozen) {
  const std::string golden = trimmed(cxm_test::test_data("sketch/duration_sketch_v1.json"));
  ASSERT_FALSE(golden.empty());
  const duration_sketch s = golden_sketch();
  EXPECT_EQ(cxm::to_json(s), golden);
  auto back = cxm::duration_sketch_from_json(golden);
  ASSERT_TRUE(back.ok()) << back.detail();
  EXPECT_EQ(back.value(), s);
  // The hand-computed layout, field by field.
  EXPECT_EQ(back->scale(), 2);
  EXPECT_EQ(back->offset(), 2);
  const std::uint64_t counts[] = {1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1};
  ASSERT_EQ(back->bucket_count(), 12u);
  for (std::size_t i = 0; i < 12; ++i) EXPECT_EQ(back->bucket(i), counts[i]) << i;
  EXPECT_EQ(back->count(), 6u);
  EXPECT_EQ(back->zero_count(), 1u);
  EXPECT_EQ(back->sum(), 21.0);
}

TEST(DurationSketchCodec, GoldenBinaryIsFrozen) {
  const std::string golden = from_hex(cxm_test::test_data("sketch/duration_sketch_v1.hex"));
  ASSERT_EQ(golden.size(), 43u);
  const duration_sketch s = golden_sketch();
  EXPECT_EQ(cxm::encode(s), golden);
  auto back = cxm::decode_duration_sketch(golden);
  ASSERT_TRUE(back.ok()) << back.detail();
  EXPECT_EQ(back.value(), s);
}

TEST(DurationSketchCodec, BothFormsRoundTripExactly) {
  std::string buffer;
  for (const duration_sketch& s : sample_sketches()) {
    const std::string json = cxm::to_json(s);
    auto from_json = cxm::duration_sketch_from_json(json);
    ASSERT_TRUE(from_json.ok()) << from_json.detail() << "\n" << json;
    EXPECT_EQ(from_json.value(), s) << json;
    EXPECT_EQ(cxm::to_json(from_json.value()), json);
    cxm::encode(s, buffer);
    auto decoded = cxm::decode_duration_sketch(buffer);
    ASSERT_TRUE(decoded.ok()) << decoded.detail();
    EXPECT_EQ(decoded.value(), s);
    EXPECT_EQ(cxm::encode(decoded.value()), buffer);
  }
}

TEST(DurationSketchCodec, DoublesSurviveJsonBitForBit) {
  // Boost.JSON 1.81 alone reads about one double in ten an ulp off; the decoder must not.
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> d(std::log(2000.0), 1.2);
  for (int i = 0; i < 2000; ++i) {
    duration_sketch s;
    for (int j = 0; j < 3; ++j) ASSERT_TRUE(s.record(d(rng)).ok());
    auto back = cxm::duration_sketch_from_json(cxm::to_json(s));
    ASSERT_TRUE(back.ok()) << back.detail();
    ASSERT_EQ(back->sum(), s.sum());
    ASSERT_EQ(back->min(), s.min());
    ASSERT_EQ(back->max(), s.max());
  }
}

// Numbers are read from their text: "-0" keeps its sign, as the value would (the binary form
// writes the bits of the sum).
TEST(DurationSketchCodec, JsonNumbersAreReadFromTheirText) {
  auto s = cxm::duration_sketch_from_json(
      R"({"format":"cxm.duration_sketch","version":1,"scale":6,"max_buckets":1600,"zero_threshold":0,)"
      R"("count":1,"sum":-0,"min":0,"max":0.0,"zero_count":1,"positive":{"offset":0,"counts":[]},)"
      R"("rejected":{"out_of_range":0,"not_finite":0}})");
  ASSERT_TRUE(s.ok()) << s.detail();
  EXPECT_TRUE(std::signbit(s->sum()));
  auto tenth = cxm::duration_sketch_from_json(
      R"({"format":"cxm.duration_sketch","version":1,"scale":6,"max_buckets":1600,"zero_threshold":0.30000000000000004,)"
      R"("count":0,"sum":0,"min":null,"max":null,"zero_count":0,"positive":{"offset":0,"counts":[]},)"
      R"("rejected":{"out_of_range":0,"not_finite":0}})");
  ASSERT_TRUE(tenth.ok()) << tenth.detail();
  EXPECT_EQ(tenth->zero_threshold(), 0.1 + 0.2);
}

TEST(DurationSketchCodec, JsonErrorsNameTheFieldAndReason) {
  const std::string good = trimmed(cxm_test::test_data("sketch/duration_sketch_v1.json"));
  const auto with = [&good](const std::string& from, const std::string& to) {
    std::string s = good;
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
  };
  struct row {
    std::string text;
    errc code;
    const char* where;
  };
  const row rows[] = {
      {with("\"version\":1", "\"version\":2"), errc::unsupported_version, "version"},
      {with("\"version\":1", "\"version\":1.0"), errc::not_integer, "version"},
      {with("\"version\":1", "\"version\":-1000001"), errc::out_of_range, "version"},
      {with("\"positive\":{", "\"positive\":{\"x\":1,"), errc::invalid_argument,
       R"(positive: unknown field "x" (expected one of: offset, counts))"},
      {with("[1,0,0,1,1,1,0,0,0,0,0,1]", "[1,0,0,1,1,\"1\",0,0,0,0,0,1]"), errc::wrong_type,
       "positive.counts[5]: expected a count (an integer >= 0), got a string"},
      {with("cxm.duration_sketch", "cxm.nps_tally"), errc::incompatible, "format"},
      {with("\"scale\":2,", ""), errc::missing_field, "scale"},
      {with("\"scale\":2", "\"scale\":21"), errc::invalid_argument, "scale"},
      {with("\"scale\":2", "\"scale\":2.5"), errc::not_integer, "scale"},
      {with("\"max_buckets\":160", "\"max_buckets\":4"), errc::invalid_argument, "max_buckets"},
      {with("\"max_buckets\":160", "\"max_buckets\":11"), errc::out_of_range, "counts"},
      {with("\"count\":6", "\"count\":7"), errc::invalid_argument, "count"},
      {with("\"sum\":21", "\"sum\":\"21\""), errc::wrong_type, "sum"},
      {with("\"sum\":21", "\"sum\":-1"), errc::out_of_range, "sum"},
      {with("\"sum\":21", "\"sum\":1e309"), errc::not_finite, "sum"},
      {with("\"min\":0", "\"min\":null"), errc::invalid_argument, "min"},
      {with("\"min\":0", "\"min\":1"), errc::invalid_argument, "min"},
      {with("\"max\":10", "\"max\":100"), errc::invalid_argument, "max"},
      {with("\"max\":10", "\"max\":9"), errc::invalid_argument, "max"},
      {with("[1,0,0,1,1,1,0,0,0,0,0,1]", "[1,0,0,1,1,1,0,0,0,0,0,1,0]"), errc::invalid_argument, "last bucket"},
      {with("[1,0,0,1,1,1,0,0,0,0,0,1]", "[1,0,0,1,-1,1,0,0,0,0,0,1]"), errc::out_of_range, "positive.counts[4]"},
      {with("[1,0,0,1,1,1,0,0,0,0,0,1]", "[1,0,0,1,1.5,1,0,0,0,0,0,1]"), errc::not_integer, "positive.counts[4]"},
      {with("\"offset\":2", "\"offset\":2000"), errc::invalid_argument, "max"},
      {with("\"offset\":2", "\"offset\":-5000"), errc::out_of_range, "offset"},
      {with("\"offset\":2", "\"offset\":\"2\""), errc::wrong_type, "positive.offset"},
      {with("\"zero_count\":1", "\"zero_count\":1,\"extra\":true"), errc::invalid_argument,
       R"((root): unknown field "extra" (expected one of: format, version, scale, max_buckets, zero_threshold, )"
       R"(count, sum, min, max, zero_count, positive, rejected))"},
      {with("\"not_finite\":1", "\"not_finite\":1,\"x\":0"), errc::invalid_argument,
       R"(rejected: unknown field "x" (expected one of: out_of_range, not_finite))"},
      {with("\"rejected\":{\"out_of_range\":1,", "\"rejected\":{"), errc::missing_field, "rejected.out_of_range"},
      {with("\"count\":6", "\"count\":6,\"count\":6"), errc::duplicate_key, "count"},
      {with("\"zero_threshold\":0", "\"zero_threshold\":-1"), errc::invalid_argument, "zero_threshold"},
      {"[]", errc::wrong_type, "(root)"},
      {good + "x", errc::parse_error, "after the JSON value"},
  };
  for (const row& r : rows) {
    auto s = cxm::duration_sketch_from_json(r.text);
    EXPECT_EQ(s.code(), r.code) << r.text << " -> " << s.detail();
    EXPECT_NE(s.detail().find(r.where), std::string::npos) << r.text << " -> " << s.detail();
  }
  // Scale 2 offset bound: 2^(2^-2) at index -5000 is below the smallest double.
  EXPECT_EQ(cxm::duration_sketch_from_json(with("\"max_buckets\":160", "\"max_buckets\":9999999")).code(),
            errc::invalid_argument);
}

// Found by fuzzing: a bucket entirely at or below the zero threshold (impossible to record
// into) decoded, and its quantiles fell below the zero bucket's.
TEST(DurationSketchCodec, BucketsBelowTheZeroThresholdAreRejected) {
  auto s = cxm::duration_sketch_from_json(
      R"({"format":"cxm.duration_sketch","version":1,"scale":2,"max_buckets":160,"zero_threshold":5,"count":6,"sum":21,)"
      R"("min":0,"max":10,"zero_count":1,"positive":{"offset":2,"counts":[1,0,0,1,1,1,0,0,0,0,0,1]},)"
      R"("rejected":{"out_of_range":1,"not_finite":1}})");
  EXPECT_EQ(s.code(), errc::invalid_argument);
  EXPECT_EQ(s.detail(), "positive.offset: bucket 2 lies at or below the zero threshold");
}

TEST(DurationSketchCodec, CountsOverTheLimitAreRejected) {
  auto s = cxm::duration_sketch_from_json(
      R"({"format":"cxm.duration_sketch","version":1,"scale":6,"max_buckets":1600,"zero_threshold":0,)"
      R"("count":4611686018427387905,"sum":0,"min":0,"max":0,"zero_count":4611686018427387905,)"
      R"("positive":{"offset":0,"counts":[]},"rejected":{"out_of_range":0,"not_finite":0}})");
  EXPECT_EQ(s.code(), errc::out_of_range);
}

TEST(DurationSketchCodec, RejectionCountersSurviveTheBinaryFormWhenTheirSumWraps) {
  // Found by fuzzing: the encoder flagged the counters by their sum, and 1 + (2^64 - 1)
  // wraps to 0, so both counters were dropped and the round trip lost them.
  auto s = cxm::duration_sketch_from_json(
      R"({"format":"cxm.duration_sketch","version":1,"scale":2,"max_buckets":160,"zero_threshold":0,)"
      R"("count":0,"sum":0,"min":null,"max":null,"zero_count":0,"positive":{"offset":0,"counts":[]},)"
      R"("rejected":{"out_of_range":1,"not_finite":18446744073709551615}})");
  ASSERT_TRUE(s.ok()) << s.detail();
  EXPECT_EQ(s->rejected_total(), UINT64_MAX);  // saturates, as the counters do
  auto back = cxm::decode_duration_sketch(cxm::encode(*s));
  ASSERT_TRUE(back.ok()) << back.detail();
  EXPECT_EQ(back->rejected(cxm::errc::out_of_range), 1u);
  EXPECT_EQ(back->rejected(cxm::errc::not_finite), UINT64_MAX);
  EXPECT_EQ(*back, *s);
}

TEST(DurationSketchCodec, EmptySketchJson) {
  const duration_sketch empty;
  const std::string json = cxm::to_json(empty);
  EXPECT_EQ(json,
            R"({"format":"cxm.duration_sketch","version":1,"scale":6,"max_buckets":1600,"zero_threshold":0,)"
            R"("count":0,"sum":0,"min":null,"max":null,"zero_count":0,"positive":{"offset":0,"counts":[]},)"
            R"("rejected":{"out_of_range":0,"not_finite":0}})");
  auto back = cxm::duration_sketch_from_json(json);
  ASSERT_TRUE(back.ok()) << back.detail();
  EXPECT_EQ(back.value(), empty);
  std::string bad = json;
  bad.replace(bad.find("\"min\":null"), 10, "\"min\":0");
  EXPECT_EQ(cxm::duration_sketch_from_json(bad).code(), errc::invalid_argument);
}

TEST(DurationSketchCodec, BinaryHeaderErrors) {
  EXPECT_EQ(cxm::decode_duration_sketch("").code(), errc::invalid_argument);
  std::string golden = from_hex(cxm_test::test_data("sketch/duration_sketch_v1.hex"));
  golden[0] = static_cast<char>(0xD2);
  EXPECT_EQ(cxm::decode_duration_sketch(golden).code(), errc::unsupported_version);
  golden[0] = '{';
  EXPECT_EQ(cxm::decode_duration_sketch(golden).code(), errc::incompatible);
  golden[0] = static_cast<char>(0xD1);
  golden.push_back('\0');
  auto trailing = cxm::decode_duration_sketch(golden);
  EXPECT_EQ(trailing.code(), errc::invalid_argument);
  EXPECT_NE(trailing.detail().find("byte 43"), std::string::npos) << trailing.detail();
}

TEST(DurationSketchCodec, EveryTruncationOfAValidEncodingIsAnError) {
  for (const duration_sketch& s : sample_sketches()) {
    const std::string bytes = cxm::encode(s);
    for (std::size_t n = 0; n < bytes.size(); ++n)
      ASSERT_FALSE(cxm::decode_duration_sketch(std::string_view(bytes.data(), n)).ok()) << n << " of " << bytes.size();
  }
}

TEST(DurationSketchCodec, GarbageNeverCrashes) {
  // Random bytes, random bytes behind a valid format byte, and single-byte corruptions of valid
  // encodings: each either decodes to a valid sketch or is an error — and never reads out of
  // bounds (this runs under AddressSanitizer in the debug preset).
  std::mt19937_64 rng(1234);
  std::size_t decoded = 0;
  for (int i = 0; i < 50000; ++i) {
    std::string bytes(rng() % 64, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xFF);
    if (i % 2 == 0 && !bytes.empty()) bytes[0] = static_cast<char>(0xD1);
    auto r = cxm::decode_duration_sketch(bytes);
    if (r.ok()) {
      ++decoded;
      EXPECT_EQ(cxm::decode_duration_sketch(cxm::encode(r.value())).value(), r.value());
    }
  }
  for (const duration_sketch& s : sample_sketches()) {
    const std::string bytes = cxm::encode(s);
    for (std::size_t at = 0; at < bytes.size(); ++at) {
      std::string corrupt = bytes;
      corrupt[at] = static_cast<char>(corrupt[at] ^ static_cast<char>(1 + rng() % 255));
      auto r = cxm::decode_duration_sketch(corrupt);
      if (r.ok()) {
        EXPECT_EQ(cxm::decode_duration_sketch(cxm::encode(r.value())).value(), r.value());
      }
    }
  }
  RecordProperty("random_inputs_that_decoded", static_cast<int>(decoded));
}

TEST(DurationSketchCodec, SizesForAMillionLognormalDurations) {
  std::mt19937_64 rng(2024);
  std::lognormal_distribution<double> d(std::log(2000.0), 1.2);
  duration_sketch s;
  for (int i = 0; i < 1000000; ++i) ASSERT_TRUE(s.record(d(rng)).ok());
  const std::string bytes = cxm::encode(s);
  const std::string json = cxm::to_json(s);
  EXPECT_LE(bytes.size(), 3072u);
  EXPECT_LE(s.memory_bytes(), 8192u);
  EXPECT_EQ(cxm::decode_duration_sketch(bytes).value(), s);
  std::printf("1M lognormal durations at scale %d (%zu buckets): binary %zu bytes, JSON %zu bytes, memory %zu bytes\n",
              s.scale(), s.bucket_count(), bytes.size(), json.size(), s.memory_bytes());
}

}  // namespace
