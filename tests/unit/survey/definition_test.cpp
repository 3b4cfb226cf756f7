// SPDX-License-Identifier: MIT
// Survey definitions: the sample survey's model, every validation error with its path (the
// table in tests/data/surveys/invalid_definitions.json, shared with the wasm Node test),
// limits, the canonical form, locale resolution and text fallback.
#include "cxm/survey/definition.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "survey/survey_test_support.hpp"
#include "test_support.hpp"

using cxm::errc;
namespace json = boost::json;

TEST(Survey, SampleSurveyParses) {
  const std::string text = survey_test::sample_survey_text();
  ASSERT_FALSE(text.empty());
  auto parsed = cxm::survey::parse(text);
  ASSERT_TRUE(parsed.ok()) << parsed.detail();
  const cxm::survey& s = parsed.value();
  EXPECT_EQ(s.id(), "after-onboarding");
  EXPECT_EQ(s.version(), 3);
  ASSERT_EQ(s.locales().size(), 2u);
  EXPECT_EQ(s.locales()[s.default_locale()].tag, "en");
  EXPECT_EQ(s.locales()[1].tag, "he");
  EXPECT_EQ(s.locales()[1].dir, cxm::text_direction::rtl);
  EXPECT_EQ(s.locales()[0].dir, cxm::text_direction::ltr);
  EXPECT_EQ(s.locales()[1].ui[cxm::ui_string::submit], "שליחה");
  EXPECT_DOUBLE_EQ(s.targeting().sample_rate, 0.5);
  EXPECT_EQ(s.targeting().cooldown_days, 30);
  EXPECT_EQ(s.targeting().global_cooldown_days, 7);

  const auto& q = s.questions();
  ASSERT_EQ(q.size(), 6u);
  EXPECT_EQ(q[0].type, cxm::question_type::nps);
  EXPECT_TRUE(q[0].required);
  EXPECT_EQ(q[0].scale, (cxm::scale{0, 10, 9}));
  EXPECT_EQ(q[1].type, cxm::question_type::text);
  EXPECT_EQ(q[1].max_length, 500);
  ASSERT_TRUE(q[1].show_if.has_value());
  EXPECT_EQ(q[1].show_if->type, cxm::survey_condition::kind::category);
  EXPECT_EQ(q[1].show_if->question, 0u);
  EXPECT_EQ(q[1].show_if->categories, 1u << static_cast<int>(cxm::nps_category::detractor));
  EXPECT_EQ(q[2].type, cxm::question_type::ces);
  EXPECT_EQ(q[2].scale, cxm::scale::ces7());
  EXPECT_EQ(q[3].type, cxm::question_type::csat);
  EXPECT_EQ(q[3].scale, cxm::scale::csat5());
  EXPECT_EQ(q[4].type, cxm::question_type::emotion);
  ASSERT_EQ(q[4].choices.size(), cxm::emotion_set.size());
  for (std::size_t i = 0; i < q[4].choices.size(); ++i) EXPECT_EQ(q[4].choices[i], cxm::emotion_set[i]);
  EXPECT_EQ(q[5].type, cxm::question_type::choice);
  EXPECT_TRUE(q[5].multiple);
  EXPECT_EQ(q[5].choices, (std::vector<std::string>{"web", "app", "phone", "branch"}));
  EXPECT_EQ(q[5].choice_index("phone"), 2u);
  EXPECT_EQ(q[5].choice_index("fax"), cxm::survey_question::npos);
  EXPECT_EQ(s.find("ces"), 2u);
  EXPECT_EQ(s.find("nope"), cxm::survey::npos);
}

TEST(Survey, EveryValidationErrorNamesItsPathAndReason) {
  const auto cases = survey_test::read_json("surveys/invalid_definitions.json");
  const json::array& list = cases.at("cases").as_array();
  ASSERT_GE(list.size(), 70u);
  for (const json::value& c : list) {
    const std::string name(c.at("name").as_string());
    const std::string text = survey_test::case_text(c);
    auto parsed = cxm::survey::parse(text);
    ASSERT_FALSE(parsed.ok()) << name;
    EXPECT_STREQ(cxm::name(parsed.code()), c.at("code").as_string().c_str()) << name << ": " << parsed.detail();
    if (const json::value* d = c.as_object().if_contains("detail")) {
      EXPECT_EQ(parsed.detail(), std::string(d->as_string())) << name;
    }
    if (const json::value* d = c.as_object().if_contains("contains")) {
      EXPECT_NE(parsed.detail().find(std::string(d->as_string())), std::string::npos) << name << ": " << parsed.detail();
    }
  }
}

TEST(Survey, TheBaseOfTheErrorTableIsValid) {
  auto parsed = cxm::survey::parse(cxm_test::test_data("surveys/conditions.json"));
  ASSERT_TRUE(parsed.ok()) << parsed.detail();
  EXPECT_EQ(parsed->questions().size(), 13u);
}

TEST(Survey, SizeLimitIsCheckedBeforeParsing) {
  std::string big = survey_test::sample_survey_text();
  big.append(cxm::survey::max_bytes, ' ');  // whitespace: valid JSON, but too large
  auto parsed = cxm::survey::parse(big);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.code(), errc::too_large);

  // At the limit exactly, it is accepted.
  std::string fits = survey_test::sample_survey_text();
  fits.append(cxm::survey::max_bytes - fits.size(), ' ');
  EXPECT_TRUE(cxm::survey::parse(fits).ok());
}

TEST(Survey, LongTextsAndInvalidUtf8AreRefused) {
  json::value v = json::parse(survey_test::sample_survey_text());
  v.at("questions").at(0).at("text").at("en").at("prompt") = std::string(4097, 'x');
  auto parsed = cxm::survey::parse(json::serialize(v));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.code(), errc::too_large);
  EXPECT_EQ(parsed.detail(), "questions[0].text.en.prompt: text of 4097 bytes is over the 4096-byte limit");
  v.at("questions").at(0).at("text").at("en").at("prompt") = std::string(4096, 'x');
  EXPECT_TRUE(cxm::survey::parse(json::serialize(v)).ok());

  std::string bad = survey_test::sample_survey_text();
  bad.replace(bad.find("What went wrong?"), 4, "Wh\xC3\x28t");
  parsed = cxm::survey::parse(bad);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.code(), errc::invalid_utf8);
}

TEST(Survey, TooManyQuestionsAndChoices) {
  json::value v = json::parse(survey_test::sample_survey_text());
  json::array& qs = v.at("questions").as_array();
  const json::value text = qs.at(1).at("text");
  for (int i = 0; qs.size() < 201; ++i)
    qs.push_back(json::object{{"id", "t" + std::to_string(i)}, {"type", "text"}, {"text", text}});
  auto parsed = cxm::survey::parse(json::serialize(v));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.code(), errc::too_large);
  EXPECT_EQ(parsed.detail(), "questions: 201 questions, over the limit of 200");
}

TEST(Survey, CanonicalFormRoundTrips) {
  for (const char* file : {"surveys/conditions.json"}) {
    auto a = cxm::survey::parse(cxm_test::test_data(file));
    ASSERT_TRUE(a.ok()) << a.detail();
    const std::string canonical = a->to_json();
    auto b = cxm::survey::parse(canonical);
    ASSERT_TRUE(b.ok()) << b.detail() << "\n" << canonical;
    EXPECT_EQ(b->to_json(), canonical);
  }
  auto s = cxm::survey::parse(survey_test::sample_survey_text());
  ASSERT_TRUE(s.ok());
  auto again = cxm::survey::parse(s->to_json());
  ASSERT_TRUE(again.ok()) << again.detail();
  EXPECT_EQ(again->to_json(), s->to_json());
}

TEST(Survey, DefaultsAreWrittenOutInTheCanonicalForm) {
  const std::string minimal = R"({"format":"cxm.survey","version":1,"id":"m","survey_version":0,"default_locale":"en",
    "locales":{"en":{"dir":"ltr"}},
    "questions":[{"id":"q","type":"text","text":{"en":{"prompt":"Say"}}},
                 {"id":"c","type":"ces","text":{"en":{"prompt":"Easy?"}}}]})";
  auto s = cxm::survey::parse(minimal);
  ASSERT_TRUE(s.ok()) << s.detail();
  EXPECT_DOUBLE_EQ(s->targeting().sample_rate, 1.0);
  EXPECT_EQ(s->targeting().cooldown_days, 0);
  EXPECT_EQ(s->questions()[0].max_length, 1000);
  EXPECT_FALSE(s->questions()[0].required);
  EXPECT_EQ(s->questions()[1].scale, cxm::scale::ces7());
  EXPECT_EQ(s->to_json(),
            R"({"format":"cxm.survey","version":1,"id":"m","survey_version":0,"default_locale":"en",)"
            R"("locales":{"en":{"dir":"ltr"}},"targeting":{"sample_rate":1,"cooldown_days":0,"global_cooldown_days":0},)"
            R"("questions":[{"id":"q","type":"text","required":false,"max_length":1000,"text":{"en":{"prompt":"Say"}}},)"
            R"({"id":"c","type":"ces","required":false,"scale":7,"text":{"en":{"prompt":"Easy?"}}}]})");
}

TEST(Survey, LocalesResolveAndTextsFallBackToTheDefault) {
  auto parsed = cxm::survey::parse(cxm_test::test_data("surveys/conditions.json"));
  ASSERT_TRUE(parsed.ok());
  const cxm::survey& s = parsed.value();
  EXPECT_EQ(s.resolve_locale("he"), 1u);
  EXPECT_EQ(s.resolve_locale("HE"), 1u);
  EXPECT_EQ(s.resolve_locale("he-IL"), 1u);
  EXPECT_EQ(s.resolve_locale("fr"), 0u);
  EXPECT_EQ(s.resolve_locale(""), 0u);
  EXPECT_EQ(s.direction("he"), cxm::text_direction::rtl);

  const cxm::question_text& nps_he = s.text(s.find("nps"), "he-IL");
  EXPECT_EQ(nps_he.locale, "he");
  EXPECT_EQ(nps_he.prompt, "תמליצו עלינו?");
  EXPECT_EQ(nps_he.min_label.value_or(""), "לא סביר");
  // why_mid has no Hebrew text: English, shown left to right.
  const cxm::question_text& mid_he = s.text(s.find("why_mid"), "he");
  EXPECT_EQ(mid_he.locale, "en");
  EXPECT_EQ(s.direction(mid_he.locale), cxm::text_direction::ltr);
  const cxm::question_text& channels_fr = s.text(s.find("channels"), "fr");
  EXPECT_EQ(channels_fr.locale, "en");
  EXPECT_EQ(channels_fr.choice_labels, (std::vector<std::string>{"Web", "App", "Phone", "Branch"}));
  const cxm::question_text& channels_he = s.text(s.find("channels"), "he");
  EXPECT_EQ(channels_he.choice_labels[3], "סניף");
}

TEST(Survey, MarkupInTextsIsKeptVerbatimAsData) {
  json::value v = json::parse(survey_test::sample_survey_text());
  const std::string xss = "<img src=x onerror=alert(1)><script>alert('x')</script>&amp;\"";
  v.at("questions").at(0).at("text").at("en").at("prompt") = xss;
  v.at("questions").at(5).at("text").at("he").at("choices").at("web") = xss;
  auto s = cxm::survey::parse(json::serialize(v));
  ASSERT_TRUE(s.ok()) << s.detail();
  EXPECT_EQ(s->text(0, "en").prompt, xss);
  EXPECT_EQ(s->text(5, "he").choice_labels[0], xss);
  auto again = cxm::survey::parse(s->to_json());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->text(0, "en").prompt, xss);
}

TEST(Survey, EmotionQuestionsMayOfferASubset) {
  auto parsed = cxm::survey::parse(cxm_test::test_data("surveys/conditions.json"));
  ASSERT_TRUE(parsed.ok());
  const auto& mood = parsed->questions()[parsed->find("mood")];
  EXPECT_EQ(mood.choices, (std::vector<std::string>{"happy", "angry"}));
}

TEST(Survey, NamesOfEnumerations) {
  EXPECT_STREQ(cxm::name(cxm::question_type::emotion), "emotion");
  EXPECT_STREQ(cxm::name(cxm::nps_category::passive), "passive");
  EXPECT_STREQ(cxm::name(cxm::text_direction::rtl), "rtl");
  EXPECT_STREQ(cxm::name(cxm::eligibility_reason::global_cooldown), "global_cooldown");
}

// Every string the widget shows can come from the definition, per locale.
TEST(Survey, EveryWidgetStringCanBeGivenPerLocale) {
  std::string ui;
  for (std::size_t i = 0; i < cxm::ui_string_count; ++i) {
    const std::string key = cxm::name(static_cast<cxm::ui_string>(i));
    ui += (ui.empty() ? "" : ",") + ("\"" + key + "\":\"" + key + " {n} {m}\"");
  }
  const std::string def = R"({"format":"cxm.survey","version":1,"id":"s","survey_version":1,"default_locale":"he",)"
                          R"("locales":{"he":{"dir":"rtl","ui":{)" + ui + R"(}}},)"
                          R"("questions":[{"id":"nps","type":"nps","text":{"he":{"prompt":"?"}}}]})";
  auto s = cxm::survey::parse(def);
  ASSERT_TRUE(s.ok()) << s.detail();
  for (std::size_t i = 0; i < cxm::ui_string_count; ++i)
    EXPECT_EQ(s->locales()[0].ui.strings[i], std::string(cxm::name(static_cast<cxm::ui_string>(i))) + " {n} {m}");
  auto again = cxm::survey::parse(s->to_json());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->to_json(), s->to_json());
}
