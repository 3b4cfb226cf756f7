// SPDX-License-Identifier: MIT
// Group-vs-rest comparisons against values computed independently of this code
// (tests/data/golden/report_golden.py: the definitions in exact fractions and the Python
// standard library, its own regularized incomplete beta for Welch's t).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "cxm/report/report.hpp"
#include "io/strict_json.hpp"
#include "test_support.hpp"

namespace json = boost::json;

namespace {

// Differences are in NPS points or on the answer scale; p-values in [0, 1]. The golden Welch
// tail is a double continued fraction (about 1e-14 relative), so 1e-9 separates a real
// disagreement from rounding with room on both sides.
constexpr double tolerance = 1e-9;

json::value golden() {
  cxm::detail::json_limits limits;
  auto v = cxm::detail::parse_strict(cxm_test::test_data("report_golden.json"), limits);
  EXPECT_TRUE(v.ok()) << v.detail();
  return v.ok() ? v.value() : json::value{};
}

cxm::report build(const json::value& g, cxm::p_adjust_method m) {
  cxm::report_options o;
  o.questions = {{"nps", cxm::question_type::nps, cxm::scale::nps()},
                 {"ces", cxm::question_type::ces, cxm::scale::ces7()}};
  o.breakdowns = {"channel"};
  o.level = g.at("level").as_double();
  o.p_adjust = m;
  auto b = cxm::report_builder::make(o);
  EXPECT_TRUE(b) << b.detail();
  cxm::response_reader reader;
  for (const auto& line : g.at("responses").as_array()) {
    const json::string& s = line.as_string();
    reader.feed(std::string_view(s.data(), s.size()), *b);
    reader.feed("\n", *b);
  }
  reader.finish(*b);
  EXPECT_EQ(reader.stats().rejected_lines, 0u);
  return b->build();
}

void check(const json::value& g, cxm::p_adjust_method m, const char* suffix) {
  const cxm::report r = build(g, m);
  ASSERT_EQ(r.breakdowns.size(), 1u);
  const cxm::report_breakdown& b = r.breakdowns[0];
  const char* questions[] = {"nps", "ces"};
  for (std::size_t qi = 0; qi < 2; ++qi) {
    const json::array& expected = g.at("groups").at(questions[qi]).as_array();
    ASSERT_EQ(b.groups.size(), expected.size());
    for (std::size_t gi = 0; gi < expected.size(); ++gi) {
      const json::value& e = expected[gi];
      const cxm::report_group& group = b.groups[gi];
      SCOPED_TRACE(std::string(questions[qi]) + " " + group.value + " " + suffix);
      EXPECT_EQ(group.value, e.at("group").as_string());
      EXPECT_EQ(group.questions[qi].n, e.at("n").to_number<std::uint64_t>());
      ASSERT_TRUE(group.vs_rest[qi]);
      const cxm::report_comparison& c = *group.vs_rest[qi];
      EXPECT_NEAR(c.difference, e.at("difference").as_double(), tolerance);
      EXPECT_NEAR(c.lower, e.at("lower").as_double(), tolerance);
      EXPECT_NEAR(c.upper, e.at("upper").as_double(), tolerance);
      EXPECT_NEAR(c.p_value, e.at("p_value").as_double(), tolerance);
      ASSERT_TRUE(c.p_adjusted);
      EXPECT_NEAR(*c.p_adjusted, e.at(std::string("p_adjusted_") + suffix).as_double(), tolerance);
      const json::value& flag = e.at(std::string("flag_") + suffix);
      const int expected_flag = flag.is_null() ? 0 : (flag.as_string() == "higher" ? 1 : -1);
      EXPECT_EQ(c.flag, expected_flag);
      EXPECT_EQ(c.method, qi == 0 ? "adjusted_wald" : "welch_t");
    }
  }
}

}  // namespace

TEST(ReportGolden, GroupVsRestWithBenjaminiHochberg) {
  check(golden(), cxm::p_adjust_method::benjamini_hochberg, "BH");
}

TEST(ReportGolden, GroupVsRestWithHolm) { check(golden(), cxm::p_adjust_method::holm, "holm"); }

// The dataset's phone NPS is the case that tells the two apart: raw p 0.023, BH 0.047
// (flagged), Holm 0.070 (not flagged).
TEST(ReportGolden, FlagsFollowTheAdjustedValueNotTheRawOne) {
  const json::value g = golden();
  const cxm::report bh = build(g, cxm::p_adjust_method::benjamini_hochberg);
  const cxm::report holm = build(g, cxm::p_adjust_method::holm);
  const auto& phone_bh = *bh.breakdowns[0].groups[2].vs_rest[0];
  const auto& phone_holm = *holm.breakdowns[0].groups[2].vs_rest[0];
  EXPECT_LT(phone_bh.p_value, 0.05);
  EXPECT_EQ(phone_bh.flag, -1);
  EXPECT_EQ(phone_holm.flag, 0);
}
