# Writes <dir>/hls_window_suite.sv, a top module instantiating every parameter set of
# HLS_SUITE_SWGS (ConvolutionInputGenerator) and HLS_SUITE_FMPADDINGS side by side (ports prefixed
# swg<i>_, pad<i>_), and <dir>/hls_window_suite_sets.h, the same sets as X-macros for the C++
# test: one Verilator build serves every set. Only rewritten when the content changes.
#
# SWG sets: IH:IW:KH:KW:SH:SW:DH:DW:C:SIMD:type:parallel_window:depthwise:ram_style:name
# FMPadding sets: H:W:top:left:bottom:right:C:SIMD:type:name
# (name: the corner case the set covers, printed by the test). Needs hls_suite_writer.cmake.

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
  set(ports "")
  set(body "")
  set(swg_sets "")
  set(pad_sets "")

  set(index 0)
  foreach(set IN LISTS HLS_SUITE_SWGS)
    finn_hls_fields("${set}" ih iw kh kw sh sw dh dw c simd type parallel dws style name)
    finn_hls_datatype(${type} T)
    math(EXPR in_width "${simd} * ${T_BITS}")
    set(out_width ${in_width})
    if(parallel)
      math(EXPR out_width "${kh} * ${kw} * ${in_width}")
    endif()
    finn_hls_suite_instance(convolution_input_generator swg${index}
      ".IFM_H(${ih}), .IFM_W(${iw}), .KERNEL_H(${kh}), .KERNEL_W(${kw}), .STRIDE_H(${sh}), .STRIDE_W(${sw}), .DILATION_H(${dh}), .DILATION_W(${dw}), .CHANNELS(${c}), .SIMD(${simd}), .BITS(${T_BITS}), .PARALLEL_WINDOW(${parallel}), .RAM_STYLE(\"${style}\")"
      INPUTS in0_V:${in_width} OUTPUTS out_V:${out_width})
    string(APPEND swg_sets " \\\n    X(${index}, ${ih}, ${iw}, ${kh}, ${kw}, ${sh}, ${sw}, ${dh}, ${dw}, ${c}, ${simd}, \"${type}\", ${parallel}, ${dws}, \"${style}\", \"${name}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  set(index 0)
  foreach(set IN LISTS HLS_SUITE_FMPADDINGS)
    finn_hls_fields("${set}" h w top left bottom right c simd type name)
    finn_hls_datatype(${type} T)
    math(EXPR width "${simd} * ${T_BITS}")
    finn_hls_suite_instance(fmpadding pad${index}
      ".IMG_H(${h}), .IMG_W(${w}), .PAD_TOP(${top}), .PAD_LEFT(${left}), .PAD_BOTTOM(${bottom}), .PAD_RIGHT(${right}), .CHANNELS(${c}), .SIMD(${simd}), .BITS(${T_BITS})"
      INPUTS in0_V:${width} OUTPUTS out_V:${width})
    string(APPEND pad_sets " \\\n    X(${index}, ${h}, ${w}, ${top}, ${left}, ${bottom}, ${right}, ${c}, ${simd}, \"${type}\", \"${name}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  finn_hls_write_suite_files(${dir} hls_window_suite "\
// X(index, ih, iw, kh, kw, sh, sw, dh, dw, channels, simd, type, parallel_window, depthwise,
//   ram_style, name)
#define HLS_SUITE_SWGS(X)${swg_sets}
// X(index, h, w, top, left, bottom, right, channels, simd, type, name)
#define HLS_SUITE_FMPADDINGS(X)${pad_sets}
")
endfunction()
