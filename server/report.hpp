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
};

/// The query of a URL's query string: survey, from, to (RFC 3339 or ms since 1970), by
/// (comma-separated dimensions), level, method. Errors name the parameter.
result<report_query> parse_report_query(std::string_view query_string);

/// Builds the report. Errors: not_found (unknown survey), invalid_argument, the store's.
result<std::string> build_report(store& s, const survey_registry& surveys, const report_query& q);

}  // namespace cxm::server

#endif  // CXM_SERVER_REPORT_HPP
