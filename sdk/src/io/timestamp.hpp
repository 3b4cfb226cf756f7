// SPDX-License-Identifier: MIT
// Internal: RFC 3339 timestamps to milliseconds since the Unix epoch.
#ifndef CXM_SRC_TIMESTAMP_HPP
#define CXM_SRC_TIMESTAMP_HPP

#include <cstdint>
#include <string_view>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)" (years 1970-9999; 't'/'z' and a space
/// separator are accepted as RFC 3339 allows). False when malformed or out of range.
bool parse_rfc3339_ms(std::string_view text, std::int64_t& out_ms) noexcept;

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_TIMESTAMP_HPP
