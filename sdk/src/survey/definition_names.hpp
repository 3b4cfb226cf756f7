// SPDX-License-Identifier: MIT
// Internal: the words of the cxm.survey format (type, category and ui-string names) and the rules
// its identifiers and locale tags follow, shared by the queries (definition.cpp) and the codec
// (definition_json.cpp).
#ifndef CXM_SRC_SURVEY_DEFINITION_NAMES_HPP
#define CXM_SRC_SURVEY_DEFINITION_NAMES_HPP

#include <cstddef>
#include <string_view>

#include "cxm/survey/definition.hpp"

CXM_BEGIN_NAMESPACE
namespace detail::survey_format {  // a namespace of its own: names as plain as `lower` would clash

// Indexed by the enums' values; string_views of literals, so data() is NUL-terminated.
inline constexpr std::string_view type_names[] = {"nps", "ces", "csat", "emotion", "choice", "text"};
inline constexpr std::string_view category_names[] = {"detractor", "passive", "promoter"};
inline constexpr std::string_view ui_names[ui_string_count] = {
    "title", "intro", "next", "back", "submit", "thank_you", "dismiss", "progress", "characters", "required",
    "too_long", "invalid"};

// The index of `s` in `names`, or N.
template <std::size_t N>
constexpr std::size_t lookup(const std::string_view (&names)[N], std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < N && s != names[i]) ++i;
  return i;
}

constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_alnum(char c) noexcept { return is_alpha(c) || (c >= '0' && c <= '9'); }

constexpr bool is_identifier(std::string_view s, std::size_t max, bool allow_dot) noexcept {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '_' && c != '-' && !(allow_dot && c == '.')) return false;
  return true;
}

// A BCP 47-like tag: 2-3 letters, then subtags of 1-8 letters or digits ("pt-BR", "zh-Hant").
constexpr bool is_locale_tag(std::string_view s) noexcept {
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

constexpr char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Locale tags compare ASCII case-insensitively.
constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

}  // namespace detail::survey_format
CXM_END_NAMESPACE

#endif  // CXM_SRC_SURVEY_DEFINITION_NAMES_HPP
