# Runs `dlsim run SCENARIO -o OUT` and checks its stdout, the terminal summary: every regex of
# SHOWS (a ;-list) matches a line, no regex of HIDES matches anywhere.
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${DLSIM} run ${SCENARIO} -o ${OUT} RESULT_VARIABLE status
                OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "dlsim run ${SCENARIO} exited with ${status}: ${stderr}")
endif()
foreach(regex ${SHOWS})
  if(NOT stdout MATCHES "${regex}")
    message(FATAL_ERROR "the terminal summary does not show '${regex}':\n${stdout}")
  endif()
endforeach()
foreach(regex ${HIDES})
  if(stdout MATCHES "${regex}")
    message(FATAL_ERROR "the terminal summary shows '${regex}':\n${stdout}")
  endif()
endforeach()
