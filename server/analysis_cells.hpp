// SPDX-License-Identifier: MIT
// GET /v1/analysis from the response cells (docs/storage.md, "Cells"). Internal to server/.
#ifndef CXM_SERVER_ANALYSIS_CELLS_HPP
#define CXM_SERVER_ANALYSIS_CELLS_HPP

#include <string>
#include <vector>

#include <cxm/report/report.hpp>

#include "server/storage/store.hpp"

namespace cxm::server {

/// Adds the responses of `q` (one survey, an optional [from, to)) to `builder` from the cells:
/// whole cells summed by the store, the partial cells at the edges from their rows. Sets
/// `used` false (and leaves the builder to be discarded) when the cells cannot give the
/// rescan's report: the range lies inside one cell, a period of the builder's unit and zone
/// does not start on a cell boundary, or a group's cells lack a question (cells made before
/// the question was added to the survey).
status add_from_cells(store& s, const response_query& q, const std::vector<survey_question>& questions,
                      report_builder& builder, bool& used, std::string& detail);

}  // namespace cxm::server

#endif  // CXM_SERVER_ANALYSIS_CELLS_HPP
