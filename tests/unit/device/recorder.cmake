# SPDX-License-Identifier: MIT
# The recorder's tests (included by CMakeLists.txt beside it): the unit, its JSON form and the
# threads stress test the tsan preset runs, in one program; allocation-free recording in a
# program of its own (it replaces the global operator new).
cxm_add_test(cxm_recorder_tests recorder_test.cpp recorder_snapshot_json_test.cpp recorder_threads_test.cpp)
target_link_libraries(cxm_recorder_tests PRIVATE Threads::Threads)
cxm_add_test(cxm_recorder_alloc_tests recorder_alloc_test.cpp)
target_link_libraries(cxm_recorder_alloc_tests PRIVATE Threads::Threads)
target_include_directories(cxm_recorder_alloc_tests PRIVATE "${PROJECT_SOURCE_DIR}/tests/unit")
