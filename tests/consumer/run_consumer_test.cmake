# Runs the consumer project against Finn: MODE=installed installs Finn into a prefix, moves the
# prefix elsewhere (the package must be relocatable) and uses it from there; MODE=build_tree
# points the consumer at Finn's build directory.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

include(${CMAKE_CURRENT_LIST_DIR}/../run_checked.cmake)

if(MODE STREQUAL "installed")
  run(${CMAKE_COMMAND} --install ${FINN_BUILD_DIR} --prefix ${WORK_DIR}/staging)
  file(RENAME ${WORK_DIR}/staging ${WORK_DIR}/prefix)
  set(prefix_path ${WORK_DIR}/prefix)
else()
  set(prefix_path ${FINN_BUILD_DIR})
endif()

run(${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${WORK_DIR}/build -G Ninja
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix_path})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${CMAKE_CTEST_COMMAND} --test-dir ${WORK_DIR}/build --output-on-failure)
message(STATUS "consumer project (${MODE}) configured, built and tested")
