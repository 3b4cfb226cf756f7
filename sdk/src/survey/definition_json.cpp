// SPDX-License-Identifier: MIT
// Survey definitions as JSON: strict parsing and validation of the cxm.survey format (specified
// in cxm/survey/definition.hpp) and its canonical encoding.
//
// The parser is written for size as much as speed (it ships in the survey widget's wasm): paths
// and messages are built only when an error is reported, by one out-of-line function
// (json_reader::fail).
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cxm/survey/definition.hpp"
#include "io/json_reader.hpp"
#include "io/json_writer.hpp"
#include "survey/definition_names.hpp"

CXM_BEGIN_NAMESPACE

using namespace detail::survey_format;
using detail::json_path;
using detail::json_value;
using detail::quoted;

namespace {

constexpr std::size_t max_locales = 50;
constexpr std::size_t max_questions = 200;
constexpr std::size_t max_choices = 100;
constexpr std::size_t max_children = 32;
constexpr std::size_t max_text_bytes = 4096;
constexpr std::size_t max_question_id = 64;
constexpr std::size_t max_survey_id = 128;
constexpr int max_cooldown_days = 3650;
constexpr std::int64_t max_survey_version = (std::int64_t{1} << 53) - 1;  // exact in JS
constexpr int default_max_length = 1000;

}  // namespace

// ---- parsing ------------------------------------------------------------------------------

/// Reads a definition; the first error wins and is kept in r_.
class survey_parser {
 public:
  result<survey> run(std::string_view text) {
    if (!r_.parse(text, survey::max_bytes, survey::max_depth) || !read_root(r_.root(), json_path()))
      return r_.error<survey>();
    return std::move(s_);
  }

 private:
  detail::json_reader r_;
  survey s_;
  std::vector<json_value> show_if_;  // raw show_if of each question (or absent)

  // A text shown to respondents: 1-4096 bytes.
  bool text_of(json_value v, const json_path& at, std::string& out) {
    std::string_view s;
    if (!r_.string(v, at, s)) return false;
    if (s.empty()) return r_.fail(errc::out_of_range, at, {"must not be empty"});
    if (s.size() > max_text_bytes)
      return r_.fail(errc::too_large, at, {"text of ", std::to_string(s.size()), " bytes is over the 4096-byte limit"});
    out.assign(s);
    return true;
  }

  bool identifier_of(json_value v, const json_path& at, std::size_t max, bool allow_dot, std::string_view& out) {
    if (!r_.string(v, at, out)) return false;
    if (is_identifier(out, max, allow_dot)) return true;
    return r_.fail(errc::invalid_argument, at,
                   {quoted(out), " is not an identifier of 1-", std::to_string(max), " letters, digits, '_', '-'",
                    allow_dot ? ", '.'" : ""});
  }

  bool read_root(json_value root, const json_path& at) {
    if (!r_.header(root, "cxm.survey", survey::format_version)) return false;
    if (!r_.only_keys(root, at, {"format", "version", "id", "survey_version", "default_locale", "locales", "targeting",
                                 "questions"}))
      return false;

    json_value v = r_.field(root, "id", at);
    std::string_view id;
    if (!v || !identifier_of(v, at.member("id"), max_survey_id, true, id)) return false;
    s_.id_.assign(id);

    if (!r_.integer_field(root, at, "survey_version", std::int64_t{0}, max_survey_version, s_.version_)) return false;

    if (!(v = r_.field(root, "locales", at)) || !read_locales(v, at.member("locales"))) return false;

    const json_path def_at = at.member("default_locale");
    std::string_view def;
    if (!r_.string_field(root, at, "default_locale", def)) return false;
    s_.default_locale_ = survey::npos;
    for (std::size_t i = 0; i < s_.locales_.size(); ++i)
      if (s_.locales_[i].tag == def) s_.default_locale_ = i;
    if (s_.default_locale_ == survey::npos)
      return r_.fail(errc::invalid_argument, def_at, {quoted(def), " is not one of the keys of locales"});

    if ((v = r_.field(root, "targeting", at, false)) && !read_targeting(v, at.member("targeting"))) return false;

    const json_path qs_at = at.member("questions");
    const json_value qs = r_.field(root, "questions", at);
    if (!qs || !r_.array(qs, qs_at)) return false;
    if (qs.size() == 0) return r_.fail(errc::missing_field, qs_at, {"a survey needs at least one question"});
    if (qs.size() > max_questions)
      return r_.fail(errc::too_large, qs_at, {std::to_string(qs.size()), " questions, over the limit of 200"});
    for (std::size_t i = 0; i < qs.size(); ++i)
      if (!read_question(qs.at(i), qs_at.element(i))) return false;
    // Conditions last: a reference to a later question can then be told from an unknown one.
    for (std::size_t i = 0; i < qs.size(); ++i) {
      if (!show_if_[i]) continue;
      const json_path q_at = qs_at.element(i);
      survey_condition c;
      if (!read_condition(show_if_[i], q_at.member("show_if"), i, c)) return false;
      s_.questions_[i].show_if = std::move(c);
    }
    return true;
  }

  bool read_locales(json_value locales, const json_path& at) {
    if (!r_.object(locales, at)) return false;
    if (locales.size() == 0) return r_.fail(errc::missing_field, at, {"a survey needs at least one locale"});
    if (locales.size() > max_locales)
      return r_.fail(errc::too_large, at, {std::to_string(locales.size()), " locales, over the limit of 50"});
    for (std::size_t k = 0; k < locales.size(); ++k) {
      const std::string_view tag = locales.key_at(k);
      const json_path l_at = at.member(tag);
      if (!is_locale_tag(tag))
        return r_.fail(errc::invalid_argument, at, {quoted(tag), " is not a locale tag such as en, he or pt-BR"});
      for (const survey_locale& l : s_.locales_)
        if (iequals(l.tag, tag))
          return r_.fail(errc::invalid_argument, at, {quoted(tag), " repeats ", quoted(l.tag), " (tags ignore case)"});
      const json_value lo = locales.value_at(k);
      if (!r_.object(lo, l_at) || !r_.only_keys(lo, l_at, {"dir", "ui"})) return false;
      survey_locale locale;
      locale.tag.assign(tag);
      std::string_view d;
      if (!r_.string_field(lo, l_at, "dir", d)) return false;
      if (d == "rtl") locale.dir = text_direction::rtl;
      else if (d != "ltr")
        return r_.fail(errc::invalid_argument, l_at.member("dir"), {"expected \"ltr\" or \"rtl\", got ", quoted(d)});
      if (const json_value ui = r_.field(lo, "ui", l_at, false); ui && !read_ui(ui, l_at.member("ui"), locale.ui))
        return false;
      s_.locales_.push_back(std::move(locale));
    }
    return true;
  }

  bool read_ui(json_value o, const json_path& at, survey_ui_text& ui) {
    if (!r_.object(o, at)) return false;
    // Key by key in document order, so that a bad text before an unknown key is the error.
    for (std::size_t k = 0; k < o.size(); ++k) {
      const std::string_view key = o.key_at(k);
      const std::size_t i = lookup(ui_names, key);
      if (i == ui_string_count) return r_.unknown_key(at, key, ui_names, ui_string_count);
      const json_path f_at = at.member(ui_names[i]);
      if (!text_of(o.value_at(k), f_at, ui.strings[i])) return false;
      const auto s = static_cast<ui_string>(i);
      if ((s == ui_string::progress || s == ui_string::characters) &&
          (ui.strings[i].find("{n}") == std::string::npos || ui.strings[i].find("{m}") == std::string::npos))
        return r_.fail(errc::invalid_argument, f_at, {"expected a template holding {n} and {m}"});
    }
    return true;
  }

  bool read_targeting(json_value t, const json_path& at) {
    if (!r_.object(t, at) || !r_.only_keys(t, at, {"sample_rate", "cooldown_days", "global_cooldown_days"}))
      return false;
    survey_targeting& out = s_.targeting_;
    if (const json_value r = r_.field(t, "sample_rate", at, false)) {
      const json_path r_at = at.member("sample_rate");
      if (!r.is_number()) return r_.expected(r, r_at, "a number in [0, 1]");
      const double rate = r.get_number();
      if (!(rate >= 0 && rate <= 1)) return r_.fail(errc::out_of_range, r_at, {"expected a number in [0, 1]"});
      out.sample_rate = rate;
    }
    if (const json_value c = r_.field(t, "cooldown_days", at, false);
        c && !r_.integer(c, at.member("cooldown_days"), 0, max_cooldown_days, out.cooldown_days))
      return false;
    if (const json_value c = r_.field(t, "global_cooldown_days", at, false);
        c && !r_.integer(c, at.member("global_cooldown_days"), 0, max_cooldown_days, out.global_cooldown_days))
      return false;
    return true;
  }

  bool read_question(json_value q, const json_path& at) {
    if (!r_.object(q, at)) return false;
    survey_question out;

    json_value f = r_.field(q, "id", at);
    std::string_view id;
    if (!f || !identifier_of(f, at.member("id"), max_question_id, false, id)) return false;
    if (const std::size_t j = s_.find(id); j != survey::npos)
      return r_.fail(errc::invalid_argument, at.member("id"),
                     {"duplicate question id ", quoted(id), " (also questions[", std::to_string(j), "])"});
    out.id.assign(id);

    std::string_view type;
    if (!r_.string_field(q, at, "type", type)) return false;
    const std::size_t t = lookup(type_names, type);
    if (t == std::size(type_names))
      return r_.fail(errc::invalid_argument, at.member("type"),
                     {"unknown question type ", quoted(type), " (expected nps, ces, csat, emotion, choice or text)"});
    out.type = static_cast<question_type>(t);

    switch (out.type) {
      case question_type::nps:
        if (!r_.only_keys(q, at, {"id", "type", "required", "show_if", "text"})) return false;
        out.scale = {0, 10, 9};
        break;
      case question_type::ces:
      case question_type::csat: {
        if (!r_.only_keys(q, at, {"id", "type", "required", "show_if", "text", "scale"})) return false;
        const bool ces = out.type == question_type::ces;
        out.scale = ces ? scale::ces7() : scale::csat5();
        if (const json_value s = r_.field(q, "scale", at, false)) {
          int points = 0;
          if (!r_.integer(s, at.member("scale"), 1, 11, points)) return false;
          if (points == 5) out.scale = ces ? scale::ces5() : scale::csat5();
          else if (!ces || points != 7)
            return r_.fail(errc::out_of_range, at.member("scale"),
                           {ces ? "a CES scale has 7 or 5 points" : "a CSAT scale has 5 points"});
        }
        break;
      }
      case question_type::emotion:
        if (!r_.only_keys(q, at, {"id", "type", "required", "show_if", "text", "choices"})) return false;
        if (const json_value c = r_.field(q, "choices", at, false)) {
          if (!read_choices(c, at.member("choices"), true, out.choices)) return false;
        } else {
          out.choices.assign(emotion_set.begin(), emotion_set.end());
        }
        break;
      case question_type::choice:
        if (!r_.only_keys(q, at, {"id", "type", "required", "show_if", "text", "choices", "multiple"})) return false;
        if (!(f = r_.field(q, "choices", at)) || !read_choices(f, at.member("choices"), false, out.choices))
          return false;
        if ((f = r_.field(q, "multiple", at, false)) && !r_.boolean(f, at.member("multiple"), out.multiple))
          return false;
        break;
      case question_type::text:
        if (!r_.only_keys(q, at, {"id", "type", "required", "show_if", "text", "max_length"})) return false;
        out.max_length = default_max_length;
        if ((f = r_.field(q, "max_length", at, false)) &&
            !r_.integer(f, at.member("max_length"), 1, static_cast<int>(survey::max_text_length), out.max_length))
          return false;
        break;
    }

    if ((f = r_.field(q, "required", at, false)) && !r_.boolean(f, at.member("required"), out.required)) return false;
    if (!(f = r_.field(q, "text", at)) || !read_texts(f, at.member("text"), out)) return false;
    show_if_.push_back(r_.field(q, "show_if", at, false));
    s_.questions_.push_back(std::move(out));
    return true;
  }

  bool read_choices(json_value a, const json_path& at, bool emotion, std::vector<std::string>& out) {
    if (!r_.list(a, at, max_choices, "choice")) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      const json_path c_at = at.element(i);
      std::string_view c;
      if (emotion) {
        if (!r_.string(a.at(i), c_at, c)) return false;
        if (std::find(emotion_set.begin(), emotion_set.end(), c) == emotion_set.end())
          return r_.fail(errc::invalid_argument, c_at,
                         {quoted(c), " is not an emotion (excited, happy, indifferent, bored, impatient, embarrassed, "
                                     "confused, angry)"});
      } else if (!identifier_of(a.at(i), c_at, max_question_id, false, c)) {
        return false;
      }
      if (std::find(out.begin(), out.end(), c) != out.end())
        return r_.fail(errc::invalid_argument, c_at, {"duplicate choice ", quoted(c)});
      out.emplace_back(c);
    }
    return true;
  }

  bool read_texts(json_value texts, const json_path& at, survey_question& q) {
    if (!r_.object(texts, at)) return false;
    for (std::size_t k = 0; k < texts.size(); ++k) {
      const std::string_view tag = texts.key_at(k);
      if (std::none_of(s_.locales_.begin(), s_.locales_.end(), [&](const survey_locale& l) { return l.tag == tag; }))
        return r_.fail(errc::invalid_argument, at, {"locale ", quoted(tag), " is not declared in locales"});
    }
    const std::string& def = s_.locales_[s_.default_locale_].tag;
    if (!texts.find(def))
      return r_.fail(errc::missing_field, at, {"missing the texts of the default locale ", quoted(def)});
    // In the order of the survey's locales.
    for (const survey_locale& l : s_.locales_) {
      const json_value t = texts.find(l.tag);
      if (!t) continue;
      question_text text;
      text.locale = l.tag;
      if (!read_text(t, at.member(l.tag), q, text)) return false;
      q.texts.push_back(std::move(text));
    }
    return true;
  }

  bool read_text(json_value o, const json_path& at, const survey_question& q, question_text& t) {
    if (!r_.object(o, at)) return false;
    const bool scored = is_scored(q.type), choices = has_choices(q.type);
    if (scored ? !r_.only_keys(o, at, {"prompt", "min_label", "max_label"})
               : choices ? !r_.only_keys(o, at, {"prompt", "choices"}) : !r_.only_keys(o, at, {"prompt"}))
      return false;
    json_value f = r_.field(o, "prompt", at);
    if (!f || !text_of(f, at.member("prompt"), t.prompt)) return false;
    if (scored) {
      const char* const keys[] = {"min_label", "max_label"};
      std::optional<std::string>* const labels[] = {&t.min_label, &t.max_label};
      for (std::size_t i = 0; i < 2; ++i) {
        if (!(f = r_.field(o, keys[i], at, false))) continue;
        if (!text_of(f, at.member(keys[i]), labels[i]->emplace())) return false;
      }
    }
    if (choices) {
      const json_path c_at = at.member("choices");
      const json_value labels = r_.field(o, "choices", at);
      if (!labels || !r_.object(labels, c_at)) return false;
      for (std::size_t k = 0; k < labels.size(); ++k)
        if (q.choice_index(labels.key_at(k)) == survey_question::npos)
          return r_.fail(errc::invalid_argument, c_at,
                         {"label for ", quoted(labels.key_at(k)), ", which is not one of the question's choices"});
      t.choice_labels.resize(q.choices.size());
      for (std::size_t i = 0; i < q.choices.size(); ++i) {
        const json_value l = labels.find(q.choices[i]);
        if (!l) return r_.fail(errc::missing_field, c_at, {"missing the label of choice ", quoted(q.choices[i])});
        if (!text_of(l, c_at.member(q.choices[i]), t.choice_labels[i])) return false;
      }
    }
    return true;
  }

  bool read_condition(json_value o, const json_path& at, std::size_t owner, survey_condition& out) {
    if (!r_.object(o, at)) return false;
    for (const char* combinator : {"all", "any"}) {
      const json_value list = r_.field(o, combinator, at, false);
      if (!list) continue;
      if (o.size() != 1)
        return r_.fail(errc::invalid_argument, at, {"\"", combinator, "\" must be the only field of its condition"});
      const json_path l_at = at.member(combinator);
      if (!r_.list(list, l_at, max_children, "condition")) return false;
      out.type = combinator[1] == 'l' ? survey_condition::kind::all : survey_condition::kind::any;
      out.children.resize(list.size());
      for (std::size_t i = 0; i < list.size(); ++i)
        if (!read_condition(list.at(i), l_at.element(i), owner, out.children[i])) return false;
      return true;
    }
    if (!r_.only_keys(o, at, {"question", "category", "min", "max", "any_of"})) return false;
    const json_path q_at = at.member("question");
    std::string_view ref;
    if (!r_.string_field(o, at, "question", ref)) return false;
    const std::size_t target = s_.find(ref);
    if (target == owner) return r_.fail(errc::invalid_argument, q_at, {"question ", quoted(ref), " refers to itself"});
    if (target == survey::npos) return r_.fail(errc::invalid_argument, q_at, {"unknown question ", quoted(ref)});
    if (target > owner)
      return r_.fail(errc::invalid_argument, q_at,
                     {"question ", quoted(ref), " comes later (questions[", std::to_string(target),
                      "]); conditions may only refer to earlier questions"});
    out.question = target;
    const survey_question& q = s_.questions_[target];

    const json_value category = r_.field(o, "category", at, false);
    const json_value min = r_.field(o, "min", at, false);
    const json_value max = r_.field(o, "max", at, false);
    const json_value any_of = r_.field(o, "any_of", at, false);
    const int tests = category.present() + (min.present() || max.present()) + any_of.present();
    if (tests != 1)
      return r_.fail(tests == 0 ? errc::missing_field : errc::invalid_argument, at,
                     {"a condition tests one of: category, min/max, any_of"});
    const std::string type = quoted(q.id) + " is a question of type " + name(q.type);

    if (category || any_of) {
      const bool is_category = category.present();
      const json_path l_at = at.member(is_category ? "category" : "any_of");
      if (is_category ? q.type != question_type::nps : !has_choices(q.type))
        return r_.fail(errc::invalid_argument, l_at,
                       {is_category ? "NPS categories need an nps question; "
                                    : "any_of needs a choice or emotion question; ",
                        type});
      out.type = is_category ? survey_condition::kind::category : survey_condition::kind::any_of;
      const json_value a = is_category ? category : any_of;
      if (!r_.list(a, l_at, max_choices, is_category ? "category" : "choice")) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        const json_path e_at = l_at.element(i);
        std::string_view c;
        if (!r_.string(a.at(i), e_at, c)) return false;
        std::size_t k = is_category ? lookup(category_names, c) : q.choice_index(c);
        if (is_category && k == std::size(category_names))
          return r_.fail(errc::invalid_argument, e_at,
                         {"unknown NPS category ", quoted(c), " (expected detractor, passive or promoter)"});
        if (!is_category && k == survey_question::npos)
          return r_.fail(errc::invalid_argument, e_at, {quoted(c), " is not a choice of question ", quoted(q.id)});
        const bool seen = is_category ? ((out.categories >> k) & 1u) != 0
                                      : std::find(out.choices.begin(), out.choices.end(), k) != out.choices.end();
        if (seen)
          return r_.fail(errc::invalid_argument, e_at,
                         {"duplicate ", is_category ? "category " : "choice ", quoted(c)});
        if (is_category) out.categories |= std::uint32_t{1} << k;
        else out.choices.push_back(k);
      }
      return true;
    }
    if (!is_scored(q.type))
      return r_.fail(errc::invalid_argument, at.member(min ? "min" : "max"),
                     {"a score range needs an nps, ces or csat question; ", type});
    out.type = survey_condition::kind::range;
    const json_value bounds[] = {min, max};
    std::optional<int>* const slots[] = {&out.min, &out.max};
    for (std::size_t i = 0; i < 2; ++i) {
      if (!bounds[i]) continue;
      if (!r_.integer(bounds[i], at.member(i == 0 ? "min" : "max"), q.scale.min, q.scale.max, slots[i]->emplace()))
        return false;
    }
    if (out.min && out.max && *out.min > *out.max)
      return r_.fail(errc::invalid_argument, at,
                     {"min ", std::to_string(*out.min), " is above max ", std::to_string(*out.max)});
    return true;
  }
};

result<survey> survey::parse(std::string_view json) { return survey_parser().run(json); }

// ---- canonical encoding -------------------------------------------------------------------

namespace {

void write_condition(detail::json_writer& w, const survey& s, const survey_condition& c) {
  w.begin_object();
  if (c.type == survey_condition::kind::all || c.type == survey_condition::kind::any) {
    w.key(c.type == survey_condition::kind::all ? "all" : "any").begin_array();
    for (const survey_condition& child : c.children) write_condition(w, s, child);
    w.end_array().end_object();
    return;
  }
  const survey_question& q = s.questions()[c.question];
  w.member("question", q.id);
  if (c.type == survey_condition::kind::category) {
    w.key("category").begin_array();
    for (std::size_t k = 0; k < std::size(category_names); ++k)
      if ((c.categories >> k) & 1u) w.value(category_names[k]);
    w.end_array();
  } else if (c.type == survey_condition::kind::range) {
    if (c.min) w.member("min", *c.min);
    if (c.max) w.member("max", *c.max);
  } else {
    w.key("any_of").begin_array();
    for (std::size_t k : c.choices) w.value(q.choices[k]);
    w.end_array();
  }
  w.end_object();
}

}  // namespace

std::string survey::to_json() const {
  detail::json_writer w;
  w.begin_object()
      .member("format", "cxm.survey")
      .member("version", format_version)
      .member("id", id_)
      .member("survey_version", version_)
      .member("default_locale", locales_[default_locale_].tag);
  w.key("locales").begin_object();
  for (const survey_locale& l : locales_) {
    w.key(l.tag).begin_object().member("dir", name(l.dir));
    // "ui" only when the locale gives some of the strings.
    bool ui = false;
    for (std::size_t i = 0; i < ui_string_count; ++i) {
      if (l.ui.strings[i].empty()) continue;
      if (!ui) w.key("ui").begin_object();
      ui = true;
      w.member(ui_names[i], l.ui.strings[i]);
    }
    if (ui) w.end_object();
    w.end_object();
  }
  w.end_object();
  // 0 and 1 as integers; other rates in Boost.JSON's shortest round-trip form.
  w.key("targeting").begin_object().key("sample_rate").number(targeting_.sample_rate);
  w.member("cooldown_days", targeting_.cooldown_days)
      .member("global_cooldown_days", targeting_.global_cooldown_days)
      .end_object();
  w.key("questions").begin_array();
  for (const survey_question& q : questions_) {
    w.begin_object().member("id", q.id).member("type", name(q.type)).member("required", q.required);
    if (q.type == question_type::ces || q.type == question_type::csat) w.member("scale", q.scale.points());
    if (q.type == question_type::choice) w.member("multiple", q.multiple);
    if (has_choices(q.type)) {
      w.key("choices").begin_array();
      for (const std::string& c : q.choices) w.value(c);
      w.end_array();
    }
    if (q.type == question_type::text) w.member("max_length", q.max_length);
    if (q.show_if) {
      w.key("show_if");
      write_condition(w, *this, *q.show_if);
    }
    w.key("text").begin_object();
    for (const question_text& t : q.texts) {
      w.key(t.locale).begin_object().member("prompt", t.prompt);
      if (t.min_label) w.member("min_label", *t.min_label);
      if (t.max_label) w.member("max_label", *t.max_label);
      if (has_choices(q.type)) {
        w.key("choices").begin_object();
        for (std::size_t i = 0; i < q.choices.size(); ++i) w.member(q.choices[i], t.choice_labels[i]);
        w.end_object();
      }
      w.end_object();
    }
    w.end_object().end_object();
  }
  w.end_array().end_object();
  return w.take();
}

CXM_END_NAMESPACE
