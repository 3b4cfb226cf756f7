// SPDX-License-Identifier: MIT
// Boost.JSON compiled into cxm (header-only mode: Emscripten and the -fno-exceptions variant).
#include <boost/json/src.hpp>

#if defined(BOOST_NO_EXCEPTIONS)
#  include <boost/throw_exception.hpp>
#  include <cstdlib>
// Without exceptions Boost asks the program for these. cxm calls Boost.JSON only through its
// error_code overloads and Boost.Math with errno policies, so they are unreachable.
namespace boost {
void throw_exception(std::exception const&) { std::abort(); }
void throw_exception(std::exception const&, boost::source_location const&) { std::abort(); }
}  // namespace boost
#endif
