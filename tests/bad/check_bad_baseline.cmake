# Runs `dlsim check --baseline baselines/NAME.csv RUN_DIR` on a malformed baseline and checks:
# exit status 2 and stderr equal to baselines/NAME.expected (FILE:LINE:COL: error: …). The
# baseline is read before the run directory, which need not exist.
execute_process(COMMAND ${DLSIM} check --baseline baselines/${NAME}.csv no-such-run
                WORKING_DIRECTORY ${DIR}
                RESULT_VARIABLE status ERROR_VARIABLE stderr OUTPUT_VARIABLE stdout)
file(READ ${DIR}/baselines/${NAME}.expected expected)
string(STRIP "${expected}" expected)
string(STRIP "${stderr}" stderr)
if(NOT status EQUAL 2)
  message(FATAL_ERROR "exit status ${status}, expected 2; stderr: ${stderr}")
endif()
if(NOT stderr STREQUAL expected)
  message(FATAL_ERROR "stderr differs\n  got:      ${stderr}\n  expected: ${expected}")
endif()
