// SPDX-License-Identifier: MIT
// cxm objects are not thread-safe, but independent objects are: several threads recording into
// their own tallies, sketches and trackers, and scoring against one shared const survey and
// journey definition, must not race (the tsan preset runs this under ThreadSanitizer), and
// merging their results must equal recording everything in one thread.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "cxm/cxm.hpp"
#include "test_support.hpp"

namespace {

constexpr int threads = 4;
constexpr int per_thread = 20000;

struct results {
  cxm::nps_tally nps;
  cxm::scale_tally ces = cxm::scale_tally::make(cxm::scale::ces7()).value();
  cxm::duration_sketch durations;
  std::uint64_t bulk_accepted = 0;
  std::string survey_tally_json;
  cxm::journey_report journeys;
};

// Everything one thread records: its own objects, the shared definitions read only.
void record(int seed, const cxm::survey& survey, const cxm::journey_definition& journey, results& out) {
  const std::vector<int> answers = cxm_test::random_answers(static_cast<std::uint32_t>(seed), per_thread, -1, 11);
  std::vector<std::uint8_t> bytes;
  for (int a : answers) {
    (void)out.nps.add(a);
    (void)out.ces.add(a % 8);
    (void)out.durations.record(1.0 + a * 37.5 + seed);
    bytes.push_back(static_cast<std::uint8_t>(a < 0 ? 200 : a));
  }
  // The bulk kernel is chosen once, at first use, possibly by several threads at the same time.
  cxm::nps_tally bulk;
  out.bulk_accepted = bulk.add_bulk(bytes.data(), bytes.size());

  cxm::survey_tally tally(survey);
  for (int i = 0; i < 200; ++i) {
    cxm::answers a;
    a.set("nps", static_cast<double>(answers[static_cast<std::size_t>(i)] < 0 ? 0 : answers[static_cast<std::size_t>(i)] % 11));
    (void)tally.add(survey, a);
  }
  out.survey_tally_json = tally.to_json();

  auto tracker = cxm::journey_tracker::make(journey).value();
  for (int j = 0; j < 50; ++j) {
    const std::string id = "j-" + std::to_string(seed) + "-" + std::to_string(j);
    cxm::journey_event e;
    e.journey_id = id;
    e.step = journey.steps[0].name;
    e.timestamp_ms = 1000 + j;
    (void)tracker.record(e);
    e.type = cxm::journey_event_type::step_end;
    e.timestamp_ms = 5000 + j * 10;
    (void)tracker.record(e);
  }
  tracker.finish();
  out.journeys = tracker.report();
}

}  // namespace

TEST(Threads, IndependentObjectsRecordInParallelAndMergeToTheSerialResult) {
  const auto survey = cxm::survey::parse(cxm_test::read_file(CXM_EXAMPLES_DATA_DIR "/../web/surveys/after-onboarding.json"));
  ASSERT_TRUE(survey.ok()) << survey.detail();
  const auto journey = cxm::journey_definition_from_json(cxm_test::read_file(CXM_EXAMPLES_DATA_DIR "/journey.json"));
  ASSERT_TRUE(journey.ok()) << journey.detail();

  std::vector<results> parallel(threads);
  {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(record, t + 1, std::cref(*survey), std::cref(*journey), std::ref(parallel[static_cast<std::size_t>(t)]));
    for (std::thread& t : pool) t.join();
  }
  std::vector<results> serial(threads);
  for (int t = 0; t < threads; ++t) record(t + 1, *survey, *journey, serial[static_cast<std::size_t>(t)]);

  results merged = parallel[0], expected = serial[0];
  for (int t = 1; t < threads; ++t) {
    const auto& p = parallel[static_cast<std::size_t>(t)];
    const auto& s = serial[static_cast<std::size_t>(t)];
    ASSERT_TRUE(merged.nps.merge(p.nps).ok());
    ASSERT_TRUE(merged.ces.merge(p.ces).ok());
    ASSERT_TRUE(merged.durations.merge(p.durations).ok());
    ASSERT_TRUE(merged.journeys.merge(p.journeys).ok());
    ASSERT_TRUE(expected.nps.merge(s.nps).ok());
    ASSERT_TRUE(expected.ces.merge(s.ces).ok());
    ASSERT_TRUE(expected.durations.merge(s.durations).ok());
    ASSERT_TRUE(expected.journeys.merge(s.journeys).ok());
    EXPECT_EQ(p.bulk_accepted, s.bulk_accepted);
    EXPECT_EQ(p.survey_tally_json, s.survey_tally_json);
  }
  EXPECT_EQ(merged.nps, expected.nps);
  EXPECT_EQ(merged.ces, expected.ces);
  EXPECT_EQ(merged.durations, expected.durations);
  EXPECT_EQ(merged.journeys, expected.journeys);
  EXPECT_EQ(merged.nps.total() + merged.nps.rejected_total(), std::uint64_t{threads} * per_thread);
}
