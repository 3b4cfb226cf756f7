// SPDX-License-Identifier: MIT
// cxm serve end to end over HTTP: ingestion with per-record verdicts, exactly-once storage
// across requests and restarts, the report, static files, health, graceful stop.
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "server/http/security.hpp"
#include "server_fixture.hpp"

namespace cxm_test {
namespace {

boost::json::value json(const response& r) { return boost::json::parse(r.body()); }

std::string widget_body(const std::vector<std::string>& records) {
  std::string b = R"({"responses":[)";
  for (std::size_t i = 0; i < records.size(); ++i) b += (i ? "," : "") + records[i];
  return b + "]}";
}

TEST_F(ServerTest, HealthSaysOkAndNamesTheStore) {
  start();
  auto r = get(port_, "/healthz");
  ASSERT_EQ(r.result_int(), 200u);
  auto j = json(r);
  EXPECT_EQ(j.at("status").as_string(), "ok");
  EXPECT_NE(std::string(j.at("store").as_string()).find("cxm.db"), std::string::npos);
  EXPECT_EQ(j.at("surveys").as_int64(), 1);
}

TEST_F(ServerTest, ResponsesAreStoredOnceWhateverTheDelivery) {
  start();
  const std::string body = widget_body({response_record("r1", 9), response_record("r2", 3),
                                        R"({"id":"r3","survey_id":"after-onboarding","answers":{"nps":12}})",
                                        response_record("r1", 9)});
  auto first = post(port_, "/v1/responses", body);
  ASSERT_EQ(first.result_int(), 200u) << first.body();
  auto j = json(first);
  EXPECT_EQ(j.at("accepted").as_int64(), 2);
  EXPECT_EQ(j.at("duplicate").as_int64(), 1);  // r1 twice in one batch
  EXPECT_EQ(j.at("rejected").as_int64(), 1);
  const auto& recs = j.at("records").as_array();
  EXPECT_EQ(recs[2].at("path").as_string(), "answers.nps");
  EXPECT_EQ(recs[2].at("code").as_string(), "out_of_range");
  EXPECT_EQ(recs[3].at("verdict").as_string(), "duplicate");

  auto again = json(post(port_, "/v1/responses", body));
  EXPECT_EQ(again.at("accepted").as_int64(), 0);
  EXPECT_EQ(again.at("duplicate").as_int64(), 3);

  restart();  // the ids live in the database, not in memory
  auto after = json(post(port_, "/v1/responses", widget_body({response_record("r2", 3), response_record("r4", 10)})));
  EXPECT_EQ(after.at("accepted").as_int64(), 1);
  EXPECT_EQ(after.at("duplicate").as_int64(), 1);

  auto report = json(get(port_, "/v1/report?survey=after-onboarding"));
  EXPECT_EQ(report.at("stored").as_int64(), 3);
  const auto& nps = report.at("questions").as_array()[0];
  EXPECT_EQ(nps.at("id").as_string(), "nps");
  EXPECT_EQ(nps.at("promoters").as_int64(), 2);
  EXPECT_EQ(nps.at("detractors").as_int64(), 1);
}

TEST_F(ServerTest, ConcurrentDeliveriesOfTheSameIdsStoreEachOnce) {
  start();
  std::vector<std::string> records;
  for (int i = 0; i < 40; ++i) records.push_back(response_record("c" + std::to_string(i), i % 11));
  const std::string body = widget_body(records);
  std::atomic<long> accepted{0}, duplicate{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 6; ++t)
    clients.emplace_back([&] {
      auto j = json(post(port_, "/v1/responses", body));
      accepted += static_cast<long>(j.at("accepted").as_int64());
      duplicate += static_cast<long>(j.at("duplicate").as_int64());
    });
  for (auto& c : clients) c.join();
  EXPECT_EQ(accepted.load(), 40);
  EXPECT_EQ(duplicate.load(), 5 * 40);
  EXPECT_EQ(json(get(port_, "/v1/report")).at("stored").as_int64(), 40);
}

TEST_F(ServerTest, ReportBreaksDownAndFiltersByTime) {
  start();
  std::vector<std::string> records = {response_record("a", 10, "web"), response_record("b", 0, "app"),
                                      R"({"id":"old","survey_id":"after-onboarding","channel":"web","timestamp":"2020-01-01T00:00:00Z","answers":{"nps":0}})"};
  ASSERT_EQ(post(port_, "/v1/responses", widget_body(records)).result_int(), 200u);
  auto all = json(get(port_, "/v1/report?survey=after-onboarding&by=channel"));
  EXPECT_EQ(all.at("stored").as_int64(), 3);
  const auto& groups = all.at("breakdowns").as_array()[0].at("groups").as_array();
  ASSERT_EQ(groups.size(), 2u);
  auto recent = json(get(port_, "/v1/report?survey=after-onboarding&from=2026-01-01T00:00:00Z&by=channel"));
  EXPECT_EQ(recent.at("stored").as_int64(), 2);
  EXPECT_EQ(recent.at("questions").as_array()[0].at("nps").at("point").to_number<double>(), 0.0);

  auto bad = get(port_, "/v1/report?survey=after-onboarding&by=colour");
  EXPECT_EQ(bad.result_int(), 400u);
  EXPECT_NE(bad.body().find("colour"), std::string::npos);
  EXPECT_EQ(get(port_, "/v1/report?survey=nope").result_int(), 404u);
  EXPECT_EQ(get(port_, "/v1/report?level=2").result_int(), 400u);
  EXPECT_EQ(get(port_, "/v1/report?from=yesterday").result_int(), 400u);
  EXPECT_EQ(get(port_, "/v1/report?unknown=1").result_int(), 400u);
}

TEST_F(ServerTest, AggregatesAreMergedOncePerSourceAndId) {
  start();
  const std::string snap =
      R"({"format":"cxm.recorder_snapshot","version":1,"metrics":[{"name":"checkout.nps","kind":"nps","value":)"
      R"({"format":"cxm.nps_tally","version":1,"counts":[1,0,0,0,0,0,0,0,0,2,0],"rejected":{"out_of_range":0,"not_integer":0,"not_finite":0,"wrong_type":0}}}]})";
  auto body = [&](const std::string& source, const std::string& id) {
    return R"({"format":"cxm.batch","version":1,"batch":"b","source":")" + source +
           R"(","sent_at":"2026-12-03T10:00:00.000Z","aggregates":[{"id":")" + id +
           R"(","captured_at":"2026-12-03T10:00:00.000Z","snapshot":)" + snap + "}]}";
  };
  auto r = post(port_, "/v1/aggregates", body("app-1", "s1"));
  ASSERT_EQ(r.result_int(), 200u) << r.body();
  EXPECT_EQ(json(r).at("accepted").as_int64(), 1);
  EXPECT_EQ(json(post(port_, "/v1/aggregates", body("app-1", "s1"))).at("duplicate").as_int64(), 1);
  EXPECT_EQ(json(post(port_, "/v1/aggregates", body("app-2", "s1"))).at("accepted").as_int64(), 1);
  auto report = json(get(port_, "/v1/report"));
  const auto& agg = report.at("aggregates");
  EXPECT_EQ(agg.at("snapshots").as_int64(), 2);
  const auto& counts = agg.at("metrics").as_array()[0].at("value").at("counts").as_array();
  EXPECT_EQ(counts[0].as_int64(), 2);
  EXPECT_EQ(counts[9].as_int64(), 4);

  // Each endpoint takes its own records.
  EXPECT_EQ(post(port_, "/v1/responses", body("app-1", "s9")).result_int(), 400u);
  EXPECT_EQ(post(port_, "/v1/aggregates", widget_body({response_record("x", 1)})).result_int(), 400u);
}

TEST_F(ServerTest, StaticFilesWithTheirTypes) {
  start();
  auto js = get(port_, "/cxm/widget/cxm-survey.js");
  ASSERT_EQ(js.result_int(), 200u);
  EXPECT_EQ(js[http::field::content_type], "text/javascript; charset=utf-8");
  auto wasm = get(port_, "/cxm/cxm_survey_wasm.wasm");
  ASSERT_EQ(wasm.result_int(), 200u);
  EXPECT_EQ(wasm[http::field::content_type], "application/wasm");
  auto def = get(port_, "/surveys/after-onboarding.json");
  ASSERT_EQ(def.result_int(), 200u);
  EXPECT_EQ(def[http::field::content_type], "application/json; charset=utf-8");
  auto page = get(port_, "/");
  ASSERT_EQ(page.result_int(), 200u);
  EXPECT_EQ(page[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(get(port_, "/demo.css").result_int(), 200u);
  // Only the listed kinds of each directory.
  EXPECT_EQ(get(port_, "/cxm/widget/cxm.d.ts").result_int(), 404u);
  EXPECT_EQ(get(port_, "/surveys/notes.txt").result_int(), 404u);
  EXPECT_EQ(get(port_, "/README.md").result_int(), 404u);
  EXPECT_EQ(get(port_, "/nothing.html").result_int(), 404u);
}

TEST_F(ServerTest, DashboardIsItsPageScriptAndStyleOnly) {
  write_file(dir_ / "report/dashboard.html", "<!doctype html><title>dashboard</title>\n");
  write_file(dir_ / "report/dashboard.js", "void 0;\n");
  write_file(dir_ / "report/dashboard.css", "body{}\n");
  write_file(dir_ / "report/report_template.html", "{{CXM_REPORT_JSON}}\n");
  config_.dashboard_dir = (dir_ / "report").string();
  start();
  for (const char* url : {"/dashboard/", "/dashboard"}) {
    auto page = get(port_, url);
    ASSERT_EQ(page.result_int(), 200u) << url;
    EXPECT_EQ(page[http::field::content_type], "text/html; charset=utf-8");
    EXPECT_EQ(page.body(), "<!doctype html><title>dashboard</title>\n");
    // The server's own policy: the page needs nothing inline.
    EXPECT_EQ(page["Content-Security-Policy"], cxm::server::content_security_policy);
  }
  EXPECT_EQ(get(port_, "/dashboard/dashboard.js")[http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(get(port_, "/dashboard/dashboard.css")[http::field::content_type], "text/css; charset=utf-8");
  // Nothing else of the directory, and the demo at / is still there.
  EXPECT_EQ(get(port_, "/dashboard/report_template.html").result_int(), 404u);
  EXPECT_EQ(get(port_, "/dashboard/dashboard.html").result_int(), 404u);
  EXPECT_EQ(get(port_, "/").result_int(), 200u);
}

TEST_F(ServerTest, DashboardDirectoryWithoutThePageStopsTheStart) {
  fs::create_directories(dir_ / "empty");
  config_.dashboard_dir = (dir_ / "empty").string();
  auto s = cxm::server::server_instance::start(config_);
  ASSERT_FALSE(s);
  EXPECT_NE(s.detail().find("dashboard.html not found"), std::string::npos) << s.detail();
}

TEST_F(ServerTest, SurveysListsIdsVersionsAndTitles) {
  start();
  auto res = get(port_, "/v1/surveys");
  ASSERT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res[http::field::content_type], "application/json");
  EXPECT_EQ(res.body(), R"({"format":"cxm.surveys","version":1,"surveys":[{"id":"after-onboarding","versions":[3],)"
                        R"("latest":3,"title":"How was your onboarding?"}]})");
  EXPECT_EQ(post(port_, "/v1/surveys", "{}").result_int(), 405u);
}

TEST_F(ServerTest, HeadHasTheLengthOfGetAndNoBody) {
  start();
  auto head = raw(port_, "HEAD /demo.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(head.substr(0, 15), "HTTP/1.1 200 OK");
  EXPECT_NE(head.find("Content-Length: 7\r\n"), std::string::npos) << head;  // "body{}\n"
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n") << head;                // and nothing after
  // The icon browsers ask every origin for: none, without an error in the page's console.
  EXPECT_EQ(get(port_, "/favicon.ico").result_int(), 204u);
}

TEST_F(ServerTest, GracefulStopKeepsEveryAcceptedResponse) {
  start();
  // What each client heard for each id: 1 accepted, 0 no answer (its connection was cut as the
  // server stopped: stored or not, the client sends it again), -1 another status (not stored).
  std::vector<std::pair<std::string, int>> heard[4];
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&, t] {
      for (int k = 0; k < 20; ++k) {
        const std::string id = "g" + std::to_string(t * 100 + k);
        auto r = post(port_, "/v1/responses", widget_body({response_record(id, 8)}));
        int outcome = r.result_int() == 0 ? 0 : -1;
        if (r.result_int() == 200 && json(r).at("accepted").as_int64() == 1) outcome = 1;
        heard[t].emplace_back(id, outcome);
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  server_->stop();
  for (auto& c : clients) c.join();
  server_->wait();
  restart();
  long accepted = 0;
  for (const auto& list : heard)
    for (const auto& [id, outcome] : list) {
      // Sent again: an accepted id must be there already; a refused one must not.
      auto again = json(post(port_, "/v1/responses", widget_body({response_record(id, 8)})));
      if (outcome == 1) {
        EXPECT_EQ(again.at("duplicate").as_int64(), 1) << id;
      } else if (outcome == -1) {
        EXPECT_EQ(again.at("accepted").as_int64(), 1) << id;
      }
      accepted += outcome == 1 ? 1 : 0;
    }
  EXPECT_GT(accepted, 0);
  // Every id is stored exactly once after the second delivery.
  EXPECT_EQ(json(get(port_, "/v1/report")).at("stored").as_int64(), 80);
}

TEST_F(ServerTest, AccessLogHasOneJsonLinePerRequest) {
  start();
  (void)get(port_, "/healthz");
  (void)post(port_, "/v1/responses", "{}");
  (void)post(port_, "/v1/responses", std::string(2 << 20, ' '));  // refused by the transport: 413
  server_.reset();
  std::ifstream in(dir_ / "access.log");
  std::string line;
  int access = 0, too_large = 0;
  while (std::getline(in, line)) {
    auto v = boost::json::parse(line);
    if (v.at("kind").as_string() == "access") {
      ++access;
      EXPECT_TRUE(v.as_object().contains("us"));
      too_large += v.at("status").as_int64() == 413 ? 1 : 0;
    }
  }
  EXPECT_EQ(access, 3);
  EXPECT_EQ(too_large, 1);
}

}  // namespace
}  // namespace cxm_test
