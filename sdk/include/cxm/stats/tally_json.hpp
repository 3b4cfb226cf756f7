// SPDX-License-Identifier: MIT
/// @file tally_json.hpp  Versioned JSON encoding of cxm aggregates (declarations only; the
/// implementation uses Boost.JSON, which stays out of public headers).
///
/// Formats (version 1). Every aggregate is an object with "format" and "version" first:
/// ```
/// {"format":"cxm.nps_tally","version":1,
///  "counts":[c0,...,c10],                        // answers 0..10, unsigned 64-bit
///  "rejected":{"out_of_range":0,"not_integer":0,"not_finite":0,"wrong_type":0}}
/// {"format":"cxm.scale_tally","version":1,
///  "scale":{"min":1,"max":7,"top_box_min":5},
///  "counts":[...],                                // one per scale point, min first
///  "rejected":{...}}                              // as above
/// ```
/// Decoding is strict: unknown formats give `errc::incompatible`, other versions
/// `errc::unsupported_version`; duplicate keys, non-finite numbers, missing or mistyped
/// fields, input over 1 MiB and nesting deeper than 16 are errors naming the field; counts
/// adding up to more than `max_count` (2^62, limits.hpp) are `errc::out_of_range`.
/// Encoding then decoding gives back an equal aggregate (counts are exact integers).
#ifndef CXM_STATS_TALLY_JSON_HPP
#define CXM_STATS_TALLY_JSON_HPP

#include <string>
#include <string_view>

#include "cxm/core/limits.hpp"
#include "cxm/core/config.hpp"
#include "cxm/stats/nps_tally.hpp"
#include "cxm/stats/scale_tally.hpp"
#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE

/// The version written by this build and the only one it reads.
inline constexpr int json_format_version = 1;
/// The limits of a tally document (a few hundred bytes in practice).
inline constexpr json_limits tally_json_limits{std::size_t{1} << 20, 16};

CXM_API std::string to_json(const nps_tally& tally);
CXM_API std::string to_json(const scale_tally& tally);

CXM_API result<nps_tally> nps_tally_from_json(std::string_view json);
CXM_API result<scale_tally> scale_tally_from_json(std::string_view json);

CXM_END_NAMESPACE

#endif  // CXM_STATS_TALLY_JSON_HPP
