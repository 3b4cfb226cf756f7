// SPDX-License-Identifier: MIT
// Adjusted p-values: the golden cases of tests/data/golden.json ("p_adjust", computed with
// exact fractions by tests/data/golden/p_adjust_golden.py from the procedures' definitions),
// the laws every adjustment obeys, and the errors.
#include "cxm/stats/p_adjust.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "io/strict_json.hpp"
#include "test_support.hpp"

namespace json = boost::json;

namespace {

using cxm::p_adjust_method;

constexpr p_adjust_method all_methods[] = {p_adjust_method::none, p_adjust_method::bonferroni,
                                           p_adjust_method::holm, p_adjust_method::benjamini_hochberg};

// The golden values are the exact results rounded once to a double; the C++ takes at most two
// roundings per value (R's (m/j)·p), and parsing the decimal inputs back may cost an ulp.
constexpr double relative_tolerance = 1e-15;

json::value golden() {
  cxm::detail::json_limits limits;
  auto v = cxm::detail::parse_strict(cxm_test::test_data("golden.json"), limits);
  EXPECT_TRUE(v.ok()) << v.detail();
  return v.ok() ? v.value() : json::value{};
}

std::vector<double> doubles(const json::value& v) {
  std::vector<double> out;
  for (const json::value& x : v.as_array()) out.push_back(x.to_number<double>());
  return out;
}

std::vector<double> adjust(const std::vector<double>& p, p_adjust_method m) {
  auto r = cxm::adjust_p_values(p, m);
  EXPECT_TRUE(r.ok()) << cxm::name(m) << ": " << r.detail();
  return r.ok() ? std::move(r).value() : std::vector<double>{};
}

// Seeded p-values with many ties and a wide range of magnitudes, as a breakdown's many small
// groups give them: uniform, cubed (small ones), and rounded to two decimals (ties).
std::vector<double> random_p(std::uint32_t seed, std::size_t n) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double> p(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double x = u(rng);
    switch (i % 3) {
      case 0: p[i] = x; break;
      case 1: p[i] = x * x * x; break;
      default: p[i] = std::round(x * 100.0) / 100.0; break;
    }
  }
  return p;
}

}  // namespace

TEST(PAdjust, NamesRoundTrip) {
  for (p_adjust_method m : all_methods) {
    p_adjust_method parsed = p_adjust_method::none;
    EXPECT_TRUE(cxm::parse_p_adjust_method(cxm::name(m), parsed)) << cxm::name(m);
    EXPECT_EQ(parsed, m);
  }
  EXPECT_STREQ(cxm::name(p_adjust_method::benjamini_hochberg), "benjamini_hochberg");
  p_adjust_method out = p_adjust_method::holm;
  EXPECT_FALSE(cxm::parse_p_adjust_method("BH", out));
  EXPECT_FALSE(cxm::parse_p_adjust_method("", out));
  EXPECT_FALSE(cxm::parse_p_adjust_method("holm ", out));
  EXPECT_EQ(out, p_adjust_method::holm);
  EXPECT_STREQ(cxm::name(static_cast<p_adjust_method>(4)), "unknown");
}

TEST(PAdjust, MatchesTheGoldenValues) {
  const json::value g = golden();
  std::size_t checked = 0;
  for (const json::value& c : g.at("p_adjust").as_array()) {
    const std::string name(c.at("name").as_string());
    const std::vector<double> p = doubles(c.at("p"));
    EXPECT_EQ(adjust(p, p_adjust_method::none), p) << name;
    for (p_adjust_method m : all_methods) {
      if (m == p_adjust_method::none) continue;
      const std::vector<double> expected = doubles(c.at(cxm::name(m)));
      const std::vector<double> got = adjust(p, m);
      ASSERT_EQ(got.size(), expected.size()) << name;
      for (std::size_t i = 0; i < got.size(); ++i) {
        const std::string what = name + " " + cxm::name(m) + " [" + std::to_string(i) + "]";
        if (expected[i] == 0.0) {
          EXPECT_EQ(got[i], 0.0) << what;
        } else {
          EXPECT_LE(std::fabs(got[i] - expected[i]), relative_tolerance * expected[i])
              << what << ": " << got[i] << " vs golden " << expected[i];
        }
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 150u);
}

TEST(PAdjust, EmptyAndSingleInputs) {
  for (p_adjust_method m : all_methods) {
    EXPECT_TRUE(adjust({}, m).empty()) << cxm::name(m);
    for (double x : {0.0, 1e-300, 0.03, 1.0})
      EXPECT_EQ(adjust({x}, m), std::vector<double>{x}) << cxm::name(m);
  }
}

TEST(PAdjust, ByHand) {
  // m = 4: Bonferroni 4p; Holm 4·0.01, max(3·0.02, 0.04), max(2·0.03, 0.06), 1·0.04 -> 0.06;
  // BH from the top: 0.04·4/4, min(0.04, 0.03·4/3), min(0.04, 0.02·4/2), 0.01·4.
  const std::vector<double> p{0.03, 0.01, 0.04, 0.02};
  const auto near = [](const std::vector<double>& got, const std::vector<double>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-15) << i;
  };
  near(adjust(p, p_adjust_method::bonferroni), {0.12, 0.04, 0.16, 0.08});
  near(adjust(p, p_adjust_method::holm), {0.06, 0.04, 0.06, 0.06});
  near(adjust(p, p_adjust_method::benjamini_hochberg), {0.04, 0.04, 0.04, 0.04});
  // Caps at 1, and ties share a value.
  near(adjust({0.5, 0.5, 0.9}, p_adjust_method::bonferroni), {1, 1, 1});
  near(adjust({0.2, 0.2, 0.9}, p_adjust_method::holm), {0.6, 0.6, 0.9});
  near(adjust({0.2, 0.2, 0.9}, p_adjust_method::benjamini_hochberg), {0.3, 0.3, 0.9});
}

TEST(PAdjust, AdjustedValuesAreBetweenRawAndOneAndOrderedByMethod) {
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    const std::vector<double> p = random_p(seed, seed % 7 == 0 ? 1 + seed * 5 : seed);
    const auto bonferroni = adjust(p, p_adjust_method::bonferroni);
    const auto holm = adjust(p, p_adjust_method::holm);
    const auto bh = adjust(p, p_adjust_method::benjamini_hochberg);
    ASSERT_EQ(holm.size(), p.size());
    ASSERT_EQ(bh.size(), p.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
      const std::string what = "seed " + std::to_string(seed) + " [" + std::to_string(i) + "]";
      for (double a : {bonferroni[i], holm[i], bh[i]}) {
        EXPECT_GE(a, p[i]) << what;
        EXPECT_LE(a, 1.0) << what;
      }
      EXPECT_LE(bh[i], holm[i]) << what;
      EXPECT_LE(holm[i], bonferroni[i]) << what;
    }
  }
}

TEST(PAdjust, ShufflingTheInputShufflesTheResult) {
  std::mt19937 rng(2024);
  for (std::uint32_t seed = 1; seed <= 25; ++seed) {
    const std::vector<double> p = random_p(seed, 3 * seed);
    std::vector<std::size_t> perm(p.size());
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    std::shuffle(perm.begin(), perm.end(), rng);
    std::vector<double> shuffled(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) shuffled[i] = p[perm[i]];
    for (p_adjust_method m : all_methods) {
      const auto whole = adjust(p, m);
      const auto of_shuffled = adjust(shuffled, m);
      ASSERT_EQ(of_shuffled.size(), p.size());
      for (std::size_t i = 0; i < p.size(); ++i)  // exactly: ties do not depend on their order
        EXPECT_EQ(of_shuffled[i], whole[perm[i]]) << cxm::name(m) << " seed " << seed << " [" << i << "]";
    }
  }
}

TEST(PAdjust, MonotoneInTheRawOrder) {
  for (std::uint32_t seed = 1; seed <= 25; ++seed) {
    const std::vector<double> p = random_p(seed, 4 * seed);
    for (p_adjust_method m : all_methods) {
      const auto a = adjust(p, m);
      for (std::size_t i = 0; i < p.size(); ++i)
        for (std::size_t j = 0; j < p.size(); ++j) {
          if (p[i] < p[j]) {
            EXPECT_LE(a[i], a[j]) << cxm::name(m) << " seed " << seed;
          } else if (p[i] == p[j]) {
            EXPECT_EQ(a[i], a[j]) << cxm::name(m) << " seed " << seed;
          }
        }
    }
  }
}

TEST(PAdjust, SignificantIsTheProceduresDecision) {
  // Holm at 0.05 on {0.01, 0.02, 0.03, 0.04}: 0.01 <= 0.05/4, 0.02 > 0.05/3: stop; BH: 0.04 <=
  // 4·0.05/4, so all four.
  const std::vector<double> p{0.03, 0.01, 0.04, 0.02};
  auto holm = cxm::significant(adjust(p, p_adjust_method::holm), 0.05);
  ASSERT_TRUE(holm.ok()) << holm.detail();
  EXPECT_EQ(*holm, (std::vector<bool>{false, true, false, false}));
  auto bh = cxm::significant(adjust(p, p_adjust_method::benjamini_hochberg), 0.05);
  ASSERT_TRUE(bh.ok()) << bh.detail();
  EXPECT_EQ(*bh, (std::vector<bool>{true, true, true, true}));
  // <=, as in the papers: an adjusted value equal to alpha is significant.
  auto at = cxm::significant({0.25, 0.5}, 0.25);
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(*at, (std::vector<bool>{true, false}));
  auto none = cxm::significant({}, 0.05);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(PAdjust, RejectsValuesThatAreNotProbabilitiesNamingTheIndex) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct bad_case {
    std::vector<double> p;
    const char* detail;
  };
  const bad_case cases[] = {
      {{0.1, nan, 0.2}, "p[1]: expected a p-value in [0, 1], got NaN"},
      {{0.1, 0.2, -0.01}, "p[2]: expected a p-value in [0, 1], got a negative number"},
      {{1.0000000000000002}, "p[0]: expected a p-value in [0, 1], got a number above 1"},
      {{0.0, 1.0, 0.5, inf}, "p[3]: expected a p-value in [0, 1], got a number above 1"},
      {{-inf}, "p[0]: expected a p-value in [0, 1], got a negative number"},
  };
  for (const bad_case& c : cases)
    for (p_adjust_method m : all_methods) {
      auto r = cxm::adjust_p_values(c.p, m);
      ASSERT_FALSE(r.ok()) << c.detail;
      EXPECT_EQ(r.code(), cxm::errc::invalid_argument);
      EXPECT_EQ(r.detail(), c.detail) << cxm::name(m);
    }
  auto m = cxm::adjust_p_values({0.1}, static_cast<p_adjust_method>(9));
  EXPECT_EQ(m.code(), cxm::errc::invalid_argument);

  for (double alpha : {0.0, 1.0, -0.5, nan})
    EXPECT_EQ(cxm::significant({0.1}, alpha).code(), cxm::errc::invalid_argument) << alpha;
  auto s = cxm::significant({0.1, 0.2, 1.5}, 0.05);
  EXPECT_EQ(s.code(), cxm::errc::invalid_argument);
  EXPECT_EQ(s.detail(), "adjusted[2]: expected a p-value in [0, 1], got a number above 1");
}
