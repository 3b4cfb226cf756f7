// SPDX-License-Identifier: MIT
// The journey tracker: a golden test on the small hand-computed event file, table-driven bad
// input, out-of-order tolerance, channel names, abandonment and the open-journey cap
// (tracker_survey_test.cpp: survey attachment, the step timer, the bundled data).
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

}  // namespace
