// SPDX-License-Identifier: MIT
// Internal: one question's tally into the report's metric, the one code path behind the
// totals, groups, periods and the journey section (report.cpp).
#ifndef CXM_SRC_REPORT_REPORT_METRIC_HPP
#define CXM_SRC_REPORT_REPORT_METRIC_HPP

#include <cstddef>

#include "cxm/report/report.hpp"
#include "cxm/survey/question_tally.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// The metric of `q` with the level, NPS method and min_n of `o`; with `w`, also the weighted
/// numbers of question `qi` of those weighted tallies.
report_metric metric_of(const question_tally& q, const report_options& o, const weighted_questions* w = nullptr,
                        std::size_t qi = 0);

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_REPORT_REPORT_METRIC_HPP
