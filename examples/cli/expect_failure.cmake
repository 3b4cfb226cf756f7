# SPDX-License-Identifier: MIT
# cmake -DCOMMAND="prog;arg;..." -DEXPECT=regex [-DEXPECT_RC=n] [-DEXPECT_STDOUT=regex] -P expect_failure.cmake
# Passes when COMMAND exits non-zero (without crashing), with status EXPECT_RC if given, its
# stderr matches EXPECT and its stdout matches EXPECT_STDOUT if given.
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc EQUAL 0)
  message(FATAL_ERROR "expected a non-zero exit, got 0\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT rc MATCHES "^[0-9]+$")
  message(FATAL_ERROR "the command did not exit normally: ${rc}\nstderr:\n${err}")
endif()
if(DEFINED EXPECT_RC AND NOT rc EQUAL EXPECT_RC)
  message(FATAL_ERROR "expected exit status ${EXPECT_RC}, got ${rc}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(NOT err MATCHES "${EXPECT}")
  message(FATAL_ERROR "stderr does not match '${EXPECT}':\n${err}")
endif()
if(DEFINED EXPECT_STDOUT AND NOT out MATCHES "${EXPECT_STDOUT}")
  message(FATAL_ERROR "stdout does not match '${EXPECT_STDOUT}':\n${out}")
endif()
message(STATUS "exit ${rc}: ${err}")
