// SPDX-License-Identifier: MIT
// The journey tracker: a golden test on the small hand-computed event file, table-driven bad
// input, out-of-order tolerance, abandonment, the open-journey cap, survey attachment and the
// step timer.
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

namespace {

using cxm::errc;
using cxm::journey_error;
using cxm::journey_event;
using cxm::journey_event_type;

cxm::journey_definition test_definition() {
  auto d = cxm::journey_definition_from_json(cxm_test::test_data("journeys/definition.json"));
  EXPECT_TRUE(d.ok()) << d.detail();
  return d.value();
}

cxm::journey_tracker tracker_for(cxm::journey_definition d) {
  auto t = cxm::journey_tracker::make(std::move(d));
  EXPECT_TRUE(t.ok()) << t.detail();
  return std::move(t).value();
}

journey_event ev(journey_event_type type, std::string_view id, std::int64_t ts, std::string_view step = {},
                 std::string_view channel = {}) {
  journey_event e;
  e.type = type;
  e.journey_id = id;
  e.timestamp_ms = ts;
  e.step = step;
  e.channel = channel;
  return e;
}

cxm::journey_report golden_report() {
  cxm::journey_tracker t = tracker_for(test_definition());
  cxm::journey_event_reader reader;
  cxm::journey_tracker_sink sink(t);
  EXPECT_TRUE(cxm_test::feed_file(reader, std::string(CXM_TEST_DATA_DIR) + "/journeys/events.jsonl", sink));
  t.finish();
  return t.report();
}

TEST(JourneyTracker, GoldenSmallFile) {
  const cxm::journey_report r = golden_report();
  // Rejections, one of each (hand-traced in tests/data/journeys/events.jsonl).
  EXPECT_EQ(r.rejected_count(journey_error::unknown_journey), 1u);     // j9 end
  EXPECT_EQ(r.rejected_count(journey_error::unknown_step), 1u);        // teleport
  EXPECT_EQ(r.rejected_count(journey_error::begin_twice), 1u);         // j2 application
  EXPECT_EQ(r.rejected_count(journey_error::double_end), 1u);          // j1 application
  EXPECT_EQ(r.rejected_count(journey_error::clock_backwards), 1u);     // j3 contact at 19000
  EXPECT_EQ(r.rejected_count(journey_error::end_without_begin), 1u);   // j4 identity_check
  EXPECT_EQ(r.rejected_count(journey_error::duration_over_year), 1u);  // j4 application
  EXPECT_EQ(r.rejected_count(journey_error::journey_closed), 1u);      // j1 contact after complete
  EXPECT_EQ(r.rejected_total(), 8u);
  EXPECT_EQ(r.events_accepted, 35u - 3u);  // three rejected on arrival
  EXPECT_EQ(r.events_applied, 35u - 8u);

  ASSERT_EQ(r.segments.size(), 3u);
  const auto& young = r.segments.at("age=young,customer=private");
  EXPECT_EQ(young.started, 1u);
  EXPECT_EQ(young.completed, 1u);
  EXPECT_EQ(young.time_to_complete.count(), 1u);
  EXPECT_EQ(young.time_to_complete.max(), 12000.0);
  EXPECT_EQ(young.effort.contacts, 1u);
  EXPECT_EQ(young.effort.transfers, 1u);
  EXPECT_EQ(young.effort.waits, 1u);
  EXPECT_EQ(young.effort.wait_ms, 600000u);
  EXPECT_EQ(young.effort.wait_points, 2u);
  EXPECT_EQ(young.effort.repeats, 1u);
  EXPECT_EQ(young.effort.index(), 4.0);  // 1 transfer + 1 repeat + 2 wait points
  EXPECT_EQ(young.effort_index.max(), 4.0);
  EXPECT_EQ(young.reached, (std::vector<std::uint64_t>{1, 1, 1, 0}));
  EXPECT_EQ(young.ended, (std::vector<std::uint64_t>{1, 1, 1, 0}));
  EXPECT_EQ(young.last_step, (std::vector<std::uint64_t>{0, 0, 0, 0}));

  const auto& old = r.segments.at("age=old,customer=business");
  EXPECT_EQ(old.started, 1u);
  EXPECT_EQ(old.unfinished, 1u);
  EXPECT_EQ(old.effort.contacts, 2u);
  EXPECT_EQ(old.effort.recontacts, 1u);
  EXPECT_EQ(old.effort.channel_switches, 1u);
  EXPECT_EQ(old.effort.index(), 3.0);
  EXPECT_EQ(old.reached, (std::vector<std::uint64_t>{1, 1, 0, 0}));
  EXPECT_EQ(old.ended, (std::vector<std::uint64_t>{1, 0, 0, 0}));
  EXPECT_EQ(old.last_step, (std::vector<std::uint64_t>{0, 1, 0, 0}));

  const auto& none = r.segments.at("");
  EXPECT_EQ(none.started, 2u);
  EXPECT_EQ(none.abandoned, 1u);
  EXPECT_EQ(none.unfinished, 1u);
  EXPECT_EQ(none.effort.contacts, 1u);
  EXPECT_EQ(none.effort_index.zero_count(), 2u);
  EXPECT_EQ(none.reached, (std::vector<std::uint64_t>{2, 0, 0, 0}));
  EXPECT_EQ(none.ended, (std::vector<std::uint64_t>{1, 0, 0, 0}));
  EXPECT_EQ(none.last_step, (std::vector<std::uint64_t>{2, 0, 0, 0}));

  // Step durations by segment and channel.
  ASSERT_EQ(r.durations.size(), 5u);
  EXPECT_EQ(r.durations.at({"application", "age=young,customer=private", "web"}).max(), 2000.0);
  EXPECT_EQ(r.durations.at({"identity_check", "age=young,customer=private", "app"}).max(), 5000.0);
  EXPECT_EQ(r.durations.at({"card_ordered", "age=young,customer=private", "web"}).max(), 2000.0);
  EXPECT_EQ(r.durations.at({"application", "age=old,customer=business", "branch"}).max(), 4000.0);
  EXPECT_EQ(r.durations.at({"application", "", "web"}).max(), 5000.0);  // j3, reordered contact inside
  const cxm::duration_sketch app = r.step_durations("application");
  EXPECT_EQ(app.count(), 3u);
  EXPECT_EQ(app.sum(), 11000.0);

  // Funnel.
  const auto funnel = r.funnel();
  ASSERT_EQ(funnel.size(), 3u);  // wrong_card is a detour
  EXPECT_EQ(funnel[0].reached, 4u);
  EXPECT_EQ(funnel[0].ended, 3u);
  EXPECT_EQ(funnel[0].dropped, 2u);
  EXPECT_DOUBLE_EQ(funnel[0].conversion_to_next, 0.5);
  EXPECT_EQ(funnel[1].reached, 2u);
  EXPECT_EQ(funnel[1].dropped, 1u);
  EXPECT_DOUBLE_EQ(funnel[1].conversion_to_next, 0.5);
  EXPECT_EQ(funnel[2].reached, 1u);
  EXPECT_EQ(funnel[2].dropped, 0u);

  // Effort per step.
  EXPECT_EQ(r.step_effort[0].journeys, 4u);
  EXPECT_EQ(r.step_effort[0].contacts, 1u);  // j3
  EXPECT_EQ(r.step_effort[1].journeys, 2u);
  EXPECT_EQ(r.step_effort[1].contacts, 3u);
  EXPECT_EQ(r.step_effort[1].recontacts, 1u);
  EXPECT_EQ(r.step_effort[1].transfers, 1u);
  EXPECT_EQ(r.step_effort[1].wait_points, 2u);
  EXPECT_EQ(r.step_effort[1].channel_switches, 1u);
  EXPECT_DOUBLE_EQ(r.step_effort[1].index(), (1 + 2 + 1 + 1 + 2) / 2.0);
  EXPECT_EQ(r.step_effort[3].journeys, 0u);

  // Touchpoints, controlled and not.
  EXPECT_EQ(r.touchpoints.at("online_form").events, 4u);
  EXPECT_EQ(r.touchpoints.at("online_form").journeys, 4u);
  EXPECT_EQ(r.touchpoints.at("online_form").completed, 1u);
  EXPECT_EQ(r.touchpoints.at("friend_advice").events, 1u);
  EXPECT_FALSE(r.touchpoints.at("friend_advice").controlled);
  const auto kinds = r.touchpoints_by_kind();
  EXPECT_EQ(kinds[0].events, 4u + 2u + 1u);
  EXPECT_EQ(kinds[1].events, 1u);
  EXPECT_EQ(kinds[1].journeys, 1u);
  EXPECT_EQ(kinds[1].completed, 0u);

  // Consistency across channels.
  const auto quotes = r.quote_consistency();
  ASSERT_EQ(quotes.size(), 1u);
  EXPECT_EQ(quotes[0].key, "monthly_fee");
  EXPECT_EQ(quotes[0].channels, 2u);
  EXPECT_TRUE(quotes[0].inconsistent);
  EXPECT_DOUBLE_EQ(quotes[0].spread, 0.5);
  EXPECT_EQ(r.quotes.at("monthly_fee").at("web").min, 4500000);
  const auto messages = r.message_consistency();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].inconsistent);
  EXPECT_EQ(messages[0].spread, 2.0);
}

TEST(JourneyTracker, BadInputIsRejectedAndCountedByReason) {
  struct step {
    journey_event e;
    journey_error immediate;
  };
  struct bad_case {
    const char* what;
    std::vector<step> events;
    journey_error counted;
  };
  using T = journey_event_type;
  journey_event wait_long = ev(T::wait, "a", 10);
  wait_long.duration_ms = 366LL * 86400000;
  journey_event wait_negative = ev(T::wait, "a", 10);
  wait_negative.duration_ms = -1;
  journey_event bad_quote = ev(T::quote, "a", 10);
  bad_quote.key = "fee";
  bad_quote.value = std::numeric_limits<double>::quiet_NaN();
  journey_event bad_touch = ev(T::touch, "a", 10);
  bad_touch.touchpoint = "tv_advert";
  const bad_case cases[] = {
      {"end without begin", {{ev(T::step_begin, "a", 0, "application"), journey_error::none}, {ev(T::step_end, "a", 5, "identity_check"), journey_error::none}}, journey_error::end_without_begin},
      {"double end", {{ev(T::step_begin, "a", 0, "application"), journey_error::none}, {ev(T::step_end, "a", 5, "application"), journey_error::none}, {ev(T::step_end, "a", 6, "application"), journey_error::none}}, journey_error::double_end},
      {"begin twice", {{ev(T::step_begin, "a", 0, "application"), journey_error::none}, {ev(T::step_begin, "a", 1, "application"), journey_error::none}}, journey_error::begin_twice},
      {"clock backwards", {{ev(T::step_begin, "a", 5000, "application"), journey_error::none}, {ev(T::contact, "a", 10000), journey_error::none}, {ev(T::contact, "a", 1000), journey_error::clock_backwards}}, journey_error::clock_backwards},
      {"unknown step", {{ev(T::step_begin, "a", 0, "mars"), journey_error::unknown_step}}, journey_error::unknown_step},
      {"unknown journey", {{ev(T::step_end, "nobody", 0, "application"), journey_error::unknown_journey}}, journey_error::unknown_journey},
      {"empty journey id", {{ev(T::contact, "", 0), journey_error::unknown_journey}}, journey_error::unknown_journey},
      {"step over a year", {{ev(T::step_begin, "a", 0, "application"), journey_error::none}, {ev(T::step_end, "a", 366LL * 86400000, "application"), journey_error::none}}, journey_error::duration_over_year},
      {"wait over a year", {{wait_long, journey_error::duration_over_year}}, journey_error::duration_over_year},
      {"negative wait", {{wait_negative, journey_error::invalid_event}}, journey_error::invalid_event},
      {"NaN quote", {{bad_quote, journey_error::invalid_event}}, journey_error::invalid_event},
      {"unknown touchpoint", {{bad_touch, journey_error::unknown_touchpoint}}, journey_error::unknown_touchpoint},
      {"begin without step", {{ev(T::step_begin, "a", 0), journey_error::invalid_event}}, journey_error::invalid_event},
      {"timestamp before 1970", {{ev(T::step_begin, "a", -1, "application"), journey_error::invalid_event}}, journey_error::invalid_event},
      {"timestamp after 9999", {{ev(T::step_begin, "a", INT64_MAX, "application"), journey_error::invalid_event}}, journey_error::invalid_event},
      {"after complete", {{ev(T::step_begin, "a", 0, "application"), journey_error::none}, {ev(T::complete, "a", 1), journey_error::none}, {ev(T::contact, "a", 5000), journey_error::none}}, journey_error::journey_closed},
  };
  for (const bad_case& c : cases) {
    cxm::journey_tracker t = tracker_for(test_definition());
    for (const step& s : c.events) EXPECT_EQ(t.record(s.e), s.immediate) << c.what;
    t.finish();
    const cxm::journey_report r = t.report();
    EXPECT_EQ(r.rejected_count(c.counted), 1u) << c.what;
    EXPECT_EQ(r.rejected_total(), 1u) << c.what;
    // Nothing was corrupted: every sketch holds only good durations.
    for (const auto& [k, s] : r.durations) EXPECT_LE(s.max(), 366.0 * 86400000) << c.what;
  }
}

TEST(JourneyTracker, OutOfOrderWithinTheWindowGivesTheSameReport) {
  // Events of one journey shuffled by at most the window report the same as in order.
  cxm::journey_definition d = test_definition();
  d.reorder_window_ms = 10000;
  std::vector<journey_event> events;
  std::vector<std::string> ids;
  for (int j = 0; j < 50; ++j) ids.push_back("j" + std::to_string(j));
  for (int j = 0; j < 50; ++j) {
    const std::int64_t t0 = j * 100000;
    events.push_back(ev(journey_event_type::step_begin, ids[static_cast<std::size_t>(j)], t0, "application", "web"));
    events.push_back(ev(journey_event_type::contact, ids[static_cast<std::size_t>(j)], t0 + 1000, {}, "phone"));
    events.push_back(ev(journey_event_type::step_end, ids[static_cast<std::size_t>(j)], t0 + 2000 + j, "application"));
    events.push_back(ev(journey_event_type::step_begin, ids[static_cast<std::size_t>(j)], t0 + 3000, "identity_check", "app"));
    events.push_back(ev(journey_event_type::contact, ids[static_cast<std::size_t>(j)], t0 + 4000, {}, "phone"));
    events.push_back(ev(journey_event_type::step_end, ids[static_cast<std::size_t>(j)], t0 + 5000 + 7 * j, "identity_check"));
    if (j % 3 != 0) events.push_back(ev(journey_event_type::complete, ids[static_cast<std::size_t>(j)], t0 + 6000));
  }
  cxm::journey_tracker ordered = tracker_for(d);
  for (const auto& e : events) EXPECT_EQ(ordered.record(e), journey_error::none);
  ordered.finish();
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::vector<journey_event> shuffled = events;
    // Swap neighbours at random: each event moves by at most a few seconds.
    for (std::size_t i = 1; i < shuffled.size(); ++i)
      if (rng() % 2 == 0 && shuffled[i].journey_id == shuffled[i - 1].journey_id) std::swap(shuffled[i], shuffled[i - 1]);
    cxm::journey_tracker t = tracker_for(d);
    for (const auto& e : shuffled) EXPECT_EQ(t.record(e), journey_error::none);
    t.finish();
    EXPECT_EQ(cxm::to_json(t.report()), cxm::to_json(ordered.report())) << "round " << round;
  }
  const auto r = ordered.report();
  EXPECT_EQ(r.rejected_total(), 0u);
  EXPECT_EQ(r.total().completed, 33u);
  EXPECT_EQ(r.total().effort.recontacts, 50u);
}

TEST(JourneyTracker, ChannelNamesAreExactAndCapped) {
  // Names sharing their first bytes, of every length around the 7-byte lookup key, and more
  // distinct channels than a tracker keeps (4096; the rest count under "(other)").
  cxm::journey_definition d = test_definition();
  d.reorder_window_ms = 0;
  d.max_open_journeys = 16;
  cxm::journey_tracker t = tracker_for(d);
  std::vector<std::string> channels = {"a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh",
                                       "abcdefgi", "abcdefg\0", "abcdefghijklmnop", "abcdefghijklmnoq",
                                       "bbcdefghijklmnop", "abce", "abdd", "web"};
  channels[9] = std::string("abcdefg\0", 8);  // an embedded NUL byte is just a byte
  for (int k = 0; channels.size() < 5000; ++k) channels.push_back("channel-" + std::to_string(k));
  std::vector<std::string> ids;
  for (std::size_t k = 0; k < channels.size(); ++k) ids.push_back("cap-" + std::to_string(k));
  for (std::size_t k = 0; k < channels.size(); ++k) {
    const auto ts = static_cast<std::int64_t>(k) * 10;
    ASSERT_EQ(t.record(ev(journey_event_type::step_begin, ids[k], ts, "application", channels[k])), journey_error::none);
    ASSERT_EQ(t.record(ev(journey_event_type::step_end, ids[k], ts + 5, "application")), journey_error::none);
  }
  t.finish();
  const cxm::journey_report r = t.report();
  std::map<std::string, std::uint64_t> by_channel;
  std::uint64_t total = 0;
  for (const auto& [key, sketch] : r.durations) {
    by_channel[std::get<2>(key)] += sketch.count();
    total += sketch.count();
  }
  EXPECT_EQ(total, channels.size());
  for (std::size_t k = 0; k < 16; ++k) EXPECT_EQ(by_channel[channels[k]], 1u) << "channel " << k;
  // At most 4096 names (with "" and the definition's channels among them) plus "(other)".
  EXPECT_LE(by_channel.size(), 4096u);
  EXPECT_GT(by_channel.size(), 4000u);
  EXPECT_GT(by_channel["(other)"], 0u);
}

TEST(JourneyTracker, AdvanceAbandonsInactiveJourneys) {
  cxm::journey_tracker t = tracker_for(test_definition());  // abandon after one day
  EXPECT_EQ(t.record(ev(journey_event_type::step_begin, "a", 0, "application")), journey_error::none);
  EXPECT_EQ(t.record(ev(journey_event_type::step_begin, "b", 50000000, "application")), journey_error::none);
  t.advance(86400000 - 1);
  EXPECT_EQ(t.open_journeys(), 2u);
  t.advance(86400000);
  EXPECT_EQ(t.open_journeys(), 1u);
  EXPECT_EQ(t.record(ev(journey_event_type::step_end, "a", 86400001, "application")), journey_error::journey_closed);
  t.advance(INT64_MIN);  // time extremes: no overflow, nothing happens
  EXPECT_EQ(t.open_journeys(), 1u);
  const auto r = t.report();
  EXPECT_EQ(r.total().abandoned_timeout, 1u);
  EXPECT_EQ(r.total().last_step[0], 1u);
  t.advance(INT64_MAX);
  EXPECT_EQ(t.open_journeys(), 0u);
}

TEST(JourneyTracker, OpenJourneyCapEvictsTheLeastRecentlyActive) {
  cxm::journey_definition d = test_definition();
  d.max_open_journeys = 100;
  d.reorder_window_ms = 0;
  cxm::journey_tracker t = tracker_for(d);
  std::vector<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.push_back("flood-" + std::to_string(i));
  for (int i = 0; i < 10000; ++i) {
    EXPECT_EQ(t.record(ev(journey_event_type::step_begin, ids[static_cast<std::size_t>(i)], i, "application")), journey_error::none);
    // Keep journey 0 active: it must never be evicted.
    if (i % 10 == 0 && i > 0) {
      EXPECT_EQ(t.record(ev(journey_event_type::contact, ids[0], i)), journey_error::none);
    }
    ASSERT_LE(t.open_journeys(), 100u);
  }
  auto r = t.report();
  EXPECT_EQ(r.total().evicted, 9900u);
  EXPECT_EQ(t.record(ev(journey_event_type::step_end, ids[0], 20000, "application")), journey_error::none);
  t.finish();
  r = t.report();
  EXPECT_EQ(r.total().unfinished, 100u);
  EXPECT_EQ(r.total().ended[0], 1u);  // journey 0 survived the flood
}

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
