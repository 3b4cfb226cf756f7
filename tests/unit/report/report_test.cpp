// SPDX-License-Identifier: MIT
// The report builder (options, time ranges, input counts, merge) and its JSON, CSV and text.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "cxm/report/report.hpp"
#include "report/report_format.hpp"

namespace json = boost::json;

namespace {

cxm::report_options nps_ces_by_channel() {
  cxm::report_options o;
  o.questions = {{"nps", cxm::question_type::nps, cxm::scale::nps()},
                 {"ces", cxm::question_type::ces, cxm::scale::ces7()}};
  o.breakdowns = {"channel"};
  return o;
}

cxm::report_builder make(const cxm::report_options& o) {
  auto b = cxm::report_builder::make(o);
  EXPECT_TRUE(b) << b.detail();
  return std::move(b).value();
}

void feed(cxm::report_builder& b, const std::string& lines) {
  cxm::response_reader reader;
  reader.feed(lines, b);
  reader.finish(b);
  b.add_reader_stats(reader.stats());
}

// `n` responses on `channel` with NPS answers cycling through `nps` and CES through `ces`.
std::string responses(const std::string& prefix, const std::string& channel, int n, std::vector<int> nps,
                      std::vector<int> ces, long long t0_ms = -1) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += "{\"id\":\"" + prefix + std::to_string(i) + "\",\"survey_id\":\"s\"";
    if (!channel.empty()) out += ",\"channel\":" + json::serialize(json::value(channel));
    if (t0_ms >= 0) out += ",\"timestamp\":" + std::to_string(t0_ms + i * 3600000LL);
    out += ",\"answers\":{\"nps\":" + std::to_string(nps[static_cast<std::size_t>(i) % nps.size()]) +
           ",\"ces\":" + std::to_string(ces[static_cast<std::size_t>(i) % ces.size()]) + "}}\n";
  }
  return out;
}

json::value parse(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  EXPECT_FALSE(ec) << ec.message();
  return v;
}

void expect_keys(const json::value& v, std::initializer_list<const char*> keys) {
  ASSERT_TRUE(v.is_object()) << json::serialize(v);
  const json::object& o = v.as_object();
  for (const char* k : keys) EXPECT_TRUE(o.contains(k)) << "missing key " << k << " in " << json::serialize(v);
  EXPECT_EQ(o.size(), keys.size()) << json::serialize(v);
}

// An RFC 4180 reader for the tests: fields of each record, CRLF record ends.
std::vector<std::vector<std::string>> read_csv(const std::string& s) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') field.push_back(s[++i]);
      else if (c == '"') quoted = false;
      else field.push_back(c);
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      ++i;
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
    } else {
      field.push_back(c);
    }
  }
  EXPECT_TRUE(rows.back().empty() && field.empty()) << "the CSV must end with CRLF";
  rows.pop_back();
  return rows;
}

}  // namespace

TEST(ReportBuilder, RefusesBadOptionsNamingThem) {
  cxm::report_options none;
  EXPECT_EQ(cxm::report_builder::make(none).code(), cxm::errc::invalid_argument);
  auto o = nps_ces_by_channel();
  o.level = 1.0;
  auto r = cxm::report_builder::make(o);
  EXPECT_EQ(r.code(), cxm::errc::invalid_argument);
  EXPECT_NE(r.detail().find("level"), std::string::npos);
  o = nps_ces_by_channel();
  o.breakdowns = {"colour"};
  r = cxm::report_builder::make(o);
  EXPECT_NE(r.detail().find("breakdowns[0]"), std::string::npos);
  o = nps_ces_by_channel();
  o.questions.push_back({"nps", cxm::question_type::nps, cxm::scale::nps()});
  r = cxm::report_builder::make(o);
  EXPECT_NE(r.detail().find("questions[2]"), std::string::npos);
  o = nps_ces_by_channel();
  o.since_ms = 10;
  o.until_ms = 10;
  EXPECT_EQ(cxm::report_builder::make(o).code(), cxm::errc::invalid_argument);
  o = nps_ces_by_channel();
  o.nps_method = cxm::interval_method::wilson;
  EXPECT_EQ(cxm::report_builder::make(o).code(), cxm::errc::invalid_argument);
  o = nps_ces_by_channel();
  o.p_adjust = static_cast<cxm::p_adjust_method>(9);
  EXPECT_EQ(cxm::report_builder::make(o).code(), cxm::errc::invalid_argument);
  o = nps_ces_by_channel();
  o.zone = cxm::time_zone();
  EXPECT_EQ(cxm::report_builder::make(o).code(), cxm::errc::invalid_argument);
}

TEST(ReportBuilder, CountsInputAndLeavesOutOfRangeOutOfEverything) {
  auto o = nps_ces_by_channel();
  o.since_ms = 1000 * 3600000LL;
  o.until_ms = 1010 * 3600000LL;
  auto b = make(o);
  std::string in = responses("early", "app", 3, {10}, {7}, 990 * 3600000LL);  // hours 990-992: out
  in += responses("in", "app", 5, {9}, {6}, 1005 * 3600000LL);                // hours 1005-1009: in
  in += responses("late", "web", 2, {0}, {1}, 1010 * 3600000LL);             // until is exclusive
  in += responses("none", "web", 4, {5}, {2});                                // no timestamp: kept
  in += "not json\n";
  in += "{\"id\":\"in0\",\"survey_id\":\"s\",\"answers\":{\"nps\":1}}\n";        // a duplicate id
  in += "{\"id\":\"bad\",\"survey_id\":\"s\",\"answers\":{\"nps\":11,\"ces\":\"x\"}}\n";
  feed(b, in);
  const cxm::report r = b.build();
  EXPECT_EQ(r.input.responses, 5u + 4u + 1u);
  EXPECT_EQ(r.input.duplicates, 1u);
  EXPECT_EQ(r.input.rejected_lines, 1u);  // "not json"; the duplicate is counted once, above
  EXPECT_EQ(r.input.answer_problems, 2u);
  EXPECT_EQ(r.input.missing_timestamps, 5u);  // the 4 and "bad"
  EXPECT_EQ(r.input.out_of_range, 5u);
  ASSERT_TRUE(r.input.first_ms && r.input.last_ms);
  EXPECT_EQ(*r.input.first_ms, 1005 * 3600000LL);
  EXPECT_EQ(*r.input.last_ms, 1009 * 3600000LL);
  EXPECT_EQ(r.totals[0].n, 9u);
  EXPECT_EQ(r.totals[0].invalid, 1u);
  EXPECT_EQ(r.totals[1].invalid, 1u);
  ASSERT_EQ(r.breakdowns[0].groups.size(), 2u);
  EXPECT_EQ(r.breakdowns[0].groups[0].responses, 5u);  // app: the late and early ones left out
  EXPECT_EQ(r.breakdowns[0].groups[1].responses, 4u);
  EXPECT_FALSE(r.trend);
}

TEST(ReportBuilder, SmallSamplesAreMarkedByMinN) {
  auto o = nps_ces_by_channel();
  o.min_n = 5;
  auto b = make(o);
  feed(b, responses("a", "app", 5, {9, 10, 3}, {5, 6}) + responses("w", "web", 4, {7}, {4, 5}));
  const cxm::report r = b.build();
  EXPECT_FALSE(r.totals[0].small_sample);
  EXPECT_FALSE(r.breakdowns[0].groups[0].questions[0].small_sample);
  EXPECT_TRUE(r.breakdowns[0].groups[1].questions[0].small_sample);
  EXPECT_TRUE(r.breakdowns[0].groups[1].questions[1].small_sample);
}

// Responses without the dimension are in no group, so in no group's rest either: the rest is
// the other groups, not the totals minus the group.
TEST(ReportBuilder, TheRestIsTheOtherGroups) {
  auto b = make(nps_ces_by_channel());
  feed(b, responses("a", "app", 40, {10, 9, 8, 2}, {7, 6, 5}) + responses("w", "web", 40, {3, 5, 9}, {2, 3, 6}) +
              responses("x", "", 100, {10}, {7}));
  const cxm::report r = b.build();
  const auto& app = *r.breakdowns[0].groups[0].vs_rest[0];
  cxm::nps_tally app_t, web_t;
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(app_t.add(std::vector<int>{10, 9, 8, 2}[static_cast<std::size_t>(i % 4)]));
    ASSERT_TRUE(web_t.add(std::vector<int>{3, 5, 9}[static_cast<std::size_t>(i % 3)]));
  }
  auto d = cxm::compare(app_t, web_t);
  ASSERT_TRUE(d);
  EXPECT_DOUBLE_EQ(app.difference, d->difference);
  EXPECT_DOUBLE_EQ(app.p_value, d->p_value);
  // Two groups: each is the other's rest, so the comparisons mirror each other.
  const auto& web = *r.breakdowns[0].groups[1].vs_rest[0];
  EXPECT_DOUBLE_EQ(web.difference, -app.difference);
}

TEST(ReportBuilder, NoAnswersGiveNullsAndNoComparison) {
  auto b = make(nps_ces_by_channel());
  feed(b, "{\"id\":\"1\",\"survey_id\":\"s\",\"channel\":\"app\",\"answers\":{\"nps\":9}}\n");
  const cxm::report r = b.build();
  EXPECT_TRUE(r.totals[0].score);
  EXPECT_FALSE(r.totals[1].mean);
  EXPECT_FALSE(r.totals[1].top_box);
  EXPECT_EQ(r.totals[1].skipped, 1u);
  EXPECT_FALSE(r.breakdowns[0].groups[0].vs_rest[0]);  // one group: no rest
  const json::value j = parse(cxm::to_json(r));
  const json::value& ces = j.at("totals").at(1);
  EXPECT_TRUE(ces.at("mean").is_null());
  EXPECT_TRUE(ces.at("mean_interval").is_null());
  EXPECT_TRUE(ces.at("top_box").is_null());
  EXPECT_TRUE(j.at("breakdowns").at(0).at("groups").at(0).at("questions").at(0).at("vs_rest").is_null());
}

TEST(ReportMerge, TwoHalvesEqualOneBuilder) {
  auto o = nps_ces_by_channel();
  o.breakdowns.push_back("segment.plan");
  std::string a = responses("a", "app", 37, {10, 9, 6, 8}, {7, 5, 3}, 1000) +
                  responses("w", "web", 23, {4, 9}, {2, 6, 7}, 5000);
  std::string c = responses("p", "phone", 31, {1, 10, 7}, {1, 4}) +
                  "{\"id\":\"seg\",\"survey_id\":\"s\",\"segment\":{\"plan\":\"gold\"},\"answers\":{\"nps\":10}}\n" +
                  responses("v", "web", 12, {8}, {6}, 9000) + "garbage\n";
  auto one = make(o), first = make(o), second = make(o);
  feed(one, a + c);
  feed(first, a);
  feed(second, c);
  ASSERT_TRUE(first.merge(second));
  EXPECT_EQ(cxm::to_json(first.build()), cxm::to_json(one.build()));
  EXPECT_EQ(cxm::to_csv(first.build()), cxm::to_csv(one.build()));
  // The same responses again: refused whole, nothing changes.
  const std::string before = cxm::to_json(first.build());
  EXPECT_EQ(first.merge(second).code(), cxm::errc::duplicate_id);
  EXPECT_EQ(cxm::to_json(first.build()), before);
}

TEST(ReportMerge, RefusesOtherOptions) {
  auto a = make(nps_ces_by_channel());
  auto o = nps_ces_by_channel();
  o.p_adjust = cxm::p_adjust_method::holm;
  auto b = make(o);
  EXPECT_EQ(a.merge(b).code(), cxm::errc::incompatible);
  o = nps_ces_by_channel();
  o.min_n = 10;
  EXPECT_EQ(a.merge(make(o)).code(), cxm::errc::incompatible);
}

TEST(ReportJson, EveryDocumentedKey) {
  auto o = nps_ces_by_channel();
  o.since_ms = 0;
  auto b = make(o);
  feed(b, responses("a", "app", 40, {10, 9, 8, 2}, {7, 6, 5}, 1790000000000LL) +
              responses("w", "web", 40, {3, 5, 9}, {2, 3, 6}));
  const json::value j = parse(cxm::to_json(b.build()));
  expect_keys(j, {"format", "version", "generator", "settings", "input", "questions", "totals", "trend",
                  "breakdowns", "journey"});
  EXPECT_EQ(j.at("format"), "cxm.report");
  EXPECT_EQ(j.at("version"), 1);
  EXPECT_EQ(j.at("generator").as_string().subview(0, 4), "cxm ");
  const json::value& s = j.at("settings");
  expect_keys(s, {"level", "nps_method", "p_adjust", "min_n", "period", "time_zone", "since", "until", "weighted"});
  EXPECT_EQ(s.at("weighted"), false);
  EXPECT_EQ(s.at("level").as_double(), 0.95);
  EXPECT_EQ(s.at("nps_method"), "adjusted_wald");
  EXPECT_EQ(s.at("p_adjust"), "BH");
  EXPECT_EQ(s.at("min_n"), 30);
  EXPECT_TRUE(s.at("period").is_null());
  EXPECT_TRUE(s.at("time_zone").is_null());
  EXPECT_EQ(s.at("since"), "1970-01-01T00:00:00Z");
  EXPECT_TRUE(s.at("until").is_null());
  const json::value& in = j.at("input");
  expect_keys(in, {"responses", "duplicates", "rejected_lines", "answer_problems", "timestamps",
                   "without_probability"});
  EXPECT_EQ(in.at("without_probability"), 80);
  EXPECT_EQ(in.at("responses"), 80);
  expect_keys(in.at("timestamps"), {"missing", "out_of_range", "first", "last"});
  EXPECT_EQ(in.at("timestamps").at("missing"), 40);
  EXPECT_EQ(in.at("timestamps").at("first"), "2026-09-21T14:13:20Z");
  EXPECT_EQ(in.at("timestamps").at("last"), "2026-09-23T05:13:20Z");
  expect_keys(j.at("questions").at(0), {"id", "type", "scale"});
  expect_keys(j.at("questions").at(0).at("scale"), {"min", "max", "top_box_min"});
  EXPECT_EQ(j.at("questions").at(1).at("scale").at("top_box_min"), 5);
  EXPECT_TRUE(j.at("trend").is_null());
  EXPECT_TRUE(j.at("journey").is_null());

  const json::value& nps = j.at("totals").at(0);
  expect_keys(nps, {"question", "type", "n", "skipped", "invalid", "score", "interval", "small_sample", "promoters",
                    "passives", "detractors", "distribution", "weighted"});
  EXPECT_TRUE(nps.at("weighted").is_null());
  expect_keys(nps.at("interval"), {"lower", "upper", "center", "method", "level"});
  EXPECT_EQ(nps.at("distribution").as_array().size(), 11u);
  EXPECT_EQ(nps.at("n"), 80);
  const json::value& ces = j.at("totals").at(1);
  expect_keys(ces, {"question", "type", "n", "skipped", "invalid", "mean", "mean_interval", "top_box",
                    "small_sample", "distribution", "weighted"});
  expect_keys(ces.at("mean_interval"), {"lower", "upper", "method", "level"});
  EXPECT_EQ(ces.at("mean_interval").at("method"), "hall_t");
  expect_keys(ces.at("top_box"), {"min", "share", "lower", "upper", "method"});
  EXPECT_EQ(ces.at("top_box").at("method"), "wilson");
  EXPECT_EQ(ces.at("distribution").as_array().size(), 7u);

  const json::value& bd = j.at("breakdowns").at(0);
  expect_keys(bd, {"dimension", "overflow", "groups"});
  const json::value& g = bd.at("groups").at(0);
  expect_keys(g, {"value", "responses", "questions"});
  const json::value& gq = g.at("questions").at(0);
  EXPECT_TRUE(gq.as_object().contains("vs_rest"));
  EXPECT_EQ(gq.as_object().size(), nps.as_object().size() + 1);
  expect_keys(gq.at("vs_rest"), {"difference", "lower", "upper", "p_value", "p_adjusted", "method", "flag"});
  EXPECT_EQ(gq.at("vs_rest").at("method"), "adjusted_wald");
  EXPECT_EQ(g.at("questions").at(1).at("vs_rest").at("method"), "welch_t");
}

namespace {
// Labels a hostile input can carry: CSV and HTML metacharacters, a formula, line breaks, an
// RTL mark and Arabic, a NUL-free control character.
const std::vector<std::string> hostile = {
    "say \"hi\", then",  "=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "line\nbreak\r\nCRLF",
    "</script><script>alert(1)</script>", "\xE2\x80\x8F\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A", "tab\tinside", "\tlead"};
}  // namespace

TEST(ReportHostile, LabelsSurviveJsonAndCsv) {
  auto b = make(nps_ces_by_channel());
  std::string in;
  for (std::size_t i = 0; i < hostile.size(); ++i)
    in += responses("h" + std::to_string(i) + "-", hostile[i], 3, {9, 4}, {6, 2});
  feed(b, in);
  const cxm::report r = b.build();
  ASSERT_EQ(r.breakdowns[0].groups.size(), hostile.size());

  const json::value j = parse(cxm::to_json(r));
  const json::array& groups = j.at("breakdowns").at(0).at("groups").as_array();
  for (std::size_t i = 0; i < hostile.size(); ++i) EXPECT_EQ(groups[i].at("value").as_string(), hostile[i]);

  const auto rows = read_csv(cxm::to_csv(r));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{"section", "dimension", "group", "period", "question", "statistic",
                                               "value", "lower", "upper", "n", "p_value", "p_adjusted", "flag",
                                               "channel", "band"}));
  std::vector<std::string> seen;
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 15u);
    if (row[0] == "breakdown" && row[4] == "nps" && row[5] == "score") seen.push_back(row[2]);
  }
  ASSERT_EQ(seen.size(), hostile.size());
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    const char c = hostile[i][0];
    const bool formula = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    EXPECT_EQ(seen[i], (formula ? "'" : "") + hostile[i]);
  }
}

TEST(ReportCsv, RowsOfTheDocumentedShape) {
  auto b = make(nps_ces_by_channel());
  feed(b, responses("a", "app", 40, {10, 9, 8, 2}, {7, 6, 5}) + responses("w", "web", 40, {3, 5, 9}, {2, 3, 6}));
  const cxm::report r = b.build();
  const auto rows = read_csv(cxm::to_csv(r));
  // header; totals: nps score, ces mean, ces top_box; per group: score + vs_rest, mean +
  // top_box + vs_rest.
  ASSERT_EQ(rows.size(), 1u + 3u + 2u * 5u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"total", "", "", "", "nps", "score",
                                               cxm::detail::plain_number(r.totals[0].score->point),
                                               cxm::detail::plain_number(r.totals[0].score->lower),
                                               cxm::detail::plain_number(r.totals[0].score->upper), "80", "", "",
                                               "", "", ""}));
  const auto& vs = *r.breakdowns[0].groups[0].vs_rest[0];
  EXPECT_EQ(rows[4][0], "breakdown");
  EXPECT_EQ(rows[4][2], "app");
  EXPECT_EQ(rows[4][10], cxm::detail::plain_number(vs.p_value));
  EXPECT_EQ(rows[4][11], cxm::detail::plain_number(*vs.p_adjusted));
  EXPECT_EQ(rows[4][12], "higher");
  EXPECT_EQ(rows[5][5], "vs_rest");
  EXPECT_EQ(rows[5][6], cxm::detail::plain_number(vs.difference));
  EXPECT_EQ(rows[5][9], "");
}

TEST(ReportFormat, PlainNumbersReadBackExactly) {
  EXPECT_EQ(cxm::detail::plain_number(22.2), "22.2");
  EXPECT_EQ(cxm::detail::plain_number(-8.3), "-8.3");
  EXPECT_EQ(cxm::detail::plain_number(1500), "1500");
  EXPECT_EQ(cxm::detail::plain_number(0.00002), "0.00002");
  EXPECT_EQ(cxm::detail::plain_number(0.0), "0");
  EXPECT_EQ(cxm::detail::plain_number(-0.0), "0");
  EXPECT_EQ(cxm::detail::plain_number(1e21), "1000000000000000000000");
  EXPECT_EQ(cxm::detail::plain_number(0.1 + 0.2), "0.30000000000000004");
  for (double d : {22.2, 1.0 / 3.0, 6.02214076e23, 1.5e-300, -2.5e-7})
    EXPECT_EQ(std::stod(cxm::detail::plain_number(d)), d);
}

TEST(ReportFormat, Rfc3339InUtc) {
  EXPECT_EQ(cxm::detail::rfc3339_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(cxm::detail::rfc3339_utc(1790000000000LL), "2026-09-21T14:13:20Z");
  EXPECT_EQ(cxm::detail::rfc3339_utc(951782400123LL), "2000-02-29T00:00:00.123Z");
  EXPECT_EQ(cxm::detail::rfc3339_utc(-1), "1969-12-31T23:59:59.999Z");
}

TEST(ReportText, NamesGroupsFlagsAndEscapesControlCharacters) {
  auto b = make(nps_ces_by_channel());
  feed(b, responses("a", "app", 40, {10, 9, 8, 2}, {7, 6, 5}) + responses("w", "we\x1b[2Jb", 40, {3, 5, 9}, {2, 3, 6}));
  const std::string t = cxm::to_text(b.build());
  EXPECT_NE(t.find("Totals"), std::string::npos);
  EXPECT_NE(t.find("By channel"), std::string::npos);
  EXPECT_NE(t.find("** higher **"), std::string::npos);
  EXPECT_NE(t.find("we\\x1b[2Jb"), std::string::npos);
  EXPECT_EQ(t.find('\x1b'), std::string::npos);
}

TEST(ReportFormat, PAdjustNamesRoundTrip) {
  for (auto m : {cxm::p_adjust_method::none, cxm::p_adjust_method::bonferroni, cxm::p_adjust_method::holm,
                 cxm::p_adjust_method::benjamini_hochberg}) {
    cxm::p_adjust_method back = cxm::p_adjust_method::none;
    EXPECT_TRUE(cxm::parse_report_p_adjust(cxm::report_name(m), back));
    EXPECT_EQ(back, m);
  }
  EXPECT_STREQ(cxm::report_name(cxm::p_adjust_method::benjamini_hochberg), "BH");
  cxm::p_adjust_method out = cxm::p_adjust_method::holm;
  EXPECT_TRUE(cxm::parse_report_p_adjust("benjamini_hochberg", out));
  EXPECT_EQ(out, cxm::p_adjust_method::benjamini_hochberg);
  EXPECT_FALSE(cxm::parse_report_p_adjust("bh", out));
}

TEST(ReportBuilder, ScoreIntervalsCompareByAdjustedWaldAndNoneLeavesPValues) {
  auto o = nps_ces_by_channel();
  o.nps_method = cxm::interval_method::score;
  o.p_adjust = cxm::p_adjust_method::none;
  auto b = make(o);
  feed(b, responses("a", "app", 40, {10, 9, 8, 2}, {7, 6, 5}) + responses("w", "web", 40, {3, 5, 9}, {2, 3, 6}) +
              responses("p", "phone", 40, {7, 9}, {4, 5}));
  const cxm::report r = b.build();
  EXPECT_EQ(r.totals[0].score->method, cxm::interval_method::score);
  for (const auto& g : r.breakdowns[0].groups) {
    ASSERT_TRUE(g.vs_rest[0]);
    EXPECT_EQ(g.vs_rest[0]->method, "adjusted_wald");
    EXPECT_EQ(*g.vs_rest[0]->p_adjusted, g.vs_rest[0]->p_value);
  }
  const json::value j = parse(cxm::to_json(r));
  EXPECT_EQ(j.at("settings").at("nps_method"), "score");
  EXPECT_EQ(j.at("settings").at("p_adjust"), "none");
}
