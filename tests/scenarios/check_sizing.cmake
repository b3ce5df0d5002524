# Runs `dlsim run SCENARIO -o OUT [SETS]`, then `dlsim check --baseline BASELINE OUT` and
# checks its exit status (EXPECT) and, when given, that its stdout matches each regex of MATCH
# (a ;-list). With -DRUN_DIR=DIR (and no SETS) the run is DIR, made by another test (fixture
# fdr_run of tests/CMakeLists.txt), and nothing is run here.
set(run ${OUT})
if(RUN_DIR)
  set(run ${RUN_DIR})
else()
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
endif()
execute_process(COMMAND ${DLSIM} check --baseline ${BASELINE} ${run}
                RESULT_VARIABLE status OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
if(NOT status EQUAL ${EXPECT})
  message(FATAL_ERROR "dlsim check exited with ${status}, expected ${EXPECT}\n${stdout}${stderr}")
endif()
foreach(m ${MATCH})
  if(NOT stdout MATCHES "${m}")
    message(FATAL_ERROR "dlsim check output does not match '${m}':\n${stdout}")
  endif()
endforeach()
