// SPDX-License-Identifier: MIT
/// @file config.hpp  Export macro, ABI namespace and internal assertions.
#ifndef CXM_CORE_CONFIG_HPP
#define CXM_CORE_CONFIG_HPP

#include "cxm/core/version.hpp"

// CXM_API marks the symbols a shared cxm exports; everything else is hidden.
#if defined(_WIN32) && defined(CXM_SHARED)
#  if defined(CXM_BUILDING)
#    define CXM_API __declspec(dllexport)
#  else
#    define CXM_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define CXM_API __attribute__((visibility("default")))
#else
#  define CXM_API
#endif

// The inline namespace versions the ABI: a later incompatible layout moves to v1 and both can
// be linked into one program without clashing.
#define CXM_BEGIN_NAMESPACE namespace cxm { inline namespace v0 {
#define CXM_END_NAMESPACE } }

// CXM_ASSERT guards internal invariants in debug builds only; bad input never reaches it.
#if defined(NDEBUG)
#  define CXM_ASSERT(cond) static_cast<void>(0)
#else
#  include <cassert>
#  define CXM_ASSERT(cond) assert(cond)
#endif

#endif  // CXM_CORE_CONFIG_HPP
