# CMake functions of the Finn package, loaded by find_package(Finn).
#
# The build graph, finn_add_accelerator() and finn_add_step(), lives in FinnAccelerator.cmake.

# finn_executable(<var> <tool>): the path of a Finn tool (`finn`, `finn-step-<name>`).
function(finn_executable out_var tool)
  if(tool STREQUAL "finn")
    set(target Finn::finn-cli)
  else()
    set(target Finn::${tool})
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "finn_executable: Finn has no tool '${tool}' (no target ${target})")
  endif()
  set(${out_var} $<TARGET_FILE:${target}> PARENT_SCOPE)
endfunction()

include(${CMAKE_CURRENT_LIST_DIR}/FinnAccelerator.cmake)
