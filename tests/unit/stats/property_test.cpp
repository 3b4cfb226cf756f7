// SPDX-License-Identifier: MIT
// The algebra of tallies, on seeded random data: merge is associative and commutative, has
// the empty tally as identity, and equals tallying the union; JSON round-trips.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "cxm/stats/tally_json.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "test_support.hpp"

namespace {

// Answers with some out-of-range values so rejection counters take part in the algebra.
std::vector<int> answers(std::uint32_t seed, int lo, int hi) {
  std::mt19937 rng(seed);
  const std::size_t n = rng() % 500;
  return cxm_test::random_answers(seed * 7919u + 1, n, lo - 1, hi + 1);
}

template <class Tally>
Tally tally(const std::vector<int>& xs, Tally t) {
  for (int x : xs) (void)t.add(x);
  return t;
}

template <class Tally>
Tally merged(Tally a, const Tally& b) {
  EXPECT_TRUE(a.merge(b).ok());
  return a;
}

template <class Tally>
void check_laws(Tally empty, int lo, int hi) {
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    const auto xa = answers(seed, lo, hi), xb = answers(seed + 1000, lo, hi), xc = answers(seed + 2000, lo, hi);
    const Tally a = tally(xa, empty), b = tally(xb, empty), c = tally(xc, empty);
    EXPECT_EQ(merged(merged(a, b), c), merged(a, merged(b, c))) << seed;
    EXPECT_EQ(merged(a, b), merged(b, a)) << seed;
    EXPECT_EQ(merged(a, empty), a) << seed;
    std::vector<int> all = xa;
    all.insert(all.end(), xb.begin(), xb.end());
    all.insert(all.end(), xc.begin(), xc.end());
    EXPECT_EQ(merged(merged(a, b), c), tally(all, empty)) << seed;
  }
}

}  // namespace

TEST(Property, NpsMergeIsACommutativeMonoidEqualToTheUnion) {
  check_laws(cxm::nps_tally{}, 0, 10);
}

TEST(Property, ScaleMergeIsACommutativeMonoidEqualToTheUnion) {
  check_laws(cxm::scale_tally::make(cxm::scale::ces7()).value(), 1, 7);
  check_laws(cxm::scale_tally::make(cxm::scale::csat5()).value(), 1, 5);
}

TEST(Property, BulkEqualsOneByOneInAnyChunking) {
  for (std::uint32_t seed = 1; seed <= 50; ++seed) {
    std::mt19937 rng(seed);
    std::vector<std::uint8_t> bytes(rng() % 5000);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng() % 12);
    cxm::nps_tally one, bulk, chunked;
    for (auto b : bytes) (void)one.add(static_cast<int>(b));
    (void)bulk.add_bulk(bytes.data(), bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
      const std::size_t len = std::min<std::size_t>(bytes.size() - i, 1 + rng() % 300);
      (void)chunked.add_bulk(bytes.data() + i, len);
      i += len;
    }
    EXPECT_EQ(bulk, one) << seed;
    EXPECT_EQ(chunked, one) << seed;
  }
}

TEST(Property, JsonRoundTripsRandomTallies) {
  for (std::uint32_t seed = 1; seed <= 100; ++seed) {
    const auto n = tally(answers(seed, 0, 10), cxm::nps_tally{});
    auto nb = cxm::nps_tally_from_json(cxm::to_json(n));
    ASSERT_TRUE(nb.ok()) << nb.detail();
    EXPECT_EQ(nb.value(), n);
    const auto s = tally(answers(seed, 1, 7), cxm::scale_tally::make(cxm::scale::ces7()).value());
    auto sb = cxm::scale_tally_from_json(cxm::to_json(s));
    ASSERT_TRUE(sb.ok()) << sb.detail();
    EXPECT_EQ(sb.value(), s);
  }
}
