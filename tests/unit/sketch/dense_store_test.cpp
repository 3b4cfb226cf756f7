// SPDX-License-Identifier: MIT
// dense_store: growth within the budget, downscaling that keeps every count, in-place widening
// to 64-bit counters, and a model-based property test against a std::map.
#include "cxm/sketch/dense_store.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <random>
#include <vector>

#include "cxm/sketch/log_mapping.hpp"

namespace {

using cxm::dense_store;
using model = std::map<std::int64_t, std::uint64_t>;

constexpr std::uint64_t u32_max = std::numeric_limits<std::uint32_t>::max();

model halve(const model& m, int k) {
  model out;
  for (const auto& [i, c] : m) out[cxm::detail::floor_shift(i, k)] += c;
  return out;
}

model contents(const dense_store& s) {
  model out;
  s.for_each([&](std::int32_t i, std::uint64_t c) {
    if (c != 0) out[i] = c;
  });
  return out;
}

void check_invariants(const dense_store& s) {
  if (s.empty()) {
    EXPECT_EQ(s.size(), 0u);
    return;
  }
  EXPECT_LE(s.size(), s.capacity());
  EXPECT_NE(s.count(s.first_index()), 0u);
  EXPECT_NE(s.count(s.last_index()), 0u);
  EXPECT_EQ(s.count(s.first_index() - 1), 0u);
  EXPECT_EQ(s.count(s.last_index() + 1), 0u);
}

TEST(DenseStore, GrowsInsideTheBudgetWithoutDownscaling) {
  dense_store s(16);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.heap_bytes(), 64u);
  EXPECT_FALSE(s.try_add(3, 1));  // no bucket yet
  EXPECT_EQ(s.add(3, 2), 0);
  EXPECT_TRUE(s.try_add(3, 1));
  EXPECT_EQ(s.add(-12, 1), 0);  // span 16: exactly the budget
  EXPECT_EQ(s.first_index(), -12);
  EXPECT_EQ(s.last_index(), 3);
  EXPECT_EQ(s.size(), 16u);
  EXPECT_EQ(s.count(3), 3u);
  EXPECT_EQ(s.count(-12), 1u);
  EXPECT_EQ(s.count(0), 0u);
  EXPECT_EQ(s.total(), 4u);
  EXPECT_EQ(s.add(5, 0), 0);  // n = 0 changes nothing
  EXPECT_EQ(s.last_index(), 3);
  check_invariants(s);
}

TEST(DenseStore, DownscalesWhenTheBudgetIsExceededAndKeepsEveryCount) {
  dense_store s(8);
  for (std::int32_t i = 0; i < 8; ++i) ASSERT_EQ(s.add(i, static_cast<std::uint64_t>(i + 1)), 0);
  EXPECT_EQ(s.add(8, 100), 1);  // 0..8 needs 9 buckets: halve once -> 0..4
  EXPECT_EQ(s.first_index(), 0);
  EXPECT_EQ(s.last_index(), 4);
  EXPECT_EQ(s.count(0), 1u + 2u);
  EXPECT_EQ(s.count(3), 7u + 8u);
  EXPECT_EQ(s.count(4), 100u);
  // -1000..4: after 7 halvings -8..0 is 9 buckets, after 8 it is -4..0.
  EXPECT_EQ(s.add(-1000, 1), 8);
  EXPECT_EQ(s.total(), 36u + 100u + 1u);
  EXPECT_LE(s.size(), 8u);
  check_invariants(s);
}

TEST(DenseStore, WidensCountersInPlaceWhenOneOverflows32Bits) {
  dense_store s(16);
  ASSERT_EQ(s.add(0, u32_max), 0);
  EXPECT_FALSE(s.wide());
  EXPECT_FALSE(s.try_add(0, 1));  // would overflow: the caller must use add
  ASSERT_EQ(s.add(0, 1), 0);      // span 1 fits the halved capacity: no downscale
  EXPECT_TRUE(s.wide());
  EXPECT_EQ(s.capacity(), 8u);
  EXPECT_EQ(s.count(0), u32_max + 1);
  EXPECT_EQ(s.heap_bytes(), 64u);  // same allocation

  dense_store t(16);
  for (std::int32_t i = 0; i < 16; ++i) ASSERT_EQ(t.add(i, 10), 0);
  // 16 buckets do not fit 8 wide counters: halve once, then widen.
  EXPECT_EQ(t.add(5, std::uint64_t{1} << 40), 1);
  EXPECT_TRUE(t.wide());
  EXPECT_EQ(t.first_index(), 0);
  EXPECT_EQ(t.last_index(), 7);
  EXPECT_EQ(t.count(2), 20u + (std::uint64_t{1} << 40));
  EXPECT_EQ(t.total(), 160u + (std::uint64_t{1} << 40));
  check_invariants(t);
}

TEST(DenseStore, MergedCountsThatOverflowWidenDuringADownscale) {
  // Two neighbours of 3·10^9 each merge into 6·10^9 > 2^32 - 1: the downscale must widen.
  dense_store s(8);
  ASSERT_EQ(s.add(0, 3000000000u), 0);
  ASSERT_EQ(s.add(1, 3000000000u), 0);
  for (std::int32_t i = 2; i < 8; ++i) ASSERT_EQ(s.add(i, 1), 0);
  EXPECT_EQ(s.downscale(1), 1);  // 0..3 fits 4 wide counters
  EXPECT_TRUE(s.wide());
  EXPECT_EQ(s.count(0), 6000000000u);
  EXPECT_EQ(s.count(3), 2u);
  dense_store t(8);
  ASSERT_EQ(t.add(0, 3000000000u), 0);
  ASSERT_EQ(t.add(1, 3000000000u), 0);
  for (std::int32_t i = 2; i < 8; ++i) ASSERT_EQ(t.add(i, 1), 0);
  EXPECT_EQ(t.add(9, 1), 2) << "0..4 would fit 8 narrow counters, but merged counts need wide ones";
  EXPECT_EQ(t.count(0), 6000000002u);
  EXPECT_EQ(t.count(2), 1u);
  check_invariants(t);
}

TEST(DenseStore, MatchesAMapModelOnRandomOperations) {
  for (std::uint32_t seed = 1; seed <= 300; ++seed) {
    std::mt19937_64 rng(seed);
    const auto budget = static_cast<std::uint32_t>(8 + rng() % 40);
    dense_store s(budget);
    model m;
    int halvings = 0;
    const std::int64_t centre = static_cast<std::int64_t>(rng() % 2000) - 1000;
    const std::int64_t spread = 1 + static_cast<std::int64_t>(rng() % 200);
    for (int op = 0; op < 300; ++op) {
      std::int64_t at = centre + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(2 * spread + 1)) - spread;
      if (op % 97 == 13) at = centre * 1000 + 777;  // an outlier far away
      at = cxm::detail::floor_shift(at, halvings);
      std::uint64_t n = 1 + rng() % 5;
      if (rng() % 50 == 0) n = u32_max - rng() % 3;  // pushes counters to 64 bits
      if (rng() % 30 == 0) {
        const int k = 1 + static_cast<int>(rng() % 3);
        const int applied = s.downscale(k);
        ASSERT_GE(applied, k);
        halvings += applied;
        m = halve(m, applied);
        continue;
      }
      const std::int32_t index = static_cast<std::int32_t>(at);
      int k = 0;
      if (!s.try_add(index, n)) k = s.add(index, n);
      ASSERT_GE(k, 0);
      m = halve(m, k);
      m[cxm::detail::floor_shift(index, k)] += n;
      halvings += k;
      ASSERT_EQ(contents(s), m) << "seed " << seed << " op " << op;
      ASSERT_LE(s.size(), s.capacity());
    }
    check_invariants(s);
  }
}

TEST(DenseStore, DownscaleIsMinimal) {
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    std::mt19937_64 rng(seed);
    dense_store s(32);
    model m;
    for (int op = 0; op < 200; ++op) {
      const auto index = static_cast<std::int32_t>(rng() % 100000) - 50000;
      const int k = s.add(index, 1);
      ASSERT_GE(k, 0);
      if (k > 0) {
        // One halving fewer would not have fitted the new index with the existing ones.
        model prev = m;
        prev[index] += 1;
        const model at_less = halve(prev, k - 1);
        ASSERT_GT(at_less.rbegin()->first - at_less.begin()->first + 1, 32) << seed << " " << op;
      }
      m = halve(m, k);
      m[cxm::detail::floor_shift(index, k)] += 1;
      ASSERT_EQ(contents(s), m);
    }
  }
}

TEST(DenseStore, AssignChecksTheBudgetAndTheEnds) {
  dense_store s(8);
  const std::uint64_t ok[] = {1, 0, 3};
  ASSERT_TRUE(s.assign(-5, ok, 3));
  EXPECT_EQ(s.first_index(), -5);
  EXPECT_EQ(s.count(-3), 3u);
  const std::uint64_t zero_end[] = {1, 0};
  EXPECT_FALSE(s.assign(0, zero_end, 2));
  EXPECT_EQ(s.count(-3), 3u) << "unchanged after a failed assign";
  const std::uint64_t nine[] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  EXPECT_FALSE(s.assign(0, nine, 9));
  const std::uint64_t wide[] = {1, 1, 1, std::uint64_t{1} << 33, 1};
  EXPECT_FALSE(s.assign(0, wide, 5)) << "5 buckets do not fit 4 wide counters";
  ASSERT_TRUE(s.assign(0, wide, 4));
  EXPECT_TRUE(s.wide());
  EXPECT_EQ(s.count(3), std::uint64_t{1} << 33);
  ASSERT_TRUE(s.assign(0, nullptr, 0));
  EXPECT_TRUE(s.empty());
}

TEST(DenseStore, CopyMoveAndEquality) {
  dense_store a(16);
  ASSERT_EQ(a.add(4, 2), 0);
  ASSERT_EQ(a.add(9, 1), 0);
  dense_store b = a;
  EXPECT_EQ(a, b);
  ASSERT_EQ(b.add(9, 1), 0);
  EXPECT_NE(a, b);
  dense_store c(std::move(b));
  EXPECT_EQ(c.count(9), 2u);
  EXPECT_EQ(b.add(1, 1), -1);  // NOLINT(bugprone-use-after-move): moved-from stays safe
  EXPECT_FALSE(b.try_add(1, 1));
  EXPECT_TRUE(b.empty());
  b = a;
  EXPECT_EQ(a, b);
  EXPECT_NE(dense_store(16), dense_store(32)) << "different budgets";
  a.clear();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a, dense_store(16));
}

TEST(DenseStore, RecentresWhenGrowingPastTheArrayEdge) {
  // Alternately extend below and above: counts must survive every recentring.
  dense_store s(64);
  model m;
  for (std::int32_t step = 0; step < 32; ++step) {
    const std::int32_t i = (step % 2 == 0) ? -step : step;
    ASSERT_EQ(s.add(i, static_cast<std::uint64_t>(step + 1)), 0);
    m[i] += static_cast<std::uint64_t>(step + 1);
    ASSERT_EQ(contents(s), m);
  }
  check_invariants(s);
}

}  // namespace
