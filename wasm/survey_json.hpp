// SPDX-License-Identifier: MIT
// Shared by the survey bindings: a minimal JSON writer for the results that cross to JS as
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

#include "cxm/status.hpp"
#include "cxm/survey_response.hpp"

namespace cxm_wasm {

/// Appends JSON tokens to a string, inserting the commas. Strings must be valid UTF-8 (they all
/// come from validated input); only '"', '\\' and control characters are escaped.
class json_writer {
 public:
  json_writer& begin_object() { return open('{'); }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }
  json_writer& key(std::string_view k) {
    separate();
    quote(k);
    out_ += ':';
    first_ = true;
    return *this;
  }
  json_writer& value(std::string_view s) {
    separate();
    quote(s);
    return *this;
  }
  json_writer& value(const char* s) { return value(std::string_view(s)); }
  json_writer& value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
  }
  json_writer& value(std::int64_t i) {
    separate();
    out_ += std::to_string(i);
    return *this;
  }
  std::string take() { return std::move(out_); }

 private:
  json_writer& open(char c) {
    separate();
    out_ += c;
    first_ = true;
    return *this;
  }
  json_writer& close(char c) {
    out_ += c;
    first_ = false;
    return *this;
  }
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  void quote(std::string_view s) {
    out_ += '"';
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
      } else if (u < 0x20) {
        out_ += "\\u00";
        out_ += "0123456789abcdef"[u >> 4];
        out_ += "0123456789abcdef"[u & 15];
      } else {
        out_ += c;
      }
    }
    out_ += '"';
  }

  std::string out_;
  bool first_ = true;
};

/// [{question, code, codeName, reason}, ...]
inline void write_problems(json_writer& w, const std::vector<cxm::survey_problem>& problems) {
  w.begin_array();
  for (const cxm::survey_problem& p : problems) {
    w.begin_object();
    w.key("question").value(p.question);
    w.key("code").value(static_cast<std::int64_t>(p.code));
    w.key("codeName").value(cxm::name(p.code));
    w.key("reason").value(p.reason);
    w.end_object();
  }
  w.end_array();
}

/// {ok, problems}
inline std::string validation_json(const std::vector<cxm::survey_problem>& problems) {
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
inline std::optional<emscripten::val> read_answers(const std::string& text, std::optional<cxm::survey_answers>& out) {
  auto a = cxm::survey_answers::from_json(text);
  if (!a.ok()) return reply(a.code(), "answers: " + a.detail());
  out = std::move(a).value();
  return std::nullopt;
}

}  // namespace cxm_wasm

#endif  // CXM_WASM_SURVEY_JSON_HPP
