# Writes <dir>/hls_pool_suite.sv, a top module instantiating every parameter set of
# HLS_SUITE_MAXPOOLS, HLS_SUITE_POOLS, HLS_SUITE_DOWNSAMPLERS and HLS_SUITE_GLOBAL_ACC_POOLS side
# by side (ports prefixed smp<i>_, pool<i>_, ds<i>_, gap<i>_), and <dir>/hls_pool_suite_sets.h,
# the same sets as X-macros for the C++ test. These layers hold no memory files, so one model
# serves every run. Only rewritten when the content changes, so an unchanged suite is not
# re-Verilated.
include(${CMAKE_CURRENT_LIST_DIR}/hls_layer_suite.cmake) # finn_hls_datatype()

# QuantAvgPool's shift: max(0, bitlength((2^in_bits - 1) * k) - out_bits), finn-ops.md §2.8.
function(finn_hls_quant_avg_shift in_bits out_bits k result)
  math(EXPR largest "((1 << ${in_bits}) - 1) * ${k}")
  set(bits 0)
  while(largest GREATER 0)
    math(EXPR largest "${largest} >> 1")
    math(EXPR bits "${bits} + 1")
  endwhile()
  math(EXPR shift "${bits} - ${out_bits}")
  if(shift LESS 0)
    set(shift 0)
  endif()
  set(${result} ${shift} PARENT_SCOPE)
endfunction()

function(finn_hls_write_pool_suite dir)
  set(ports "    input logic ap_clk,\n    input logic ap_rst_n")
  set(body "")

  # One layer instance with its streams in0_V and out_V exposed as <instance>_<stream>.
  macro(pool_suite_instance module instance parameters in_width out_width)
    math(EXPR axi_in "(${in_width} + 7) / 8 * 8")
    math(EXPR axi_out "(${out_width} + 7) / 8 * 8")
    string(APPEND ports
      ",\n    input  logic [${axi_in}-1:0] ${instance}_in0_V_TDATA,"
      "\n    input  logic ${instance}_in0_V_TVALID,\n    output logic ${instance}_in0_V_TREADY"
      ",\n    output logic [${axi_out}-1:0] ${instance}_out_V_TDATA,"
      "\n    output logic ${instance}_out_V_TVALID,\n    input  logic ${instance}_out_V_TREADY")
    string(APPEND body "    ${module} #(${parameters}) ${instance} (\n        .ap_clk, .ap_rst_n,\n"
      "        .in0_V_TDATA(${instance}_in0_V_TDATA), .in0_V_TVALID(${instance}_in0_V_TVALID),"
      " .in0_V_TREADY(${instance}_in0_V_TREADY),\n"
      "        .out_V_TDATA(${instance}_out_V_TDATA), .out_V_TVALID(${instance}_out_V_TVALID),"
      " .out_V_TREADY(${instance}_out_V_TREADY));\n")
  endmacro()

  # HEIGHT:WIDTH:KH:KW:CEIL_MODE:CHANNELS:PE:type:name
  set(index 0)
  set(smp_sets "")
  foreach(set IN LISTS HLS_SUITE_MAXPOOLS)
    string(REPLACE ":" ";" f "${set}")
    list(GET f 0 h)
    list(GET f 1 w)
    list(GET f 2 kh)
    list(GET f 3 kw)
    list(GET f 4 ceil)
    list(GET f 5 c)
    list(GET f 6 pe)
    list(GET f 7 type)
    list(GET f 8 name)
    finn_hls_datatype(${type} T)
    math(EXPR width "${pe} * ${T_BITS}")
    pool_suite_instance(streaming_maxpool smp${index}
      ".HEIGHT(${h}), .WIDTH(${w}), .KH(${kh}), .KW(${kw}), .CEIL_MODE(${ceil}), .CHANNELS(${c}), .PE(${pe}), .BITS(${T_BITS}), .SIGNED(${T_SIGNED})"
      ${width} ${width})
    string(APPEND smp_sets " \\\n    X(${index}, ${h}, ${w}, ${kh}, ${kw}, ${ceil}, ${c}, ${pe}, \"${type}\", \"${name}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # CHANNELS:PE:K:Function:input type:output type:name
  set(index 0)
  set(pool_sets "")
  foreach(set IN LISTS HLS_SUITE_POOLS)
    string(REPLACE ":" ";" f "${set}")
    list(GET f 0 c)
    list(GET f 1 pe)
    list(GET f 2 k)
    list(GET f 3 function)
    list(GET f 4 in_type)
    list(GET f 5 out_type)
    list(GET f 6 name)
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${out_type} OUT)
    set(shift 0)
    if(function STREQUAL "QuantAvgPool")
      finn_hls_quant_avg_shift(${IN_BITS} ${OUT_BITS} ${k} shift)
    endif()
    math(EXPR in_width "${pe} * ${IN_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    pool_suite_instance(pool pool${index}
      ".CHANNELS(${c}), .PE(${pe}), .K(${k}), .FUNCTION(\"${function}\"), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .IN_BIPOLAR(${IN_BIPOLAR}), .OUT_BITS(${OUT_BITS}), .SHIFT(${shift})"
      ${in_width} ${out_width})
    string(APPEND pool_sets " \\\n    X(${index}, ${c}, ${pe}, ${k}, \"${function}\", \"${in_type}\", \"${out_type}\", ${shift}, \"${name}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # HEIGHT:WIDTH:CHANNELS:SIMD:STRIDE:type:name
  set(index 0)
  set(ds_sets "")
  foreach(set IN LISTS HLS_SUITE_DOWNSAMPLERS)
    string(REPLACE ":" ";" f "${set}")
    list(GET f 0 h)
    list(GET f 1 w)
    list(GET f 2 c)
    list(GET f 3 simd)
    list(GET f 4 stride)
    list(GET f 5 type)
    list(GET f 6 name)
    finn_hls_datatype(${type} T)
    math(EXPR width "${simd} * ${T_BITS}")
    pool_suite_instance(downsampler ds${index}
      ".HEIGHT(${h}), .WIDTH(${w}), .CHANNELS(${c}), .SIMD(${simd}), .STRIDE(${stride}), .BITS(${T_BITS})"
      ${width} ${width})
    string(APPEND ds_sets " \\\n    X(${index}, ${h}, ${w}, ${c}, ${simd}, ${stride}, \"${type}\", \"${name}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # PIXELS:CHANNELS:PE:input type:output type:name
  set(index 0)
  set(gap_sets "")
  foreach(set IN LISTS HLS_SUITE_GLOBAL_ACC_POOLS)
    string(REPLACE ":" ";" f "${set}")
    list(GET f 0 pixels)
    list(GET f 1 c)
    list(GET f 2 pe)
    list(GET f 3 in_type)
    list(GET f 4 out_type)
    list(GET f 5 name)
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${out_type} OUT)
    math(EXPR in_width "${pe} * ${IN_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    pool_suite_instance(global_acc_pool gap${index}
      ".PIXELS(${pixels}), .CHANNELS(${c}), .PE(${pe}), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .IN_BIPOLAR(${IN_BIPOLAR}), .OUT_BITS(${OUT_BITS})"
      ${in_width} ${out_width})
    string(APPEND gap_sets " \\\n    X(${index}, ${pixels}, ${c}, ${pe}, \"${in_type}\", \"${out_type}\", \"${name}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  file(CONFIGURE OUTPUT ${dir}/hls_pool_suite.sv CONTENT
"// Generated by tests/hls/hls_pool_suite.cmake: every tested pooling layer set side by side.
module hls_pool_suite (
${ports}
);
${body}endmodule
" @ONLY)
  file(CONFIGURE OUTPUT ${dir}/hls_pool_suite_sets.h CONTENT
"// Generated by tests/hls/hls_pool_suite.cmake: the parameter sets of hls_pool_suite.sv.
#pragma once
// X(index, height, width, kh, kw, ceil_mode, channels, pe, type, name)
#define HLS_SUITE_MAXPOOLS(X)${smp_sets}
// X(index, channels, pe, k, function, input, output, shift, name)
#define HLS_SUITE_POOLS(X)${pool_sets}
// X(index, height, width, channels, simd, stride, type, name)
#define HLS_SUITE_DOWNSAMPLERS(X)${ds_sets}
// X(index, pixels, channels, pe, input, output, name)
#define HLS_SUITE_GLOBAL_ACC_POOLS(X)${gap_sets}
" @ONLY)
endfunction()
