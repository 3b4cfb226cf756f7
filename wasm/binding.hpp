// SPDX-License-Identifier: MIT
// What every embind translation unit shares: the codes and numbers that cross to JS, the reply
// objects, the JSON text of structured results, and the constants() report of the names and
// limits this module was built with. The bindings only translate: every rule they apply is the
// core's, and every helper they need is here, once.
//
// JSON text is written with the core's own writer (sdk/src/io/json_writer.hpp): the same
// escapes and number forms as every encoder of the core, and no second copy of them here.
// js/*.mjs JSON.parse it, so every key becomes an own property and an id such as "__proto__"
// stays data.
#ifndef CXM_WASM_BINDING_HPP
#define CXM_WASM_BINDING_HPP

#include <emscripten/val.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <iterator>
#include <vector>

#include "cxm/core/limits.hpp"
#include "cxm/core/problem.hpp"
#include "cxm/core/status.hpp"
#include "cxm/survey/answers.hpp"
#include "io/json_writer.hpp"

namespace cxm_wasm {

using emscripten::val;
using json_writer = cxm::detail::json_writer;

// ---- codes and numbers -----------------------------------------------------------------------

constexpr int code_of(cxm::errc e) noexcept { return static_cast<int>(e); }
constexpr int code_of(cxm::status s) noexcept { return static_cast<int>(s.code()); }

/// Counts cross as double: exact up to 2^53, which the JS API documents.
inline double as_double(std::uint64_t n) noexcept { return static_cast<double>(n); }

/// An errc from a JS number; internal for anything that is not one of its values.
inline cxm::errc errc_of(int code) noexcept {
  return code >= 0 && code <= code_of(cxm::last_errc) ? static_cast<cxm::errc>(code) : cxm::errc::internal;
}

/// The core's name() of an enum value. Unqualified, so that the overload for E is found where
/// the template is used (argument-dependent lookup), whichever header declares it.
template <class E>
const char* name_of(E e) noexcept {
  using cxm::name;
  return name(e);
}

/// The value of E among 0..last whose name (the core's name()) is `text`; false for any other.
template <class E>
bool from_name(std::string_view text, E last, E& out) noexcept {
  for (int i = 0; i <= static_cast<int>(last); ++i) {
    if (text == name_of(static_cast<E>(i))) {
      out = static_cast<E>(i);
      return true;
    }
  }
  return false;
}

// Numbers from JS arrive as double (embind would truncate 9.5 to 9 for an int parameter); the
// wrapper checked them, and these check them again before they become integers.

/// A double holding an int in [lo, hi] exactly; false for 1.5, NaN, 1e12.
inline bool int_of(double x, int lo, int hi, int& out) noexcept {
  if (!(x >= lo && x <= hi) || std::floor(x) != x) return false;
  out = static_cast<int>(x);
  return true;
}

/// A double holding a count 0..2^53 exactly; false for 1.5, NaN, -1, 1e300.
inline bool count_of(double x, std::uint64_t& out) noexcept {
  if (!(x >= 0.0 && x <= 9007199254740992.0) || std::floor(x) != x) return false;
  out = static_cast<std::uint64_t>(x);
  return true;
}

/// A double holding a safe integer (|x| <= 2^53 - 1), such as a time in ms.
inline bool safe_int_of(double x, std::int64_t& out) noexcept {
  if (!(std::fabs(x) <= 9007199254740991.0) || std::floor(x) != x) return false;
  out = static_cast<std::int64_t>(x);
  return true;
}

/// Wasm memory [ptr, ptr + size) lies inside the current linear memory.
inline bool in_memory(std::uintptr_t ptr, std::size_t size) noexcept {
  const std::uintptr_t end = __builtin_wasm_memory_size(0) * std::uintptr_t{65536};
  return ptr != 0 && ptr <= end && size <= end - ptr;
}

// ---- replies ---------------------------------------------------------------------------------

/// {code, detail}; detail is empty when code is 0.
inline val reply(cxm::errc code, const std::string& detail = {}) {
  val o = val::object();
  o.set("code", code_of(code));
  o.set("detail", detail);
  return o;
}

/// {code, detail, json}: `json` is the result's JSON text (empty unless code is 0).
inline val reply_json(cxm::errc code, const std::string& detail, const std::string& json = {}) {
  val o = reply(code, detail);
  o.set("json", json);
  return o;
}

/// {code, detail, <key>}: the value (a bound class, owned by JS, to be delete()d) only when code is 0.
template <class T>
val made(cxm::result<T>&& r, const char* key) {
  val o = reply(r.code(), r.ok() ? std::string() : r.detail());
  if (r.ok()) o.set(key, val(std::move(r).value()));
  return o;
}

// ---- survey answers and their problems -------------------------------------------------------

/// [{question, code, codeName, reason}, ...]: problems of answers against a survey, whose path
/// is the question id (scoring.hpp); JS calls it `question`.
inline void write_problems(json_writer& w, const std::vector<cxm::problem>& problems) {
  w.begin_array();
  for (const cxm::problem& p : problems) {
    w.begin_object();
    w.key("question").value(p.path);
    w.key("code").value(code_of(p.code));
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

/// Decodes answers (JSON text written by survey.mjs) into `out`; on failure, the reply to return.
inline std::optional<val> read_answers(const std::string& text, std::optional<cxm::answers>& out) {
  auto a = cxm::answers::from_json(text);
  if (!a.ok()) return reply_json(a.code(), "answers: " + a.detail());
  out = std::move(a).value();
  return std::nullopt;
}

// ---- constants(): the names and limits of this build -----------------------------------------
// Each TU publishes, from its EMSCRIPTEN_BINDINGS block, the enums and limits of the code it
// binds (the survey-only module reports only the survey's). The names come from the core's own
// name() tables, the numbers from its constants. js/context.mjs compares the report with the
// generated constants.mjs when a module is loaded, and test/constants.test.mjs compares both with
// the headers: JS never keeps a list of its own. The report is JSON text with integers only, so
// the survey-only module links no double formatting for it.

/// One entry of the report: constants()[group][key]. A list's names are read through `item`
/// when JS asks (after every static initializer ran); a limit is an integer.
struct published_constant {
  const char* group;
  const char* key;
  const char* (*item)(std::size_t);
  std::size_t count;
  std::int64_t number;
};

/// The entries, in a fixed array: the survey-only module ships this code, and a vector's growth
/// would be most of it. 64 leaves room to spare; overflowing it traps while the module loads,
/// which every test sees.
struct published_table {
  published_constant entries[64];
  std::size_t size;
  void add(const published_constant& c) noexcept {
    if (size == std::size(entries)) __builtin_trap();
    entries[size++] = c;
  }
};

inline published_table& published_constants() noexcept {
  static published_table table{};
  return table;
}

template <class E>
const char* enum_item(std::size_t i) noexcept {
  return name_of(static_cast<E>(i));
}

inline const char* list_name(cxm::errc e) noexcept { return cxm::name(e); }
inline const char* list_name(std::string_view s) noexcept { return s.data(); }  // a literal: NUL-terminated
template <const auto& List>
const char* list_item(std::size_t i) noexcept {
  return list_name(List[i]);
}

/// constants()["enums"][key]: the names of E's values 0..last.
template <class E>
void publish_enum(const char* key, E last) {
  published_constants().add({"enums", key, &enum_item<E>, static_cast<std::size_t>(last) + 1, 0});
}

/// constants()["lists"][key]: the names of an array the core declares (errc values or strings).
template <const auto& List>
void publish_list(const char* key) {
  published_constants().add({"lists", key, &list_item<List>, List.size(), 0});
}

/// constants()["limits"][key]: a size or a bound.
inline void publish_limit(const char* key, std::int64_t value) {
  published_constants().add({"limits", key, nullptr, 0, value});
}

/// A format's json_limits, as two limits: constants()["limits"][bytes_key] and [depth_key].
inline void publish_json_limits(const char* bytes_key, const char* depth_key, const cxm::json_limits& l) {
  publish_limit(bytes_key, static_cast<std::int64_t>(l.max_bytes));
  publish_limit(depth_key, static_cast<std::int64_t>(l.max_depth));
}

/// JSON text: {"enums": {key: [names]}, "lists": {key: [names]}, "limits": {key: integer}}.
inline std::string constants() {
  json_writer w;
  w.begin_object();
  for (const char* group : {"enums", "lists", "limits"}) {
    w.key(group).begin_object();
    const published_table& table = published_constants();
    for (std::size_t n = 0; n < table.size; ++n) {
      const published_constant& c = table.entries[n];
      if (std::string_view(c.group) != group) continue;
      w.key(c.key);
      if (c.item == nullptr) {
        w.value(c.number);
        continue;
      }
      w.begin_array();
      for (std::size_t i = 0; i < c.count; ++i) w.value(c.item(i));
      w.end_array();
    }
    w.end_object();
  }
  w.end_object();
  return w.take();
}

}  // namespace cxm_wasm

#endif  // CXM_WASM_BINDING_HPP
