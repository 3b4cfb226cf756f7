# SPDX-License-Identifier: MIT
# The outbox's benchmarks (included by sources.cmake into cxm_bench): durable appends and
# recovery, on the real disk (/var/tmp).
target_sources(cxm_bench PRIVATE device/bm_outbox.cpp)
