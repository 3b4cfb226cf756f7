// SPDX-License-Identifier: MIT
// cxm.recorder_snapshot version 1: a golden document written by hand from the format comment,
// round trips (doubles bit for bit), and strict decoding whose errors name the field.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "cxm/device/recorder.hpp"

namespace {

using cxm::errc;
using cxm::metric_kind;

cxm::recorder three() {
  return cxm::recorder::make({{"signup.nps", metric_kind::nps, {}, {}},
                              {"help.ces", metric_kind::scale, cxm::scale::ces5(), {}},
                              {"load_ms", metric_kind::duration, {}, {}}})
      .value();
}

// The document of a snapshot with one metric `name` of `kind` whose value is `value`.
std::string one(const std::string& metric) {
  return R"({"format":"cxm.recorder_snapshot","version":1,"metrics":[)" + metric + "]}";
}
const std::string nps_value =
    R"({"format":"cxm.nps_tally","version":1,"counts":[0,0,0,0,0,0,0,0,0,0,1],)"
    R"("rejected":{"out_of_range":0,"not_integer":0,"not_finite":0,"wrong_type":0}})";

}  // namespace

TEST(RecorderSnapshotJson, GoldenDocument) {
  cxm::recorder rec = three();
  for (int a : {10, 9, 9, 0, 11}) (void)rec.record(0, a);
  (void)rec.record(0, 9.5);
  for (int a : {5, 4, 1, 6}) (void)rec.record(1, a);
  for (double d : {1.0, 1.0, 0.0, -1.0, std::numeric_limits<double>::quiet_NaN()}) (void)rec.record_duration(2, d);
  // Worked out by hand from the format:
  // - NPS: answers 0 once, 9 twice, 10 once; 11 out of range, 9.5 not an integer.
  // - CES 1-5: 1, 4 and 5 once (counts from min = 1); 6 out of range.
  // - durations at scale 6 (base 2^(1/64)): bucket i holds (base^i, base^(i+1)], so 1 = base^0
  //   is the top of bucket -1: offset -1, counts [2]. 0 goes to the zero bucket; count 3,
  //   sum 2, min 0, max 1; -1 is out of range and NaN not finite.
  const std::string expected =
      R"({"format":"cxm.recorder_snapshot","version":1,"metrics":[)"
      R"({"name":"signup.nps","kind":"nps","value":{"format":"cxm.nps_tally","version":1,)"
      R"("counts":[1,0,0,0,0,0,0,0,0,2,1],)"
      R"("rejected":{"out_of_range":1,"not_integer":1,"not_finite":0,"wrong_type":0}}},)"
      R"({"name":"help.ces","kind":"scale","value":{"format":"cxm.scale_tally","version":1,)"
      R"("scale":{"min":1,"max":5,"top_box_min":4},"counts":[1,0,0,1,1],)"
      R"("rejected":{"out_of_range":1,"not_integer":0,"not_finite":0,"wrong_type":0}}},)"
      R"({"name":"load_ms","kind":"duration","value":{"format":"cxm.duration_sketch","version":1,)"
      R"("scale":6,"max_buckets":1600,"zero_threshold":0,"count":3,"sum":2,"min":0,"max":1,"zero_count":1,)"
      R"("positive":{"offset":-1,"counts":[2]},"rejected":{"out_of_range":1,"not_finite":1}}}]})";
  EXPECT_EQ(to_json(rec.snapshot()), expected);

  auto decoded = cxm::recorder_snapshot_from_json(expected);
  ASSERT_TRUE(decoded.ok()) << decoded.detail();
  const cxm::recorder_snapshot& s = decoded.value();
  ASSERT_EQ(s.metrics.size(), 3u);
  EXPECT_EQ(s.metrics[0].name, "signup.nps");
  EXPECT_EQ(s.metrics[0].kind, metric_kind::nps);
  EXPECT_EQ(s.metrics[1].kind, metric_kind::scale);
  EXPECT_EQ(s.metrics[1].scale, cxm::scale::ces5());
  EXPECT_EQ(s.metrics[2].kind, metric_kind::duration);
  EXPECT_EQ(s.metrics[2].sketch.scale, 6);
  EXPECT_EQ(s.metrics[2].sketch.max_buckets, 1600u);
  EXPECT_EQ(std::get<cxm::nps_tally>(s.values[0]).score(), 50.0);  // (3 - 1) / 4
  EXPECT_EQ(std::get<cxm::duration_sketch>(s.values[2]).quantile(1.0).value(), 1.0);
  EXPECT_FALSE(s.empty());
}

TEST(RecorderSnapshotJson, RoundTripsExactly) {
  cxm::sketch_options o;
  o.scale = 3;
  o.max_buckets = 200;
  o.zero_threshold = 0.001;
  cxm::recorder rec = cxm::recorder::make({{"a", metric_kind::duration, {}, o},
                                           {"b\xC3\xA9 \"quoted\" \\", metric_kind::nps, {}, {}},
                                           {"c", metric_kind::scale, cxm::scale::csat5(), {}}})
                          .value();
  // Doubles whose shortest form has many digits, a denormal, values under the threshold.
  for (double d : {0.1, 1.0 / 3.0, 12345.678901234, 5e-324, 1e-4, 2.5e12, 0.30000000000000004})
    (void)rec.record_duration(0, d);
  for (int a = 0; a <= 10; ++a) (void)rec.record(1, a);
  (void)rec.record(2, 4.0);
  const cxm::recorder_snapshot s = rec.snapshot();
  const std::string json = to_json(s);
  auto back = cxm::recorder_snapshot_from_json(json);
  ASSERT_TRUE(back.ok()) << back.detail();
  EXPECT_EQ(to_json(back.value()), json);
  EXPECT_EQ(std::get<cxm::duration_sketch>(back->values[0]), std::get<cxm::duration_sketch>(s.values[0]));
  EXPECT_EQ(std::get<cxm::nps_tally>(back->values[1]), std::get<cxm::nps_tally>(s.values[1]));
  EXPECT_EQ(std::get<cxm::scale_tally>(back->values[2]), std::get<cxm::scale_tally>(s.values[2]));
  EXPECT_EQ(back->metrics[1].name, s.metrics[1].name);
  EXPECT_EQ(back->metrics[0].sketch.zero_threshold, 0.001);
  // A decoded snapshot merges with the recorder's own.
  cxm::recorder_snapshot twice = s;
  EXPECT_TRUE(twice.merge(back.value()).ok());
}

TEST(RecorderSnapshotJson, StrictDecodingNamesTheField) {
  const std::string nps_metric = R"({"name":"n","kind":"nps","value":)" + nps_value + "}";
  const struct {
    std::string json;
    errc code;
    std::string detail;  // the start of the detail
  } cases[] = {
      {"[]", errc::wrong_type, "(root)"},
      {R"({"format":"cxm.nps_tally","version":1,"metrics":[]})", errc::incompatible, "format: "},
      {R"({"format":"cxm.recorder_snapshot","version":2,"metrics":[]})", errc::unsupported_version, "version: "},
      {R"({"format":"cxm.recorder_snapshot","version":1})", errc::missing_field, "metrics: missing"},
      {R"({"format":"cxm.recorder_snapshot","version":1,"metrics":[],"extra":1})", errc::invalid_argument,
       "(root): unknown field \"extra\""},
      {R"({"format":"cxm.recorder_snapshot","version":1,"metrics":{}})", errc::wrong_type, "metrics: "},
      {one(""), errc::missing_field, "metrics: must list at least one metric"},
      {one("7"), errc::wrong_type, "metrics[0]: "},
      {one(nps_metric + R"(,{"name":"m","kind":"nps","value":{},"unit":"ms"})"), errc::invalid_argument,
       "metrics[1]: unknown field \"unit\""},
      {one(R"({"kind":"nps","value":{}})"), errc::missing_field, "metrics[0].name: missing"},
      {one(R"({"name":7,"kind":"nps","value":{}})"), errc::wrong_type, "metrics[0].name: "},
      {one(R"({"name":"","kind":"nps","value":{}})"), errc::invalid_argument, "metrics[0].name: a name has 1 to 128 bytes"},
      {one(R"({"name":"a\u0007b","kind":"nps","value":{}})"), errc::invalid_argument,
       "metrics[0].name: a control character"},
      {one(R"({"name":")" + std::string(129, 'x') + R"(","kind":"nps","value":{}})"), errc::invalid_argument,
       "metrics[0].name: a name has 1 to 128 bytes"},
      {one(nps_metric + "," + nps_metric), errc::invalid_argument,
       "metrics[1].name: the name of metrics[0] again (names are unique)"},
      {one(R"({"name":"n","kind":3,"value":{}})"), errc::wrong_type, "metrics[0].kind: "},
      {one(R"({"name":"n","kind":"histogram","value":{}})"), errc::invalid_argument,
       "metrics[0].kind: expected \"nps\", \"scale\" or \"duration\", got \"histogram\""},
      {one(R"({"name":"n","kind":"nps","value":[1]})"), errc::wrong_type, "metrics[0].value: "},
      {one(R"({"name":"n","kind":"nps","value":{}})"), errc::missing_field, "metrics[0].value.format: missing"},
      // A value of another kind than its metric's: the value's own decoder refuses its format.
      {one(R"({"name":"n","kind":"scale","value":)" + nps_value + "}"), errc::incompatible,
       "metrics[0].value.format: expected \"cxm.scale_tally\""},
      {one(R"({"name":"n","kind":"nps","value":{"format":"cxm.nps_tally","version":1,"counts":[0,0,0,0,0,0,0,0,0,"9",1],)"
           R"("rejected":{"out_of_range":0,"not_integer":0,"not_finite":0,"wrong_type":0}}})"),
       errc::wrong_type, "metrics[0].value.counts[9]: "},
      {one(R"({"name":"n","kind":"nps","value":{"format":"cxm.nps_tally","version":1,"counts":[0,0,0,0,0,0,0,0,0,0,1],)"
           R"("rejected":{"out_of_range":0,"not_integer":0,"not_finite":0,"wrong_type":0},"extra":0}})"),
       errc::invalid_argument, "metrics[0].value: unknown field \"extra\""},
      {one(R"({"name":"d","kind":"duration","value":{"format":"cxm.duration_sketch","version":1,"scale":6,)"
           R"("max_buckets":1600,"zero_threshold":0,"count":2,"sum":2,"min":1,"max":1,"zero_count":0,)"
           R"("positive":{"offset":-1,"counts":[1]},"rejected":{"out_of_range":0,"not_finite":0}}})"),
       errc::invalid_argument, "metrics[0].value.count: "},
      {one(R"({"name":"d","kind":"duration","value":{"format":"cxm.duration_sketch","version":1,"scale":6,)"
           R"("max_buckets":1600,"zero_threshold":0,"count":1,"sum":1,"min":1,"max":1,"zero_count":0,)"
           R"("positive":{"offset":-1,"counts":[1.5]},"rejected":{"out_of_range":0,"not_finite":0}}})"),
       errc::not_integer, "metrics[0].value.positive.counts[0]: expected a count"},
      {"{\"format\":\"cxm.recorder_snapshot\",\"version\":1,\"metrics\":[{\"name\":\"\xC0\xAF\"}]}", errc::invalid_utf8, ""},
      {R"({"format":"cxm.recorder_snapshot","version":1,"metrics":[]} x)", errc::parse_error, ""},
  };
  for (const auto& c : cases) {
    auto r = cxm::recorder_snapshot_from_json(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.code(), c.code) << c.json << "\n" << r.detail();
    EXPECT_EQ(r.detail().rfind(c.detail, 0), 0u) << c.json << "\n" << r.detail();
  }
}

TEST(RecorderSnapshotJson, LimitsAreDeclaredAndApplied) {
  // More metrics than a recorder holds.
  std::string metrics;
  for (int i = 0; i <= 4096; ++i) {
    if (i > 0) metrics += ',';
    metrics += R"({"name":"m)" + std::to_string(i) + R"(","kind":"nps","value":)" + nps_value + "}";
  }
  auto r = cxm::recorder_snapshot_from_json(one(metrics));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::too_large);
  EXPECT_EQ(r.detail().rfind("metrics: 4097 entries", 0), 0u) << r.detail();
  // Nesting past the declared depth.
  static_assert(cxm::recorder_snapshot_json_limits.max_depth == 16, "the documented depth");
  std::string deep = one(R"({"name":"n","kind":"nps","value":)" + std::string(20, '[') + std::string(20, ']') + "}");
  r = cxm::recorder_snapshot_from_json(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::too_deep);
}
