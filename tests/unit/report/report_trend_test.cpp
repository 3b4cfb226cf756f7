// SPDX-License-Identifier: MIT
// The report's trend: periods from first to last without gaps, responses without a
// timestamp in no period, change against the previous period, and merge.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "cxm/report/report.hpp"
#include "test_support.hpp"

namespace {

constexpr long long hour_ms = 3600000LL;
// 2026-10-05T00:00:00Z, a Monday.
constexpr long long monday_ms = 1791158400000LL;

cxm::report_options by_day() {
  cxm::report_options o;
  o.questions = {{"nps", cxm::question_type::nps, cxm::scale::nps()},
                 {"csat", cxm::question_type::csat, cxm::scale::csat5()}};
  o.period = cxm::period_unit::day;
  return o;
}

std::string line(const std::string& id, long long t_ms, int nps, int csat) {
  std::string s = "{\"id\":\"" + id + "\",\"survey_id\":\"s\"";
  if (t_ms >= 0) s += ",\"timestamp\":" + std::to_string(t_ms);
  return s + ",\"answers\":{\"nps\":" + std::to_string(nps) + ",\"csat\":" + std::to_string(csat) + "}}\n";
}

// Day 0: 30 answers, mostly promoters; day 1: nothing; day 2: 30, mostly detractors; and 5
// responses without a timestamp.
std::string three_days() {
  std::string s;
  for (int i = 0; i < 30; ++i) s += line("a" + std::to_string(i), monday_ms + (i % 20) * hour_ms, i % 5 ? 10 : 3, i % 4 ? 5 : 4);
  for (int i = 0; i < 30; ++i) s += line("c" + std::to_string(i), monday_ms + 48 * hour_ms + i * 60000, i % 5 ? 2 : 9, i % 3 ? 2 : 3);
  for (int i = 0; i < 5; ++i) s += line("n" + std::to_string(i), -1, 10, 5);
  return s;
}

cxm::report_builder make(const cxm::report_options& o) {
  auto b = cxm::report_builder::make(o);
  EXPECT_TRUE(b) << b.detail();
  return std::move(b).value();
}

void feed(cxm::report_builder& b, const std::string& s) {
  cxm::response_reader reader;
  reader.feed(s, b);
  reader.finish(b);
}

}  // namespace

TEST(ReportTrend, PeriodsWithoutGapsAndMissingTimestampsInNone) {
  auto b = make(by_day());
  feed(b, three_days());
  const cxm::report r = b.build();
  ASSERT_TRUE(r.trend);
  EXPECT_EQ(r.trend->time_zone, "UTC");
  ASSERT_EQ(r.trend->periods.size(), 3u);
  const auto& p = r.trend->periods;
  EXPECT_EQ(p[0].label, "2026-10-05");
  EXPECT_EQ(p[1].label, "2026-10-06");
  EXPECT_EQ(p[2].label, "2026-10-07");
  EXPECT_EQ(p[0].start_ms, monday_ms);
  EXPECT_EQ(p[0].end_ms, monday_ms + 24 * hour_ms);
  EXPECT_EQ(p[1].start_ms, p[0].end_ms);
  EXPECT_EQ(p[0].responses, 30u);
  EXPECT_EQ(p[1].responses, 0u);
  EXPECT_EQ(p[2].responses, 30u);
  EXPECT_EQ(r.input.missing_timestamps, 5u);
  EXPECT_EQ(r.totals[0].n, 65u);  // the 5 without a timestamp are in the totals
  EXPECT_EQ(p[0].questions[0].n + p[2].questions[0].n, 60u);
  EXPECT_FALSE(p[1].questions[0].score);  // no answers: null
}

TEST(ReportTrend, ChangeComparesWithThePreviousPeriodOnly) {
  auto b = make(by_day());
  std::string s = three_days();
  for (int i = 0; i < 30; ++i) s += line("d" + std::to_string(i), monday_ms + 72 * hour_ms, i % 2 ? 9 : 0, i % 2 ? 5 : 1);
  feed(b, s);
  const cxm::report r = b.build();
  const auto& p = r.trend->periods;
  ASSERT_EQ(p.size(), 4u);
  EXPECT_FALSE(p[0].change[0]);  // first period
  EXPECT_FALSE(p[1].change[0]);  // this one has no answers
  EXPECT_FALSE(p[2].change[0]);  // the previous one has none
  ASSERT_TRUE(p[3].change[0]);
  ASSERT_TRUE(p[3].change[1]);
  EXPECT_EQ(p[3].change[0]->method, "adjusted_wald");
  EXPECT_EQ(p[3].change[1]->method, "welch_t");
  EXPECT_FALSE(p[3].change[0]->p_adjusted);  // period changes are not a family
  EXPECT_GT(p[3].change[0]->difference, 0.0);  // day 3 (NPS 0) beats day 2 (NPS -60)
}

TEST(ReportTrend, MergeOfTwoHalvesEqualsOneBuilder) {
  const std::string s = three_days();
  const std::size_t cut = s.find("c10");
  const std::size_t at = s.rfind('\n', cut) + 1;
  auto one = make(by_day()), first = make(by_day()), second = make(by_day());
  feed(one, s);
  feed(first, s.substr(0, at));
  feed(second, s.substr(at));
  ASSERT_TRUE(first.merge(second));
  EXPECT_EQ(cxm::to_json(first.build()), cxm::to_json(one.build()));
  EXPECT_EQ(cxm::to_csv(first.build()), cxm::to_csv(one.build()));
}

TEST(ReportTrend, JsonAndCsvCarryThePeriods) {
  auto b = make(by_day());
  feed(b, three_days());
  const cxm::report r = b.build();
  const std::string j = cxm::to_json(r);
  EXPECT_NE(j.find("\"trend\":{\"period\":\"day\",\"time_zone\":\"UTC\",\"gaps_omitted\":false,\"periods\":[{\"label\":\"2026-10-05\","
                   "\"start\":\"2026-10-05T00:00:00Z\",\"end\":\"2026-10-06T00:00:00Z\",\"responses\":30,"),
            std::string::npos)
      << j;
  EXPECT_NE(j.find("\"settings\":{\"level\":9.5E-1,\"nps_method\":\"adjusted_wald\",\"p_adjust\":\"BH\",\"min_n\":30,"
                   "\"period\":\"day\",\"time_zone\":\"UTC\""),
            std::string::npos)
      << j;
  EXPECT_NE(cxm::to_csv(r).find("\r\ntrend,,,2026-10-06,nps,score,,,,0,,,,,\r\n"), std::string::npos);
}

// One response stamped years away must not make the trend list thousands of empty periods.
TEST(ReportTrend, AStrayTimestampListsOnlyPeriodsWithResponses) {
  auto b = make(by_day());
  std::string s = three_days();
  s += line("stray", monday_ms + 5000 * 24 * hour_ms, 10, 5);
  feed(b, s);
  const cxm::report r = b.build();
  ASSERT_TRUE(r.trend);
  EXPECT_TRUE(r.trend->gaps_omitted);
  ASSERT_EQ(r.trend->periods.size(), 3u);  // the two days with responses and the stray one
  EXPECT_EQ(r.trend->periods[2].start_ms, monday_ms + 5000 * 24 * hour_ms);
  EXPECT_FALSE(r.trend->periods[1].change[0]);  // day 2 follows an omitted day 1
  EXPECT_FALSE(r.trend->periods[2].change[0]);
  EXPECT_NE(cxm::to_json(r).find("\"gaps_omitted\":true"), std::string::npos);
}

TEST(ReportTrend, EveryDocumentedTrendKey) {
  auto b = make(by_day());
  std::string s = three_days();
  for (int i = 0; i < 30; ++i) s += line("d" + std::to_string(i), monday_ms + 72 * hour_ms, i % 2 ? 9 : 0, i % 2 ? 5 : 1);
  feed(b, s);
  boost::system::error_code ec;
  const boost::json::value j = boost::json::parse(cxm::to_json(b.build()), ec);
  ASSERT_FALSE(ec);
  const boost::json::object& t = j.at("trend").as_object();
  EXPECT_EQ(t.size(), 4u);
  EXPECT_EQ(t.at("period"), "day");
  EXPECT_EQ(t.at("time_zone"), "UTC");
  EXPECT_EQ(t.at("gaps_omitted"), false);
  const boost::json::array& periods = t.at("periods").as_array();
  ASSERT_EQ(periods.size(), 4u);
  for (const auto& p : periods) {
    const boost::json::object& o = p.as_object();
    EXPECT_EQ(o.size(), 6u);
    for (const char* k : {"label", "start", "end", "responses", "questions", "change"}) EXPECT_TRUE(o.contains(k)) << k;
    EXPECT_EQ(o.at("questions").as_array().size(), 2u);
    EXPECT_EQ(o.at("change").as_array().size(), 2u);
  }
  EXPECT_TRUE(periods[0].at("change").at(0).is_null());
  const boost::json::object& change = periods[3].at("change").at(0).as_object();
  EXPECT_EQ(change.size(), 5u);
  for (const char* k : {"difference", "lower", "upper", "p_value", "method"}) EXPECT_TRUE(change.contains(k)) << k;
  EXPECT_EQ(periods[3].at("change").at(1).at("method"), "welch_t");
}

// Weeks in Europe/Berlin across the end of summer time (2026-10-25): week 43 starts at local
// midnight CEST (22:00Z), week 44 at local midnight CET (23:00Z), so it lasts 169 hours.
// Responses in the first hour of a local Monday belong to that week, not to the UTC one.
TEST(ReportTrend, IsoWeeksInAnIanaZone) {
  const std::string bytes = cxm_test::test_data("tz/Europe/Berlin");
  auto zone = cxm::time_zone::from_tzif("Europe/Berlin", reinterpret_cast<const unsigned char*>(bytes.data()),
                                        bytes.size());
  ASSERT_TRUE(zone) << zone.detail();
  cxm::report_options o = by_day();
  o.period = cxm::period_unit::week;
  o.zone = *zone;
  auto b = make(o);
  constexpr long long w43 = 1792360800000LL, w44 = 1792969200000LL, w45 = 1793574000000LL;
  std::string s;
  s += line("a", w43, 10, 5);              // Monday 00:00 CEST: week 43
  s += line("b", w44 - 1, 0, 1);           // Sunday 23:59:59.999 CET: still week 43
  s += line("c", w44 + 30 * 60000, 9, 4);  // Monday 00:30 CET (Sunday 23:30Z): week 44
  feed(b, s);
  const cxm::report r = b.build();
  ASSERT_TRUE(r.trend);
  EXPECT_EQ(r.trend->time_zone, "Europe/Berlin");
  ASSERT_EQ(r.trend->periods.size(), 2u);
  EXPECT_EQ(r.trend->periods[0].label, "2026-W43");
  EXPECT_EQ(r.trend->periods[0].start_ms, w43);
  EXPECT_EQ(r.trend->periods[0].end_ms, w44);
  EXPECT_EQ(r.trend->periods[0].responses, 2u);
  EXPECT_EQ(r.trend->periods[1].label, "2026-W44");
  EXPECT_EQ(r.trend->periods[1].end_ms, w45);
  EXPECT_EQ(r.trend->periods[1].responses, 1u);
  const std::string j = cxm::to_json(r);
  EXPECT_NE(j.find("\"period\":\"week\",\"time_zone\":\"Europe/Berlin\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"start\":\"2026-10-18T22:00:00Z\",\"end\":\"2026-10-25T23:00:00Z\""), std::string::npos);
}
