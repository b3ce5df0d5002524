# The progress line of `dlsim run` (app/progress.hpp): nothing at all on stderr when it is not
# a terminal, and redrawn lines on a terminal (a pseudo-terminal made by util-linux `script`).
# The run is the FDR's first 12 h: about 2 s of wall on the 2-core CI machine, 8 times the
# 0.25 s before the first draw, so a terminal gets at least one line (here about 8).
set(args run ${SCENARIO} --set duration=12h)
execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=CI ${DLSIM} ${args} -o ${OUT}/pipe
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "dlsim run exited with ${status}: ${err}")
endif()
if(NOT err STREQUAL "")
  message(FATAL_ERROR "stderr is a pipe, yet dlsim wrote to it: '${err}'")
endif()
if(NOT out MATCHES "^dlsim: fdr simulated 12h")
  message(FATAL_ERROR "no summary on stdout: '${out}'")
endif()

find_program(SCRIPT script REQUIRED)
string(JOIN " " command env -u CI ${DLSIM} ${args} -o ${OUT}/tty)
execute_process(COMMAND ${SCRIPT} -qec "${command}" /dev/null RESULT_VARIABLE status
                OUTPUT_VARIABLE tty)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "dlsim run on a terminal exited with ${status}: ${tty}")
endif()
# Lines start with \r, say how far the run got and at what rate, and the last is blanked
# (\r, spaces, \r) before the summary.
string(REGEX MATCHALL "\r\\[dlsim\\] [0-9hms]+ / 12h \\([0-9]+%\\), [0-9]+ simulated s per s"
       lines "${tty}")
list(LENGTH lines count)
if(count LESS 1 OR NOT tty MATCHES "\r +\rdlsim: fdr simulated 12h")
  message(FATAL_ERROR "no progress line, or not cleared, on a terminal: '${tty}'")
endif()
message(STATUS "${count} progress line(s) on the terminal, none on a pipe")
