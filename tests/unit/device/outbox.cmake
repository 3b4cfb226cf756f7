# SPDX-License-Identifier: MIT
# The outbox's tests (included by CMakeLists.txt beside it): the outbox as an app uses it, its
# delivery, damaged files and failing disks, and its parts (the delivery schedule, ids, the
# batch JSON), in one program. Each test works in a directory of its own under the temporary
# directory.
cxm_add_test(cxm_outbox_tests outbox_test.cpp outbox_delivery_test.cpp outbox_faults_test.cpp
                              delivery_schedule_test.cpp uuid7_test.cpp batch_json_test.cpp)
target_link_libraries(cxm_outbox_tests PRIVATE Threads::Threads)
