// SPDX-License-Identifier: MIT
/// @file stats.hpp  The statistics module: NPS, rating-scale and choice tallies, their intervals
/// and comparisons, design-weighted tallies, multiple-comparison adjustment of p-values, and the
/// tallies' versioned JSON.
#ifndef CXM_STATS_HPP
#define CXM_STATS_HPP

#include "cxm/stats/choice_tally.hpp"
#include "cxm/stats/interval.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/p_adjust.hpp"
#include "cxm/stats/scale.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/stats/tally_json.hpp"
#include "cxm/stats/weighted_tally.hpp"

#endif  // CXM_STATS_HPP
