// SPDX-License-Identifier: MIT
// Survey definitions: the names of the format's enums, locale resolution and text fallback
// (the format is specified in cxm/survey/definition.hpp; parsing and the canonical encoding are
// in definition_json.cpp).
#include "cxm/survey/definition.hpp"

#include <string>

#include "survey/definition_names.hpp"

CXM_BEGIN_NAMESPACE

using namespace detail::survey_format;

namespace {

std::string_view primary_language(std::string_view tag) noexcept { return tag.substr(0, tag.find('-')); }

}  // namespace

// ---- names --------------------------------------------------------------------------------

const char* name(question_type t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  return i < std::size(type_names) ? type_names[i].data() : "unknown";
}

const char* name(nps_category c) noexcept {
  const auto i = static_cast<std::size_t>(c);
  return i < std::size(category_names) ? category_names[i].data() : "unknown";
}

const char* name(text_direction d) noexcept { return d == text_direction::rtl ? "rtl" : "ltr"; }

const char* name(ui_string s) noexcept {
  const auto i = static_cast<std::size_t>(s);
  return i < ui_string_count ? ui_names[i].data() : "unknown";
}

std::size_t survey_question::choice_index(std::string_view choice) const noexcept {
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (choices[i] == choice) return i;
  return npos;
}

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

CXM_END_NAMESPACE
