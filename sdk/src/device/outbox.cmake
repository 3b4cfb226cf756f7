# SPDX-License-Identifier: MIT
# The outbox (included by sources.cmake): the crash-safe queue on disk and its delivery. Paths
# relative to sdk/. POSIX only (Linux, Android, Apple systems).
list(APPEND cxm_device_sources
  src/device/uuid7.cpp
  src/device/file_ops.cpp
  src/device/outbox_format.cpp
  src/device/outbox_log.cpp
  src/device/delivery_schedule.cpp
  src/device/batch_json.cpp
  src/device/outbox.cpp
  src/device/outbox_settle.cpp
  src/device/outbox_delivery.cpp)
