# SPDX-License-Identifier: MIT
# The outbox's part of the C ABI (cxm/c/outbox.h, src/capi/outbox.cpp), compiled into cxm_capi
# when the module has the outbox and the recorder it drains. Paths relative to sdk/.
if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/outbox.cmake" AND EXISTS "${CMAKE_CURRENT_LIST_DIR}/recorder.cmake")
  list(APPEND cxm_capi_device_sources src/capi/outbox.cpp)
endif()
