// SPDX-License-Identifier: MIT
// The journey event reader: good lines become events, bad lines are reported with their line
// number and field path, and good lines next to bad ones are unaffected.
#include "cxm/journey/event_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

struct owned_event {
  cxm::journey_event_type type;
  std::string journey_id, customer, step, channel, touchpoint, reason, from, to, key, text, segment;
  double value;
  std::int64_t timestamp_ms, duration_ms;
  std::uint64_t line;
};

struct collect : cxm::journey_event_sink {
  std::vector<owned_event> events;
  void on_event(const cxm::journey_event& e) override {
    std::string seg;
    for (std::size_t i = 0; i < e.segment_size; ++i)
      seg += std::string(e.segment[i].name) + "=" + std::string(e.segment[i].value) + ";";
    events.push_back({e.type, std::string(e.journey_id), std::string(e.customer), std::string(e.step),
                      std::string(e.channel), std::string(e.touchpoint), std::string(e.reason), std::string(e.from),
                      std::string(e.to), std::string(e.key), std::string(e.text), seg, e.value, e.timestamp_ms,
                      e.duration_ms, e.line});
  }
};

TEST(JourneyEventReader, ReadsTheTestFile) {
  cxm::journey_event_reader reader;
  collect sink;
  reader.feed(cxm_test::test_data("journeys/events.jsonl"), sink);
  reader.finish(sink);
  EXPECT_EQ(reader.stats().lines, 37u);
  EXPECT_EQ(reader.stats().events, 35u);
  EXPECT_EQ(reader.stats().rejected_lines, 2u);
  ASSERT_EQ(reader.errors().size(), 2u);
  EXPECT_EQ(reader.errors()[0].line, 36u);
  EXPECT_EQ(reader.errors()[0].code, cxm::errc::parse_error);
  EXPECT_EQ(reader.errors()[1].line, 37u);
  EXPECT_EQ(reader.errors()[1].code, cxm::errc::missing_field);
  EXPECT_EQ(reader.errors()[1].path, "duration_ms");
  ASSERT_EQ(sink.events.size(), 35u);
  const owned_event& first = sink.events[0];
  EXPECT_EQ(first.type, cxm::journey_event_type::step_begin);
  EXPECT_EQ(first.journey_id, "j1");
  EXPECT_EQ(first.customer, "c1");
  EXPECT_EQ(first.segment, "customer=private;age=young;");
  EXPECT_EQ(first.timestamp_ms, 1000);
  EXPECT_EQ(sink.events[1].timestamp_ms, 2000);  // RFC 3339
  EXPECT_EQ(sink.events[8].type, cxm::journey_event_type::transfer);
  EXPECT_EQ(sink.events[8].from, "a1");
  EXPECT_EQ(sink.events[8].to, "a2");
  EXPECT_EQ(sink.events[10].duration_ms, 600000);
  EXPECT_EQ(sink.events[17].type, cxm::journey_event_type::quote);
  EXPECT_EQ(sink.events[17].key, "monthly_fee");
  EXPECT_EQ(sink.events[17].value, 5.0);
  EXPECT_EQ(sink.events[18].text, "10 days");
  EXPECT_EQ(sink.events[15].reason, "still waiting");
}

TEST(JourneyEventReader, ChunksSplitAnywhereGiveTheSameEvents) {
  const std::string data = cxm_test::test_data("journeys/events.jsonl");
  collect whole;
  cxm::journey_event_reader a;
  a.feed(data, whole);
  a.finish(whole);
  for (std::size_t chunk : {1u, 7u, 64u}) {
    collect pieces;
    cxm::journey_event_reader b;
    for (std::size_t i = 0; i < data.size(); i += chunk) b.feed(std::string_view(data).substr(i, chunk), pieces);
    b.finish(pieces);
    ASSERT_EQ(pieces.events.size(), whole.events.size());
    for (std::size_t i = 0; i < whole.events.size(); ++i) {
      EXPECT_EQ(pieces.events[i].journey_id, whole.events[i].journey_id);
      EXPECT_EQ(pieces.events[i].timestamp_ms, whole.events[i].timestamp_ms);
      EXPECT_EQ(pieces.events[i].line, whole.events[i].line);
    }
  }
}

struct bad_line {
  const char* line;
  cxm::errc code;
  const char* field;
};

TEST(JourneyEventReader, BadLinesAreRejectedWithTheFieldPath) {
  const bad_line cases[] = {
      {R"({"type":"complete","timestamp":1})", cxm::errc::missing_field, "journey_id"},
      {R"({"journey_id":"j","timestamp":1})", cxm::errc::missing_field, "type"},
      {R"({"journey_id":"j","type":"complete"})", cxm::errc::missing_field, "timestamp"},
      {R"({"journey_id":"j","type":"fly","timestamp":1})", cxm::errc::invalid_argument, "type"},
      {R"({"journey_id":"","type":"complete","timestamp":1})", cxm::errc::invalid_argument, "journey_id"},
      {R"({"journey_id":"j","type":"complete","timestamp":-5})", cxm::errc::out_of_range, "timestamp"},
      {R"({"journey_id":"j","type":"complete","timestamp":1.5})", cxm::errc::not_integer, "timestamp"},
      {R"({"journey_id":"j","type":"complete","timestamp":"yesterday"})", cxm::errc::invalid_argument, "timestamp"},
      {R"({"journey_id":"j","type":"complete","timestamp":1,"timestamp":2})", cxm::errc::duplicate_key, "timestamp"},
      {R"({"journey_id":"j","type":"step_begin","timestamp":1})", cxm::errc::missing_field, "step"},
      {R"({"journey_id":"j","type":"step_begin","step":7,"timestamp":1})", cxm::errc::wrong_type, "step"},
      {R"({"journey_id":"j","type":"wait","duration_ms":-1,"timestamp":1})", cxm::errc::out_of_range, "duration_ms"},
      {R"({"journey_id":"j","type":"transfer","from_agent":"a","to_agent":"a","timestamp":1})", cxm::errc::invalid_argument, "to_agent"},
      {R"({"journey_id":"j","type":"channel_switch","from":"web","timestamp":1})", cxm::errc::missing_field, "to"},
      {R"({"journey_id":"j","type":"quote","offer":"fee","value":"5","timestamp":1})", cxm::errc::wrong_type, "value"},
      {R"({"journey_id":"j","type":"quote","offer":"fee","value":1e999,"timestamp":1})", cxm::errc::not_finite, "value"},
      {R"({"journey_id":"j","type":"message","key":"k","value":5,"timestamp":1})", cxm::errc::wrong_type, "value"},
      {R"({"journey_id":"j","type":"touch","timestamp":1})", cxm::errc::missing_field, "touchpoint"},
      {R"({"journey_id":"j","type":"complete","timestamp":1,"segment":{"age":3}})", cxm::errc::wrong_type, "segment.age"},
      {R"({"journey_id":"j","type":"complete","timestamp":1,"segment":{"a":"x","a":"y"}})", cxm::errc::duplicate_key, "segment.a"},
      {R"({"journey_id":"j","type":"complete","timestamp":1,"x":1,"x":2})", cxm::errc::duplicate_key, "x"},
      {R"([1,2])", cxm::errc::wrong_type, "(root)"},
      {R"({"journey_id":"j","type":"complete","timestamp":1} trailing)", cxm::errc::parse_error, ""},
      {"{\"journey_id\":\"j\xff\",\"type\":\"complete\",\"timestamp\":1}", cxm::errc::invalid_utf8, ""},
  };
  std::string data = R"({"journey_id":"ok","type":"complete","timestamp":1})" "\n";
  for (const bad_line& c : cases) data += std::string(c.line) + "\n";
  data += R"({"journey_id":"ok2","type":"complete","timestamp":2,"unknown":{"nested":[1,{"a":2}]}})" "\n";
  cxm::journey_event_reader reader;
  collect sink;
  reader.feed(data, sink);
  reader.finish(sink);
  ASSERT_EQ(sink.events.size(), 2u);
  EXPECT_EQ(sink.events[1].journey_id, "ok2");
  ASSERT_EQ(reader.errors().size(), std::size(cases));
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    EXPECT_EQ(reader.errors()[i].line, i + 2) << cases[i].line;
    EXPECT_EQ(reader.errors()[i].code, cases[i].code) << cases[i].line << " " << reader.errors()[i].reason;
    EXPECT_EQ(reader.errors()[i].path, cases[i].field) << cases[i].line;
  }
}

TEST(JourneyEventReader, OverlongLinesAreSkippedWithBoundedMemory) {
  cxm::journey_reader_options o;
  o.max_line_bytes = 100;
  cxm::journey_event_reader reader(o);
  collect sink;
  reader.feed(R"({"journey_id":")" + std::string(500, 'x'), sink);
  reader.feed(std::string(500, 'y') + "\"}\n" R"({"journey_id":"j","type":"complete","timestamp":1})" "\n", sink);
  reader.finish(sink);
  EXPECT_EQ(sink.events.size(), 1u);
  ASSERT_EQ(reader.errors().size(), 1u);
  EXPECT_EQ(reader.errors()[0].code, cxm::errc::too_large);
  EXPECT_EQ(reader.errors()[0].line, 1u);
}

}  // namespace

// Found by fuzzing (with the response reader, which shares the handler design): a root value
// that is not an object was judged with the previous line's field still current.
TEST(JourneyEventReader, ARootValueThatIsNotAnObjectNeverSeesThePreviousLine) {
  const std::string text = R"({"journey_id":"j","type":"wait","timestamp":"2026-10-02T09:14:03Z","duration_ms":-1})"
                           "\n\"2026-10-02T09:14:03Z\"\n-5\ntrue\n1.5\n";
  for (std::size_t chunk : {1u, 1000u}) {
    cxm::journey_event_reader reader;
    collect sink;
    for (std::size_t i = 0; i < text.size(); i += chunk) reader.feed(std::string_view(text).substr(i, chunk), sink);
    reader.finish(sink);
    ASSERT_EQ(reader.errors().size(), 5u);
    EXPECT_EQ(reader.errors()[0].path, "duration_ms");
    for (std::size_t i = 1; i < 5; ++i) {
      EXPECT_EQ(reader.errors()[i].code, cxm::errc::wrong_type);
      EXPECT_EQ(reader.errors()[i].path, "(root)");
      EXPECT_EQ(reader.errors()[i].reason, "an event is a JSON object");
    }
  }
}

TEST(JourneyEventReader, ANonFiniteNumberRejectsTheLineWhereverItIs) {
  const std::string ev = R"({"journey_id":"j","type":"touch","touchpoint":"t","timestamp":1)";
  const std::string text = ev + R"(,"x":1e309})" "\n" + ev + R"(,"x":[{"y":1e999}]})" "\n" + ev + "}\n";
  cxm::journey_event_reader reader;
  collect sink;
  reader.feed(text, sink);
  reader.finish(sink);
  EXPECT_EQ(sink.events.size(), 1u);
  ASSERT_EQ(reader.errors().size(), 2u);
  for (const auto& e : reader.errors()) {
    EXPECT_EQ(e.code, cxm::errc::not_finite);
    EXPECT_EQ(e.path, "x");
  }
}
