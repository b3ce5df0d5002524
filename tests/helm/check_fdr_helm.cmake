# The FDR written as Helm values (scenarios/fdr-helm/) against scenarios/fdr.yaml:
# 1. `dlsim import-helm $(import.args)` gives scenarios/fdr-helm/deployment.yaml exactly;
# 2. the two scenarios resolve to the same scenario.resolved.yaml, byte for byte (the typed
#    scenario dlsim simulates is the same);
# 3. their summary.json are equal to a relative 1e-12 (compare_summary.py prints every key
#    that differs at all: Pod::cpu_core_seconds (models/k8s/pod.cpp) sums over a std::map
#    keyed by exec pointers, so another parse of the same scenario moves heap addresses and
#    the last bit of a CPU mean; two means differ by 1 ulp today).
# With -DFDR_RUN=DIR the run of scenarios/fdr.yaml is DIR, with its stderr in DIR.stderr, made
# by another test (fixture fdr_run of tests/CMakeLists.txt); only fdr-helm is run here.
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
set(dir ${SOURCE}/scenarios/fdr-helm)
file(STRINGS ${dir}/import.args args)
execute_process(COMMAND ${DLSIM} import-helm ${args} -o ${OUT}/deployment.yaml
                WORKING_DIRECTORY ${dir} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "import-helm exited with ${status}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}/deployment.yaml
                        ${dir}/deployment.yaml RESULT_VARIABLE differ)
if(differ)
  message(FATAL_ERROR "import-helm output differs from scenarios/fdr-helm/deployment.yaml")
endif()
set(runs fdr fdr-helm/scenario)
set(fdr_dir ${OUT}/fdr)
if(FDR_RUN)
  set(runs fdr-helm/scenario)
  set(fdr_dir ${FDR_RUN})
  file(READ ${FDR_RUN}.stderr stderr_fdr)
endif()
foreach(run ${runs})
  string(REPLACE "/" "-" name ${run})
  execute_process(COMMAND ${DLSIM} run scenarios/${run}.yaml -o ${OUT}/${name} --quiet
                  WORKING_DIRECTORY ${SOURCE} RESULT_VARIABLE status ERROR_VARIABLE stderr)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "dlsim run scenarios/${run}.yaml exited with ${status}")
  endif()
  set(stderr_${name} "${stderr}")
endforeach()
# The one warning of the import: the 2020 rucio-server values.yaml has two httpd_config keys
# (lines 96 and 199 of the chart's file, 98 and 201 of the copy with its 2-line header).
string(CONCAT expected "tests/helm/charts/rucio-server-0fee800.yaml:201:1: warning: httpd_config: "
                     "duplicate key 'httpd_config' (also at line 98); the later one wins, as Helm "
                     "reads it\n")
if(NOT stderr_fdr-helm-scenario STREQUAL expected OR NOT stderr_fdr STREQUAL "")
  message(FATAL_ERROR "unexpected stderr of the runs:\n${stderr_fdr}${stderr_fdr-helm-scenario}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${fdr_dir}/scenario.resolved.yaml
                        ${OUT}/fdr-helm-scenario/scenario.resolved.yaml RESULT_VARIABLE differ)
if(differ)
  message(FATAL_ERROR "scenario.resolved.yaml differs between fdr.yaml and fdr-helm")
endif()
execute_process(COMMAND ${PYTHON} ${SOURCE}/tests/helm/compare_summary.py
                        ${fdr_dir}/summary.json ${OUT}/fdr-helm-scenario/summary.json
                RESULT_VARIABLE status OUTPUT_VARIABLE report)
message(STATUS "${report}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "summary.json differs beyond rounding:\n${report}")
endif()
