# SPDX-License-Identifier: MIT
# cmake -DCXM=path/to/cxm -DDATA=responses.jsonl -DOUT=dir -P report_formats.cmake
# `cxm report` prints one report four ways: the JSON (--json), the CSV (--csv), the HTML page's
# data block (--html) and the text must carry the same numbers. Checks the total NPS, its
# interval and n, a breakdown's flag, and a trend period in each.
include("${CMAKE_CURRENT_LIST_DIR}/report_test_support.cmake")

function(run out_var)
  execute_process(COMMAND "${CXM}" report "${DATA}" --by channel --by week --tz +02:00 --no-progress ${ARGN}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cxm report ${ARGN}: exit ${rc}\n${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

run(json --json)
string(JSON format GET "${json}" format)
string(JSON version GET "${json}" version)
if(NOT format STREQUAL "cxm.report" OR NOT version EQUAL 1)
  message(FATAL_ERROR "--json: format ${format} version ${version}")
endif()
string(JSON score GET "${json}" totals 0 score)
string(JSON lower GET "${json}" totals 0 interval lower)
string(JSON upper GET "${json}" totals 0 interval upper)
string(JSON n GET "${json}" totals 0 n)
string(JSON group GET "${json}" breakdowns 0 groups 0 value)
string(JSON flag GET "${json}" breakdowns 0 groups 0 questions 0 vs_rest flag)
string(JSON period GET "${json}" trend periods 1 label)
string(JSON period_score GET "${json}" trend periods 1 questions 0 score)
message(STATUS "json: NPS ${score} [${lower}, ${upper}] n=${n}; ${group} ${flag}; ${period} ${period_score}")

# The HTML page: its data block is the same document (escaped for HTML, which JSON reads back).
run(text --html "${OUT}/report.html")
file(READ "${OUT}/report.html" page)
if(NOT page MATCHES "Content-Security-Policy" OR NOT page MATCHES "script-src 'sha256-")
  message(FATAL_ERROR "--html: no Content-Security-Policy with hashes")
endif()
string(REGEX MATCH "id=\"cxm-report-data\">([^<]*)</script>" block "${page}")
set(block "${CMAKE_MATCH_1}")
string(JSON html_score GET "${block}" totals 0 score)
string(JSON html_n GET "${block}" totals 0 n)
string(JSON html_flag GET "${block}" breakdowns 0 groups 0 questions 0 vs_rest flag)
if(NOT html_score STREQUAL score OR NOT html_n STREQUAL n OR NOT html_flag STREQUAL flag)
  message(FATAL_ERROR "--html data: NPS ${html_score} n=${html_n} ${html_flag}; --json: ${score} n=${n} ${flag}")
endif()

# The CSV: the total's score row and the group's row carry the same numbers.
run(csv --csv)
string(REGEX MATCH "(^|\n)total,,,,nps,score,([^,]*),([^,]*),([^,]*),([^,]*)," row "${csv}")
same("${CMAKE_MATCH_2}" "${score}" s1)
same("${CMAKE_MATCH_3}" "${lower}" s2)
same("${CMAKE_MATCH_4}" "${upper}" s3)
if(NOT s1 OR NOT s2 OR NOT s3 OR NOT CMAKE_MATCH_5 STREQUAL n)
  message(FATAL_ERROR "--csv total row: '${row}'; --json: ${score} [${lower}, ${upper}] n=${n}")
endif()
string(REGEX MATCH "(^|\n)breakdown,channel,${group},,nps,score,[^\n]*,${flag},,\r?\n" grow "${csv}")
if(grow STREQUAL "")
  message(FATAL_ERROR "--csv has no score row for ${group} flagged ${flag}:\n${csv}")
endif()
string(REGEX MATCH "(^|\n)trend,,,${period},nps,score,([^,]*)," prow "${csv}")
same("${CMAKE_MATCH_2}" "${period_score}" s4)
if(NOT s4)
  message(FATAL_ERROR "--csv trend row for ${period}: '${prow}'; --json: ${period_score}")
endif()

# The text shows the same, rounded to one decimal.
run(text)
string(REGEX MATCH "nps +NPS +([-+][0-9.]+) +\\[ *([-+][0-9.]+), +([-+][0-9.]+)\\] +n=([0-9]+)" line "${text}")
if(NOT CMAKE_MATCH_4 STREQUAL n)
  message(FATAL_ERROR "text total: '${line}'; --json n=${n}")
endif()
message(STATUS "json, csv, html and text agree: NPS ${score} n=${n}")
