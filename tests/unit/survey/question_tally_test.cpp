// SPDX-License-Identifier: MIT
// The per-question tally (cxm/survey/question_tally.hpp): its layout after a question, the
// counts add_shown/add_invalid keep (shown = answered + invalid + skipped), problems by reason,
// merge (laws, layout, count limit), and its JSON form inside a survey tally.
#include "cxm/survey/question_tally.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "cxm/survey/tally.hpp"
#include "survey/survey_test_support.hpp"

using cxm::errc;
using cxm::question_tally;
using cxm::question_type;

namespace {

cxm::survey conditions() {
  auto s = cxm::survey::parse(cxm_test::test_data("surveys/conditions.json"));
  EXPECT_TRUE(s.ok()) << s.detail();
  return std::move(s).value();
}

std::size_t slot(errc reason) {
  for (std::size_t i = 0; i < cxm::answer_problems.size(); ++i)
    if (cxm::answer_problems[i] == reason) return i;
  ADD_FAILURE() << cxm::name(reason);
  return 0;
}

// Scores `answer` (JSON) against question `id` of `s` as score_answer does; fills `out`.
errc judge(const cxm::survey& s, const std::string& id, const std::string& answer, cxm::scored_answer& out) {
  auto a = cxm::answers::from_json("{\"x\":" + answer + "}");
  EXPECT_TRUE(a.ok()) << a.detail();
  return cxm::score_answer(s.questions()[s.find(id)], *a->find("x"), out);
}

// A tally of question `id` over seeded random answers: skipped, valid and invalid ones.
question_tally random_tally(const cxm::survey& s, const std::string& id, std::uint32_t seed) {
  static const std::vector<std::string> pool = {
      "0", "3", "5", "7", "9", "10", "11", "9.5", "-1", "\"9\"", "null", "true", "{}", "[1]",
      "\"web\"", "\"happy\"", "\"angry\"", "\"fax\"", "[\"web\"]", "[\"web\",\"phone\"]", "[\"web\",\"web\"]",
      "[\"app\",\"branch\",\"phone\"]", "\"short\"", "\"long\"", "\"x\"", "\"12345678901234567890123\""};
  std::mt19937 rng(seed);
  question_tally t = question_tally::of(s.questions()[s.find(id)]);
  const std::size_t n = rng() % 80;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = rng() % (pool.size() + 3);
    if (k >= pool.size()) {
      t.add_shown(nullptr);
      continue;
    }
    cxm::scored_answer out;
    const errc e = judge(s, id, pool[k], out);
    if (e == errc::ok) t.add_shown(&out);
    else t.add_invalid(e);
  }
  return t;
}

question_tally merged(question_tally a, const question_tally& b) {
  EXPECT_TRUE(a.merge(b).ok());
  return a;
}

}  // namespace

TEST(QuestionTally, IsLaidOutAfterItsQuestion) {
  const cxm::survey s = conditions();
  for (const cxm::survey_question& q : s.questions()) {
    const question_tally t = question_tally::of(q);
    EXPECT_EQ(t.id, q.id);
    EXPECT_EQ(t.type, q.type);
    EXPECT_EQ(t.shown + t.answered + t.invalid + t.skipped(), 0u);
    if (q.type == question_type::ces || q.type == question_type::csat) {
      EXPECT_EQ(t.ratings.answer_scale(), q.scale) << q.id;
    }
    if (cxm::has_choices(q.type)) {
      EXPECT_EQ(t.choices.choices(), q.choices) << q.id;
      EXPECT_EQ(t.choices.multiple(), q.multiple) << q.id;
    } else {
      EXPECT_TRUE(t.choices.choices().empty()) << q.id;
    }
    EXPECT_TRUE(t.same_layout(question_tally::of(q)));
    EXPECT_EQ(t, question_tally::of(q));
  }
  const question_tally ces = question_tally::of(s.questions()[s.find("ces")]);
  const question_tally ces5 = question_tally::of(s.questions()[s.find("ces5")]);
  EXPECT_EQ(ces5.ratings.answer_scale(), cxm::scale::ces5());
  EXPECT_FALSE(ces.same_layout(ces5));  // other id and other scale
}

TEST(QuestionTally, CountsShownAnsweredInvalidAndSkipped) {
  const cxm::survey s = conditions();
  question_tally t = question_tally::of(s.questions()[s.find("nps")]);
  cxm::scored_answer a;
  ASSERT_EQ(judge(s, "nps", "9", a), errc::ok);
  t.add_shown(&a);
  ASSERT_EQ(judge(s, "nps", "3", a), errc::ok);
  t.add_shown(&a);
  t.add_shown(nullptr);  // shown, not answered
  t.add_invalid(errc::out_of_range);
  t.add_invalid(errc::out_of_range);
  t.add_invalid(errc::wrong_type);
  EXPECT_EQ(t.shown, 6u);
  EXPECT_EQ(t.answered, 2u);
  EXPECT_EQ(t.invalid, 3u);
  EXPECT_EQ(t.skipped(), 1u);
  EXPECT_EQ(t.problems[slot(errc::out_of_range)], 2u);
  EXPECT_EQ(t.problems[slot(errc::wrong_type)], 1u);
  EXPECT_EQ(t.problems[slot(errc::not_integer)], 0u);
  // Statistics are over the valid answers only; invalid ones are not rejections of the tally.
  EXPECT_EQ(t.nps.total(), 2u);
  EXPECT_EQ(t.nps.promoters(), 1u);
  EXPECT_EQ(t.nps.detractors(), 1u);
  EXPECT_EQ(t.nps.rejected_total(), 0u);
  // A code that is not an answer problem is counted as invalid_argument.
  t.add_invalid(errc::parse_error);
  EXPECT_EQ(t.invalid, 4u);
  EXPECT_EQ(t.problems[slot(errc::invalid_argument)], 1u);
  std::uint64_t sum = 0;
  for (std::uint64_t p : t.problems) sum += p;
  EXPECT_EQ(sum, t.invalid);

  // Each type folds its answer where it belongs.
  question_tally ces = question_tally::of(s.questions()[s.find("ces")]);
  ASSERT_EQ(judge(s, "ces", "6", a), errc::ok);
  ces.add_shown(&a);
  EXPECT_EQ(ces.ratings.count(6), 1u);
  question_tally channels = question_tally::of(s.questions()[s.find("channels")]);
  ASSERT_EQ(judge(s, "channels", R"(["phone","web"])", a), errc::ok);
  channels.add_shown(&a);
  EXPECT_EQ(channels.answered, 1u);
  EXPECT_EQ(channels.choices.answers(), 1u);
  EXPECT_EQ(channels.choices.counts()[channels.choices.index_of("phone")], 1u);
  EXPECT_EQ(channels.choices.counts()[channels.choices.index_of("web")], 1u);
  question_tally feeling = question_tally::of(s.questions()[s.find("feeling")]);
  ASSERT_EQ(judge(s, "feeling", R"("angry")", a), errc::ok);
  feeling.add_shown(&a);
  EXPECT_DOUBLE_EQ(feeling.choices.share(feeling.choices.index_of("angry")), 1.0);
}

TEST(QuestionTally, EveryReasonScoringGivesHasASlot) {
  const cxm::survey s = conditions();
  // One answer per reason score_answer can give, on the question that gives it.
  const std::pair<const char*, const char*> cases[] = {
      {"nps", "11"}, {"nps", "9.5"}, {"nps", "\"9\""}, {"channels", R"(["web","web"])"},
      {"why_low", "\"123456789012345678901\""}, {"channels", R"(["fax"])"}};
  for (const auto& [id, answer] : cases) {
    cxm::scored_answer out;
    const errc e = judge(s, id, answer, out);
    ASSERT_NE(e, errc::ok) << id << " " << answer;
    question_tally t = question_tally::of(s.questions()[s.find(id)]);
    t.add_invalid(e);
    EXPECT_EQ(t.problems[slot(e)], 1u) << cxm::name(e);
  }
}

TEST(QuestionTally, MergeIsACommutativeMonoidOfTheSameLayout) {
  const cxm::survey s = conditions();
  for (const cxm::survey_question& q : s.questions()) {
    const question_tally empty = question_tally::of(q);
    for (std::uint32_t seed = 1; seed <= 30; ++seed) {
      const question_tally a = random_tally(s, q.id, seed), b = random_tally(s, q.id, seed + 100),
                           c = random_tally(s, q.id, seed + 200);
      EXPECT_EQ(a.shown, a.answered + a.invalid + a.skipped());
      EXPECT_EQ(merged(merged(a, b), c), merged(a, merged(b, c))) << q.id << " " << seed;
      EXPECT_EQ(merged(a, b), merged(b, a)) << q.id << " " << seed;
      EXPECT_EQ(merged(a, empty), a) << q.id << " " << seed;
      const question_tally ab = merged(a, b);
      EXPECT_EQ(ab.shown, a.shown + b.shown);
      EXPECT_EQ(ab.invalid, a.invalid + b.invalid);
      EXPECT_EQ(ab.skipped(), a.skipped() + b.skipped());
      for (std::size_t k = 0; k < ab.problems.size(); ++k) EXPECT_EQ(ab.problems[k], a.problems[k] + b.problems[k]);
    }
  }
  // Different layouts: no change.
  question_tally nps = random_tally(s, "nps", 5);
  const question_tally before = nps;
  EXPECT_EQ(nps.merge(random_tally(s, "ces", 5)).code(), errc::incompatible);
  question_tally renamed = question_tally::of(s.questions()[s.find("nps")]);
  renamed.id = "other";
  EXPECT_FALSE(nps.same_layout(renamed));
  EXPECT_EQ(nps.merge(renamed).code(), errc::incompatible);
  EXPECT_EQ(nps.merge(random_tally(s, "ces", 6)).code(), errc::incompatible);
  question_tally ces = random_tally(s, "ces", 7);
  question_tally ces5_layout = question_tally::of(s.questions()[s.find("ces5")]);
  ces5_layout.id = "ces";  // same id and type, another scale
  EXPECT_EQ(ces.merge(ces5_layout).code(), errc::incompatible);
  EXPECT_EQ(nps, before);
}

TEST(QuestionTally, MergeRefusesToPassTheCountLimit) {
  const cxm::survey s = conditions();
  question_tally a = question_tally::of(s.questions()[s.find("why_low")]);  // text: counts only
  a.shown = cxm::max_count / 2 + 1;
  const question_tally before = a;
  EXPECT_EQ(a.merge(before).code(), errc::out_of_range);
  EXPECT_EQ(a, before);
  a.shown = cxm::max_count / 2;
  const question_tally half = a;
  ASSERT_TRUE(a.merge(half).ok());
  EXPECT_EQ(a.shown, cxm::max_count);
}

// The JSON form of a question tally, through the survey tally that holds it (the public encoder):
// random tallies round-trip, and every question object has the shared form.
TEST(QuestionTally, JsonRoundTripsThroughSurveyTallies) {
  const cxm::survey s = conditions();
  std::mt19937 rng(11);
  cxm::survey_tally t(s);
  static const char* const answers[] = {
      R"({"nps":3,"why_low":"slow","ces":2,"ces_hard":"forms","channels":["phone","web"],"wait":"long"})",
      R"({"nps":9,"csat":5,"praise":"nice","feeling":"happy","mood":"happy"})",
      R"({"nps":7,"why_mid":"","ces5":4})",
      R"({"nps":10})",
      R"({"nps":11})",  // rejected whole
  };
  for (int i = 0; i < 200; ++i) {
    auto a = cxm::answers::from_json(answers[rng() % 5]);
    ASSERT_TRUE(a.ok());
    (void)t.add(s, *a);
    auto back = cxm::survey_tally::from_json(t.to_json());
    ASSERT_TRUE(back.ok()) << back.detail();
    ASSERT_EQ(back.value(), t);
    for (std::size_t q = 0; q < t.questions().size(); ++q) {
      EXPECT_EQ(back->questions()[q], t.questions()[q]);
      EXPECT_EQ(back->questions()[q].skipped(), t.questions()[q].skipped());
    }
  }
  EXPECT_GT(t.rejected(), 0u);
  // Each question object: id, type, the layout, shown, answered, invalid, and counts.
  namespace json = boost::json;
  const json::value doc = json::parse(t.to_json());
  for (const json::value& q : doc.at("questions").as_array()) {
    const json::object& o = q.as_object();
    std::string keys;
    for (const auto& kv : o) keys += std::string(kv.key()) + ",";
    const std::string type(o.at("type").as_string());
    const char* expected = type == "nps"                     ? "id,type,shown,answered,invalid,counts,"
                           : type == "ces" || type == "csat" ? "id,type,scale,shown,answered,invalid,counts,"
                           : type == "emotion"               ? "id,type,choices,shown,answered,invalid,counts,"
                           : type == "choice"                ? "id,type,multiple,choices,shown,answered,invalid,counts,"
                                                             : "id,type,shown,answered,invalid,";
    EXPECT_EQ(keys, expected) << type;
    EXPECT_EQ(o.at("invalid").as_int64(), 0);
  }
}
