// SPDX-License-Identifier: MIT
// Tests of the OTLP/JSON export: structure per the protobuf JSON mapping, lossless sketches, errors.
#include "cxm/export/otlp.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cxm/sketch/duration_sketch.hpp"

namespace {

namespace json = boost::json;

constexpr cxm::otlp_time window{1700000000000000000ULL, 1700000060123456789ULL};

json::object parse(const std::string& s) {
  json::error_code ec;
  json::value v = json::parse(s, ec);
  EXPECT_FALSE(ec) << s;
  return v.is_object() ? v.as_object() : json::object{};
}

const json::array& metrics_of(const json::object& root) {
  return root.at("resourceMetrics").as_array().at(0).as_object().at("scopeMetrics").as_array().at(0).as_object()
      .at("metrics").as_array();
}

std::uint64_t u64(const json::value& v) { return std::stoull(std::string(v.as_string())); }

cxm::duration_sketch sample_sketch() {
  cxm::duration_sketch s;
  for (double v : {0.0, 1.0, 2.0, 2.5, 1000.0, 1000.0, 7.25e4}) EXPECT_TRUE(s.record(v).ok());
  EXPECT_TRUE(s.record(1e6, 3).ok());
  return s;
}

TEST(Otlp, DurationIsAnExponentialHistogramPoint) {
  const cxm::duration_sketch sketch = sample_sketch();
  cxm::otlp_builder b;
  b.resource_attributes().push_back(cxm::otlp_attribute::str("service.name", "bank-app"));
  b.set_description("journey.step.duration", "time per journey step");
  ASSERT_TRUE(b.add_duration("journey.step.duration", "ms", sketch,
                             {cxm::otlp_attribute::str("step", "card_ordered"),
                              cxm::otlp_attribute::str("channel", "web"),
                              cxm::otlp_attribute::integer("segment.age", 30),
                              cxm::otlp_attribute::real("weight", 0.5),
                              cxm::otlp_attribute::boolean("controlled", true)},
                             window)
                  .ok());
  EXPECT_EQ(b.point_count(), 1u);
  const json::object root = parse(b.to_json());
  const auto& rm = root.at("resourceMetrics").as_array().at(0).as_object();
  const auto& rattr = rm.at("resource").as_object().at("attributes").as_array().at(0).as_object();
  EXPECT_EQ(rattr.at("key").as_string(), "service.name");
  EXPECT_EQ(rattr.at("value").as_object().at("stringValue").as_string(), "bank-app");
  const auto& scope = rm.at("scopeMetrics").as_array().at(0).as_object().at("scope").as_object();
  EXPECT_EQ(scope.at("name").as_string(), "cxm");

  const auto& metric = metrics_of(root).at(0).as_object();
  EXPECT_EQ(metric.at("name").as_string(), "journey.step.duration");
  EXPECT_EQ(metric.at("unit").as_string(), "ms");
  EXPECT_EQ(metric.at("description").as_string(), "time per journey step");
  const auto& eh = metric.at("exponentialHistogram").as_object();
  EXPECT_EQ(eh.at("aggregationTemporality").as_int64(), 2);
  const auto& p = eh.at("dataPoints").as_array().at(0).as_object();
  // 64-bit integers are strings (protobuf JSON mapping); the time keeps every nanosecond.
  EXPECT_EQ(p.at("startTimeUnixNano").as_string(), "1700000000000000000");
  EXPECT_EQ(p.at("timeUnixNano").as_string(), "1700000060123456789");
  EXPECT_EQ(u64(p.at("count")), sketch.count());
  EXPECT_EQ(u64(p.at("zeroCount")), 1u);
  EXPECT_EQ(p.at("sum").to_number<double>(), sketch.sum());
  EXPECT_EQ(p.at("min").to_number<double>(), 0.0);
  EXPECT_EQ(p.at("max").to_number<double>(), 1e6);
  EXPECT_EQ(p.at("scale").as_int64(), 6);
  EXPECT_EQ(p.at("zeroThreshold").to_number<double>(), 0.0);
  EXPECT_FALSE(p.contains("negative"));
  const auto& attrs = p.at("attributes").as_array();
  ASSERT_EQ(attrs.size(), 5u);
  EXPECT_EQ(attrs.at(2).as_object().at("value").as_object().at("intValue").as_string(), "30");
  EXPECT_EQ(attrs.at(3).as_object().at("value").as_object().at("doubleValue").to_number<double>(), 0.5);
  EXPECT_EQ(attrs.at(4).as_object().at("value").as_object().at("boolValue").as_bool(), true);

  // Lossless: the positive buckets are the sketch's, and rebuild an identical sketch.
  const auto& positive = p.at("positive").as_object();
  std::vector<std::uint64_t> counts;
  std::uint64_t total = 0;
  for (const auto& c : positive.at("bucketCounts").as_array()) {
    counts.push_back(u64(c));
    total += counts.back();
  }
  EXPECT_EQ(total + 1, sketch.count());
  cxm::duration_sketch::state st;
  st.scale = static_cast<int>(p.at("scale").as_int64());
  st.sum = p.at("sum").to_number<double>();
  st.min = p.at("min").to_number<double>();
  st.max = p.at("max").to_number<double>();
  st.zero_count = u64(p.at("zeroCount"));
  st.offset = static_cast<std::int32_t>(positive.at("offset").as_int64());
  st.counts = counts.data();
  st.bucket_count = counts.size();
  auto rebuilt = cxm::duration_sketch::restore(st);
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.detail();
  EXPECT_EQ(*rebuilt, sketch);
}

TEST(Otlp, BucketsWithoutASketchWriteTheSamePointLessMinAndMax) {
  // The same buckets, given as a sketch and given as buckets: the points differ only in min/max.
  const cxm::duration_sketch s = sample_sketch();
  cxm::otlp_exponential_buckets h;
  h.scale = s.scale();
  h.zero_threshold = s.zero_threshold();
  h.zero_count = s.zero_count();
  h.count = s.count();
  h.sum = s.sum();
  h.offset = s.offset();
  for (std::size_t i = 0; i < s.bucket_count(); ++i) h.counts.push_back(s.bucket(i));
  cxm::otlp_builder a, b;
  ASSERT_TRUE(a.add_duration("cxm.step.duration", "ms", s, {cxm::otlp_attribute::str("step", "kyc")}, window).ok());
  ASSERT_TRUE(b.add_exponential_histogram("cxm.step.duration", "ms", h, {cxm::otlp_attribute::str("step", "kyc")}, window).ok());
  json::object pa = metrics_of(parse(a.to_json())).at(0).as_object().at("exponentialHistogram").as_object()
      .at("dataPoints").as_array().at(0).as_object();
  const json::object pb = metrics_of(parse(b.to_json())).at(0).as_object().at("exponentialHistogram").as_object()
      .at("dataPoints").as_array().at(0).as_object();
  EXPECT_EQ(json::value_to<double>(pa.at("min")), 0.0);  // JSON 0 reads back as an integer
  EXPECT_EQ(json::value_to<double>(pa.at("max")), 1e6);
  pa.erase("min");
  pa.erase("max");
  EXPECT_EQ(pa, pb);
  EXPECT_EQ(u64(pb.at("count")), 10u);

  // Counts that do not add up, non-finite sums, scales OTLP does not have: refused, nothing added.
  cxm::otlp_builder c;
  auto bad = h;
  bad.count += 1;
  EXPECT_EQ(c.add_exponential_histogram("m", "ms", bad, {}, window).code(), cxm::errc::invalid_argument);
  bad = h;
  bad.sum = std::numeric_limits<double>::infinity();
  EXPECT_EQ(c.add_exponential_histogram("m", "ms", bad, {}, window).code(), cxm::errc::invalid_argument);
  bad = h;
  bad.scale = 21;
  EXPECT_EQ(c.add_exponential_histogram("m", "ms", bad, {}, window).code(), cxm::errc::invalid_argument);
  bad = h;
  bad.counts = {std::numeric_limits<std::uint64_t>::max(), 2};
  bad.count = 1;
  EXPECT_EQ(c.add_exponential_histogram("m", "ms", bad, {}, window).code(), cxm::errc::invalid_argument);
  EXPECT_EQ(c.point_count(), 0u);
}

TEST(Otlp, NonIntegerDoublesRoundTripExactly) {
  cxm::duration_sketch s;
  for (double v : {0.1, 1.0 / 3.0, 2.718281828459045, 1e-300, 123456.789}) ASSERT_TRUE(s.record(v).ok());
  auto out = cxm::duration_sketch_to_otlp_json("d", "s", s, {}, window);
  ASSERT_TRUE(out.ok());
  const json::object root = parse(*out);
  const auto& p = metrics_of(root).at(0).as_object().at("exponentialHistogram").as_object().at("dataPoints")
      .as_array().at(0).as_object();
  EXPECT_EQ(p.at("sum").to_number<double>(), s.sum());
  EXPECT_EQ(p.at("min").to_number<double>(), 1e-300);
  EXPECT_EQ(p.at("max").to_number<double>(), 123456.789);
}

TEST(Otlp, EmptySketchHasNoMinMaxAndNoBuckets) {
  cxm::duration_sketch s;
  auto out = cxm::duration_sketch_to_otlp_json("d", "ms", s, {}, {0, 5});
  ASSERT_TRUE(out.ok());
  const json::object root = parse(*out);
  const auto& p = metrics_of(root).at(0).as_object().at("exponentialHistogram").as_object().at("dataPoints")
      .as_array().at(0).as_object();
  EXPECT_EQ(p.at("count").as_string(), "0");
  EXPECT_FALSE(p.contains("min"));
  EXPECT_FALSE(p.contains("max"));
  EXPECT_TRUE(p.at("positive").as_object().at("bucketCounts").as_array().empty());
}

TEST(Otlp, PointsGroupByMetricInFirstSeenOrder) {
  cxm::otlp_builder b;
  cxm::duration_sketch s = sample_sketch();
  ASSERT_TRUE(b.add_duration("step", "ms", s, {cxm::otlp_attribute::str("channel", "web")}, window).ok());
  ASSERT_TRUE(b.add_count("contacts", "{contact}", 7, {}, window).ok());
  ASSERT_TRUE(b.add_duration("step", "ms", s, {cxm::otlp_attribute::str("channel", "phone")}, window).ok());
  ASSERT_TRUE(b.add_gauge("nps.score", "1", 12.5, {}, window).ok());
  EXPECT_EQ(b.point_count(), 4u);
  const json::object root = parse(b.to_json());
  const auto& ms = metrics_of(root);
  ASSERT_EQ(ms.size(), 3u);
  EXPECT_EQ(ms.at(0).as_object().at("name").as_string(), "step");
  EXPECT_EQ(ms.at(0).as_object().at("exponentialHistogram").as_object().at("dataPoints").as_array().size(), 2u);
  const auto& sum = ms.at(1).as_object().at("sum").as_object();
  EXPECT_EQ(sum.at("isMonotonic").as_bool(), true);
  EXPECT_EQ(sum.at("aggregationTemporality").as_int64(), 2);
  EXPECT_EQ(sum.at("dataPoints").as_array().at(0).as_object().at("asInt").as_string(), "7");
  const auto& gauge = ms.at(2).as_object().at("gauge").as_object();
  EXPECT_EQ(gauge.at("dataPoints").as_array().at(0).as_object().at("asDouble").to_number<double>(), 12.5);
}

TEST(Otlp, NpsTallyIsOneCountPerAnswerWithCategory) {
  cxm::nps_tally t;
  for (int a : {10, 9, 9, 8, 3, 0}) ASSERT_TRUE(t.add(a).ok());
  cxm::otlp_builder b;
  ASSERT_TRUE(b.add_nps_tally("survey.nps.answers", t, {cxm::otlp_attribute::str("segment", "private")}, window).ok());
  EXPECT_EQ(b.point_count(), 11u);
  const json::object root = parse(b.to_json());
  const auto& m = metrics_of(root).at(0).as_object();
  EXPECT_EQ(m.at("unit").as_string(), "{answer}");
  const auto& pts = m.at("sum").as_object().at("dataPoints").as_array();
  ASSERT_EQ(pts.size(), 11u);
  for (int a = 0; a <= 10; ++a) {
    const auto& p = pts.at(static_cast<std::size_t>(a)).as_object();
    const auto& attrs = p.at("attributes").as_array();
    ASSERT_EQ(attrs.size(), 3u);
    EXPECT_EQ(attrs.at(0).as_object().at("value").as_object().at("stringValue").as_string(), "private");
    EXPECT_EQ(attrs.at(1).as_object().at("key").as_string(), "answer");
    EXPECT_EQ(attrs.at(1).as_object().at("value").as_object().at("intValue").as_string(), std::to_string(a));
    const char* cat = a >= 9 ? "promoter" : a >= 7 ? "passive" : "detractor";
    EXPECT_EQ(attrs.at(2).as_object().at("value").as_object().at("stringValue").as_string(), cat);
    EXPECT_EQ(u64(p.at("asInt")), t.count(a));
  }
}

TEST(Otlp, ScaleTallyIsOneCountPerPointWithTopBox) {
  cxm::scale_tally t;  // CES 1-7
  for (int a : {7, 6, 5, 5, 2}) ASSERT_TRUE(t.add(a).ok());
  cxm::otlp_builder b;
  ASSERT_TRUE(b.add_scale_tally("survey.ces.answers", t, {}, window).ok());
  const json::object root = parse(b.to_json());
  const auto& pts = metrics_of(root).at(0).as_object().at("sum").as_object().at("dataPoints").as_array();
  ASSERT_EQ(pts.size(), 7u);
  for (int a = 1; a <= 7; ++a) {
    const auto& p = pts.at(static_cast<std::size_t>(a - 1)).as_object();
    const auto& attrs = p.at("attributes").as_array();
    EXPECT_EQ(attrs.at(0).as_object().at("value").as_object().at("intValue").as_string(), std::to_string(a));
    EXPECT_EQ(attrs.at(1).as_object().at("value").as_object().at("boolValue").as_bool(), a >= 5);
    EXPECT_EQ(u64(p.at("asInt")), t.count(a));
  }
}

TEST(Otlp, BadInputIsAnErrorAndLeavesTheBuilderUnchanged) {
  cxm::otlp_builder b;
  const cxm::duration_sketch s = sample_sketch();
  ASSERT_TRUE(b.add_duration("d", "ms", s, {}, window).ok());
  const std::string before = b.to_json();
  using cxm::errc;
  EXPECT_EQ(b.add_duration("", "ms", s, {}, window).code(), errc::invalid_argument);
  EXPECT_EQ(b.add_duration("e", "ms", s, {}, {10, 9}).code(), errc::invalid_argument);
  EXPECT_EQ(b.add_duration("e", "ms", s, {cxm::otlp_attribute::str("", "x")}, window).code(), errc::invalid_argument);
  EXPECT_EQ(b.add_duration("e", "ms", s, {cxm::otlp_attribute::str("k", "a"), cxm::otlp_attribute::str("k", "b")},
                           window).code(),
            errc::invalid_argument);
  EXPECT_EQ(b.add_duration("e", "ms", s, {cxm::otlp_attribute::str("k", "\xff")}, window).code(), errc::invalid_utf8);
  EXPECT_EQ(b.add_duration("\xc3", "ms", s, {}, window).code(), errc::invalid_utf8);
  EXPECT_EQ(b.add_duration("e", "ms", s, {cxm::otlp_attribute::real("k", std::nan(""))}, window).code(),
            errc::invalid_argument);
  EXPECT_EQ(b.add_gauge("g", "1", HUGE_VAL, {}, window).code(), errc::invalid_argument);
  EXPECT_EQ(b.add_count("d", "ms", 1, {}, window).code(), errc::incompatible);  // another kind
  EXPECT_EQ(b.add_duration("d", "s", s, {}, window).code(), errc::incompatible);  // another unit
  cxm::nps_tally t;
  EXPECT_EQ(b.add_nps_tally("n", t, {cxm::otlp_attribute::str("answer", "x")}, window).code(), errc::invalid_argument);
  EXPECT_EQ(b.point_count(), 1u);
  EXPECT_EQ(b.to_json(), before);
}

// The bytes of a whole request, frozen: key order, 64-bit integers as strings, whole doubles of a
// sketch as integers, attribute and gauge doubles always in double form, escapes.
TEST(Otlp, WholeRequestIsFrozen) {
  cxm::otlp_builder b("cxm-test", "1.2.3");
  b.resource_attributes().push_back(cxm::otlp_attribute::str("service.name", "bank \"app\"\n\xc3\xa9"));
  b.set_description("journey.step.duration", "time per step");
  b.set_description("nps.score", "");
  cxm::sketch_options o;
  o.scale = 0;
  cxm::duration_sketch s = cxm::duration_sketch::make(o).value();
  for (double v : {0.0, 1.0, 2.5, 0.25, 3.0, 5.5}) ASSERT_TRUE(s.record(v).ok());
  ASSERT_TRUE(b.add_duration("journey.step.duration", "ms", s,
                             {cxm::otlp_attribute::str("step", "card_ordered"), cxm::otlp_attribute::integer("age", -30),
                              cxm::otlp_attribute::real("weight", 2.0), cxm::otlp_attribute::real("tiny", 1e-300),
                              cxm::otlp_attribute::boolean("controlled", false)},
                             window)
                  .ok());
  ASSERT_TRUE(b.add_count("contacts", "{contact}", UINT64_MAX, {}, window).ok());
  ASSERT_TRUE(b.add_gauge("nps.score", "1", -12.0, {cxm::otlp_attribute::str("tab", "\t\x01")}, window).ok());
  ASSERT_TRUE(b.add_gauge("nps.score", "1", 0.1, {}, {0, 5}).ok());
  EXPECT_EQ(b.to_json(),
            R"({"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"bank \"app\"\n)"
            "\xc3\xa9"
            R"("}}]},"scopeMetrics":[{"scope":{"name":"cxm-test","version":"1.2.3"},"metrics":[)"
            R"({"name":"journey.step.duration","description":"time per step","unit":"ms","exponentialHistogram":)"
            R"({"aggregationTemporality":2,"dataPoints":[{"attributes":[{"key":"step","value":{"stringValue":"card_ordered"}},)"
            R"({"key":"age","value":{"intValue":"-30"}},{"key":"weight","value":{"doubleValue":2E0}},)"
            R"({"key":"tiny","value":{"doubleValue":1E-300}},{"key":"controlled","value":{"boolValue":false}}],)"
            R"("startTimeUnixNano":"1700000000000000000","timeUnixNano":"1700000060123456789","count":"6",)"
            R"("sum":1.225E1,"min":0,"max":5.5E0,"scale":0,"zeroCount":"1","zeroThreshold":0,)"
            R"("positive":{"offset":-3,"bucketCounts":["1","0","1","0","2","1"]}}]}},)"
            R"({"name":"contacts","unit":"{contact}","sum":{"aggregationTemporality":2,"isMonotonic":true,"dataPoints":[)"
            R"({"attributes":[],"startTimeUnixNano":"1700000000000000000","timeUnixNano":"1700000060123456789",)"
            R"("asInt":"18446744073709551615"}]}},)"
            R"({"name":"nps.score","unit":"1","gauge":{"dataPoints":[{"attributes":[{"key":"tab","value":{"stringValue":"\t\u0001"}}],)"
            R"("startTimeUnixNano":"1700000000000000000","timeUnixNano":"1700000060123456789","asDouble":-1.2E1},)"
            R"({"attributes":[],"startTimeUnixNano":"0","timeUnixNano":"5","asDouble":1E-1}]}}]}]}]})");
}

TEST(Otlp, EscapesStrings) {
  cxm::otlp_builder b;
  ASSERT_TRUE(b.add_count("c", "1", 1, {cxm::otlp_attribute::str("q", "say \"hi\"\n\\ \xc3\xa9")}, window).ok());
  const json::object root = parse(b.to_json());
  const auto& v = metrics_of(root).at(0).as_object().at("sum").as_object().at("dataPoints").as_array().at(0)
      .as_object().at("attributes").as_array().at(0).as_object().at("value").as_object().at("stringValue");
  EXPECT_EQ(v.as_string(), "say \"hi\"\n\\ \xc3\xa9");
}

}  // namespace
