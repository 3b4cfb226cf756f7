// SPDX-License-Identifier: MIT
// Choice tallies: make, add, share, the merge laws on seeded random answers, restore (the
// decoders' entry) and its consistency checks, incompatibility and the count limit.
#include "cxm/stats/choice_tally.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

using cxm::choice_tally;
using cxm::errc;

namespace {

choice_tally made(std::vector<std::string> ids, bool multiple) {
  auto t = choice_tally::make(std::move(ids), multiple);
  EXPECT_TRUE(t.ok()) << t.detail();
  return t.ok() ? std::move(t).value() : choice_tally();
}

const std::vector<std::string> colours{"red", "green", "blue", "white"};

// Seeded random answers: for a single choice one index; for multiple 0-4 distinct indices.
std::vector<std::vector<std::size_t>> random_answers(std::uint32_t seed, bool multiple) {
  std::mt19937 rng(seed);
  std::vector<std::vector<std::size_t>> out(rng() % 60);
  for (auto& a : out) {
    if (!multiple) {
      a.push_back(rng() % colours.size());
      continue;
    }
    for (std::size_t k = 0; k < colours.size(); ++k)
      if (rng() % 2 == 0) a.push_back(k);
    if (a.empty()) a.push_back(rng() % colours.size());  // an answer picks at least one
  }
  return out;
}

choice_tally tally(const std::vector<std::vector<std::size_t>>& answers, bool multiple) {
  choice_tally t = made(colours, multiple);
  for (const auto& a : answers) EXPECT_TRUE(t.add(a.data(), a.size()).ok());
  return t;
}

choice_tally merged(choice_tally a, const choice_tally& b) {
  EXPECT_TRUE(a.merge(b).ok());
  return a;
}

}  // namespace

TEST(ChoiceTally, MakeChecksTheChoices) {
  const choice_tally t = made(colours, false);
  EXPECT_EQ(t.choices(), colours);
  EXPECT_FALSE(t.multiple());
  EXPECT_EQ(t.answers(), 0u);
  EXPECT_EQ(t.counts(), (std::vector<std::uint64_t>{0, 0, 0, 0}));
  EXPECT_EQ(t.index_of("blue"), 2u);
  EXPECT_EQ(t.index_of("Blue"), choice_tally::npos);
  EXPECT_EQ(choice_tally::make({"a", "b", "a"}).code(), errc::invalid_argument);
  std::vector<std::string> many;
  for (std::size_t i = 0; i <= choice_tally::max_choices; ++i) many.push_back("c" + std::to_string(i));
  EXPECT_EQ(choice_tally::make(many).code(), errc::too_large);
  many.pop_back();
  EXPECT_TRUE(choice_tally::make(many).ok());
  EXPECT_TRUE(choice_tally::make({}).ok());
}

TEST(ChoiceTally, AddCountsAnswersAndPicks) {
  choice_tally single = made(colours, false);
  EXPECT_TRUE(single.add(1).ok());
  EXPECT_TRUE(single.add(1).ok());
  EXPECT_TRUE(single.add(3).ok());
  EXPECT_EQ(single.answers(), 3u);
  EXPECT_EQ(single.counts(), (std::vector<std::uint64_t>{0, 2, 0, 1}));
  EXPECT_DOUBLE_EQ(single.share(1), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(single.share(0), 0.0);
  EXPECT_DOUBLE_EQ(single.share(99), 0.0);  // unknown index

  // Several picks in one answer: each counts, the answer once; shares may add up to over 1.
  choice_tally multi = made(colours, true);
  const std::size_t three[] = {0, 2, 3};
  const std::size_t one[] = {2};
  EXPECT_TRUE(multi.add(three, 3).ok());
  EXPECT_TRUE(multi.add(one, 1).ok());
  EXPECT_EQ(multi.answers(), 2u);
  EXPECT_EQ(multi.counts(), (std::vector<std::uint64_t>{1, 0, 2, 1}));
  EXPECT_DOUBLE_EQ(multi.share(2), 1.0);
  EXPECT_DOUBLE_EQ(multi.share(0) + multi.share(2) + multi.share(3), 2.0);

  EXPECT_DOUBLE_EQ(made(colours, false).share(0), 0.0);  // no answers
}

TEST(ChoiceTally, BadPicksChangeNothing) {
  choice_tally single = made(colours, false);
  ASSERT_TRUE(single.add(0).ok());
  const choice_tally before = single;
  const std::size_t two[] = {0, 1};
  EXPECT_EQ(single.add(4).code(), errc::out_of_range);
  EXPECT_EQ(single.add(choice_tally::npos).code(), errc::out_of_range);
  EXPECT_EQ(single.add(two, 2).code(), errc::invalid_argument);  // several picks, not multiple
  EXPECT_EQ(single, before);

  choice_tally multi = made(colours, true);
  ASSERT_TRUE(multi.add(two, 2).ok());
  const choice_tally mbefore = multi;
  const std::size_t repeated[] = {1, 2, 1};
  const std::size_t past[] = {1, 9};
  EXPECT_EQ(multi.add(repeated, 3).code(), errc::invalid_argument);
  EXPECT_EQ(multi.add(past, 2).code(), errc::out_of_range);
  EXPECT_EQ(multi, mbefore);

  choice_tally none;  // a tally of no choices: every add is out of range
  EXPECT_EQ(none.add(0).code(), errc::out_of_range);
  EXPECT_EQ(none.answers(), 0u);
}

TEST(ChoiceTally, MergeIsACommutativeMonoidEqualToTheUnion) {
  for (bool multiple : {false, true}) {
    const choice_tally empty = made(colours, multiple);
    for (std::uint32_t seed = 1; seed <= 100; ++seed) {
      const auto xa = random_answers(seed, multiple), xb = random_answers(seed + 1000, multiple),
                 xc = random_answers(seed + 2000, multiple);
      const choice_tally a = tally(xa, multiple), b = tally(xb, multiple), c = tally(xc, multiple);
      EXPECT_EQ(merged(merged(a, b), c), merged(a, merged(b, c))) << seed;
      EXPECT_EQ(merged(a, b), merged(b, a)) << seed;
      EXPECT_EQ(merged(a, empty), a) << seed;
      auto all = xa;
      all.insert(all.end(), xb.begin(), xb.end());
      all.insert(all.end(), xc.begin(), xc.end());
      EXPECT_EQ(merged(merged(a, b), c), tally(all, multiple)) << seed;
      // Restoring from the parts gives the same tally.
      auto back = choice_tally::restore(a.choices(), a.multiple(), a.answers(), a.counts());
      ASSERT_TRUE(back.ok()) << back.detail();
      EXPECT_EQ(back.value(), a) << seed;
    }
  }
}

TEST(ChoiceTally, OnlyTalliesOfTheSameChoicesMerge) {
  choice_tally a = made(colours, false);
  ASSERT_TRUE(a.add(0).ok());
  const choice_tally before = a;
  const choice_tally multiple = made(colours, true);
  const choice_tally reordered = made({"green", "red", "blue", "white"}, false);
  const choice_tally fewer = made({"red", "green", "blue"}, false);
  for (const choice_tally* other : {&multiple, &reordered, &fewer}) {
    EXPECT_FALSE(a.same_choices(*other));
    EXPECT_EQ(a.merge(*other).code(), errc::incompatible);
    EXPECT_EQ(a, before);
  }
  EXPECT_TRUE(a.same_choices(made(colours, false)));
  EXPECT_NE(a, made(colours, false));  // same layout, other counts
}

TEST(ChoiceTally, RestoreChecksTheParts) {
  struct row {
    bool multiple;
    std::uint64_t answers;
    std::vector<std::uint64_t> counts;
    errc code;  // ok: restored
  };
  const row rows[] = {
      {false, 3, {1, 2, 0, 0}, errc::ok},
      {false, 0, {0, 0, 0, 0}, errc::ok},
      {false, 3, {1, 1, 0, 0}, errc::invalid_argument},     // a single choice: counts add up to answers
      {false, 3, {1, 1, 1, 1}, errc::invalid_argument},
      {false, 3, {1, 2, 0}, errc::invalid_argument},        // one count per choice
      {false, 3, {1, 2, 0, 0, 0}, errc::invalid_argument},
      {true, 3, {3, 3, 1, 0}, errc::ok},
      {true, 3, {4, 0, 0, 0}, errc::invalid_argument},      // a choice picked more often than answered
      {true, cxm::max_count, {cxm::max_count, 1, 0, 0}, errc::ok},
      {true, cxm::max_count + 1, {0, 0, 0, 0}, errc::out_of_range},
      {false, 2, {UINT64_MAX, 3, 0, 0}, errc::invalid_argument},  // sums that would wrap
  };
  for (const row& x : rows) {
    auto t = choice_tally::restore(colours, x.multiple, x.answers, x.counts);
    EXPECT_EQ(t.code(), x.code) << x.answers << " " << t.detail();
    if (t.ok()) {
      EXPECT_EQ(t->answers(), x.answers);
      EXPECT_EQ(t->counts(), x.counts);
    } else {
      EXPECT_FALSE(t.detail().empty());
    }
  }
  EXPECT_EQ(choice_tally::restore({"a", "a"}, true, 0, {0, 0}).code(), errc::invalid_argument);  // as make
}

TEST(ChoiceTally, MergeRefusesToPassTheCountLimit) {
  auto half = choice_tally::restore(colours, true, cxm::max_count / 2 + 1, {cxm::max_count / 2 + 1, 0, 0, 0});
  ASSERT_TRUE(half.ok());
  choice_tally a = half.value();
  EXPECT_EQ(a.merge(half.value()).code(), errc::out_of_range);
  EXPECT_EQ(a, half.value());
  auto exact = choice_tally::restore(colours, true, cxm::max_count / 2, {cxm::max_count / 2, 0, 0, 0});
  ASSERT_TRUE(exact.ok());
  choice_tally b = exact.value();
  ASSERT_TRUE(b.merge(exact.value()).ok());
  EXPECT_EQ(b.answers(), cxm::max_count);
  EXPECT_EQ(b.add(0).code(), errc::out_of_range);  // a full tally refuses one more answer
  EXPECT_EQ(b.answers(), cxm::max_count);
}
