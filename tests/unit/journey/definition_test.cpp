// SPDX-License-Identifier: MIT
// Journey definitions: the test definition decodes as written; bad definitions are rejected
// with errors naming the path; the JSON form round-trips.
#include "cxm/journey/definition.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_support.hpp"

namespace {

std::string base(const std::string& stages, const std::string& extra = "") {
  return R"({"format":"cxm.journey","version":1,"id":"j","revision":1,"abandon_after_ms":1000,)"
         R"("reorder_window_ms":0,"recontact_window_days":7,"max_open_journeys":10,"stages":)" +
         stages + extra + "}";
}
const std::string one_stage = R"([{"name":"s","steps":[{"name":"a","touchpoint":"t","channel":"web"}]}])";

TEST(Journey, TestDefinitionDecodes) {
  auto def = cxm::journey_definition_from_json(cxm_test::test_data("journeys/definition.json"));
  ASSERT_TRUE(def.ok()) << def.detail();
  EXPECT_EQ(def->id, "test-switch");
  EXPECT_EQ(def->revision, 2);
  ASSERT_EQ(def->steps.size(), 4u);
  EXPECT_EQ(def->stages.size(), 2u);
  EXPECT_EQ(def->steps[1].name, "identity_check");
  EXPECT_EQ(def->steps[1].channel, "app");
  EXPECT_EQ(def->steps[2].stage, 1u);
  EXPECT_FALSE(def->steps[3].funnel);
  EXPECT_EQ(def->step_index("card_ordered"), 2);
  EXPECT_EQ(def->step_index("nope"), -1);
  const int friend_advice = def->touchpoint_index("friend_advice");
  ASSERT_GE(friend_advice, 0);
  EXPECT_FALSE(def->touchpoints[static_cast<std::size_t>(friend_advice)].controlled);
  EXPECT_TRUE(def->touchpoints[def->steps[0].touchpoint].controlled);
  EXPECT_EQ(def->reorder_window_ms, 1000);
  EXPECT_EQ(def->max_open_journeys, 100u);
}

TEST(Journey, RoundTrips) {
  auto def = cxm::journey_definition_from_json(cxm_test::test_data("journeys/definition.json"));
  ASSERT_TRUE(def.ok());
  const std::string once = cxm::to_json(*def);
  auto again = cxm::journey_definition_from_json(once);
  ASSERT_TRUE(again.ok()) << again.detail();
  EXPECT_EQ(cxm::to_json(*again), once);
  auto bundled = cxm::journey_definition_from_json(cxm_test::read_file(std::string(CXM_EXAMPLES_DATA_DIR) + "/journey.json"));
  EXPECT_TRUE(bundled.ok()) << bundled.detail();
}

struct bad_case {
  const char* what;
  std::string json;
  cxm::errc code;
  const char* path;  // expected at the start of the detail
};

TEST(Journey, BadDefinitionsAreRejectedNamingThePath) {
  const std::string ok_steps = one_stage;
  const bad_case cases[] = {
      {"not json", "{", cxm::errc::parse_error, ""},
      {"other format", R"({"format":"cxm.survey","version":1})", cxm::errc::incompatible, "format"},
      {"other version", R"({"format":"cxm.journey","version":2})", cxm::errc::unsupported_version, "version"},
      // The version rule of strict_json's check_header (json_reader::legacy_header).
      {"fractional version", R"({"format":"cxm.journey","version":1.5})", cxm::errc::not_integer,
       "version: expected an integer"},
      {"huge version", R"({"format":"cxm.journey","version":10000000})", cxm::errc::out_of_range, "version"},
      {"version over 2^63", R"({"format":"cxm.journey","version":18446744073709551615})", cxm::errc::wrong_type,
       "version"},
      {"version a string", R"({"format":"cxm.journey","version":"1"})", cxm::errc::wrong_type, "version"},
      {"unknown key", base(ok_steps, R"(,"colour":1)"), cxm::errc::invalid_argument,
       R"((root): unknown field "colour" (expected one of: format, version, id, revision, abandon_after_ms, )"
       R"(reorder_window_ms, recontact_window_days, max_open_journeys, stages, touchpoints))"},
      {"unknown step key", base(R"([{"name":"s","steps":[{"name":"a","touchpoint":"t","channel":"w","colour":1}]}])"),
       cxm::errc::invalid_argument,
       R"(stages[0].steps[0]: unknown field "colour" (expected one of: name, touchpoint, channel, controlled, funnel))"},
      {"duplicate key", base(ok_steps, R"(,"stages":[])"), cxm::errc::duplicate_key, "stages"},
      {"no stages", base("[]"), cxm::errc::invalid_argument, "stages"},
      {"step without channel", base(R"([{"name":"s","steps":[{"name":"a","touchpoint":"t"}]}])"),
       cxm::errc::missing_field, "stages[0].steps[0].channel"},
      {"channel not a string", base(R"([{"name":"s","steps":[{"name":"a","touchpoint":"t","channel":3}]}])"),
       cxm::errc::wrong_type, "stages[0].steps[0].channel"},
      {"duplicate step", base(R"([{"name":"s","steps":[{"name":"a","touchpoint":"t","channel":"w"},{"name":"a","touchpoint":"t","channel":"w"}]}])"),
       cxm::errc::invalid_argument, "stages[0].steps[1].name"},
      {"duplicate stage", base(R"([{"name":"s","steps":[{"name":"a","touchpoint":"t","channel":"w"}]},{"name":"s","steps":[{"name":"b","touchpoint":"t","channel":"w"}]}])"),
       cxm::errc::invalid_argument, "stages[1].name"},
      {"empty name", base(R"([{"name":"","steps":[{"name":"a","touchpoint":"t","channel":"w"}]}])"),
       cxm::errc::invalid_argument, "stages[0].name"},
      {"controlled disagrees", base(ok_steps, R"(,"touchpoints":[{"name":"t","controlled":false}])"),
       cxm::errc::invalid_argument, "stages[0].steps[0].controlled"},
      {"no funnel step", base(R"([{"name":"s","steps":[{"name":"a","touchpoint":"t","channel":"w","funnel":false}]}])"),
       cxm::errc::invalid_argument, "steps"},
      {"negative window", R"({"format":"cxm.journey","version":1,"id":"j","revision":1,"abandon_after_ms":1000,"reorder_window_ms":-1,"recontact_window_days":7,"max_open_journeys":10,"stages":)" + ok_steps + "}",
       cxm::errc::out_of_range, "reorder_window_ms"},
      {"zero cap", R"({"format":"cxm.journey","version":1,"id":"j","revision":1,"abandon_after_ms":1000,"reorder_window_ms":0,"recontact_window_days":7,"max_open_journeys":0,"stages":)" + ok_steps + "}",
       cxm::errc::out_of_range, "max_open_journeys"},
      {"fractional timeout", R"({"format":"cxm.journey","version":1,"id":"j","revision":1,"abandon_after_ms":1.5,"reorder_window_ms":0,"recontact_window_days":7,"max_open_journeys":1,"stages":)" + ok_steps + "}",
       cxm::errc::not_integer, "abandon_after_ms"},
      {"recontact window too long", R"({"format":"cxm.journey","version":1,"id":"j","revision":1,"abandon_after_ms":1,"reorder_window_ms":0,"recontact_window_days":400,"max_open_journeys":1,"stages":)" + ok_steps + "}",
       cxm::errc::out_of_range, "recontact_window_days"},
      // Found by fuzzing: an unsigned value over INT64_MAX computed INT64_MAX + 1 (UB).
      {"revision over 2^63", R"({"format":"cxm.journey","version":1,"id":"j","revision":13883139815726120960,"abandon_after_ms":1,"reorder_window_ms":0,"recontact_window_days":4,"max_open_journeys":1,"stages":)" + ok_steps + "}",
       cxm::errc::out_of_range, "revision"},
      {"missing id", R"({"format":"cxm.journey","version":1,"revision":1,"abandon_after_ms":1,"reorder_window_ms":0,"recontact_window_days":4,"max_open_journeys":1,"stages":)" + ok_steps + "}",
       cxm::errc::missing_field, "id"},
  };
  for (const bad_case& c : cases) {
    auto r = cxm::journey_definition_from_json(c.json);
    ASSERT_FALSE(r.ok()) << c.what;
    EXPECT_EQ(r.code(), c.code) << c.what << ": " << r.detail();
    EXPECT_EQ(r.detail().rfind(c.path, 0), 0u) << c.what << ": " << r.detail();
  }
}

// The bytes of the JSON form, frozen: key order, every optional key written, touchpoints that a
// step owns written with the step, the others in "touchpoints".
TEST(Journey, EncodingIsFrozen) {
  cxm::journey_definition d;
  d.id = "j\"1";
  d.revision = INT64_MAX;
  d.stages = {"apply", "use"};
  d.touchpoints = {{"form", true}, {"friend", false}, {"app\xc3\xa9", true}};
  d.steps.push_back({"a", 0, 0, "web", true});
  d.steps.push_back({"b", 1, 2, "app", false});
  d.steps.push_back({"c", 1, 0, "web", true});
  d.max_open_journeys = 16777216;
  ASSERT_TRUE(d.validate().ok());
  const std::string json = cxm::to_json(d);
  EXPECT_EQ(json,
            R"({"format":"cxm.journey","version":1,"id":"j\"1","revision":9223372036854775807,)"
            R"("abandon_after_ms":1209600000,"reorder_window_ms":60000,"recontact_window_days":7,)"
            R"("max_open_journeys":16777216,"stages":[{"name":"apply","steps":[{"name":"a","touchpoint":"form",)"
            R"("channel":"web","controlled":true,"funnel":true}]},{"name":"use","steps":[{"name":"b","touchpoint":"app)"
            "\xc3\xa9"
            R"(","channel":"app","controlled":true,"funnel":false},{"name":"c","touchpoint":"form","channel":"web",)"
            R"("controlled":true,"funnel":true}]}],"touchpoints":[{"name":"friend","controlled":false}]})");
  auto back = cxm::journey_definition_from_json(json);
  ASSERT_TRUE(back.ok()) << back.detail();
  EXPECT_EQ(cxm::to_json(*back), json);
}

TEST(Journey, ValidateChecksHandBuiltDefinitions) {
  cxm::journey_definition d;
  d.id = "x";
  d.stages = {"s"};
  d.touchpoints = {{"t", true}};
  d.steps.push_back({"a", 0, 0, "web", true});
  EXPECT_TRUE(d.validate().ok());
  d.steps.push_back({"b", 0, 5, "web", true});
  auto r = d.validate();
  EXPECT_EQ(r.code(), cxm::errc::out_of_range);
  EXPECT_EQ(r.detail().rfind("steps[1].touchpoint", 0), 0u);
}

}  // namespace
