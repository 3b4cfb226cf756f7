// SPDX-License-Identifier: MIT
// The journey report: merging reports of events split across two trackers equals the report
// of all events together; JSON round-trips; decoding is strict.
#include "cxm/journey/report.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "cxm/journey/tracker.hpp"
#include "test_support.hpp"

namespace {

using cxm::journey_event;
using cxm::journey_event_type;

// The test definition with a cap no test reaches: eviction depends on how many journeys one
// tracker holds, so it is the one thing a split cannot reproduce.
cxm::journey_definition test_definition() {
  auto d = cxm::journey_definition_from_json(cxm_test::test_data("journeys/definition.json"));
  EXPECT_TRUE(d.ok()) << d.detail();
  d.value().max_open_journeys = 100000;
  return d.value();
}

struct generated {
  std::vector<std::string> ids;   // storage for the views
  std::vector<std::string> texts;
  std::vector<journey_event> events;
  std::vector<int> journey_of;    // index of each event's journey
};

// Seeded journeys with every event type, segments, channels, detours and bad events.
generated generate(std::uint32_t seed, int journeys) {
  generated g;
  std::mt19937 rng(seed);
  static const cxm::attribute segs[4][2] = {{{"customer", "private"}, {"age", "young"}},
                                            {{"customer", "private"}, {"age", "old"}},
                                            {{"customer", "business"}, {"age", "young"}},
                                            {{"customer", "business"}, {"age", "old"}}};
  static const char* channels[] = {"web", "app", "phone", "branch"};
  static const char* steps[] = {"application", "identity_check", "card_ordered", "wrong_card"};
  g.ids.reserve(static_cast<std::size_t>(journeys));
  for (int j = 0; j < journeys; ++j) g.ids.push_back("j-" + std::to_string(j));
  for (int j = 0; j < journeys; ++j) {
    std::int64_t t = static_cast<std::int64_t>(rng() % 100000000);
    const std::string_view id = g.ids[static_cast<std::size_t>(j)];
    const auto push = [&](journey_event e) {
      e.journey_id = id;
      e.timestamp_ms = t;
      g.events.push_back(e);
      g.journey_of.push_back(j);
      t += static_cast<std::int64_t>(rng() % 600000);
    };
    const int depth = 1 + static_cast<int>(rng() % 4);
    for (int s = 0; s < depth; ++s) {
      journey_event b;
      b.type = journey_event_type::step_begin;
      b.step = steps[s];
      b.channel = channels[rng() % 4];
      if (s == 0) {
        b.segment = segs[rng() % 4];
        b.segment_size = 2;
      }
      push(b);
      const int extras = static_cast<int>(rng() % 4);
      for (int k = 0; k < extras; ++k) {
        journey_event x;
        switch (rng() % 8) {
          case 0: x.type = journey_event_type::contact; x.channel = channels[rng() % 4]; break;
          case 1: x.type = journey_event_type::transfer; x.from = "a"; x.to = "b"; break;
          case 2: x.type = journey_event_type::channel_switch; x.from = "web"; x.to = "phone"; break;
          case 3: x.type = journey_event_type::wait; x.duration_ms = static_cast<std::int64_t>(rng() % 3600000); break;
          case 4: x.type = journey_event_type::repeat_info; break;
          case 5: x.type = journey_event_type::quote; x.key = "monthly_fee"; x.value = (rng() % 2 == 0) ? 4.5 : 4.99; x.channel = channels[rng() % 4]; break;
          case 6: x.type = journey_event_type::message; x.key = "switch_guarantee"; x.text = (rng() % 3 == 0) ? "10 days" : "7 days"; x.channel = channels[rng() % 4]; break;
          default: x.type = journey_event_type::touch; x.touchpoint = "friend_advice"; break;
        }
        push(x);
      }
      if (rng() % 10 != 0) {
        journey_event e;
        e.type = journey_event_type::step_end;
        e.step = steps[s];
        push(e);
      }
      if (rng() % 20 == 0) {  // bad: double end or an unknown step
        journey_event e;
        e.type = journey_event_type::step_end;
        e.step = rng() % 2 == 0 ? steps[s] : "teleport";
        push(e);
      }
    }
    const unsigned outcome = rng() % 4;
    journey_event last;
    if (outcome == 0) { last.type = journey_event_type::abandon; push(last); }
    else if (outcome != 1) { last.type = journey_event_type::complete; push(last); }
  }
  return g;
}

void feed_responses(cxm::journey_tracker& t, const generated& g, int journeys, int parity) {
  for (int j = 0; j < journeys; ++j) {
    if (parity >= 0 && j % 2 != parity) continue;
    cxm::answer a[2];
    a[0].question = "nps";
    a[0].value.type = cxm::answer_type::number;
    a[0].value.number = j % 11;
    a[1].question = "emotion";
    a[1].value.type = cxm::answer_type::string;
    a[1].value.text = j % 3 == 0 ? "happy" : "annoyed";
    cxm::response_view r;
    r.journey_id = g.ids[static_cast<std::size_t>(j)];
    r.step = j % 2 == 0 ? "application" : "identity_check";
    r.answers = cxm::answers_view(a, 2);
    (void)t.add_response(r);
  }
}

TEST(JourneyReport, MergeOfSplitTrackersEqualsOneTracker) {
  const int journeys = 2000;
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    const generated g = generate(seed, journeys);
    auto all = cxm::journey_tracker::make(test_definition()).value();
    auto left = cxm::journey_tracker::make(test_definition()).value();
    auto right = cxm::journey_tracker::make(test_definition()).value();
    for (std::size_t i = 0; i < g.events.size(); ++i) {
      (void)all.record(g.events[i]);
      // Whole journeys go to one side (here: by journey parity, seeded reshuffle of sides).
      (void)(g.journey_of[i] % 2 == 0 ? left : right).record(g.events[i]);
    }
    all.finish();
    left.finish();
    right.finish();
    feed_responses(all, g, journeys, -1);
    feed_responses(left, g, journeys, 0);
    feed_responses(right, g, journeys, 1);
    const cxm::journey_report whole = all.report();
    cxm::journey_report ab = left.report();
    ASSERT_TRUE(ab.merge(right.report()).ok());
    cxm::journey_report ba = right.report();
    ASSERT_TRUE(ba.merge(left.report()).ok());
    EXPECT_EQ(cxm::to_json(ab), cxm::to_json(whole)) << "seed " << seed;
    EXPECT_EQ(cxm::to_json(ba), cxm::to_json(whole)) << "seed " << seed;
    EXPECT_GT(whole.rejected_total(), 0u);
    EXPECT_GT(whole.total().completed, 0u);
    // The empty report of the same definition is the identity.
    auto empty = cxm::journey_tracker::make(test_definition()).value().report();
    cxm::journey_report e = whole;
    ASSERT_TRUE(e.merge(empty).ok());
    EXPECT_TRUE(e == whole);
    ASSERT_TRUE(empty.merge(whole).ok());
    EXPECT_TRUE(empty == whole);
  }
}

TEST(JourneyReport, MergeIsAssociative) {
  const generated g = generate(11, 900);
  std::vector<cxm::journey_tracker> parts;
  for (int k = 0; k < 3; ++k) parts.push_back(cxm::journey_tracker::make(test_definition()).value());
  for (std::size_t i = 0; i < g.events.size(); ++i) (void)parts[static_cast<std::size_t>(g.journey_of[i] % 3)].record(g.events[i]);
  for (auto& p : parts) p.finish();
  cxm::journey_report ab_c = parts[0].report();
  ASSERT_TRUE(ab_c.merge(parts[1].report()).ok());
  ASSERT_TRUE(ab_c.merge(parts[2].report()).ok());
  cxm::journey_report bc = parts[1].report();
  ASSERT_TRUE(bc.merge(parts[2].report()).ok());
  cxm::journey_report a_bc = parts[0].report();
  ASSERT_TRUE(a_bc.merge(bc).ok());
  EXPECT_EQ(cxm::to_json(ab_c), cxm::to_json(a_bc));
}

TEST(JourneyReport, JsonRoundTrips) {
  const generated g = generate(5, 500);
  auto t = cxm::journey_tracker::make(test_definition()).value();
  for (const auto& e : g.events) (void)t.record(e);
  t.finish();
  feed_responses(t, g, 500, -1);
  (void)t.record_duration("card_ordered", "app", "age=young", 1234.5678);  // a fractional duration
  const cxm::journey_report r = t.report();
  const std::string json = cxm::to_json(r);
  auto back = cxm::journey_report_from_json(json);
  ASSERT_TRUE(back.ok()) << back.detail();
  EXPECT_EQ(cxm::to_json(*back), json);
  EXPECT_TRUE(*back == r);
  EXPECT_EQ(back->durations.at({"card_ordered", "age=young", "app"}).sum(), 1234.5678);
  // The empty report round-trips too.
  const std::string empty = cxm::to_json(cxm::journey_tracker::make(test_definition()).value().report());
  auto e = cxm::journey_report_from_json(empty);
  ASSERT_TRUE(e.ok()) << e.detail();
  EXPECT_EQ(cxm::to_json(*e), empty);
}

TEST(JourneyReport, IncompatibleReportsDoNotMerge) {
  auto a = cxm::journey_tracker::make(test_definition()).value().report();
  cxm::journey_definition d = test_definition();
  d.revision = 3;
  auto b = cxm::journey_tracker::make(d).value().report();
  const std::string before = cxm::to_json(a);
  EXPECT_EQ(a.merge(b).code(), cxm::errc::incompatible);
  EXPECT_EQ(cxm::to_json(a), before);
  d = test_definition();
  d.steps[1].channel = "phone";
  EXPECT_EQ(a.merge(cxm::journey_tracker::make(d).value().report()).code(), cxm::errc::incompatible);
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  if (p != std::string::npos) s.replace(p, from.size(), to);
  return s;
}

// Replaces the value after the first `"key":` (up to the next , or }) with `token`.
std::string replace_value(std::string s, const std::string& key, const std::string& token) {
  const auto p = s.find("\"" + key + "\":");
  EXPECT_NE(p, std::string::npos) << key;
  if (p == std::string::npos) return s;
  const auto b = p + key.size() + 3;
  const auto e = s.find_first_of(",}", b);
  return s.replace(b, e - b, token);
}

TEST(JourneyReport, DecodingIsStrictAndNamesThePath) {
  const generated g = generate(9, 50);
  auto t = cxm::journey_tracker::make(test_definition()).value();
  for (const auto& e : g.events) (void)t.record(e);
  t.finish();
  const std::string json = cxm::to_json(t.report());
  struct bad_case {
    std::string json;
    cxm::errc code;
    const char* path;
  };
  const bad_case cases[] = {
      {replace(json, "\"version\":2", "\"version\":1"), cxm::errc::unsupported_version, "version"},
      {replace(json, "cxm.journey_report", "cxm.nps_tally"), cxm::errc::incompatible, "format"},
      {replace(json, "\"events\":{", "\"colour\":1,\"events\":{"), cxm::errc::invalid_argument, "(root): unknown field \"colour\""},
      {replace(json, "\"accepted\":", "\"accepted\":-"), cxm::errc::out_of_range, "events.accepted"},
      {replace_value(json, "started", "\"x\""), cxm::errc::wrong_type, "segments."},
      {replace(json, "\"sketch\":\"", "\"sketch\":\"!!"), cxm::errc::invalid_argument, "durations[0].sketch"},
      {replace(json, "\"sketch\":\"", "\"sketch\":\"AAAA"), cxm::errc::incompatible, "durations[0].sketch"},
      {replace(json, "\"reached\":[", "\"reached\":[1,"), cxm::errc::invalid_argument, "segments."},
      {replace(json, "\"step_effort\":[{", "\"step_effort\":[{\"journeys\":1,"), cxm::errc::duplicate_key, "step_effort"},
      {replace_value(json, "double_end", "0.5"), cxm::errc::not_integer, "rejected.double_end"},
      {replace_value(json, "min", "9.5"), cxm::errc::not_integer, "quotes."},
      {replace_value(json, "count", "0"), cxm::errc::invalid_argument, "quotes."},
      {json.substr(0, json.size() - 1), cxm::errc::parse_error, ""},
  };
  for (const bad_case& c : cases) {
    auto r = cxm::journey_report_from_json(c.json);
    ASSERT_FALSE(r.ok()) << c.path;
    EXPECT_EQ(r.code(), c.code) << r.detail();
    EXPECT_EQ(r.detail().rfind(c.path, 0), 0u) << r.detail();
  }
}

// Band b holds (2^(b/64), 2^((b+1)/64)] ms: the sketch's buckets at scale 6.
TEST(JourneyReport, DurationBandsAreTheScaleSixBuckets) {
  using r = cxm::journey_report;
  EXPECT_EQ(r::duration_band(0.0), r::zero_duration_band);
  EXPECT_EQ(r::duration_band(-3.0), r::zero_duration_band);
  EXPECT_EQ(r::duration_band(1.0), -1);      // (2^(-1/64), 1]
  EXPECT_EQ(r::duration_band(16.0), 255);    // (2^(255/64), 2^4]
  EXPECT_EQ(r::duration_band(16.5), 258);    // log2(16.5) * 64 = 258.8
  EXPECT_DOUBLE_EQ(r::band_lower_ms(256), 16.0);
  EXPECT_EQ(r::band_lower_ms(r::zero_duration_band), 0.0);
  EXPECT_NEAR(r::band_lower_ms(1) / r::band_lower_ms(0), 1.0109, 1e-4);  // 2^(1/64): 1.1% wide
}

}  // namespace
