# Writes <dir>/hls_window_suite.sv, a top module instantiating every parameter set of
# HLS_SUITE_SWGS (ConvolutionInputGenerator) and HLS_SUITE_FMPADDINGS side by side (ports prefixed
# swg<i>_, pad<i>_), and <dir>/hls_window_suite_sets.h, the same sets as X-macros for the C++
# test: one Verilator build serves every set. Only rewritten when the content changes.
#
# SWG sets: IH:IW:KH:KW:SH:SW:DH:DW:C:SIMD:type:parallel_window:depthwise:ram_style:name
# FMPadding sets: H:W:top:left:bottom:right:C:SIMD:type:name
# (name: the corner case the set covers, printed by the test). Needs finn_hls_datatype
# (hls_layer_suite.cmake).

# finn_hls_random_swg_sets(<out_var> <count> <seed>): <count> SWG sets drawn at configure time
# with a fixed seed (finn_hls_draw, hls_random_mvau_sets.cmake): image 1..9 per axis, kernel,
# stride and dilation 1..3 that fit, channels 1..6 with a random SIMD divisor, a random type,
# depthwise or not, ram_style, and the parallel window for some sets with SIMD = C.
function(finn_hls_random_swg_sets out_var count seed)
  set(FINN_HLS_RANDOM_STATE ${seed})
  set(types BIPOLAR BINARY TERNARY INT2 UINT3 INT4 UINT8 INT5)
  set(styles auto block distributed ultra)
  set(sets "")
  foreach(i RANGE 1 ${count})
    finn_hls_draw(kh 3)
    finn_hls_draw(kw 3)
    finn_hls_draw(dh 2)
    finn_hls_draw(dw 2)
    finn_hls_draw(sh 3)
    finn_hls_draw(sw 3)
    foreach(v kh kw dh dw sh sw)
      math(EXPR ${v} "${${v}} + 1")
    endforeach()
    math(EXPR min_h "${dh} * (${kh} - 1) + 1")
    math(EXPR min_w "${dw} * (${kw} - 1) + 1")
    finn_hls_draw(extra_h 5)
    finn_hls_draw(extra_w 5)
    math(EXPR ih "${min_h} + ${extra_h}")
    math(EXPR iw "${min_w} + ${extra_w}")
    finn_hls_draw(c 6)
    math(EXPR c "${c} + 1")
    set(simd 1)
    foreach(d RANGE 1 ${c})
      math(EXPR r "${c} % ${d}")
      finn_hls_draw(take 2)
      if(r EQUAL 0 AND take EQUAL 1)
        set(simd ${d})
      endif()
    endforeach()
    finn_hls_draw(t 8)
    list(GET types ${t} type)
    finn_hls_draw(dws 2)
    finn_hls_draw(s 4)
    list(GET styles ${s} style)
    set(parallel 0)
    finn_hls_draw(p 3)
    if(p EQUAL 0)
      set(simd ${c})
      set(parallel 1)
    endif()
    list(APPEND sets "${ih}:${iw}:${kh}:${kw}:${sh}:${sw}:${dh}:${dw}:${c}:${simd}:${type}:${parallel}:${dws}:${style}:random${i}")
  endforeach()
  set(${out_var} ${sets} PARENT_SCOPE)
endfunction()

function(finn_hls_write_window_suite dir)
  set(ports "    input logic ap_clk,\n    input logic ap_rst_n")
  set(body "")
  set(swg_sets "")
  set(pad_sets "")

  # One layer instance with its streams exposed as <instance>_in0_V and <instance>_out_V.
  macro(window_instance module instance parameters in_width out_width)
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

  set(index 0)
  foreach(set IN LISTS HLS_SUITE_SWGS)
    string(REPLACE ":" ";" f "${set}")
    list(LENGTH f n)
    if(NOT n EQUAL 15)
      message(FATAL_ERROR "hls_window_suite: SWG set '${set}' does not have 15 fields")
    endif()
    list(GET f 0 ih)
    list(GET f 1 iw)
    list(GET f 2 kh)
    list(GET f 3 kw)
    list(GET f 4 sh)
    list(GET f 5 sw)
    list(GET f 6 dh)
    list(GET f 7 dw)
    list(GET f 8 c)
    list(GET f 9 simd)
    list(GET f 10 type)
    list(GET f 11 parallel)
    list(GET f 12 dws)
    list(GET f 13 style)
    list(GET f 14 name)
    finn_hls_datatype(${type} T)
    math(EXPR in_width "${simd} * ${T_BITS}")
    set(out_width ${in_width})
    if(parallel)
      math(EXPR out_width "${kh} * ${kw} * ${in_width}")
    endif()
    window_instance(convolution_input_generator swg${index}
      ".IFM_H(${ih}), .IFM_W(${iw}), .KERNEL_H(${kh}), .KERNEL_W(${kw}), .STRIDE_H(${sh}), .STRIDE_W(${sw}), .DILATION_H(${dh}), .DILATION_W(${dw}), .CHANNELS(${c}), .SIMD(${simd}), .BITS(${T_BITS}), .PARALLEL_WINDOW(${parallel}), .RAM_STYLE(\"${style}\")"
      ${in_width} ${out_width})
    string(APPEND swg_sets " \\\n    X(${index}, ${ih}, ${iw}, ${kh}, ${kw}, ${sh}, ${sw}, ${dh}, ${dw}, ${c}, ${simd}, \"${type}\", ${parallel}, ${dws}, \"${style}\", \"${name}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  set(index 0)
  foreach(set IN LISTS HLS_SUITE_FMPADDINGS)
    string(REPLACE ":" ";" f "${set}")
    list(LENGTH f n)
    if(NOT n EQUAL 10)
      message(FATAL_ERROR "hls_window_suite: FMPadding set '${set}' does not have 10 fields")
    endif()
    list(GET f 0 h)
    list(GET f 1 w)
    list(GET f 2 top)
    list(GET f 3 left)
    list(GET f 4 bottom)
    list(GET f 5 right)
    list(GET f 6 c)
    list(GET f 7 simd)
    list(GET f 8 type)
    list(GET f 9 name)
    finn_hls_datatype(${type} T)
    math(EXPR width "${simd} * ${T_BITS}")
    window_instance(fmpadding pad${index}
      ".IMG_H(${h}), .IMG_W(${w}), .PAD_TOP(${top}), .PAD_LEFT(${left}), .PAD_BOTTOM(${bottom}), .PAD_RIGHT(${right}), .CHANNELS(${c}), .SIMD(${simd}), .BITS(${T_BITS})"
      ${width} ${width})
    string(APPEND pad_sets " \\\n    X(${index}, ${h}, ${w}, ${top}, ${left}, ${bottom}, ${right}, ${c}, ${simd}, \"${type}\", \"${name}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  file(CONFIGURE OUTPUT ${dir}/hls_window_suite.sv CONTENT
"// Generated by tests/hls/hls_window_suite.cmake: every tested window layer set side by side.
module hls_window_suite (
${ports}
);
${body}endmodule
" @ONLY)
  file(CONFIGURE OUTPUT ${dir}/hls_window_suite_sets.h CONTENT
"// Generated by tests/hls/hls_window_suite.cmake: the parameter sets of hls_window_suite.sv.
#pragma once
// X(index, ih, iw, kh, kw, sh, sw, dh, dw, channels, simd, type, parallel_window, depthwise,
//   ram_style, name)
#define HLS_SUITE_SWGS(X)${swg_sets}
// X(index, h, w, top, left, bottom, right, channels, simd, type, name)
#define HLS_SUITE_FMPADDINGS(X)${pad_sets}
" @ONLY)
endfunction()
