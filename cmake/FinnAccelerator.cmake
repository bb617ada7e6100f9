# finn_add_accelerator() and finn_add_step(): a FINN build configuration becomes a Ninja graph of
# step tools, one custom command per step. Loaded by find_package(Finn).
#
#   finn_add_step(<name> COMMAND <executable or target> [READS <config key>...]
#                 [OUTPUTS <file>...])
#   finn_add_accelerator(<name> MODEL <model.onnx> CONFIG <dataflow_build_config.json|.yaml>
#                        [FOLDING_CONFIG <file>] [SPECIALIZE_CONFIG <file>] [OUTPUT_DIR <dir>]
#                        [STEPS <step>...] [START_STEP <step>] [STOP_STEP <step>]
#                        [GENERATE_OUTPUTS <output>...] [VERIFY_INPUT <npy>]
#                        [VERIFY_EXPECTED_OUTPUT <npy>] [ALL])
#
# Each step's rule reads the previous step's model and writes intermediate_models/<step>.onnx
# (FINN's checkpoint names), and depends on the step tool and on a small file holding only the
# configuration keys that step reads. Step tools leave unchanged outputs untouched and CMake's
# Ninja rules restat, so a change that does not alter a step's result stops the rebuild there.

# The built-in steps and the output products come from the step declarations in the finn tool:
# `finn plan --catalog` writes them as CMake lists (once per configure), and this macro includes
# them into the calling function's scope:
#   FINN_CATALOG_STEPS               every built-in step name
#   FINN_CATALOG_PRODUCT_TARGETS     per product: per-accelerator target suffix / aggregate target,
#   FINN_CATALOG_PRODUCT_VALUES      its generate_outputs value,
#   FINN_CATALOG_PRODUCT_STEPS       and the step that makes it.
macro(_finn_include_catalog)
  get_property(_finn_catalog GLOBAL PROPERTY FINN_CATALOG_FILE)
  if(NOT _finn_catalog)
    set(_finn_catalog ${CMAKE_BINARY_DIR}/finn_catalog.cmake)
    get_target_property(_finn_tool Finn::finn-cli LOCATION)
    execute_process(COMMAND ${_finn_tool} plan --catalog ${_finn_catalog}
      RESULT_VARIABLE _finn_result ERROR_VARIABLE _finn_error)
    if(NOT _finn_result EQUAL 0)
      string(STRIP "${_finn_error}" _finn_error)
      message(FATAL_ERROR "finn plan --catalog: ${_finn_error}")
    endif()
    set_property(GLOBAL PROPERTY FINN_CATALOG_FILE ${_finn_catalog})
  endif()
  include(${_finn_catalog})
endmacro()

# finn_add_step(<name> COMMAND <executable or target> [READS <key>...] [OUTPUTS <file>...])
# Declares a user step. Its command is run like every Finn step tool:
#   <command> --in <prev.onnx> --out <next.onnx> --config <slice.json> --output-dir <dir>
#             --index-file <file holding i/N>
# READS lists the build configuration keys it reads (its slice holds only those); OUTPUTS lists
# files it always writes, relative to the output directory. Call it before finn_add_accelerator.
function(finn_add_step name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "COMMAND" "READS;OUTPUTS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "finn_add_step(${name}): unknown argument(s) '${arg_UNPARSED_ARGUMENTS}'; "
      "expected COMMAND, READS, OUTPUTS")
  endif()
  if(NOT arg_COMMAND)
    message(FATAL_ERROR "finn_add_step(${name}): missing COMMAND <executable or target>")
  endif()
  if(NOT name MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "finn_add_step(${name}): a step name is an identifier (letters, digits, "
      "'_'), as it names the checkpoint intermediate_models/<name>.onnx")
  endif()
  _finn_include_catalog()
  list(FIND FINN_CATALOG_STEPS ${name} builtin)
  if(NOT builtin EQUAL -1)
    message(FATAL_ERROR "finn_add_step(${name}): '${name}' is one of FINN's own steps; give your "
      "step another name")
  endif()
  foreach(output IN LISTS arg_OUTPUTS)
    if(IS_ABSOLUTE "${output}" OR output MATCHES "(^|/)\\.\\.(/|$)")
      message(FATAL_ERROR "finn_add_step(${name}): OUTPUTS '${output}' must be a path inside the "
        "output directory (relative, without '..')")
    endif()
  endforeach()
  set_property(GLOBAL APPEND PROPERTY FINN_CUSTOM_STEPS ${name})
  set_property(GLOBAL PROPERTY FINN_CUSTOM_STEP_${name}_COMMAND ${arg_COMMAND})
  set_property(GLOBAL PROPERTY FINN_CUSTOM_STEP_${name}_READS ${arg_READS})
  set_property(GLOBAL PROPERTY FINN_CUSTOM_STEP_${name}_OUTPUTS ${arg_OUTPUTS})
endfunction()

# The Ninja pool of heavy steps (Verilator builds, synthesis): one job per physical core, and at
# most one per 4 GiB of memory.
function(_finn_define_heavy_pool)
  get_property(pools GLOBAL PROPERTY JOB_POOLS)
  if(pools MATCHES "(^|;)finn_heavy=")
    return()
  endif()
  cmake_host_system_information(RESULT cores QUERY NUMBER_OF_PHYSICAL_CORES)
  cmake_host_system_information(RESULT memory_mib QUERY TOTAL_PHYSICAL_MEMORY)
  math(EXPR by_memory "${memory_mib} / 4096")
  set(size ${cores})
  if(by_memory LESS size)
    set(size ${by_memory})
  endif()
  if(size LESS 1)
    set(size 1)
  endif()
  set_property(GLOBAL APPEND PROPERTY JOB_POOLS finn_heavy=${size})
endfunction()

function(_finn_absolute out_var path base)
  get_filename_component(absolute "${path}" ABSOLUTE BASE_DIR "${base}")
  set(${out_var} "${absolute}" PARENT_SCOPE)
endfunction()

function(_finn_fail_command out_var message)
  set(${out_var} COMMAND ${CMAKE_COMMAND} -E echo "Finn: ${message}"
      COMMAND ${CMAKE_COMMAND} -E false PARENT_SCOPE)
endfunction()

function(finn_add_accelerator name)
  set(one_value MODEL CONFIG FOLDING_CONFIG SPECIALIZE_CONFIG OUTPUT_DIR START_STEP STOP_STEP
      VERIFY_INPUT VERIFY_EXPECTED_OUTPUT)
  cmake_parse_arguments(PARSE_ARGV 1 arg "ALL" "${one_value}" "STEPS;GENERATE_OUTPUTS")
  set(where "finn_add_accelerator(${name})")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${where}: unknown argument(s) '${arg_UNPARSED_ARGUMENTS}'; expected "
      "MODEL, CONFIG, FOLDING_CONFIG, SPECIALIZE_CONFIG, OUTPUT_DIR, STEPS, START_STEP, "
      "STOP_STEP, GENERATE_OUTPUTS, VERIFY_INPUT, VERIFY_EXPECTED_OUTPUT, ALL")
  endif()
  if(arg_KEYWORDS_MISSING_VALUES)
    message(FATAL_ERROR "${where}: ${arg_KEYWORDS_MISSING_VALUES} given without a value")
  endif()
  foreach(required MODEL CONFIG)
    if(NOT arg_${required})
      message(FATAL_ERROR "${where}: missing ${required} <file>")
    endif()
  endforeach()
  # A misspelt keyword after STEPS or GENERATE_OUTPUTS would be taken as a list element.
  foreach(value IN LISTS arg_STEPS arg_GENERATE_OUTPUTS)
    if(value MATCHES "^[A-Z][A-Z_]+$")
      message(FATAL_ERROR "${where}: '${value}' looks like a misspelt keyword (step names and "
        "outputs are lower case)")
    endif()
  endforeach()
  if(TARGET ${name})
    message(FATAL_ERROR "${where}: a target named '${name}' already exists")
  endif()

  set(src ${CMAKE_CURRENT_SOURCE_DIR})
  _finn_absolute(model "${arg_MODEL}" "${src}")
  _finn_absolute(config "${arg_CONFIG}" "${src}")
  if(NOT EXISTS "${config}")
    message(FATAL_ERROR "${where}: CONFIG '${arg_CONFIG}' not found (looked for ${config})")
  endif()

  # Arguments override the configuration file's keys.
  set(overrides)
  foreach(pair FOLDING_CONFIG:folding_config_file SPECIALIZE_CONFIG:specialize_layers_config_file
               VERIFY_INPUT:verify_input_npy VERIFY_EXPECTED_OUTPUT:verify_expected_output_npy)
    string(REPLACE ":" ";" pair "${pair}")
    list(GET pair 0 argument)
    list(GET pair 1 key)
    if(arg_${argument})
      _finn_absolute(path "${arg_${argument}}" "${src}")
      list(APPEND overrides --set "${key}=${path}")
    endif()
  endforeach()
  if(arg_OUTPUT_DIR)
    _finn_absolute(path "${arg_OUTPUT_DIR}" "${CMAKE_CURRENT_BINARY_DIR}")
    list(APPEND overrides --set "output_dir=${path}")
  endif()
  foreach(pair START_STEP:start_step STOP_STEP:stop_step)
    string(REPLACE ":" ";" pair "${pair}")
    list(GET pair 0 argument)
    list(GET pair 1 key)
    if(arg_${argument})
      list(APPEND overrides --set "${key}=${arg_${argument}}")
    endif()
  endforeach()
  foreach(pair STEPS:steps GENERATE_OUTPUTS:generate_outputs)
    string(REPLACE ":" ";" pair "${pair}")
    list(GET pair 0 argument)
    list(GET pair 1 key)
    if(arg_${argument})
      list(JOIN arg_${argument} "\",\"" joined)
      list(APPEND overrides --set-json "${key}=[\"${joined}\"]")
    endif()
  endforeach()
  get_property(custom_steps GLOBAL PROPERTY FINN_CUSTOM_STEPS)
  foreach(step IN LISTS custom_steps)
    get_property(reads GLOBAL PROPERTY FINN_CUSTOM_STEP_${step}_READS)
    get_property(outputs GLOBAL PROPERTY FINN_CUSTOM_STEP_${step}_OUTPUTS)
    list(JOIN reads "," reads)
    list(JOIN outputs "," outputs)
    list(APPEND overrides --custom-step "${step}:${reads}:${outputs}")
  endforeach()

  # Resolve the flow now and write each step's configuration slice (untouched when unchanged).
  get_target_property(finn_tool Finn::finn-cli LOCATION)
  set(plan_dir ${CMAKE_CURRENT_BINARY_DIR}/finn_${name})
  execute_process(
    COMMAND ${finn_tool} plan --config ${config} --plan-dir ${plan_dir}
            --output-base ${CMAKE_CURRENT_BINARY_DIR} ${overrides}
    RESULT_VARIABLE result ERROR_VARIABLE error OUTPUT_VARIABLE output)
  if(NOT result EQUAL 0)
    string(STRIP "${error}" error)
    message(FATAL_ERROR "${where}: ${error}")
  endif()
  # The plan's warnings (e.g. a requested verification no planned step runs), one per line.
  string(REGEX MATCHALL "Warning: [^\n]*" warnings "${output}")
  foreach(warning IN LISTS warnings)
    string(REPLACE "Warning: " "" warning "${warning}")
    message(WARNING "${where}: ${warning}")
  endforeach()
  # Editing the configuration reconfigures, which rewrites only the slices that changed.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${config} ${finn_tool})
  include(${plan_dir}/plan.cmake)

  _finn_define_heavy_pool()
  find_program(FINN_VIVADO_EXECUTABLE vivado)
  set(od ${FINN_PLAN_OUTPUT_DIR})
  # Two accelerators writing one output folder would declare the same Ninja outputs twice.
  get_property(used_dirs GLOBAL PROPERTY FINN_ACCELERATOR_OUTPUT_DIRS)
  get_property(used_names GLOBAL PROPERTY FINN_ACCELERATOR_NAMES)
  list(FIND used_dirs "${od}" clash)
  if(NOT clash EQUAL -1)
    list(GET used_names ${clash} other)
    message(FATAL_ERROR "${where}: its output folder ${od} is already the output folder of \
finn_add_accelerator(${other}); give one of them its own folder with OUTPUT_DIR <dir>")
  endif()
  set_property(GLOBAL APPEND PROPERTY FINN_ACCELERATOR_OUTPUT_DIRS "${od}")
  set_property(GLOBAL APPEND PROPERTY FINN_ACCELERATOR_NAMES ${name})
  set(prev ${model})
  if(FINN_PLAN_MODEL_INPUT)
    # start_step resumes from the checkpoint an earlier build wrote; say so if it is missing.
    set(prev ${od}/${FINN_PLAN_MODEL_INPUT})
    _finn_fail_command(fail "${name}: START_STEP resumes from ${prev}, which does not exist; \
build once without start_step first")
    add_custom_command(OUTPUT ${prev} ${fail} VERBATIM)
  endif()

  set(step_names)
  set(step_models)
  math(EXPR last "${FINN_PLAN_COUNT} - 1")
  foreach(i RANGE ${last})
    set(step ${FINN_PLAN_STEP_${i}_NAME})
    set(tool ${FINN_PLAN_STEP_${i}_TOOL})
    set(out ${od}/intermediate_models/${step}.onnx)
    set(outputs ${out})
    foreach(file IN LISTS FINN_PLAN_STEP_${i}_OUTPUTS)
      list(APPEND outputs ${od}/${file})
    endforeach()
    set(arguments --in ${prev} --out ${out} --config ${FINN_PLAN_STEP_${i}_SLICE}
        --output-dir ${od} --index-file ${FINN_PLAN_STEP_${i}_INDEX_FILE})
    set(depends ${prev} ${FINN_PLAN_STEP_${i}_SLICE} ${FINN_PLAN_STEP_${i}_FILES})
    if(tool)
      if(TARGET Finn::${tool})
        set(command COMMAND Finn::${tool} ${arguments})
        list(APPEND depends $<TARGET_FILE:Finn::${tool}>)
      else()
        _finn_fail_command(command "${step} is not implemented in this Finn yet (no tool ${tool}); \
set steps or stop_step to end the flow before it")
      endif()
    else()
      get_property(user_command GLOBAL PROPERTY FINN_CUSTOM_STEP_${step}_COMMAND)
      set(command COMMAND ${user_command} ${arguments})
      if(TARGET ${user_command})
        list(APPEND depends ${user_command})
      endif()
    endif()
    set(pool)
    if(FINN_PLAN_STEP_${i}_POOL STREQUAL "vendor_console" AND FINN_VIVADO_EXECUTABLE)
      set(pool USES_TERMINAL) # a long vendor run: the console pool shows its progress
    elseif(FINN_PLAN_STEP_${i}_POOL MATCHES "^(heavy|vendor_console)$")
      set(pool JOB_POOL finn_heavy)
    endif()
    add_custom_command(OUTPUT ${outputs} ${command} DEPENDS ${depends} ${pool}
      COMMENT "${name}: ${step}" VERBATIM)
    set(prev ${out})
    list(APPEND step_names ${step})
    list(APPEND step_models ${out})
  endforeach()

  # time_per_step.json, assembled from the time records of the steps, as FINN writes it.
  add_custom_command(OUTPUT ${od}/time_per_step.json
    COMMAND Finn::finn-cli time-per-step ${od} ${step_names}
    DEPENDS ${step_models} $<TARGET_FILE:Finn::finn-cli>
    COMMENT "${name}: time_per_step.json" VERBATIM)
  set(all)
  if(arg_ALL)
    set(all ALL)
  endif()
  add_custom_target(${name} ${all} DEPENDS ${od}/time_per_step.json)

  # One target per output product, and the project-wide aggregates over all accelerators.
  _finn_include_catalog()
  foreach(product_target step value IN ZIP_LISTS FINN_CATALOG_PRODUCT_TARGETS
                                               FINN_CATALOG_PRODUCT_STEPS FINN_CATALOG_PRODUCT_VALUES)
    list(FIND step_names ${step} position)
    list(FIND FINN_PLAN_GENERATE_OUTPUTS ${value} requested)
    if(NOT TARGET ${product_target})
      add_custom_target(${product_target})
    endif()
    if(position EQUAL -1)
      _finn_fail_command(fail "${name}: ${product_target} needs ${step}, which is not among the \
steps this accelerator runs")
      add_custom_target(${name}_${product_target} ${fail} VERBATIM)
    elseif(requested EQUAL -1)
      _finn_fail_command(fail "${name}: ${value} is not in generate_outputs of ${config}")
      add_custom_target(${name}_${product_target} ${fail} VERBATIM)
    else()
      math(EXPR i "${position}")
      set(product_files ${od}/intermediate_models/${step}.onnx)
      foreach(file IN LISTS FINN_PLAN_STEP_${i}_OUTPUTS)
        list(APPEND product_files ${od}/${file})
      endforeach()
      add_custom_target(${name}_${product_target} DEPENDS ${product_files})
      add_dependencies(${product_target} ${name}_${product_target})
    endif()
  endforeach()
endfunction()
