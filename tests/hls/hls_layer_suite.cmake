# Writes <dir>/hls_layer_suite.sv, a top module instantiating every parameter set of
# HLS_SUITE_THRESHOLDINGS, HLS_SUITE_MVAUS and HLS_SUITE_LABEL_SELECTS side by side (ports
# prefixed thr<i>_, mvau<i>_, lsel<i>_), and <dir>/hls_layer_suite_sets.h, the same sets as
# X-macros for the C++ test. Memory files are <dir>/thr<i>.mem, <dir>/mvau<i>_weights.mem and
# <dir>/mvau<i>_thresholds.mem: the test writes fresh random contents before constructing the
# model, so one Verilator build serves all data. Only rewritten when the content changes, so an
# unchanged suite is not re-Verilated.

# <prefix>_BITS, <prefix>_SIGNED and <prefix>_BIPOLAR of a FINN integer datatype name.
function(finn_hls_datatype name prefix)
  set(bipolar 0)
  if(name STREQUAL "BIPOLAR")
    set(bits 1)
    set(signed 0)
    set(bipolar 1)
  elseif(name STREQUAL "BINARY")
    set(bits 1)
    set(signed 0)
  elseif(name STREQUAL "TERNARY")
    set(bits 2)
    set(signed 1)
  elseif(name MATCHES "^UINT([0-9]+)$")
    set(bits ${CMAKE_MATCH_1})
    set(signed 0)
  elseif(name MATCHES "^INT([0-9]+)$")
    set(bits ${CMAKE_MATCH_1})
    set(signed 1)
  else()
    message(FATAL_ERROR "hls_layer_suite: not an integer FINN datatype: ${name}")
  endif()
  set(${prefix}_BITS ${bits} PARENT_SCOPE)
  set(${prefix}_SIGNED ${signed} PARENT_SCOPE)
  set(${prefix}_BIPOLAR ${bipolar} PARENT_SCOPE)
endfunction()

function(finn_hls_write_layer_suite dir)
  set(ports "    input logic ap_clk,\n    input logic ap_rst_n")
  set(body "")
  set(thr_sets "")
  set(mvau_sets "")

  # One layer instance with its streams exposed as <instance>_<stream>: in0_V and out_V, and
  # in1_V when in1_width is not 0.
  macro(layer_instance module instance parameters in_width out_width in1_width)
    set(streams in0_V)
    math(EXPR in0_V_axi "(${in_width} + 7) / 8 * 8")
    if(NOT ${in1_width} EQUAL 0)
      list(APPEND streams in1_V)
      math(EXPR in1_V_axi "(${in1_width} + 7) / 8 * 8")
    endif()
    math(EXPR axi_out "(${out_width} + 7) / 8 * 8")
    foreach(stream IN LISTS streams)
      string(APPEND ports
        ",\n    input  logic [${${stream}_axi}-1:0] ${instance}_${stream}_TDATA,"
        "\n    input  logic ${instance}_${stream}_TVALID,\n    output logic ${instance}_${stream}_TREADY")
    endforeach()
    string(APPEND ports
      ",\n    output logic [${axi_out}-1:0] ${instance}_out_V_TDATA,"
      "\n    output logic ${instance}_out_V_TVALID,\n    input  logic ${instance}_out_V_TREADY")
    string(APPEND body "    ${module} #(${parameters}) ${instance} (\n        .ap_clk, .ap_rst_n,\n")
    foreach(stream IN LISTS streams ITEMS out_V)
      string(APPEND body "        .${stream}_TDATA(${instance}_${stream}_TDATA),"
                         " .${stream}_TVALID(${instance}_${stream}_TVALID),"
                         " .${stream}_TREADY(${instance}_${stream}_TREADY)")
      if(NOT stream STREQUAL "out_V")
        string(APPEND body ",\n")
      endif()
    endforeach()
    string(APPEND body ");\n")
  endmacro()

  # CHANNELS:PE:STEPS:input type:threshold type:output type:ACT_VAL:SHARED
  set(index 0)
  foreach(set IN LISTS HLS_SUITE_THRESHOLDINGS)
    string(REPLACE ":" ";" f "${set}")
    list(GET f 0 channels)
    list(GET f 1 pe)
    list(GET f 2 steps)
    list(GET f 3 in_type)
    list(GET f 4 t_type)
    list(GET f 5 out_type)
    list(GET f 6 act_val)
    list(GET f 7 shared)
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${t_type} T)
    finn_hls_datatype(${out_type} OUT)
    set(file "${dir}/thr${index}.mem")
    math(EXPR in_width "${pe} * ${IN_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    layer_instance(thresholding thr${index}
      ".CHANNELS(${channels}), .PE(${pe}), .STEPS(${steps}), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .THRESH_BITS(${T_BITS}), .THRESH_SIGNED(${T_SIGNED}), .OUT_BITS(${OUT_BITS}), .ACT_VAL(${act_val}), .SHARED_THRESHOLDS(${shared}), .THRESH_FILE(\"${file}\")"
      ${in_width} ${out_width} 0)
    string(APPEND thr_sets " \\\n    X(${index}, ${channels}, ${pe}, ${steps}, \"${in_type}\", \"${t_type}\", \"${out_type}\", ${act_val}, ${shared}, \"${file}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # MW:MH:PE:SIMD:input type:weight type:XNOR:NO_ACTIVATION:STEPS:threshold type:output type:
  # ACT_VAL:SHARED:mem_mode:resType (mem_mode embedded, decoupled or external)
  set(index 0)
  foreach(set IN LISTS HLS_SUITE_MVAUS)
    string(REPLACE ":" ";" f "${set}")
    list(GET f 0 mw)
    list(GET f 1 mh)
    list(GET f 2 pe)
    list(GET f 3 simd)
    list(GET f 4 in_type)
    list(GET f 5 w_type)
    list(GET f 6 xnor)
    list(GET f 7 no_act)
    list(GET f 8 steps)
    list(GET f 9 t_type)
    list(GET f 10 out_type)
    list(GET f 11 act_val)
    list(GET f 12 shared)
    list(GET f 13 mem_mode)
    list(GET f 14 res_type)
    if(NOT mem_mode MATCHES "^(embedded|decoupled|external)$")
      message(FATAL_ERROR "hls_layer_suite: mem_mode '${mem_mode}' is not embedded, decoupled or external")
    endif()
    set(finn_mem_mode "internal_${mem_mode}")
    if(mem_mode STREQUAL "external")
      set(finn_mem_mode external)
    endif()
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${w_type} W)
    finn_hls_datatype(${t_type} T)
    finn_hls_datatype(${out_type} OUT)
    # in1_V exists in every mode (unused, never driven, outside external).
    math(EXPR in1_width "${pe} * ${simd} * ${W_BITS}")
    set(wfile "${dir}/mvau${index}_weights.mem")
    set(tfile "${dir}/mvau${index}_thresholds.mem")
    math(EXPR in_width "${simd} * ${IN_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    layer_instance(mvau mvau${index}
      ".MW(${mw}), .MH(${mh}), .PE(${pe}), .SIMD(${simd}), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .IN_BIPOLAR(${IN_BIPOLAR}), .W_BITS(${W_BITS}), .W_SIGNED(${W_SIGNED}), .W_BIPOLAR(${W_BIPOLAR}), .XNOR(${xnor}), .NO_ACTIVATION(${no_act}), .STEPS(${steps}), .THRESH_BITS(${T_BITS}), .THRESH_SIGNED(${T_SIGNED}), .SHARED_THRESHOLDS(${shared}), .ACT_VAL(${act_val}), .OUT_BITS(${OUT_BITS}), .WEIGHT_FILE(\"${wfile}\"), .THRESH_FILE(\"${tfile}\"), .MEM_MODE(\"${finn_mem_mode}\"), .RES_TYPE(\"${res_type}\")"
      ${in_width} ${out_width} ${in1_width})
    string(APPEND mvau_sets " \\\n    X(${index}, ${mw}, ${mh}, ${pe}, ${simd}, \"${in_type}\", \"${w_type}\", ${xnor}, ${no_act}, ${steps}, \"${t_type}\", \"${out_type}\", ${act_val}, ${shared}, \"${wfile}\", \"${tfile}\", \"${mem_mode}\", \"${res_type}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # LABELS:PE:K:input type:OUT_BITS
  set(index 0)
  set(lsel_sets "")
  foreach(set IN LISTS HLS_SUITE_LABEL_SELECTS)
    string(REPLACE ":" ";" f "${set}")
    list(GET f 0 labels)
    list(GET f 1 pe)
    list(GET f 2 k)
    list(GET f 3 in_type)
    list(GET f 4 out_bits)
    finn_hls_datatype(${in_type} IN)
    math(EXPR in_width "${pe} * ${IN_BITS}")
    layer_instance(label_select lsel${index}
      ".LABELS(${labels}), .PE(${pe}), .K(${k}), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .OUT_BITS(${out_bits})"
      ${in_width} ${out_bits} 0)
    string(APPEND lsel_sets " \\\n    X(${index}, ${labels}, ${pe}, ${k}, \"${in_type}\", ${out_bits})")
    math(EXPR index "${index} + 1")
  endforeach()

  file(CONFIGURE OUTPUT ${dir}/hls_layer_suite.sv CONTENT
"// Generated by tests/hls/hls_layer_suite.cmake: every tested layer parameter set side by side.
module hls_layer_suite (
${ports}
);
${body}endmodule
" @ONLY)
  file(CONFIGURE OUTPUT ${dir}/hls_layer_suite_sets.h CONTENT
"// Generated by tests/hls/hls_layer_suite.cmake: the parameter sets of hls_layer_suite.sv.
#pragma once
// X(index, channels, pe, steps, input, threshold, output, act_val, shared, threshold_file)
#define HLS_SUITE_THRESHOLDINGS(X)${thr_sets}
// X(index, mw, mh, pe, simd, input, weight, xnor, no_activation, steps, threshold, output,
//   act_val, shared, weight_file, threshold_file, mem_mode, res_type)
#define HLS_SUITE_MVAUS(X)${mvau_sets}
// X(index, labels, pe, k, input, out_bits)
#define HLS_SUITE_LABEL_SELECTS(X)${lsel_sets}
" @ONLY)
endfunction()
