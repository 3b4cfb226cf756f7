// SPDX-License-Identifier: MIT
// Built with -fno-exceptions (BOOST_NO_EXCEPTIONS), Boost asks the program for these. cxm calls
// Boost.JSON only through its error_code overloads and Boost.Math with errno policies, so they
// are unreachable; if a bug ever reached one, terminating beats undefined behaviour.
#include <boost/config.hpp>

#if defined(BOOST_NO_EXCEPTIONS)
#  include <boost/throw_exception.hpp>
#  include <cstdlib>
namespace boost {
void throw_exception(std::exception const&) { std::abort(); }
void throw_exception(std::exception const&, boost::source_location const&) { std::abort(); }
}  // namespace boost
#endif
