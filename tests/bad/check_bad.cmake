# Runs `dlsim run NAME.yaml -o OUT [args]` and checks: exit status 2, stderr equal to
# NAME.expected, and no OUT directory left behind.
file(REMOVE_RECURSE ${OUT})
set(args "")
if(EXISTS ${DIR}/${NAME}.args)
  file(STRINGS ${DIR}/${NAME}.args args)
endif()
execute_process(COMMAND ${DLSIM} run ${NAME}.yaml -o ${OUT} --quiet ${args}
                WORKING_DIRECTORY ${DIR}
                RESULT_VARIABLE status ERROR_VARIABLE stderr OUTPUT_VARIABLE stdout)
file(READ ${DIR}/${NAME}.expected expected)
string(STRIP "${expected}" expected)
string(STRIP "${stderr}" stderr)
if(NOT status EQUAL 2)
  message(FATAL_ERROR "exit status ${status}, expected 2; stderr: ${stderr}")
endif()
if(NOT stderr STREQUAL expected)
  message(FATAL_ERROR "stderr differs\n  got:      ${stderr}\n  expected: ${expected}")
endif()
if(EXISTS ${OUT})
  message(FATAL_ERROR "the run directory ${OUT} exists after a failed run")
endif()
