# SPDX-License-Identifier: MIT
# The recorder's benchmarks (included by sources.cmake into cxm_bench). The C ABI ones link
# libcxm.so too: it exports only cxm_* functions, so its hidden copy of the core and the static
# one cxm_bench links do not meet.
target_sources(cxm_bench PRIVATE device/bm_recorder.cpp)
if(TARGET cxm_c)
  target_link_libraries(cxm_bench PRIVATE cxm::c)
  target_compile_definitions(cxm_bench PRIVATE CXM_BENCH_C_API)
endif()
