// SPDX-License-Identifier: MIT
#include "cxm/survey/scorer.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"

using cxm::errc;

namespace {

cxm::survey_scorer make_scorer() {
  cxm::survey_scorer s;
  EXPECT_TRUE(s.add_nps_question("nps").ok());
  EXPECT_TRUE(s.add_scale_question("ces", cxm::scale::ces7()).ok());
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
  cxm::survey_scorer s;
  EXPECT_TRUE(s.add_nps_question("q").ok());
  EXPECT_EQ(s.add_nps_question("q").code(), errc::invalid_argument);
  EXPECT_EQ(s.add_scale_question("", cxm::scale::ces7()).code(), errc::invalid_argument);
  EXPECT_EQ(s.add_scale_question("c", cxm::scale{1, 5, 9}).code(), errc::invalid_argument);
  EXPECT_EQ(s.add_breakdown("colour").code(), errc::invalid_argument);
  EXPECT_EQ(s.add_breakdown("segment.").code(), errc::invalid_argument);
  EXPECT_TRUE(s.add_breakdown("step").ok());
}

TEST(SurveyScorer, BadAnswersAreRejectedOthersInTheRecordCount) {
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
  EXPECT_EQ(nps->nps.total(), 1u);
  EXPECT_EQ(nps->nps.rejected(errc::out_of_range), 1u);
  EXPECT_EQ(nps->nps.rejected(errc::wrong_type), 2u);
  EXPECT_EQ(nps->nps.rejected(errc::not_integer), 1u);
  EXPECT_EQ(nps->unanswered, 1u);
  EXPECT_EQ(ces->ratings.total(), 2u);  // 6 (next to a bad NPS) and 7
  EXPECT_EQ(ces->ratings.rejected(errc::out_of_range), 1u);
  EXPECT_EQ(ces->ratings.rejected(errc::wrong_type), 1u);
  EXPECT_EQ(ces->unanswered, 2u);
  EXPECT_EQ(reader.stats().answer_errors, 6u);
  ASSERT_EQ(reader.errors().size(), 6u);
  EXPECT_EQ(reader.errors()[0].field, "answers.nps");
  EXPECT_EQ(reader.errors()[0].line, 1u);
  EXPECT_EQ(reader.errors()[2].field, "answers.ces");
  EXPECT_EQ(reader.errors()[2].code, errc::out_of_range);
  EXPECT_EQ(reader.errors()[2].line, 2u);
  const auto& channel = s.breakdowns()[0];
  ASSERT_EQ(channel.groups.size(), 2u);
  EXPECT_EQ(channel.groups[0].value, "app");
  EXPECT_EQ(channel.groups[0].responses, 2u);
  EXPECT_EQ(channel.groups[0].questions[1].ratings.total(), 1u);
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
    EXPECT_EQ(second.totals()[q].unanswered, whole.totals()[q].unanswered);
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
      }
      EXPECT_TRUE(found) << g.value;
    }
  }
  cxm::survey_scorer other;
  ASSERT_TRUE(other.add_nps_question("nps").ok());
  EXPECT_EQ(whole.merge(other).code(), errc::incompatible);
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
