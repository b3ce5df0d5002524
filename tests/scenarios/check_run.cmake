# Runs one scenario file and checks that every file of the run-directory contract exists.
# Optional -DEXPECT_EVENT=TEXT: events.csv must hold a row containing TEXT (a regression test
# names the event that exercises it). The run's stderr is kept beside it in OUT.stderr, for the
# tests that share the run (tests/CMakeLists.txt, fixture fdr_run).
file(REMOVE_RECURSE ${OUT} ${OUT}.stderr)
execute_process(COMMAND ${DLSIM} run ${SCENARIO} -o ${OUT} --quiet RESULT_VARIABLE status
                ERROR_VARIABLE stderr)
file(WRITE ${OUT}.stderr "${stderr}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "dlsim run ${SCENARIO} exited with ${status}: ${stderr}")
endif()
foreach(f run.json scenario.resolved.yaml summary.json pods.csv events.csv
          timeseries/pods.csv timeseries/nodes.csv timeseries/tables.csv timeseries/rses.csv
          sizing.csv sizing.json sizing.md)
  if(NOT EXISTS ${OUT}/${f})
    message(FATAL_ERROR "${OUT}/${f} is missing")
  endif()
endforeach()
file(READ ${OUT}/summary.json summary)
string(JSON schema GET "${summary}" schema)
if(NOT schema STREQUAL "dlsim.summary/1")
  message(FATAL_ERROR "summary.json schema is '${schema}'")
endif()
# The resolved scenario loads back.
execute_process(COMMAND ${DLSIM} validate ${OUT}/scenario.resolved.yaml RESULT_VARIABLE status
                OUTPUT_QUIET ERROR_VARIABLE stderr)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "scenario.resolved.yaml does not load back: ${stderr}")
endif()
if(EXPECT_EVENT)
  file(STRINGS ${OUT}/events.csv rows REGEX "${EXPECT_EVENT}")
  if(NOT rows)
    message(FATAL_ERROR "events.csv has no row matching '${EXPECT_EVENT}'")
  endif()
endif()
