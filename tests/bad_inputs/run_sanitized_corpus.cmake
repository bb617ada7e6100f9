# Runs the bad-input corpus against tools built with AddressSanitizer and
# UndefinedBehaviorSanitizer: configures Finn's sources into SANITIZE_DIR (once; later runs
# rebuild incrementally), builds the `finn` command and the step tools there, and runs the
# corpus tests of TEST_BINARY with FINN_CORPUS_TOOLS_DIR pointing at them. Any sanitizer report
# makes a case fail (its stderr is checked) and UBSan aborts on the first error.
#
#   cmake -DSOURCE_DIR=... -DSANITIZE_DIR=... -DTEST_BINARY=... -P run_sanitized_corpus.cmake
include(${CMAKE_CURRENT_LIST_DIR}/../run_checked.cmake)

# -O0: the corpus runs in seconds; the sanitized build is what costs (about 15-25 % less compile
# time per file than -O1).
if(NOT EXISTS ${SANITIZE_DIR}/build.ninja)
  run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${SANITIZE_DIR} -G Ninja
      -DCMAKE_BUILD_TYPE=None
      "-DCMAKE_CXX_FLAGS=-O0 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
      "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined"
      -DFINN_BUILD_TESTS=OFF -DFINN_BUILD_EXAMPLES=OFF -DFINN_BUILD_BENCH=OFF)
endif()
run(${CMAKE_COMMAND} --build ${SANITIZE_DIR} --target finn_cli finn_step_tools)

set(ENV{FINN_CORPUS_TOOLS_DIR} ${SANITIZE_DIR})
set(ENV{ASAN_OPTIONS} "detect_leaks=1:abort_on_error=0:exitcode=99")
set(ENV{UBSAN_OPTIONS} "print_stacktrace=1")
execute_process(COMMAND ${TEST_BINARY} --gtest_filter=Corpus/BadInputCorpus.*
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(REGEX MATCH "\\[  PASSED  \\] [0-9]+ tests?" passed "${out}")
if(NOT result EQUAL 0)
  message(FATAL_ERROR "sanitized corpus failed:\n${out}\n${err}")
endif()
message(STATUS "sanitized corpus: ${passed}")
