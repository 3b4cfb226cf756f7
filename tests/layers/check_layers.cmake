# SPDX-License-Identifier: MIT
# Fails when a module of the SDK includes a module above it (HACKING.md, "Layers").
# Run: cmake -DSOURCE_DIR=<repo> -P tests/layers/check_layers.cmake
cmake_minimum_required(VERSION 3.25)
#
# Each module may include itself and the modules listed for it, nothing else. Both the public
# headers (cxm/<module>/...) and the private ones (<module>/... under sdk/src) count.
set(allowed_core "")
set(allowed_io core)
set(allowed_stats core io)
set(allowed_sketch core io)
set(allowed_survey core io stats)
set(allowed_journey core io stats sketch survey)
set(allowed_report core io stats sketch survey journey)
set(allowed_export core io stats sketch survey journey report)
set(allowed_device core io stats sketch survey journey report export)
# The C ABI sits above every module: its header is cxm/cxm.h (parts in cxm/c/), its sources
# sdk/src/capi/.
set(allowed_capi core io stats sketch survey journey report export device)
set(modules core io stats sketch survey journey report export device capi)

set(violations "")
foreach(m IN LISTS modules)
  file(GLOB_RECURSE files
       "${SOURCE_DIR}/sdk/include/cxm/${m}/*" "${SOURCE_DIR}/sdk/src/${m}/*")
  if(EXISTS "${SOURCE_DIR}/sdk/include/cxm/${m}.hpp")  # io is internal: no public header
    list(APPEND files "${SOURCE_DIR}/sdk/include/cxm/${m}.hpp")
  endif()
  if(m STREQUAL "capi")
    file(GLOB parts "${SOURCE_DIR}/sdk/include/cxm/c/*.h")
    list(APPEND files "${SOURCE_DIR}/sdk/include/cxm/cxm.h" ${parts})
  endif()
  foreach(f IN LISTS files)
    file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
    foreach(line IN LISTS lines)
      if(line MATCHES "#[ \t]*include[ \t]*[<\"]cxm/(cxm\\.h|c/)")
        set(target capi)  # the C ABI's header and its parts belong to capi
      elseif(line MATCHES "#[ \t]*include[ \t]*[<\"](cxm/)?([a-z_]+)(/|\\.hpp)")
        set(target "${CMAKE_MATCH_2}")
      else()
        continue()
      endif()
      # Only modules count; standard and Boost headers do not.
      if(NOT target IN_LIST modules OR target STREQUAL m)
        continue()
      endif()
      if(NOT target IN_LIST allowed_${m})
        file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
        list(APPEND violations "${rel}: module ${m} includes ${target} (${m} may include: ${allowed_${m}})")
      endif()
    endforeach()
  endforeach()
endforeach()

if(violations)
  list(JOIN violations "\n  " text)
  message(FATAL_ERROR "layering violations:\n  ${text}")
endif()
message(STATUS "layers: every include points down")
