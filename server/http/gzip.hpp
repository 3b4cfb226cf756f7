// SPDX-License-Identifier: MIT
// gzip (RFC 1952) of a request body, by zlib.
#ifndef CXM_SERVER_HTTP_GZIP_HPP
#define CXM_SERVER_HTTP_GZIP_HPP

#include <string>
#include <string_view>

#include <cxm/core/status.hpp>

namespace cxm::server {

/// `data` as one gzip member. `internal` only if zlib fails (out of memory).
result<std::string> gzip(std::string_view data);

/// The gunzipped `data`, for tests and the receiver side: `parse_error` when it is not gzip,
/// `too_large` past `max_bytes`.
result<std::string> gunzip(std::string_view data, std::size_t max_bytes);

}  // namespace cxm::server

#endif  // CXM_SERVER_HTTP_GZIP_HPP
