// SPDX-License-Identifier: MIT
// The thread-safe recorder through the C ABI: every function of cxm/c/recorder.h, its
// statuses and details, misuse (NULL handles and pointers, invalid UTF-8, lengths and counts
// no buffer has), and four threads recording through one handle. Expected figures are worked
// out in the comments.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "capi_test_support.hpp"

using namespace capi_test;

namespace {

using recorder = std::unique_ptr<cxm_recorder, destroyer<cxm_recorder, cxm_recorder_destroy>>;

cxm_metric_spec spec(const char* name, cxm_metric_kind kind, cxm_scale_id scale = CXM_SCALE_CES7,
                     const cxm_sketch_options* sketch = nullptr) {
  return cxm_metric_spec{name, std::char_traits<char>::length(name), kind, scale, sketch};
}

// 0 "nps", 1 "ces" (CES5), 2 "ms" (durations, default options).
recorder three() {
  const cxm_metric_spec specs[] = {spec("nps", CXM_METRIC_NPS), spec("ces", CXM_METRIC_SCALE, CXM_SCALE_CES5),
                                   spec("ms", CXM_METRIC_DURATION)};
  cxm_recorder* r = nullptr;
  EXPECT_EQ(cxm_recorder_create(specs, 3, &r), CXM_OK) << detail();
  return recorder(r);
}

cxm_nps_counts nps_counts(const cxm_recorder* r, std::size_t metric) {
  cxm_nps_tally* t = nullptr;
  EXPECT_EQ(cxm_recorder_snapshot_nps(r, metric, &t), CXM_OK) << detail();
  const nps_tally owned(t);
  cxm_nps_counts c{};
  EXPECT_EQ(cxm_nps_tally_counts(t, &c), CXM_OK);
  return c;
}

cxm_sketch_stats sketch_stats(const cxm_recorder* r, std::size_t metric) {
  cxm_duration_sketch* s = nullptr;
  EXPECT_EQ(cxm_recorder_snapshot_duration(r, metric, &s), CXM_OK) << detail();
  const sketch owned(s);
  cxm_sketch_stats st{};
  EXPECT_EQ(cxm_duration_sketch_stats(s, &st), CXM_OK);
  return st;
}

// cxm_recorder_create's status and detail for `specs`.
cxm_status create_error(const std::vector<cxm_metric_spec>& specs, std::size_t count) {
  cxm_recorder* r = reinterpret_cast<cxm_recorder*>(&r);  // must come back NULL
  const cxm_status s = cxm_recorder_create(specs.data(), count, &r);
  EXPECT_EQ(r, nullptr);
  return s;
}

}  // namespace

TEST(CapiRecorder, RecordsSnapshotsAndFinds) {
  const recorder rec = three();
  std::size_t i = 7;
  EXPECT_EQ(cxm_recorder_find(rec.get(), "ms", 2, &i), CXM_OK);
  EXPECT_EQ(i, 2u);
  EXPECT_EQ(cxm_recorder_find(rec.get(), "ces", 3, &i), CXM_OK);
  EXPECT_EQ(i, 1u);
  EXPECT_EQ(cxm_recorder_find(rec.get(), "nps.", 4, &i), CXM_NOT_FOUND);
  EXPECT_EQ(i, SIZE_MAX);
  EXPECT_EQ(detail(), "cxm_recorder_find: no metric has this name");

  // NPS: 10, 9, 9, 0 counted; 11 out of range, 9.5 not an integer, NaN not finite.
  for (std::int32_t a : {10, 9, 9, 0}) EXPECT_EQ(cxm_recorder_record_int(rec.get(), 0, a), CXM_OK);
  EXPECT_EQ(cxm_recorder_record_int(rec.get(), 0, 11), CXM_OUT_OF_RANGE);
  EXPECT_EQ(cxm_recorder_record(rec.get(), 0, 9.5), CXM_NOT_INTEGER);
  EXPECT_EQ(cxm_recorder_record(rec.get(), 0, std::nan("")), CXM_NOT_FINITE);
  // CES 1-5: 5 and 4.0 counted; 0 and 6.0 out of range.
  EXPECT_EQ(cxm_recorder_record_int(rec.get(), 1, 5), CXM_OK);
  EXPECT_EQ(cxm_recorder_record(rec.get(), 1, 4.0), CXM_OK);
  EXPECT_EQ(cxm_recorder_record_int(rec.get(), 1, 0), CXM_OUT_OF_RANGE);
  EXPECT_EQ(cxm_recorder_record(rec.get(), 1, 6.0), CXM_OUT_OF_RANGE);
  // Durations 250 and 750 (mean 500); -1 out of range, infinity not finite.
  EXPECT_EQ(cxm_recorder_record_duration(rec.get(), 2, 250.0), CXM_OK);
  EXPECT_EQ(cxm_recorder_record_duration(rec.get(), 2, 750.0), CXM_OK);
  EXPECT_EQ(cxm_recorder_record_duration(rec.get(), 2, -1.0), CXM_OUT_OF_RANGE);
  EXPECT_EQ(cxm_recorder_record_duration(rec.get(), 2, std::numeric_limits<double>::infinity()), CXM_NOT_FINITE);

  const cxm_nps_counts n = nps_counts(rec.get(), 0);
  EXPECT_EQ(n.answers[9], 2u);
  EXPECT_EQ(n.promoters, 3u);
  EXPECT_EQ(n.detractors, 1u);
  EXPECT_EQ(n.total, 4u);
  EXPECT_EQ(n.rejected, 3u);

  cxm_scale_tally* st = nullptr;
  ASSERT_EQ(cxm_recorder_snapshot_scale(rec.get(), 1, &st), CXM_OK) << detail();
  const scale_tally owned_scale(st);
  cxm_scale_counts sc{};
  ASSERT_EQ(cxm_scale_tally_counts(st, &sc), CXM_OK);
  EXPECT_EQ(sc.min, 1);
  EXPECT_EQ(sc.max, 5);
  EXPECT_EQ(sc.answers[3], 1u);  // 4
  EXPECT_EQ(sc.answers[4], 1u);  // 5
  EXPECT_EQ(sc.top_box, 2u);
  EXPECT_EQ(sc.rejected, 2u);

  const cxm_sketch_stats ss = sketch_stats(rec.get(), 2);
  EXPECT_EQ(ss.count, 2u);
  EXPECT_EQ(ss.sum, 1000.0);
  EXPECT_EQ(ss.min, 250.0);
  EXPECT_EQ(ss.max, 750.0);
  EXPECT_EQ(ss.rejected, 2u);
  EXPECT_EQ(ss.scale, 6);

  char* text = nullptr;
  std::size_t len = 0;
  ASSERT_EQ(cxm_recorder_snapshot_json(rec.get(), &text, &len), CXM_OK);
  const json::value doc = parse(take(text, len));
  EXPECT_EQ(doc.at("format"), "cxm.recorder_snapshot");
  EXPECT_EQ(doc.at("version"), 1);
  const json::array& metrics = doc.at("metrics").as_array();
  ASSERT_EQ(metrics.size(), 3u);
  EXPECT_EQ(metrics[0].at("name"), "nps");
  EXPECT_EQ(metrics[1].at("kind"), "scale");
  EXPECT_EQ(metrics[2].at("kind"), "duration");
  EXPECT_EQ(metrics[0].at("value").at("counts").at(9), 2);
  EXPECT_EQ(metrics[1].at("value").at("scale").at("max"), 5);
  EXPECT_EQ(metrics[2].at("value").at("count"), 2);
}

TEST(CapiRecorder, WrongKindsAndIndicesNameTheMetric) {
  const recorder rec = three();
  EXPECT_EQ(cxm_recorder_record_int(rec.get(), 2, 9), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(detail(), "cxm_recorder_record_int: metric 2 is a duration metric, not an NPS or scale");
  EXPECT_EQ(cxm_recorder_record(rec.get(), 3, 9), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(detail(), "cxm_recorder_record: metric 3 is past the recorder's 3 metrics");
  EXPECT_EQ(cxm_recorder_record_duration(rec.get(), 1, 9), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(detail(), "cxm_recorder_record_duration: metric 1 is a scale metric, not a duration");
  EXPECT_EQ(cxm_recorder_record_duration(rec.get(), SIZE_MAX, 9), CXM_INVALID_ARGUMENT);

  cxm_nps_tally* n = nullptr;
  cxm_scale_tally* s = nullptr;
  cxm_duration_sketch* d = nullptr;
  EXPECT_EQ(cxm_recorder_snapshot_nps(rec.get(), 1, &n), CXM_WRONG_TYPE);
  EXPECT_EQ(detail(), "cxm_recorder_snapshot_nps: metric 1 is a scale metric, not an NPS");
  EXPECT_EQ(cxm_recorder_snapshot_scale(rec.get(), 2, &s), CXM_WRONG_TYPE);
  EXPECT_EQ(cxm_recorder_snapshot_duration(rec.get(), 0, &d), CXM_WRONG_TYPE);
  EXPECT_EQ(detail(), "cxm_recorder_snapshot_duration: metric 0 is an NPS metric, not a duration");
  EXPECT_EQ(cxm_recorder_snapshot_nps(rec.get(), 3, &n), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(detail(), "cxm_recorder_snapshot_nps: metric 3 is past the recorder's 3 metrics");
  EXPECT_EQ(n, nullptr);
  EXPECT_EQ(s, nullptr);
  EXPECT_EQ(d, nullptr);
  // Nothing was counted.
  EXPECT_EQ(nps_counts(rec.get(), 0).rejected, 0u);
  EXPECT_EQ(sketch_stats(rec.get(), 2).rejected, 0u);
}

TEST(CapiRecorder, CreateChecksEverySpec) {
  cxm_sketch_options tiny;
  cxm_sketch_options_init(&tiny);
  tiny.max_buckets = 2;
  cxm_sketch_options wide;
  cxm_sketch_options_init(&wide);
  wide.scale = 3;
  wide.max_buckets = 100;

  // A custom sketch: its options reach the metric.
  {
    const std::vector<cxm_metric_spec> specs = {spec("d", CXM_METRIC_DURATION, CXM_SCALE_CES7, &wide)};
    cxm_recorder* r = nullptr;
    ASSERT_EQ(cxm_recorder_create(specs.data(), 1, &r), CXM_OK) << detail();
    const recorder owned(r);
    EXPECT_EQ(cxm_recorder_record_duration(r, 0, 5.0), CXM_OK);
    EXPECT_EQ(sketch_stats(r, 0).scale, 3);
    EXPECT_EQ(sketch_stats(r, 0).max_buckets, 100u);
  }

  std::vector<cxm_metric_spec> specs = {spec("a", CXM_METRIC_NPS)};
  EXPECT_EQ(create_error(specs, 0), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(detail(), "metrics: a recorder has 1 to 4096 metrics, got 0");
  // 4097 specs from a one-element array: refused before any is read.
  EXPECT_EQ(create_error(specs, 4097), CXM_INVALID_ARGUMENT);
  EXPECT_EQ(detail(), "metrics: a recorder has 1 to 4096 metrics, got 4097");
  EXPECT_EQ(create_error(specs, SIZE_MAX), CXM_INVALID_ARGUMENT);

  const struct {
    cxm_metric_spec second;
    cxm_status status;
    const char* detail;
  } bad[] = {
      {spec("a", CXM_METRIC_SCALE), CXM_INVALID_ARGUMENT, "metrics[1].name: the name of metrics[0] again (names are unique)"},
      {spec("", CXM_METRIC_NPS), CXM_INVALID_ARGUMENT, "metrics[1].name: a name has 1 to 128 bytes"},
      {{"b", SIZE_MAX / 2, CXM_METRIC_NPS, CXM_SCALE_CES7, nullptr}, CXM_INVALID_ARGUMENT,  // not read
       "metrics[1].name: a name has 1 to 128 bytes"},
      {{nullptr, 3, CXM_METRIC_NPS, CXM_SCALE_CES7, nullptr}, CXM_INVALID_ARGUMENT,
       "cxm_recorder_create: metrics[1].name is NULL"},
      {spec("\xC0\xAF", CXM_METRIC_NPS), CXM_INVALID_UTF8, "metrics[1].name: not valid UTF-8"},
      {spec("b\n", CXM_METRIC_NPS), CXM_INVALID_ARGUMENT,
       "metrics[1].name: a control character (a name is printable text)"},
      {spec("b", static_cast<cxm_metric_kind>(9)), CXM_INVALID_ARGUMENT, "metrics[1].kind: 9 is not a metric kind"},
      {spec("b", CXM_METRIC_SCALE, static_cast<cxm_scale_id>(42)), CXM_INVALID_ARGUMENT,
       "metrics[1].scale: unknown scale id 42 (CXM_SCALE_CES7, CXM_SCALE_CES5, CXM_SCALE_CSAT5)"},
      {spec("b", CXM_METRIC_DURATION, CXM_SCALE_CES7, &tiny), CXM_INVALID_ARGUMENT, "metrics[1].sketch: "},
  };
  for (const auto& b : bad) {
    specs = {spec("a", CXM_METRIC_NPS), b.second};
    EXPECT_EQ(create_error(specs, 2), b.status) << b.detail;
    EXPECT_EQ(detail().rfind(b.detail, 0), 0u) << detail();
  }
  // A name of exactly 128 bytes, and a scale id that only a scale metric reads.
  const std::string longest(128, 'n');
  specs = {{longest.data(), longest.size(), CXM_METRIC_NPS, static_cast<cxm_scale_id>(42), nullptr}};
  cxm_recorder* r = nullptr;
  EXPECT_EQ(cxm_recorder_create(specs.data(), 1, &r), CXM_OK) << detail();
  const recorder owned(r);
  std::size_t i = 9;
  EXPECT_EQ(cxm_recorder_find(r, longest.data(), longest.size(), &i), CXM_OK);
  EXPECT_EQ(i, 0u);
}

TEST(CapiRecorder, NullHandlesAndPointersAreInvalidArguments) {
  const recorder rec = three();
  const cxm_metric_spec one = spec("a", CXM_METRIC_NPS);
  cxm_recorder* created = nullptr;
  std::size_t index = 0;
  char* str = nullptr;
  std::size_t len = 0;
  cxm_nps_tally* nps = nullptr;
  cxm_scale_tally* scale = nullptr;
  cxm_duration_sketch* sk = nullptr;
  const struct {
    const char* function;
    const char* argument;
    std::function<cxm_status()> run;
  } calls[] = {
      {"cxm_recorder_create", "out", [&] { return cxm_recorder_create(&one, 1, nullptr); }},
      {"cxm_recorder_create", "metrics", [&] { return cxm_recorder_create(nullptr, 1, &created); }},
      {"cxm_recorder_find", "recorder", [&] { return cxm_recorder_find(nullptr, "a", 1, &index); }},
      {"cxm_recorder_find", "out", [&] { return cxm_recorder_find(rec.get(), "a", 1, nullptr); }},
      {"cxm_recorder_find", "name", [&] { return cxm_recorder_find(rec.get(), nullptr, 1, &index); }},
      {"cxm_recorder_record_int", "recorder", [&] { return cxm_recorder_record_int(nullptr, 0, 9); }},
      {"cxm_recorder_record", "recorder", [&] { return cxm_recorder_record(nullptr, 0, 9); }},
      {"cxm_recorder_record_duration", "recorder", [&] { return cxm_recorder_record_duration(nullptr, 2, 9); }},
      {"cxm_recorder_snapshot_json", "recorder", [&] { return cxm_recorder_snapshot_json(nullptr, &str, &len); }},
      {"cxm_recorder_snapshot_json", "out", [&] { return cxm_recorder_snapshot_json(rec.get(), nullptr, &len); }},
      {"cxm_recorder_snapshot_nps", "recorder", [&] { return cxm_recorder_snapshot_nps(nullptr, 0, &nps); }},
      {"cxm_recorder_snapshot_nps", "out", [&] { return cxm_recorder_snapshot_nps(rec.get(), 0, nullptr); }},
      {"cxm_recorder_snapshot_scale", "recorder", [&] { return cxm_recorder_snapshot_scale(nullptr, 1, &scale); }},
      {"cxm_recorder_snapshot_scale", "out", [&] { return cxm_recorder_snapshot_scale(rec.get(), 1, nullptr); }},
      {"cxm_recorder_snapshot_duration", "recorder", [&] { return cxm_recorder_snapshot_duration(nullptr, 2, &sk); }},
      {"cxm_recorder_snapshot_duration", "out", [&] { return cxm_recorder_snapshot_duration(rec.get(), 2, nullptr); }},
  };
  std::vector<std::string> covered;
  for (const auto& c : calls) {
    EXPECT_EQ(c.run(), CXM_INVALID_ARGUMENT) << c.function << " " << c.argument;
    EXPECT_EQ(detail(), std::string(c.function) + ": " + c.argument + " is NULL");
    covered.push_back(c.function);
  }
  EXPECT_EQ(created, nullptr);
  EXPECT_EQ(str, nullptr);
  EXPECT_EQ(len, 0u);
  EXPECT_EQ(nps, nullptr);
  EXPECT_EQ(scale, nullptr);
  EXPECT_EQ(sk, nullptr);
  EXPECT_EQ(index, SIZE_MAX);  // the failed find
  cxm_recorder_destroy(nullptr);  // ignored

  // Every function of recorder.h that returns a cxm_status is in the table.
  EXPECT_EQ(expect_every_fallible_function_covered({"recorder"}, covered), 9u);
}

TEST(CapiRecorder, LengthsNoBufferHasAndInvalidUtf8) {
  const recorder rec = three();
  std::size_t i = 0;
  EXPECT_EQ(cxm_recorder_find(rec.get(), "nps", SIZE_MAX, &i), CXM_INVALID_ARGUMENT);
  EXPECT_NE(detail().find("PTRDIFF_MAX"), std::string::npos) << detail();
  // Not a name any recorder has, so not found (nothing to decode).
  EXPECT_EQ(cxm_recorder_find(rec.get(), "\xC0\xAF", 2, &i), CXM_NOT_FOUND);
  EXPECT_EQ(cxm_recorder_find(rec.get(), nullptr, 0, &i), CXM_NOT_FOUND);
}

TEST(CapiRecorder, FourThreadsRecordThroughOneHandle) {
  const recorder rec = three();
  constexpr int threads = 4;
  constexpr int per_thread = 25000;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        // Thread t records answer (i + t) % 12: 11 is out of range once in 12.
        const cxm_status s = cxm_recorder_record_int(rec.get(), 0, (i + t) % 12);
        EXPECT_EQ(s, (i + t) % 12 == 11 ? CXM_OUT_OF_RANGE : CXM_OK);
        EXPECT_EQ(cxm_recorder_record_duration(rec.get(), 2, static_cast<double>(1 + i % 1000)), CXM_OK);
        if (i % 5000 == 0) {  // snapshots from the recording threads too
          char* text = nullptr;
          std::size_t len = 0;
          EXPECT_EQ(cxm_recorder_snapshot_json(rec.get(), &text, &len), CXM_OK);
          cxm_string_free(text);
        }
      }
    });
  for (auto& w : workers) w.join();
  // Thread t answers t, t+1, ... mod 12: 25000 = 2083 cycles of 12 (one 11 each) plus the 4
  // answers t..t+3, which reach 11 only for t >= 8. So 2083 rejections per thread.
  const cxm_nps_counts n = nps_counts(rec.get(), 0);
  EXPECT_EQ(n.rejected, 4u * 2083u);
  EXPECT_EQ(n.total, 4u * (25000u - 2083u));
  const cxm_sketch_stats s = sketch_stats(rec.get(), 2);
  EXPECT_EQ(s.count, 4u * 25000u);
  // Each thread: 25 rounds of 1..1000, sum 25 * 500500.
  EXPECT_EQ(s.sum, 4.0 * 25.0 * 500500.0);
  EXPECT_EQ(s.min, 1.0);
  EXPECT_EQ(s.max, 1000.0);
}
