// SPDX-License-Identifier: MIT
// Internal: UTF-8 validation (RFC 3629: no overlongs, no surrogates, at most U+10FFFF).
#ifndef CXM_SRC_UTF8_HPP
#define CXM_SRC_UTF8_HPP

#include <cstddef>
#include <string_view>

#include "cxm/core/config.hpp"

CXM_BEGIN_NAMESPACE
namespace detail {

/// The offset of the first byte that starts an invalid UTF-8 sequence, or text.size().
std::size_t first_invalid_utf8(std::string_view text) noexcept;

}  // namespace detail
CXM_END_NAMESPACE

#endif  // CXM_SRC_UTF8_HPP
