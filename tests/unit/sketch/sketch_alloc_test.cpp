// SPDX-License-Identifier: MIT
// Recording never allocates: this program replaces the global operator new/delete with
// counting versions (hence a test executable of its own) and records millions of values —
// new buckets, downscales, counter widening and rejections included — between two readings of
// the counter.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>
#include <random>
#include <vector>

#include "cxm/sketch/duration_sketch.hpp"
#include "counting_new.hpp"

using cxm_test::allocations;

namespace {

TEST(SketchAlloc, CountingOperatorNewIsInstalled) {
  const std::size_t before = allocations.load();
  std::vector<int>* v = new std::vector<int>(100);
  delete v;
  EXPECT_GE(allocations.load() - before, 2u);
}

TEST(SketchAlloc, RecordNeverAllocates) {
  std::mt19937_64 rng(99);
  std::lognormal_distribution<double> duration(std::log(2000.0), 1.2);
  std::vector<double> values(2000000);
  for (double& x : values) x = duration(rng);
  values[1000] = 1e-9;  // stretch the range so the 160-bucket sketch downscales mid-loop
  values[2000] = 3.2e10;
  values[3000] = -1.0;  // rejections
  values[4000] = std::numeric_limits<double>::quiet_NaN();
  values[5000] = 0.0;   // zero bucket

  cxm::sketch_options small;
  small.max_buckets = 160;
  cxm::duration_sketch a;                                // default budget
  cxm::duration_sketch b = cxm::duration_sketch::make(small).value();  // forced downscales
  const std::size_t before = allocations.load();
  for (double x : values) {
    (void)a.record(x);
    (void)b.record(x);
  }
  (void)a.record(2000.0, std::uint64_t{1} << 33);  // widens the counters (and downscales)
  (void)b.record(2000.0, std::uint64_t{1} << 33);
  const std::size_t during = allocations.load() - before;
  EXPECT_EQ(during, 0u) << "allocations while recording";
  EXPECT_LT(b.scale(), 6);
  EXPECT_TRUE(a.store().wide());
  EXPECT_EQ(a.count(), values.size() - 2 + (std::uint64_t{1} << 33));
}

TEST(SketchAlloc, MergeAndQuantilesDoNotAllocate) {
  cxm::duration_sketch a, b;
  cxm::sketch_options coarse;
  coarse.scale = 3;
  cxm::duration_sketch c = cxm::duration_sketch::make(coarse).value();
  for (int i = 1; i <= 10000; ++i) {
    (void)a.record(i * 1.5);
    (void)b.record(i * 7.25);
    (void)c.record(i * 0.5);
  }
  const std::size_t before = allocations.load();
  EXPECT_TRUE(a.merge(b).ok());
  EXPECT_TRUE(a.merge(c).ok());  // at another scale
  double total = 0;
  for (double q : {0.0, 0.5, 0.9, 0.99, 1.0}) total += a.quantile(q).value();
  EXPECT_EQ(allocations.load() - before, 0u);
  EXPECT_GT(total, 0.0);
}

}  // namespace
