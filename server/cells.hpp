// SPDX-License-Identifier: MIT
// The response cells (docs/storage.md, "Cells"): what one stored response adds to the
// per-period aggregates GET /v1/analysis sums instead of rescanning every record. Ingest, the
// one-time rebuild and the analysis's edge intervals all make cells here, so the three count
// alike.
#ifndef CXM_SERVER_CELLS_HPP
#define CXM_SERVER_CELLS_HPP

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <cxm/report/report.hpp>
#include <cxm/survey/definition.hpp>
#include <cxm/survey/response.hpp>

#include "server/ingest/survey_registry.hpp"
#include "server/storage/store.hpp"

namespace cxm::server {

/// The cell size. 15 minutes: every time-zone offset in use is a multiple of it, so a cell
/// never straddles a local midnight (nor a week or month start) in any zone; measured against
/// one hour in bench/README.md ("Server", analysis).
inline constexpr std::int64_t cell_size_ms = 15 * 60 * 1000;

/// The start of the cell holding `ms` (rounded down, also before 1970).
constexpr std::int64_t cell_start(std::int64_t ms) noexcept {
  const std::int64_t r = ms % cell_size_ms;
  return ms - (r < 0 ? r + cell_size_ms : r);
}

/// A dimension or group value as the cells hold it: unchanged unless it holds a NUL byte or
/// starts with \x01 (PostgreSQL's TEXT holds no NUL, while a record's JSON may carry
/// "\u0000" in a channel); then \x01 followed by the bytes with \0 written \x01 0 and \x01
/// written \x01 1. `cell_text_value` reverses it.
std::string cell_text(std::string_view value);
std::string cell_text_value(std::string_view text);

/// The questions GET /v1/analysis reports of a survey: its NPS, CES and CSAT questions, as the
/// scorer judges them (id, type, scale).
std::vector<survey_question> analysis_questions(const survey& def);
std::vector<report_question> report_questions(const std::vector<survey_question>& questions);

/// Appends the cells response `r` (stored with `answered_ms`) adds: for the totals and for each
/// breakdown value it carries (channel, step, survey_id, journey_id, every segment attribute),
/// one row for the response and one per question of `questions`.
void cells_of(const response_view& r, std::int64_t answered_ms, const std::vector<survey_question>& questions,
              std::vector<cell_key>& out);

/// Cells of a stored record against the latest version of its survey in `surveys` (none for a
/// record that no longer parses or whose survey is gone), for store::rebuild_cells_if_needed.
cell_maker stored_cells(const survey_registry& surveys);

}  // namespace cxm::server

#endif  // CXM_SERVER_CELLS_HPP
