// SPDX-License-Identifier: MIT
// Responses against a definition: the shared table tests/data/surveys/answers.json (visible
// questions, problems, scores; also checked from JS by wasm/test/survey.test.mjs), decoding of
// answers, and the reasons given.
#include "cxm/survey/scoring.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>
#include <vector>

#include "survey/survey_test_support.hpp"

using cxm::errc;
namespace json = boost::json;

namespace {

cxm::survey conditions_survey() {
  auto s = cxm::survey::parse(cxm_test::test_data("surveys/conditions.json"));
  EXPECT_TRUE(s.ok()) << s.detail();
  return std::move(s).value();
}

// A scored answer in the shape the JS API returns (and answers.json expects).
json::object shape(const cxm::survey& s, const cxm::scored_answer& a) {
  const cxm::survey_question& q = s.questions()[a.question];
  json::object o;
  o["type"] = cxm::name(a.type);
  switch (a.type) {
    case cxm::question_type::nps:
      o["value"] = a.score;
      o["category"] = cxm::name(a.category);
      break;
    case cxm::question_type::ces:
      o["value"] = a.score;
      o["easy"] = a.top_box;
      break;
    case cxm::question_type::csat:
      o["value"] = a.score;
      o["satisfied"] = a.top_box;
      break;
    case cxm::question_type::emotion: o["value"] = q.choices[a.choices.at(0)]; break;
    case cxm::question_type::choice:
      if (q.multiple) {
        json::array ids;
        for (std::size_t k : a.choices) ids.push_back(json::string(q.choices[k]));
        o["value"] = std::move(ids);
      } else {
        o["value"] = q.choices[a.choices.at(0)];
      }
      break;
    case cxm::question_type::text: o["value"] = a.text; break;
  }
  return o;
}

cxm::answers answers_of(const json::value& v) {
  auto a = cxm::answers::from_json(json::serialize(v));
  EXPECT_TRUE(a.ok()) << a.detail();
  return a.ok() ? std::move(a).value() : cxm::answers();
}

}  // namespace

TEST(SurveyResponse, SharedTableOfAnswerSets) {
  const cxm::survey s = conditions_survey();
  const auto doc = survey_test::read_json("surveys/answers.json");
  const json::array& cases = doc.at("cases").as_array();
  ASSERT_GE(cases.size(), 40u);
  for (const json::value& c : cases) {
    const std::string name(c.at("name").as_string());
    const cxm::answers answers = answers_of(c.at("answers"));
    const cxm::scored_response r = cxm::score(s, answers);

    json::array visible;
    for (std::size_t i : cxm::visible_questions(s, answers)) visible.push_back(json::string(s.questions()[i].id));
    EXPECT_EQ(json::serialize(visible), json::serialize(c.at("visible"))) << name;

    EXPECT_EQ(r.ok(), c.at("ok").as_bool()) << name;
    json::array problems;
    for (const cxm::problem& p : r.problems) {
      // The path of a validation problem is the question id.
      problems.push_back(json::object{{"question", p.path}, {"code", cxm::name(p.code)}});
      EXPECT_FALSE(p.reason.empty()) << name;
    }
    EXPECT_EQ(json::serialize(problems), json::serialize(c.at("problems"))) << name;
    EXPECT_EQ(cxm::validate(s, answers).size(), r.problems.size()) << name;

    json::object scores;
    for (const cxm::scored_answer& a : r.answers) scores[s.questions()[a.question].id] = shape(s, a);
    EXPECT_EQ(json::value(scores), c.at("scores")) << name << "\n" << json::serialize(scores);
  }
}

TEST(SurveyResponse, StatesSayWhereEachQuestionStands) {
  const cxm::survey s = conditions_survey();
  cxm::answers a;
  a.set("nps", 3.0);
  a.set("why_low", std::string(""));  // blank: skipped
  a.set("ces", 9.0);                   // off the scale: invalid
  a.set("csat", 4.0);
  const cxm::scored_response r = cxm::score(s, a);
  using st = cxm::question_state;
  EXPECT_EQ(r.states[s.find("nps")], st::answered);
  EXPECT_EQ(r.states[s.find("why_low")], st::skipped);
  EXPECT_EQ(r.states[s.find("why_mid")], st::hidden);
  EXPECT_EQ(r.states[s.find("ces")], st::invalid);
  EXPECT_EQ(r.states[s.find("ces_hard")], st::hidden);  // an invalid answer satisfies no condition
  EXPECT_EQ(r.states[s.find("csat")], st::answered);
  EXPECT_EQ(r.states[s.find("channels")], st::skipped);
  EXPECT_TRUE(r.shown(s.find("channels")));
  EXPECT_FALSE(r.shown(s.find("praise")));
  EXPECT_FALSE(r.shown(999));
  ASSERT_NE(r.find(s.find("csat")), nullptr);
  EXPECT_EQ(r.find(s.find("ces")), nullptr);
  EXPECT_EQ(r.survey_id, "conditions");
  EXPECT_EQ(r.survey_version, 2);
  EXPECT_STREQ(cxm::name(st::invalid), "invalid");
}

TEST(SurveyResponse, ReasonsAreSpecific) {
  const cxm::survey s = conditions_survey();
  // The code too: a fraction is not_integer wherever it lies (-0.125, 12345.000001), before the
  // range is looked at (classify_answer's precedence; these two were out_of_range before).
  struct row {
    const char* answers;
    const char* question;
    errc code;
    const char* reason;
  };
  const row rows[] = {
      {R"({"nps":11})", "nps", errc::out_of_range, "expected an integer 0-10, got 11"},
      {R"({"nps":9.5})", "nps", errc::not_integer, "expected an integer 0-10, got 9.5"},
      {R"({"nps":-0.125})", "nps", errc::not_integer, "expected an integer 0-10, got -0.125"},
      {R"({"nps":12345.000001})", "nps", errc::not_integer, "expected an integer 0-10, got 12345.000001"},
      {R"({"nps":"9"})", "nps", errc::wrong_type, "expected an integer 0-10, got a string"},
      {R"({"nps":null})", "nps", errc::wrong_type, "expected an integer 0-10, got null"},
      {R"({"nps":true})", "nps", errc::wrong_type, "expected an integer 0-10, got a boolean"},
      {R"({"nps":[9]})", "nps", errc::wrong_type, "expected an integer 0-10, got an array of non-strings"},
      {R"({"nps":["9"]})", "nps", errc::wrong_type, "expected an integer 0-10, got an array of strings"},
      {R"({"nps":1e300})", "nps", errc::out_of_range, "expected an integer 0-10, got a number out of range"},
      {R"({"nps":1,"ces":0})", "ces", errc::out_of_range, "expected an integer 1-7, got 0"},
      {R"({"nps":1,"ces5":6})", "ces5", errc::out_of_range, "expected an integer 1-5, got 6"},
      {R"({})", "nps", errc::missing_field, "a required question was not answered"},
      {R"({"nps":9,"why_low":"x"})", "why_low", errc::invalid_argument, "answered, but the question is hidden by its condition (show_if)"},
      {R"({"nps":1,"why_low":"123456789012345678901"})", "why_low", errc::too_large, "21 characters, over the limit of 20"},
      {R"({"nps":1,"why_low":7})", "why_low", errc::wrong_type, "expected a string, got a number"},
      {R"({"nps":1,"channels":["web","web"]})", "channels", errc::invalid_argument, "\"web\" is chosen twice"},
      {R"({"nps":1,"channels":["fax"]})", "channels", errc::out_of_range, "\"fax\" is not one of the question's choices"},
      {R"({"nps":1,"channels":"web"})", "channels", errc::wrong_type, "expected an array of choice ids, got a string"},
      {R"({"nps":1,"channels":[true]})", "channels", errc::wrong_type, "expected an array of choice ids, got an array of non-strings"},
      {R"({"nps":1,"channels":{"web":true}})", "channels", errc::wrong_type, "expected an array of choice ids, got an object"},
      {R"({"nps":1,"feeling":{"x":1}})", "feeling", errc::wrong_type, "expected one choice id (a string), got an object"},
      {R"({"nps":1,"feeling":["happy"]})", "feeling", errc::wrong_type, "expected one choice id (a string), got an array of strings"},
      {R"({"nps":1,"npss":3})", "npss", errc::invalid_argument, "unknown question"},
  };
  for (const row& x : rows) {
    auto a = cxm::answers::from_json(x.answers);
    ASSERT_TRUE(a.ok()) << x.answers;
    const auto problems = cxm::validate(s, a.value());
    bool found = false;
    for (const cxm::problem& p : problems)
      if (p.path == x.question) {
        EXPECT_EQ(p.code, x.code) << x.answers;
        EXPECT_EQ(p.reason, x.reason) << x.answers;
        EXPECT_EQ(p.line, 0u) << x.answers;  // only readers set lines
        found = true;
      }
    EXPECT_TRUE(found) << x.answers;
  }
}

TEST(SurveyResponse, AnswersDecodingIsStrict) {
  struct row {
    std::string text;
    errc code;
  };
  const row rows[] = {
      {"[1]", errc::wrong_type},
      {"\"nps\"", errc::wrong_type},
      {R"({"nps":9,"nps":10})", errc::duplicate_key},
      {R"({"nps":1e999})", errc::not_finite},
      {R"({"nps":)", errc::parse_error},
      {R"({"a":[[[[[[[[[1]]]]]]]]]})", errc::too_deep},
      {"{\"t\":\"\xC3\x28\"}", errc::invalid_utf8},
      {"{\"t\":\"" + std::string(cxm::answers::max_bytes, 'x') + "\"}", errc::too_large},
  };
  for (const row& x : rows) {
    auto a = cxm::answers::from_json(x.text);
    ASSERT_FALSE(a.ok()) << x.text.substr(0, 40);
    EXPECT_EQ(a.code(), x.code) << x.text.substr(0, 40) << ": " << a.detail();
  }
  // Every JSON type is kept, as given: a wrong type is the question's problem (scoring), not
  // the document's. (answers_test.cpp checks each type's fields.)
  auto ok = cxm::answers::from_json(R"({"a":1,"b":"x","c":["p","q"],"d":null,"e":true,"f":{},"g":[1],"h":[]})");
  ASSERT_TRUE(ok.ok()) << ok.detail();
  using t = cxm::answer_type;
  EXPECT_EQ(ok->size(), 8u);
  EXPECT_EQ(ok->find("a")->type, t::number);
  EXPECT_EQ(ok->find("b")->text, "x");
  ASSERT_EQ(ok->find("c")->item_count, 2u);
  EXPECT_EQ(ok->find("c")->items[0], "p");
  EXPECT_EQ(ok->find("c")->items[1], "q");
  EXPECT_STREQ(ok->find("d")->json_type(), "null");
  EXPECT_STREQ(ok->find("e")->json_type(), "a boolean");
  EXPECT_STREQ(ok->find("f")->json_type(), "an object");
  EXPECT_STREQ(ok->find("g")->json_type(), "an array of non-strings");
  EXPECT_EQ(ok->find("h")->type, t::strings);
  EXPECT_EQ(ok->find("zz"), nullptr);
}

TEST(SurveyResponse, SettersReplaceAndErase) {
  cxm::answers a;
  a.set("nps", 3.0);
  a.set("nps", std::string("x"));
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(a.find("nps")->type, cxm::answer_type::string);
  a.set("c", std::vector<std::string>{"web"});
  EXPECT_TRUE(a.erase("nps"));
  EXPECT_FALSE(a.erase("nps"));
  EXPECT_EQ(a.view()[0].question, "c");
  // Invalid UTF-8 can only come through a setter; it is a problem, not a crash.
  const cxm::survey s = conditions_survey();
  EXPECT_TRUE(a.erase("c"));
  a.set("nps", 2.0);
  a.set("why_low", std::string("\xFF"));
  const auto problems = cxm::validate(s, a);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].code, errc::invalid_utf8);
  EXPECT_EQ(problems[0].path, "why_low");
}

TEST(SurveyResponse, VisibilityFollowsTheAnswersSoFar) {
  const cxm::survey s = conditions_survey();
  cxm::answers a;
  auto ids = [&] {
    std::string out;
    for (std::size_t i : cxm::visible_questions(s, a)) out += s.questions()[i].id + " ";
    return out;
  };
  EXPECT_EQ(ids(), "nps ces csat channels feeling mood ces5 ");
  a.set("nps", 4.0);
  EXPECT_EQ(ids(), "nps why_low ces csat channels feeling mood ces5 ");
  a.set("channels", std::vector<std::string>{"phone"});
  a.set("csat", 5.0);
  EXPECT_EQ(ids(), "nps why_low ces csat channels wait feeling praise mood ces5 ");
  a.set("nps", 7.0);
  EXPECT_EQ(ids(), "nps why_mid ces csat channels wait feeling praise mood ces5 ");
}

TEST(SurveyResponse, JsonFormNamesEveryQuestionItsStateAndProblems) {
  const cxm::survey s = conditions_survey();
  auto a = cxm::answers::from_json(
      R"({"nps":3,"why_low":"Slow","ces":9,"channels":["phone","web"],"wait":"long","feeling":"angry","npss":1})");
  ASSERT_TRUE(a.ok()) << a.detail();
  const std::string text = cxm::to_json(s, cxm::score(s, a.value()));
  // The head and the first questions, byte for byte (the format in scoring.hpp).
  const std::string head =
      R"({"format":"cxm.scored_response","version":1,"survey_id":"conditions","survey_version":2,"ok":false,)"
      R"("questions":[{"id":"nps","type":"nps","state":"answered","score":3,"category":"detractor","top_box":false},)"
      R"({"id":"why_low","type":"text","state":"answered","text":"Slow","length":4},)"
      R"({"id":"why_mid","type":"text","state":"hidden"},)";
  EXPECT_EQ(text.substr(0, head.size()), head) << text;
  json::error_code ec;
  const json::value v = json::parse(text, ec);
  ASSERT_FALSE(ec) << text;
  const json::array& qs = v.at("questions").as_array();
  ASSERT_EQ(qs.size(), s.questions().size());
  auto question = [&](const char* id) -> const json::object& { return qs[s.find(id)].as_object(); };
  EXPECT_EQ(question("ces").at("state").as_string(), "invalid");
  EXPECT_FALSE(question("ces").contains("score"));
  EXPECT_EQ(question("csat").at("state").as_string(), "skipped");
  EXPECT_EQ(json::serialize(question("channels").at("choices")), R"(["phone","web"])");
  EXPECT_EQ(json::serialize(question("wait").at("choices")), R"(["long"])");
  EXPECT_EQ(json::serialize(question("feeling").at("choices")), R"(["angry"])");
  EXPECT_EQ(json::serialize(v.at("problems")),
            R"([{"path":"ces","code":2,"code_name":"out_of_range","reason":"expected an integer 1-7, got 9"},)"
            R"({"path":"npss","code":1,"code_name":"invalid_argument","reason":"unknown question"}])");
}

TEST(SurveyResponse, QuotedAnswersInReasonsAreCutOnACharacterBoundary) {
  const cxm::survey s = conditions_survey();
  std::string id;
  for (int i = 0; i < 70; ++i) id += "\xC3\xA9";  // é, two bytes each
  auto a = cxm::answers::from_json(R"({"nps":1,"channels":[")" + id + R"("]})");
  ASSERT_TRUE(a.ok()) << a.detail();
  const auto problems = cxm::validate(s, a.value());
  ASSERT_EQ(problems.size(), 1u);
  // 64 characters of the answer, then "...": never half of a UTF-8 sequence.
  EXPECT_EQ(problems[0].reason, "\"" + id.substr(0, 128) + "...\" is not one of the question's choices");
}
