// SPDX-License-Identifier: MIT
// The two request bodies split into records: which are refused whole and why, and that each
// record's text is its bytes as sent (one line).
#include "server/ingest/batch.hpp"

#include <string>

#include <gtest/gtest.h>

namespace cxm::server {
namespace {

TEST(Batch, WidgetBodyKeepsEachRecordsBytes) {
  const std::string a = R"({"id":"a","answers":{"nps":9,"why":"caf\u00e9 \"x\""},"p":5e-1})";
  const std::string b = R"({ "id" : "b" , "answers" : { } })";
  auto r = split_batch(R"({"responses":[)" + a + " , " + b + R"(],"via":"beacon"})");
  ASSERT_TRUE(r) << r.detail();
  EXPECT_EQ(r->kind, batch_kind::widget);
  EXPECT_EQ(r->source, "web");
  EXPECT_TRUE(r->beacon);
  ASSERT_EQ(r->responses.size(), 2u);
  EXPECT_EQ(r->responses[0].text, a);
  EXPECT_EQ(r->responses[1].text, b);
  EXPECT_EQ(r->responses[1].value.at("id").as_string(), "b");
}

TEST(Batch, PrettyPrintedBodyGivesOneLineRecords) {
  auto r = split_batch("{\r\n  \"responses\": [\n    {\n      \"id\": \"a\",\n      \"answers\": {\"nps\": 3}\n    }\n  ]\n}\n");
  ASSERT_TRUE(r) << r.detail();
  ASSERT_EQ(r->responses.size(), 1u);
  EXPECT_EQ(r->responses[0].text.find('\n'), std::string::npos);
  EXPECT_EQ(r->responses[0].text.find('\r'), std::string::npos);
  EXPECT_EQ(r->responses[0].text, "{       \"id\": \"a\",       \"answers\": {\"nps\": 3}     }");
}

TEST(Batch, EscapedMemberNamesAreFoundByTheirValue) {
  // "respon\u0073es" is "responses": the DOM's key and the text's member are the same member.
  auto r = split_batch(R"({"x":[1,{"y":"]}"}],"respon\u0073es":[{"id":"a"}]})");
  ASSERT_TRUE(r) << r.detail();
  ASSERT_EQ(r->responses.size(), 1u);
  EXPECT_EQ(r->responses[0].text, R"({"id":"a"})");
}

TEST(Batch, OutboxBatch) {
  const std::string body =
      R"({"format":"cxm.batch","version":1,"batch":"0199c82c-c4d2-7b10-9c4e-21a7d0f3e815","source":"install-7f3a",)"
      R"("sent_at":"2025-10-09T08:53:21.234Z","responses":[{"id":"r","survey_id":"s","answers":{"nps":9}}],)"
      R"("events":[{"id":"e","journey_id":"kyc","type":"step_begin","step":"start"}]})";
  auto r = split_batch(body);
  ASSERT_TRUE(r) << r.detail();
  EXPECT_EQ(r->kind, batch_kind::outbox);
  EXPECT_EQ(r->id, "0199c82c-c4d2-7b10-9c4e-21a7d0f3e815");
  EXPECT_EQ(r->source, "install-7f3a");
  ASSERT_EQ(r->responses.size(), 1u);
  ASSERT_EQ(r->events.size(), 1u);
  EXPECT_EQ(r->events[0].text, R"({"id":"e","journey_id":"kyc","type":"step_begin","step":"start"})");
  EXPECT_EQ(r->records(), 2u);
}

struct refused_case {
  const char* body;
  errc code;
  const char* detail_part;
};

class BatchRefused : public ::testing::TestWithParam<refused_case> {};

TEST_P(BatchRefused, WholeBodyWithWhereAndWhy) {
  const auto& c = GetParam();
  auto r = split_batch(c.body);
  ASSERT_FALSE(r) << c.body;
  EXPECT_EQ(r.code(), c.code) << r.detail();
  EXPECT_NE(r.detail().find(c.detail_part), std::string::npos) << r.detail();
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, BatchRefused,
    ::testing::Values(
        refused_case{"", errc::parse_error, "body"}, refused_case{"[]", errc::wrong_type, "JSON object"},
        refused_case{R"({"responses":[{"id":"a"}]} x)", errc::parse_error, "body"},
        refused_case{R"({"responses":[{"id":"a","id":"b"}]})", errc::duplicate_key, "id"},
        refused_case{R"({"responses":[{"n":1e999}]})", errc::not_finite, "body"},
        refused_case{R"({"responses":{}})", errc::wrong_type, "responses"},
        refused_case{R"({"responses":[1]})", errc::wrong_type, "responses[0]"},
        refused_case{R"({"other":[]})", errc::missing_field, "responses"},
        refused_case{R"({"responses":[],"events":[]})", errc::invalid_argument, "cxm.batch"},
        refused_case{R"({"responses":[],"via":1})", errc::wrong_type, "via"},
        refused_case{R"({"format":"cxm.batch","version":2,"batch":"b","source":"s","sent_at":"t"})",
                     errc::unsupported_version, "version 1"},
        refused_case{R"({"format":"cxm.other","version":1})", errc::invalid_argument, "format"},
        refused_case{R"({"format":"cxm.batch","version":1,"batch":"b","sent_at":"t"})", errc::missing_field, "source"},
        refused_case{R"({"format":"cxm.batch","version":1,"batch":"b","source":"a b","sent_at":"t"})",
                     errc::invalid_argument, "source"},
        refused_case{R"({"format":"cxm.batch","version":1,"batch":"b","source":"s","sent_at":"t","extra":1})",
                     errc::invalid_argument, "extra"}));

TEST(Batch, LimitsOnBytesRecordsAndDepth) {
  batch_limits limits;
  limits.max_records = 2;
  auto r = split_batch(R"({"responses":[{},{},{}]})", limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), errc::too_large);
  EXPECT_NE(r.detail().find("3 records"), std::string::npos);

  limits = {};
  limits.max_bytes = 10;
  r = split_batch(R"({"responses":[]})", limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), errc::too_large);

  std::string deep = R"({"responses":[{"a":)" + std::string(100, '[') + std::string(100, ']') + "}]}";
  r = split_batch(deep);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.code(), errc::too_deep);
}

}  // namespace
}  // namespace cxm::server
