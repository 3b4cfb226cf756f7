// SPDX-License-Identifier: MIT
// GET /v1/analysis: the stored responses of one survey through the core's report_builder, the
// same model `cxm report --json` prints, so the dashboard and the command line show the same
// numbers for the same responses. From the cells kept at ingest (analysis_cells.cpp) when they
// can give the same report, else by rescanning the rows.
#include <cxm/report/report.hpp>
#include <cxm/survey/response_reader.hpp>

#include "server/analysis_cells.hpp"
#include "server/cells.hpp"
#include "server/report.hpp"
#include "server/zoneinfo.hpp"

namespace cxm::server {

result<std::string> build_analysis(store& s, const survey_registry& surveys, const report_query& q,
                                   analysis_path path, bool* from_cells) {
  auto found = resolve_survey(surveys, q.survey_id);
  if (!found) return {found.code(), found.detail()};
  const survey* def = *found;

  report_options o;
  const std::vector<survey_question> questions = analysis_questions(*def);
  o.questions = report_questions(questions);
  if (o.questions.empty()) return {errc::invalid_argument, "survey: it has no NPS, CES or CSAT question to report"};
  for (const auto& b : q.breakdowns) {
    if (auto unit = parse_period_unit(b)) {
      if (o.period && *o.period != *unit) return {errc::invalid_argument, "by: one period only (day, week or month)"};
      o.period = *unit;
    } else if (is_breakdown_dimension(b)) {
      o.breakdowns.push_back(b);
    } else {
      return {errc::invalid_argument, "by: \"" + b + "\" is not a dimension (" + breakdown_dimensions +
                                          ") nor a period (day, week, month)"};
    }
  }
  o.level = q.level;
  o.nps_method = q.method;
  if (!parse_report_p_adjust(q.p_adjust, o.p_adjust))
    return {errc::invalid_argument, "p_adjust: expected BH, holm, bonferroni or none"};
  o.min_n = q.min_n;
  if (!q.tz.empty()) {
    auto zone = load_time_zone(q.tz);
    if (!zone) return {errc::invalid_argument, "tz: " + zone.detail()};
    if (o.period) o.zone = *zone;
  }
  auto made = report_builder::make(o);
  if (!made) return {errc::invalid_argument, made.detail()};
  report_builder builder = std::move(*made);

  const response_query rq{def->id(), q.from_ms, q.to_ms};
  std::string detail;
  if (path == analysis_path::automatic) {
    bool used = false;
    const status st = add_from_cells(s, rq, questions, builder, used, detail);
    if (!st) return {st.code(), detail};
    if (from_cells != nullptr) *from_cells = used;
    if (used) return to_json(builder.build());
    builder = std::move(*report_builder::make(o));  // a fallback starts from nothing
  }

  response_reader reader;
  const status st = s.scan_responses(rq, [&](const response_row& row) {
    reader.feed(row.record, builder);
    reader.feed("\n", builder);
    return true;
  }, detail);
  if (!st) return {st.code(), detail};
  reader.finish(builder);
  builder.add_reader_stats(reader.stats());
  return to_json(builder.build());
}

}  // namespace cxm::server
