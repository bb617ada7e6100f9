# run(<command> [args...]): executes a command from a CMake script (-P) and stops the script with
# the command, its exit code and its output when it fails. Included by the test scripts.
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "command failed (${result}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()
