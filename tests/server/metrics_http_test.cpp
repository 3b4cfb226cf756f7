// SPDX-License-Identifier: MIT
// GET /metrics on an in-process collector: content negotiation, the answer counters of stored
// responses (loaded again after a restart, never doubled by duplicates), the apps' durations
// as native histograms, the bearer token.
#include <map>
#include <string>

#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <io/prometheus/client/metrics.pb.h>

#include <cxm/device/recorder.hpp>

#include "server_fixture.hpp"

namespace {

using namespace cxm_test;
namespace pb = io::prometheus::client;

const std::string protobuf_accept =
    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
    "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";  // what Prometheus 2.42 sends with native histograms on

std::map<std::string, pb::MetricFamily> families(const std::string& bytes) {
  std::map<std::string, pb::MetricFamily> out;
  google::protobuf::io::ArrayInputStream in(bytes.data(), static_cast<int>(bytes.size()));
  for (;;) {
    pb::MetricFamily mf;  // a fresh message each time: the parse merges into what it is given
    if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(&mf, &in, nullptr)) break;
    out[mf.name()] = mf;
  }
  return out;
}

// The counter with exactly these labels (absent ones empty), or -1.
double counter(const pb::MetricFamily& f, const std::map<std::string, std::string>& labels) {
  for (const auto& m : f.metric()) {
    std::map<std::string, std::string> have;
    for (const auto& l : m.label()) have[l.name()] = l.value();
    if (have == labels) return m.counter().value();
  }
  return -1;
}

std::string responses_batch(const std::string& batch) {
  return R"({"format":"cxm.batch","version":1,"batch":")" + batch +
         R"(","source":"web","sent_at":"2026-12-03T10:00:00.000Z","responses":[)"
         R"({"id":"r1","survey_id":"after-onboarding","respondent":"c-1","journey_id":"j-1","step":"kyc","channel":"app","segment":{"customer":"private","age":"young"},"answers":{"nps":9,"ces":6}},)"
         R"({"id":"r2","survey_id":"after-onboarding","respondent":"c-2","channel":"app","segment":{"customer":"business"},"answers":{"nps":9}},)"
         R"({"id":"r3","survey_id":"after-onboarding","respondent":"c-3","channel":"web","answers":{"nps":3,"csat":4}}]})";
}

std::string snapshot_batch(const std::string& id, const cxm::duration_sketch& kyc) {
  cxm::recorder_snapshot snap;
  snap.metrics.push_back({"kyc", cxm::metric_kind::duration, cxm::scale::ces7(), {}});
  snap.values.emplace_back(kyc);
  return R"({"format":"cxm.batch","version":1,"batch":"b-)" + id +
         R"(","source":"app-1","sent_at":"2026-12-03T10:00:00.000Z","aggregates":[{"id":")" + id +
         R"(","captured_at":"2026-12-03T10:00:00.000Z","snapshot":)" + cxm::to_json(snap) + "}]}";
}

class MetricsTest : public ServerTest {};

TEST_F(MetricsTest, CountsStoredAnswersOnceAndAgainAfterARestart) {
  config_.metrics.segment_labels = {"customer"};
  start();
  ASSERT_EQ(post(port_, "/v1/responses", responses_batch("b1")).result_int(), 200u);
  ASSERT_EQ(post(port_, "/v1/responses", responses_batch("b2")).result_int(), 200u);  // duplicates
  for (int round = 0; round < 2; ++round) {
    auto r = get(port_, "/metrics", {{"Accept", protobuf_accept}});
    ASSERT_EQ(r.result_int(), 200u);
    EXPECT_EQ(r[http::field::content_type],
              "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited");
    auto f = families(r.body());
    const auto& nps = f.at("cxm_nps_answers_total");
    EXPECT_EQ(nps.type(), pb::COUNTER);
    const std::map<std::string, std::string> app_private{
        {"survey", "after-onboarding"}, {"question", "nps"}, {"step", "kyc"}, {"channel", "app"},
        {"segment_customer", "private"}};
    auto with = [](auto m, const char* k, const char* v) {
      m[k] = v;
      return m;
    };
    EXPECT_EQ(counter(nps, with(app_private, "value", "9")), 1.0);
    EXPECT_EQ(counter(nps, {{"survey", "after-onboarding"}, {"question", "nps"}, {"channel", "web"}, {"value", "3"}}), 1.0);
    EXPECT_EQ(counter(f.at("cxm_nps_category_answers_total"),
                      {{"survey", "after-onboarding"}, {"question", "nps"}, {"channel", "app"},
                       {"segment_customer", "business"}, {"category", "promoter"}}),
              1.0);
    EXPECT_EQ(counter(f.at("cxm_ces_answers_total"), with(with(app_private, "question", "ces"), "value", "6")), 1.0);
    EXPECT_EQ(counter(f.at("cxm_csat_answers_total"),
                      {{"survey", "after-onboarding"}, {"question", "csat"}, {"channel", "web"}, {"value", "4"}}),
              1.0);
    double total = 0;
    for (const auto& m : nps.metric()) {
      total += m.counter().value();
      for (const auto& l : m.label()) {  // never a label: the respondent, the journey
        EXPECT_NE(l.name(), "respondent");
        EXPECT_NE(l.value(), "c-1");
        EXPECT_NE(l.value(), "j-1");
      }
    }
    EXPECT_EQ(total, 3.0);
    // Per instance since its start: the restart begins at zero, the answers do not.
    EXPECT_EQ(counter(f.at("cxm_records_total"), {{"outcome", "duplicate"}}), round == 0 ? 3.0 : 0.0);
    restart();
  }
}

TEST_F(MetricsTest, DurationsAreNativeHistogramsMergedAcrossSnapshots) {
  start();
  cxm::duration_sketch a, b;
  for (int i = 1; i <= 100; ++i) (void)a.record(10.0 * i);
  for (int i = 1; i <= 50; ++i) (void)b.record(7.0 * i);
  ASSERT_EQ(post(port_, "/v1/aggregates", snapshot_batch("s1", a)).result_int(), 200u);
  ASSERT_EQ(post(port_, "/v1/aggregates", snapshot_batch("s2", b)).result_int(), 200u);
  ASSERT_EQ(post(port_, "/v1/aggregates", snapshot_batch("s2", b)).result_int(), 200u);  // a duplicate
  auto f = families(get(port_, "/metrics", {{"Accept", protobuf_accept}}).body());
  const auto& d = f.at("cxm_step_duration_milliseconds");
  EXPECT_EQ(d.type(), pb::HISTOGRAM);
  ASSERT_EQ(d.metric_size(), 1);
  EXPECT_EQ(d.metric(0).label(0).value(), "kyc");
  EXPECT_EQ(d.metric(0).histogram().sample_count(), 150u);
  EXPECT_EQ(d.metric(0).histogram().sample_sum(), a.sum() + b.sum());
  EXPECT_EQ(d.metric(0).histogram().schema(), 6);

  auto text = get(port_, "/metrics");
  EXPECT_EQ(text[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(text.body().find("# TYPE cxm_step_duration_milliseconds summary\n"), std::string::npos);
  EXPECT_NE(text.body().find("cxm_step_duration_milliseconds_count{step=\"kyc\"} 150\n"), std::string::npos);
}

TEST_F(MetricsTest, TokenWhenConfigured) {
  config_.metrics_tokens = {"0123456789abcdef-metrics"};
  start();
  EXPECT_EQ(get(port_, "/metrics").result_int(), 401u);
  EXPECT_EQ(get(port_, "/metrics", {{"Authorization", "Bearer 0123456789abcdef-wrong"}}).result_int(), 401u);
  EXPECT_EQ(get(port_, "/metrics", {{"Authorization", "Bearer 0123456789abcdef-metrics"}}).result_int(), 200u);
  EXPECT_EQ(post(port_, "/metrics", "{}").result_int(), 405u);
}

}  // namespace
