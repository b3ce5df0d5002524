# dlsim report in a real browser: runs a small FDR variant, writes its report, opens it in
# headless chromium (Debian's, installed by scripts/setup.sh) with tests/report/probe.js
# injected, and checks what the browser laid out.
#
# -DDLSIM=… -DCHROMIUM=… -DSOURCE=tests/report -DOUT=… -DBREAK=none|hide|error|fetch
# BREAK=none: the page must pass. Any other BREAK damages the copy the browser opens and the
# check must then FAIL with the matching problem (the test passes only if it does), so the
# check is shown to be able to fail: hide = the first chart gets display:none (zero size),
# error = a script that throws, fetch = an image from the network (the page must be offline).
#
# The run: scenarios/fdr.yaml for 6 h on 4 nodes instead of 10 (5 pods stay Pending: the
# requests of 28 pods do not fit 4 × 7.5 cores), hermes limited to 200 MiB with 1 MiB rows
# (docs/outputs.md's OOM variant: every daemon that holds 200+ rows is OOM-killed and backs
# off). So the page has Pending, Running and back-off segments and OOM markers to draw.
if(NOT CHROMIUM OR NOT EXISTS "${CHROMIUM}")
  message(FATAL_ERROR "chromium not found ('${CHROMIUM}'): install it with scripts/setup.sh")
endif()
file(REMOVE_RECURSE ${OUT})
execute_process(
  COMMAND ${DLSIM} run ${SOURCE}/../../scenarios/fdr.yaml -o ${OUT}/run --quiet
          --set duration=6h --set cluster.node_pools.default.count=4
          --set rucio.daemons.hermes.resources.limits.memory=200Mi
          --set rucio.daemons.hermes.resources.requests.memory=200Mi
          --set rucio.model.row_bytes=1MiB
  RESULT_VARIABLE status ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "dlsim run exited with ${status}: ${err}")
endif()
# Sizing and rounds fixtures (with markup in their text: it must come out as text).
foreach(f sizing.csv sizing.json rounds.json)
  configure_file(${SOURCE}/${f} ${OUT}/run/${f} COPYONLY)
endforeach()
execute_process(COMMAND ${DLSIM} report ${OUT}/run RESULT_VARIABLE status OUTPUT_QUIET
                ERROR_VARIABLE err)
if(NOT status EQUAL 0 OR NOT EXISTS ${OUT}/run/report.html)
  message(FATAL_ERROR "dlsim report exited with ${status}: ${err}")
endif()

# Same directory, same bytes (the page has no time stamp).
execute_process(COMMAND ${DLSIM} report ${OUT}/run -o ${OUT}/again.html OUTPUT_QUIET)
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${OUT}/run/report.html
                        ${OUT}/again.html RESULT_VARIABLE differ)
if(differ)
  message(FATAL_ERROR "two reports of the same run directory differ")
endif()

file(READ ${OUT}/run/report.html page)
file(READ ${SOURCE}/probe.js probe)
string(REGEX MATCHALL "<svg " svg_tags "${page}")
list(LENGTH svg_tags svg_count)
string(REPLACE "<head>" "<head>\n<script>\n${probe}</script>" page "${page}")
if(BREAK STREQUAL "hide")
  string(FIND "${page}" "<svg " at)
  string(SUBSTRING "${page}" 0 ${at} head)
  string(SUBSTRING "${page}" ${at} -1 tail)
  string(REGEX REPLACE "^<svg " "<svg style=\"display:none\" " tail "${tail}")
  set(page "${head}${tail}")
elseif(BREAK STREQUAL "error")
  string(REPLACE "</body>" "<script>no_such_function();</script>\n</body>" page "${page}")
elseif(BREAK STREQUAL "fetch")
  string(REPLACE "</body>" "<img src=\"https://example.org/logo.png\">\n</body>" page "${page}")
endif()
file(WRITE ${OUT}/probe.html "${page}")

# No network: every host name resolves to nothing, so a fetch fails and is recorded.
execute_process(
  COMMAND ${CHROMIUM} --headless --no-sandbox --disable-gpu --no-first-run
          --user-data-dir=${OUT}/profile "--host-resolver-rules=MAP * ~NOTFOUND"
          --enable-logging=stderr --v=0 --window-size=1400,1000 --dump-dom
          file://${OUT}/probe.html
  RESULT_VARIABLE status OUTPUT_VARIABLE dom ERROR_VARIABLE log TIMEOUT 120)
file(WRITE ${OUT}/dom.html "${dom}")
file(WRITE ${OUT}/chromium.log "${log}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "chromium exited with ${status} (log: ${OUT}/chromium.log)")
endif()
string(REGEX MATCH "<pre id=\"dlsim-probe\">([^<]*)</pre>" _ "${dom}")
set(result "${CMAKE_MATCH_1}")
if(result STREQUAL "")
  message(FATAL_ERROR "the probe wrote no result: the page did not load (${OUT}/dom.html)")
endif()
string(REPLACE "&amp;" "&" result "${result}")
message(STATUS "probe: ${result}")

set(problems "")
foreach(key svgs zero_size marks drawn oom_markers scripts errors)
  string(JSON ${key} GET "${result}" ${key})
endforeach()
string(JSON sections GET "${result}" sections)
string(JSON first_error GET "${result}" first_error)
# Every <svg> of the file is laid out with a width and a height (svg_count counted above).
# At commit time the page has 58: memory and CPU for the 14 services with a scheduled pod
# (3 of 17 have all their pods Pending) = 28, the 14 queue tables, 14 RSEs, the pod timeline
# and the node packing; 30 is a floor that model changes will not cross.
if(NOT svgs EQUAL svg_count OR svg_count LESS 30)
  list(APPEND problems "${svgs} svg elements in the DOM, ${svg_count} in the file (expected ≥ 30)")
endif()
if(NOT zero_size EQUAL 0)
  list(APPEND problems "${zero_size} svg element(s) of zero size")
endif()
if(NOT drawn EQUAL marks)
  list(APPEND problems "only ${drawn} of ${marks} lines, areas and bars have a size")
endif()
if(oom_markers LESS 1)
  list(APPEND problems "no OOM marker drawn (the run has OOM kills)")
endif()
# One script: the probe. The sizing reason's <script> must have stayed text.
if(NOT scripts EQUAL 1)
  list(APPEND problems "${scripts} scripts in the page (expected the probe only)")
endif()
if(NOT errors EQUAL 0)
  list(APPEND problems "${errors} error(s) in the page, first: ${first_error}")
endif()
if(NOT sections STREQUAL "summary services tables rses transfers pods nodes sizing rounds")
  list(APPEND problems "sections are '${sections}'")
endif()
if(log MATCHES "Uncaught|:CONSOLE")
  string(REGEX MATCH "[^\n]*(Uncaught|:CONSOLE)[^\n]*" line "${log}")
  list(APPEND problems "chromium's console: ${line}")
endif()
if(NOT dom MATCHES "&lt;script&gt;window.hostile=1&lt;/script&gt;")
  list(APPEND problems "the sizing reason is not shown as escaped text")
endif()

set(expected_problem_none "")
set(expected_problem_hide "zero size")
set(expected_problem_error "no_such_function")
set(expected_problem_fetch "resource failed: https://example.org/logo.png")
if(BREAK STREQUAL "none" OR NOT BREAK)
  if(problems)
    string(REPLACE ";" "\n  " problems "${problems}")
    message(FATAL_ERROR "the report does not render cleanly:\n  ${problems}")
  endif()
else()
  if(NOT problems MATCHES "${expected_problem_${BREAK}}")
    message(FATAL_ERROR "BREAK=${BREAK}: the check did not detect it (problems: '${problems}')")
  endif()
  message(STATUS "BREAK=${BREAK} detected as expected: ${problems}")
endif()
