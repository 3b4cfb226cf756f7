// SPDX-License-Identifier: MIT
// Helpers of the survey tests: the shared test tables under tests/data/surveys (also read by
// wasm/test/survey.test.mjs) and the patch operations of invalid_definitions.json.
#ifndef CXM_TESTS_SURVEY_TEST_SUPPORT_HPP
#define CXM_TESTS_SURVEY_TEST_SUPPORT_HPP

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "test_support.hpp"

namespace survey_test {

namespace json = boost::json;

/// examples/web/surveys/after-onboarding.json, the sample survey.
inline std::string sample_survey_text() {
  return cxm_test::read_file(std::string(CXM_EXAMPLES_DATA_DIR) + "/../web/surveys/after-onboarding.json");
}

/// A JSON file under tests/data (null on error, which the tests then report).
inline json::value read_json(const std::string& name) {
  json::error_code ec;
  json::value v = json::parse(cxm_test::test_data(name), ec);
  return ec ? json::value() : v;
}

/// Applies one {"op":"set"|"remove","path":[key or index...],"value":...} to `doc`.
inline void apply(json::value& doc, const json::object& op) {
  const json::array& path = op.at("path").as_array();
  json::value* at = &doc;
  for (std::size_t i = 0; i + 1 < path.size(); ++i)
    at = path[i].is_string() ? &at->as_object()[path[i].as_string()] : &at->as_array()[static_cast<std::size_t>(path[i].as_int64())];
  const json::value& last = path.back();
  if (op.at("op").as_string() == "remove") {
    if (last.is_string()) at->as_object().erase(last.as_string());
    else at->as_array().erase(at->as_array().begin() + last.as_int64());
  } else if (last.is_string()) {
    at->as_object()[last.as_string()] = op.at("value");
  } else {
    at->as_array()[static_cast<std::size_t>(last.as_int64())] = op.at("value");
  }
}

/// The definition text of a case of invalid_definitions.json: its "text", or the base survey
/// with its "ops" applied.
inline std::string case_text(const json::value& c) {
  if (const json::value* t = c.as_object().if_contains("text")) return std::string(t->as_string());
  json::value doc = read_json("surveys/conditions.json");
  for (const json::value& op : c.at("ops").as_array()) apply(doc, op.as_object());
  return json::serialize(doc);
}

}  // namespace survey_test

#endif  // CXM_TESTS_SURVEY_TEST_SUPPORT_HPP
