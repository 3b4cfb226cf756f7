// SPDX-License-Identifier: MIT
// Internal: the JSON parts every tally encoding shares (counts, scale, rejection counters), for
// the tally formats here and the tallies nested in survey tallies and journey reports.
#ifndef CXM_SRC_STATS_TALLY_CODEC_HPP
#define CXM_SRC_STATS_TALLY_CODEC_HPP

#include <array>
#include <cstddef>
#include <cstdint>

#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "io/json_reader.hpp"
#include "io/json_writer.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// "rejected":{"out_of_range":n,"not_integer":n,"not_finite":n,"wrong_type":n}
void write_rejected(json_writer& w, const std::array<std::uint64_t, 4>& counts);
bool read_rejected(json_reader& r, json_value o, const json_path& at, std::array<std::uint64_t, 4>& out);
/// "counts":[exactly `size` counts adding up to at most max_count] of object `o`.
bool read_counts(json_reader& r, json_value o, const json_path& at, std::size_t size, std::uint64_t* out);
/// "scale":{"min":..,"max":..,"top_box_min":..}, a valid scale.
void write_scale(json_writer& w, const scale& s);
bool read_scale(json_reader& r, json_value o, const json_path& at, scale& out);

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_STATS_TALLY_CODEC_HPP
