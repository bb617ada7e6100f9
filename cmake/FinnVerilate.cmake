# finn_verilate(): builds a Verilated model of a SystemVerilog component as a library that a C++
# harness links — for Finn's own tests and for users' components. A thin layer over Verilator's
# own verilate() (find_package(verilator)) that adds what Finn's components need:
#
#   finn_verilate(<target>
#     TOP_MODULE <module>             top module; the C++ class is V<module> unless PREFIX is given
#     SOURCES <file.sv>...            relative paths are relative to the calling source folder
#     [PARAMETERS <NAME>=<value>...]  top-level parameters (-G): integers as they are; any other
#                                     value is a string and gets the quotes Verilator needs
#                                     (give memory files as absolute paths: $readmemh resolves a
#                                     relative one against the simulation's working directory)
#     [PREFIX <class>] [INCLUDE_DIRS <dir>...] [WALL] [TRACE | TRACE_FST]
#     [OPT_FAST <flags>] [VERILATOR_ARGS <arg>...])
#
# <target> is a static library holding the model class and Verilator's runtime, linked to
# Finn::hls_harness (the stream harness and the packed-word models): a harness executable only
# needs target_link_libraries(<exe> PRIVATE <target>). Each target is one model; give one
# executable one model (each carries its own copy of Verilator's runtime). WALL turns on
# Verilator's -Wall (its warnings stop the build). The Verilated C++ is compiled with -O2
# (OPT_FAST overrides), even in a build without CMAKE_BUILD_TYPE.
#
# Verilator is optional: FINN_VERILATOR_FOUND tells whether it was found; without it
# finn_verilate() is an error, so callers check the variable first.

if(NOT DEFINED FINN_VERILATOR_FOUND)
  find_package(verilator QUIET HINTS $ENV{VERILATOR_ROOT} /usr/share/verilator)
  if(verilator_FOUND)
    set(FINN_VERILATOR_FOUND TRUE)
  else()
    set(FINN_VERILATOR_FOUND FALSE)
  endif()
endif()

# -G arguments for NAME=VALUE pairs: a value that is not a number becomes a quoted string.
function(finn_verilator_parameter_args out_var)
  set(args)
  foreach(assignment IN LISTS ARGN)
    if(NOT assignment MATCHES "^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
      message(FATAL_ERROR "finn_verilate: PARAMETERS entry '${assignment}' is not NAME=VALUE")
    endif()
    set(name "${CMAKE_MATCH_1}")
    set(value "${CMAKE_MATCH_2}")
    if(value MATCHES "^-?[0-9]+$" OR value MATCHES "^[0-9]*'[sS]?[bBoOdDhH][0-9a-fA-F_xXzZ]+$")
      list(APPEND args "-G${name}=${value}")
    else()
      list(APPEND args "-G${name}=\"${value}\"")
    endif()
  endforeach()
  set(${out_var} "${args}" PARENT_SCOPE)
endfunction()

function(finn_verilate target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "WALL;TRACE;TRACE_FST"
    "TOP_MODULE;PREFIX" "SOURCES;PARAMETERS;INCLUDE_DIRS;OPT_FAST;VERILATOR_ARGS")
  if(NOT FINN_VERILATOR_FOUND)
    message(FATAL_ERROR "finn_verilate(${target}): Verilator was not found "
                        "(install it, e.g. apt-get install verilator, or check FINN_VERILATOR_FOUND first)")
  endif()
  if(NOT arg_TOP_MODULE OR NOT arg_SOURCES)
    message(FATAL_ERROR "finn_verilate(${target}): TOP_MODULE and SOURCES are required")
  endif()
  if(NOT arg_PREFIX)
    set(arg_PREFIX "V${arg_TOP_MODULE}")
  endif()
  if(NOT arg_OPT_FAST)
    set(arg_OPT_FAST -O2)
  endif()

  finn_verilator_parameter_args(parameter_args ${arg_PARAMETERS})
  set(verilator_args -sv ${parameter_args} ${arg_VERILATOR_ARGS})
  if(arg_WALL)
    list(APPEND verilator_args -Wall)
  endif()
  set(trace_flags)
  if(arg_TRACE)
    list(APPEND trace_flags TRACE)
  endif()
  if(arg_TRACE_FST)
    list(APPEND trace_flags TRACE_FST)
  endif()

  # A library, so the Verilated sources keep their own flags and the harness keeps Finn's
  # warnings. verilate() needs the target to exist before it adds the sources.
  add_library(${target} STATIC)
  verilate(${target}
    TOP_MODULE ${arg_TOP_MODULE}
    PREFIX ${arg_PREFIX}
    SOURCES ${arg_SOURCES}
    INCLUDE_DIRS ${arg_INCLUDE_DIRS}
    ${trace_flags}
    OPT_FAST ${arg_OPT_FAST}
    OPT_SLOW -O1
    OPT_GLOBAL -O2
    VERILATOR_ARGS ${verilator_args})
  target_link_libraries(${target} PUBLIC Finn::hls_harness)
  # Verilator's headers and the generated ones are not Finn's code: include them as system
  # headers, so a harness compiled with -Wall -Wextra -Werror does not trip over them.
  set_property(TARGET ${target} APPEND PROPERTY INTERFACE_SYSTEM_INCLUDE_DIRECTORIES
    "${VERILATOR_ROOT}/include" "${VERILATOR_ROOT}/include/vltstd"
    "${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/${target}.dir/${arg_PREFIX}.dir")
endfunction()

# finn_add_verilator_lint_test(<test name> TOP_MODULE <module> SOURCES <file>...
#                              [PARAMETERS <NAME>=<value>...]): a CTest test running
# `verilator --lint-only -Wall` on one parameter set.
function(finn_add_verilator_lint_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TOP_MODULE" "SOURCES;PARAMETERS")
  finn_verilator_parameter_args(parameter_args ${arg_PARAMETERS})
  add_test(NAME ${name}
    COMMAND ${VERILATOR_BIN} --lint-only -Wall -sv --top-module ${arg_TOP_MODULE}
            ${parameter_args} ${arg_SOURCES}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR})
endfunction()
