# Runs `dlsim sweep NAME.yaml -o OUT [args]` on a malformed plan and checks: exit status 2,
# stderr equal to NAME.expected (FILE:LINE:COL: error: …), and no OUT directory written.
file(REMOVE_RECURSE ${OUT})
set(args "")
if(EXISTS ${DIR}/${NAME}.args)
  file(STRINGS ${DIR}/${NAME}.args args)
endif()
execute_process(COMMAND ${DLSIM} sweep ${NAME}.yaml -o ${OUT} --quiet ${args}
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
  message(FATAL_ERROR "the output ${OUT} exists after a rejected plan")
endif()
