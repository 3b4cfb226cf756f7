// SPDX-License-Identifier: MIT
// Survey definitions: strict parsing and validation of the cxm.survey format (specified in
// cxm/survey.hpp), the canonical encoding, locale resolution and text fallback.
//
// The parser is written for size as much as speed (it ships in the survey widget's wasm): paths
// and messages are built only when an error is reported, by one out-of-line function.
#include "cxm/survey/definition.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

#include "io/strict_json.hpp"

CXM_BEGIN_NAMESPACE

namespace json = boost::json;

namespace {

constexpr std::size_t max_locales = 50;
constexpr std::size_t max_questions = 200;
constexpr std::size_t max_choices = 100;
constexpr std::size_t max_children = 32;
constexpr std::size_t max_text_bytes = 4096;
constexpr std::size_t max_question_id = 64;
constexpr std::size_t max_survey_id = 128;
constexpr std::int64_t max_cooldown_days = 3650;
constexpr std::int64_t max_survey_version = (std::int64_t{1} << 53) - 1;  // exact in JS
constexpr int default_max_length = 1000;
constexpr int max_max_length = 10000;

constexpr const char* type_names[] = {"nps", "ces", "csat", "emotion", "choice", "text"};
constexpr const char* category_names[] = {"detractor", "passive", "promoter"};
constexpr const char* ui_names[ui_string_count] = {"title",    "intro",      "next",     "back",
                                                    "submit",   "thank_you",  "dismiss",  "progress",
                                                    "characters", "required", "too_long", "invalid"};

bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) noexcept { return is_alpha(c) || (c >= '0' && c <= '9'); }

bool is_identifier(std::string_view s, std::size_t max, bool allow_dot) noexcept {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '_' && c != '-' && !(allow_dot && c == '.')) return false;
  return true;
}

// A BCP 47-like tag: 2-3 letters, then subtags of 1-8 letters or digits ("pt-BR", "zh-Hant").
bool is_locale_tag(std::string_view s) noexcept {
  if (s.size() < 2 || s.size() > 35) return false;
  std::size_t i = 0;
  while (i < s.size() && is_alpha(s[i])) ++i;
  if (i < 2 || i > 3) return false;
  while (i < s.size()) {
    if (s[i] != '-') return false;
    const std::size_t start = ++i;
    while (i < s.size() && is_alnum(s[i])) ++i;
    if (i == start || i - start > 8) return false;
  }
  return true;
}

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view primary_language(std::string_view tag) noexcept { return tag.substr(0, tag.find('-')); }

// `s` in double quotes for an error message: control characters and quotes escaped, long
// strings cut (messages must stay short and printable whatever the input held).
std::string quoted(std::string_view s) {
  std::string out = "\"";
  std::size_t n = 0;
  for (char c : s) {
    if (++n > 64) { out += "..."; break; }
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') { out += '\\'; out += c; }
    else if (u < 0x20 || u == 0x7F) { out += "\\x"; out += "0123456789abcdef"[u >> 4]; out += "0123456789abcdef"[u & 15]; }
    else out += c;
  }
  return out + "\"";
}

std::string_view view(const json::string& s) noexcept { return {s.data(), s.size()}; }
std::string_view key_of(const json::key_value_pair& kv) noexcept { return {kv.key().data(), kv.key().size()}; }

std::string_view json_type_name(const json::value& v) noexcept {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "a value";
}

// The index of `s` in `names`, or size.
template <std::size_t N>
std::size_t lookup(const char* const (&names)[N], std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < N && s != names[i]) ++i;
  return i;
}

// A position in the document. Its text ("questions[1].show_if.question") is built only
// when an error is reported.
struct where {
  const where* up = nullptr;
  std::string_view key;   // a member name, unless is_index
  std::size_t index = 0;  // an array element, when is_index
  bool is_index = false;

  where member(std::string_view k) const noexcept { return {this, k, 0, false}; }
  where element(std::size_t i) const noexcept { return {this, {}, i, true}; }

  std::string str() const {
    if (up == nullptr) return "(root)";
    std::string s = up->up == nullptr ? std::string() : up->str();
    if (is_index) {
      s += '[';
      s += std::to_string(index);
      s += ']';
    } else {
      if (!s.empty()) s += '.';
      s += key;
    }
    return s;
  }
};

}  // namespace

// ---- names --------------------------------------------------------------------------------

const char* name(question_type t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  return i < std::size(type_names) ? type_names[i] : "unknown";
}

const char* name(nps_category c) noexcept {
  const auto i = static_cast<std::size_t>(c);
  return i < std::size(category_names) ? category_names[i] : "unknown";
}

const char* name(text_direction d) noexcept { return d == text_direction::rtl ? "rtl" : "ltr"; }

const char* name(ui_string s) noexcept {
  const auto i = static_cast<std::size_t>(s);
  return i < ui_string_count ? ui_names[i] : "unknown";
}

std::size_t survey_question::choice_index(std::string_view choice) const noexcept {
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (choices[i] == choice) return i;
  return npos;
}

// ---- parsing ------------------------------------------------------------------------------

/// Reads a definition; the first error wins and is kept in code_/detail_.
class survey_parser {
 public:
  result<survey> run(std::string_view text) {
    detail::json_limits limits;
    limits.max_bytes = survey::max_bytes;
    limits.max_depth = survey::max_depth;
    auto parsed = detail::parse_strict(text, limits);
    if (!parsed) return {parsed.code(), parsed.detail()};
    const where root;
    const json::object* o = nullptr;
    if (!object_of(parsed.value(), root, o) || !read_root(*o, root)) return {code_, std::move(detail_)};
    return std::move(s_);
  }

 private:
  survey s_;
  errc code_ = errc::ok;
  std::string detail_;
  std::vector<const json::value*> show_if_;  // raw show_if of each question (or null)

  // The one place messages are put together.
  [[gnu::noinline]] bool fail(errc code, const where& at, std::initializer_list<std::string_view> reason) {
    code_ = code;
    detail_ = at.str();
    detail_ += ": ";
    for (std::string_view r : reason) detail_ += r;
    return false;
  }

  // Every key of `o` is one of `allowed`; otherwise an error naming the first unknown key.
  bool only_keys(const json::object& o, const where& at, std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : o) {
      const std::string_view key = key_of(kv);
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string list;
      for (std::string_view a : allowed) {
        if (!list.empty()) list += ", ";
        list += a;
      }
      return fail(errc::invalid_argument, at, {"unknown field ", quoted(key), " (expected one of: ", list, ")"});
    }
    return true;
  }

  // o[key], or nullptr when absent; `required` makes absence an error.
  const json::value* get(const json::object& o, std::string_view key, const where& at, bool required) {
    const json::value* v = o.if_contains(json::string_view(key.data(), key.size()));
    if (v == nullptr && required) fail(errc::missing_field, at.member(key), {"missing"});
    return v;
  }

  bool expected(const json::value& v, const where& at, std::string_view what) {
    return fail(errc::wrong_type, at, {"expected ", what, ", got ", json_type_name(v)});
  }

  bool object_of(const json::value& v, const where& at, const json::object*& out) {
    out = v.if_object();
    return out != nullptr || expected(v, at, "an object");
  }

  bool array_of(const json::value& v, const where& at, const json::array*& out) {
    out = v.if_array();
    return out != nullptr || expected(v, at, "an array");
  }

  // An array of 1..max elements.
  bool list_of(const json::value& v, const where& at, std::size_t max, std::string_view what, const json::array*& out) {
    if (!array_of(v, at, out)) return false;
    if (out->empty()) return fail(errc::missing_field, at, {"must list at least one ", what});
    if (out->size() > max)
      return fail(errc::too_large, at, {std::to_string(out->size()), " entries, over the limit of ", std::to_string(max)});
    return true;
  }

  bool bool_of(const json::value& v, const where& at, bool& out) {
    const bool* b = v.if_bool();
    if (b == nullptr) return expected(v, at, "true or false");
    out = *b;
    return true;
  }

  bool string_of(const json::value& v, const where& at, std::string_view& out) {
    const json::string* s = v.if_string();
    if (s == nullptr) return expected(v, at, "a string");
    out = view(*s);
    return true;
  }

  // A text shown to respondents: 1-4096 bytes.
  bool text_of(const json::value& v, const where& at, std::string& out) {
    std::string_view s;
    if (!string_of(v, at, s)) return false;
    if (s.empty()) return fail(errc::out_of_range, at, {"must not be empty"});
    if (s.size() > max_text_bytes)
      return fail(errc::too_large, at, {"text of ", std::to_string(s.size()), " bytes is over the 4096-byte limit"});
    out.assign(s);
    return true;
  }

  bool identifier_of(const json::value& v, const where& at, std::size_t max, bool allow_dot, std::string_view& out) {
    if (!string_of(v, at, out)) return false;
    if (is_identifier(out, max, allow_dot)) return true;
    return fail(errc::invalid_argument, at,
                {quoted(out), " is not an identifier of 1-", std::to_string(max), " letters, digits, '_', '-'",
                 allow_dot ? ", '.'" : ""});
  }

  bool integer_of(const json::value& v, const where& at, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
    const std::string range = std::to_string(lo) + "-" + std::to_string(hi);
    if (const std::int64_t* i = v.if_int64()) {
      out = *i;
      if (out >= lo && out <= hi) return true;
      return fail(errc::out_of_range, at, {"expected an integer ", range, ", got ", std::to_string(out)});
    }
    if (v.is_uint64()) return fail(errc::out_of_range, at, {"expected an integer ", range, ", got a larger one"});
    if (v.is_double()) return fail(errc::not_integer, at, {"expected an integer ", range, ", got a fraction"});
    return fail(errc::wrong_type, at, {"expected an integer ", range, ", got ", json_type_name(v)});
  }

  bool int_of(const json::value& v, const where& at, int lo, int hi, int& out) {
    std::int64_t x = 0;
    if (!integer_of(v, at, lo, hi, x)) return false;
    out = static_cast<int>(x);
    return true;
  }

  bool read_root(const json::object& root, const where& at) {
    std::string detail;
    if (errc e = detail::check_header(root, "cxm.survey", survey::format_version, detail); e != errc::ok) {
      code_ = e;
      detail_ = std::move(detail);
      return false;
    }
    if (!only_keys(root, at, {"format", "version", "id", "survey_version", "default_locale", "locales", "targeting",
                              "questions"}))
      return false;

    const json::value* v = get(root, "id", at, true);
    std::string_view id;
    if (v == nullptr || !identifier_of(*v, at.member("id"), max_survey_id, true, id)) return false;
    s_.id_.assign(id);

    if ((v = get(root, "survey_version", at, true)) == nullptr ||
        !integer_of(*v, at.member("survey_version"), 0, max_survey_version, s_.version_))
      return false;

    if ((v = get(root, "locales", at, true)) == nullptr || !read_locales(*v, at.member("locales"))) return false;

    const where def_at = at.member("default_locale");
    std::string_view def;
    if ((v = get(root, "default_locale", at, true)) == nullptr || !string_of(*v, def_at, def)) return false;
    s_.default_locale_ = survey::npos;
    for (std::size_t i = 0; i < s_.locales_.size(); ++i)
      if (s_.locales_[i].tag == def) s_.default_locale_ = i;
    if (s_.default_locale_ == survey::npos)
      return fail(errc::invalid_argument, def_at, {quoted(def), " is not one of the keys of locales"});

    if ((v = get(root, "targeting", at, false)) != nullptr && !read_targeting(*v, at.member("targeting"))) return false;

    const where qs_at = at.member("questions");
    const json::array* qs = nullptr;
    if ((v = get(root, "questions", at, true)) == nullptr || !array_of(*v, qs_at, qs)) return false;
    if (qs->empty()) return fail(errc::missing_field, qs_at, {"a survey needs at least one question"});
    if (qs->size() > max_questions)
      return fail(errc::too_large, qs_at, {std::to_string(qs->size()), " questions, over the limit of 200"});
    for (std::size_t i = 0; i < qs->size(); ++i)
      if (!read_question((*qs)[i], qs_at.element(i))) return false;
    // Conditions last: a reference to a later question can then be told from an unknown one.
    for (std::size_t i = 0; i < qs->size(); ++i) {
      if (show_if_[i] == nullptr) continue;
      const where q_at = qs_at.element(i);
      survey_condition c;
      if (!read_condition(*show_if_[i], q_at.member("show_if"), i, c)) return false;
      s_.questions_[i].show_if = std::move(c);
    }
    return true;
  }

  bool read_locales(const json::value& v, const where& at) {
    const json::object* locales = nullptr;
    if (!object_of(v, at, locales)) return false;
    if (locales->empty()) return fail(errc::missing_field, at, {"a survey needs at least one locale"});
    if (locales->size() > max_locales)
      return fail(errc::too_large, at, {std::to_string(locales->size()), " locales, over the limit of 50"});
    for (const auto& kv : *locales) {
      const std::string_view tag = key_of(kv);
      const where l_at = at.member(tag);
      if (!is_locale_tag(tag)) return fail(errc::invalid_argument, at, {quoted(tag), " is not a locale tag such as en, he or pt-BR"});
      for (const survey_locale& l : s_.locales_)
        if (iequals(l.tag, tag)) return fail(errc::invalid_argument, at, {quoted(tag), " repeats ", quoted(l.tag), " (tags ignore case)"});
      const json::object* lo = nullptr;
      if (!object_of(kv.value(), l_at, lo) || !only_keys(*lo, l_at, {"dir", "ui"})) return false;
      survey_locale locale;
      locale.tag.assign(tag);
      const json::value* dir = get(*lo, "dir", l_at, true);
      std::string_view d;
      if (dir == nullptr || !string_of(*dir, l_at.member("dir"), d)) return false;
      if (d == "rtl") locale.dir = text_direction::rtl;
      else if (d != "ltr") return fail(errc::invalid_argument, l_at.member("dir"), {"expected \"ltr\" or \"rtl\", got ", quoted(d)});
      if (const json::value* ui = get(*lo, "ui", l_at, false); ui != nullptr && !read_ui(*ui, l_at.member("ui"), locale.ui))
        return false;
      s_.locales_.push_back(std::move(locale));
    }
    return true;
  }

  bool read_ui(const json::value& v, const where& at, survey_ui_text& ui) {
    const json::object* o = nullptr;
    if (!object_of(v, at, o)) return false;
    for (const auto& kv : *o) {
      const std::string_view key = key_of(kv);
      std::size_t i = 0;
      while (i < ui_string_count && key != ui_names[i]) ++i;
      if (i == ui_string_count) {
        std::string list;
        for (const char* n : ui_names) list += (list.empty() ? "" : ", ") + std::string(n);
        return fail(errc::invalid_argument, at, {"unknown field ", quoted(key), " (expected one of: ", list, ")"});
      }
      const where f_at = at.member(ui_names[i]);
      if (!text_of(kv.value(), f_at, ui.strings[i])) return false;
      const auto s = static_cast<ui_string>(i);
      if ((s == ui_string::progress || s == ui_string::characters) &&
          (ui.strings[i].find("{n}") == std::string::npos || ui.strings[i].find("{m}") == std::string::npos))
        return fail(errc::invalid_argument, f_at, {"expected a template holding {n} and {m}"});
    }
    return true;
  }

  bool read_targeting(const json::value& v, const where& at) {
    const json::object* t = nullptr;
    if (!object_of(v, at, t) || !only_keys(*t, at, {"sample_rate", "cooldown_days", "global_cooldown_days"})) return false;
    survey_targeting& out = s_.targeting_;
    if (const json::value* r = get(*t, "sample_rate", at, false)) {
      const where r_at = at.member("sample_rate");
      if (!r->is_number()) return expected(*r, r_at, "a number in [0, 1]");
      json::error_code ec;
      const double rate = r->to_number<double>(ec);
      if (ec || !(rate >= 0 && rate <= 1)) return fail(errc::out_of_range, r_at, {"expected a number in [0, 1]"});
      out.sample_rate = rate;
    }
    const int max_days = static_cast<int>(max_cooldown_days);
    if (const json::value* c = get(*t, "cooldown_days", at, false);
        c != nullptr && !int_of(*c, at.member("cooldown_days"), 0, max_days, out.cooldown_days))
      return false;
    if (const json::value* c = get(*t, "global_cooldown_days", at, false);
        c != nullptr && !int_of(*c, at.member("global_cooldown_days"), 0, max_days, out.global_cooldown_days))
      return false;
    return true;
  }

  bool read_question(const json::value& v, const where& at) {
    const json::object* q = nullptr;
    if (!object_of(v, at, q)) return false;
    survey_question out;

    const json::value* f = get(*q, "id", at, true);
    std::string_view id;
    if (f == nullptr || !identifier_of(*f, at.member("id"), max_question_id, false, id)) return false;
    if (const std::size_t j = s_.find(id); j != survey::npos)
      return fail(errc::invalid_argument, at.member("id"),
                  {"duplicate question id ", quoted(id), " (also questions[", std::to_string(j), "])"});
    out.id.assign(id);

    std::string_view type;
    if ((f = get(*q, "type", at, true)) == nullptr || !string_of(*f, at.member("type"), type)) return false;
    const std::size_t t = lookup(type_names, type);
    if (t == std::size(type_names))
      return fail(errc::invalid_argument, at.member("type"),
                  {"unknown question type ", quoted(type), " (expected nps, ces, csat, emotion, choice or text)"});
    out.type = static_cast<question_type>(t);

    switch (out.type) {
      case question_type::nps:
        if (!only_keys(*q, at, {"id", "type", "required", "show_if", "text"})) return false;
        out.scale = {0, 10, 9};
        break;
      case question_type::ces:
      case question_type::csat: {
        if (!only_keys(*q, at, {"id", "type", "required", "show_if", "text", "scale"})) return false;
        const bool ces = out.type == question_type::ces;
        out.scale = ces ? scale::ces7() : scale::csat5();
        if (const json::value* s = get(*q, "scale", at, false)) {
          std::int64_t points = 0;
          if (!integer_of(*s, at.member("scale"), 1, 11, points)) return false;
          if (points == 5) out.scale = ces ? scale::ces5() : scale::csat5();
          else if (!ces || points != 7)
            return fail(errc::out_of_range, at.member("scale"), {ces ? "a CES scale has 7 or 5 points" : "a CSAT scale has 5 points"});
        }
        break;
      }
      case question_type::emotion:
        if (!only_keys(*q, at, {"id", "type", "required", "show_if", "text", "choices"})) return false;
        if (const json::value* c = get(*q, "choices", at, false)) {
          if (!read_choices(*c, at.member("choices"), true, out.choices)) return false;
        } else {
          out.choices.assign(emotion_set.begin(), emotion_set.end());
        }
        break;
      case question_type::choice:
        if (!only_keys(*q, at, {"id", "type", "required", "show_if", "text", "choices", "multiple"})) return false;
        if ((f = get(*q, "choices", at, true)) == nullptr || !read_choices(*f, at.member("choices"), false, out.choices))
          return false;
        if ((f = get(*q, "multiple", at, false)) != nullptr && !bool_of(*f, at.member("multiple"), out.multiple)) return false;
        break;
      case question_type::text:
        if (!only_keys(*q, at, {"id", "type", "required", "show_if", "text", "max_length"})) return false;
        out.max_length = default_max_length;
        if ((f = get(*q, "max_length", at, false)) != nullptr &&
            !int_of(*f, at.member("max_length"), 1, max_max_length, out.max_length))
          return false;
        break;
    }

    if ((f = get(*q, "required", at, false)) != nullptr && !bool_of(*f, at.member("required"), out.required)) return false;
    if ((f = get(*q, "text", at, true)) == nullptr || !read_texts(*f, at.member("text"), out)) return false;
    show_if_.push_back(get(*q, "show_if", at, false));
    s_.questions_.push_back(std::move(out));
    return true;
  }

  bool read_choices(const json::value& v, const where& at, bool emotion, std::vector<std::string>& out) {
    const json::array* a = nullptr;
    if (!list_of(v, at, max_choices, "choice", a)) return false;
    for (std::size_t i = 0; i < a->size(); ++i) {
      const where c_at = at.element(i);
      std::string_view c;
      if (emotion) {
        if (!string_of((*a)[i], c_at, c)) return false;
        if (std::find(emotion_set.begin(), emotion_set.end(), c) == emotion_set.end())
          return fail(errc::invalid_argument, c_at,
                      {quoted(c), " is not an emotion (excited, happy, indifferent, bored, impatient, embarrassed, confused, angry)"});
      } else if (!identifier_of((*a)[i], c_at, max_question_id, false, c)) {
        return false;
      }
      if (std::find(out.begin(), out.end(), c) != out.end()) return fail(errc::invalid_argument, c_at, {"duplicate choice ", quoted(c)});
      out.emplace_back(c);
    }
    return true;
  }

  bool read_texts(const json::value& v, const where& at, survey_question& q) {
    const json::object* texts = nullptr;
    if (!object_of(v, at, texts)) return false;
    for (const auto& kv : *texts) {
      const std::string_view tag = key_of(kv);
      if (std::none_of(s_.locales_.begin(), s_.locales_.end(), [&](const survey_locale& l) { return l.tag == tag; }))
        return fail(errc::invalid_argument, at, {"locale ", quoted(tag), " is not declared in locales"});
    }
    const std::string& def = s_.locales_[s_.default_locale_].tag;
    if (texts->if_contains(def) == nullptr)
      return fail(errc::missing_field, at, {"missing the texts of the default locale ", quoted(def)});
    // In the order of the survey's locales.
    for (const survey_locale& l : s_.locales_) {
      const json::value* t = texts->if_contains(l.tag);
      if (t == nullptr) continue;
      question_text text;
      text.locale = l.tag;
      if (!read_text(*t, at.member(l.tag), q, text)) return false;
      q.texts.push_back(std::move(text));
    }
    return true;
  }

  bool read_text(const json::value& v, const where& at, const survey_question& q, question_text& t) {
    const json::object* o = nullptr;
    if (!object_of(v, at, o)) return false;
    const bool scored = is_scored(q.type), choices = has_choices(q.type);
    if (scored ? !only_keys(*o, at, {"prompt", "min_label", "max_label"})
               : choices ? !only_keys(*o, at, {"prompt", "choices"}) : !only_keys(*o, at, {"prompt"}))
      return false;
    const json::value* f = get(*o, "prompt", at, true);
    if (f == nullptr || !text_of(*f, at.member("prompt"), t.prompt)) return false;
    if (scored) {
      const char* const keys[] = {"min_label", "max_label"};
      std::optional<std::string>* const labels[] = {&t.min_label, &t.max_label};
      for (std::size_t i = 0; i < 2; ++i) {
        if ((f = get(*o, keys[i], at, false)) == nullptr) continue;
        if (!text_of(*f, at.member(keys[i]), labels[i]->emplace())) return false;
      }
    }
    if (choices) {
      const where c_at = at.member("choices");
      const json::object* labels = nullptr;
      if ((f = get(*o, "choices", at, true)) == nullptr || !object_of(*f, c_at, labels)) return false;
      for (const auto& kv : *labels)
        if (q.choice_index(key_of(kv)) == survey_question::npos)
          return fail(errc::invalid_argument, c_at,
                      {"label for ", quoted(key_of(kv)), ", which is not one of the question's choices"});
      t.choice_labels.resize(q.choices.size());
      for (std::size_t i = 0; i < q.choices.size(); ++i) {
        const json::value* l = labels->if_contains(q.choices[i]);
        if (l == nullptr) return fail(errc::missing_field, c_at, {"missing the label of choice ", quoted(q.choices[i])});
        if (!text_of(*l, c_at.member(q.choices[i]), t.choice_labels[i])) return false;
      }
    }
    return true;
  }

  bool read_condition(const json::value& v, const where& at, std::size_t owner, survey_condition& out) {
    const json::object* o = nullptr;
    if (!object_of(v, at, o)) return false;
    for (const char* combinator : {"all", "any"}) {
      const json::value* list = get(*o, combinator, at, false);
      if (list == nullptr) continue;
      if (o->size() != 1)
        return fail(errc::invalid_argument, at, {"\"", combinator, "\" must be the only field of its condition"});
      const where l_at = at.member(combinator);
      const json::array* a = nullptr;
      if (!list_of(*list, l_at, max_children, "condition", a)) return false;
      out.type = combinator[1] == 'l' ? survey_condition::kind::all : survey_condition::kind::any;
      out.children.resize(a->size());
      for (std::size_t i = 0; i < a->size(); ++i)
        if (!read_condition((*a)[i], l_at.element(i), owner, out.children[i])) return false;
      return true;
    }
    if (!only_keys(*o, at, {"question", "category", "min", "max", "any_of"})) return false;
    const where q_at = at.member("question");
    const json::value* f = get(*o, "question", at, true);
    std::string_view ref;
    if (f == nullptr || !string_of(*f, q_at, ref)) return false;
    const std::size_t target = s_.find(ref);
    if (target == owner) return fail(errc::invalid_argument, q_at, {"question ", quoted(ref), " refers to itself"});
    if (target == survey::npos) return fail(errc::invalid_argument, q_at, {"unknown question ", quoted(ref)});
    if (target > owner)
      return fail(errc::invalid_argument, q_at,
                  {"question ", quoted(ref), " comes later (questions[", std::to_string(target),
                   "]); conditions may only refer to earlier questions"});
    out.question = target;
    const survey_question& q = s_.questions_[target];

    const json::value* category = get(*o, "category", at, false);
    const json::value* min = get(*o, "min", at, false);
    const json::value* max = get(*o, "max", at, false);
    const json::value* any_of = get(*o, "any_of", at, false);
    const int tests = (category != nullptr) + (min != nullptr || max != nullptr) + (any_of != nullptr);
    if (tests != 1)
      return fail(tests == 0 ? errc::missing_field : errc::invalid_argument, at,
                  {"a condition tests one of: category, min/max, any_of"});
    const std::string type = quoted(q.id) + " is a question of type " + name(q.type);

    if (category != nullptr || any_of != nullptr) {
      const bool is_category = category != nullptr;
      const where l_at = at.member(is_category ? "category" : "any_of");
      if (is_category ? q.type != question_type::nps : !has_choices(q.type))
        return fail(errc::invalid_argument, l_at,
                    {is_category ? "NPS categories need an nps question; " : "any_of needs a choice or emotion question; ", type});
      out.type = is_category ? survey_condition::kind::category : survey_condition::kind::any_of;
      const json::array* a = nullptr;
      if (!list_of(is_category ? *category : *any_of, l_at, max_choices, is_category ? "category" : "choice", a)) return false;
      for (std::size_t i = 0; i < a->size(); ++i) {
        const where e_at = l_at.element(i);
        std::string_view c;
        if (!string_of((*a)[i], e_at, c)) return false;
        std::size_t k = is_category ? lookup(category_names, c) : q.choice_index(c);
        if (is_category && k == std::size(category_names))
          return fail(errc::invalid_argument, e_at,
                      {"unknown NPS category ", quoted(c), " (expected detractor, passive or promoter)"});
        if (!is_category && k == survey_question::npos)
          return fail(errc::invalid_argument, e_at, {quoted(c), " is not a choice of question ", quoted(q.id)});
        const bool seen = is_category ? ((out.categories >> k) & 1u) != 0
                                      : std::find(out.choices.begin(), out.choices.end(), k) != out.choices.end();
        if (seen) return fail(errc::invalid_argument, e_at, {"duplicate ", is_category ? "category " : "choice ", quoted(c)});
        if (is_category) out.categories |= std::uint32_t{1} << k;
        else out.choices.push_back(k);
      }
      return true;
    }
    if (!is_scored(q.type))
      return fail(errc::invalid_argument, at.member(min != nullptr ? "min" : "max"),
                  {"a score range needs an nps, ces or csat question; ", type});
    out.type = survey_condition::kind::range;
    const json::value* bounds[] = {min, max};
    std::optional<int>* const slots[] = {&out.min, &out.max};
    for (std::size_t i = 0; i < 2; ++i) {
      if (bounds[i] == nullptr) continue;
      if (!int_of(*bounds[i], at.member(i == 0 ? "min" : "max"), q.scale.min, q.scale.max, slots[i]->emplace())) return false;
    }
    if (out.min && out.max && *out.min > *out.max)
      return fail(errc::invalid_argument, at,
                  {"min ", std::to_string(*out.min), " is above max ", std::to_string(*out.max)});
    return true;
  }
};

result<survey> survey::parse(std::string_view json) { return survey_parser().run(json); }

// ---- queries ------------------------------------------------------------------------------

std::size_t survey::find(std::string_view id) const noexcept {
  for (std::size_t i = 0; i < questions_.size(); ++i)
    if (questions_[i].id == id) return i;
  return npos;
}

std::size_t survey::resolve_locale(std::string_view requested) const noexcept {
  for (std::size_t i = 0; i < locales_.size(); ++i)
    if (iequals(locales_[i].tag, requested)) return i;
  const std::string_view language = primary_language(requested);
  for (std::size_t i = 0; i < locales_.size(); ++i)
    if (iequals(primary_language(locales_[i].tag), language)) return i;
  return default_locale_;
}

const question_text& survey::text(std::size_t question, std::string_view locale) const noexcept {
  CXM_ASSERT(question < questions_.size());
  const survey_question& q = questions_[question];
  const std::string& tag = locales_[resolve_locale(locale)].tag;
  const std::string& def = locales_[default_locale_].tag;
  const question_text* fallback = &q.texts.front();
  for (const question_text& t : q.texts) {
    if (t.locale == tag) return t;
    if (t.locale == def) fallback = &t;
  }
  return *fallback;
}

text_direction survey::direction(std::string_view tag) const noexcept {
  for (const survey_locale& l : locales_)
    if (l.tag == tag) return l.dir;
  return text_direction::ltr;
}

// ---- canonical encoding -------------------------------------------------------------------

namespace {

json::value condition_json(const survey& s, const survey_condition& c) {
  json::object o;
  switch (c.type) {
    case survey_condition::kind::all:
    case survey_condition::kind::any: {
      json::array children;
      for (const survey_condition& child : c.children) children.push_back(condition_json(s, child));
      o[c.type == survey_condition::kind::all ? "all" : "any"] = std::move(children);
      return o;
    }
    default: break;
  }
  const survey_question& q = s.questions()[c.question];
  o["question"] = q.id;
  if (c.type == survey_condition::kind::category) {
    json::array a;
    for (std::size_t k = 0; k < std::size(category_names); ++k)
      if ((c.categories >> k) & 1u) a.push_back(json::string(category_names[k]));
    o["category"] = std::move(a);
  } else if (c.type == survey_condition::kind::range) {
    if (c.min) o["min"] = *c.min;
    if (c.max) o["max"] = *c.max;
  } else {
    json::array a;
    for (std::size_t k : c.choices) a.push_back(json::string(q.choices[k]));
    o["any_of"] = std::move(a);
  }
  return o;
}

}  // namespace

std::string survey::to_json() const {
  json::object root;
  root["format"] = "cxm.survey";
  root["version"] = format_version;
  root["id"] = id_;
  root["survey_version"] = version_;
  root["default_locale"] = locales_[default_locale_].tag;
  json::object locales;
  for (const survey_locale& l : locales_) {
    json::object lo;
    lo["dir"] = name(l.dir);
    json::object ui;
    for (std::size_t i = 0; i < ui_string_count; ++i)
      if (!l.ui.strings[i].empty()) ui[ui_names[i]] = l.ui.strings[i];
    if (!ui.empty()) lo["ui"] = std::move(ui);
    locales[l.tag] = std::move(lo);
  }
  root["locales"] = std::move(locales);
  json::object targeting;
  // 0 and 1 as integers; other rates in Boost.JSON's shortest round-trip form.
  if (targeting_.sample_rate == 0 || targeting_.sample_rate == 1)
    targeting["sample_rate"] = static_cast<std::int64_t>(targeting_.sample_rate);
  else
    targeting["sample_rate"] = targeting_.sample_rate;
  targeting["cooldown_days"] = targeting_.cooldown_days;
  targeting["global_cooldown_days"] = targeting_.global_cooldown_days;
  root["targeting"] = std::move(targeting);
  json::array questions;
  for (const survey_question& q : questions_) {
    json::object o;
    o["id"] = q.id;
    o["type"] = name(q.type);
    o["required"] = q.required;
    if (q.type == question_type::ces || q.type == question_type::csat) o["scale"] = q.scale.points();
    if (q.type == question_type::choice) o["multiple"] = q.multiple;
    if (has_choices(q.type)) {
      json::array a;
      for (const std::string& c : q.choices) a.push_back(json::string(c));
      o["choices"] = std::move(a);
    }
    if (q.type == question_type::text) o["max_length"] = q.max_length;
    if (q.show_if) o["show_if"] = condition_json(*this, *q.show_if);
    json::object texts;
    for (const question_text& t : q.texts) {
      json::object to;
      to["prompt"] = t.prompt;
      if (t.min_label) to["min_label"] = *t.min_label;
      if (t.max_label) to["max_label"] = *t.max_label;
      if (has_choices(q.type)) {
        json::object labels;
        for (std::size_t i = 0; i < q.choices.size(); ++i) labels[q.choices[i]] = t.choice_labels[i];
        to["choices"] = std::move(labels);
      }
      texts[t.locale] = std::move(to);
    }
    o["text"] = std::move(texts);
    questions.push_back(std::move(o));
  }
  root["questions"] = std::move(questions);
  return json::serialize(root);
}

CXM_END_NAMESPACE
