# Runs `dlsim import-helm $(NAME.args) -o OUT` in tests/helm and checks: exit status 0, OUT
# equal to NAME.expected.yaml and stderr (the warnings) equal to NAME.expected.stderr. Without
# a NAME.expected.yaml the import must fail: exit status 2, the error in NAME.expected.stderr,
# and no OUT (nor OUT.tmp) written. A written fragment must validate under a minimal scenario.
file(REMOVE ${OUT})
file(STRINGS ${DIR}/${NAME}.args args)
execute_process(COMMAND ${DLSIM} import-helm ${args} -o ${OUT}
                WORKING_DIRECTORY ${DIR}
                RESULT_VARIABLE status ERROR_VARIABLE stderr OUTPUT_VARIABLE stdout)
if(NOT EXISTS ${DIR}/${NAME}.expected.yaml)
  file(READ ${DIR}/${NAME}.expected.stderr expected_stderr)
  if(NOT status EQUAL 2 OR NOT stderr STREQUAL expected_stderr)
    message(FATAL_ERROR "exit status ${status} (expected 2)\n  got:\n${stderr}\n  expected:\n"
                        "${expected_stderr}")
  endif()
  if(EXISTS ${OUT} OR EXISTS ${OUT}.tmp)
    message(FATAL_ERROR "${OUT} was written by a failed import")
  endif()
  return()
endif()
if(NOT status EQUAL 0)
  message(FATAL_ERROR "exit status ${status}, expected 0; stderr: ${stderr}")
endif()
file(READ ${DIR}/${NAME}.expected.stderr expected_stderr)
if(NOT stderr STREQUAL expected_stderr)
  message(FATAL_ERROR "stderr differs\n  got:\n${stderr}\n  expected:\n${expected_stderr}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT} ${DIR}/${NAME}.expected.yaml
                RESULT_VARIABLE differ)
if(differ)
  file(READ ${OUT} got)
  message(FATAL_ERROR "${OUT} differs from ${NAME}.expected.yaml:\n${got}")
endif()
if(EXISTS ${OUT}.tmp)
  message(FATAL_ERROR "the temporary file ${OUT}.tmp was left behind")
endif()
# The fragment is scenario syntax: under a minimal header it validates.
file(READ ${OUT} fragment)
file(WRITE ${OUT}.scenario.yaml
     "name: fragment\nduration: 1h\ncluster:\n  node_pools:\n    default: {cpu: 8, memory: 16GB}\n"
     "${fragment}")
execute_process(COMMAND ${DLSIM} validate ${OUT}.scenario.yaml
                RESULT_VARIABLE status ERROR_VARIABLE stderr OUTPUT_VARIABLE stdout)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the fragment does not validate as a scenario: ${stderr}")
endif()
