// SPDX-License-Identifier: MIT
// The one rule that decides whether a number is an answer on a scale (classify_answer), its
// precedence, and that the tallies' add(double) follow it on every named scale.
#include "cxm/stats/scale.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"

using cxm::errc;
using cxm::scale;

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_inf = std::numeric_limits<double>::infinity();

}  // namespace

// Precedence: not_finite, then not_integer, then out_of_range. Each row holds a value that
// could be reported for more than one reason and the one it is reported for.
TEST(ClassifyAnswer, PrecedenceTable) {
  struct row {
    double answer;
    scale s;
    errc code;
  };
  const row rows[] = {
      // On the NPS scale (0-10).
      {0, scale::nps(), errc::ok},
      {10, scale::nps(), errc::ok},
      {9.0, scale::nps(), errc::ok},
      {-0.0, scale::nps(), errc::ok},  // -0 is 0
      {11, scale::nps(), errc::out_of_range},
      {-1, scale::nps(), errc::out_of_range},
      {1e12, scale::nps(), errc::out_of_range},
      {1e300, scale::nps(), errc::out_of_range},
      {-1e300, scale::nps(), errc::out_of_range},
      {9.5, scale::nps(), errc::not_integer},
      {11.5, scale::nps(), errc::not_integer},   // fraction and off the scale: not_integer
      {-0.5, scale::nps(), errc::not_integer},   // likewise below it
      {10.000001, scale::nps(), errc::not_integer},
      {std::nextafter(10.0, 11.0), scale::nps(), errc::not_integer},
      {std::numeric_limits<double>::denorm_min(), scale::nps(), errc::not_integer},
      {k_nan, scale::nps(), errc::not_finite},
      {k_inf, scale::nps(), errc::not_finite},   // infinite and off the scale: not_finite
      {-k_inf, scale::nps(), errc::not_finite},
      // On CES 7 (1-7), CES 5 and CSAT 5 (1-5).
      {1, scale::ces7(), errc::ok},
      {7, scale::ces7(), errc::ok},
      {0, scale::ces7(), errc::out_of_range},
      {8, scale::ces7(), errc::out_of_range},
      {0.5, scale::ces7(), errc::not_integer},
      {7.5, scale::ces7(), errc::not_integer},
      {6, scale::ces5(), errc::out_of_range},
      {6, scale::csat5(), errc::out_of_range},
      {5.5, scale::csat5(), errc::not_integer},
      {k_nan, scale::csat5(), errc::not_finite},
      // A scale with negative points.
      {-5, scale{-5, 5, 3}, errc::ok},
      {-6, scale{-5, 5, 3}, errc::out_of_range},
      {-5.5, scale{-5, 5, 3}, errc::not_integer},
  };
  for (const row& x : rows) {
    EXPECT_EQ(cxm::classify_answer(x.answer, x.s), x.code)
        << x.answer << " on " << x.s.min << "-" << x.s.max;
  }
}

// nps_tally::add(double) and scale_tally::add(double) give classify_answer's verdict and count
// the rejection under it, for every value of a sweep over each named scale.
TEST(ClassifyAnswer, TalliesFollowTheRule) {
  const double values[] = {-k_inf, -1e300, -11.5, -1, -0.5, -0.0, 0, 0.25, 1, 4.5, 5, 6.999, 7, 7.5, 9, 9.5,
                           10, 10.5, 11, 11.5, 1e12, 1e300, k_inf, k_nan};
  for (double v : values) {
    cxm::nps_tally n;
    const errc expected = cxm::classify_answer(v, scale::nps());
    EXPECT_EQ(n.add(v).code(), expected) << v;
    EXPECT_EQ(n.total(), expected == errc::ok ? 1u : 0u) << v;
    if (expected != errc::ok) {
      EXPECT_EQ(n.rejected(expected), 1u) << v;
    }
    for (const scale s : {scale::ces7(), scale::ces5(), scale::csat5()}) {
      auto t = cxm::scale_tally::make(s).value();
      const errc e = cxm::classify_answer(v, s);
      EXPECT_EQ(t.add(v).code(), e) << v << " on " << s.max;
      EXPECT_EQ(t.total(), e == errc::ok ? 1u : 0u) << v;
      if (e != errc::ok) {
        EXPECT_EQ(t.rejected(e), 1u) << v;
      }
    }
  }
}

TEST(ClassifyAnswer, NamedScales) {
  static_assert(scale::nps() == scale{0, 10, 9});
  static_assert(scale::nps().valid() && scale::nps().points() == scale::max_points);
  static_assert(scale::ces7().valid() && scale::ces5().valid() && scale::csat5().valid());
  EXPECT_EQ(cxm::classify_answer(9, scale::nps()), errc::ok);
}
