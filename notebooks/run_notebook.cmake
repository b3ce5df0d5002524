# Runs a scenario into OUT/run and executes a notebook on it headless, as CI does (DESIGN.md §1:
# notebooks are executed in CI). Fails on any error in any cell.
#   cmake -DDLSIM=… -DSCENARIO=… -DNOTEBOOK=… -DOUT=… [-DPYTHON=/usr/bin/python3] -P run_notebook.cmake
# PYTHON is Debian's python3 on purpose: pandas, matplotlib, nbconvert and ipykernel come from
# apt (scripts/setup.sh), and the python3 first on PATH may be another one (pyenv) without them.
if(NOT PYTHON)
  set(PYTHON /usr/bin/python3)
endif()
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${DLSIM} run ${SCENARIO} -o ${OUT}/run --quiet RESULT_VARIABLE status
                ERROR_VARIABLE stderr)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "dlsim run ${SCENARIO} exited with ${status}: ${stderr}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env DLSIM_RUN_DIR=${OUT}/run PYDEVD_DISABLE_FILE_VALIDATION=1
          ${PYTHON} -m nbconvert --to notebook --execute --output-dir ${OUT}
          --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.kernel_name=python3 ${NOTEBOOK}
  RESULT_VARIABLE status OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "executing ${NOTEBOOK} on ${OUT}/run failed (${status}):\n${stdout}${stderr}")
endif()
message(STATUS "executed notebook written under ${OUT}")
