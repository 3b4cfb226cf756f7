// SPDX-License-Identifier: MIT
// Percent-decoding of URL paths and query strings (RFC 3986), the one decoder of cxm serve.
#ifndef CXM_SERVER_HTTP_URL_HPP
#define CXM_SERVER_HTTP_URL_HPP

#include <string>
#include <string_view>

namespace cxm::server {

/// Decodes `%XX` escapes of `in` into `out` (and '+' into a space when `plus_is_space`, as in
/// a query string). False for a malformed escape ('%' not followed by two hex digits).
bool percent_decode(std::string_view in, std::string& out, bool plus_is_space = false);

}  // namespace cxm::server

#endif  // CXM_SERVER_HTTP_URL_HPP
