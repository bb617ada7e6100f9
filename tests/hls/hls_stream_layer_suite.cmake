# Writes <dir>/hls_stream_layer_suite.sv, a top module instantiating every parameter set of
# HLS_SUITE_DUPLICATES, HLS_SUITE_ADDS, HLS_SUITE_CHANNELWISE and HLS_SUITE_VVAUS side by side
# (ports prefixed dup<i>_, add<i>_, cwo<i>_, vvau<i>_; DuplicateStreams' outputs split into
# dup<i>_out<j>_V as the node wrapper names them), and <dir>/hls_stream_layer_suite_sets.h, the
# same sets as X-macros for the C++ test. Memory files are <dir>/cwo<i>_params.mem,
# <dir>/vvau<i>_weights.mem and <dir>/vvau<i>_thresholds.mem: the test writes fresh random
# contents before constructing the model, so one Verilator build serves all data. Only rewritten
# when the content changes. Needs finn_hls_datatype() (hls_layer_suite.cmake).

function(finn_hls_write_stream_layer_suite dir)
  set(ports "    input logic ap_clk,\n    input logic ap_rst_n")
  set(body "")

  # Ports <instance>_<stream> for the given input streams (name:width) and output streams.
  macro(stream_ports instance direction streams)
    foreach(entry IN ITEMS ${streams})
      string(REPLACE ":" ";" e "${entry}")
      list(GET e 0 stream)
      list(GET e 1 width)
      math(EXPR axi "(${width} + 7) / 8 * 8")
      if(${direction} STREQUAL "in")
        string(APPEND ports
          ",\n    input  logic [${axi}-1:0] ${instance}_${stream}_TDATA,"
          "\n    input  logic ${instance}_${stream}_TVALID,\n    output logic ${instance}_${stream}_TREADY")
      else()
        string(APPEND ports
          ",\n    output logic [${axi}-1:0] ${instance}_${stream}_TDATA,"
          "\n    output logic ${instance}_${stream}_TVALID,\n    input  logic ${instance}_${stream}_TREADY")
      endif()
    endforeach()
  endmacro()
  # A layer instance whose streams connect to the same-named top ports.
  macro(connected_instance module instance parameters streams)
    string(APPEND body "    ${module} #(${parameters}) ${instance} (\n        .ap_clk, .ap_rst_n")
    foreach(stream IN ITEMS ${streams})
      string(APPEND body ",\n        .${stream}_TDATA(${instance}_${stream}_TDATA),"
                         " .${stream}_TVALID(${instance}_${stream}_TVALID),"
                         " .${stream}_TREADY(${instance}_${stream}_TREADY)")
    endforeach()
    string(APPEND body ");\n")
  endmacro()

  # DuplicateStreams: CHANNELS:PE:type:OUTPUTS
  set(index 0)
  set(dup_sets "")
  foreach(set IN LISTS HLS_SUITE_DUPLICATES)
    string(REPLACE ":" ";" f "${set}")
    list(GET f 0 channels)
    list(GET f 1 pe)
    list(GET f 2 type)
    list(GET f 3 outputs)
    finn_hls_datatype(${type} IN)
    math(EXPR width "${pe} * ${IN_BITS}")
    math(EXPR axi "(${width} + 7) / 8 * 8")
    set(instance dup${index})
    stream_ports(${instance} in "in0_V:${width}")
    string(APPEND body "    duplicate_streams #(.WIDTH(${width}), .OUTPUTS(${outputs})) ${instance} (\n"
                       "        .ap_clk, .ap_rst_n,\n"
                       "        .in0_V_TDATA(${instance}_in0_V_TDATA), .in0_V_TVALID(${instance}_in0_V_TVALID),"
                       " .in0_V_TREADY(${instance}_in0_V_TREADY)")
    set(tdata "")
    set(tvalid "")
    set(tready "")
    set(cpp_ports "")
    math(EXPR last "${outputs} - 1")
    foreach(j RANGE ${last})
      stream_ports(${instance} out "out${j}_V:${width}")
      set(sep "")
      if(NOT j EQUAL 0)
        set(sep ", ")
      endif()
      # Output j at [j*W +: W]: the highest output comes first in a concatenation.
      set(tdata "${instance}_out${j}_V_TDATA${sep}${tdata}")
      set(tvalid "${instance}_out${j}_V_TVALID${sep}${tvalid}")
      set(tready "${instance}_out${j}_V_TREADY${sep}${tready}")
      string(APPEND cpp_ports "${sep}FINN_AXIS_PORT(top, ${instance}_out${j}_V)")
    endforeach()
    string(APPEND body ",\n        .out_V_TDATA({${tdata}}), .out_V_TVALID({${tvalid}}),"
                       " .out_V_TREADY({${tready}}));\n")
    string(APPEND dup_sets " \\\n    X(${index}, ${channels}, ${pe}, \"${type}\", ${outputs}, (${cpp_ports}))")
    math(EXPR index "${index} + 1")
  endforeach()

  # AddStreams: CHANNELS:PE:input type:output type
  set(index 0)
  set(add_sets "")
  foreach(set IN LISTS HLS_SUITE_ADDS)
    string(REPLACE ":" ";" f "${set}")
    list(GET f 0 channels)
    list(GET f 1 pe)
    list(GET f 2 in_type)
    list(GET f 3 out_type)
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${out_type} OUT)
    math(EXPR in_width "${pe} * ${IN_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    stream_ports(add${index} in "in0_V:${in_width};in1_V:${in_width}")
    stream_ports(add${index} out "out_V:${out_width}")
    connected_instance(add_streams add${index}
      ".CHANNELS(${channels}), .PE(${pe}), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .OUT_BITS(${OUT_BITS})"
      "in0_V;in1_V;out_V")
    string(APPEND add_sets " \\\n    X(${index}, ${channels}, ${pe}, \"${in_type}\", \"${out_type}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # ChannelwiseOp: CHANNELS:PE:Func:input type:parameter type:output type:SHARED
  set(index 0)
  set(cwo_sets "")
  foreach(set IN LISTS HLS_SUITE_CHANNELWISE)
    string(REPLACE ":" ";" f "${set}")
    list(GET f 0 channels)
    list(GET f 1 pe)
    list(GET f 2 func)
    list(GET f 3 in_type)
    list(GET f 4 p_type)
    list(GET f 5 out_type)
    list(GET f 6 shared)
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${p_type} P)
    finn_hls_datatype(${out_type} OUT)
    math(EXPR in_width "${pe} * ${IN_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    set(file "${dir}/cwo${index}_params.mem")
    stream_ports(cwo${index} in "in0_V:${in_width}")
    stream_ports(cwo${index} out "out_V:${out_width}")
    connected_instance(channelwise_op cwo${index}
      ".CHANNELS(${channels}), .PE(${pe}), .FUNC(\"${func}\"), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .P_BITS(${P_BITS}), .P_SIGNED(${P_SIGNED}), .OUT_BITS(${OUT_BITS}), .SHARED_PARAMS(${shared}), .PARAM_FILE(\"${file}\")"
      "in0_V;out_V")
    string(APPEND cwo_sets " \\\n    X(${index}, ${channels}, ${pe}, \"${func}\", \"${in_type}\", \"${p_type}\", \"${out_type}\", ${shared}, \"${file}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # VVAU: CHANNELS:KERNEL:PE:SIMD:input:weight type:NO_ACTIVATION:STEPS:threshold type:
  # output type:ACT_VAL:SHARED:mem_mode:resType
  set(index 0)
  set(vvau_sets "")
  foreach(set IN LISTS HLS_SUITE_VVAUS)
    string(REPLACE ":" ";" f "${set}")
    list(GET f 0 channels)
    list(GET f 1 kernel)
    list(GET f 2 pe)
    list(GET f 3 simd)
    list(GET f 4 in_type)
    list(GET f 5 w_type)
    list(GET f 6 no_act)
    list(GET f 7 steps)
    list(GET f 8 t_type)
    list(GET f 9 out_type)
    list(GET f 10 act_val)
    list(GET f 11 shared)
    list(GET f 12 mem_mode)
    list(GET f 13 res_type)
    set(finn_mem_mode "internal_${mem_mode}")
    if(mem_mode STREQUAL "external")
      set(finn_mem_mode external)
    endif()
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${w_type} W)
    finn_hls_datatype(${t_type} T)
    finn_hls_datatype(${out_type} OUT)
    math(EXPR in_width "${pe} * ${simd} * ${IN_BITS}")
    math(EXPR w_width "${pe} * ${simd} * ${W_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    set(wfile "${dir}/vvau${index}_weights.mem")
    set(tfile "${dir}/vvau${index}_thresholds.mem")
    stream_ports(vvau${index} in "in0_V:${in_width};in1_V:${w_width}")
    stream_ports(vvau${index} out "out_V:${out_width}")
    connected_instance(vvau vvau${index}
      ".CHANNELS(${channels}), .KERNEL(${kernel}), .PE(${pe}), .SIMD(${simd}), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .IN_BIPOLAR(${IN_BIPOLAR}), .W_BITS(${W_BITS}), .W_SIGNED(${W_SIGNED}), .W_BIPOLAR(${W_BIPOLAR}), .NO_ACTIVATION(${no_act}), .STEPS(${steps}), .THRESH_BITS(${T_BITS}), .THRESH_SIGNED(${T_SIGNED}), .SHARED_THRESHOLDS(${shared}), .ACT_VAL(${act_val}), .OUT_BITS(${OUT_BITS}), .WEIGHT_FILE(\"${wfile}\"), .THRESH_FILE(\"${tfile}\"), .MEM_MODE(\"${finn_mem_mode}\"), .RES_TYPE(\"${res_type}\")"
      "in0_V;in1_V;out_V")
    string(APPEND vvau_sets " \\\n    X(${index}, ${channels}, ${kernel}, ${pe}, ${simd}, \"${in_type}\", \"${w_type}\", ${no_act}, ${steps}, \"${t_type}\", \"${out_type}\", ${act_val}, ${shared}, \"${wfile}\", \"${tfile}\", \"${mem_mode}\", \"${res_type}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  file(CONFIGURE OUTPUT ${dir}/hls_stream_layer_suite.sv CONTENT
"// Generated by tests/hls/hls_stream_layer_suite.cmake: every tested parameter set side by side.
module hls_stream_layer_suite (
${ports}
);
${body}endmodule
" @ONLY)
  file(CONFIGURE OUTPUT ${dir}/hls_stream_layer_suite_sets.h CONTENT
"// Generated by tests/hls/hls_stream_layer_suite.cmake: the parameter sets of
// hls_stream_layer_suite.sv.
#pragma once
// X(index, channels, pe, type, outputs, (output ports of `top`))
#define HLS_SUITE_DUPLICATES(X)${dup_sets}
// X(index, channels, pe, input, output)
#define HLS_SUITE_ADDS(X)${add_sets}
// X(index, channels, pe, func, input, parameter, output, shared, parameter_file)
#define HLS_SUITE_CHANNELWISE(X)${cwo_sets}
// X(index, channels, kernel, pe, simd, input, weight, no_activation, steps, threshold, output,
//   act_val, shared, weight_file, threshold_file, mem_mode, res_type)
#define HLS_SUITE_VVAUS(X)${vvau_sets}
" @ONLY)
endfunction()
