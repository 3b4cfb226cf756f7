// SPDX-License-Identifier: MIT
// The report's journey section: a hand-made journey report with numbers worked out by hand
// (funnel, NPS and its adjusted Wald interval from the formula, duration bands, effort index)
// summarized by the core, and the JSON, CSV and text printing the same numbers.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cxm/report/report.hpp"

namespace json = boost::json;

namespace {

constexpr double z95 = 1.959963984540054;  // the normal 0.975 quantile

// Adjusted Wald (Rocks 2016) from its definition: 3/4 promoter, 3/2 passive, 3/4 detractor
// pseudo-answers, centred on the adjusted score, in points.
struct nps_expect {
  double score, lower, upper;
};
nps_expect adjusted_wald(double promoters, double passives, double detractors) {
  const double n = promoters + passives + detractors;
  const double m = n + 3;
  const double p = (promoters + 0.75) / m, d = (detractors + 0.75) / m;
  const double se = std::sqrt((p + d - (p - d) * (p - d)) / m);
  const double c = 100 * (p - d);
  return {100 * (promoters - detractors) / n, std::max(-100.0, c - 100 * z95 * se),
          std::min(100.0, c + 100 * z95 * se)};
}

cxm::nps_tally::counts_type counts(const std::vector<int>& answers) {
  cxm::nps_tally::counts_type c{};
  for (int a : answers) ++c[static_cast<std::size_t>(a)];
  return c;
}

// Steps apply -> verify -> "הזמנה" (Hebrew: order), and a detour. Segments a and b. The "apply"
// step took 1..100 s (one respondent each at 10, 50, 70, 95 s), split over two segments and
// two channels.
cxm::journey_report sample() {
  cxm::journey_report j;
  j.journey_id = "bank-switch";
  j.revision = 3;
  for (const char* s : {"apply", "verify", "הזמנה", "detour"}) {
    cxm::journey_report::step_info i;
    i.name = s;
    i.funnel = std::string(s) != "detour";
    j.steps.push_back(i);
  }
  cxm::journey_segment_stats a, b;
  a.started = 60, a.completed = 20, b.started = 40, b.completed = 10;
  a.reached = {60, 45, 20, 5}, b.reached = {40, 25, 10, 0};
  a.ended = {55, 40, 20, 5}, b.ended = {38, 20, 10, 0};
  a.last_step = {15, 25, 0, 0}, b.last_step = {15, 15, 0, 0};
  a.effort.journeys = 60, a.effort.transfers = 6, a.effort.recontacts = 3, a.effort.channel_switches = 12;
  a.effort.repeats = 2, a.effort.wait_points = 9, a.effort.contacts = 30, a.effort.waits = 4, a.effort.wait_ms = 2700000;
  b.effort.journeys = 40, b.effort.transfers = 4, b.effort.recontacts = 1, b.effort.channel_switches = 8;
  b.effort.repeats = 0, b.effort.wait_points = 1, b.effort.contacts = 10, b.effort.waits = 1, b.effort.wait_ms = 300000;
  j.segments.emplace("customer=a", a);
  j.segments.emplace("customer=b", b);
  // apply: 1..100 s; odd seconds on the web (segment a), even ones in the app, split by segment.
  for (int s = 1; s <= 100; ++s) {
    const char* seg = s % 4 < 2 ? "customer=a" : "customer=b";
    const char* ch = s % 2 == 1 ? "web" : "app";
    cxm::duration_sketch& d = j.durations[cxm::journey_report::cell_key("apply", seg, ch)];
    EXPECT_TRUE(d.record(1000.0 * s));
  }
  cxm::duration_sketch& verify = j.durations[cxm::journey_report::cell_key("verify", "customer=a", "")];
  EXPECT_TRUE(verify.record(3600000.0));
  j.step_effort.resize(4);
  j.step_effort[0].journeys = 100, j.step_effort[0].transfers = 5, j.step_effort[0].recontacts = 2;
  j.step_effort[1].journeys = 70, j.step_effort[1].channel_switches = 7, j.step_effort[1].wait_points = 7;
  j.survey.resize(4);
  for (auto& s : j.survey) {
    s.nps.id = "nps";
    s.nps.type = cxm::question_type::nps;
  }
  // apply's respondents: 10 s and 50 s (at most p50), 70 s (to p90), 95 s (over p90).
  const std::vector<std::pair<double, std::vector<int>>> by_time = {
      {10000, {10, 10}}, {50000, {0}}, {70000, {9, 7}}, {95000, {0, 0, 3, 10}}};
  std::vector<int> all;
  for (const auto& [ms, answers] : by_time) {
    auto& c = j.survey[0].nps_by_duration[cxm::journey_report::duration_band(ms)];
    for (int x : answers) ++c[static_cast<std::size_t>(x)];
    all.insert(all.end(), answers.begin(), answers.end());
  }
  j.survey[0].nps.nps = cxm::nps_tally(counts(all));
  j.survey[0].nps.answered = j.survey[0].nps.shown = all.size();
  return j;
}

cxm::report_options options() {
  cxm::report_options o;
  o.questions = {{"nps", cxm::question_type::nps, cxm::scale::nps()}};
  o.min_n = 5;
  return o;
}

TEST(ReportJourney, FunnelAndCountsAreTheSegmentsSummed) {
  const cxm::report_journey r = cxm::summarize_journey(sample(), options());
  EXPECT_EQ(r.id, "bank-switch");
  EXPECT_EQ(r.revision, 3);
  EXPECT_EQ(r.started, 100u);
  EXPECT_EQ(r.completed, 30u);
  ASSERT_EQ(r.funnel.size(), 3u);  // the detour is not a funnel step
  EXPECT_EQ(r.funnel[0].step, "apply");
  EXPECT_EQ(r.funnel[0].reached, 100u);
  EXPECT_EQ(r.funnel[0].ended, 93u);
  EXPECT_EQ(r.funnel[0].dropped, 30u);
  EXPECT_DOUBLE_EQ(r.funnel[0].conversion_to_next, 70.0 / 100.0);
  EXPECT_EQ(r.funnel[1].reached, 70u);
  EXPECT_DOUBLE_EQ(r.funnel[1].conversion_to_next, 30.0 / 70.0);
  EXPECT_EQ(r.funnel[2].step, "הזמנה");
  EXPECT_EQ(r.funnel[2].reached, 30u);
  EXPECT_EQ(r.funnel[2].conversion_to_next, 0.0);
}

TEST(ReportJourney, DurationPercentilesByChannelWithinTheSketchError) {
  const cxm::report_journey r = cxm::summarize_journey(sample(), options());
  ASSERT_EQ(r.durations.size(), 3u);  // apply/app, apply/web, verify/""
  const auto& app = r.durations[0];
  const auto& web = r.durations[1];
  EXPECT_EQ(app.step, "apply");
  EXPECT_EQ(app.channel, "app");
  EXPECT_EQ(web.channel, "web");
  EXPECT_EQ(app.n, 50u);
  EXPECT_EQ(web.n, 50u);
  // quantile(q) estimates x_(floor(q·(n−1))): app holds 2, 4, ..., 100 s; web 1, 3, ..., 99 s.
  const double bound = 0.0055;  // scale 6: about 0.54%
  const auto near = [&](double got, double want) { EXPECT_LE(std::abs(got - want) / want, bound) << got << " vs " << want; };
  near(*app.p50_ms, 2000.0 * (24 + 1));  // index floor(0.5·49) = 24
  near(*app.p90_ms, 2000.0 * (44 + 1));  // floor(0.9·49) = 44
  near(*app.p99_ms, 2000.0 * (48 + 1));  // floor(0.99·49) = 48
  near(*web.p50_ms, 1000.0 * (2 * 24 + 1));
  near(*web.p99_ms, 1000.0 * (2 * 48 + 1));
  EXPECT_EQ(r.durations[2].step, "verify");
  EXPECT_EQ(r.durations[2].channel, "");
  near(*r.durations[2].p50_ms, 3600000.0);
}

TEST(ReportJourney, NpsByStepAndByDurationBandAsTheFormulaGives) {
  const cxm::report_journey r = cxm::summarize_journey(sample(), options());
  ASSERT_EQ(r.nps.size(), 4u);
  const cxm::report_metric& m = r.nps[0].nps;
  // 9 answers: promoters 10, 10, 9, 10; passives 7; detractors 0, 0, 0, 3.
  EXPECT_EQ(m.n, 9u);
  EXPECT_EQ(m.promoters, 4u);
  EXPECT_EQ(m.passives, 1u);
  EXPECT_EQ(m.detractors, 4u);
  EXPECT_FALSE(m.small_sample);  // min_n 5
  const nps_expect e = adjusted_wald(4, 1, 4);
  ASSERT_TRUE(m.score);
  EXPECT_NEAR(m.score->point, e.score, 1e-9);
  EXPECT_NEAR(m.score->lower, e.lower, 1e-9);
  EXPECT_NEAR(m.score->upper, e.upper, 1e-9);
  EXPECT_EQ(m.score->method, cxm::interval_method::adjusted_wald);
  EXPECT_EQ(m.score->level, 0.95);
  // A step without answers: n 0, no score, but listed.
  EXPECT_EQ(r.nps[1].nps.n, 0u);
  EXPECT_FALSE(r.nps[1].nps.score);
  EXPECT_TRUE(r.nps[1].by_duration.empty());

  // The step's p50 is 50 s and its p90 90 s (1..100 s: x_(49), x_(89)); each threshold is the
  // upper boundary of its quantile's 1.1%-wide band, so 50 s is in the first group.
  const auto& bands = r.nps[0].by_duration;
  ASSERT_EQ(bands.size(), 3u);
  EXPECT_EQ(bands[0].band, "le_p50");
  EXPECT_EQ(bands[1].band, "p50_p90");
  EXPECT_EQ(bands[2].band, "gt_p90");
  EXPECT_FALSE(bands[0].lower_ms);
  ASSERT_TRUE(bands[0].upper_ms && bands[1].lower_ms && bands[1].upper_ms && bands[2].lower_ms);
  EXPECT_FALSE(bands[2].upper_ms);
  EXPECT_GE(*bands[0].upper_ms, 50000.0);
  EXPECT_LE(*bands[0].upper_ms, 50000.0 * 1.011);
  EXPECT_EQ(*bands[1].lower_ms, *bands[0].upper_ms);
  EXPECT_GE(*bands[1].upper_ms, 90000.0);
  EXPECT_LE(*bands[1].upper_ms, 90000.0 * 1.011);
  // le_p50: 10, 10, 0 -> P2 D1; p50_p90: 9, 7 -> P1 Pa1; gt_p90: 0, 0, 3, 10 -> P1 D3.
  const double expected[3][3] = {{2, 0, 1}, {1, 1, 0}, {1, 0, 3}};
  for (int g = 0; g < 3; ++g) {
    const cxm::report_metric& b = bands[static_cast<std::size_t>(g)].nps;
    const nps_expect x = adjusted_wald(expected[g][0], expected[g][1], expected[g][2]);
    EXPECT_EQ(b.n, static_cast<std::uint64_t>(expected[g][0] + expected[g][1] + expected[g][2]));
    EXPECT_TRUE(b.small_sample);
    ASSERT_TRUE(b.score);
    EXPECT_NEAR(b.score->point, x.score, 1e-9) << g;
    EXPECT_NEAR(b.score->lower, x.lower, 1e-9) << g;
    EXPECT_NEAR(b.score->upper, x.upper, 1e-9) << g;
  }
}

TEST(ReportJourney, NpsFollowsTheReportsMethodAndLevel) {
  cxm::report_options o = options();
  o.nps_method = cxm::interval_method::wald;
  o.level = 0.9;
  const cxm::report_journey r = cxm::summarize_journey(sample(), o);
  const cxm::interval& s = *r.nps[0].nps.score;
  // Wald: 100·(p − d) ± z·100·sqrt((p + d − (p − d)²)/n), z the normal 0.95 quantile.
  const double p = 4.0 / 9, d = 4.0 / 9, se = 100 * std::sqrt((p + d - (p - d) * (p - d)) / 9);
  EXPECT_EQ(s.method, cxm::interval_method::wald);
  EXPECT_NEAR(s.lower, -1.6448536269514722 * se, 1e-9);
  EXPECT_NEAR(s.upper, 1.6448536269514722 * se, 1e-9);
}

TEST(ReportJourney, EffortTotalsAndPartsAddUpToTheIndex) {
  const cxm::report_journey r = cxm::summarize_journey(sample(), options());
  const cxm::report_effort& t = r.effort;
  EXPECT_EQ(t.step, "");
  EXPECT_EQ(t.components.journeys, 100u);
  EXPECT_EQ(t.components.transfers, 10u);
  EXPECT_EQ(t.components.wait_ms, 3000000u);
  // (10 transfers + 2·4 recontacts + 20 switches + 2 repeats + 10 wait points) / 100 journeys
  EXPECT_DOUBLE_EQ(t.index, 0.50);
  EXPECT_DOUBLE_EQ(t.transfers, 0.10);
  EXPECT_DOUBLE_EQ(t.recontacts, 0.08);
  EXPECT_DOUBLE_EQ(t.channel_switches, 0.20);
  EXPECT_DOUBLE_EQ(t.repeats, 0.02);
  EXPECT_DOUBLE_EQ(t.wait_points, 0.10);
  ASSERT_EQ(r.step_effort.size(), 2u);  // steps no journey reached in the effort are left out
  EXPECT_EQ(r.step_effort[0].step, "apply");
  EXPECT_DOUBLE_EQ(r.step_effort[0].index, (5 + 2 * 2) / 100.0);
  EXPECT_EQ(r.step_effort[1].step, "verify");
  EXPECT_DOUBLE_EQ(r.step_effort[1].index, 14 / 70.0);
}

// The CSV split into rows of fields (no field of this report needs quoting).
std::vector<std::vector<std::string>> csv_rows(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::size_t start = 0;
  while (start < csv.size()) {
    const std::size_t end = csv.find("\r\n", start);
    const std::string line = csv.substr(start, end - start);
    start = end + 2;
    std::vector<std::string> fields;
    std::size_t f = 0;
    for (;;) {
      const std::size_t comma = line.find(',', f);
      fields.push_back(line.substr(f, comma == std::string::npos ? std::string::npos : comma - f));
      if (comma == std::string::npos) break;
      f = comma + 1;
    }
    rows.push_back(fields);
  }
  return rows;
}

const std::vector<std::string>* find_row(const std::vector<std::vector<std::string>>& rows, const std::string& dimension,
                                         const std::string& group, const std::string& statistic,
                                         const std::string& channel = "", const std::string& band = "") {
  for (const auto& r : rows)
    if (r.size() == 15 && r[0] == "journey" && r[1] == dimension && r[2] == group && r[5] == statistic &&
        r[13] == channel && r[14] == band)
      return &r;
  return nullptr;
}

TEST(ReportJourney, JsonCsvAndTextAgree) {
  auto b = cxm::report_builder::make(options());
  ASSERT_TRUE(b);
  cxm::report rep = b->build();
  EXPECT_NE(cxm::to_json(rep).find("\"journey\":null"), std::string::npos);
  rep.journey = cxm::summarize_journey(sample(), rep.settings);

  const json::value doc = json::parse(cxm::to_json(rep));
  const json::object& j = doc.at("journey").as_object();
  EXPECT_EQ(j.at("id").as_string(), "bank-switch");
  EXPECT_EQ(j.at("revision").as_int64(), 3);
  const json::array& funnel = j.at("funnel").as_array();
  ASSERT_EQ(funnel.size(), 3u);
  EXPECT_EQ(funnel[2].at("step").as_string(), "הזמנה");
  EXPECT_EQ(funnel[0].at("dropped").to_number<std::uint64_t>(), 30u);
  const json::object& apply = j.at("nps").as_array()[0].as_object();
  EXPECT_EQ(apply.at("step").as_string(), "apply");
  EXPECT_EQ(apply.at("n").to_number<std::uint64_t>(), 9u);
  const json::array& bands = apply.at("by_duration").as_array();
  ASSERT_EQ(bands.size(), 3u);
  EXPECT_TRUE(bands[0].at("lower_ms").is_null());
  EXPECT_TRUE(bands[2].at("upper_ms").is_null());
  EXPECT_TRUE(j.at("nps").as_array()[1].at("score").is_null());
  EXPECT_EQ(j.at("effort").at("parts").at("channel_switches").as_double(), 0.2);

  const auto rows = csv_rows(cxm::to_csv(rep));
  ASSERT_EQ(rows[0].size(), 15u);
  EXPECT_EQ(rows[0][13], "channel");
  EXPECT_EQ(rows[0][14], "band");
  for (const auto& r : rows) EXPECT_EQ(r.size(), 15u);
  const auto num = [](const std::vector<std::string>* r, std::size_t i) { return std::stod((*r)[i]); };
  const auto* reached = find_row(rows, "funnel", "הזמנה", "reached");
  ASSERT_NE(reached, nullptr);
  EXPECT_EQ(num(reached, 6), funnel[2].at("reached").to_number<double>());
  const json::object& web = j.at("durations").as_array()[1].as_object();
  const auto* p90 = find_row(rows, "duration", "apply", "p90_ms", "web");
  ASSERT_NE(p90, nullptr);
  EXPECT_EQ(num(p90, 6), web.at("p90_ms").as_double());
  EXPECT_EQ((*p90)[9], "50");
  const auto* score = find_row(rows, "nps", "apply", "score");
  ASSERT_NE(score, nullptr);
  EXPECT_EQ(num(score, 6), apply.at("score").as_double());
  EXPECT_EQ(num(score, 7), apply.at("interval").at("lower").as_double());
  const auto* band = find_row(rows, "nps_by_duration", "apply", "score", "", "gt_p90");
  ASSERT_NE(band, nullptr);
  EXPECT_EQ(num(band, 6), bands[2].at("score").as_double());
  EXPECT_EQ((*band)[9], "4");
  const auto* threshold = find_row(rows, "nps_by_duration", "apply", "upper_ms", "", "le_p50");
  ASSERT_NE(threshold, nullptr);
  EXPECT_EQ(num(threshold, 6), bands[0].at("upper_ms").as_double());
  const auto* index = find_row(rows, "effort", "", "index");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(num(index, 6), 0.5);
  // Rows that are not the journey's have the two new fields empty.
  EXPECT_EQ(rows[1][0], "total");
  EXPECT_EQ(rows[1][13], "");

  const std::string text = cxm::to_text(rep);
  EXPECT_NE(text.find("Journey bank-switch revision 3: 100 started, 30 completed"), std::string::npos) << text;
  EXPECT_NE(text.find("הזמנה"), std::string::npos);
  char line[128];
  std::snprintf(line, sizeof line, "NPS %+6.1f  [%+6.1f, %+6.1f]  n=9", apply.at("score").as_double(),
                apply.at("interval").at("lower").as_double(), apply.at("interval").at("upper").as_double());
  EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  EXPECT_NE(text.find("index  0.50 = transfers 0.10 + recontacts 0.08 + switches 0.20"), std::string::npos) << text;
  EXPECT_NE(text.find("apply / web"), std::string::npos);
}

}  // namespace
