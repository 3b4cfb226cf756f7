// SPDX-License-Identifier: MIT
// duration_sketch: exact count/sum/min/max, bad input, the quantile relative-error bound on
// uniform, lognormal and bimodal data at several scales, and the merge laws at equal and
// different scales.
#include "cxm/sketch/duration_sketch.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace {

using cxm::duration_sketch;
using cxm::errc;
using cxm::sketch_options;

duration_sketch make(int scale, std::uint32_t max_buckets = cxm::dense_store::default_max_buckets,
                     double zero_threshold = 0.0) {
  sketch_options o;
  o.scale = scale;
  o.max_buckets = max_buckets;
  o.zero_threshold = zero_threshold;
  auto s = duration_sketch::make(o);
  EXPECT_TRUE(s.ok()) << s.detail();
  return std::move(s).value();
}

std::vector<double> uniform_ms(std::uint32_t seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> d(1.0, 10000.0);
  std::vector<double> v(n);
  for (double& x : v) x = d(rng);
  return v;
}

// The reference set: median 2 s, sigma 1.2, in ms.
std::vector<double> lognormal_ms(std::uint32_t seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(std::log(2000.0), 1.2);
  std::vector<double> v(n);
  for (double& x : v) x = d(rng);
  return v;
}

// Two populations an order of magnitude and more apart (a fast web step and a slow phone
// callback), with a few exact zeros.
std::vector<double> bimodal_ms(std::uint32_t seed, std::size_t n) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> fast(std::log(180.0), 0.3), slow(std::log(90000.0), 0.6);
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = i % 200 == 0 ? 0.0 : (rng() % 3 == 0 ? slow(rng) : fast(rng));
  return v;
}

// The exact lower q-quantile x_(floor(q(n-1))) of sorted values: what `quantile` estimates.
double exact_quantile(const std::vector<double>& sorted, double q) {
  return sorted[static_cast<std::size_t>(std::floor(q * static_cast<double>(sorted.size() - 1)))];
}

void record_all(duration_sketch& s, const std::vector<double>& xs) {
  for (double x : xs) ASSERT_TRUE(s.record(x).ok()) << x;
}

TEST(DurationSketch, CountSumMinMaxAreExact) {
  duration_sketch s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.min(), 0.0);
  EXPECT_EQ(s.mean(), 0.0);
  for (double x : {250.0, 1200.5, 87.25, 4000.0}) ASSERT_TRUE(s.record(x).ok());
  ASSERT_TRUE(s.record(300.0, 3).ok());
  EXPECT_EQ(s.count(), 7u);
  EXPECT_EQ(s.sum(), 250.0 + 1200.5 + 87.25 + 4000.0 + 900.0);
  EXPECT_EQ(s.min(), 87.25);
  EXPECT_EQ(s.max(), 4000.0);
  EXPECT_DOUBLE_EQ(s.mean(), s.sum() / 7);
  EXPECT_EQ(s.scale(), 6);
  EXPECT_EQ(s.zero_count(), 0u);
  EXPECT_EQ(s.rejected_total(), 0u);
  std::uint64_t in_buckets = 0;
  s.for_each_bucket([&](std::int32_t, std::uint64_t c) { in_buckets += c; });
  EXPECT_EQ(in_buckets, 7u);
  EXPECT_EQ(s.quantile(0).value(), 87.25);
  EXPECT_EQ(s.quantile(1).value(), 4000.0);
}

TEST(DurationSketch, BadInputIsRejectedCountedByReasonAndLeavesTheSketchUntouched) {
  duration_sketch s;
  for (double x : {10.0, 20.0, 30.0}) ASSERT_TRUE(s.record(x).ok());
  const duration_sketch before = s;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(s.record(-1.0).code(), errc::out_of_range);
  EXPECT_EQ(s.record(-1e-300).code(), errc::out_of_range);
  EXPECT_EQ(s.record(-5.0, 10).code(), errc::out_of_range);
  EXPECT_EQ(s.record(nan).code(), errc::not_finite);
  EXPECT_EQ(s.record(inf).code(), errc::not_finite);
  EXPECT_EQ(s.record(-inf).code(), errc::not_finite);
  EXPECT_EQ(s.rejected(errc::out_of_range), 12u);
  EXPECT_EQ(s.rejected(errc::not_finite), 3u);
  EXPECT_EQ(s.rejected(errc::parse_error), 0u);
  EXPECT_EQ(s.rejected_total(), 15u);
  EXPECT_EQ(s.count(), before.count());
  EXPECT_EQ(s.sum(), before.sum());
  EXPECT_EQ(s.min(), before.min());
  EXPECT_EQ(s.max(), before.max());
  EXPECT_EQ(s.store(), before.store());
  EXPECT_NE(s, before) << "rejection counts are part of the state";
}

TEST(DurationSketch, ZerosGoToTheZeroBucket) {
  duration_sketch s;
  ASSERT_TRUE(s.record(0.0).ok());
  ASSERT_TRUE(s.record(-0.0).ok());  // negative zero is zero, not negative
  ASSERT_TRUE(s.record(5.0, 2).ok());
  EXPECT_EQ(s.zero_count(), 2u);
  EXPECT_EQ(s.bucket_count(), 1u);
  EXPECT_EQ(s.min(), 0.0);
  EXPECT_FALSE(std::signbit(s.min()));
  EXPECT_EQ(s.quantile(0.5).value(), 0.0);  // ranks 0 and 1 are zeros: exact
  EXPECT_EQ(s.quantile(0.0).value(), 0.0);
  EXPECT_NEAR(s.quantile(0.99).value(), 5.0, 5.0 * s.relative_error());

  duration_sketch t = make(6, 1600, 1.0);  // below 1 ms counts as zero
  for (double x : {0.0, 0.25, 1.0, 2.0}) ASSERT_TRUE(t.record(x).ok());
  EXPECT_EQ(t.zero_count(), 3u);
  EXPECT_EQ(t.bucket_count(), 1u);
  EXPECT_EQ(t.zero_threshold(), 1.0);
  EXPECT_EQ(t.min(), 0.0);
  EXPECT_EQ(t.quantile(0.5).value(), 0.5) << "midpoint of [min, threshold]";
}

TEST(DurationSketch, DurationsOverAYearAreKeptAndDownscaleTheSketch) {
  duration_sketch s = make(6, 160);
  const double year_ms = 365.25 * 24 * 3600 * 1000;
  for (int i = 1; i <= 1000; ++i) ASSERT_TRUE(s.record(static_cast<double>(i)).ok());
  ASSERT_TRUE(s.record(2 * year_ms).ok());
  ASSERT_TRUE(s.record(0.001).ok());
  EXPECT_EQ(s.count(), 1002u);
  EXPECT_LT(s.scale(), 6);
  EXPECT_LE(s.bucket_count(), 160u);
  EXPECT_EQ(s.quantile(1).value(), 2 * year_ms);
  EXPECT_EQ(s.quantile(0).value(), 0.001);
  const double p50 = s.quantile(0.5).value();
  EXPECT_NEAR(p50, 500.0, 500.0 * s.relative_error() * (1 + 1e-9)) << "scale " << s.scale();
  // Extreme but finite values are fine too.
  duration_sketch t;
  ASSERT_TRUE(t.record(std::numeric_limits<double>::denorm_min()).ok());
  ASSERT_TRUE(t.record(1e300).ok());
  EXPECT_EQ(t.count(), 2u);
  EXPECT_EQ(t.quantile(1).value(), 1e300);
}

TEST(DurationSketch, ASumThatWouldOverflowIsRejected) {
  duration_sketch s;
  ASSERT_TRUE(s.record(1e308).ok());
  EXPECT_EQ(s.record(1e308).code(), errc::out_of_range);
  EXPECT_EQ(s.record(1e300, 1000000000).code(), errc::out_of_range);
  EXPECT_EQ(s.count(), 1u);
  EXPECT_EQ(s.sum(), 1e308);
  EXPECT_EQ(s.rejected(errc::out_of_range), 1000000001u);
}

TEST(DurationSketch, RecordWithACountAndZeroCount) {
  duration_sketch a, b;
  ASSERT_TRUE(a.record(42.0, 5).ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(b.record(42.0).ok());
  EXPECT_EQ(a, b);
  ASSERT_TRUE(a.record(7.0, 0).ok());
  EXPECT_EQ(a, b) << "n = 0 records nothing";
}

TEST(DurationSketch, HugeCountsWidenTheCountersAndStayExact) {
  duration_sketch s;
  ASSERT_TRUE(s.record(100.0, std::uint64_t{5} << 32).ok());
  ASSERT_TRUE(s.record(100.0, std::uint64_t{5} << 32).ok());
  ASSERT_TRUE(s.record(3000.0).ok());
  EXPECT_EQ(s.count(), (std::uint64_t{10} << 32) + 1);
  EXPECT_TRUE(s.store().wide());
  EXPECT_EQ(s.scale(), 6);
  EXPECT_NEAR(s.quantile(0.5).value(), 100.0, 100.0 * s.relative_error());
  EXPECT_EQ(s.quantile(1).value(), 3000.0);
}

// Found by fuzzing: count_ += n wrapped for batches near 2^64, and a merge could wrap the count.
TEST(DurationSketch, CountsStopAtTheLimitInsteadOfWrapping) {
  duration_sketch s;
  ASSERT_TRUE(s.record(100.0, cxm::max_count - 1).ok());
  ASSERT_TRUE(s.record(100.0).ok());  // exactly the limit
  EXPECT_EQ(s.count(), cxm::max_count);
  const duration_sketch full = s;
  EXPECT_EQ(s.record(100.0).code(), errc::out_of_range);            // one more, fast path
  EXPECT_EQ(s.record(0.0).code(), errc::out_of_range);              // zero bucket
  EXPECT_EQ(s.record(1e9, 3).code(), errc::out_of_range);           // new bucket
  EXPECT_EQ(s.count(), cxm::max_count);
  EXPECT_EQ(s.rejected(errc::out_of_range), 5u);
  duration_sketch half;
  ASSERT_TRUE(half.record(5.0, cxm::max_count / 2 + 1).ok());
  duration_sketch twice = half;
  EXPECT_EQ(twice.merge(half).code(), errc::out_of_range);
  EXPECT_EQ(twice, half);
  (void)full;
}

// Found by fuzzing: after downscaling, a bucket can straddle the zero threshold; its quantile
// estimate fell below the zero bucket's, so quantiles were not monotone in q.
TEST(DurationSketch, QuantilesStayMonotoneWhenABucketStraddlesTheZeroThreshold) {
  duration_sketch s = make(-2, cxm::dense_store::default_max_buckets, 5.0);  // base 16: (1, 16]
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(s.record(0.0).ok());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(s.record(5.5).ok());
  const double zero_part = s.quantile(0.4).value();
  const double above = s.quantile(0.6).value();
  EXPECT_LE(zero_part, 5.0);
  EXPECT_GE(above, zero_part);
  EXPECT_GT(above, 5.0);  // every value in that bucket lies above the threshold
}

TEST(DurationSketch, QuantileArgumentsAndEmptySketch) {
  duration_sketch s;
  EXPECT_EQ(s.quantile(0.5).code(), errc::empty);
  ASSERT_TRUE(s.record(1.0).ok());
  EXPECT_EQ(s.quantile(-0.01).code(), errc::invalid_argument);
  EXPECT_EQ(s.quantile(1.01).code(), errc::invalid_argument);
  EXPECT_EQ(s.quantile(std::numeric_limits<double>::quiet_NaN()).code(), errc::invalid_argument);
  EXPECT_NE(s.quantile(2).detail().find("q"), std::string::npos);
  EXPECT_EQ(s.quantile(0.3).value(), 1.0) << "one value: clamped to [min, max]";
}

TEST(DurationSketch, OptionsAreValidated) {
  sketch_options o;
  o.scale = 21;
  EXPECT_EQ(duration_sketch::make(o).code(), errc::invalid_argument);
  EXPECT_NE(duration_sketch::make(o).detail().find("scale"), std::string::npos);
  o = {};
  o.max_buckets = 4;
  EXPECT_NE(duration_sketch::make(o).detail().find("max_buckets"), std::string::npos);
  o = {};
  o.zero_threshold = -1;
  EXPECT_NE(duration_sketch::make(o).detail().find("zero_threshold"), std::string::npos);
  o.zero_threshold = std::numeric_limits<double>::infinity();
  EXPECT_EQ(duration_sketch::make(o).code(), errc::invalid_argument);
  o = {};
  o.scale = -10;
  o.max_buckets = 8;
  auto coarse = duration_sketch::make(o);
  ASSERT_TRUE(coarse.ok());
  for (double x : {1e-300, 1.0, 1e300}) ASSERT_TRUE(coarse->record(x).ok());
  EXPECT_EQ(coarse->scale(), -10);
}

// The relative-error bound, on three distributions and several scales, at the quantiles the
// issue names, against exact order statistics of the same values.
TEST(DurationSketch, QuantilesAreWithinTheRelativeErrorBound) {
  const double qs[] = {0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0};
  struct data_set {
    const char* name;
    std::vector<double> values;
  };
  const data_set sets[] = {{"uniform", uniform_ms(1, 100000)},
                           {"lognormal", lognormal_ms(2, 100000)},
                           {"bimodal", bimodal_ms(3, 100000)}};
  for (const data_set& set : sets) {
    std::vector<double> sorted = set.values;
    std::sort(sorted.begin(), sorted.end());
    for (int scale : {0, 2, 4, 6, 8, 10, 12, 16}) {
      duration_sketch s = make(scale, cxm::dense_store::max_buckets_limit);
      record_all(s, set.values);
      ASSERT_EQ(s.scale(), scale) << "the budget is large enough for every scale here";
      const double alpha = s.relative_error();
      for (double q : qs) {
        const double exact = exact_quantile(sorted, q);
        const double estimate = s.quantile(q).value();
        EXPECT_LE(std::fabs(estimate - exact), alpha * exact * (1 + 1e-9))
            << set.name << " scale " << scale << " q " << q << " exact " << exact << " estimate " << estimate;
      }
    }
  }
}

// The reference set at the default options: 1M lognormal durations stay at scale 6
// (relative error 0.54%) within 8 KB.
TEST(DurationSketch, MillionLognormalDurationsAtDefaultOptions) {
  const std::vector<double> xs = lognormal_ms(2024, 1000000);
  duration_sketch s;
  record_all(s, xs);
  EXPECT_EQ(s.scale(), 6);
  EXPECT_LE(s.memory_bytes(), 8192u);
  std::vector<double> sorted = xs;
  std::sort(sorted.begin(), sorted.end());
  for (double q : {0.0, 0.01, 0.5, 0.9, 0.99, 0.999, 1.0}) {
    const double exact = exact_quantile(sorted, q);
    EXPECT_LE(std::fabs(s.quantile(q).value() - exact), s.relative_error() * exact * (1 + 1e-9)) << q;
  }
  std::printf("1M lognormal (median 2000 ms, sigma 1.2): scale %d, %zu buckets, memory %zu bytes "
              "(sizeof %zu + heap %zu), relative error bound %.4f%%\n",
              s.scale(), s.bucket_count(), s.memory_bytes(), sizeof(duration_sketch), s.store().heap_bytes(),
              100 * s.relative_error());
}

TEST(DurationSketch, BucketsExportAsOffsetAndCounts) {
  duration_sketch s;
  const std::vector<double> xs = bimodal_ms(5, 5000);
  record_all(s, xs);
  std::vector<std::uint64_t> counts(s.bucket_count());
  for (double x : xs)
    if (x > 0) ++counts[static_cast<std::size_t>(s.mapping().index(x) - s.offset())];
  for (std::size_t i = 0; i < s.bucket_count(); ++i) EXPECT_EQ(s.bucket(i), counts[i]) << i;
  EXPECT_NE(s.bucket(0), 0u);
  EXPECT_NE(s.bucket(s.bucket_count() - 1), 0u);
  std::int32_t expected_index = s.offset();
  s.for_each_bucket([&](std::int32_t i, std::uint64_t c) {
    EXPECT_EQ(i, expected_index);
    EXPECT_EQ(c, counts[static_cast<std::size_t>(i - s.offset())]);
    ++expected_index;
  });
}

TEST(DurationSketch, ClearReturnsToTheOriginalScale) {
  duration_sketch s = make(8, 16);
  for (double x : {1.0, 1000.0, 1e6}) ASSERT_TRUE(s.record(x).ok());
  EXPECT_LT(s.scale(), 8);
  (void)s.record(-1.0);
  s.clear();
  EXPECT_EQ(s, make(8, 16));
  EXPECT_EQ(s.scale(), 8);
  EXPECT_EQ(s.rejected_total(), 0u);
}

// ---- merge ----

// Integer milliseconds (so floating-point sums are exact and merge equality is exact), with
// zeros and some invalid values so that every counter takes part.
std::vector<double> merge_input(std::mt19937_64& rng, std::size_t n) {
  std::lognormal_distribution<double> d(std::log(800.0), 1.5);
  std::vector<double> v(n);
  for (double& x : v) {
    const auto r = rng() % 100;
    x = r == 0 ? 0.0 : (r == 1 ? -3.0 : (r == 2 ? std::numeric_limits<double>::quiet_NaN() : std::round(d(rng))));
  }
  return v;
}

duration_sketch recorded(const std::vector<double>& xs, duration_sketch s) {
  for (double x : xs) (void)s.record(x);
  return s;
}

duration_sketch merged(duration_sketch a, const duration_sketch& b) {
  EXPECT_TRUE(a.merge(b).ok());
  return a;
}

TEST(DurationSketch, MergeIsCommutativeAssociativeAndEqualsRecordingTheUnion) {
  const int scales[] = {6, 6, 4, 8, 0, 3};
  for (std::uint32_t seed = 1; seed <= 120; ++seed) {
    std::mt19937_64 rng(seed);
    const std::uint32_t budget = seed % 3 == 0 ? 24 : (seed % 3 == 1 ? 160 : 1600);
    const int sa = scales[rng() % 6], sb = scales[rng() % 6], sc = scales[rng() % 6];
    const auto xa = merge_input(rng, rng() % 400), xb = merge_input(rng, rng() % 400), xc = merge_input(rng, rng() % 400);
    const duration_sketch a = recorded(xa, make(sa, budget)), b = recorded(xb, make(sb, budget)),
                          c = recorded(xc, make(sc, budget));
    SCOPED_TRACE("seed " + std::to_string(seed) + " scales " + std::to_string(sa) + " " + std::to_string(sb) +
                 " " + std::to_string(sc) + " budget " + std::to_string(budget));
    EXPECT_EQ(merged(a, b), merged(b, a));
    EXPECT_EQ(merged(merged(a, b), c), merged(a, merged(b, c)));
    // Equals recording everything into one sketch at the lowest starting scale.
    std::vector<double> all = xa;
    all.insert(all.end(), xb.begin(), xb.end());
    EXPECT_EQ(merged(a, b), recorded(all, make(std::min(sa, sb), budget)));
    all.insert(all.end(), xc.begin(), xc.end());
    EXPECT_EQ(merged(merged(a, b), c), recorded(all, make(std::min({sa, sb, sc}), budget)));
    // The empty sketch (at the same or a finer scale) is the identity.
    EXPECT_EQ(merged(a, make(sa, budget)), a);
    EXPECT_EQ(merged(a, make(20, budget)), a);
  }
}

TEST(DurationSketch, MergeOfRealValuedDataEqualsTheUnionUpToTheSumsRounding) {
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    const auto xa = lognormal_ms(seed, 3000), xb = bimodal_ms(seed + 100, 2000);
    duration_sketch a = recorded(xa, make(7, 200));
    const duration_sketch b = recorded(xb, make(5, 200));
    std::vector<double> all = xa;
    all.insert(all.end(), xb.begin(), xb.end());
    const duration_sketch u = recorded(all, make(5, 200));
    ASSERT_TRUE(a.merge(b).ok());
    EXPECT_EQ(a.scale(), u.scale());
    EXPECT_EQ(a.store(), u.store());
    EXPECT_EQ(a.count(), u.count());
    EXPECT_EQ(a.zero_count(), u.zero_count());
    EXPECT_EQ(a.min(), u.min());
    EXPECT_EQ(a.max(), u.max());
    EXPECT_NEAR(a.sum(), u.sum(), 1e-12 * u.sum());
  }
}

TEST(DurationSketch, MergeChecksCompatibility) {
  duration_sketch a = make(6, 1600, 0.0), b = make(6, 1600, 1.0);
  ASSERT_TRUE(a.record(5.0).ok());
  ASSERT_TRUE(b.record(5.0).ok());
  const duration_sketch before = a;
  EXPECT_EQ(a.merge(b).code(), errc::incompatible);
  EXPECT_EQ(a, before);
  duration_sketch big;
  ASSERT_TRUE(big.record(1e308).ok());
  duration_sketch big2 = big;
  EXPECT_EQ(big2.merge(big).code(), errc::out_of_range) << "the sum would overflow";
  EXPECT_EQ(big2, big);
}

TEST(DurationSketch, MergeWithItselfDoublesEveryCount) {
  duration_sketch a;
  for (double x : {1.0, 2.0, 3.0, 0.0}) ASSERT_TRUE(a.record(x).ok());
  duration_sketch twice;
  for (double x : {1.0, 2.0, 3.0, 0.0, 1.0, 2.0, 3.0, 0.0}) ASSERT_TRUE(twice.record(x).ok());
  ASSERT_TRUE(a.merge(a).ok());
  EXPECT_EQ(a, twice);
}

TEST(DurationSketch, MovedFromSketchRejectsSafely) {
  duration_sketch a;
  ASSERT_TRUE(a.record(5.0).ok());
  duration_sketch b(std::move(a));
  EXPECT_EQ(b.count(), 1u);
  EXPECT_EQ(a.record(7.0).code(), errc::invalid_argument);  // NOLINT(bugprone-use-after-move)
  a = b;
  EXPECT_EQ(a, b);
}

}  // namespace
