// SPDX-License-Identifier: MIT
// The recorder in one thread at a time: validation of its metrics, records and rejections equal
// to the plain tally or sketch given the same inputs, snapshots, drains exactly once, restores,
// and snapshot values (empty, merge). The threads test covers concurrency.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cxm/device/recorder.hpp"
#include "device/recorder_shard.hpp"

namespace {

using cxm::errc;
using cxm::metric_kind;
using cxm::metric_spec;

const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const double inf = std::numeric_limits<double>::infinity();

metric_spec nps(std::string name) { return {std::move(name), metric_kind::nps, {}, {}}; }
metric_spec scale(std::string name, cxm::scale s) { return {std::move(name), metric_kind::scale, s, {}}; }
metric_spec duration(std::string name, cxm::sketch_options o = {}) {
  return {std::move(name), metric_kind::duration, {}, o};
}

// The three metrics most tests use: 0 nps, 1 ces5, 2 durations.
cxm::recorder three() {
  return cxm::recorder::make({nps("signup.nps"), scale("help.ces", cxm::scale::ces5()), duration("load_ms")}).value();
}

const cxm::nps_tally& nps_of(const cxm::recorder_snapshot& s, std::size_t i) { return std::get<cxm::nps_tally>(s.values[i]); }
const cxm::scale_tally& scale_of(const cxm::recorder_snapshot& s, std::size_t i) {
  return std::get<cxm::scale_tally>(s.values[i]);
}
const cxm::duration_sketch& sketch_of(const cxm::recorder_snapshot& s, std::size_t i) {
  return std::get<cxm::duration_sketch>(s.values[i]);
}

// The error of make() for `specs`, with its detail.
std::pair<errc, std::string> make_error(std::vector<metric_spec> specs) {
  auto r = cxm::recorder::make(std::move(specs));
  EXPECT_FALSE(r.ok());
  return {r.code(), r.ok() ? std::string() : r.detail()};
}

}  // namespace

// ---- validation ------------------------------------------------------------------------------

TEST(Recorder, NeedsOneTo4096Metrics) {
  auto [code, detail] = make_error({});
  EXPECT_EQ(code, errc::invalid_argument);
  EXPECT_EQ(detail, "metrics: a recorder has 1 to 4096 metrics, got 0");

  std::vector<metric_spec> many;
  for (int i = 0; i < 4096; ++i) many.push_back(nps("m" + std::to_string(i)));
  auto r = cxm::recorder::make(many);
  ASSERT_TRUE(r.ok()) << r.detail();
  EXPECT_EQ(r->metrics().size(), 4096u);
  EXPECT_EQ(r->find("m4095"), 4095u);
  many.push_back(nps("one.too.many"));
  std::tie(code, detail) = make_error(many);
  EXPECT_EQ(code, errc::invalid_argument);
  EXPECT_EQ(detail, "metrics: a recorder has 1 to 4096 metrics, got 4097");
}

TEST(Recorder, NamesAreOneTo128BytesOfPrintableUtf8) {
  const std::string longest(128, 'x');
  EXPECT_TRUE(cxm::recorder::make({nps(longest)}).ok());
  EXPECT_TRUE(cxm::recorder::make({nps("caf\xC3\xA9.nps")}).ok());    // é
  EXPECT_TRUE(cxm::recorder::make({nps("no\xC2\xA0" "break")}).ok());  // U+00A0 is not a control

  const struct {
    std::string name;
    errc code;
    const char* detail;
  } bad[] = {
      {"", errc::invalid_argument, "metrics[1].name: a name has 1 to 128 bytes"},
      {std::string(129, 'x'), errc::invalid_argument, "metrics[1].name: a name has 1 to 128 bytes"},
      {"bad\xC0\xAF", errc::invalid_utf8, "metrics[1].name: not valid UTF-8"},       // overlong '/'
      {"cut\xE2\x82", errc::invalid_utf8, "metrics[1].name: not valid UTF-8"},       // truncated €
      {"tab\there", errc::invalid_argument, "metrics[1].name: a control character (a name is printable text)"},
      {"del\x7F", errc::invalid_argument, "metrics[1].name: a control character (a name is printable text)"},
      {"c1\xC2\x85", errc::invalid_argument, "metrics[1].name: a control character (a name is printable text)"},
      {std::string("nul\0x", 5), errc::invalid_argument, "metrics[1].name: a control character (a name is printable text)"},
  };
  for (const auto& b : bad) {
    auto [code, detail] = make_error({nps("fine"), nps(b.name)});
    EXPECT_EQ(code, b.code) << b.detail;
    EXPECT_EQ(detail, b.detail);
  }
}

TEST(Recorder, NamesAreUnique) {
  auto [code, detail] = make_error({nps("a"), nps("b"), duration("b"), nps("a")});
  EXPECT_EQ(code, errc::invalid_argument);
  // Both 2 and 3 repeat a name; the first in the list is reported.
  EXPECT_EQ(detail, "metrics[2].name: the name of metrics[1] again (names are unique)");
}

TEST(Recorder, KindsScalesAndSketchOptionsAreChecked) {
  auto [code, detail] = make_error({nps("a"), {"b", static_cast<metric_kind>(7), {}, {}}});
  EXPECT_EQ(code, errc::invalid_argument);
  EXPECT_EQ(detail, "metrics[1].kind: 7 is not a metric kind");

  std::tie(code, detail) = make_error({scale("a", cxm::scale{5, 1, 3})});
  EXPECT_EQ(code, errc::invalid_argument);
  EXPECT_EQ(detail.rfind("metrics[0].scale: ", 0), 0u) << detail;

  cxm::sketch_options tiny;
  tiny.max_buckets = 3;
  std::tie(code, detail) = make_error({nps("a"), duration("b", tiny)});
  EXPECT_EQ(code, errc::invalid_argument);
  EXPECT_EQ(detail.rfind("metrics[1].sketch: ", 0), 0u) << detail;

  // An NPS metric ignores the scale field: its scale is 0-10.
  EXPECT_TRUE(cxm::recorder::make({{"n", metric_kind::nps, cxm::scale{5, 1, 3}, tiny}}).ok());
}

TEST(Recorder, MetricsAreKeptAsGivenAndFoundByName) {
  const cxm::recorder rec = three();
  ASSERT_EQ(rec.metrics().size(), 3u);
  EXPECT_EQ(rec.metrics()[1].name, "help.ces");
  EXPECT_EQ(rec.metrics()[1].scale, cxm::scale::ces5());
  EXPECT_EQ(rec.metrics()[2].kind, metric_kind::duration);
  EXPECT_EQ(rec.find("signup.nps"), 0u);
  EXPECT_EQ(rec.find("load_ms"), 2u);
  EXPECT_EQ(rec.find("load"), std::nullopt);
  EXPECT_EQ(rec.find(""), std::nullopt);
}

// ---- recording -------------------------------------------------------------------------------

TEST(Recorder, NpsRecordsAndRejectsAsTheTallyDoes) {
  cxm::recorder rec = three();
  cxm::nps_tally plain;
  for (int a = -3; a <= 13; ++a) EXPECT_EQ(rec.record(0, a), plain.add(a)) << a;
  for (double a : {0.0, -0.0, 6.0, 9.5, 10.0, 10.5, 11.0, -1.0, not_a_number, inf, -inf, 1e300})
    EXPECT_EQ(rec.record(0, a), plain.add(a)) << a;
  const cxm::recorder_snapshot s = rec.snapshot();
  EXPECT_EQ(nps_of(s, 0), plain);
  // -3..-1, 11..13, 11.0, -1.0, 1e300 (a whole number); 9.5, 10.5; NaN, +-inf.
  EXPECT_EQ(nps_of(s, 0).rejected(errc::out_of_range), 9u);
  EXPECT_EQ(nps_of(s, 0).rejected(errc::not_integer), 2u);
  EXPECT_EQ(nps_of(s, 0).rejected(errc::not_finite), 3u);
  EXPECT_EQ(nps_of(s, 0).total(), 11u + 4u);  // 0..10, then 0.0, -0.0, 6.0, 10.0
}

TEST(Recorder, ScaleRecordsAndRejectsAsTheTallyDoes) {
  cxm::recorder rec = three();
  cxm::scale_tally plain = cxm::scale_tally::make(cxm::scale::ces5()).value();
  for (int a = -1; a <= 7; ++a) EXPECT_EQ(rec.record(1, a), plain.add(a)) << a;
  for (double a : {1.0, 4.5, 5.0, 0.0, not_a_number, -inf}) EXPECT_EQ(rec.record(1, a), plain.add(a)) << a;
  const cxm::recorder_snapshot s = rec.snapshot();
  EXPECT_EQ(scale_of(s, 1), plain);
  EXPECT_EQ(scale_of(s, 1).answer_scale(), cxm::scale::ces5());
  EXPECT_EQ(scale_of(s, 1).total(), 7u);           // 1..5, 1.0, 5.0
  EXPECT_EQ(scale_of(s, 1).rejected_total(), 8u);  // -1, 0, 6, 7, 4.5, 0.0, NaN, -inf
}

TEST(Recorder, DurationsRecordAndRejectAsTheSketchDoes) {
  cxm::sketch_options o;
  o.scale = 4;
  o.max_buckets = 64;
  o.zero_threshold = 0.5;
  cxm::recorder rec = cxm::recorder::make({duration("d", o)}).value();
  cxm::duration_sketch plain = cxm::duration_sketch::make(o).value();
  // Zeros, the threshold, a wide range that forces downscales of the 64-bucket budget,
  // rejections.
  for (double v : {0.0, 0.25, 0.5, 1.0, 2.5, 1e-3, 1e6, 3.0e9, 17.125, -1.0, not_a_number, inf, 5e-324})
    EXPECT_EQ(rec.record_duration(0, v), plain.record(v)) << v;
  const cxm::recorder_snapshot s = rec.snapshot();
  const cxm::duration_sketch& got = sketch_of(s, 0);
  EXPECT_EQ(got, plain);
  EXPECT_LT(got.scale(), 4);
  EXPECT_EQ(got.rejected(errc::out_of_range), 1u);
  EXPECT_EQ(got.rejected(errc::not_finite), 2u);
}

TEST(Recorder, WrongKindsAndIndicesAreRefusedAndNotCounted) {
  cxm::recorder rec = three();
  EXPECT_EQ(rec.record(2, 5), errc::invalid_argument);    // a duration metric
  EXPECT_EQ(rec.record(2, 5.0), errc::invalid_argument);
  EXPECT_EQ(rec.record_duration(0, 5.0), errc::invalid_argument);  // a tally metric
  EXPECT_EQ(rec.record_duration(1, 5.0), errc::invalid_argument);
  EXPECT_EQ(rec.record(3, 5), errc::invalid_argument);    // past the metrics
  EXPECT_EQ(rec.record(std::size_t(-1), 5.0), errc::invalid_argument);
  EXPECT_EQ(rec.record_duration(3, 5.0), errc::invalid_argument);
  EXPECT_TRUE(rec.snapshot().empty());
  EXPECT_TRUE(rec.drain().empty());
}

TEST(Recorder, ASnapshotIsTheMergeOfEveryThreadsRecords) {
  cxm::recorder rec = three();
  cxm::nps_tally nps_all;
  cxm::scale_tally ces_all = cxm::scale_tally::make(cxm::scale::ces5()).value();
  cxm::duration_sketch load_all;
  // Three threads one after the other, then this one: four shards' worth (or reused ones).
  for (int t = 0; t < 3; ++t) {
    cxm::nps_tally nps;
    cxm::scale_tally ces = cxm::scale_tally::make(cxm::scale::ces5()).value();
    cxm::duration_sketch load;
    std::thread([&] {
      for (int i = 0; i < 1000; ++i) {
        (void)rec.record(0, (i * 7 + t) % 12);
        (void)nps.add((i * 7 + t) % 12);
        (void)rec.record(1, static_cast<double>((i + t) % 6));
        (void)ces.add(static_cast<double>((i + t) % 6));
        (void)rec.record_duration(2, 1.0 + i * (t + 1));
        (void)load.record(1.0 + i * (t + 1));
      }
    }).join();
    ASSERT_TRUE(nps_all.merge(nps).ok());
    ASSERT_TRUE(ces_all.merge(ces).ok());
    ASSERT_TRUE(load_all.merge(load).ok());
  }
  for (int i = 0; i < 500; ++i) {
    (void)rec.record(0, 10);
    (void)nps_all.add(10);
    (void)rec.record_duration(2, 250.0);
    (void)load_all.record(250.0);
  }
  const cxm::recorder_snapshot s = rec.snapshot();
  EXPECT_EQ(nps_of(s, 0), nps_all);
  EXPECT_EQ(scale_of(s, 1), ces_all);
  EXPECT_EQ(sketch_of(s, 2), load_all);  // integer durations: the sums are exact
  // Taking a snapshot changes nothing.
  const cxm::recorder_snapshot again = rec.snapshot();
  EXPECT_EQ(to_json(again), to_json(s));
  // The threads exited one after the other: their shard was reused (1 or 2 shards: this thread's
  // own and at most one for the three others).
  EXPECT_LE(cxm::detail::recorder_shard_counts(rec).shards, 2u);
}

// ---- drains and restores ---------------------------------------------------------------------

TEST(Recorder, DrainsReturnEachRecordExactlyOnce) {
  cxm::recorder rec = three();
  (void)rec.record(0, 9);
  (void)rec.record(0, 12);  // rejected: drained too
  (void)rec.record(1, 4);
  (void)rec.record_duration(2, 30.0);
  const cxm::recorder_snapshot first = rec.drain();
  EXPECT_EQ(nps_of(first, 0).count(9), 1u);
  EXPECT_EQ(nps_of(first, 0).rejected(errc::out_of_range), 1u);
  EXPECT_EQ(scale_of(first, 1).count(4), 1u);
  EXPECT_EQ(sketch_of(first, 2).count(), 1u);
  EXPECT_EQ(sketch_of(first, 2).sum(), 30.0);

  EXPECT_TRUE(rec.drain().empty());  // nothing since

  (void)rec.record(0, 9);
  (void)rec.record(0, 0);
  (void)rec.record_duration(2, 40.0);
  (void)rec.record_duration(2, -4.0);
  const cxm::recorder_snapshot second = rec.drain();
  EXPECT_EQ(nps_of(second, 0).count(9), 1u);
  EXPECT_EQ(nps_of(second, 0).count(0), 1u);
  EXPECT_EQ(nps_of(second, 0).rejected_total(), 0u);
  EXPECT_EQ(scale_of(second, 1).total(), 0u);
  EXPECT_EQ(sketch_of(second, 2).count(), 1u);
  EXPECT_EQ(sketch_of(second, 2).min(), 40.0);
  EXPECT_EQ(sketch_of(second, 2).rejected(errc::out_of_range), 1u);

  (void)rec.record(0, 7);
  // snapshot = the drains + what the next drain returns.
  cxm::recorder_snapshot sum = first;
  ASSERT_TRUE(sum.merge(second).ok());
  const cxm::recorder_snapshot rest = rec.drain();
  ASSERT_TRUE(sum.merge(rest).ok());
  EXPECT_EQ(to_json(sum), to_json(rec.snapshot()));
  EXPECT_EQ(nps_of(rec.snapshot(), 0).total(), 4u);
  EXPECT_EQ(sketch_of(rec.snapshot(), 2).count(), 2u);
}

TEST(Recorder, DrainsCoverShardsOfThreadsThatExited) {
  cxm::recorder rec = three();
  std::thread([&] {
    (void)rec.record(0, 1);
    (void)rec.record_duration(2, 5.0);
  }).join();
  const cxm::recorder_snapshot d = rec.drain();
  EXPECT_EQ(nps_of(d, 0).count(1), 1u);
  EXPECT_EQ(sketch_of(d, 2).count(), 1u);
  // A new thread takes the free shard over and continues from where the last drain stopped.
  std::thread([&] {
    (void)rec.record(0, 2);
    (void)rec.record_duration(2, 6.0);
  }).join();
  const cxm::recorder_snapshot e = rec.drain();
  EXPECT_EQ(nps_of(e, 0).total(), 1u);
  EXPECT_EQ(nps_of(e, 0).count(2), 1u);
  EXPECT_EQ(sketch_of(e, 2).count(), 1u);
  EXPECT_EQ(sketch_of(e, 2).sum(), 6.0);
  EXPECT_EQ(cxm::detail::recorder_shard_counts(rec).shards, 1u);
  EXPECT_EQ(cxm::detail::recorder_shard_counts(rec).in_use, 0u);
}

TEST(Recorder, RestoredSnapshotsGoOutWithTheNextDrainAndDoNotChangeSnapshots) {
  cxm::recorder rec = three();
  (void)rec.record(0, 10);
  (void)rec.record(1, 5);
  (void)rec.record_duration(2, 8.0);
  const cxm::recorder_snapshot d = rec.drain();
  const std::string before = to_json(rec.snapshot());
  ASSERT_TRUE(rec.restore(d).ok());  // its delivery failed
  EXPECT_EQ(to_json(rec.snapshot()), before);
  ASSERT_TRUE(rec.restore(d).ok());  // twice: both go out (the caller's choice)

  (void)rec.record(0, 3);
  const cxm::recorder_snapshot next = rec.drain();
  EXPECT_EQ(nps_of(next, 0).count(10), 2u);
  EXPECT_EQ(nps_of(next, 0).count(3), 1u);
  EXPECT_EQ(scale_of(next, 1).count(5), 2u);
  EXPECT_EQ(sketch_of(next, 2).count(), 2u);
  EXPECT_TRUE(rec.drain().empty());  // restored once only

  // A snapshot of other metrics, or one that went through JSON, is checked like a merge.
  cxm::recorder other = cxm::recorder::make({nps("signup.nps"), nps("help.ces"), duration("load_ms")}).value();
  EXPECT_EQ(rec.restore(other.drain()), errc::incompatible);
  auto decoded = cxm::recorder_snapshot_from_json(to_json(d));
  ASSERT_TRUE(decoded.ok()) << decoded.detail();
  EXPECT_TRUE(rec.restore(decoded.value()).ok());
  EXPECT_EQ(to_json(rec.drain()), to_json(d));
}

TEST(Recorder, ARecorderAtTheAddressOfADestroyedOneStartsEmpty) {
  // The thread's cache is keyed by an id, not the address: a new recorder that happens to be
  // allocated where the old one was must not inherit its shard.
  for (int round = 0; round < 3; ++round) {
    auto first = std::make_unique<cxm::recorder>(three());
    for (int i = 0; i < 10; ++i) (void)first->record(0, 9);
    first.reset();
    auto second = std::make_unique<cxm::recorder>(three());
    (void)second->record(0, 1);
    EXPECT_EQ(nps_of(second->snapshot(), 0).total(), 1u);
    EXPECT_EQ(nps_of(second->snapshot(), 0).count(1), 1u);
  }
}

TEST(Recorder, OneThreadAlternatingBetweenRecordersKeepsOneShardInEach) {
  cxm::recorder a = three();
  cxm::recorder b = three();
  for (int i = 0; i < 100; ++i) {
    (void)a.record(0, 9);
    (void)b.record(0, 1);
  }
  EXPECT_EQ(nps_of(a.snapshot(), 0).count(9), 100u);
  EXPECT_EQ(nps_of(b.snapshot(), 0).count(1), 100u);
  EXPECT_EQ(cxm::detail::recorder_shard_counts(a).shards, 1u);
  EXPECT_EQ(cxm::detail::recorder_shard_counts(b).shards, 1u);
}

TEST(Recorder, AMovedFromRecorderRefusesRecords) {
  cxm::recorder a = three();
  (void)a.record(0, 9);
  cxm::recorder b = std::move(a);
  EXPECT_EQ(nps_of(b.snapshot(), 0).count(9), 1u);
  (void)b.record(0, 9);  // the cache still finds the shard: the id moved with the state
  EXPECT_EQ(nps_of(b.snapshot(), 0).count(9), 2u);
  // NOLINTBEGIN(bugprone-use-after-move): a moved-from recorder is documented to refuse
  EXPECT_EQ(a.record(0, 9), errc::invalid_argument);
  EXPECT_EQ(a.record_duration(2, 1.0), errc::invalid_argument);
  EXPECT_TRUE(a.metrics().empty());
  EXPECT_EQ(a.find("signup.nps"), std::nullopt);
  EXPECT_TRUE(a.snapshot().values.empty());
  EXPECT_EQ(a.restore(b.snapshot()), errc::invalid_argument);
  // NOLINTEND(bugprone-use-after-move)
  a = std::move(b);
  EXPECT_EQ(nps_of(a.snapshot(), 0).count(9), 2u);
}

// ---- snapshot values ---------------------------------------------------------------------------

TEST(RecorderSnapshot, EmptyMeansNothingRecordedOrRejected) {
  cxm::recorder rec = three();
  EXPECT_TRUE(rec.snapshot().empty());
  EXPECT_TRUE(cxm::recorder_snapshot().empty());
  (void)rec.record(1, 9);  // rejected: not empty any more
  EXPECT_FALSE(rec.snapshot().empty());
  cxm::recorder durations = three();
  (void)durations.record_duration(2, not_a_number);
  EXPECT_FALSE(durations.snapshot().empty());
}

TEST(RecorderSnapshot, MergeAddsMetricByMetric) {
  cxm::recorder rec = three();
  (void)rec.record(0, 9);
  (void)rec.record(1, 2);
  (void)rec.record_duration(2, 4.0);
  cxm::recorder_snapshot s = rec.snapshot();
  ASSERT_TRUE(s.merge(s).ok());  // with itself: doubles
  EXPECT_EQ(nps_of(s, 0).count(9), 2u);
  EXPECT_EQ(scale_of(s, 1).count(2), 2u);
  EXPECT_EQ(sketch_of(s, 2).count(), 2u);
  EXPECT_EQ(sketch_of(s, 2).sum(), 8.0);
}

TEST(RecorderSnapshot, MergeRefusesOtherMetricsAndChangesNothing) {
  cxm::recorder rec = three();
  (void)rec.record(0, 9);
  const cxm::recorder_snapshot s = rec.snapshot();
  const std::string json = to_json(s);
  auto expect_refused = [&](const cxm::recorder_snapshot& other, errc code) {
    cxm::recorder_snapshot copy = s;
    EXPECT_EQ(copy.merge(other), code);
    EXPECT_EQ(to_json(copy), json);
  };
  const auto refused = [&](std::vector<metric_spec> specs) {
    expect_refused(cxm::recorder::make(std::move(specs)).value().snapshot(), errc::incompatible);
  };
  const cxm::scale ces5 = cxm::scale::ces5();
  // Another name, another kind, another order, fewer metrics.
  refused({nps("signup"), scale("help.ces", ces5), duration("load_ms")});
  refused({nps("signup.nps"), nps("help.ces"), duration("load_ms")});
  refused({scale("help.ces", ces5), nps("signup.nps"), duration("load_ms")});
  refused({nps("signup.nps"), scale("help.ces", ces5)});
  // Another scale, another zero threshold: the values refuse.
  refused({nps("signup.nps"), scale("help.ces", cxm::scale::ces7()), duration("load_ms")});
  cxm::sketch_options t;
  t.zero_threshold = 1.0;
  refused({nps("signup.nps"), scale("help.ces", ces5), duration("load_ms", t)});
  // A value that is not of its metric's kind.
  cxm::recorder_snapshot odd = s;
  odd.values[0] = cxm::duration_sketch();
  expect_refused(odd, errc::incompatible);
  // A later metric's merge fails (the scale total would pass max_count, 2^62) after the first
  // one's succeeded: nothing changes, the first metric included.
  cxm::recorder_snapshot target = s;
  (void)std::get<cxm::scale_tally>(target.values[1]).add(3);
  const std::string target_json = to_json(target);
  cxm::recorder_snapshot huge = s;
  cxm::scale_tally::counts_type counts{};
  counts[0] = cxm::max_count;
  ASSERT_TRUE(std::get<cxm::scale_tally>(huge.values[1]).set_counts(counts).ok());
  EXPECT_EQ(target.merge(huge), errc::out_of_range);
  EXPECT_EQ(to_json(target), target_json);
}
