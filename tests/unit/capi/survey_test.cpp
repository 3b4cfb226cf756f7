// SPDX-License-Identifier: MIT
// Survey definitions through the C ABI: the shared table tests/data/surveys/answers.json
// (visible questions, problems and scores written by hand for conditions.json; also read by
// the C++ and the JS tests), the scored result's JSON form, and the errors of both documents.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "capi_test_support.hpp"

using namespace capi_test;

namespace {

survey conditions() {
  const std::string text = test_data("surveys/conditions.json");
  cxm_survey* s = nullptr;
  EXPECT_EQ(cxm_survey_parse(text.data(), text.size(), &s), CXM_OK) << detail();
  return survey(s);
}

// The expected score of an answer (answers.json's shape) from the C ABI's result.
json::object shape(const json::object& q) {
  json::object o;
  const json::string& type = q.at("type").as_string();
  o["type"] = type;
  if (type == "nps" || type == "ces" || type == "csat") {
    o["value"] = q.at("score");
    if (type == "nps") o["category"] = q.at("category");
    if (type == "ces") o["easy"] = q.at("top_box");
    if (type == "csat") o["satisfied"] = q.at("top_box");
  } else if (type == "text") {
    o["value"] = q.at("text");
  } else {
    o["value"] = q.at("choices");
  }
  return o;
}

}  // namespace

TEST(CapiSurvey, SharedTableOfAnswerSets) {
  const survey s = conditions();
  const json::value doc = parse(test_data("surveys/answers.json"));
  const json::array& cases = doc.at("cases").as_array();
  ASSERT_GE(cases.size(), 40u);
  for (const json::value& c : cases) {
    const std::string name(c.at("name").as_string());
    const std::string answers = json::serialize(c.at("answers"));

    char* out = nullptr;
    std::size_t len = 0;
    ASSERT_EQ(cxm_survey_visible_questions(s.get(), answers.data(), answers.size(), &out, &len), CXM_OK) << name;
    EXPECT_EQ(parse(take(out, len)), c.at("visible")) << name;

    ASSERT_EQ(cxm_survey_score(s.get(), answers.data(), answers.size(), &out, &len), CXM_OK) << name;
    const json::value r = parse(take(out, len));
    EXPECT_EQ(r.at("format").as_string(), "cxm.scored_response");
    EXPECT_EQ(r.at("version").as_int64(), 1);
    EXPECT_EQ(r.at("ok").as_bool(), c.at("ok").as_bool()) << name;
    json::array problems;
    for (const json::value& p : r.at("problems").as_array()) {
      problems.push_back(json::object{{"question", p.at("path")}, {"code", p.at("code_name")}});
      EXPECT_FALSE(p.at("reason").as_string().empty()) << name;
      EXPECT_FALSE(p.as_object().contains("line"));
    }
    EXPECT_EQ(json::value(problems), c.at("problems")) << name;

    // Single choices are one-element arrays in the C ABI's result, plain ids in the table.
    json::object expected = c.at("scores").as_object();
    for (auto& kv : expected) {
      json::object& v = kv.value().as_object();
      if (v.at("value").is_string() && v.at("type").as_string() != "text") v["value"] = json::array{v.at("value")};
    }
    json::object scores;
    for (const json::value& q : r.at("questions").as_array())
      if (q.at("state").as_string() == "answered") scores[q.at("id").as_string()] = shape(q.as_object());
    EXPECT_EQ(json::value(scores), json::value(expected)) << name << "\n" << json::serialize(scores);
  }
}

TEST(CapiSurvey, ScoredResultHasEveryQuestionInOrder) {
  const survey s = conditions();
  const std::string answers = R"({"nps":10,"csat":5,"praise":"Fast and friendly"})";
  char* out = nullptr;
  std::size_t len = 0;
  ASSERT_EQ(cxm_survey_score(s.get(), answers.data(), answers.size(), &out, &len), CXM_OK);
  const json::value r = parse(take(out, len));
  EXPECT_EQ(r.at("survey_id").as_string(), "conditions");
  EXPECT_EQ(r.at("survey_version").as_int64(), 2);
  EXPECT_TRUE(r.at("ok").as_bool());
  std::string states;
  for (const json::value& q : r.at("questions").as_array())
    states += std::string(q.at("id").as_string()) + ":" + std::string(q.at("state").as_string()) + " ";
  // conditions.json: why_low/why_mid need a detractor/passive, ces_hard a low CES, wait a phone
  // or branch channel, upset an angry or confused feeling with a low CSAT.
  EXPECT_EQ(states,
            "nps:answered why_low:hidden why_mid:hidden ces:skipped ces_hard:hidden csat:answered channels:skipped "
            "wait:hidden feeling:skipped upset:hidden praise:answered mood:skipped ces5:skipped ");
  const json::object& praise = r.at("questions").at(10).as_object();
  EXPECT_EQ(praise.at("length").as_int64(), 17);
}

TEST(CapiSurvey, DefinitionErrorsNameThePath) {
  struct row {
    std::string json;
    cxm_status status;
    const char* in_detail;
  };
  std::string unknown_ref = test_data("surveys/conditions.json");
  const std::size_t at = unknown_ref.find(R"("question":"nps")");
  ASSERT_NE(at, std::string::npos);
  unknown_ref.replace(at, 16, R"("question":"npss")");
  const row rows[] = {
      {"", CXM_PARSE_ERROR, ""},
      {"[]", CXM_WRONG_TYPE, ""},
      {R"({"format":"cxm.journey","version":1})", CXM_INCOMPATIBLE, ""},
      {R"({"format":"cxm.survey","version":9})", CXM_UNSUPPORTED_VERSION, ""},
      {unknown_ref, CXM_INVALID_ARGUMENT, "show_if.question"},
      {"{\"format\":\"cxm.survey\",\"version\":1,\"id\":\"\xc3\"}", CXM_INVALID_UTF8, ""},
      {std::string(300u << 10, ' '), CXM_TOO_LARGE, ""},
  };
  for (const row& r : rows) {
    cxm_survey* s = reinterpret_cast<cxm_survey*>(&s);
    EXPECT_EQ(cxm_survey_parse(r.json.data(), r.json.size(), &s), r.status) << r.json.substr(0, 60) << ": " << detail();
    EXPECT_EQ(s, nullptr);
    EXPECT_NE(detail().find(r.in_detail), std::string::npos) << detail();
  }
}

TEST(CapiSurvey, AnswersDocumentErrorsFailTheCall) {
  const survey s = conditions();
  struct row {
    std::string json;
    cxm_status status;
  };
  const row rows[] = {
      {"[1]", CXM_WRONG_TYPE},
      {"{\"nps\":", CXM_PARSE_ERROR},
      {R"({"nps":9,"nps":10})", CXM_DUPLICATE_KEY},
      {"{\"why_low\":\"\xff\"}", CXM_INVALID_UTF8},
      {"{\"t\":\"" + std::string((1u << 20) + 1, 'x') + "\"}", CXM_TOO_LARGE},
      {"", CXM_PARSE_ERROR},
  };
  for (const row& r : rows) {
    for (auto* f : {&cxm_survey_score, &cxm_survey_visible_questions}) {
      char* out = reinterpret_cast<char*>(&out);
      std::size_t len = 7;
      EXPECT_EQ(f(s.get(), r.json.data(), r.json.size(), &out, &len), r.status) << r.json.substr(0, 40);
      EXPECT_EQ(out, nullptr);
      EXPECT_EQ(len, 0u);
      EXPECT_EQ(detail().rfind("answers: ", 0), 0u) << detail();
    }
  }
  // Bad answers are the result's problems, not errors of the call.
  const std::string bad = R"({"nps":11})";
  char* out = nullptr;
  ASSERT_EQ(cxm_survey_score(s.get(), bad.data(), bad.size(), &out, nullptr), CXM_OK);
  const json::value r = parse(out);
  cxm_string_free(out);
  EXPECT_FALSE(r.at("ok").as_bool());
  EXPECT_EQ(r.at("problems").at(0).at("reason").as_string(), "expected an integer 0-10, got 11");
}

TEST(CapiSurvey, OneDefinitionScoresOnSeveralThreadsAtOnce) {
  // A cxm_survey is immutable: threads may share one handle (the tsan preset checks this).
  const survey s = conditions();
  std::vector<std::thread> threads;
  std::vector<std::string> results(4);
  for (std::size_t i = 0; i < results.size(); ++i)
    threads.emplace_back([&, i] {
      const std::string answers = R"({"nps":)" + std::to_string(i) + "}";
      for (int k = 0; k < 200; ++k) {
        char* out = nullptr;
        std::size_t len = 0;
        if (cxm_survey_score(s.get(), answers.data(), answers.size(), &out, &len) != CXM_OK) return;
        results[i].assign(out, len);
        cxm_string_free(out);
      }
    });
  for (std::thread& t : threads) t.join();
  for (std::size_t i = 0; i < results.size(); ++i)
    EXPECT_NE(results[i].find(R"({"id":"nps","type":"nps","state":"answered","score":)" + std::to_string(i)),
              std::string::npos)
        << results[i];
}
