# SPDX-License-Identifier: MIT
# CTest driver of one fuzz target: runs it on a scratch corpus plus the checked-in one for a
# bounded time, keeps the full log next to the binary, prints one summary line (executions,
# speed, coverage) and fails on any finding.
#   cmake -DFUZZER=... -DNAME=... -DSECONDS=... -DDICT=... -DCORPUS=... -DWORK=... -DARTIFACTS=... -P run_fuzzer.cmake
file(MAKE_DIRECTORY "${WORK}")
execute_process(
  COMMAND "${FUZZER}" -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048 -max_len=65536
          -print_final_stats=1 -dict=${DICT} -artifact_prefix=${ARTIFACTS}/${NAME}- "${WORK}" "${CORPUS}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE out)
get_filename_component(dir "${FUZZER}" DIRECTORY)
file(WRITE "${dir}/${NAME}.log" "${out}")
string(REGEX MATCH "stat::number_of_executed_units: *([0-9]+)" _ "${out}")
set(execs "${CMAKE_MATCH_1}")
string(REGEX MATCH "stat::average_exec_per_sec: *([0-9]+)" _ "${out}")
set(speed "${CMAKE_MATCH_1}")
string(REGEX MATCHALL "cov: [0-9]+ ft: [0-9]+" cov "${out}")
list(GET cov -1 last_cov)
set(summary "fuzz ${NAME}: ${execs} executions, ${speed}/s, ${last_cov}, exit ${rc}")
file(WRITE "${dir}/${NAME}.summary" "${summary}\n")
message("${summary}")
if(NOT rc EQUAL 0)
  message("${out}")
  message(FATAL_ERROR "fuzz ${NAME}: finding (artifact in ${ARTIFACTS})")
endif()
