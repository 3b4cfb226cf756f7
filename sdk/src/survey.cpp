// SPDX-License-Identifier: MIT
// Survey definitions: strict parsing and validation of the cxm.survey format (specified in
// cxm/survey.hpp), the canonical encoding, locale resolution and text fallback.
#include "cxm/survey.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <tuple>
#include <initializer_list>
#include <string>
#include <utility>

#include "strict_json.hpp"

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

bool is_ident_char(char c, bool allow_dot) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || (allow_dot && c == '.');
}

bool is_identifier(std::string_view s, std::size_t max, bool allow_dot) noexcept {
  if (s.empty() || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return is_ident_char(c, allow_dot); });
}

bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) noexcept { return is_alpha(c) || (c >= '0' && c <= '9'); }

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

const char* json_type_name(const json::value& v) noexcept {
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

std::string format_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

std::string index_path(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

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
    const json::object* root = parsed.value().if_object();
    if (root == nullptr) return {errc::wrong_type, "(root): expected an object"};
    if (!read_root(*root)) return {code_, std::move(detail_)};
    return std::move(s_);
  }

 private:
  survey s_;
  errc code_ = errc::ok;
  std::string detail_;
  std::vector<const json::value*> show_if_;  // raw show_if of each question (or null)

  bool fail(errc code, const std::string& path, std::string_view reason) {
    code_ = code;
    detail_ = path.empty() ? std::string(reason) : path + ": " + std::string(reason);
    return false;
  }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

  // Every key of `o` is in `allowed`; otherwise an error naming the first unknown key.
  bool only_keys(const json::object& o, const std::string& path, std::initializer_list<std::string_view> allowed) {
    for (const auto& kv : o) {
      const std::string_view key(kv.key().data(), kv.key().size());
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string list;
      for (std::string_view a : allowed) {
        if (!list.empty()) list += ", ";
        list += a;
      }
      return fail(errc::invalid_argument, path.empty() ? "(root)" : path,
                  "unknown field " + quoted(key) + " (expected one of: " + list + ")");
    }
    return true;
  }

  // obj[key] when present (nullptr if absent); `required` turns absence into an error.
  const json::value* field(const json::object& o, std::string_view key, const std::string& path, bool required) {
    const json::value* v = o.if_contains(json::string_view(key.data(), key.size()));
    if (v == nullptr && required) fail(errc::missing_field, join(path, key), "missing");
    return v;
  }

  bool as_object(const json::value& v, const std::string& path, const json::object*& out) {
    out = v.if_object();
    if (out == nullptr) return fail(errc::wrong_type, path, std::string("expected an object, got ") + json_type_name(v));
    return true;
  }

  bool as_array(const json::value& v, const std::string& path, const json::array*& out) {
    out = v.if_array();
    if (out == nullptr) return fail(errc::wrong_type, path, std::string("expected an array, got ") + json_type_name(v));
    return true;
  }

  bool as_bool(const json::value& v, const std::string& path, bool& out) {
    const bool* b = v.if_bool();
    if (b == nullptr) return fail(errc::wrong_type, path, std::string("expected true or false, got ") + json_type_name(v));
    out = *b;
    return true;
  }

  bool as_string(const json::value& v, const std::string& path, std::string_view& out) {
    const json::string* s = v.if_string();
    if (s == nullptr) return fail(errc::wrong_type, path, std::string("expected a string, got ") + json_type_name(v));
    out = view(*s);
    return true;
  }

  // A text shown to respondents: 1-4096 bytes.
  bool as_text(const json::value& v, const std::string& path, std::string& out) {
    std::string_view s;
    if (!as_string(v, path, s)) return false;
    if (s.empty()) return fail(errc::out_of_range, path, "must not be empty");
    if (s.size() > max_text_bytes)
      return fail(errc::too_large, path, "text of " + std::to_string(s.size()) + " bytes is over the 4096-byte limit");
    out.assign(s);
    return true;
  }

  bool as_integer(const json::value& v, const std::string& path, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
    const std::string range = "expected an integer " + std::to_string(lo) + "-" + std::to_string(hi);
    if (const std::int64_t* i = v.if_int64()) {
      out = *i;
    } else if (const std::uint64_t* u = v.if_uint64()) {
      return fail(errc::out_of_range, path, range + ", got " + std::to_string(*u));
    } else if (v.is_double()) {
      return fail(errc::not_integer, path, range + ", got a fraction");
    } else {
      return fail(errc::wrong_type, path, range + ", got " + json_type_name(v));
    }
    if (out < lo || out > hi) return fail(errc::out_of_range, path, range + ", got " + std::to_string(out));
    return true;
  }

  bool as_int(const json::value& v, const std::string& path, int lo, int hi, int& out) {
    std::int64_t x = 0;
    if (!as_integer(v, path, lo, hi, x)) return false;
    out = static_cast<int>(x);
    return true;
  }

  bool read_root(const json::object& root) {
    std::string detail;
    if (errc e = detail::check_header(root, "cxm.survey", survey::format_version, detail); e != errc::ok) {
      code_ = e;
      detail_ = std::move(detail);
      return false;
    }
    if (!only_keys(root, "", {"format", "version", "id", "survey_version", "default_locale", "locales",
                              "targeting", "questions"}))
      return false;

    const json::value* v = field(root, "id", "", true);
    std::string_view id;
    if (v == nullptr || !as_string(*v, "id", id)) return false;
    if (!is_identifier(id, max_survey_id, true))
      return fail(errc::invalid_argument, "id", quoted(id) + " is not an identifier of 1-128 letters, digits, '_', '-', '.'");
    s_.id_.assign(id);

    if ((v = field(root, "survey_version", "", true)) == nullptr) return false;
    if (!as_integer(*v, "survey_version", 0, max_survey_version, s_.version_)) return false;

    if (!read_locales(root)) return false;

    if ((v = field(root, "default_locale", "", true)) == nullptr) return false;
    std::string_view def;
    if (!as_string(*v, "default_locale", def)) return false;
    s_.default_locale_ = survey::npos;
    for (std::size_t i = 0; i < s_.locales_.size(); ++i)
      if (s_.locales_[i].tag == def) s_.default_locale_ = i;
    if (s_.default_locale_ == survey::npos)
      return fail(errc::invalid_argument, "default_locale", quoted(def) + " is not one of the keys of locales");

    if ((v = field(root, "targeting", "", false)) != nullptr && !read_targeting(*v)) return false;

    if ((v = field(root, "questions", "", true)) == nullptr) return false;
    const json::array* qs = nullptr;
    if (!as_array(*v, "questions", qs)) return false;
    if (qs->empty()) return fail(errc::missing_field, "questions", "a survey needs at least one question");
    if (qs->size() > max_questions)
      return fail(errc::too_large, "questions", std::to_string(qs->size()) + " questions, over the limit of 200");
    for (std::size_t i = 0; i < qs->size(); ++i)
      if (!read_question((*qs)[i], i)) return false;
    // Conditions last: a reference to a later question can then be told from an unknown one.
    for (std::size_t i = 0; i < qs->size(); ++i) {
      if (show_if_[i] == nullptr) continue;
      survey_condition c;
      if (!read_condition(*show_if_[i], index_path("questions", i) + ".show_if", i, c)) return false;
      s_.questions_[i].show_if = std::move(c);
    }
    return true;
  }

  bool read_locales(const json::object& root) {
    const json::value* v = field(root, "locales", "", true);
    const json::object* locales = nullptr;
    if (v == nullptr || !as_object(*v, "locales", locales)) return false;
    if (locales->empty()) return fail(errc::missing_field, "locales", "a survey needs at least one locale");
    if (locales->size() > max_locales)
      return fail(errc::too_large, "locales", std::to_string(locales->size()) + " locales, over the limit of 50");
    for (const auto& kv : *locales) {
      const std::string_view tag(kv.key().data(), kv.key().size());
      const std::string path = "locales." + std::string(tag);
      if (!is_locale_tag(tag))
        return fail(errc::invalid_argument, "locales", quoted(tag) + " is not a locale tag such as en, he or pt-BR");
      for (const survey_locale& l : s_.locales_)
        if (iequals(l.tag, tag))
          return fail(errc::invalid_argument, "locales", quoted(tag) + " repeats " + quoted(l.tag) + " (tags ignore case)");
      const json::object* lo = nullptr;
      if (!as_object(kv.value(), path, lo) || !only_keys(*lo, path, {"dir", "ui"})) return false;
      survey_locale locale;
      locale.tag.assign(tag);
      const json::value* dir = field(*lo, "dir", path, true);
      std::string_view d;
      if (dir == nullptr || !as_string(*dir, path + ".dir", d)) return false;
      if (d == "rtl") locale.dir = text_direction::rtl;
      else if (d != "ltr") return fail(errc::invalid_argument, path + ".dir", "expected \"ltr\" or \"rtl\", got " + quoted(d));
      if (const json::value* ui = field(*lo, "ui", path, false); ui != nullptr && !read_ui(*ui, path + ".ui", locale.ui))
        return false;
      s_.locales_.push_back(std::move(locale));
    }
    return true;
  }

  bool read_ui(const json::value& v, const std::string& path, survey_ui_text& ui) {
    const json::object* o = nullptr;
    if (!as_object(v, path, o) || !only_keys(*o, path, {"title", "intro", "next", "back", "submit", "thank_you"}))
      return false;
    const std::pair<const char*, std::string*> fields[] = {{"title", &ui.title}, {"intro", &ui.intro},
                                                           {"next", &ui.next},   {"back", &ui.back},
                                                           {"submit", &ui.submit}, {"thank_you", &ui.thank_you}};
    for (const auto& [key, out] : fields)
      if (const json::value* f = field(*o, key, path, false); f != nullptr && !as_text(*f, join(path, key), *out))
        return false;
    return true;
  }

  bool read_targeting(const json::value& v) {
    const json::object* t = nullptr;
    if (!as_object(v, "targeting", t) ||
        !only_keys(*t, "targeting", {"sample_rate", "cooldown_days", "global_cooldown_days"}))
      return false;
    survey_targeting& out = s_.targeting_;
    if (const json::value* r = field(*t, "sample_rate", "targeting", false)) {
      double rate = 0;
      if (const std::int64_t* i = r->if_int64()) rate = static_cast<double>(*i);
      else if (const std::uint64_t* u = r->if_uint64()) rate = static_cast<double>(*u);
      else if (const double* d = r->if_double()) rate = *d;
      else return fail(errc::wrong_type, "targeting.sample_rate", std::string("expected a number in [0, 1], got ") + json_type_name(*r));
      if (!(rate >= 0 && rate <= 1))
        return fail(errc::out_of_range, "targeting.sample_rate", "expected a number in [0, 1], got " + format_number(rate));
      out.sample_rate = rate;
    }
    const int max_days = static_cast<int>(max_cooldown_days);
    if (const json::value* c = field(*t, "cooldown_days", "targeting", false);
        c != nullptr && !as_int(*c, "targeting.cooldown_days", 0, max_days, out.cooldown_days))
      return false;
    if (const json::value* c = field(*t, "global_cooldown_days", "targeting", false);
        c != nullptr && !as_int(*c, "targeting.global_cooldown_days", 0, max_days, out.global_cooldown_days))
      return false;
    return true;
  }

  bool read_question(const json::value& v, std::size_t index) {
    const std::string path = index_path("questions", index);
    const json::object* q = nullptr;
    if (!as_object(v, path, q)) return false;
    survey_question out;

    const json::value* f = field(*q, "id", path, true);
    std::string_view id;
    if (f == nullptr || !as_string(*f, path + ".id", id)) return false;
    if (!is_identifier(id, max_question_id, false))
      return fail(errc::invalid_argument, path + ".id", quoted(id) + " is not an identifier of 1-64 letters, digits, '_', '-'");
    for (std::size_t j = 0; j < s_.questions_.size(); ++j)
      if (s_.questions_[j].id == id)
        return fail(errc::invalid_argument, path + ".id", "duplicate question id " + quoted(id) + " (also questions[" + std::to_string(j) + "])");
    out.id.assign(id);

    if ((f = field(*q, "type", path, true)) == nullptr) return false;
    std::string_view type;
    if (!as_string(*f, path + ".type", type)) return false;
    std::size_t t = 0;
    while (t < std::size(type_names) && type != type_names[t]) ++t;
    if (t == std::size(type_names))
      return fail(errc::invalid_argument, path + ".type",
                  "unknown question type " + quoted(type) + " (expected nps, ces, csat, emotion, choice or text)");
    out.type = static_cast<question_type>(t);

    switch (out.type) {
      case question_type::nps:
        if (!only_keys(*q, path, {"id", "type", "required", "show_if", "text"})) return false;
        out.scale = {0, 10, 9};
        break;
      case question_type::ces:
      case question_type::csat: {
        if (!only_keys(*q, path, {"id", "type", "required", "show_if", "text", "scale"})) return false;
        const bool ces = out.type == question_type::ces;
        out.scale = ces ? scale::ces7() : scale::csat5();
        if (const json::value* s = field(*q, "scale", path, false)) {
          std::int64_t points = 0;
          if (!as_integer(*s, path + ".scale", INT64_MIN, INT64_MAX, points)) return false;
          if (ces && (points == 5 || points == 7)) out.scale = points == 5 ? scale::ces5() : scale::ces7();
          else if (!ces && points == 5) out.scale = scale::csat5();
          else return fail(errc::out_of_range, path + ".scale", ces ? "a CES scale has 7 or 5 points" : "a CSAT scale has 5 points");
        }
        break;
      }
      case question_type::emotion:
        if (!only_keys(*q, path, {"id", "type", "required", "show_if", "text", "choices"})) return false;
        if (const json::value* c = field(*q, "choices", path, false)) {
          if (!read_choices(*c, path + ".choices", true, out.choices)) return false;
        } else {
          for (std::string_view e : emotion_set) out.choices.emplace_back(e);
        }
        break;
      case question_type::choice:
        if (!only_keys(*q, path, {"id", "type", "required", "show_if", "text", "choices", "multiple"})) return false;
        if ((f = field(*q, "choices", path, true)) == nullptr || !read_choices(*f, path + ".choices", false, out.choices))
          return false;
        if (const json::value* m = field(*q, "multiple", path, false); m != nullptr && !as_bool(*m, path + ".multiple", out.multiple))
          return false;
        break;
      case question_type::text:
        if (!only_keys(*q, path, {"id", "type", "required", "show_if", "text", "max_length"})) return false;
        out.max_length = default_max_length;
        if (const json::value* m = field(*q, "max_length", path, false);
            m != nullptr && !as_int(*m, path + ".max_length", 1, max_max_length, out.max_length))
          return false;
        break;
    }

    if (const json::value* r = field(*q, "required", path, false); r != nullptr && !as_bool(*r, path + ".required", out.required))
      return false;
    if ((f = field(*q, "text", path, true)) == nullptr || !read_texts(*f, path + ".text", out)) return false;
    show_if_.push_back(field(*q, "show_if", path, false));
    s_.questions_.push_back(std::move(out));
    return true;
  }

  bool read_choices(const json::value& v, const std::string& path, bool emotion, std::vector<std::string>& out) {
    const json::array* a = nullptr;
    if (!as_array(v, path, a)) return false;
    if (a->empty()) return fail(errc::missing_field, path, "must list at least one choice");
    if (a->size() > max_choices)
      return fail(errc::too_large, path, std::to_string(a->size()) + " choices, over the limit of 100");
    for (std::size_t i = 0; i < a->size(); ++i) {
      const std::string p = index_path(path, i);
      std::string_view c;
      if (!as_string((*a)[i], p, c)) return false;
      if (emotion) {
        if (std::find(emotion_set.begin(), emotion_set.end(), c) == emotion_set.end())
          return fail(errc::invalid_argument, p,
                      quoted(c) + " is not an emotion (excited, happy, indifferent, bored, impatient, embarrassed, confused, angry)");
      } else if (!is_identifier(c, max_question_id, false)) {
        return fail(errc::invalid_argument, p, quoted(c) + " is not an identifier of 1-64 letters, digits, '_', '-'");
      }
      if (std::find(out.begin(), out.end(), c) != out.end())
        return fail(errc::invalid_argument, p, "duplicate choice " + quoted(c));
      out.emplace_back(c);
    }
    return true;
  }

  bool read_texts(const json::value& v, const std::string& path, survey_question& q) {
    const json::object* texts = nullptr;
    if (!as_object(v, path, texts)) return false;
    std::vector<std::pair<std::size_t, question_text>> found;
    for (const auto& kv : *texts) {
      const std::string_view tag(kv.key().data(), kv.key().size());
      const std::string p = path + "." + std::string(tag);
      std::size_t locale = survey::npos;
      for (std::size_t i = 0; i < s_.locales_.size(); ++i)
        if (s_.locales_[i].tag == tag) locale = i;
      if (locale == survey::npos)
        return fail(errc::invalid_argument, path, "locale " + quoted(tag) + " is not declared in locales");
      question_text t;
      t.locale.assign(tag);
      if (!read_text(kv.value(), p, q, t)) return false;
      found.emplace_back(locale, std::move(t));
    }
    const std::string& def = s_.locales_[s_.default_locale_].tag;
    if (std::none_of(found.begin(), found.end(), [&](const auto& f) { return f.first == s_.default_locale_; }))
      return fail(errc::missing_field, path, "missing the texts of the default locale " + quoted(def));
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& f : found) q.texts.push_back(std::move(f.second));
    return true;
  }

  bool read_text(const json::value& v, const std::string& path, const survey_question& q, question_text& t) {
    const json::object* o = nullptr;
    if (!as_object(v, path, o)) return false;
    const bool scored = is_scored(q.type), choices = has_choices(q.type);
    if (scored ? !only_keys(*o, path, {"prompt", "min_label", "max_label"})
               : choices ? !only_keys(*o, path, {"prompt", "choices"}) : !only_keys(*o, path, {"prompt"}))
      return false;
    const json::value* f = field(*o, "prompt", path, true);
    if (f == nullptr || !as_text(*f, path + ".prompt", t.prompt)) return false;
    if (scored) {
      for (auto [key, out] : {std::pair{"min_label", &t.min_label}, std::pair{"max_label", &t.max_label}}) {
        if (const json::value* l = field(*o, key, path, false)) {
          std::string s;
          if (!as_text(*l, join(path, key), s)) return false;
          *out = std::move(s);
        }
      }
    }
    if (choices) {
      const json::object* labels = nullptr;
      if ((f = field(*o, "choices", path, true)) == nullptr || !as_object(*f, path + ".choices", labels)) return false;
      for (const auto& kv : *labels) {
        const std::string_view c(kv.key().data(), kv.key().size());
        if (q.choice_index(c) == survey_question::npos)
          return fail(errc::invalid_argument, path + ".choices",
                      "label for " + quoted(c) + ", which is not one of the question's choices");
      }
      t.choice_labels.resize(q.choices.size());
      for (std::size_t i = 0; i < q.choices.size(); ++i) {
        const json::value* l = labels->if_contains(q.choices[i]);
        if (l == nullptr)
          return fail(errc::missing_field, path + ".choices", "missing the label of choice " + quoted(q.choices[i]));
        if (!as_text(*l, path + ".choices." + q.choices[i], t.choice_labels[i])) return false;
      }
    }
    return true;
  }

  bool read_condition(const json::value& v, const std::string& path, std::size_t owner, survey_condition& out) {
    const json::object* o = nullptr;
    if (!as_object(v, path, o)) return false;
    for (const char* combinator : {"all", "any"}) {
      const json::value* list = field(*o, combinator, path, false);
      if (list == nullptr) continue;
      const std::string p = join(path, combinator);
      if (o->size() != 1)
        return fail(errc::invalid_argument, path, std::string("\"") + combinator + "\" must be the only field of its condition");
      const json::array* a = nullptr;
      if (!as_array(*list, p, a)) return false;
      if (a->empty()) return fail(errc::missing_field, p, "must list at least one condition");
      if (a->size() > max_children)
        return fail(errc::too_large, p, std::to_string(a->size()) + " conditions, over the limit of 32");
      out.type = combinator[1] == 'l' ? survey_condition::kind::all : survey_condition::kind::any;
      out.children.resize(a->size());
      for (std::size_t i = 0; i < a->size(); ++i)
        if (!read_condition((*a)[i], index_path(p, i), owner, out.children[i])) return false;
      return true;
    }
    if (!only_keys(*o, path, {"question", "category", "min", "max", "any_of"})) return false;
    const json::value* f = field(*o, "question", path, true);
    std::string_view ref;
    if (f == nullptr || !as_string(*f, path + ".question", ref)) return false;
    const std::size_t target = s_.find(ref);
    if (target == owner)
      return fail(errc::invalid_argument, path + ".question", "question " + quoted(ref) + " refers to itself");
    if (target == survey::npos)
      return fail(errc::invalid_argument, path + ".question", "unknown question " + quoted(ref));
    if (target > owner)
      return fail(errc::invalid_argument, path + ".question",
                  "question " + quoted(ref) + " comes later (questions[" + std::to_string(target) +
                      "]); conditions may only refer to earlier questions");
    out.question = target;
    const survey_question& q = s_.questions_[target];

    const json::value* category = field(*o, "category", path, false);
    const json::value* min = field(*o, "min", path, false);
    const json::value* max = field(*o, "max", path, false);
    const json::value* any_of = field(*o, "any_of", path, false);
    const int tests = (category != nullptr) + (min != nullptr || max != nullptr) + (any_of != nullptr);
    if (tests != 1)
      return fail(tests == 0 ? errc::missing_field : errc::invalid_argument, path,
                  "a condition tests one of: category, min/max, any_of");
    const std::string type = quoted(q.id) + " is a question of type " + name(q.type);

    if (category != nullptr) {
      const std::string p = path + ".category";
      if (q.type != question_type::nps) return fail(errc::invalid_argument, p, "NPS categories need an nps question; " + type);
      out.type = survey_condition::kind::category;
      const json::array* a = nullptr;
      if (!as_array(*category, p, a)) return false;
      if (a->empty()) return fail(errc::missing_field, p, "must list at least one category");
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string_view c;
        if (!as_string((*a)[i], index_path(p, i), c)) return false;
        std::size_t k = 0;
        while (k < std::size(category_names) && c != category_names[k]) ++k;
        if (k == std::size(category_names))
          return fail(errc::invalid_argument, index_path(p, i),
                      "unknown NPS category " + quoted(c) + " (expected detractor, passive or promoter)");
        const std::uint32_t bit = std::uint32_t{1} << k;
        if ((out.categories & bit) != 0) return fail(errc::invalid_argument, index_path(p, i), "duplicate category " + quoted(c));
        out.categories |= bit;
      }
      return true;
    }
    if (any_of != nullptr) {
      const std::string p = path + ".any_of";
      if (!has_choices(q.type)) return fail(errc::invalid_argument, p, "any_of needs a choice or emotion question; " + type);
      out.type = survey_condition::kind::any_of;
      const json::array* a = nullptr;
      if (!as_array(*any_of, p, a)) return false;
      if (a->empty()) return fail(errc::missing_field, p, "must list at least one choice");
      for (std::size_t i = 0; i < a->size(); ++i) {
        std::string_view c;
        if (!as_string((*a)[i], index_path(p, i), c)) return false;
        const std::size_t k = q.choice_index(c);
        if (k == survey_question::npos)
          return fail(errc::invalid_argument, index_path(p, i), quoted(c) + " is not a choice of question " + quoted(q.id));
        if (std::find(out.choices.begin(), out.choices.end(), k) != out.choices.end())
          return fail(errc::invalid_argument, index_path(p, i), "duplicate choice " + quoted(c));
        out.choices.push_back(k);
      }
      return true;
    }
    if (!is_scored(q.type))
      return fail(errc::invalid_argument, path + (min != nullptr ? ".min" : ".max"),
                  "a score range needs an nps, ces or csat question; " + type);
    out.type = survey_condition::kind::range;
    for (auto [key, bound, slot] : {std::tuple{"min", min, &out.min}, std::tuple{"max", max, &out.max}}) {
      if (bound == nullptr) continue;
      int x = 0;
      if (!as_int(*bound, join(path, key), q.scale.min, q.scale.max, x)) return false;
      *slot = x;
    }
    if (out.min && out.max && *out.min > *out.max)
      return fail(errc::invalid_argument, path, "min " + std::to_string(*out.min) + " is above max " + std::to_string(*out.max));
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
    const std::pair<const char*, const std::string*> fields[] = {
        {"title", &l.ui.title}, {"intro", &l.ui.intro}, {"next", &l.ui.next},
        {"back", &l.ui.back},   {"submit", &l.ui.submit}, {"thank_you", &l.ui.thank_you}};
    for (const auto& [key, text] : fields)
      if (!text->empty()) ui[key] = *text;
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
