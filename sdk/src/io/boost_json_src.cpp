// SPDX-License-Identifier: MIT
// Boost.JSON compiled into cxm (header-only mode: Emscripten and the -fno-exceptions variant).
#include <boost/json/src.hpp>

