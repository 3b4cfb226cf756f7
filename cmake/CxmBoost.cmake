# SPDX-License-Identifier: MIT
# Locates Boost.JSON and Boost.Math. cxm_use_boost(target) gives a target their headers and
# cxm's Boost configuration as PRIVATE properties (Boost never appears in cxm's interface).
# Natively: find_package(Boost). Under Emscripten: Boost header-only through a build-tree folder
# holding only a `boost` symlink, because /usr/include on em++'s path shadows Emscripten's libc.
if(EMSCRIPTEN)
  set(CXM_BOOST_ROOT "/usr/include/boost" CACHE PATH "Folder holding the Boost headers")
  if(NOT EXISTS "${CXM_BOOST_ROOT}/json.hpp" OR NOT EXISTS "${CXM_BOOST_ROOT}/math/distributions.hpp")
    message(FATAL_ERROR "cxm: Boost.JSON/Boost.Math headers not found in ${CXM_BOOST_ROOT}")
  endif()
  set(_dir "${CMAKE_BINARY_DIR}/boost-include")
  file(MAKE_DIRECTORY "${_dir}")
  file(CREATE_LINK "${CXM_BOOST_ROOT}" "${_dir}/boost" SYMBOLIC)
  set(CXM_BOOST_INCLUDE_DIRS "${_dir}")
else()
  if(CXM_BOOST_JSON_HEADER_ONLY)
    find_package(Boost 1.81 REQUIRED)
  else()
    find_package(Boost 1.81 REQUIRED COMPONENTS json)
  endif()
  set(CXM_BOOST_INCLUDE_DIRS "${Boost_INCLUDE_DIRS}")
endif()
# Boost.Math reports domain errors through errno, never by throwing: no exception crosses cxm.
set(CXM_BOOST_DEFINITIONS
  BOOST_MATH_DOMAIN_ERROR_POLICY=errno_on_error
  BOOST_MATH_POLE_ERROR_POLICY=errno_on_error
  BOOST_MATH_OVERFLOW_ERROR_POLICY=errno_on_error
  BOOST_MATH_EVALUATION_ERROR_POLICY=errno_on_error
  BOOST_MATH_ROUNDING_ERROR_POLICY=errno_on_error
  BOOST_MATH_PROMOTE_DOUBLE_POLICY=false
  BOOST_JSON_NO_LIB BOOST_CONTAINER_NO_LIB)

function(cxm_use_boost target)
  target_include_directories(${target} SYSTEM PRIVATE ${CXM_BOOST_INCLUDE_DIRS})
  target_compile_definitions(${target} PRIVATE ${CXM_BOOST_DEFINITIONS})
  if(NOT CXM_BOOST_JSON_HEADER_ONLY)
    target_link_libraries(${target} PRIVATE Boost::json)
  endif()
endfunction()
