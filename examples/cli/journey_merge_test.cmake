# SPDX-License-Identifier: MIT
# cmake -DCXM=path/to/cxm -DDATA=examples/data -DWORK=dir -P journey_merge_test.cmake
# `cxm journey --json` then `cxm journey-merge` of the report with itself: every count doubles
# (1200 journeys started in the bundled data -> 2400). A report of another revision must be
# refused with a message naming the file.
file(MAKE_DIRECTORY "${WORK}")
set(report "${WORK}/journey_report.json")
execute_process(COMMAND "${CXM}" journey "${DATA}/journey.json" "${DATA}/events.jsonl"
                        --responses "${DATA}/responses.jsonl" --json
                OUTPUT_FILE "${report}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cxm journey --json failed: ${rc}")
endif()

execute_process(COMMAND "${CXM}" journey-merge "${report}" "${report}" RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "started 2400  completed 2142 ")
  message(FATAL_ERROR "merging a report with itself did not double it (exit ${rc}):\n${out}")
endif()

# The merged JSON decodes again: merge(merge(r, r), r) starts 3600.
execute_process(COMMAND "${CXM}" journey-merge "${report}" "${report}" --json
                OUTPUT_FILE "${WORK}/journey_report_2.json" RESULT_VARIABLE rc)
execute_process(COMMAND "${CXM}" journey-merge "${WORK}/journey_report_2.json" "${report}"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "started 3600 ")
  message(FATAL_ERROR "merging a merged report failed (exit ${rc}):\n${out}")
endif()

file(READ "${report}" json)
string(REPLACE "\"revision\":1" "\"revision\":2" json "${json}")
file(WRITE "${WORK}/journey_report_rev2.json" "${json}")
execute_process(COMMAND "${CXM}" journey-merge "${report}" "${WORK}/journey_report_rev2.json"
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "cannot merge .*journey_report_rev2.json")
  message(FATAL_ERROR "an incompatible merge was not refused (exit ${rc}):\n${err}")
endif()
