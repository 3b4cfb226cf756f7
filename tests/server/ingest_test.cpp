// SPDX-License-Identifier: MIT
// From split batches to rows and verdicts: validation and scoring by the core with the survey
// version each response names, the local score check, events and aggregate snapshots.
#include "server/ingest/ingest.hpp"

#include <string>

#include <gtest/gtest.h>

#include <cxm/device/recorder.hpp>

namespace cxm::server {
namespace {

const survey_registry& surveys() {
  static const survey_registry r = [] {
    auto loaded = survey_registry::load(CXM_EXAMPLES_DIR "/web/surveys");
    EXPECT_TRUE(loaded) << loaded.detail();
    return std::move(*loaded);
  }();
  return r;
}

prepared_batch prepare_body(const std::string& body, batch* out = nullptr) {
  auto b = split_batch(body);
  EXPECT_TRUE(b) << b.detail();
  if (out != nullptr) *out = *b;
  return prepare(*b, surveys(), 1'700'000'000'000);
}

std::string widget(const std::string& records) { return R"({"responses":[)" + records + "]}"; }

TEST(Ingest, ValidResponseBecomesARowWithItsFields) {
  const std::string rec =
      R"({"id":"r1","survey_id":"after-onboarding","survey_version":3,"timestamp":"2026-12-03T10:00:00.250Z",)"
      R"("channel":"web","answers":{"nps":9,"ces":6}})";
  auto p = prepare_body(widget(rec));
  ASSERT_EQ(p.rows.size(), 1u);
  ASSERT_EQ(p.verdicts.size(), 1u);
  EXPECT_EQ(p.verdicts[0].outcome, verdict::pending);
  const auto& row = p.rows[0];
  EXPECT_EQ(row.id, "r1");
  EXPECT_EQ(row.survey_id, "after-onboarding");
  EXPECT_EQ(row.survey_version, 3);
  EXPECT_EQ(row.source, "web");
  EXPECT_EQ(row.answered_ms, 1'796'292'000'250);  // 2026-12-03T10:00:00.250Z
  EXPECT_EQ(row.received_ms, 1'700'000'000'000);
  EXPECT_FALSE(row.score_mismatch);
  EXPECT_EQ(row.record, rec);
}

TEST(Ingest, ResponseWithoutVersionOrTimestampUsesTheNewestAndTheArrival) {
  auto p = prepare_body(widget(R"({"id":"r1","survey_id":"after-onboarding","answers":{"nps":9}})"));
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].survey_version, 3);
  EXPECT_EQ(p.rows[0].answered_ms, 1'700'000'000'000);
}

struct rejected_case {
  const char* record;
  errc code;
  const char* path;
};

class IngestRejects : public ::testing::TestWithParam<rejected_case> {};

TEST_P(IngestRejects, WithPathAndReasonAndKeepsTheOthers) {
  const auto& c = GetParam();
  auto p = prepare_body(widget(std::string(c.record) +
                               R"(,{"id":"ok","survey_id":"after-onboarding","answers":{"nps":10}})"));
  ASSERT_EQ(p.verdicts.size(), 2u);
  EXPECT_EQ(p.verdicts[0].outcome, verdict::rejected);
  EXPECT_EQ(p.verdicts[0].why.code, c.code) << p.verdicts[0].why.reason;
  EXPECT_EQ(p.verdicts[0].why.path, c.path) << p.verdicts[0].why.reason;
  EXPECT_FALSE(p.verdicts[0].why.reason.empty());
  EXPECT_EQ(p.verdicts[1].outcome, verdict::pending);
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].id, "ok");
}

INSTANTIATE_TEST_SUITE_P(
    Records, IngestRejects,
    ::testing::Values(
        rejected_case{R"({"id":"x","survey_id":"nope","answers":{"nps":1}})", errc::not_found, "survey_id"},
        rejected_case{R"({"id":"x","survey_id":"after-onboarding","survey_version":2,"answers":{"nps":1}})",
                      errc::not_found, "survey_version"},
        rejected_case{R"({"id":"x","survey_id":"after-onboarding","answers":{"nps":11}})", errc::out_of_range,
                      "answers.nps"},
        rejected_case{R"({"id":"x","survey_id":"after-onboarding","answers":{"nps":"9"}})", errc::wrong_type,
                      "answers.nps"},
        rejected_case{R"({"id":"x","survey_id":"after-onboarding","answers":{}})", errc::missing_field, "answers.nps"},
        // A detractor-only question answered by a promoter: hidden, so the answer is a problem.
        rejected_case{R"({"id":"x","survey_id":"after-onboarding","answers":{"nps":10,"what_went_wrong":"?"}})",
                      errc::invalid_argument, "answers.what_went_wrong"},
        rejected_case{R"({"survey_id":"after-onboarding","answers":{"nps":1}})", errc::missing_field, "id"},
        rejected_case{R"({"id":"x","survey_id":"after-onboarding","timestamp":"yesterday","answers":{"nps":1}})",
                      errc::invalid_argument, "timestamp"}));

TEST(Ingest, LocalScoreThatDiffersFromTheCoresIsCountedNotRefused) {
  const std::string same =
      R"({"id":"a","survey_id":"after-onboarding","answers":{"nps":9,"ces":3},)"
      R"("local_score":{"nps":{"category":"promoter","top_box":true},"ces":{"top_box":false}}})";
  const std::string wrong_category =
      R"({"id":"b","survey_id":"after-onboarding","answers":{"nps":8},"local_score":{"nps":{"category":"promoter","top_box":true}}})";
  const std::string missing_question =
      R"({"id":"c","survey_id":"after-onboarding","answers":{"nps":9,"csat":5},"local_score":{"nps":{"category":"promoter","top_box":true}}})";
  const std::string extra_question =
      R"({"id":"d","survey_id":"after-onboarding","answers":{"nps":9},"local_score":{"nps":{"category":"promoter","top_box":true},"ces":{"top_box":true}}})";
  auto p = prepare_body(widget(same + "," + wrong_category + "," + missing_question + "," + extra_question));
  ASSERT_EQ(p.rows.size(), 4u);
  EXPECT_FALSE(p.rows[0].score_mismatch);
  EXPECT_TRUE(p.rows[1].score_mismatch);
  EXPECT_TRUE(p.rows[2].score_mismatch);
  EXPECT_TRUE(p.rows[3].score_mismatch);
  EXPECT_EQ(p.score_mismatches, 3u);
}

const char* outbox_head =
    R"({"format":"cxm.batch","version":1,"batch":"b-1","source":"install-7f3a","sent_at":"2025-10-09T08:53:21.234Z",)";

TEST(Ingest, OutboxEventsNeedAnIdAndAValidEvent) {
  batch b;
  auto p = prepare_body(
      std::string(outbox_head) +
          R"("events":[{"id":"e1","journey_id":"kyc","type":"step_begin","step":"start","timestamp":"2025-10-09T08:53:00Z"},)"
          R"({"journey_id":"kyc","type":"step_begin","step":"start","timestamp":"2025-10-09T08:53:00Z"},)"
          R"({"id":"e3","journey_id":"kyc","type":"teleport","timestamp":"2025-10-09T08:53:00Z"}]})",
      &b);
  ASSERT_EQ(p.verdicts.size(), 3u);
  EXPECT_EQ(p.verdicts[0].outcome, verdict::pending);
  EXPECT_EQ(p.verdicts[1].why.path, "id");
  EXPECT_EQ(p.verdicts[2].outcome, verdict::rejected);
  EXPECT_EQ(p.verdicts[2].why.path, "type");
  ASSERT_EQ(p.events.size(), 1u);
  EXPECT_EQ(p.events[0].source, "install-7f3a");
  EXPECT_EQ(p.events[0].id, "e1");
}

TEST(Ingest, AggregatesAreDecodedByTheCoreAndStoredCanonical) {
  auto rec = recorder::make({{"onboarding.nps", metric_kind::nps}});
  ASSERT_TRUE(rec);
  ASSERT_TRUE(rec->record(0, 9));
  ASSERT_TRUE(rec->record(0, 3));
  const std::string snapshot = to_json(rec->snapshot());
  auto p = prepare_body(std::string(outbox_head) + R"("aggregates":[)" +
                        R"({"id":"s1","captured_at":"2025-10-09T08:53:24.000Z","snapshot":)" + snapshot + "}," +
                        R"({"id":"s2","captured_at":"not a time","snapshot":)" + snapshot + "}," +
                        R"({"id":"s3","captured_at":"2025-10-09T08:53:24.000Z","snapshot":{"format":"cxm.recorder_snapshot","version":9}}]})");
  ASSERT_EQ(p.verdicts.size(), 3u);
  EXPECT_EQ(p.verdicts[0].outcome, verdict::pending);
  EXPECT_EQ(p.verdicts[1].why.path, "captured_at");
  EXPECT_EQ(p.verdicts[2].why.path, "snapshot");
  EXPECT_EQ(p.verdicts[2].why.code, errc::unsupported_version);
  ASSERT_EQ(p.aggregates.size(), 1u);
  EXPECT_EQ(p.aggregates[0].source, "install-7f3a");
  EXPECT_EQ(p.aggregates[0].captured_ms, 1'760'000'004'000);
  EXPECT_EQ(p.aggregates[0].snapshot, snapshot);
}

TEST(Ingest, SettleMapsStoreOutcomesToVerdictsInBodyOrder) {
  batch b;
  auto p = prepare_body(
      std::string(outbox_head) +
          R"("responses":[{"id":"r1","survey_id":"after-onboarding","answers":{"nps":1}},{"id":"bad","survey_id":"x","answers":{}},)"
          R"({"id":"r2","survey_id":"after-onboarding","answers":{"nps":7}}],)"
          R"("events":[{"id":"e1","journey_id":"kyc","type":"step_end","step":"start","timestamp":1}]})",
      &b);
  ASSERT_EQ(p.slots.size(), 3u);
  settle(p, {insert_outcome::stored, insert_outcome::duplicate, insert_outcome::stored});
  EXPECT_EQ(p.verdicts[0].outcome, verdict::accepted);
  EXPECT_EQ(p.verdicts[1].outcome, verdict::rejected);
  EXPECT_EQ(p.verdicts[2].outcome, verdict::duplicate);
  EXPECT_EQ(p.verdicts[3].outcome, verdict::accepted);
  EXPECT_EQ(verdicts_json(b, p),
            R"({"format":"cxm.verdicts","version":1,"batch":"b-1","accepted":2,"duplicate":1,"rejected":1,"records":[)"
            R"({"array":"responses","index":0,"id":"r1","verdict":"accepted"},)"
            R"({"array":"responses","index":1,"id":"bad","verdict":"rejected","path":"survey_id","code":"not_found","reason":"no survey \"x\" is served here"},)"
            R"({"array":"responses","index":2,"id":"r2","verdict":"duplicate"},)"
            R"({"array":"events","index":0,"id":"e1","verdict":"accepted"}]})");
}

}  // namespace
}  // namespace cxm::server
