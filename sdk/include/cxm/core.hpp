// SPDX-License-Identifier: MIT
/// @file core.hpp  The core module: version, configuration, the one error enum with `status` and
/// `result<T>`, and the count limit every aggregate honours.
#ifndef CXM_CORE_HPP
#define CXM_CORE_HPP

#include "cxm/core/config.hpp"
#include "cxm/core/limits.hpp"
#include "cxm/core/problem.hpp"
#include "cxm/core/status.hpp"
#include "cxm/core/version.hpp"

#endif  // CXM_CORE_HPP
