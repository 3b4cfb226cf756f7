# SPDX-License-Identifier: MIT
# What the cxm report CLI tests (report_formats.cmake, report_journey.cmake) share.

# same(A B OUT): OUT is TRUE when A and B are the same number to 11 significant digits: the
# JSON writer prints 17, the CSV the shortest form that reads back, so the last digits of one
# double can differ in writing.
function(same a b out)
  string(SUBSTRING "${a}" 0 12 a)
  string(SUBSTRING "${b}" 0 12 b)
  if(a STREQUAL b)
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()
