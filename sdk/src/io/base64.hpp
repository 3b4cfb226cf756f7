// SPDX-License-Identifier: MIT
// Internal: base64 (RFC 4648 section 4, with padding), for binary aggregates inside JSON.
#ifndef CXM_SRC_IO_BASE64_HPP
#define CXM_SRC_IO_BASE64_HPP

#include <string>
#include <string_view>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

std::string to_base64(std::string_view bytes);
/// Decodes canonical padded base64 (no whitespace, no missing or extra padding); false on
/// anything else.
bool from_base64(std::string_view text, std::string& out);

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_IO_BASE64_HPP
