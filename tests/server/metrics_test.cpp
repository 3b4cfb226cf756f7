// SPDX-License-Identifier: MIT
// The Prometheus exposition library: sketches as native histograms (schema, downscale to 8,
// zero bucket, spans and deltas), read back with the classes protoc generates from the client
// model's metrics.proto; the cardinality cap; the text format.
#include <cmath>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>
#include <io/prometheus/client/metrics.pb.h>

#include <cxm/sketch/duration_sketch.hpp>

#include "server/metrics/exposition.hpp"

namespace {

namespace pb = io::prometheus::client;
using cxm::duration_sketch;
using cxm::prometheus::exposition;
using cxm::prometheus::native_histogram;

std::vector<pb::MetricFamily> parse(const std::string& bytes) {
  std::vector<pb::MetricFamily> out;
  google::protobuf::io::ArrayInputStream in(bytes.data(), static_cast<int>(bytes.size()));
  for (;;) {
    pb::MetricFamily mf;
    bool clean_eof = false;
    if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(&mf, &in, &clean_eof)) {
      EXPECT_TRUE(clean_eof) << "a truncated or malformed message";
      break;
    }
    out.push_back(std::move(mf));
  }
  return out;
}

// Prometheus bucket index -> count, decoded from spans and deltas as Prometheus does.
std::map<std::int64_t, std::uint64_t> buckets(const pb::Histogram& h) {
  std::map<std::int64_t, std::uint64_t> out;
  std::int64_t index = 0, count = 0;
  int delta = 0;
  for (int s = 0; s < h.positive_span_size(); ++s) {
    index += h.positive_span(s).offset();
    for (std::uint32_t k = 0; k < h.positive_span(s).length(); ++k, ++index) {
      count += h.positive_delta(delta++);
      EXPECT_GE(count, 0);
      if (count > 0) out[index] += static_cast<std::uint64_t>(count);
    }
  }
  EXPECT_EQ(delta, h.positive_delta_size());
  return out;
}

// The Prometheus bucket of v at `schema`, computed from the definition (bucket i is
// (2^((i-1)/2^schema), 2^(i/2^schema)]) in long double; the values used stay away from edges.
std::int64_t expected_index(double v, int schema) {
  return static_cast<std::int64_t>(std::ceil(std::log2(static_cast<long double>(v)) * std::ldexp(1.0L, schema)));
}

duration_sketch lognormal_sketch(int scale, unsigned seed, int n, double zero_threshold = 0.0) {
  cxm::sketch_options o;
  o.scale = scale;
  o.zero_threshold = zero_threshold;
  auto s = duration_sketch::make(o).value();
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(6.0, 1.2);
  for (int i = 0; i < n; ++i) (void)s.record(std::round(d(rng) * 1000.0) / 1000.0);
  return s;
}

TEST(NativeHistogram, SketchBucketsBecomePrometheusBucketsOneIndexUp) {
  auto s = lognormal_sketch(6, 1, 5000);
  auto h = native_histogram::from_sketch(s).value();
  EXPECT_EQ(h.schema, 6);
  EXPECT_EQ(h.count, s.count());
  EXPECT_EQ(h.sum, s.sum());
  exposition e;
  ASSERT_TRUE(e.add_histogram_family("d_ms", "d", {"step"}));
  ASSERT_TRUE(e.add("d_ms", {"kyc"}, s));
  auto families = parse(e.to_protobuf());
  ASSERT_EQ(families.size(), 1u);
  ASSERT_EQ(families[0].type(), pb::HISTOGRAM);
  const pb::Histogram& ph = families[0].metric(0).histogram();
  EXPECT_EQ(ph.schema(), 6);
  EXPECT_EQ(ph.sample_count(), 5000u);
  auto got = buckets(ph);
  std::map<std::int64_t, std::uint64_t> want;
  s.for_each_bucket([&](std::int32_t i, std::uint64_t c) {
    if (c > 0) want[std::int64_t{i} + 1] = c;
  });
  EXPECT_EQ(got, want);
}

TEST(NativeHistogram, ScalesAboveEightAreDownscaledExactlyToEight) {
  // Values recorded one by one at scale 11; each must land in the schema-8 bucket its own value
  // belongs to (from the definition, not from the code under test).
  cxm::sketch_options o;
  o.scale = 11;
  o.max_buckets = 8000;
  auto s = duration_sketch::make(o).value();
  std::map<std::int64_t, std::uint64_t> want;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> d(50.0, 190.0);  // 2 octaves: 3700 buckets at scale 11
  for (int i = 0; i < 3000; ++i) {
    const double v = d(rng);
    const long double x = std::log2(static_cast<long double>(v)) * 256.0L;
    if (x - std::floor(x) < 1e-6L || std::ceil(x) - x < 1e-6L) continue;  // too near an edge to judge
    ASSERT_TRUE(s.record(v));
    ++want[expected_index(v, 8)];
  }
  ASSERT_EQ(s.scale(), 11);
  exposition e;
  ASSERT_TRUE(e.add_histogram_family("d_ms", "d", {}));
  ASSERT_TRUE(e.add("d_ms", {}, s));
  auto families = parse(e.to_protobuf());
  const pb::Histogram& ph = families.at(0).metric(0).histogram();
  EXPECT_EQ(ph.schema(), 8);
  EXPECT_EQ(buckets(ph), want);
  EXPECT_EQ(ph.sample_count(), s.count());
}

TEST(NativeHistogram, ZeroBucketAndThresholdAreTheSketchs) {
  auto s = lognormal_sketch(6, 3, 100, 0.5);
  ASSERT_TRUE(s.record(0.0));
  ASSERT_TRUE(s.record(0.25));
  exposition e;
  ASSERT_TRUE(e.add_histogram_family("d_ms", "d", {}));
  ASSERT_TRUE(e.add("d_ms", {}, s));
  const auto families = parse(e.to_protobuf());
  const pb::Histogram& ph = families.at(0).metric(0).histogram();
  EXPECT_EQ(ph.zero_threshold(), 0.5);
  EXPECT_EQ(ph.zero_count(), 2u);
  std::uint64_t total = ph.zero_count();
  for (const auto& [i, c] : buckets(ph)) total += c;
  EXPECT_EQ(total, ph.sample_count());
}

TEST(NativeHistogram, MergingEqualsOneSketchOfBoth) {
  auto a = lognormal_sketch(6, 11, 2000);
  auto b = lognormal_sketch(4, 12, 2000);
  auto ha = native_histogram::from_sketch(a).value();
  ASSERT_TRUE(ha.merge(native_histogram::from_sketch(b).value()));
  ASSERT_TRUE(a.merge(b));
  auto want = native_histogram::from_sketch(a).value();
  EXPECT_EQ(ha.schema, want.schema);
  EXPECT_EQ(ha.offset, want.offset);
  EXPECT_EQ(ha.counts, want.counts);
  EXPECT_EQ(ha.count, want.count);
  auto c = native_histogram::from_sketch(lognormal_sketch(6, 13, 10, 1.0)).value();
  EXPECT_EQ(ha.merge(c).code(), cxm::errc::incompatible);
}

TEST(NativeHistogram, AnEmptySketchIsStillANativeHistogram) {
  exposition e;
  ASSERT_TRUE(e.add_histogram_family("d_ms", "d", {}));
  ASSERT_TRUE(e.add("d_ms", {}, duration_sketch()));
  const auto families = parse(e.to_protobuf());
  const pb::Histogram& ph = families.at(0).metric(0).histogram();
  EXPECT_EQ(ph.sample_count(), 0u);
  EXPECT_EQ(ph.positive_span_size(), 1);  // Prometheus 2.x needs a span to see it as native
}

TEST(Exposition, SpansSkipLongGapsOnly) {
  auto s = duration_sketch::make({}).value();
  ASSERT_TRUE(s.record(1.5));
  ASSERT_TRUE(s.record(1.53));  // two buckets up (37 -> 39 at scale 6): same span, a zero delta between
  ASSERT_TRUE(s.record(1000));  // far away: a second span
  exposition e;
  ASSERT_TRUE(e.add_histogram_family("d_ms", "d", {}));
  ASSERT_TRUE(e.add("d_ms", {}, s));
  const auto families = parse(e.to_protobuf());
  const pb::Histogram& ph = families.at(0).metric(0).histogram();
  EXPECT_EQ(ph.positive_span_size(), 2);
  EXPECT_EQ(ph.positive_delta_size(), 4);
  EXPECT_EQ(buckets(ph).size(), 3u);
}

TEST(Exposition, CapFoldsNewLabelSetsIntoACountedOverflowSeries) {
  exposition e(2);
  ASSERT_TRUE(e.add_counter_family("c_total", "c", {"channel"}));
  for (const char* ch : {"app", "web", "app", "phone", "branch", "phone"}) ASSERT_TRUE(e.add("c_total", {ch}, 1.0));
  EXPECT_EQ(e.overflowed("c_total"), 2u);  // phone and branch
  auto families = parse(e.to_protobuf());
  ASSERT_EQ(families.size(), 2u);
  std::map<std::string, double> by;
  for (const auto& m : families[0].metric()) by[m.label(0).value()] = m.counter().value();
  EXPECT_EQ(by, (std::map<std::string, double>{{"app", 2}, {"web", 1}, {"__overflow__", 3}}));
  EXPECT_EQ(families[1].name(), "cxm_exposition_overflow_series");
  EXPECT_EQ(families[1].metric(0).gauge().value(), 2.0);
}

TEST(Exposition, RefusesNamesPrometheusWouldNot) {
  exposition e;
  EXPECT_FALSE(e.add_counter_family("1bad", "", {}));
  EXPECT_FALSE(e.add_counter_family("ok_total", "", {"__reserved"}));
  EXPECT_FALSE(e.add_counter_family("ok_total", "", {"bad-label"}));
  ASSERT_TRUE(e.add_counter_family("ok_total", "", {"a"}));
  EXPECT_FALSE(e.add_counter_family("ok_total", "", {"a"}));
  EXPECT_EQ(e.add("ok_total", {"x", "y"}, 1.0).code(), cxm::errc::invalid_argument);
  EXPECT_EQ(e.add("missing_total", {"x"}, 1.0).code(), cxm::errc::not_found);
}

TEST(Exposition, TextHasCountersAndHistogramsAsSumAndCount) {
  exposition e;
  ASSERT_TRUE(e.add_counter_family("c_total", "answers \\ by \"value\"", {"q", "channel"}));
  ASSERT_TRUE(e.add("c_total", {"a\"b\\c\nd", ""}, 3.0));
  ASSERT_TRUE(e.add_histogram_family("d_ms", "d", {"step"}));
  duration_sketch s;
  ASSERT_TRUE(s.record(2.0));
  ASSERT_TRUE(s.record(3.5));
  ASSERT_TRUE(e.add("d_ms", {"kyc"}, s));
  EXPECT_EQ(e.to_text(),
            "# HELP c_total answers \\\\ by \"value\"\n# TYPE c_total counter\n"
            "c_total{q=\"a\\\"b\\\\c\\nd\"} 3\n"
            "# HELP d_ms d\n# TYPE d_ms summary\nd_ms_sum{step=\"kyc\"} 5.5\nd_ms_count{step=\"kyc\"} 2\n");
}

TEST(Exposition, OtlpCarriesTheSameSeriesUnderOtlpNames) {
  exposition e(2);
  ASSERT_TRUE(e.add_counter_family("cxm_nps_answers_total", "NPS answers", {"channel", "value"}));
  ASSERT_TRUE(e.add_histogram_family("cxm_step_duration_milliseconds", "durations", {"step"}));
  ASSERT_TRUE(e.add("cxm_nps_answers_total", {"app", "9"}, 4.0));
  ASSERT_TRUE(e.add("cxm_nps_answers_total", {"web", "9"}, 1.0));
  ASSERT_TRUE(e.add("cxm_nps_answers_total", {"phone", "3"}, 2.0));  // past the cap of 2: overflow
  cxm::duration_sketch s;
  for (double v : {0.0, 3.0, 5.0, 6.0, 100.0}) ASSERT_TRUE(s.record(v).ok());
  ASSERT_TRUE(e.add("cxm_step_duration_milliseconds", {"kyc"}, s));
  const std::string text = e.to_otlp_json({cxm::otlp_attribute::str("service.name", "cxm-serve")}, {1000, 2000});
  boost::json::value v = boost::json::parse(text);
  const auto& metrics = v.at("resourceMetrics").at(0).at("scopeMetrics").at(0).at("metrics").as_array();
  std::map<std::string, const boost::json::object*> by;
  for (const auto& m : metrics) by[std::string(m.at("name").as_string())] = &m.as_object();
  ASSERT_EQ(by.size(), 3u) << text;
  // Counters: monotonic cumulative sums named without _total; every label an attribute.
  const auto& sum = by.at("cxm.nps.answers")->at("sum").as_object();
  EXPECT_EQ(by.at("cxm.nps.answers")->at("unit").as_string(), "1");
  EXPECT_TRUE(sum.at("isMonotonic").as_bool());
  EXPECT_EQ(sum.at("aggregationTemporality").as_int64(), 2);
  std::map<std::string, std::string> counts;
  for (const auto& p : sum.at("dataPoints").as_array())
    counts[std::string(p.at("attributes").at(0).at("value").at("stringValue").as_string())] =
        std::string(p.at("asInt").as_string());
  EXPECT_EQ(counts, (std::map<std::string, std::string>{{"app", "4"}, {"web", "1"}, {"__overflow__", "2"}}));
  // The histogram: unit from the name's suffix, the sketch's buckets as they are.
  const auto* d = by.at("cxm.step.duration");
  EXPECT_EQ(d->at("unit").as_string(), "ms");
  const auto& p = d->at("exponentialHistogram").at("dataPoints").at(0).as_object();
  EXPECT_EQ(p.at("count").as_string(), "5");
  EXPECT_EQ(p.at("zeroCount").as_string(), "1");
  EXPECT_EQ(p.at("scale").as_int64(), s.scale());
  EXPECT_EQ(p.at("positive").at("offset").as_int64(), s.offset());
  EXPECT_EQ(p.at("startTimeUnixNano").as_string(), "1000");
  EXPECT_EQ(p.at("timeUnixNano").as_string(), "2000");
  // The folded label sets, as a gauge per family.
  const auto& g = by.at("cxm.exposition.overflow.series")->at("gauge").at("dataPoints").at(0);
  EXPECT_EQ(g.at("asDouble").as_double(), 1.0);
  EXPECT_EQ(g.at("attributes").at(0).at("value").at("stringValue").as_string(), "cxm_nps_answers_total");
}

}  // namespace
