# SPDX-License-Identifier: MIT
# Build settings for cxm's own targets. They are applied per target as PRIVATE properties, not
# through linked INTERFACE targets, so nothing of them reaches the exported cxm::cxm.
set(CXM_WARNING_FLAGS "")
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  set(CXM_WARNING_FLAGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
      -Wnon-virtual-dtor -Wold-style-cast)
  if(CXM_WERROR)
    list(APPEND CXM_WARNING_FLAGS -Werror)
  endif()
endif()

# cxm_use_warnings(target): cxm's warning set on a target of this tree.
function(cxm_use_warnings target)
  target_compile_options(${target} PRIVATE ${CXM_WARNING_FLAGS})
endfunction()

# Sanitizers and -fno-exceptions must cover every object of the program (the SDK, GoogleTest
# users, tools), so these developer options apply to the whole tree when cxm is top level.
if(CXM_SANITIZE)
  list(JOIN CXM_SANITIZE "," _cxm_san)
  add_compile_options(-fsanitize=${_cxm_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_cxm_san})
endif()
if(CXM_NO_EXCEPTIONS)
  add_compile_options(-fno-exceptions)
endif()
