// SPDX-License-Identifier: MIT
// The C ABI of survey definitions (cxm.h): parse, visible questions, validate and score.
// Translation of cxm/survey only: the scored result's JSON is the core's (survey/scoring.hpp).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "capi/capi.hpp"
#include "cxm/survey/answers.hpp"
#include "cxm/survey/definition.hpp"
#include "cxm/survey/scoring.hpp"
#include "io/json_writer.hpp"

namespace capi = cxm::capi;

namespace {

// Reads the answers document; on failure the status (detail prefixed "answers: ", as every
// binding reports it).
cxm_status read_answers(std::string_view text, std::optional<cxm::answers>& out) {
  auto r = cxm::answers::from_json(text);
  if (!r.ok()) return capi::fail(r.code(), "answers: " + r.detail());
  out.emplace(std::move(r).value());
  return CXM_OK;
}

// The arguments every answers function checks: the survey, the text, the out-pointers.
cxm_status check(const char* function, const cxm_survey* survey, const char* answers_json, std::size_t len,
                 char** out, std::size_t* out_len, std::string_view& text) noexcept {
  capi::clear(out);
  if (out_len != nullptr) *out_len = 0;
  if (survey == nullptr) return capi::null_argument(function, "survey");
  if (out == nullptr) return capi::null_argument(function, "out");
  return capi::text_argument(function, "answers_json", answers_json, len, text);
}

}  // namespace

extern "C" {

CXM_C_API cxm_status cxm_survey_parse(const char* json, std::size_t len, cxm_survey** out) {
  capi::clear(out);
  if (out == nullptr) return capi::null_argument(__func__, "out");
  std::string_view text;
  if (const cxm_status s = capi::text_argument(__func__, "json", json, len, text); s != CXM_OK) return s;
  return capi::guard([&] {
    auto r = cxm::survey::parse(text);
    if (!r.ok()) return capi::from(r);
    return capi::make_handle(std::move(r).value(), out);
  });
}

CXM_C_API void cxm_survey_destroy(cxm_survey* survey) { delete survey; }

CXM_C_API cxm_status cxm_survey_visible_questions(const cxm_survey* survey, const char* answers_json, std::size_t len,
                                                  char** out, std::size_t* out_len) {
  std::string_view text;
  if (const cxm_status s = check(__func__, survey, answers_json, len, out, out_len, text); s != CXM_OK) return s;
  return capi::guard([&] {
    std::optional<cxm::answers> answers;
    if (const cxm_status s = read_answers(text, answers); s != CXM_OK) return s;
    const cxm::survey& def = survey->value;
    cxm::detail::json_writer w;
    w.begin_array();
    for (const std::size_t i : cxm::visible_questions(def, *answers)) w.value(def.questions()[i].id);
    w.end_array();
    return capi::give_string(w.str(), out, out_len);
  });
}

CXM_C_API cxm_status cxm_survey_score(const cxm_survey* survey, const char* answers_json, std::size_t len, char** out,
                                      std::size_t* out_len) {
  std::string_view text;
  if (const cxm_status s = check(__func__, survey, answers_json, len, out, out_len, text); s != CXM_OK) return s;
  return capi::guard([&] {
    std::optional<cxm::answers> answers;
    if (const cxm_status s = read_answers(text, answers); s != CXM_OK) return s;
    const cxm::survey& def = survey->value;
    return capi::give_string(cxm::to_json(def, cxm::score(def, *answers)), out, out_len);
  });
}

}  // extern "C"
