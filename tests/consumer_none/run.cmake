# Configures and builds tests/consumer_none against Finn's build tree: the plain project must
# build both accelerators; the two failing variants must stop with their one stated message.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
include(${CMAKE_CURRENT_LIST_DIR}/../run_checked.cmake)

set(model ${WORK_DIR}/model.onnx)
run(${FINN_CLI} zoo tfc_w1a1 -o ${model})
set(configure ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR} -G Ninja
    -DCMAKE_PREFIX_PATH=${FINN_BUILD_DIR} -DMODEL=${model})

run(${configure} -B ${WORK_DIR}/two_folders)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/two_folders)
foreach(folder out_first out_second)
  if(NOT EXISTS ${WORK_DIR}/two_folders/${folder}/intermediate_models/step_tidy_up.onnx)
    message(FATAL_ERROR "accelerator folder ${folder} was not built")
  endif()
endforeach()

# expect_failure(<variant> <build dir> <message>): configuring fails with exactly one CMake Error,
# which holds <message>.
function(expect_failure variant message)
  execute_process(COMMAND ${configure} -B ${WORK_DIR}/${variant} -D${variant}=ON
    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
  string(REGEX REPLACE "[ \n]+" " " flat "${err}")
  string(REGEX MATCHALL "CMake Error" errors "${err}")
  list(LENGTH errors count)
  if(result EQUAL 0 OR NOT count EQUAL 1 OR NOT flat MATCHES "${message}")
    message(FATAL_ERROR "${variant}: expected one error matching '${message}', got:\n${err}")
  endif()
endfunction()
expect_failure(SAME_FOLDER "finn_add_accelerator\\(second\\): its output folder .*/SAME_FOLDER/out \
is already the output folder of finn_add_accelerator\\(first\\); give one of them its own folder \
with OUTPUT_DIR <dir>")
expect_failure(LIBRARY "Finn's library component needs a C\\+\\+ compiler: declare \
project\\(<name> CXX\\), or write find_package\\(Finn REQUIRED COMPONENTS tools\\) in a project \
that only builds accelerators")
message(STATUS "NONE-language project: two accelerators built; both misuses stated in one error")
