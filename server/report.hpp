// SPDX-License-Identifier: MIT
// GET /v1/report: the stored responses of one survey scored by the core (survey_scorer, the
// same code `cxm report` runs), over a time range, with breakdowns, plus the apps' merged
// aggregate snapshots of that range. Written as JSON (`cxm.server_report` version 1,
// docs/server.md).
#ifndef CXM_SERVER_REPORT_HPP
#define CXM_SERVER_REPORT_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <cxm/core/status.hpp>
#include <cxm/stats/interval.hpp>

#include "server/ingest/survey_registry.hpp"
#include "server/storage/store.hpp"

namespace cxm::server {

struct report_query {
  std::string survey_id;                 ///< empty: the only survey served (an error when several)
  std::optional<std::int64_t> from_ms;   ///< answered at or after
  std::optional<std::int64_t> to_ms;     ///< answered before
  std::vector<std::string> breakdowns;   ///< "channel", "step", "journey_id", "segment.<name>"
  double level = 0.95;
  interval_method method = interval_method::adjusted_wald;
  // /v1/analysis only (the report model): the time zone of the periods ("by" may name day,
  // week or month there), the p-value adjustment of the breakdowns and the small-sample bound.
  std::string tz;
  std::string p_adjust = "BH";
  std::uint64_t min_n = 30;
};

/// The query of a URL's query string: survey, from, to (RFC 3339 or ms since 1970), by
/// (comma-separated dimensions), level, method, and tz, p_adjust, min_n (for /v1/analysis).
/// Errors name the parameter.
result<report_query> parse_report_query(std::string_view query_string);

/// The survey a query is about: the one named, or the only one served. not_found /
/// invalid_argument (none named while several are served).
result<const survey*> resolve_survey(const survey_registry& surveys, const std::string& asked);

/// Builds the report. Errors: not_found (unknown survey), invalid_argument, the store's.
result<std::string> build_report(store& s, const survey_registry& surveys, const report_query& q);

/// GET /v1/analysis: the report model of `cxm report` (`cxm.report` v1, docs/report.md) over the
/// stored responses of one survey: its NPS, CES and CSAT questions, the trend when `by` names
/// day, week or month (in `tz`), breakdowns with each group against the rest. Same errors.
///
/// `automatic` sums the response cells the store keeps at ingest (docs/storage.md, "Cells")
/// and scans raw rows only for the partial cells at the range's edges; it falls back to the
/// rescan when cells cannot give the same report (a period boundary that is not on a cell
/// boundary, a range inside one cell, cells missing a question). `rescan` reads every row of
/// the range through the core's report_builder. Both give the same JSON (tests/server).
/// `from_cells`, when given, says whether the cells served the query.
enum class analysis_path : std::uint8_t { automatic = 0, rescan = 1 };
result<std::string> build_analysis(store& s, const survey_registry& surveys, const report_query& q,
                                   analysis_path path = analysis_path::automatic, bool* from_cells = nullptr);

}  // namespace cxm::server

#endif  // CXM_SERVER_REPORT_HPP
