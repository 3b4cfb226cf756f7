// SPDX-License-Identifier: MIT
// cxm's /metrics scraped by a real Prometheus 2.42 (the CTest fixture "prometheus":
// scripts/prometheus.sh starts two cxm serve instances and Prometheus with native histograms
// on). A seeded data set is split in two halves, one per instance; Prometheus's answers over
// both must equal what cxm computes over the whole: histogram counts and sums exactly,
// quantiles of the merged sketch within the buckets' resolution, answer counters exactly.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cxm/device/recorder.hpp>
#include <cxm/sketch/duration_sketch.hpp>

#include "http_client.hpp"

namespace {

using namespace cxm_test;

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string s;
  std::getline(in, s);
  return s;
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

class PrometheusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir = CXM_TEST_PROMETHEUS_DIR;
    const std::string pport = read_line(dir + "/prometheus_port");
    ASSERT_FALSE(pport.empty()) << "the prometheus fixture is not running (scripts/prometheus.sh)";
    prometheus_ = static_cast<unsigned short>(std::stoi(pport));
    std::ifstream in(dir + "/cxm_ports");
    unsigned a = 0, b = 0;
    in >> a >> b;
    cxm_ = {static_cast<unsigned short>(a), static_cast<unsigned short>(b)};
  }

  // The instant vector of a PromQL query: label set (as "k=v,...") -> sample value, or for
  // native histograms through histogram_* functions, their float results.
  std::map<std::string, double> query(const std::string& promql) {
    auto r = get(prometheus_, "/api/v1/query?query=" + url_encode(promql));
    EXPECT_EQ(r.result_int(), 200u) << promql << ": " << r.body();
    std::map<std::string, double> out;
    if (r.result_int() != 200) return out;
    auto j = boost::json::parse(r.body());
    for (const auto& s : j.at("data").at("result").as_array()) {
      std::string key;
      for (const auto& [k, v] : s.at("metric").as_object())
        key += std::string(k) + "=" + std::string(v.as_string()) + ",";
      out[key] = std::stod(std::string(s.at("value").as_array()[1].as_string()));
    }
    return out;
  }

  // Polls until `promql` returns `want` for its one series (Prometheus scrapes every second).
  bool wait_for(const std::string& promql, double want) {
    for (int i = 0; i < 200; ++i) {
      auto r = query(promql);
      if (r.size() == 1 && r.begin()->second == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  unsigned short prometheus_ = 0;
  std::vector<unsigned short> cxm_;
};

std::string aggregates_batch(const std::string& id, const std::vector<std::string>& steps,
                             const std::vector<cxm::duration_sketch>& sketches) {
  cxm::recorder_snapshot snap;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    snap.metrics.push_back({steps[i], cxm::metric_kind::duration, cxm::scale::ces7(), {}});
    snap.values.emplace_back(sketches[i]);
  }
  return R"({"format":"cxm.batch","version":1,"batch":"b-)" + id +
         R"(","source":"app-)" + id + R"(","sent_at":"2026-12-03T10:00:00.000Z","aggregates":[{"id":")" + id +
         R"(","captured_at":"2026-12-03T10:00:00.000Z","snapshot":)" + cxm::to_json(snap) + "}]}";
}

TEST_F(PrometheusTest, FleetQueriesEqualCxmOverTheWholeDataSet) {
  ASSERT_EQ(cxm_.size(), 2u);
  const std::vector<std::string> steps{"application", "kyc", "card_delivery"};
  const double medians_ms[] = {40000, 180000, 3.0e8};
  std::mt19937_64 rng(20261204);

  // Durations: per step 6000 whole milliseconds from a lognormal, in 6 snapshots (drains) of
  // 1000, three per instance; `whole` is cxm's merge of all of them.
  std::vector<cxm::duration_sketch> whole(steps.size());
  int snapshot = 0;
  for (int half = 0; half < 2; ++half) {
    for (int drain = 0; drain < 3; ++drain) {
      std::vector<cxm::duration_sketch> part(steps.size());
      for (std::size_t s = 0; s < steps.size(); ++s) {
        std::lognormal_distribution<double> d(std::log(medians_ms[s]), 0.8);
        for (int i = 0; i < 1000; ++i) ASSERT_TRUE(part[s].record(std::round(d(rng))));
        ASSERT_TRUE(whole[s].merge(part[s]));
      }
      auto r = post(cxm_[static_cast<std::size_t>(half)], "/v1/aggregates",
                    aggregates_batch("s" + std::to_string(snapshot++), steps, part));
      ASSERT_EQ(r.result_int(), 200u) << r.body();
    }
  }

  // Responses: 600 answers of NPS (and CES, CSAT on some), 300 per instance.
  const char* channels[] = {"app", "web", "phone"};
  const char* customers[] = {"private", "business"};
  std::map<int, double> nps_by_value;
  std::map<std::string, double> nps_by_category, ces_by_value;
  std::uniform_int_distribution<int> nps(0, 10), ces(1, 7), pick(0, 5);
  for (int half = 0; half < 2; ++half) {
    std::string body = R"({"format":"cxm.batch","version":1,"batch":"r)" + std::to_string(half) +
                       R"(","source":"web","sent_at":"2026-12-03T10:00:00.000Z","responses":[)";
    for (int i = 0; i < 300; ++i) {
      const int n = nps(rng), p = pick(rng);
      const bool with_ces = p < 3;
      const int c = with_ces ? ces(rng) : 0;
      ++nps_by_value[n];
      ++nps_by_category[n >= 9 ? "promoter" : n >= 7 ? "passive" : "detractor"];
      if (with_ces) ++ces_by_value[std::to_string(c)];
      if (i > 0) body += ",";
      body += R"({"id":"h)" + std::to_string(half) + "-" + std::to_string(i) +
              R"(","survey_id":"after-onboarding","respondent":"c-)" + std::to_string(i) + R"(","channel":")" +
              channels[p % 3] + R"(","segment":{"customer":")" + customers[p % 2] + R"("},"answers":{"nps":)" +
              std::to_string(n) + (with_ces ? R"(,"ces":)" + std::to_string(c) : std::string()) + "}}";
    }
    auto r = post(cxm_[static_cast<std::size_t>(half)], "/v1/responses", body + "]}");
    ASSERT_EQ(r.result_int(), 200u) << r.body();
    ASSERT_EQ(boost::json::parse(r.body()).at("accepted").as_int64(), 300) << r.body();
  }

  // Both instances scraped after everything was stored (600 responses, 6 snapshots).
  ASSERT_TRUE(wait_for(R"(sum(cxm_records_total{outcome="accepted"}))", 606));
  ASSERT_TRUE(wait_for(R"(count(cxm_step_duration_milliseconds))", 6));  // 3 steps x 2 instances
  ASSERT_TRUE(wait_for(R"(sum(histogram_count(cxm_step_duration_milliseconds)))", 18000));

  const auto counts = query("histogram_count(sum by (step) (cxm_step_duration_milliseconds))");
  const auto sums = query("histogram_sum(sum by (step) (cxm_step_duration_milliseconds))");
  for (std::size_t s = 0; s < steps.size(); ++s) {
    const std::string key = "step=" + steps[s] + ",";
    EXPECT_EQ(counts.at(key), static_cast<double>(whole[s].count())) << steps[s];
    EXPECT_EQ(sums.at(key), whole[s].sum()) << steps[s];  // whole milliseconds: exact sums
  }
  // Prometheus 2.42 interpolates inside the bucket where the cumulative count first reaches
  // q·n; that bucket is found here from cxm's merged sketch and the definition of the layout
  // (sketch bucket i is (base^i, base^(i+1)]), so a bucket off by one fails. cxm estimates the
  // value of rank ⌊q(n−1)⌋ from its bucket: both lie in the same or a neighbouring bucket, so
  // their ratio is within base² (base = 2^(2^-6) at scale 6: 2.2%).
  auto prometheus_bucket = [](const cxm::duration_sketch& sk, double q) {
    const double rank = q * static_cast<double>(sk.count());
    double cumulative = static_cast<double>(sk.zero_count());
    std::pair<double, double> bounds{0, sk.zero_threshold()};
    bool found = cumulative >= rank;
    sk.for_each_bucket([&](std::int32_t i, std::uint64_t c) {
      cumulative += static_cast<double>(c);
      if (found || cumulative < rank) return;
      found = true;
      const double per_octave = std::exp2(sk.scale());
      bounds = {std::exp2(i / per_octave), std::exp2((i + 1) / per_octave)};
    });
    return bounds;
  };
  for (double q : {0.5, 0.9, 0.99}) {
    const auto got = query("histogram_quantile(" + std::to_string(q) + ", sum by (step) (cxm_step_duration_milliseconds))");
    for (std::size_t s = 0; s < steps.size(); ++s) {
      const double base = std::exp2(std::exp2(-whole[s].scale()));
      const double want = whole[s].quantile(q).value();
      const double have = got.at("step=" + steps[s] + ",");
      std::printf("%-14s q=%.2f  Prometheus %.6g  cxm %.6g  (%+.3f%%)\n", steps[s].c_str(), q, have, want,
                  100 * (have / want - 1));
      EXPECT_LE(std::fabs(std::log(have / want)), 2 * std::log(base) + 1e-12)
          << steps[s] << " q=" << q << ": Prometheus " << have << ", cxm " << want;
      const auto [lower, upper] = prometheus_bucket(whole[s], q);
      EXPECT_GE(have, lower * (1 - 1e-12)) << steps[s] << " q=" << q << " below its bucket (" << lower << ", " << upper << "]";
      EXPECT_LE(have, upper * (1 + 1e-12)) << steps[s] << " q=" << q << " above its bucket (" << lower << ", " << upper << "]";
    }
  }

  // Answer counters: summed over both instances, they are cxm's tallies of the whole set.
  const auto by_value = query("sum by (value) (cxm_nps_answers_total)");
  for (const auto& [v, n] : nps_by_value) EXPECT_EQ(by_value.at("value=" + std::to_string(v) + ","), n) << v;
  const auto by_category = query("sum by (category) (cxm_nps_category_answers_total)");
  for (const auto& [c, n] : nps_by_category) EXPECT_EQ(by_category.at("category=" + c + ","), n) << c;
  const auto ces_values = query(R"(sum by (value) (cxm_ces_answers_total{question="ces"}))");
  for (const auto& [v, n] : ces_by_value) EXPECT_EQ(ces_values.at("value=" + v + ","), n) << v;
  // ... and the collectors' own reports agree (promoters, passives, detractors per instance).
  double promoters = 0, detractors = 0;
  for (unsigned short port : cxm_) {
    auto j = boost::json::parse(get(port, "/v1/report?survey=after-onboarding").body());
    for (const auto& question : j.at("questions").as_array())
      if (question.at("id").as_string() == "nps") {
        promoters += static_cast<double>(question.at("promoters").to_number<std::int64_t>());
        detractors += static_cast<double>(question.at("detractors").to_number<std::int64_t>());
      }
  }
  EXPECT_EQ(promoters, nps_by_category["promoter"]);
  EXPECT_EQ(detractors, nps_by_category["detractor"]);
  // A segment allowed as a label sums to the same total.
  const auto by_customer = query("sum by (segment_customer) (cxm_nps_answers_total)");
  EXPECT_EQ(by_customer.at("segment_customer=private,") + by_customer.at("segment_customer=business,"), 600.0);
}

}  // namespace
