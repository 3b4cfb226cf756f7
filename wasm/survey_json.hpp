// SPDX-License-Identifier: MIT
// Shared by the survey bindings: writing the results that cross to JS as JSON
// text (cxm.mjs JSON.parses them, so every key becomes an own property and an id such as
// "__proto__" stays data). Hand-written instead of Boost.JSON's DOM and serializer so that the
// survey-only module links neither (see bindings_survey.cpp).
#ifndef CXM_WASM_SURVEY_JSON_HPP
#define CXM_WASM_SURVEY_JSON_HPP

#include <emscripten/val.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cxm/core/problem.hpp"
#include "cxm/core/status.hpp"
#include "cxm/survey/answers.hpp"
#include "cxm/survey/scoring.hpp"
#include "json_writer.hpp"

namespace cxm_wasm {


/// [{question, code, codeName, reason}, ...]: problems of answers against a survey, whose path is
/// the question id (scoring.hpp); JS keeps calling it `question`.
inline void write_problems(json_writer& w, const std::vector<cxm::problem>& problems) {
  w.begin_array();
  for (const cxm::problem& p : problems) {
    w.begin_object();
    w.key("question").value(p.path);
    w.key("code").value(static_cast<std::int64_t>(p.code));
    w.key("codeName").value(cxm::name(p.code));
    w.key("reason").value(p.reason);
    w.end_object();
  }
  w.end_array();
}

/// {ok, problems}
inline std::string validation_json(const std::vector<cxm::problem>& problems) {
  json_writer w;
  w.begin_object().key("ok").value(problems.empty()).key("problems");
  write_problems(w, problems);
  w.end_object();
  return w.take();
}

/// {code, detail, json}: `json` is the result text when code is 0.
inline emscripten::val reply(cxm::errc code, const std::string& detail, const std::string& text = {}) {
  emscripten::val o = emscripten::val::object();
  o.set("code", static_cast<int>(code));
  o.set("detail", detail);
  o.set("json", text);
  return o;
}

/// Decodes answers (JSON text written by cxm.mjs) into `out`; on failure, the reply to return.
inline std::optional<emscripten::val> read_answers(const std::string& text, std::optional<cxm::answers>& out) {
  auto a = cxm::answers::from_json(text);
  if (!a.ok()) return reply(a.code(), "answers: " + a.detail());
  out = std::move(a).value();
  return std::nullopt;
}

}  // namespace cxm_wasm

#endif  // CXM_WASM_SURVEY_JSON_HPP
