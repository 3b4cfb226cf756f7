// SPDX-License-Identifier: MIT
// The journey tracker with survey answers: attachment by step and duration band, bad answers
// counted like anywhere else, NPS split at duration quantiles; the step timer, ingestion of a
// large file and the bundled demo data.
#include "cxm/journey/tracker.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cxm/journey/event_reader.hpp"
#include "cxm/survey/response_reader.hpp"
#include "cxm/journey/step_timer.hpp"
#include "test_support.hpp"
#include "tracker_helpers.hpp"

namespace {

using cxm::errc;
using cxm::journey_error;
using cxm::journey_event;
using cxm::journey_event_type;
using cxm_test::ev;
using cxm_test::test_definition;
using cxm_test::tracker_for;

cxm::answer nps_answer(double v) {
  cxm::answer a;
  a.question = "nps";
  a.value.type = cxm::answer_type::number;
  a.value.number = v;
  return a;
}

TEST(JourneyTracker, SurveyResponsesAttachByStepAndDurationBand) {
  cxm::journey_definition d = test_definition();
  d.reorder_window_ms = 0;
  cxm::journey_tracker t = tracker_for(d);
  // Ten journeys; journey k's identity check takes (k+1) seconds.
  std::vector<std::string> ids;
  for (int k = 0; k < 10; ++k) ids.push_back("j" + std::to_string(k));
  for (int k = 0; k < 10; ++k) {
    const std::string_view id = ids[static_cast<std::size_t>(k)];
    (void)t.record(ev(journey_event_type::step_begin, id, 0, "identity_check", "app"));
    (void)t.record(ev(journey_event_type::step_end, id, (k + 1) * 1000, "identity_check"));
    if (k < 5) (void)t.record(ev(journey_event_type::complete, id, 20000));  // closed before the answer
  }
  for (int k = 0; k < 10; ++k) {
    cxm::answer answers[3] = {nps_answer(k < 9 ? 9 : 2), {}, {}};
    answers[1].question = "ces";
    answers[1].value.type = cxm::answer_type::number;
    answers[1].value.number = 6;
    answers[2].question = "emotion";
    answers[2].value.type = cxm::answer_type::string;
    answers[2].value.text = k < 9 ? "relieved" : "angry";
    cxm::response_view r;
    r.journey_id = ids[static_cast<std::size_t>(k)];
    r.step = "identity_check";
    r.answers = cxm::answers_view(answers, 3);
    EXPECT_EQ(t.add_response(r), journey_error::none);
  }
  cxm::response_view stray;
  stray.step = "nowhere";
  EXPECT_EQ(t.add_response(stray), journey_error::unknown_step);
  t.finish();
  const auto rep = t.report();
  const auto& s = rep.survey[1];
  EXPECT_EQ(s.nps.nps.total(), 10u);
  EXPECT_EQ(s.ces.ratings.count(6), 10u);
  // "relieved" is not one of the emotion set: an invalid answer, counted by reason.
  EXPECT_EQ(s.emotion.answered, 1u);
  EXPECT_EQ(s.emotion.choices.counts()[s.emotion.choices.index_of("angry")], 1u);
  EXPECT_EQ(s.emotion.invalid, 9u);
  EXPECT_EQ(s.emotion.problems[0], 9u);  // answer_problems[0] is out_of_range
  EXPECT_EQ(rep.responses_attached, 10u);
  EXPECT_EQ(rep.responses_unknown_step, 1u);
  EXPECT_EQ(rep.responses_without_duration, 0u);
  // The slowest (10 s, above the 9 s p90) gave the only detractor answer.
  const double p90 = rep.step_durations("identity_check").quantile(0.9).value();
  EXPECT_NEAR(p90, 9000.0, 9000.0 * 0.01);
  const auto split = rep.nps_by_duration("identity_check", {0.9});
  ASSERT_TRUE(split.ok()) << split.detail();
  ASSERT_EQ(split->groups.size(), 2u);
  EXPECT_EQ(split->groups[1].total(), 1u);
  EXPECT_EQ(split->groups[1].detractors(), 1u);
  EXPECT_EQ(split->groups[0].total() + split->groups[1].total(), 10u);
  EXPECT_NEAR(split->thresholds_ms[0], 9000.0, 9000.0 * 0.011);
}

TEST(JourneyTracker, StepTimerRecordsOnDestruction) {
  cxm::journey_tracker t = tracker_for(test_definition());
  {
    cxm::step_timer timer(t, "card_ordered", "app", "age=young");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  {
    cxm::step_timer cancelled(t, "card_ordered", "app", "age=young");
    cancelled.cancel();
  }
  cxm::step_timer unknown(t, "nope");
  EXPECT_EQ(unknown.stop(), journey_error::unknown_step);
  const auto r = t.report();
  const auto& s = r.durations.at({"card_ordered", "age=young", "app"});
  EXPECT_EQ(s.count(), 1u);
  EXPECT_GE(s.min(), 2.0);
  EXPECT_EQ(r.rejected_count(journey_error::unknown_step), 1u);
}

TEST(JourneyTracker, IngestsAtSpeed) {
  // A smoke check of the record path (the benchmark proper lives in bench/): 200k journeys
  // with 10 events each, rejected nowhere.
  cxm::journey_definition d = test_definition();
  d.max_open_journeys = 1000;
  d.reorder_window_ms = 0;
  cxm::journey_tracker t = tracker_for(d);
  const int journeys = 20000;
  std::vector<std::string> ids;
  ids.reserve(journeys);
  for (int i = 0; i < journeys; ++i) ids.push_back("j-" + std::to_string(100000 + i));
  cxm::attribute seg[2] = {{"customer", "private"}, {"age", "young"}};
  std::vector<journey_event> events;
  for (int i = 0; i < journeys; ++i) {
    const std::int64_t t0 = i * 10;
    const std::string_view id = ids[static_cast<std::size_t>(i)];
    journey_event b = ev(journey_event_type::step_begin, id, t0, "application", "web");
    b.segment = seg;
    b.segment_size = 2;
    events.push_back(b);
    events.push_back(ev(journey_event_type::step_end, id, t0 + 500 + i % 500, "application"));
    events.push_back(ev(journey_event_type::step_begin, id, t0 + 1100, "identity_check", "app"));
    events.push_back(ev(journey_event_type::contact, id, t0 + 1200, {}, "phone"));
    events.push_back(ev(journey_event_type::transfer, id, t0 + 1300));
    events.push_back(ev(journey_event_type::step_end, id, t0 + 2000 + i % 3000, "identity_check"));
    events.push_back(ev(journey_event_type::step_begin, id, t0 + 6000, "card_ordered", "web"));
    events.push_back(ev(journey_event_type::wait, id, t0 + 6500));
    events.push_back(ev(journey_event_type::step_end, id, t0 + 9000 + i % 313, "card_ordered"));
    events.push_back(ev(journey_event_type::complete, id, t0 + 9500));
  }
  const auto start = std::chrono::steady_clock::now();
  for (const auto& e : events) (void)t.record(e);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  t.finish();
  const auto r = t.report();
  EXPECT_EQ(r.rejected_total(), 0u);
  EXPECT_EQ(r.total().completed, static_cast<std::uint64_t>(journeys));
  std::printf("[ journey ] %.2f M events/s\n", static_cast<double>(events.size()) / s / 1e6);
}

// The bundled demo: examples/data/events.jsonl through the tracker with the host advancing
// time as events arrive, then examples/data/responses.jsonl attached.
TEST(JourneyTracker, BundledDemoData) {
  const std::string dir = CXM_EXAMPLES_DATA_DIR;
  auto def = cxm::journey_definition_from_json(cxm_test::read_file(dir + "/journey.json"));
  ASSERT_TRUE(def.ok()) << def.detail();
  cxm::journey_tracker t = tracker_for(*def);
  cxm::journey_event_reader reader;
  cxm::journey_tracker_sink sink(t, 1000);  // the host advances time as events arrive
  ASSERT_TRUE(cxm_test::feed_file(reader, dir + "/events.jsonl", sink));
  EXPECT_EQ(reader.error_count(), 0u);
  cxm::response_reader responses;
  cxm::journey_response_sink rs(t);
  ASSERT_TRUE(cxm_test::feed_file(responses, dir + "/responses.jsonl", rs));
  t.finish();
  const cxm::journey_report r = t.report();
  // The only bad events are the client retries (double ends).
  EXPECT_EQ(r.rejected_total(), r.rejected_count(journey_error::double_end));
  EXPECT_GT(r.rejected_count(journey_error::double_end), 0u);
  const auto total = r.total();
  EXPECT_EQ(total.started, 1200u);
  EXPECT_GT(total.completed, 900u);
  EXPECT_GT(total.abandoned + total.abandoned_timeout, 30u);
  EXPECT_EQ(r.responses_attached, 3027u);
  EXPECT_LT(r.responses_without_duration, 3027u / 10);
  // The trouble detours cost effort; the fee quotes disagree across channels.
  const int wrong_card = r.step_index("wrong_card");
  const int account = r.step_index("account_opened");
  EXPECT_GT(r.step_effort[static_cast<std::size_t>(wrong_card)].index(), 2 * r.step_effort[static_cast<std::size_t>(account)].index());
  ASSERT_EQ(r.quote_consistency().size(), 1u);
  EXPECT_TRUE(r.quote_consistency()[0].inconsistent);
  EXPECT_TRUE(r.message_consistency()[0].inconsistent);
  EXPECT_GT(r.touchpoints_by_kind()[1].journeys, 200u);
  // Customers whose card delivery took longer than the p90 are less happy than the rest.
  const auto split = r.nps_by_duration("card_delivered", {0.9});
  ASSERT_TRUE(split.ok()) << split.detail();
  const cxm::nps_tally& fast = split->groups[0];
  const cxm::nps_tally& slow = split->groups[1];
  EXPECT_GT(slow.total(), 0u);
  EXPECT_LT(slow.score(), fast.score());
  std::printf("[ demo ] card_delivered over %.1f days: NPS %.1f (n=%llu) vs %.1f (n=%llu) faster\n",
              split->thresholds_ms[0] / 86400000.0, slow.score(), static_cast<unsigned long long>(slow.total()),
              fast.score(), static_cast<unsigned long long>(fast.total()));
}

// The duration split is exact enough to trust: bands are the sketch's scale-6 buckets (1.1%
// wide), so with 10% of respondents slower than the step's p90, the "over p90" group holds 10%
// of them to within a point, and the threshold reported is the boundary actually used.
TEST(JourneyTracker, ABadCesAnswerIsCountedLikeABadNpsAnswer) {
  // Attached answers go through the one scoring entry point: a bad CES answer is neither
  // dropped nor counted as skipped, it is an invalid answer with its reason, as NPS's are.
  cxm::journey_definition d = test_definition();
  d.reorder_window_ms = 0;
  cxm::journey_tracker t = tracker_for(d);
  const std::string ids[] = {"a", "b", "c", "d"};
  for (const std::string& id : ids) {
    (void)t.record(ev(journey_event_type::step_begin, id, 0, "identity_check", "app"));
    (void)t.record(ev(journey_event_type::step_end, id, 1000, "identity_check"));
  }
  struct bad {
    double nps;
    cxm::answer_value ces;
  };
  cxm::answer_value out_of_range, fraction, text, good;
  out_of_range.type = fraction.type = good.type = cxm::answer_type::number;
  out_of_range.number = 9;  // CES is 1-7
  fraction.number = 4.5;
  text.type = cxm::answer_type::string;
  text.text = "easy";
  good.number = 6;
  const bad rows[] = {{11, out_of_range}, {9.5, fraction}, {10, text}, {9, good}};
  for (std::size_t k = 0; k < 4; ++k) {
    cxm::answer answers[2] = {nps_answer(rows[k].nps), {}};
    answers[1].question = "ces";
    answers[1].value = rows[k].ces;
    cxm::response_view r;
    r.journey_id = ids[k];
    r.step = "identity_check";
    r.answers = cxm::answers_view(answers, 2);
    EXPECT_EQ(t.add_response(r), journey_error::none);
  }
  t.finish();
  const auto rep = t.report();
  const cxm::step_survey& s = rep.survey[1];
  EXPECT_EQ(s.nps.answered, 2u);
  EXPECT_EQ(s.nps.invalid, 2u);
  EXPECT_EQ(s.nps.problem_count(errc::out_of_range), 1u);
  EXPECT_EQ(s.nps.problem_count(errc::not_integer), 1u);
  EXPECT_EQ(s.ces.shown, 4u);
  EXPECT_EQ(s.ces.answered, 1u);
  EXPECT_EQ(s.ces.invalid, 3u);
  EXPECT_EQ(s.ces.skipped(), 0u);
  EXPECT_EQ(s.ces.problem_count(errc::out_of_range), 1u);
  EXPECT_EQ(s.ces.problem_count(errc::not_integer), 1u);
  EXPECT_EQ(s.ces.problem_count(errc::wrong_type), 1u);
  EXPECT_EQ(s.ces.ratings.count(6), 1u);
}

TEST(JourneyTracker, NpsByDurationSplitsAtTheRequestedQuantiles) {
  cxm::journey_definition def = test_definition();
  def.max_open_journeys = 10000;
  cxm::journey_tracker t = tracker_for(def);
  std::mt19937_64 rng(20261203);
  std::lognormal_distribution<double> minutes(std::log(30.0), 0.8);
  const int n = 5000;
  std::vector<std::string> ids;
  for (int k = 0; k < n; ++k) ids.push_back("j" + std::to_string(k));
  for (int k = 0; k < n; ++k) {
    const auto ms = static_cast<std::int64_t>(minutes(rng) * 60000.0);
    (void)t.record(ev(journey_event_type::step_begin, ids[static_cast<std::size_t>(k)], 0, "identity_check", "app"));
    (void)t.record(ev(journey_event_type::step_end, ids[static_cast<std::size_t>(k)], ms, "identity_check"));
  }
  t.finish();
  for (int k = 0; k < n; ++k) {
    cxm::answer a = nps_answer(k % 11);
    cxm::response_view r;
    r.journey_id = ids[static_cast<std::size_t>(k)];
    r.step = "identity_check";
    r.answers = cxm::answers_view(&a, 1);
    ASSERT_EQ(t.add_response(r), journey_error::none);
  }
  const cxm::journey_report rep = t.report();
  const auto split = rep.nps_by_duration("identity_check", {0.5, 0.9});
  ASSERT_TRUE(split.ok()) << split.detail();
  ASSERT_EQ(split->groups.size(), 3u);
  const double share_fast = static_cast<double>(split->groups[0].total()) / n;
  const double share_slow = static_cast<double>(split->groups[2].total()) / n;
  EXPECT_NEAR(share_fast, 0.5, 0.01);
  EXPECT_NEAR(share_slow, 0.1, 0.01);
  // The thresholds are band boundaries within 1.1% of the sketch's quantiles.
  const cxm::duration_sketch d = rep.step_durations("identity_check");
  EXPECT_NEAR(split->thresholds_ms[0], d.quantile(0.5).value(), d.quantile(0.5).value() * 0.011);
  EXPECT_NEAR(split->thresholds_ms[1], d.quantile(0.9).value(), d.quantile(0.9).value() * 0.011);
  EXPECT_GE(split->thresholds_ms[1], d.quantile(0.9).value());
  EXPECT_EQ(split->thresholds_ms[1], cxm::journey_report::band_lower_ms(cxm::journey_report::duration_band(split->thresholds_ms[1] * 1.0000001)));
  EXPECT_EQ(rep.nps_by_duration("identity_check", {0.9, 0.5}).code(), cxm::errc::invalid_argument);
  EXPECT_EQ(rep.nps_by_duration("nope", {0.5}).code(), cxm::errc::invalid_argument);
}

}  // namespace
