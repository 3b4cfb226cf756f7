// SPDX-License-Identifier: MIT
// The JSON Lines reader: every kind of bad line is reported with its line number, field and
// reason, and never costs the good lines around it.
#include "cxm/survey/response_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

using cxm::errc;

namespace {

// Records what the reader hands over (copies, since views die with the callback: the
// answer's strings are copied into `text` and `items`, and its views cleared).
struct recorder final : cxm::response_sink {
  struct copied_answer {
    std::string question;
    cxm::answer_value value;  // type, number, boolean, item_count, array_size; views cleared
    std::string text;
    std::vector<std::string> items;
  };
  struct row { std::uint64_t line; std::string id, channel, step, segment_age; std::int64_t ts; bool has_ts;
               std::vector<copied_answer> answers; };
  std::vector<row> rows;
  bool on_response(const cxm::response_view& r, std::vector<cxm::problem>&) override {
    row x{r.line, std::string(r.id), std::string(r.channel), std::string(r.step),
          std::string(r.segment_value("age")), r.timestamp_ms, r.has_timestamp, {}};
    for (const cxm::answer& a : r.answers) {
      copied_answer c{std::string(a.question), a.value, std::string(a.value.text), {}};
      for (std::size_t k = 0; k < a.value.item_count; ++k) c.items.emplace_back(a.value.items[k]);
      c.value.text = {};
      c.value.items = nullptr;
      x.answers.push_back(std::move(c));
    }
    rows.push_back(std::move(x));
    return true;
  }
};

std::string good(const std::string& id, const std::string& answers = R"({"nps":9})") {
  return R"({"id":")" + id + R"(","survey_id":"s","answers":)" + answers + "}";
}

struct run_result { recorder sink; cxm::reader_stats stats; std::vector<cxm::problem> errors; };

run_result run(const std::string& text, std::size_t chunk = 0, cxm::reader_options o = {}) {
  run_result r;
  cxm::response_reader reader(o);
  if (chunk == 0) chunk = text.size() + 1;
  for (std::size_t i = 0; i < text.size(); i += chunk) reader.feed(std::string_view(text).substr(i, chunk), r.sink);
  reader.finish(r.sink);
  r.stats = reader.stats();
  r.errors = reader.errors();
  return r;
}

}  // namespace

TEST(ResponseReader, ReadsAllFieldsInAnyChunking) {
  const std::string line =
      R"({"id":"r-1","survey_id":"bank","survey_version":3,"respondent":"c-9","timestamp":"2026-10-02T09:14:03.250Z",)"
      R"("channel":"app","segment":{"customer":"private","age":"young"},"journey_id":"j-9","step":"card_ordered",)"
      R"("answers":{"nps":9,"ces":6.0,"comment":"caf\u00e9 \"ok\"","ok":true,"none":null,"tags":["a","b"],)"
      R"("mixed":[1,"b",null,true,[2],{"z":3}],"obj":{"deep":{"x":[1,"y"]}},"none2":[]},"extra":{"x":[1,{"y":2}]}})";
  for (std::size_t chunk : {0u, 1u, 7u, 64u}) {
    auto r = run(line + "\n" + good("r-2") + "\n", chunk);
    ASSERT_EQ(r.sink.rows.size(), 2u) << chunk << (r.errors.empty() ? "" : r.errors[0].reason);
    const auto& x = r.sink.rows[0];
    EXPECT_EQ(x.line, 1u);
    EXPECT_EQ(x.id, "r-1");
    EXPECT_EQ(x.channel, "app");
    EXPECT_EQ(x.step, "card_ordered");
    EXPECT_EQ(x.segment_age, "young");
    EXPECT_TRUE(x.has_ts);
    EXPECT_EQ(x.ts, 1790932443250);  // date -d 2026-10-02T09:14:03Z +%s -> 1790932443
    ASSERT_EQ(x.answers.size(), 9u);
    EXPECT_EQ(x.answers[0].question, "nps");
    EXPECT_EQ(x.answers[0].value.type, cxm::answer_type::number);
    EXPECT_EQ(x.answers[0].value.number, 9.0);
    EXPECT_EQ(x.answers[1].value.number, 6.0);
    EXPECT_EQ(x.answers[2].value.type, cxm::answer_type::string);
    EXPECT_EQ(x.answers[2].text, "caf\xc3\xa9 \"ok\"");
    EXPECT_EQ(x.answers[3].value.type, cxm::answer_type::boolean);
    EXPECT_TRUE(x.answers[3].value.boolean);
    EXPECT_EQ(x.answers[4].value.type, cxm::answer_type::null);
    // An array of strings keeps its strings (was: an array, elements dropped).
    EXPECT_EQ(x.answers[5].question, "tags");
    EXPECT_EQ(x.answers[5].value.type, cxm::answer_type::strings);
    EXPECT_EQ(x.answers[5].value.item_count, 2u);
    EXPECT_EQ(x.answers[5].items, (std::vector<std::string>{"a", "b"}));
    // Any other array (nested arrays and objects included) is an array of non-strings, kept.
    EXPECT_EQ(x.answers[6].question, "mixed");
    EXPECT_EQ(x.answers[6].value.type, cxm::answer_type::array);
    EXPECT_EQ(x.answers[6].value.array_size, 6u);
    EXPECT_EQ(x.answers[6].value.item_count, 0u);
    // An object answer no longer rejects the line: it is kept as an object, judged by scoring.
    EXPECT_EQ(x.answers[7].question, "obj");
    EXPECT_EQ(x.answers[7].value.type, cxm::answer_type::object);
    EXPECT_EQ(x.answers[8].question, "none2");
    EXPECT_EQ(x.answers[8].value.type, cxm::answer_type::strings);  // the empty array
    EXPECT_EQ(x.answers[8].value.item_count, 0u);
    EXPECT_EQ(r.sink.rows[1].line, 2u);
  }
}

TEST(ResponseReader, EscapedStringsSurviveTheCallback) {
  recorder sink;
  struct text_sink final : cxm::response_sink {
    std::string comment;
    std::vector<std::string> items;
    bool on_response(const cxm::response_view& r, std::vector<cxm::problem>&) override {
      comment = std::string(r.find("comment")->text);
      const cxm::answer_value* tags = r.find("tags");
      for (std::size_t k = 0; k < tags->item_count; ++k) items.emplace_back(tags->items[k]);
      return true;
    }
  } s;
  cxm::response_reader reader;
  // Split inside the escapes so the strings are assembled in the reader's arena.
  const std::string line =
      R"({"id":"a","survey_id":"s","answers":{"comment":"line\nbreak \u05e9\u05dc\u05d5\u05dd",)"
      R"("tags":["pl\u0061in","\u00e9",""]}})";
  for (std::size_t i = 0; i < line.size(); i += 5) reader.feed(std::string_view(line).substr(i, 5), s);
  reader.finish(s);
  EXPECT_EQ(s.comment, "line\nbreak \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d");
  EXPECT_EQ(s.items, (std::vector<std::string>{"plain", "\xc3\xa9", ""}));
}

TEST(ResponseReader, EachBadLineIsReportedAndGoodLinesAreKept) {
  struct row { std::string text; errc code; const char* field; };
  const std::vector<row> bad = {
      {"not json", errc::parse_error, ""},
      {good("t") + " x", errc::parse_error, ""},
      {R"({"id":"a","id":"b","survey_id":"s","answers":{}})", errc::duplicate_key, "id"},
      {R"({"id":"d1","survey_id":"s","answers":{"nps":9,"nps":10}})", errc::duplicate_key, "answers.nps"},
      {R"({"id":"d2","survey_id":"s","segment":{"a":"x","a":"y"},"answers":{}})", errc::duplicate_key, "segment.a"},
      {R"({"id":"d3","survey_id":"s","x":1,"x":2,"answers":{}})", errc::duplicate_key, "x"},
      {R"({"survey_id":"s","answers":{}})", errc::missing_field, "id"},
      {R"({"id":"m","answers":{}})", errc::missing_field, "survey_id"},
      {R"({"id":"m2","survey_id":"s"})", errc::missing_field, "answers"},
      {R"({"id":"n","survey_id":"s","answers":{"nps":1e309}})", errc::not_finite, "answers.nps"},
      {R"({"id":7,"survey_id":"s","answers":{}})", errc::wrong_type, "id"},
      {R"({"id":"","survey_id":"s","answers":{}})", errc::invalid_argument, "id"},
      {R"({"id":"g","survey_id":"s","segment":{"age":30},"answers":{}})", errc::wrong_type, "segment.age"},
      {R"({"id":"v","survey_id":"s","survey_version":-1,"answers":{}})", errc::out_of_range, "survey_version"},
      {R"({"id":"w","survey_id":"s","timestamp":"yesterday","answers":{}})", errc::invalid_argument, "timestamp"},
      {R"({"id":"w2","survey_id":"s","timestamp":"2026-02-30T00:00:00Z","answers":{}})", errc::invalid_argument, "timestamp"},
      {R"({"id":"p0","survey_id":"s","inclusion_probability":0,"answers":{}})", errc::out_of_range, "inclusion_probability"},
      {R"({"id":"p1","survey_id":"s","inclusion_probability":1.5,"answers":{}})", errc::out_of_range, "inclusion_probability"},
      {R"({"id":"p2","survey_id":"s","inclusion_probability":-0.5,"answers":{}})", errc::out_of_range, "inclusion_probability"},
      {R"({"id":"p6","survey_id":"s","inclusion_probability":1e-10,"answers":{}})", errc::out_of_range, "inclusion_probability"},
      {R"({"id":"p3","survey_id":"s","inclusion_probability":"0.5","answers":{}})", errc::wrong_type, "inclusion_probability"},
      {R"({"id":"p4","survey_id":"s","inclusion_probability":null,"answers":{}})", errc::wrong_type, "inclusion_probability"},
      {R"({"id":"p5","survey_id":"s","inclusion_probability":0.5,"inclusion_probability":0.5,"answers":{}})",
       errc::duplicate_key, "inclusion_probability"},
      {"[1,2]", errc::wrong_type, "(root)"},
      {"{\"id\":\"u\",\"survey_id\":\"s\",\"answers\":{\"c\":\"\xff\"}}", errc::invalid_utf8, ""},
      {R"({"id":"z","survey_id":"s","extra":)" + std::string(50, '[') + std::string(50, ']') + R"(,"answers":{}})",
       errc::too_deep, ""},
  };
  std::string text = good("r-0") + "\n";
  for (const auto& b : bad) text += b.text + "\n" + good("ok-" + std::to_string(&b - bad.data())) + "\n";
  auto r = run(text);
  ASSERT_EQ(r.errors.size(), bad.size());
  EXPECT_EQ(r.stats.answer_errors, 0u);  // the recorder refuses no answer
  EXPECT_EQ(r.sink.rows.size(), bad.size() + 1);
  EXPECT_EQ(r.stats.rejected_lines, bad.size());
  EXPECT_EQ(r.stats.duplicate_ids, 0u);
  for (std::size_t i = 0; i < bad.size(); ++i) {
    EXPECT_EQ(r.errors[i].line, 2 + 2 * i) << bad[i].text;
    EXPECT_EQ(r.errors[i].code, bad[i].code) << bad[i].text << " -> " << r.errors[i].reason;
    EXPECT_EQ(r.errors[i].path, bad[i].field) << bad[i].text;
    EXPECT_FALSE(r.errors[i].reason.empty());
  }
}

TEST(ResponseReader, HugeLineIsRejectedWithBoundedMemoryAndNextLineIsRead) {
  // A 100 MB line arriving in 1 MiB chunks, between two good lines.
  cxm::response_reader reader;
  recorder sink;
  reader.feed(good("before") + "\n" + R"({"id":"big","survey_id":"s","answers":{"c":")", sink);
  const std::string chunk(std::size_t{1} << 20, 'a');
  for (int i = 0; i < 100; ++i) reader.feed(chunk, sink);
  reader.feed("\"}}\n" + good("after"), sink);
  reader.finish(sink);
  ASSERT_EQ(sink.rows.size(), 2u);
  EXPECT_EQ(sink.rows[1].id, "after");
  EXPECT_EQ(sink.rows[1].line, 3u);
  ASSERT_EQ(reader.errors().size(), 1u);
  EXPECT_EQ(reader.errors()[0].code, errc::too_large);
  EXPECT_EQ(reader.errors()[0].line, 2u);
}

TEST(ResponseReader, EmptyInputBlankLinesCrLfAndNoTrailingNewline) {
  auto empty = run("");
  EXPECT_EQ(empty.stats.lines, 0u);
  EXPECT_TRUE(empty.errors.empty());
  auto r = run("\n  \r\n" + good("a") + "\r\n\n" + good("b"));
  EXPECT_EQ(r.sink.rows.size(), 2u);
  EXPECT_EQ(r.stats.blank_lines, 3u);
  EXPECT_EQ(r.sink.rows[1].line, 5u);
  EXPECT_TRUE(r.errors.empty());
}

TEST(ResponseReader, KeepsOnlyTheFirstErrorsButCountsAll) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "oops\n";
  cxm::reader_options o;
  o.max_kept_errors = 10;
  cxm::response_reader reader(o);
  recorder sink;
  reader.feed(text, sink);
  reader.finish(sink);
  EXPECT_EQ(reader.errors().size(), 10u);
  EXPECT_EQ(reader.error_count(), 50u);
}

// Whether a response was counted before is the aggregator's to know (survey_scorer,
// journey_tracker): the reader hands the same id on twice, and rejects the line when the sink
// refuses it whole, with the sink's reason at the line.
TEST(ResponseReader, TheSinkDecidesAboutRepeatedIds) {
  auto plain = run(good("a") + "\n" + good("a") + "\n");
  EXPECT_EQ(plain.sink.rows.size(), 2u);
  EXPECT_TRUE(plain.errors.empty());

  struct refusing final : cxm::response_sink {
    std::uint64_t taken = 0;
    bool on_response(const cxm::response_view& r, std::vector<cxm::problem>& problems) override {
      if (r.id != "dup") return ++taken, true;
      problems.push_back({errc::out_of_range, "answers.nps", "kept"});
      problems.push_back({errc::duplicate_id, "id", "counted before"});
      return false;
    }
  } sink;
  cxm::response_reader reader;
  reader.feed(good("a") + "\n" + good("dup") + "\n" + good("b"), sink);
  reader.finish(sink);
  EXPECT_EQ(sink.taken, 2u);
  EXPECT_EQ(reader.stats().responses, 2u);
  EXPECT_EQ(reader.stats().rejected_lines, 1u);
  EXPECT_EQ(reader.stats().duplicate_ids, 1u);
  EXPECT_EQ(reader.stats().answer_errors, 0u);  // a refused record's problems are not answer errors
  ASSERT_EQ(reader.errors().size(), 2u);
  EXPECT_EQ(reader.errors()[1].line, 2u);
  EXPECT_EQ(reader.errors()[1].code, errc::duplicate_id);
  EXPECT_EQ(reader.errors()[1].path, "id");
}

TEST(ResponseReader, BundledBadFileReportsEveryDefect) {
  // examples/data/bad_responses.jsonl: defects at the lines listed in examples/data/README.md.
  // Line 17 repeats line 1's id: the reader hands it on (the scorer refuses it, see
  // SurveyScorer.BundledBadFileCountsARepeatedIdOnce).
  recorder sink;
  cxm::response_reader reader;
  ASSERT_TRUE(cxm_test::feed_file(reader, std::string(CXM_EXAMPLES_DATA_DIR) + "/bad_responses.jsonl", sink, 7));
  std::vector<std::uint64_t> lines;
  for (const auto& e : reader.errors()) lines.push_back(e.line);
  EXPECT_EQ(lines, (std::vector<std::uint64_t>{11, 12, 13, 14, 16}));  // whole-line defects
  EXPECT_EQ(reader.stats().blank_lines, 1u);
  EXPECT_EQ(sink.rows.back().id, "r-900019");  // the last line has no newline and still counts
}

// Found by fuzzing: a line that was not an object reused the previous line's parser state, so
// its error named a key of that line through a view into bytes that were gone (stale memory
// when the earlier line had been assembled across chunks).
TEST(ResponseReader, ARootValueThatIsNotAnObjectNeverSeesThePreviousLine) {
  const std::string text = R"({"id":"a","survey_id":"s","segment":{"age":1},"answers":{}})"
                           "\n1\n\"x\"\ntrue\nnull\n2.5\n";
  for (std::size_t chunk : {0u, 1u, 3u}) {
    auto r = run(text, chunk);
    ASSERT_EQ(r.errors.size(), 6u);
    EXPECT_EQ(r.errors[0].path, "segment.age");
    for (std::size_t i = 1; i < 6; ++i) {
      EXPECT_EQ(r.errors[i].line, i + 1);
      EXPECT_EQ(r.errors[i].code, errc::wrong_type);
      EXPECT_EQ(r.errors[i].path, "(root)") << chunk << " " << i;
      EXPECT_EQ(r.errors[i].reason, "a response is a JSON object");
    }
  }
}

// Found by fuzzing: the size limit was applied only to lines split across chunks, and before the
// "\r" of a "\r\n" was removed, so a blank or "\r\n"-terminated line at the limit was accepted or
// rejected depending on where the input happened to be cut. Now a line's length excludes its
// separator, and the verdict depends on the bytes alone.
TEST(ResponseReader, TheLineLimitGivesTheSameVerdictInEveryChunking) {
  const std::string record = R"({"id":"ID","survey_id":"s","answers":{"nps":9}})";
  const std::size_t limit = record.size();
  cxm::reader_options o;
  o.max_line_bytes = limit;
  std::string text;
  int n = 0;
  const auto line = [&](std::string body, const char* sep) {
    text += body + sep;
    ++n;
  };
  const auto id = [&](std::string r, std::size_t pad) {
    r.replace(r.find("ID"), 2, "i" + std::to_string(n) + std::string(pad, 'x'));
    return r;
  };
  // At the limit: accepted with either separator, and without one at the end of the stream.
  line(id(record, 0).substr(0, limit), "\n");
  line(id(record, 0).substr(0, limit), "\r\n");
  line(std::string(limit, ' '), "\r\n");  // blank, at the limit
  line(std::string(limit + 1, ' '), "\n");  // blank, over it: too long like any line
  line(id(record, 1), "\r\n");              // one byte over
  line(id(record, 1), "\n");
  line(id(record, 0) + "\r\r", "\n");       // only the last '\r' belongs to the separator
  text += id(record, 0);                    // last line, no newline
  ++n;
  std::vector<std::string> verdicts;
  for (std::size_t chunk = 0; chunk <= limit + 3; ++chunk) {
    auto r = run(text, chunk, o);
    std::string v = std::to_string(r.stats.responses) + " " + std::to_string(r.stats.blank_lines) + ":";
    for (const auto& e : r.errors) v += " " + std::to_string(e.line) + cxm::name(e.code);
    verdicts.push_back(v);
    EXPECT_EQ(v, verdicts[0]) << "chunk " << chunk;
  }
  EXPECT_EQ(verdicts[0], "3 1: 4too_large 5too_large 6too_large 7too_large");
}

// A number outside double range rejects the line wherever it is, unknown fields included:
// such a line is JSON that not every reader can hold. The error names the field.
TEST(ResponseReader, ANonFiniteNumberRejectsTheLineWhereverItIs) {
  const std::string text = good("r1", R"({"nps":9},"x":1e309)") + "\n" + good("r2", R"({"nps":9},"x":[1e309])") + "\n" +
                           good("r3", R"({"nps":9},"x":{"y":-1e999})") + "\n" + good("r4") + "\n";
  auto r = run(text);
  EXPECT_EQ(r.stats.responses, 1u);
  ASSERT_EQ(r.errors.size(), 3u);
  for (const auto& e : r.errors) {
    EXPECT_EQ(e.code, errc::not_finite);
    EXPECT_EQ(e.path, "x");
  }
}

// Object and array answers used to reject their record ("an answer is a number, string, boolean,
// null or array"); now a record keeps them, and whether one fits its question is decided by
// scoring: the record counts, the answer is the question's problem. Segment values must still be
// strings, and nesting is still bounded.
TEST(ResponseReader, ObjectAndArrayAnswersAreKeptForScoringToJudge) {
  const std::string text = good("o1", R"({"q":{"deep":1}})") + "\n" + good("o2", R"({"q":[[1],{"a":[]}]})") + "\n" +
                           good("o3", R"({"q":{}})") + "\n" +
                           R"({"id":"s1","survey_id":"s","segment":{"age":{"x":1}},"answers":{}})" "\n" +
                           R"({"id":"s2","survey_id":"s","segment":{"age":["x"]},"answers":{}})" "\n" +
                           good("d1", R"({"q":)" + std::string(40, '[') + std::string(40, ']') + "}") + "\n";
  for (std::size_t chunk : {0u, 1u, 4u}) {
    auto r = run(text, chunk);
    ASSERT_EQ(r.sink.rows.size(), 3u) << chunk;
    EXPECT_EQ(r.sink.rows[0].answers.at(0).value.type, cxm::answer_type::object);
    EXPECT_EQ(r.sink.rows[1].answers.at(0).value.type, cxm::answer_type::array);
    EXPECT_EQ(r.sink.rows[1].answers.at(0).value.array_size, 2u);
    EXPECT_EQ(r.sink.rows[2].answers.at(0).value.type, cxm::answer_type::object);
    ASSERT_EQ(r.errors.size(), 3u) << chunk;
    EXPECT_EQ(r.errors[0].line, 4u);
    EXPECT_EQ(r.errors[0].code, errc::wrong_type);
    EXPECT_EQ(r.errors[0].path, "segment.age");
    EXPECT_EQ(r.errors[1].line, 5u);
    EXPECT_EQ(r.errors[1].code, errc::wrong_type);
    EXPECT_EQ(r.errors[1].path, "segment.age");
    EXPECT_EQ(r.errors[2].line, 6u);
    EXPECT_EQ(r.errors[2].code, errc::too_deep);
  }
}

// The widget records the survey's sample rate as the inclusion probability; weighting by 1/π
// needs it exactly as sent, and its absence told apart from any value.
TEST(ResponseReader, InclusionProbabilityIsReadWhenPresent) {
  struct probe final : cxm::response_sink {
    std::vector<double> seen;
    bool on_response(const cxm::response_view& r, std::vector<cxm::problem>&) override {
      seen.push_back(r.inclusion_probability);
      return true;
    }
  } sink;
  cxm::response_reader reader;
  reader.feed(R"({"id":"a","survey_id":"s","inclusion_probability":0.25,"answers":{}})" "\n"
              R"({"id":"b","survey_id":"s","inclusion_probability":1,"answers":{}})" "\n"
              R"({"id":"c","survey_id":"s","answers":{}})" "\n"
              R"({"id":"d","survey_id":"s","inclusion_probability":1e-9,"answers":{}})" "\n", sink);
  reader.finish(sink);
  ASSERT_EQ(reader.error_count(), 0u);
  ASSERT_EQ(sink.seen.size(), 4u);
  EXPECT_EQ(sink.seen[0], 0.25);
  EXPECT_EQ(sink.seen[1], 1.0);
  EXPECT_EQ(sink.seen[2], 0.0);
  EXPECT_EQ(sink.seen[3], 1e-9);
}
