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

namespace {

// Random counts on a scale: `spread` distinct values at most, from the top or the bottom, so
// that skewed, two-valued and single-valued samples all occur.
cxm::scale_tally random_scale_tally(std::mt19937& rng, const cxm::scale& s) {
  cxm::scale_tally t = cxm::scale_tally::make(s).value();
  const int n = 2 + static_cast<int>(rng() % 300);
  const int spread = 1 + static_cast<int>(rng() % static_cast<unsigned>(s.points()));
  const bool from_top = rng() % 2 == 0;
  for (int i = 0; i < n; ++i) {
    const int offset = static_cast<int>(rng() % static_cast<unsigned>(spread));
    EXPECT_TRUE(t.add(from_top ? s.max - offset : s.min + offset).ok());
  }
  return t;
}

cxm::scale_tally doubled(const cxm::scale_tally& t) {
  cxm::scale_tally d = t;
  EXPECT_TRUE(d.merge(t).ok());
  return d;
}

}  // namespace

// Hall's interval (the default): inside the scale, holds the mean at every level ≥ 0.14 (its
// centre moves by |γ̂|/(6√n) < 1/6 in t units), nested in the level, narrower when the same
// answers are twice as many, never a single point, and Student's interval for symmetric samples.
TEST(Property, HallMeanIntervalStaysInTheScaleHoldsTheMeanAndNarrowsWithN) {
  std::mt19937 rng(2026);
  for (const cxm::scale& s : {cxm::scale::ces7(), cxm::scale::csat5()}) {
    for (int k = 0; k < 400; ++k) {
      const cxm::scale_tally t = random_scale_tally(rng, s);
      const double mean = t.mean();
      double previous_width = 0;
      for (const double level : {0.14, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999}) {
        const auto ci = t.mean_interval(level);
        ASSERT_TRUE(ci.ok());
        EXPECT_EQ(ci->method, cxm::interval_method::hall_t);
        EXPECT_GE(ci->lower, s.min);
        EXPECT_LE(ci->upper, s.max);
        EXPECT_TRUE(ci->point_inside()) << k << " level " << level;
        EXPECT_EQ(ci->point, mean);
        EXPECT_LT(ci->lower, ci->upper) << k;  // never collapses, even with one distinct answer
        EXPECT_GE(ci->upper - ci->lower, previous_width) << k << " level " << level;
        previous_width = ci->upper - ci->lower;
      }
      const auto here = t.mean_interval(0.95), twice = doubled(t).mean_interval(0.95);
      ASSERT_TRUE(here.ok() && twice.ok());
      // Strictly narrower unless both span the whole scale (two answers, 1 and 7, and 4 of them).
      EXPECT_LE(twice->upper - twice->lower, here->upper - here->lower) << k;
      if (here->upper - here->lower < s.max - s.min) {
        EXPECT_LT(twice->upper - twice->lower, here->upper - here->lower) << k;
      }
    }
  }
  // A symmetric sample has γ̂ = 0: Hall's interval is Student's.
  cxm::scale_tally sym;
  for (int a : {2, 3, 3, 4, 4, 4, 5, 5, 6}) ASSERT_TRUE(sym.add(a).ok());
  const auto h = sym.mean_interval(0.95), st = sym.mean_interval(0.95, cxm::interval_method::student_t);
  ASSERT_TRUE(h.ok() && st.ok());
  EXPECT_NEAR(h->lower, st->lower, 1e-12);
  EXPECT_NEAR(h->upper, st->upper, 1e-12);
  // Skewed towards 7 (a long tail below): longer below the mean than above.
  cxm::scale_tally easy;
  for (int a : {2, 5, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7}) ASSERT_TRUE(easy.add(a).ok());
  const auto e = easy.mean_interval(0.95);
  ASSERT_TRUE(e.ok());
  EXPECT_GT(e->point - e->lower, e->upper - e->point);
  // Methods the mean does not have.
  EXPECT_EQ(easy.mean_interval(0.95, cxm::interval_method::wilson).code(), cxm::errc::invalid_argument);
  EXPECT_EQ(easy.mean_interval(0.95, cxm::interval_method::adjusted_wald).code(), cxm::errc::invalid_argument);
}
