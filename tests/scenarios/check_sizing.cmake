# Runs `dlsim run SCENARIO -o OUT [SETS]`, then `dlsim check --baseline BASELINE OUT` and
# checks its exit status (EXPECT) and, when given, that its stdout matches each regex of MATCH
# (a ;-list).
file(REMOVE_RECURSE ${OUT})
set(set_args "")
foreach(s ${SETS})
  list(APPEND set_args --set ${s})
endforeach()
execute_process(COMMAND ${DLSIM} run ${SCENARIO} -o ${OUT} --quiet ${set_args}
                RESULT_VARIABLE status ERROR_VARIABLE stderr)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "dlsim run exited with ${status}: ${stderr}")
endif()
execute_process(COMMAND ${DLSIM} check --baseline ${BASELINE} ${OUT}
                RESULT_VARIABLE status OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
if(NOT status EQUAL ${EXPECT})
  message(FATAL_ERROR "dlsim check exited with ${status}, expected ${EXPECT}\n${stdout}${stderr}")
endif()
foreach(m ${MATCH})
  if(NOT stdout MATCHES "${m}")
    message(FATAL_ERROR "dlsim check output does not match '${m}':\n${stdout}")
  endif()
endforeach()
