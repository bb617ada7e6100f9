# Writes <dir>/hls_stream_layer_suite.sv, a top module instantiating every parameter set of
# HLS_SUITE_DUPLICATES, HLS_SUITE_ADDS, HLS_SUITE_CHANNELWISE and HLS_SUITE_VVAUS side by side
# (ports prefixed dup<i>_, add<i>_, cwo<i>_, vvau<i>_; DuplicateStreams' outputs split into
# dup<i>_out<j>_V as the node wrapper names them), and <dir>/hls_stream_layer_suite_sets.h, the
# same sets as X-macros for the C++ test. Memory files are <dir>/cwo<i>_params.mem,
# <dir>/vvau<i>_weights.mem and <dir>/vvau<i>_thresholds.mem: the test writes fresh random
# contents before constructing the model, so one Verilator build serves all data. Only rewritten
# when the content changes. Needs hls_suite_writer.cmake.

function(finn_hls_write_stream_layer_suite dir)
  set(ports "")
  set(body "")

  # DuplicateStreams: CHANNELS:PE:type:OUTPUTS
  set(index 0)
  set(dup_sets "")
  foreach(set IN LISTS HLS_SUITE_DUPLICATES)
    finn_hls_fields("${set}" channels pe type outputs)
    finn_hls_datatype(${type} IN)
    math(EXPR width "${pe} * ${IN_BITS}")
    math(EXPR axi "(${width} + 7) / 8 * 8")
    set(instance dup${index})
    finn_hls_suite_streams(${instance} in "in0_V:${width}")
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
      finn_hls_suite_streams(${instance} out "out${j}_V:${width}")
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
    finn_hls_fields("${set}" channels pe in_type out_type)
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${out_type} OUT)
    math(EXPR in_width "${pe} * ${IN_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    finn_hls_suite_instance(add_streams add${index}
      ".CHANNELS(${channels}), .PE(${pe}), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .OUT_BITS(${OUT_BITS})"
      INPUTS in0_V:${in_width} in1_V:${in_width} OUTPUTS out_V:${out_width})
    string(APPEND add_sets " \\\n    X(${index}, ${channels}, ${pe}, \"${in_type}\", \"${out_type}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # ChannelwiseOp: CHANNELS:PE:Func:input type:parameter type:output type:SHARED
  set(index 0)
  set(cwo_sets "")
  foreach(set IN LISTS HLS_SUITE_CHANNELWISE)
    finn_hls_fields("${set}" channels pe func in_type p_type out_type shared)
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${p_type} P)
    finn_hls_datatype(${out_type} OUT)
    math(EXPR in_width "${pe} * ${IN_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    set(file "${dir}/cwo${index}_params.mem")
    finn_hls_suite_instance(channelwise_op cwo${index}
      ".CHANNELS(${channels}), .PE(${pe}), .FUNC(\"${func}\"), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .P_BITS(${P_BITS}), .P_SIGNED(${P_SIGNED}), .OUT_BITS(${OUT_BITS}), .SHARED_PARAMS(${shared}), .PARAM_FILE(\"${file}\")"
      INPUTS in0_V:${in_width} OUTPUTS out_V:${out_width})
    string(APPEND cwo_sets " \\\n    X(${index}, ${channels}, ${pe}, \"${func}\", \"${in_type}\", \"${p_type}\", \"${out_type}\", ${shared}, \"${file}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # VVAU: CHANNELS:KERNEL:PE:SIMD:input:weight type:NO_ACTIVATION:STEPS:threshold type:
  # output type:ACT_VAL:SHARED:mem_mode:resType
  set(index 0)
  set(vvau_sets "")
  foreach(set IN LISTS HLS_SUITE_VVAUS)
    finn_hls_fields("${set}" channels kernel pe simd in_type w_type no_act steps t_type out_type
      act_val shared mem_mode res_type)
    finn_hls_mem_mode(${mem_mode} finn_mem_mode)
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${w_type} W)
    finn_hls_datatype(${t_type} T)
    finn_hls_datatype(${out_type} OUT)
    math(EXPR in_width "${pe} * ${simd} * ${IN_BITS}")
    math(EXPR w_width "${pe} * ${simd} * ${W_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    set(wfile "${dir}/vvau${index}_weights.mem")
    set(tfile "${dir}/vvau${index}_thresholds.mem")
    finn_hls_suite_instance(vvau vvau${index}
      ".CHANNELS(${channels}), .KERNEL(${kernel}), .PE(${pe}), .SIMD(${simd}), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .IN_BIPOLAR(${IN_BIPOLAR}), .W_BITS(${W_BITS}), .W_SIGNED(${W_SIGNED}), .W_BIPOLAR(${W_BIPOLAR}), .NO_ACTIVATION(${no_act}), .STEPS(${steps}), .THRESH_BITS(${T_BITS}), .THRESH_SIGNED(${T_SIGNED}), .SHARED_THRESHOLDS(${shared}), .ACT_VAL(${act_val}), .OUT_BITS(${OUT_BITS}), .WEIGHT_FILE(\"${wfile}\"), .THRESH_FILE(\"${tfile}\"), .MEM_MODE(\"${finn_mem_mode}\"), .RES_TYPE(\"${res_type}\")"
      INPUTS in0_V:${in_width} in1_V:${w_width} OUTPUTS out_V:${out_width})
    string(APPEND vvau_sets " \\\n    X(${index}, ${channels}, ${kernel}, ${pe}, ${simd}, \"${in_type}\", \"${w_type}\", ${no_act}, ${steps}, \"${t_type}\", \"${out_type}\", ${act_val}, ${shared}, \"${wfile}\", \"${tfile}\", \"${mem_mode}\", \"${res_type}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  finn_hls_write_suite_files(${dir} hls_stream_layer_suite "\
// X(index, channels, pe, type, outputs, (output ports of `top`))
#define HLS_SUITE_DUPLICATES(X)${dup_sets}
// X(index, channels, pe, input, output)
#define HLS_SUITE_ADDS(X)${add_sets}
// X(index, channels, pe, func, input, parameter, output, shared, parameter_file)
#define HLS_SUITE_CHANNELWISE(X)${cwo_sets}
// X(index, channels, kernel, pe, simd, input, weight, no_activation, steps, threshold, output,
//   act_val, shared, weight_file, threshold_file, mem_mode, res_type)
#define HLS_SUITE_VVAUS(X)${vvau_sets}
")
endfunction()
