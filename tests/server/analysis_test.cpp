// SPDX-License-Identifier: MIT
// GET /v1/analysis: the stored responses through the core's report model, the same document
// the core builds from the same records (so the dashboard and `cxm report --json` agree).
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <cxm/report/report.hpp>

#include "server/zoneinfo.hpp"
#include "server_fixture.hpp"

namespace cxm_test {
namespace {

std::string body_of(const std::vector<std::string>& records, std::size_t from, std::size_t to) {
  std::string b = R"({"responses":[)";
  for (std::size_t i = from; i < to; ++i) b += (i > from ? "," : "") + records[i];
  return b + "]}";
}

// 240 responses over six weeks of October and November 2026 (across the end of summer time in
// Berlin), on three channels, with NPS, CES and CSAT answers, some skipped.
std::vector<std::string> records() {
  std::mt19937 rng(20261203);
  const char* channels[] = {"web", "app", "phone"};
  std::vector<std::string> out;
  for (int i = 0; i < 240; ++i) {
    const std::string channel = channels[i % 3];
    const int nps = static_cast<int>(rng() % 11);
    const long long ts = 1790812800000LL + static_cast<long long>(rng() % (42ULL * 86400000ULL));  // from 2026-10-01
    std::string answers = "\"nps\":" + std::to_string(channel == "phone" ? nps / 2 : nps);
    if (i % 4 != 0) answers += ",\"ces\":" + std::to_string(1 + static_cast<int>(rng() % 7));
    if (i % 5 != 0) answers += ",\"csat\":" + std::to_string(1 + static_cast<int>(rng() % 5));
    out.push_back(R"({"id":"an-)" + std::to_string(i) + R"(","survey_id":"after-onboarding","survey_version":3,"channel":")" +
                  channel + R"(","timestamp":)" + std::to_string(ts) + R"(,"answers":{)" + answers + "}}");
  }
  return out;
}

// What the core builds from the same records with the options /v1/analysis takes from the
// survey (its NPS, CES and CSAT questions) and the query.
std::string expected(const std::vector<std::string>& recs, const cxm::report_options& o) {
  auto b = cxm::report_builder::make(o);
  EXPECT_TRUE(b) << b.detail();
  cxm::response_reader reader;
  for (const auto& r : recs) reader.feed(r + "\n", *b);
  reader.finish(*b);
  b->add_reader_stats(reader.stats());
  return cxm::to_json(b->build());
}

// The groups of a breakdown come in the order their values were first seen: the file's order
// for `cxm report`, the store's for the server. Compared by value.
boost::json::value by_value(boost::json::value v) {
  for (auto& b : v.at("breakdowns").as_array()) {
    auto& groups = b.at("groups").as_array();
    std::sort(groups.begin(), groups.end(), [](const boost::json::value& x, const boost::json::value& y) {
      return x.at("value").as_string() < y.at("value").as_string();
    });
  }
  return v;
}

cxm::report_options survey_options() {
  cxm::report_options o;
  o.questions = {{"nps", cxm::question_type::nps, cxm::scale::nps()},
                 {"ces", cxm::question_type::ces, cxm::scale::ces7()},
                 {"csat", cxm::question_type::csat, cxm::scale::csat5()}};
  return o;
}

}  // namespace

TEST_F(ServerTest, AnalysisIsTheCoresReportOfTheStoredResponses) {
  start();
  const auto recs = records();
  // Delivered in three batches, one of them twice: stored once each.
  ASSERT_EQ(post(port_, "/v1/responses", body_of(recs, 0, 100)).result_int(), 200u);
  ASSERT_EQ(post(port_, "/v1/responses", body_of(recs, 100, 240)).result_int(), 200u);
  ASSERT_EQ(post(port_, "/v1/responses", body_of(recs, 50, 150)).result_int(), 200u);

  cxm::report_options o = survey_options();
  o.breakdowns = {"channel"};
  o.period = cxm::period_unit::week;
  auto berlin = cxm::server::load_time_zone("Europe/Berlin");
  ASSERT_TRUE(berlin) << berlin.detail();
  o.zone = *berlin;
  auto got = get(port_, "/v1/analysis?survey=after-onboarding&by=channel,week&tz=Europe/Berlin");
  ASSERT_EQ(got.result_int(), 200u) << got.body();
  EXPECT_EQ(got[boost::beast::http::field::content_type], "application/json");
  EXPECT_EQ(by_value(boost::json::parse(got.body())), by_value(boost::json::parse(expected(recs, o))));

  // The other settings, and the only survey served needs no name.
  cxm::report_options holm = survey_options();
  holm.breakdowns = {"channel"};
  holm.p_adjust = cxm::p_adjust_method::holm;
  holm.min_n = 50;
  holm.level = 0.9;
  auto got2 = get(port_, "/v1/analysis?by=channel&p_adjust=holm&min_n=50&level=0.9");
  ASSERT_EQ(got2.result_int(), 200u) << got2.body();
  EXPECT_EQ(by_value(boost::json::parse(got2.body())), by_value(boost::json::parse(expected(recs, holm))));
}

TEST_F(ServerTest, AnalysisRefusesBadQueriesNamingTheParameter) {
  start();
  const auto bad = [&](const std::string& q, unsigned status, const std::string& names) {
    auto r = get(port_, "/v1/analysis?" + q);
    EXPECT_EQ(r.result_int(), status) << q;
    EXPECT_NE(r.body().find(names), std::string::npos) << q << ": " << r.body();
  };
  bad("by=colour", 400u, "colour");
  bad("by=week,month", 400u, "one period");
  bad("by=week&tz=Mars/Olympus", 400u, "tz");
  bad("by=week&tz=../../etc/passwd", 400u, "tz");
  bad("p_adjust=fdr", 400u, "p_adjust");
  bad("min_n=-1", 400u, "min_n");
  bad("survey=nope", 404u, "nope");
  EXPECT_EQ(post(port_, "/v1/analysis", "{}").result_int(), 405u);
}

}  // namespace cxm_test
