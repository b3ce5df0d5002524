# `dlsim report` on bad input: exit status 2, the exact FILE:LINE:COL message, no page.
# A 1 h FDR run is damaged one file at a time (each case on a fresh copy).
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${DLSIM} run ${SCENARIO} -o ${OUT}/good --quiet --set duration=1h
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "dlsim run exited with ${status}")
endif()

function(expect_error name file content expected)
  set(dir ${OUT}/${name})
  file(COPY ${OUT}/good/ DESTINATION ${dir})
  if(NOT file STREQUAL "")
    file(WRITE ${dir}/${file} "${content}")
  endif()
  execute_process(COMMAND ${DLSIM} report ${dir} RESULT_VARIABLE status ERROR_VARIABLE err
                  OUTPUT_QUIET)
  string(STRIP "${err}" err)
  string(REPLACE "@DIR@" "${dir}" expected "${expected}")
  if(NOT status EQUAL 2 OR NOT err STREQUAL expected)
    message(FATAL_ERROR "${name}: exit ${status}\n  got:      ${err}\n  expected: ${expected}")
  endif()
  file(GLOB left ${dir}/report.html ${dir}/.report.html.tmp-*)
  if(left)
    message(FATAL_ERROR "${name}: ${left} written despite the error")
  endif()
endfunction()

# "four" begins after "server-1,server,default-2,Guaranteed,Running," (45 characters):
# line 3, column 46.
expect_error(bad_number pods.csv
  "pod,service,node,qos,phase,cpu_request_cores,cpu_limit_cores,mem_request_bytes,mem_limit_bytes\nserver-0,server,default-1,Guaranteed,Running,4,4,1,1\nserver-1,server,default-2,Guaranteed,Running,four,4,1,1\n"
  "@DIR@/pods.csv:3:46: error: cpu_request_cores: 'four' is not a number")
# A row with one field too many: reported where the extra field starts (after "0,a,b,c,d,": 11).
expect_error(extra_field events.csv "time_s,kind,object,node,detail\n0,a,b,c,d,e\n"
  "@DIR@/events.csv:2:11: error: 6 fields where the header has 5")
# JSON cut after "{\n": the parser fails at the end of the input, line 2 column 1.
expect_error(cut_json summary.json "{\n"
  "@DIR@/summary.json:2:1: error: malformed JSON")
expect_error(missing_column timeseries/tables.csv "time_s,object,count\n"
  "@DIR@/timeseries/tables.csv:1:1: error: missing column 'rows'")
file(REMOVE_RECURSE ${OUT}/no-run)
file(MAKE_DIRECTORY ${OUT}/no-run)
execute_process(COMMAND ${DLSIM} report ${OUT}/no-run RESULT_VARIABLE status ERROR_VARIABLE err)
string(STRIP "${err}" err)
if(NOT status EQUAL 2 OR NOT err STREQUAL
   "${OUT}/no-run/summary.json:1:1: error: cannot read the file (is this a dlsim run directory?)")
  message(FATAL_ERROR "empty directory: exit ${status}: ${err}")
endif()
execute_process(COMMAND ${DLSIM} report ${OUT}/nowhere RESULT_VARIABLE status ERROR_VARIABLE err)
string(STRIP "${err}" err)
if(NOT status EQUAL 2 OR NOT err STREQUAL
   "${OUT}/nowhere:1:1: error: not a directory (expected a dlsim run directory)")
  message(FATAL_ERROR "missing directory: exit ${status}: ${err}")
endif()
