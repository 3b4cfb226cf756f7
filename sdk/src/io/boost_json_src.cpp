// SPDX-License-Identifier: MIT
// Boost.JSON compiled from its sources: into cxm in header-only mode (Emscripten, the fuzz
// preset), and into the shared C ABI library libcxm.so as hidden code (sdk/CMakeLists.txt).
#include <boost/json/src.hpp>
