// SPDX-License-Identifier: MIT
// The HTML page of a report: the built page template (wasm/report/) with the report's JSON in
// its data block, escaped by the rule of docs/report.md ("HTML"). The template is the caller's
// (the cxm tool embeds it at build time): the core has no files and no JavaScript.
#include <string>
#include <string_view>

#include "cxm/report/report.hpp"

CXM_BEGIN_NAMESPACE

namespace {

constexpr std::string_view placeholder = "{{CXM_REPORT_JSON}}";

}  // namespace

std::string escape_json_for_html(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    switch (c) {
      case '<': out += "\\u003c"; continue;
      case '>': out += "\\u003e"; continue;
      case '&': out += "\\u0026"; continue;
      default: break;
    }
    // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
    if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' && (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

result<std::string> to_html(const report& r, std::string_view page_template, const html_options& options) {
  const std::size_t at = page_template.find(placeholder);
  if (at == std::string_view::npos || page_template.find(placeholder, at + 1) != std::string_view::npos)
    return {errc::invalid_argument, "the page template must hold {{CXM_REPORT_JSON}} exactly once"};
  // The language goes into the markup: a BCP 47 tag is letters, digits and hyphens.
  const std::string& lang = options.lang;
  if (lang.empty() || lang.size() > 35 ||
      lang.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != std::string::npos)
    return {errc::invalid_argument, "lang: expected a language tag such as en, he or pt-BR"};
  constexpr std::string_view root = "<html lang=\"en\">";
  const std::size_t html = page_template.find(root);
  if (html == std::string_view::npos || html > at)
    return {errc::invalid_argument, "the page template does not start with <html lang=\"en\">"};

  const std::string data = escape_json_for_html(to_json(r));
  std::string page;
  page.reserve(page_template.size() + data.size());
  page.append(page_template.substr(0, html));
  page.append("<html lang=\"").append(lang).append(options.right_to_left ? "\" dir=\"rtl\">" : "\">");
  page.append(page_template.substr(html + root.size(), at - html - root.size()));
  page.append(data);
  page.append(page_template.substr(at + placeholder.size()));
  return page;
}

CXM_END_NAMESPACE
