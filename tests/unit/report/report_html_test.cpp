// SPDX-License-Identifier: MIT
// The HTML page of a report: the JSON goes into the template's data block escaped so that no
// label can end the element, and reads back as the same document.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "cxm/report/report.hpp"

namespace json = boost::json;

namespace {

const std::string page_template =
    "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"></head><body>"
    "<script type=\"application/json\" id=\"cxm-report-data\">{{CXM_REPORT_JSON}}</script></body></html>\n";

cxm::report hostile_report() {
  cxm::report_options o;
  o.questions = {{"nps", cxm::question_type::nps, cxm::scale::nps()}};
  o.breakdowns = {"channel"};
  auto b = cxm::report_builder::make(o);
  EXPECT_TRUE(b);
  cxm::response_reader reader;
  // A channel that tries to end the script element, open a comment, and carries U+2028 and
  // U+2029 (E2 80 A8, E2 80 A9) and Hebrew.
  const std::string channel = "</script><!-- & \xE2\x80\xA8\xE2\x80\xA9 \xD7\xA1\xD7\xA0\xD7\x99\xD7\xA3";
  const std::string line = "{\"id\":\"1\",\"survey_id\":\"s\",\"channel\":" + json::serialize(json::value(channel)) +
                           ",\"answers\":{\"nps\":9}}\n";
  reader.feed(line, *b);
  reader.finish(*b);
  return b->build();
}

// The data block's text, as the browser's HTML parser hands it to JSON.parse.
std::string data_block(const std::string& page) {
  const std::string open = "id=\"cxm-report-data\">";
  const std::size_t from = page.find(open) + open.size();
  return page.substr(from, page.find("</script>", from) - from);
}

}  // namespace

TEST(ReportHtml, EscapesExactlyTheFiveCharacters) {
  EXPECT_EQ(cxm::escape_json_for_html("<>&"), "\\u003c\\u003e\\u0026");
  EXPECT_EQ(cxm::escape_json_for_html("a\xE2\x80\xA8" "b\xE2\x80\xA9" "c"), "a\\u2028b\\u2029c");
  // Other characters of those bytes' neighbourhood stay as they are: U+2027, U+202A, Hebrew.
  EXPECT_EQ(cxm::escape_json_for_html("\xE2\x80\xA7\xE2\x80\xAA\xD7\xA1\"'/"), "\xE2\x80\xA7\xE2\x80\xAA\xD7\xA1\"'/");
  EXPECT_EQ(cxm::escape_json_for_html("\xE2\x80"), "\xE2\x80");  // cut short: left alone
}

TEST(ReportHtml, TheDataBlockHoldsTheSameDocumentAndNoMarkup) {
  const cxm::report r = hostile_report();
  auto page = cxm::to_html(r, page_template);
  ASSERT_TRUE(page) << page.detail();
  const std::string block = data_block(*page);
  EXPECT_EQ(block.find('<'), std::string::npos);
  EXPECT_EQ(block.find('&'), std::string::npos);
  EXPECT_EQ(block.find("\xE2\x80\xA8"), std::string::npos);
  EXPECT_EQ(json::parse(block), json::parse(cxm::to_json(r)));
  // The page around it is the template's, byte for byte.
  EXPECT_EQ(page->find("{{CXM_REPORT_JSON}}"), std::string::npos);
  EXPECT_EQ(page->substr(0, 32), page_template.substr(0, 32));
  EXPECT_EQ(page->substr(page->size() - 24), page_template.substr(page_template.size() - 24));
}

TEST(ReportHtml, RightToLeftAndLanguage) {
  const cxm::report r = hostile_report();
  auto rtl = cxm::to_html(r, page_template, {"he", true});
  ASSERT_TRUE(rtl);
  EXPECT_NE(rtl->find("<html lang=\"he\" dir=\"rtl\">"), std::string::npos);
  auto pt = cxm::to_html(r, page_template, {"pt-BR", false});
  ASSERT_TRUE(pt);
  EXPECT_NE(pt->find("<html lang=\"pt-BR\">"), std::string::npos);
  for (const char* bad : {"", "en\" onload=\"x", "e n", "<b>"})
    EXPECT_EQ(cxm::to_html(r, page_template, {bad, false}).code(), cxm::errc::invalid_argument) << bad;
}

TEST(ReportHtml, ATemplateWithoutOneAndOnlyOnePlaceholderIsRefused) {
  const cxm::report r = hostile_report();
  EXPECT_EQ(cxm::to_html(r, "<html lang=\"en\"><body></body></html>").code(), cxm::errc::invalid_argument);
  EXPECT_EQ(cxm::to_html(r, "<html lang=\"en\">{{CXM_REPORT_JSON}}{{CXM_REPORT_JSON}}").code(),
            cxm::errc::invalid_argument);
  EXPECT_EQ(cxm::to_html(r, "<html>{{CXM_REPORT_JSON}}").code(), cxm::errc::invalid_argument);
}
