# SPDX-License-Identifier: MIT
# The device module's sources (included by sdk/CMakeLists.txt): cxm_device_sources for the
# module, cxm_capi_device_sources for its part of the C ABI. Paths relative to sdk/.
include(${CMAKE_CURRENT_LIST_DIR}/recorder.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/outbox.cmake OPTIONAL)
include(${CMAKE_CURRENT_LIST_DIR}/outbox_capi.cmake OPTIONAL)
