# SPDX-License-Identifier: MIT
# The device module's benchmarks (included by bench/CMakeLists.txt into cxm_bench).
include(${CMAKE_CURRENT_LIST_DIR}/recorder.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/outbox.cmake OPTIONAL)
