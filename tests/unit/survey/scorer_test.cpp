// SPDX-License-Identifier: MIT
#include "cxm/survey/scorer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/survey/scoring.hpp"
#include "test_support.hpp"

using cxm::errc;

namespace {

// A tally's count of invalid answers for one reason (problems is parallel to answer_problems).
std::uint64_t problems_of(const cxm::question_tally& q, errc reason) {
  for (std::size_t i = 0; i < cxm::answer_problems.size(); ++i)
    if (cxm::answer_problems[i] == reason) return q.problems[i];
  ADD_FAILURE() << "not an answer problem: " << cxm::name(reason);
  return 0;
}

cxm::survey_scorer make_scorer() {
  cxm::survey_scorer s;
  EXPECT_TRUE(s.add_nps_question("nps").ok());
  EXPECT_TRUE(s.add_question("ces", cxm::question_type::ces, cxm::scale::ces7()).ok());
  EXPECT_TRUE(s.add_breakdown("channel").ok());
  EXPECT_TRUE(s.add_breakdown("segment.age").ok());
  return s;
}

void score_text(cxm::survey_scorer& s, cxm::response_reader& reader, const std::string& text) {
  reader.feed(text, s);
  reader.finish(s);
}

}  // namespace

TEST(SurveyScorer, ConfigurationIsValidated) {
  using qt = cxm::question_type;
  cxm::survey_scorer s;
  EXPECT_TRUE(s.add_nps_question("q").ok());
  EXPECT_EQ(s.add_nps_question("q").code(), errc::invalid_argument);
  EXPECT_EQ(s.add_question("q", qt::csat, cxm::scale::csat5()).code(), errc::invalid_argument);  // same id
  EXPECT_EQ(s.add_question("", qt::ces, cxm::scale::ces7()).code(), errc::invalid_argument);
  EXPECT_EQ(s.add_question("c", qt::ces, cxm::scale{1, 5, 9}).code(), errc::invalid_argument);  // an invalid scale
  // Each type on its own scales only.
  EXPECT_EQ(s.add_question("c", qt::ces, cxm::scale::nps()).code(), errc::invalid_argument);
  EXPECT_EQ(s.add_question("c", qt::ces, cxm::scale{1, 6, 4}).code(), errc::invalid_argument);
  EXPECT_EQ(s.add_question("c", qt::csat, cxm::scale::ces7()).code(), errc::invalid_argument);
  EXPECT_EQ(s.add_question("c", qt::nps, cxm::scale::ces7()).code(), errc::invalid_argument);
  // Only nps, ces and csat are scored on a scale.
  for (qt t : {qt::emotion, qt::choice, qt::text})
    EXPECT_EQ(s.add_question("c", t, cxm::scale::ces7()).code(), errc::invalid_argument) << cxm::name(t);
  EXPECT_TRUE(s.add_question("c7", qt::ces, cxm::scale::ces7()).ok());
  EXPECT_TRUE(s.add_question("c5", qt::ces, cxm::scale::ces5()).ok());
  EXPECT_TRUE(s.add_question("s", qt::csat, cxm::scale::csat5()).ok());
  EXPECT_TRUE(s.add_question("n2", qt::nps, cxm::scale::nps()).ok());
  EXPECT_EQ(s.add_breakdown("colour").code(), errc::invalid_argument);
  EXPECT_EQ(s.add_breakdown("segment.").code(), errc::invalid_argument);
  EXPECT_TRUE(s.add_breakdown("step").ok());
  EXPECT_TRUE(s.add_breakdown("journey_id").ok());
  EXPECT_EQ(s.add_breakdown("step").code(), errc::invalid_argument);
  // The totals are laid out as configured.
  ASSERT_EQ(s.totals().size(), 5u);
  EXPECT_EQ(s.totals()[0].id, "q");
  EXPECT_EQ(s.totals()[0].type, qt::nps);
  EXPECT_EQ(s.totals()[2].type, qt::ces);
  EXPECT_EQ(s.totals()[2].ratings.answer_scale(), cxm::scale::ces5());
  EXPECT_EQ(s.totals()[3].type, qt::csat);
  // No more configuration once responses were scored.
  cxm::response_reader reader;
  reader.feed(R"({"id":"1","survey_id":"s","answers":{"q":9}})", s);
  reader.finish(s);
  EXPECT_EQ(s.add_nps_question("late").code(), errc::invalid_argument);
  EXPECT_EQ(s.add_breakdown("channel").code(), errc::invalid_argument);
}

TEST(SurveyScorer, BadAnswersAreCountedOnTheirQuestionOthersInTheRecordCount) {
  auto s = make_scorer();
  cxm::response_reader reader;
  score_text(s, reader,
             R"({"id":"1","survey_id":"s","channel":"app","answers":{"nps":11,"ces":6}})" "\n"
             R"({"id":"2","survey_id":"s","channel":"app","answers":{"nps":"9","ces":0}})" "\n"
             R"({"id":"3","survey_id":"s","channel":"web","answers":{"nps":9.5,"ces":true}})" "\n"
             R"({"id":"4","survey_id":"s","channel":"web","answers":{"nps":null}})" "\n"
             R"({"id":"5","survey_id":"s","answers":{"nps":10,"ces":7}})" "\n"
             R"({"id":"6","survey_id":"s","answers":{"comment":"only text"}})");
  const auto* nps = s.find("nps");
  const auto* ces = s.find("ces");
  ASSERT_NE(nps, nullptr);
  ASSERT_NE(ces, nullptr);
  EXPECT_EQ(s.responses(), 6u);
  // Every configured question is shown in every record; a bad answer is counted as invalid on
  // its question by reason (no longer as a rejection inside its nps_tally / scale_tally).
  EXPECT_EQ(nps->shown, 6u);
  EXPECT_EQ(nps->answered, 1u);
  EXPECT_EQ(nps->nps.total(), 1u);
  EXPECT_EQ(nps->nps.rejected_total(), 0u);
  EXPECT_EQ(nps->invalid, 4u);
  EXPECT_EQ(problems_of(*nps, errc::out_of_range), 1u);
  EXPECT_EQ(problems_of(*nps, errc::wrong_type), 2u);
  EXPECT_EQ(problems_of(*nps, errc::not_integer), 1u);
  EXPECT_EQ(nps->skipped(), 1u);  // was `unanswered`
  EXPECT_EQ(ces->shown, 6u);
  EXPECT_EQ(ces->answered, 2u);
  EXPECT_EQ(ces->ratings.total(), 2u);  // 6 (next to a bad NPS) and 7
  EXPECT_EQ(ces->ratings.rejected_total(), 0u);
  EXPECT_EQ(ces->invalid, 2u);
  EXPECT_EQ(problems_of(*ces, errc::out_of_range), 1u);
  EXPECT_EQ(problems_of(*ces, errc::wrong_type), 1u);
  EXPECT_EQ(ces->skipped(), 2u);
  EXPECT_EQ(reader.stats().answer_errors, 6u);
  // Reported with the path of the answer, the line, and score_answer's reason.
  const std::vector<cxm::problem> expected = {
      {errc::out_of_range, "answers.nps", "expected an integer 0-10, got 11", 1},
      {errc::wrong_type, "answers.nps", "expected an integer 0-10, got a string", 2},
      {errc::out_of_range, "answers.ces", "expected an integer 1-7, got 0", 2},
      {errc::not_integer, "answers.nps", "expected an integer 0-10, got 9.5", 3},
      {errc::wrong_type, "answers.ces", "expected an integer 1-7, got a boolean", 3},
      {errc::wrong_type, "answers.nps", "expected an integer 0-10, got null", 4},
  };
  EXPECT_EQ(reader.errors(), expected);
  const auto& channel = s.breakdowns()[0];
  ASSERT_EQ(channel.groups.size(), 2u);
  EXPECT_EQ(channel.groups[0].value, "app");
  EXPECT_EQ(channel.groups[0].responses, 2u);
  EXPECT_EQ(channel.groups[0].questions[1].ratings.total(), 1u);
  EXPECT_EQ(channel.groups[0].questions[1].invalid, 1u);  // ces 0
  EXPECT_EQ(channel.groups[0].questions[0].invalid, 2u);  // nps 11 and "9"
  EXPECT_EQ(channel.groups[1].value, "web");
  EXPECT_EQ(channel.groups[1].questions[1].skipped(), 1u);  // record 4 has no ces
}

// The same bad answer gets the same code on every path: score_answer (survey validation), the
// scorer reading records, and the tallies' own add(double), all through classify_answer.
TEST(SurveyScorer, ABadAnswerHasTheSameCodeOnEveryPath) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct row {
    double answer;
    const char* json;  // the same answer in a record (nullptr: JSON cannot carry it)
    errc nps;          // as an NPS answer (0-10)
    errc ces;          // as a CES answer (1-7)
  };
  const row rows[] = {
      {9, "9", errc::ok, errc::out_of_range},
      {11, "11", errc::out_of_range, errc::out_of_range},
      {-1, "-1", errc::out_of_range, errc::out_of_range},
      {0, "0", errc::ok, errc::out_of_range},
      {9.5, "9.5", errc::not_integer, errc::not_integer},
      {11.5, "11.5", errc::not_integer, errc::not_integer},  // a fraction first, then the range
      {-0.5, "-0.5", errc::not_integer, errc::not_integer},
      {1e12, "1e12", errc::out_of_range, errc::out_of_range},
      {1e300, "1e300", errc::out_of_range, errc::out_of_range},
      {nan, nullptr, errc::not_finite, errc::not_finite},
      {inf, nullptr, errc::not_finite, errc::not_finite},
      {-inf, nullptr, errc::not_finite, errc::not_finite},
  };
  cxm::survey_question nps_q;
  nps_q.id = "nps";
  nps_q.type = cxm::question_type::nps;
  nps_q.scale = cxm::scale::nps();
  cxm::survey_question ces_q;
  ces_q.id = "ces";
  ces_q.type = cxm::question_type::ces;
  ces_q.scale = cxm::scale::ces7();
  for (const row& x : rows) {
    SCOPED_TRACE(x.json != nullptr ? x.json : "non-finite");
    // 1. The one rule.
    EXPECT_EQ(cxm::classify_answer(x.answer, cxm::scale::nps()), x.nps);
    EXPECT_EQ(cxm::classify_answer(x.answer, cxm::scale::ces7()), x.ces);
    // 2. score_answer.
    cxm::answer_value v;
    v.type = cxm::answer_type::number;
    v.number = x.answer;
    cxm::scored_answer out;
    EXPECT_EQ(cxm::score_answer(nps_q, v, out), x.nps);
    EXPECT_EQ(cxm::score_answer(ces_q, v, out), x.ces);
    // 3. The tallies' add(double).
    cxm::nps_tally n;
    EXPECT_EQ(n.add(x.answer).code(), x.nps);
    if (x.nps != errc::ok) {
      EXPECT_EQ(n.rejected(x.nps), 1u);
    }
    auto c = cxm::scale_tally::make(cxm::scale::ces7()).value();
    EXPECT_EQ(c.add(x.answer).code(), x.ces);
    if (x.ces != errc::ok) {
      EXPECT_EQ(c.rejected(x.ces), 1u);
    }
    // 4. The scorer, from a record.
    if (x.json == nullptr) continue;
    auto s = make_scorer();
    cxm::response_reader reader;
    score_text(s, reader, std::string(R"({"id":"1","survey_id":"s","answers":{"nps":)") + x.json + R"(,"ces":)" + x.json + "}}");
    ASSERT_EQ(s.responses(), 1u);
    const cxm::question_tally* tallies[] = {s.find("nps"), s.find("ces")};
    const errc codes[] = {x.nps, x.ces};
    std::size_t reported = 0;
    for (int k = 0; k < 2; ++k) {
      const cxm::question_tally& q = *tallies[k];
      EXPECT_EQ(q.answered, codes[k] == errc::ok ? 1u : 0u) << q.id;
      EXPECT_EQ(q.invalid, codes[k] == errc::ok ? 0u : 1u) << q.id;
      if (codes[k] == errc::ok) continue;
      EXPECT_EQ(problems_of(q, codes[k]), 1u) << q.id;
      ASSERT_LT(reported, reader.errors().size());
      EXPECT_EQ(reader.errors()[reported].code, codes[k]) << q.id;
      EXPECT_EQ(reader.errors()[reported].path, "answers." + q.id);
      // The reason is score_answer's.
      std::string reason;
      (void)cxm::score_answer(k == 0 ? nps_q : ces_q, v, out, &reason);
      EXPECT_EQ(reader.errors()[reported].reason, reason);
      ++reported;
    }
    EXPECT_EQ(reader.errors().size(), reported);
  }
}

TEST(SurveyScorer, MergeEqualsScoringEverythingInOne) {
  const std::string text = cxm_test::read_file(std::string(CXM_EXAMPLES_DATA_DIR) + "/responses.jsonl");
  ASSERT_GT(text.size(), 1000u);
  const std::size_t cut = text.find('\n', text.size() / 3) + 1;
  auto whole = make_scorer(), first = make_scorer(), second = make_scorer();
  cxm::response_reader r0, r1, r2;
  score_text(whole, r0, text);
  score_text(first, r1, text.substr(0, cut));
  score_text(second, r2, text.substr(cut));
  ASSERT_TRUE(second.merge(first).ok());  // the other order: groups appear in another order
  EXPECT_EQ(second.responses(), whole.responses());
  for (std::size_t q = 0; q < whole.totals().size(); ++q) {
    EXPECT_EQ(second.totals()[q].nps, whole.totals()[q].nps);
    EXPECT_EQ(second.totals()[q].ratings, whole.totals()[q].ratings);
    EXPECT_EQ(second.totals()[q].skipped(), whole.totals()[q].skipped());
    EXPECT_EQ(second.totals()[q], whole.totals()[q]);  // shown, answered, invalid and problems too
  }
  for (std::size_t b = 0; b < whole.breakdowns().size(); ++b) {
    ASSERT_EQ(second.breakdowns()[b].groups.size(), whole.breakdowns()[b].groups.size());
    for (const auto& g : whole.breakdowns()[b].groups) {
      bool found = false;
      for (const auto& h : second.breakdowns()[b].groups) {
        if (h.value != g.value) continue;
        found = true;
        EXPECT_EQ(h.responses, g.responses);
        EXPECT_EQ(h.questions[0].nps, g.questions[0].nps) << g.value;
        EXPECT_EQ(h.questions[1].ratings, g.questions[1].ratings) << g.value;
        EXPECT_EQ(h.questions, g.questions) << g.value;
      }
      EXPECT_TRUE(found) << g.value;
    }
  }
  cxm::survey_scorer other;
  ASSERT_TRUE(other.add_nps_question("nps").ok());
  EXPECT_EQ(whole.merge(other).code(), errc::incompatible);
  // Same ids and types, another CES scale: incompatible too.
  cxm::survey_scorer ces5;
  ASSERT_TRUE(ces5.add_nps_question("nps").ok());
  ASSERT_TRUE(ces5.add_question("ces", cxm::question_type::ces, cxm::scale::ces5()).ok());
  ASSERT_TRUE(ces5.add_breakdown("channel").ok());
  ASSERT_TRUE(ces5.add_breakdown("segment.age").ok());
  EXPECT_EQ(whole.merge(ces5).code(), errc::incompatible);
}

TEST(SurveyScorer, GroupsAreBounded) {
  cxm::survey_scorer s;
  ASSERT_TRUE(s.add_nps_question("nps").ok());
  ASSERT_TRUE(s.add_breakdown("channel").ok());
  cxm::response_reader reader;
  std::string text;
  for (int i = 0; i < 300; ++i)
    text += R"({"id":")" + std::to_string(i) + R"(","survey_id":"s","channel":"c)" + std::to_string(i) +
            R"(","answers":{"nps":9}})" "\n";
  score_text(s, reader, text);
  EXPECT_EQ(s.breakdowns()[0].groups.size(), cxm::survey_scorer::max_groups);
  EXPECT_EQ(s.breakdowns()[0].overflow, 300u - cxm::survey_scorer::max_groups);
  EXPECT_EQ(s.find("nps")->nps.total(), 300u);
}

TEST(SurveyScorer, AnIdHintServesOnlyTheBytesItWasGivenFor) {
  // on_id lets the scorer prefetch while the reader parses; a stale hint (a hinted record the
  // reader rejected, a caller that never hints) must never lend its hash to another id.
  cxm::survey_scorer s;
  ASSERT_TRUE(s.add_nps_question("nps").ok());
  cxm::answer a{"nps", {}};
  a.value.type = cxm::answer_type::number;
  a.value.number = 9;
  cxm::response_view r;
  r.survey_id = "s";
  r.answers = cxm::answers_view(&a, 1);
  std::vector<cxm::problem> problems;
  std::string id = "abc";
  s.on_id(id);        // hinted, then rejected by the reader: no on_response
  id = "abd";         // the next record's id, same size, same buffer
  r.id = id;
  EXPECT_TRUE(s.on_response(r, problems));
  id = "abc";
  EXPECT_TRUE(s.on_response(r, problems));  // never counted: the stale hint was not its own
  s.on_id("abd");                            // a hint for another id than the record's
  EXPECT_FALSE(s.on_response(r, problems));  // "abc" again: refused
  EXPECT_EQ(s.duplicates(), 1u);
  r.id = "abd";
  s.on_id("abd");
  EXPECT_FALSE(s.on_response(r, problems));
  EXPECT_EQ(s.duplicates(), 2u);
  EXPECT_EQ(s.responses(), 2u);
}

TEST(SurveyScorer, CopiesAndMergesFindGroupsByValue) {
  // Groups are looked up by value in an interned table: a copy must keep finding its groups,
  // and a merge must match groups by value whatever order either side made them in.
  const auto line = [](int id, const char* channel, int nps) {
    return R"({"id":")" + std::to_string(id) + R"(","survey_id":"s","channel":")" + channel +
           R"(","answers":{"nps":)" + std::to_string(nps) + "}}\n";
  };
  cxm::survey_scorer a;
  ASSERT_TRUE(a.add_nps_question("nps").ok());
  ASSERT_TRUE(a.add_breakdown("channel").ok());
  cxm::survey_scorer b = a;
  cxm::response_reader ra, rb;
  score_text(a, ra, line(1, "app", 10) + line(2, "a-channel-name-longer-than-seven", 0));
  score_text(b, rb, line(3, "a-channel-name-longer-than-seven", 10) + line(4, "web", 9) + line(5, "app", 0));
  cxm::survey_scorer copy = a;
  cxm::response_reader rc;
  score_text(copy, rc, line(6, "app", 9));
  ASSERT_EQ(copy.breakdowns()[0].groups.size(), 2u);
  EXPECT_EQ(copy.breakdowns()[0].groups[0].value, "app");
  EXPECT_EQ(copy.breakdowns()[0].groups[0].responses, 2u);
  EXPECT_EQ(a.breakdowns()[0].groups[0].responses, 1u);  // the copy is its own
  ASSERT_TRUE(a.merge(b).ok());
  const auto& groups = a.breakdowns()[0].groups;
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].value, "app");
  EXPECT_EQ(groups[0].questions[0].nps.total(), 2u);
  EXPECT_EQ(groups[1].value, "a-channel-name-longer-than-seven");
  EXPECT_EQ(groups[1].questions[0].nps.total(), 2u);
  EXPECT_EQ(groups[2].value, "web");
  // After the merge, new responses still land in the groups the merge made.
  score_text(a, ra, line(7, "web", 10));
  EXPECT_EQ(a.breakdowns()[0].groups[2].responses, 2u);
}

namespace {

std::string response_line(const std::string& id, int nps, const std::string& channel = "app") {
  return R"({"id":")" + id + R"(","survey_id":"s","channel":")" + channel + R"(","answers":{"nps":)" +
         std::to_string(nps) + "}}\n";
}

}  // namespace

// The same responses delivered again, in another call or through another reader (a second
// file), change nothing: the scorer counts each id once and says which records it refused.
TEST(SurveyScorer, CountsEachResponseIdOnceAcrossCallsAndReaders) {
  auto s = make_scorer();
  const std::string batch = response_line("a", 10) + response_line("b", 0, "web");
  cxm::response_reader first, second;
  score_text(s, first, batch);
  const cxm::question_tally once = s.totals()[0];
  first.feed(batch, s);  // the same reader again (a retried delivery)
  first.finish(s);
  score_text(s, second, batch + response_line("c", 9));  // another reader: another file
  EXPECT_EQ(s.responses(), 3u);
  EXPECT_EQ(s.duplicates(), 4u);
  EXPECT_EQ(s.totals()[0].nps.promoters(), 2u);
  EXPECT_EQ(s.totals()[0].nps.detractors(), once.nps.detractors());
  EXPECT_EQ(s.breakdowns()[0].groups[1].responses, 1u);  // "web" once
  EXPECT_EQ(first.stats().rejected_lines, 2u);
  EXPECT_EQ(first.stats().duplicate_ids, 2u);
  ASSERT_EQ(second.errors().size(), 2u);
  EXPECT_EQ(second.errors()[0].code, errc::duplicate_id);
  EXPECT_EQ(second.errors()[0].path, "id");
  EXPECT_EQ(second.errors()[0].line, 1u);
  EXPECT_NE(second.errors()[0].reason.find("\"a\""), std::string::npos);
}

TEST(SurveyScorer, BundledBadFileCountsARepeatedIdOnce) {
  // examples/data/bad_responses.jsonl line 17 repeats line 1's id (examples/data/README.md).
  auto s = make_scorer();
  cxm::response_reader reader;
  ASSERT_TRUE(cxm_test::feed_file(reader, std::string(CXM_EXAMPLES_DATA_DIR) + "/bad_responses.jsonl", s));
  EXPECT_EQ(reader.stats().rejected_lines, 6u);  // lines 11-14, 16 and 17
  EXPECT_EQ(reader.errors().back().line, 17u);
  EXPECT_EQ(reader.errors().back().code, errc::duplicate_id);
  EXPECT_EQ(s.duplicates(), 1u);
  EXPECT_EQ(reader.stats().duplicate_ids, 1u);
}

TEST(SurveyScorer, DedupeIsExactOverManyIds) {
  // 100,000 distinct ids (including ids that differ only past byte 8) all count; repeats do not.
  cxm::survey_scorer s;
  ASSERT_TRUE(s.add_nps_question("nps").ok());
  std::string text;
  for (int i = 0; i < 100000; ++i) text += response_line("response-id-" + std::to_string(i), 9);
  for (int i = 0; i < 100000; i += 997) text += response_line("response-id-" + std::to_string(i), 9);
  cxm::response_reader reader;
  score_text(s, reader, text);
  EXPECT_EQ(s.responses(), 100000u);
  EXPECT_EQ(s.duplicates(), 101u);
  EXPECT_EQ(reader.stats().duplicate_ids, 101u);
}

// Merging scorers that both counted a response would count it twice: refused, nothing changes.
// Disjoint scorers merge, and the merged scorer knows both sets of ids.
TEST(SurveyScorer, MergeRefusesScorersThatCountedTheSameResponse) {
  auto a = make_scorer(), b = make_scorer(), c = make_scorer();
  cxm::response_reader ra, rb, rc;
  score_text(a, ra, response_line("a", 10) + response_line("shared", 0));
  score_text(b, rb, response_line("b", 10) + response_line("shared", 0));
  score_text(c, rc, response_line("c", 7));
  const cxm::survey_scorer before = a;
  EXPECT_EQ(a.merge(b).code(), errc::duplicate_id);
  EXPECT_EQ(a.responses(), before.responses());
  EXPECT_EQ(a.totals(), before.totals());
  ASSERT_TRUE(a.merge(c).ok());
  EXPECT_EQ(a.responses(), 3u);
  cxm::response_reader again;
  score_text(a, again, response_line("c", 7) + response_line("d", 7));
  EXPECT_EQ(a.responses(), 4u);  // "c" came with the merge
  EXPECT_EQ(a.duplicates(), 1u);
  // The copy kept its own ids: "shared" is refused there too.
  cxm::survey_scorer copy = before;
  cxm::response_reader rcopy;
  score_text(copy, rcopy, response_line("shared", 0));
  EXPECT_EQ(copy.responses(), 2u);
}

TEST(SurveyScorer, CountingIdsOnceCanBeTurnedOff) {
  cxm::scorer_options o;
  o.count_ids_once = false;
  cxm::survey_scorer s(o);
  ASSERT_TRUE(s.add_nps_question("nps").ok());
  cxm::response_reader reader;
  score_text(s, reader, response_line("a", 10) + response_line("a", 10));
  EXPECT_EQ(s.responses(), 2u);
  EXPECT_EQ(s.duplicates(), 0u);
  cxm::survey_scorer counting;
  ASSERT_TRUE(counting.add_nps_question("nps").ok());
  EXPECT_EQ(counting.merge(s).code(), errc::incompatible);  // one would count repeats, one not
}

TEST(SurveyScorer, WidestNpsGapComparesTheBestAndTheWorstGroup) {
  auto s = make_scorer();  // nps, ces; by channel, segment.age
  std::string text;
  int id = 0;
  const auto add = [&](const std::string& channel, int nps, int n) {
    for (int i = 0; i < n; ++i) text += response_line(std::to_string(id++), nps, channel);
  };
  add("app", 10, 30), add("app", 3, 10);    // NPS +50
  add("web", 10, 20), add("web", 3, 20);    // NPS 0
  add("phone", 10, 10), add("phone", 3, 30);  // NPS -50
  cxm::response_reader reader;
  score_text(s, reader, text);
  const cxm::score_breakdown& channel = s.breakdowns()[0];
  auto gap = cxm::widest_nps_gap(channel, 0, 0.95, cxm::interval_method::adjusted_wald);
  ASSERT_TRUE(gap.ok()) << gap.detail();
  EXPECT_EQ(channel.groups[gap->best].value, "app");
  EXPECT_EQ(channel.groups[gap->worst].value, "phone");
  EXPECT_EQ(gap->compared, 3u);
  auto direct = cxm::compare(channel.groups[gap->worst].questions[0].nps, channel.groups[gap->best].questions[0].nps);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(gap->difference.difference, direct->difference);
  EXPECT_LT(gap->difference.difference, 0.0);
  EXPECT_EQ(gap->difference.p_value, direct->p_value);
  EXPECT_DOUBLE_EQ(gap->adjusted_p_value, std::fmin(1.0, 3 * direct->p_value));  // 3 pairs
  // The score method has no difference interval: adjusted Wald stands in, and says so.
  auto by_score = cxm::widest_nps_gap(channel, 0, 0.95, cxm::interval_method::score);
  ASSERT_TRUE(by_score.ok());
  EXPECT_EQ(by_score->difference.method, cxm::interval_method::adjusted_wald);
  EXPECT_EQ(cxm::widest_nps_gap(channel, 1).code(), errc::invalid_argument);  // ces
  EXPECT_EQ(cxm::widest_nps_gap(channel, 7).code(), errc::invalid_argument);
  EXPECT_EQ(cxm::widest_nps_gap(channel, 0, 1.5).code(), errc::invalid_argument);
  EXPECT_EQ(cxm::widest_nps_gap(s.breakdowns()[1], 0).code(), errc::empty);  // no segment.age
}
