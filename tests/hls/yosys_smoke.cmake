# Synthesizes one component with Yosys synth_xilinx (xc7) and checks the netlist has EXPECT_CELL
# (and, if REJECT_CELL is given, has no such cell).
# -DYOSYS -DTOP -DPARAMETERS=NAME=VALUE,... -DSOURCES=<list> -DEXPECT_CELL [-DREJECT_CELL]
# -DOUTPUT_DIR
file(MAKE_DIRECTORY ${OUTPUT_DIR})
set(chparam "")
string(REPLACE "," ";" parameters "${PARAMETERS}")
foreach(assignment IN LISTS parameters)
  string(REGEX MATCH "^([A-Za-z_0-9]+)=(.*)$" _ "${assignment}")
  set(name "${CMAKE_MATCH_1}")
  set(value "${CMAKE_MATCH_2}")
  if(value MATCHES "^[0-9]+$")
    string(APPEND chparam " -set ${name} ${value}")
  else()
    string(APPEND chparam " -set ${name} \"${value}\"")
  endif()
endforeach()
string(REPLACE ";" " " source_list "${SOURCES}")
# -defer: elaborate only after chparam, with the parameters under test.
file(WRITE ${OUTPUT_DIR}/synth.ys
  "read_verilog -defer -sv ${source_list}\n"
  "chparam${chparam} ${TOP}\n"
  "synth_xilinx -family xc7 -top ${TOP} -flatten\n"
  "tee -o stat.txt stat -tech xilinx\n")
execute_process(COMMAND ${YOSYS} -q -s synth.ys WORKING_DIRECTORY ${OUTPUT_DIR}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "yosys failed on ${TOP} (${PARAMETERS}):\n${out}")
endif()
file(READ ${OUTPUT_DIR}/stat.txt stat)
if(NOT stat MATCHES "${EXPECT_CELL}")
  message(FATAL_ERROR "${TOP} (${PARAMETERS}): no ${EXPECT_CELL} in the netlist:\n${stat}")
endif()
if(REJECT_CELL AND stat MATCHES "${REJECT_CELL}")
  message(FATAL_ERROR "${TOP} (${PARAMETERS}): ${REJECT_CELL} in the netlist:\n${stat}")
endif()
string(REGEX MATCH "Number of cells: *[0-9]+" cells "${stat}")
message(STATUS "${TOP} (${PARAMETERS}): ${cells}, has ${EXPECT_CELL}")
