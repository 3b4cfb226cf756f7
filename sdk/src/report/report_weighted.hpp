// SPDX-License-Identifier: MIT
// Internal: the report's design-weighted tallies (report_options::weighted): adding a response,
// merging, the weighted numbers of a metric and the weighted comparisons.
#ifndef CXM_SRC_REPORT_REPORT_WEIGHTED_HPP
#define CXM_SRC_REPORT_REPORT_WEIGHTED_HPP

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "cxm/core/config.hpp"
#include "cxm/report/report.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// Empty weighted tallies laid out after the report's questions.
weighted_questions weighted_layout(const std::vector<report_question>& questions);

/// Adds one response: `scores[i]` is question i's valid answer, or −1 (skipped or invalid:
/// not counted, as in the unweighted tallies). `inclusion_probability` 0 means none (π = 1).
void weighted_add(weighted_questions& w, const std::vector<report_question>& questions, const std::vector<int>& scores,
                  double inclusion_probability) noexcept;

/// Adds `from` into `into` (same layout). Cannot fail once the scorers have merged: each
/// weighted tally holds at most the responses of its scorer's tally.
void weighted_merge(weighted_questions& into, const weighted_questions& from) noexcept;

/// The group of `value` in `b`, made (a copy of `layout`) when new and the breakdown has fewer
/// than survey_scorer::max_groups groups; nullptr when it has no room (the scorer's overflow).
weighted_questions* weighted_group(weighted_breakdown& b, std::string_view value, const weighted_questions& layout);
/// survey_scorer::merge's rule for groups: `from`'s groups in their order, new ones appended
/// while there is room.
void weighted_merge(weighted_breakdown& into, const weighted_breakdown& from);
/// The group of `value`, or nullptr.
const weighted_questions* find_weighted_group(const weighted_breakdown& b, std::string_view value) noexcept;

/// The value of `dimension` ("channel", "step", "survey_id", "journey_id", "segment.<name>") on
/// `r`, as survey_scorer reads it; empty when the response does not carry it.
std::string_view dimension_value(const response_view& r, std::string_view dimension) noexcept;

/// Question `qi`'s weighted numbers.
report_weighted weighted_metric(const weighted_questions& w, std::size_t qi, const report_options& o);
/// a − b on question `qi` (weighted_tally.hpp's compare / compare_means); empty when either
/// side lacks two responses.
std::optional<report_comparison> compare_weighted(const weighted_questions& a, const weighted_questions& b,
                                                  std::size_t qi, const report_options& o);

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_REPORT_REPORT_WEIGHTED_HPP
