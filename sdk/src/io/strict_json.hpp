// SPDX-License-Identifier: MIT
// Internal: parse JSON into a Boost.JSON value with the checks Boost.JSON 1.81 lacks —
// duplicate keys and non-finite numbers are errors, size and depth are bounded. Decoders do not
// call it directly: they use json_reader.hpp, which does.
#ifndef CXM_SRC_STRICT_JSON_HPP
#define CXM_SRC_STRICT_JSON_HPP

#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cxm/core/status.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

struct json_limits {
  std::size_t max_bytes = std::size_t{1} << 20;  // 1 MiB
  std::size_t max_depth = 16;
};

/// Parses one JSON document. Errors: parse_error (with the byte offset), too_large, too_deep,
/// duplicate_key (with the key's path), not_finite, invalid_utf8.
result<boost::json::value> parse_strict(std::string_view text, const json_limits& limits = {});


}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_STRICT_JSON_HPP
