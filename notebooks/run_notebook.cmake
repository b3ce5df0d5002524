# Runs a scenario into OUT/run, or a sweep plan into OUT/sweep merged into OUT/merged, and
# executes a notebook on it headless, as CI does (docs/design.md §1: notebooks are executed in CI).
# Fails on any error in any cell, so a failed assert in the notebook fails the test.
#   cmake -DDLSIM=… -DSCENARIO=… [-DSETS="key=value|key=value"] -DNOTEBOOK=… -DOUT=…
#         [-DPYTHON=/usr/bin/python3] -P run_notebook.cmake
#   cmake -DDLSIM=… -DPLAN=… -DNOTEBOOK=… -DOUT=… [-DPYTHON=…] -P run_notebook.cmake
#   cmake -DRUN_DIR=… -DNOTEBOOK=… -DOUT=… [-DPYTHON=…] -P run_notebook.cmake  (an existing run,
#         e.g. fixture fdr_run of tests/CMakeLists.txt; nothing is run)
# The notebook finds the run directory in DLSIM_RUN_DIR, the merged sweep in DLSIM_SWEEP_DIR.
# PYTHON is Debian's python3 on purpose: pandas, matplotlib, nbconvert and ipykernel come from
# apt (scripts/setup.sh), and the python3 first on PATH may be another one (pyenv) without them.
if(NOT PYTHON)
  set(PYTHON /usr/bin/python3)
endif()
file(REMOVE_RECURSE ${OUT})

function(dlsim)
  execute_process(COMMAND ${DLSIM} ${ARGN} RESULT_VARIABLE status ERROR_VARIABLE stderr
                  OUTPUT_QUIET)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "dlsim ${ARGN} exited with ${status}: ${stderr}")
  endif()
endfunction()

if(RUN_DIR)
  set(data DLSIM_RUN_DIR=${RUN_DIR})
elseif(PLAN)
  dlsim(sweep ${PLAN} -o ${OUT}/sweep --jobs 2 -q)
  dlsim(sweep merge ${OUT}/sweep -o ${OUT}/merged)
  set(data DLSIM_SWEEP_DIR=${OUT}/merged)
else()
  set(set_args)
  if(SETS)
    string(REPLACE "|" ";" sets "${SETS}")
    foreach(s IN LISTS sets)
      list(APPEND set_args --set ${s})
    endforeach()
  endif()
  dlsim(run ${SCENARIO} ${set_args} -o ${OUT}/run --quiet)
  set(data DLSIM_RUN_DIR=${OUT}/run)
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env ${data} PYDEVD_DISABLE_FILE_VALIDATION=1
          ${PYTHON} -m nbconvert --to notebook --execute --output-dir ${OUT}
          --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.kernel_name=python3 ${NOTEBOOK}
  RESULT_VARIABLE status OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "executing ${NOTEBOOK} on ${data} failed (${status}):\n${stdout}${stderr}")
endif()
message(STATUS "executed notebook written under ${OUT}")
