// SPDX-License-Identifier: MIT
// Internal: parse JSON into a Boost.JSON value with the checks Boost.JSON 1.81 lacks —
// duplicate keys and non-finite numbers are errors, size and depth are bounded — and typed
// field accessors that report errors naming the field path.
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


/// Reads `obj[key]` as a JSON object / unsigned integer / int / string; errors name `path`.
errc get_object(const boost::json::object& obj, std::string_view key, std::string_view path,
                const boost::json::object*& out, std::string& detail);
errc get_u64(const boost::json::value& v, std::string_view path, std::uint64_t& out,
             std::string& detail);
errc get_int(const boost::json::object& obj, std::string_view key, std::string_view path,
             int& out, std::string& detail);
errc get_string(const boost::json::object& obj, std::string_view key, std::string_view path,
                std::string_view& out, std::string& detail);

/// Checks "format" and "version" of an aggregate: incompatible / unsupported_version.
errc check_header(const boost::json::object& obj, std::string_view format, int version,
                  std::string& detail);

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_STRICT_JSON_HPP
