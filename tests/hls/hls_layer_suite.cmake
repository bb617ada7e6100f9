# Writes <dir>/hls_layer_suite.sv, a top module instantiating every parameter set of
# HLS_SUITE_THRESHOLDINGS, HLS_SUITE_MVAUS and HLS_SUITE_LABEL_SELECTS side by side (ports
# prefixed thr<i>_, mvau<i>_, lsel<i>_), and <dir>/hls_layer_suite_sets.h, the same sets as
# X-macros for the C++ test. Memory files are <dir>/thr<i>.mem, <dir>/mvau<i>_weights.mem and
# <dir>/mvau<i>_thresholds.mem: the test writes fresh random contents before constructing the
# model, so one Verilator build serves all data. Only rewritten when the content changes, so an
# unchanged suite is not re-Verilated. Needs hls_suite_writer.cmake.

function(finn_hls_write_layer_suite dir)
  set(ports "")
  set(body "")
  set(thr_sets "")
  set(mvau_sets "")

  # CHANNELS:PE:STEPS:input type:threshold type:output type:ACT_VAL:SHARED
  set(index 0)
  foreach(set IN LISTS HLS_SUITE_THRESHOLDINGS)
    finn_hls_fields("${set}" channels pe steps in_type t_type out_type act_val shared)
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${t_type} T)
    finn_hls_datatype(${out_type} OUT)
    set(file "${dir}/thr${index}.mem")
    math(EXPR in_width "${pe} * ${IN_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    finn_hls_suite_instance(thresholding thr${index}
      ".CHANNELS(${channels}), .PE(${pe}), .STEPS(${steps}), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .THRESH_BITS(${T_BITS}), .THRESH_SIGNED(${T_SIGNED}), .OUT_BITS(${OUT_BITS}), .ACT_VAL(${act_val}), .SHARED_THRESHOLDS(${shared}), .THRESH_FILE(\"${file}\")"
      INPUTS in0_V:${in_width} OUTPUTS out_V:${out_width})
    string(APPEND thr_sets " \\\n    X(${index}, ${channels}, ${pe}, ${steps}, \"${in_type}\", \"${t_type}\", \"${out_type}\", ${act_val}, ${shared}, \"${file}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # MW:MH:PE:SIMD:input type:weight type:XNOR:NO_ACTIVATION:STEPS:threshold type:output type:
  # ACT_VAL:SHARED:mem_mode:resType (mem_mode embedded, decoupled or external)
  set(index 0)
  foreach(set IN LISTS HLS_SUITE_MVAUS)
    finn_hls_fields("${set}" mw mh pe simd in_type w_type xnor no_act steps t_type out_type act_val
      shared mem_mode res_type)
    finn_hls_mem_mode(${mem_mode} finn_mem_mode)
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
    finn_hls_suite_instance(mvau mvau${index}
      ".MW(${mw}), .MH(${mh}), .PE(${pe}), .SIMD(${simd}), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .IN_BIPOLAR(${IN_BIPOLAR}), .W_BITS(${W_BITS}), .W_SIGNED(${W_SIGNED}), .W_BIPOLAR(${W_BIPOLAR}), .XNOR(${xnor}), .NO_ACTIVATION(${no_act}), .STEPS(${steps}), .THRESH_BITS(${T_BITS}), .THRESH_SIGNED(${T_SIGNED}), .SHARED_THRESHOLDS(${shared}), .ACT_VAL(${act_val}), .OUT_BITS(${OUT_BITS}), .WEIGHT_FILE(\"${wfile}\"), .THRESH_FILE(\"${tfile}\"), .MEM_MODE(\"${finn_mem_mode}\"), .RES_TYPE(\"${res_type}\")"
      INPUTS in0_V:${in_width} in1_V:${in1_width} OUTPUTS out_V:${out_width})
    string(APPEND mvau_sets " \\\n    X(${index}, ${mw}, ${mh}, ${pe}, ${simd}, \"${in_type}\", \"${w_type}\", ${xnor}, ${no_act}, ${steps}, \"${t_type}\", \"${out_type}\", ${act_val}, ${shared}, \"${wfile}\", \"${tfile}\", \"${mem_mode}\", \"${res_type}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # LABELS:PE:K:input type:OUT_BITS
  set(index 0)
  set(lsel_sets "")
  foreach(set IN LISTS HLS_SUITE_LABEL_SELECTS)
    finn_hls_fields("${set}" labels pe k in_type out_bits)
    finn_hls_datatype(${in_type} IN)
    math(EXPR in_width "${pe} * ${IN_BITS}")
    finn_hls_suite_instance(label_select lsel${index}
      ".LABELS(${labels}), .PE(${pe}), .K(${k}), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .OUT_BITS(${out_bits})"
      INPUTS in0_V:${in_width} OUTPUTS out_V:${out_bits})
    string(APPEND lsel_sets " \\\n    X(${index}, ${labels}, ${pe}, ${k}, \"${in_type}\", ${out_bits})")
    math(EXPR index "${index} + 1")
  endforeach()

  finn_hls_write_suite_files(${dir} hls_layer_suite "\
// X(index, channels, pe, steps, input, threshold, output, act_val, shared, threshold_file)
#define HLS_SUITE_THRESHOLDINGS(X)${thr_sets}
// X(index, mw, mh, pe, simd, input, weight, xnor, no_activation, steps, threshold, output,
//   act_val, shared, weight_file, threshold_file, mem_mode, res_type)
#define HLS_SUITE_MVAUS(X)${mvau_sets}
// X(index, labels, pe, k, input, out_bits)
#define HLS_SUITE_LABEL_SELECTS(X)${lsel_sets}
")
endfunction()
