# SPDX-License-Identifier: MIT
# The recorder (included by sources.cmake): its sources in the device module, and its part of
# the C ABI. Paths relative to sdk/.
list(APPEND cxm_device_sources src/device/recorder.cpp src/device/recorder_snapshot_json.cpp)
list(APPEND cxm_capi_device_sources src/capi/recorder.cpp)
