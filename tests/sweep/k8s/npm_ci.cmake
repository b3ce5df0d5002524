# ctest fixture of the Indexed Job check: copies tests/sweep/k8s/ (package.json,
# package-lock.json, the .mjs scripts) into DEST and installs the locked npm packages there
# with `npm ci`, so the source tree stays clean. npm ci runs only when DEST has no install of
# this very lockfile yet (a copy of it is kept as DEST/installed.lock), so a second ctest
# costs nothing.
#   cmake -DSRC=tests/sweep/k8s -DDEST=build/tests/k8s-job [-DNPM=npm] -P npm_ci.cmake
if(NOT NPM)
  set(NPM npm)
endif()
file(MAKE_DIRECTORY ${DEST})
file(GLOB scripts ${SRC}/*.mjs)
file(COPY ${SRC}/package.json ${SRC}/package-lock.json ${scripts} DESTINATION ${DEST})
if(EXISTS ${DEST}/installed.lock AND EXISTS ${DEST}/node_modules/kubernetes-models)
  file(SHA256 ${DEST}/installed.lock installed)
  file(SHA256 ${SRC}/package-lock.json wanted)
  if(installed STREQUAL wanted)
    return()
  endif()
endif()
execute_process(COMMAND ${NPM} ci --no-audit --no-fund --loglevel=error WORKING_DIRECTORY ${DEST}
                RESULT_VARIABLE status OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "npm ci in ${DEST} failed (${status}):\n${stdout}${stderr}")
endif()
file(COPY_FILE ${SRC}/package-lock.json ${DEST}/installed.lock)
