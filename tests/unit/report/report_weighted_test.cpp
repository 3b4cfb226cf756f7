// SPDX-License-Identifier: MIT
// The design-weighted report (report_options::weighted): golden values computed independently
// (tests/data/golden/report_weighted_golden.py: exact fractions and the Python standard
// library), equal weights against the unweighted estimates, merge against one builder, and
// the JSON, CSV and text additions.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "cxm/report/report.hpp"
#include "io/strict_json.hpp"
#include "test_support.hpp"

namespace json = boost::json;

namespace {

// Estimates and differences are in points or on the answer scale, p-values in [0, 1]; the
// golden Student t tail is a double continued fraction (about 1e-14 relative).
constexpr double tolerance = 1e-9;

cxm::report_options weighted_options() {
  cxm::report_options o;
  o.questions = {{"nps", cxm::question_type::nps, cxm::scale::nps()},
                 {"ces", cxm::question_type::ces, cxm::scale::ces7()}};
  o.breakdowns = {"channel"};
  o.period = cxm::period_unit::day;
  o.weighted = true;
  return o;
}

cxm::report_builder make(const cxm::report_options& o) {
  auto b = cxm::report_builder::make(o);
  EXPECT_TRUE(b) << b.detail();
  return std::move(b).value();
}

void feed(cxm::report_builder& b, const std::vector<std::string>& lines, std::size_t from = 0,
          std::size_t to = static_cast<std::size_t>(-1)) {
  cxm::response_reader reader;
  for (std::size_t i = from; i < lines.size() && i < to; ++i) {
    reader.feed(lines[i], b);
    reader.feed("\n", b);
  }
  reader.finish(b);
  EXPECT_EQ(reader.stats().rejected_lines, 0u);
  b.add_reader_stats(reader.stats());
}

json::value golden() {
  cxm::detail::json_limits limits;
  auto v = cxm::detail::parse_strict(cxm_test::test_data("report_weighted_golden.json"), limits);
  EXPECT_TRUE(v.ok()) << v.detail();
  return v.ok() ? v.value() : json::value{};
}

std::vector<std::string> golden_lines(const json::value& g) {
  std::vector<std::string> out;
  for (const auto& l : g.at("responses").as_array()) out.emplace_back(l.as_string().c_str());
  return out;
}

double num(const json::value& v) { return v.to_number<double>(); }

void check_metric(const cxm::report_metric& m, const json::value& e) {
  SCOPED_TRACE(m.question);
  EXPECT_EQ(m.n, e.at("n").to_number<std::uint64_t>());
  ASSERT_TRUE(m.weighted);
  const cxm::report_weighted& w = *m.weighted;
  EXPECT_NEAR(w.sum_weights, num(e.at("sum_weights")), tolerance * num(e.at("sum_weights")));
  EXPECT_NEAR(w.n_effective, num(e.at("n_effective")), tolerance);
  EXPECT_EQ(w.small_sample, e.at("small_sample").as_bool());
  ASSERT_TRUE(w.estimate);
  EXPECT_NEAR(w.estimate->value, num(e.at("value")), tolerance);
  ASSERT_TRUE(w.estimate->standard_error);
  ASSERT_TRUE(w.estimate->bounds);
  EXPECT_NEAR(*w.estimate->standard_error, num(e.at("standard_error")), tolerance);
  EXPECT_NEAR(w.estimate->bounds->lower, num(e.at("lower")), tolerance);
  EXPECT_NEAR(w.estimate->bounds->upper, num(e.at("upper")), tolerance);
  if (m.type == cxm::question_type::nps) {
    EXPECT_FALSE(w.top_box);
    return;
  }
  ASSERT_TRUE(w.top_box);
  const json::value& tb = e.at("top_box");
  EXPECT_NEAR(w.top_box->value, num(tb.at("share")), tolerance);
  ASSERT_TRUE(w.top_box->standard_error);
  EXPECT_NEAR(*w.top_box->standard_error, num(tb.at("standard_error")), tolerance);
  ASSERT_TRUE(w.top_box->bounds);
  EXPECT_NEAR(w.top_box->bounds->lower, num(tb.at("lower")), tolerance);
  EXPECT_NEAR(w.top_box->bounds->upper, num(tb.at("upper")), tolerance);
}

void check_comparison(const std::optional<cxm::report_comparison>& c, const json::value& e, bool nps, bool adjusted) {
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->difference, num(e.at("difference")), tolerance);
  EXPECT_NEAR(c->lower, num(e.at("lower")), tolerance);
  EXPECT_NEAR(c->upper, num(e.at("upper")), tolerance);
  EXPECT_NEAR(c->p_value, num(e.at("p_value")), tolerance);
  EXPECT_EQ(c->method, nps ? "weighted_wald" : "weighted_welch_t");
  if (!adjusted) return;
  ASSERT_TRUE(c->p_adjusted);
  EXPECT_NEAR(*c->p_adjusted, num(e.at("p_adjusted")), tolerance);
  const json::value& flag = e.at("flag");
  EXPECT_EQ(c->flag, flag.is_null() ? 0 : (flag.as_string() == "higher" ? 1 : -1));
}

}  // namespace

TEST(WeightedReport, TotalsGroupsPeriodsAndComparisonsMatchTheGolden) {
  const json::value g = golden();
  auto b = make(weighted_options());
  feed(b, golden_lines(g));
  const cxm::report r = b.build();
  const char* questions[] = {"nps", "ces"};
  EXPECT_EQ(r.input.without_probability, g.at("without_probability").to_number<std::uint64_t>());
  for (std::size_t qi = 0; qi < 2; ++qi) check_metric(r.totals[qi], g.at("totals").at(questions[qi]));

  ASSERT_EQ(r.breakdowns.size(), 1u);
  const json::array& groups = g.at("groups").as_array();
  ASSERT_EQ(r.breakdowns[0].groups.size(), groups.size());
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const cxm::report_group& group = r.breakdowns[0].groups[gi];
    SCOPED_TRACE(group.value);
    EXPECT_EQ(group.value, groups[gi].at("value").as_string());
    for (std::size_t qi = 0; qi < 2; ++qi) {
      const json::value& e = groups[gi].at(questions[qi]);
      check_metric(group.questions[qi], e);
      check_comparison(group.vs_rest[qi], e.at("vs_rest"), qi == 0, true);
    }
  }

  ASSERT_TRUE(r.trend);
  const json::array& days = g.at("days").as_array();
  ASSERT_EQ(r.trend->periods.size(), days.size());
  for (std::size_t d = 0; d < days.size(); ++d) {
    const cxm::report_period& p = r.trend->periods[d];
    SCOPED_TRACE(p.label);
    EXPECT_EQ(p.label, days[d].at("label").as_string());
    EXPECT_EQ(p.responses, days[d].at("responses").to_number<std::uint64_t>());
    for (std::size_t qi = 0; qi < 2; ++qi) {
      const json::value& e = days[d].at(questions[qi]);
      check_metric(p.questions[qi], e);
      if (e.at("change").is_null()) EXPECT_FALSE(p.change[qi]);
      else check_comparison(p.change[qi], e.at("change"), qi == 0, false);
    }
  }
}

// π = 1/4 for everyone: the weights are equal and dyadic, so n_eff = n, Σw = 4n, and the
// Hájek mean and top-box share are the unweighted ones bit for bit. The NPS agrees to about
// 1e-14 points: the unweighted score is computed as 100·(P/n − D/n), whose subtraction cancels
// (2.2222222222222197 for 2/90), the weighted one as 100·(W_P − W_D)/W (2.2222222222222223).
TEST(WeightedReport, EqualWeightsGiveTheUnweightedPointEstimates) {
  std::vector<std::string> lines;
  const int nps[] = {10, 9, 8, 7, 6, 3, 0, 9, 10, 5, 8};
  const int ces[] = {7, 5, 6, 2, 4, 1, 7, 3};
  const char* channels[] = {"app", "web", "phone"};
  for (int i = 0; i < 90; ++i)
    lines.push_back("{\"id\":\"e" + std::to_string(i) + "\",\"survey_id\":\"s\",\"inclusion_probability\":0.25," +
                    "\"timestamp\":\"2026-10-0" + std::to_string(5 + i % 3) + "T10:00:00Z\",\"channel\":\"" +
                    channels[i % 3] + "\",\"answers\":{\"nps\":" + std::to_string(nps[i % 11]) +
                    ",\"ces\":" + std::to_string(ces[i % 8]) + "}}");
  auto b = make(weighted_options());
  feed(b, lines);
  const cxm::report r = b.build();
  EXPECT_EQ(r.input.without_probability, 0u);
  std::vector<const cxm::report_metric*> metrics;
  for (const auto& m : r.totals) metrics.push_back(&m);
  for (const auto& gr : r.breakdowns[0].groups)
    for (const auto& m : gr.questions) metrics.push_back(&m);
  for (const auto& p : r.trend->periods)
    for (const auto& m : p.questions) metrics.push_back(&m);
  for (const cxm::report_metric* m : metrics) {
    ASSERT_TRUE(m->weighted);
    ASSERT_TRUE(m->weighted->estimate);
    EXPECT_EQ(m->weighted->n_effective, static_cast<double>(m->n));
    EXPECT_EQ(m->weighted->sum_weights, 4.0 * static_cast<double>(m->n));
    if (m->type == cxm::question_type::nps) {
      EXPECT_NEAR(m->weighted->estimate->value, m->score->point, 1e-12);
    } else {
      EXPECT_EQ(m->weighted->estimate->value, *m->mean);
      EXPECT_EQ(m->weighted->top_box->value, m->top_box->point);
    }
  }
}

// Feeding the golden responses to one builder equals feeding them in two halves to two
// builders and merging, weighted parts included. With the golden's π (0.1, 0.2 are not dyadic)
// Σw is summed in another order, so the numbers agree to rounding; with dyadic π exactly.
TEST(WeightedReport, MergeEqualsOneBuilder) {
  const std::vector<std::string> lines = golden_lines(golden());
  auto one = make(weighted_options());
  feed(one, lines);
  auto first = make(weighted_options());
  auto second = make(weighted_options());
  feed(first, lines, 0, 50);
  feed(second, lines, 50);
  ASSERT_TRUE(first.merge(second));
  const cxm::report a = one.build(), m = first.build();
  EXPECT_EQ(a.input.without_probability, m.input.without_probability);
  ASSERT_EQ(a.breakdowns[0].groups.size(), m.breakdowns[0].groups.size());
  for (std::size_t gi = 0; gi < a.breakdowns[0].groups.size(); ++gi)
    for (std::size_t qi = 0; qi < 2; ++qi) {
      const auto& x = *a.breakdowns[0].groups[gi].questions[qi].weighted;
      const auto& y = *m.breakdowns[0].groups[gi].questions[qi].weighted;
      EXPECT_NEAR(x.sum_weights, y.sum_weights, 1e-12 * x.sum_weights);
      EXPECT_NEAR(x.estimate->value, y.estimate->value, 1e-12);
      EXPECT_NEAR(a.breakdowns[0].groups[gi].vs_rest[qi]->p_value, m.breakdowns[0].groups[gi].vs_rest[qi]->p_value,
                  1e-12);
    }

  // Dyadic π: the sums are exact in any order, so the documents are identical.
  std::vector<std::string> dyadic = lines;
  for (std::string& l : dyadic)
    for (const char* from : {"0.1,", "0.2,"}) {
      const auto at = l.find(std::string("\"inclusion_probability\":") + from);
      if (at != std::string::npos) l.replace(at + 24, 4, from[2] == '1' ? "0.125," : "0.25,");
    }
  auto one2 = make(weighted_options());
  feed(one2, dyadic);
  auto p1 = make(weighted_options());
  auto p2 = make(weighted_options());
  feed(p1, dyadic, 0, 61);
  feed(p2, dyadic, 61);
  ASSERT_TRUE(p1.merge(p2));
  EXPECT_EQ(cxm::to_json(one2.build()), cxm::to_json(p1.build()));
  EXPECT_EQ(cxm::to_csv(one2.build()), cxm::to_csv(p1.build()));
}

TEST(WeightedReport, OptionsMustAgreeToMerge) {
  auto w = make(weighted_options());
  auto o = weighted_options();
  o.weighted = false;
  auto u = make(o);
  EXPECT_EQ(w.merge(u).code(), cxm::errc::incompatible);
}

TEST(WeightedReport, JsonCsvAndTextCarryTheWeightedNumbers) {
  const json::value g = golden();
  auto b = make(weighted_options());
  feed(b, golden_lines(g));
  const cxm::report r = b.build();
  boost::system::error_code ec;
  const json::value j = json::parse(cxm::to_json(r), ec);
  ASSERT_FALSE(ec);
  EXPECT_EQ(j.at("settings").at("weighted"), true);
  EXPECT_EQ(j.at("input").at("without_probability"), g.at("without_probability"));
  const json::object& nps = j.at("totals").at(0).at("weighted").as_object();
  for (const char* k : {"score", "interval", "standard_error", "sum_weights", "n_effective", "small_sample"})
    EXPECT_TRUE(nps.contains(k)) << k;
  EXPECT_EQ(nps.size(), 6u);
  EXPECT_EQ(nps.at("interval").at("method"), "wald");
  EXPECT_NEAR(nps.at("score").as_double(), num(g.at("totals").at("nps").at("value")), tolerance);
  const json::object& ces = j.at("totals").at(1).at("weighted").as_object();
  for (const char* k : {"mean", "interval", "standard_error", "top_box", "sum_weights", "n_effective", "small_sample"})
    EXPECT_TRUE(ces.contains(k)) << k;
  EXPECT_EQ(ces.size(), 7u);
  EXPECT_EQ(ces.at("interval").at("method"), "t");
  EXPECT_EQ(ces.at("top_box").as_object().size(), 6u);  // min, share, lower, upper, method, standard_error
  EXPECT_EQ(j.at("breakdowns").at(0).at("groups").at(2).at("questions").at(0).at("vs_rest").at("method"),
            "weighted_wald");

  const std::string csv = cxm::to_csv(r);
  for (const char* s : {"\r\ntotal,,,,nps,weighted_score,", "\r\ntotal,,,,ces,weighted_mean,",
                        "\r\ntotal,,,,ces,weighted_top_box,", "\r\ntotal,,,,nps,n_effective,",
                        "\r\ntotal,,,,nps,sum_weights,", "\r\nbreakdown,channel,phone,,nps,weighted_score,",
                        "\r\ntrend,,,2026-10-06,ces,weighted_mean,"})
    EXPECT_NE(csv.find(s), std::string::npos) << s;

  const std::string text = cxm::to_text(r);
  EXPECT_NE(text.find("weighted by 1/inclusion_probability"), std::string::npos);
  EXPECT_NE(text.find("responses without inclusion_probability, weighted as"), std::string::npos);
  EXPECT_NE(text.find("    weighted              NPS"), std::string::npos) << text;
  EXPECT_NE(text.find("n_eff="), std::string::npos);
}

TEST(WeightedReport, UnweightedReportsHaveNoWeightedNumbers) {
  auto o = weighted_options();
  o.weighted = false;
  auto b = make(o);
  feed(b, golden_lines(golden()));
  const cxm::report r = b.build();
  EXPECT_FALSE(r.totals[0].weighted);
  EXPECT_EQ(r.breakdowns[0].groups[0].vs_rest[0]->method, "adjusted_wald");
  EXPECT_EQ(cxm::to_csv(r).find("weighted"), std::string::npos);
  EXPECT_EQ(cxm::to_text(r).find("n_eff"), std::string::npos);
}
