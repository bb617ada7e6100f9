# Writes <dir>/hls_pool_suite.sv, a top module instantiating every parameter set of
# HLS_SUITE_MAXPOOLS, HLS_SUITE_POOLS, HLS_SUITE_DOWNSAMPLERS and HLS_SUITE_GLOBAL_ACC_POOLS side
# by side (ports prefixed smp<i>_, pool<i>_, ds<i>_, gap<i>_), and <dir>/hls_pool_suite_sets.h,
# the same sets as X-macros for the C++ test. These layers hold no memory files, so one model
# serves every run. Only rewritten when the content changes, so an unchanged suite is not
# re-Verilated.
# Needs hls_suite_writer.cmake.

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
  set(ports "")
  set(body "")

  # HEIGHT:WIDTH:KH:KW:CEIL_MODE:CHANNELS:PE:type:name
  set(index 0)
  set(smp_sets "")
  foreach(set IN LISTS HLS_SUITE_MAXPOOLS)
    finn_hls_fields("${set}" h w kh kw ceil c pe type name)
    finn_hls_datatype(${type} T)
    math(EXPR width "${pe} * ${T_BITS}")
    finn_hls_suite_instance(streaming_maxpool smp${index}
      ".HEIGHT(${h}), .WIDTH(${w}), .KH(${kh}), .KW(${kw}), .CEIL_MODE(${ceil}), .CHANNELS(${c}), .PE(${pe}), .BITS(${T_BITS}), .SIGNED(${T_SIGNED})"
      INPUTS in0_V:${width} OUTPUTS out_V:${width})
    string(APPEND smp_sets " \\\n    X(${index}, ${h}, ${w}, ${kh}, ${kw}, ${ceil}, ${c}, ${pe}, \"${type}\", \"${name}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # CHANNELS:PE:K:Function:input type:output type:name
  set(index 0)
  set(pool_sets "")
  foreach(set IN LISTS HLS_SUITE_POOLS)
    finn_hls_fields("${set}" c pe k function in_type out_type name)
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${out_type} OUT)
    set(shift 0)
    if(function STREQUAL "QuantAvgPool")
      finn_hls_quant_avg_shift(${IN_BITS} ${OUT_BITS} ${k} shift)
    endif()
    math(EXPR in_width "${pe} * ${IN_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    finn_hls_suite_instance(pool pool${index}
      ".CHANNELS(${c}), .PE(${pe}), .K(${k}), .FUNCTION(\"${function}\"), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .IN_BIPOLAR(${IN_BIPOLAR}), .OUT_BITS(${OUT_BITS}), .SHIFT(${shift})"
      INPUTS in0_V:${in_width} OUTPUTS out_V:${out_width})
    string(APPEND pool_sets " \\\n    X(${index}, ${c}, ${pe}, ${k}, \"${function}\", \"${in_type}\", \"${out_type}\", ${shift}, \"${name}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # HEIGHT:WIDTH:CHANNELS:SIMD:STRIDE:type:name
  set(index 0)
  set(ds_sets "")
  foreach(set IN LISTS HLS_SUITE_DOWNSAMPLERS)
    finn_hls_fields("${set}" h w c simd stride type name)
    finn_hls_datatype(${type} T)
    math(EXPR width "${simd} * ${T_BITS}")
    finn_hls_suite_instance(downsampler ds${index}
      ".HEIGHT(${h}), .WIDTH(${w}), .CHANNELS(${c}), .SIMD(${simd}), .STRIDE(${stride}), .BITS(${T_BITS})"
      INPUTS in0_V:${width} OUTPUTS out_V:${width})
    string(APPEND ds_sets " \\\n    X(${index}, ${h}, ${w}, ${c}, ${simd}, ${stride}, \"${type}\", \"${name}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  # PIXELS:CHANNELS:PE:input type:output type:name
  set(index 0)
  set(gap_sets "")
  foreach(set IN LISTS HLS_SUITE_GLOBAL_ACC_POOLS)
    finn_hls_fields("${set}" pixels c pe in_type out_type name)
    finn_hls_datatype(${in_type} IN)
    finn_hls_datatype(${out_type} OUT)
    math(EXPR in_width "${pe} * ${IN_BITS}")
    math(EXPR out_width "${pe} * ${OUT_BITS}")
    finn_hls_suite_instance(global_acc_pool gap${index}
      ".PIXELS(${pixels}), .CHANNELS(${c}), .PE(${pe}), .IN_BITS(${IN_BITS}), .IN_SIGNED(${IN_SIGNED}), .IN_BIPOLAR(${IN_BIPOLAR}), .OUT_BITS(${OUT_BITS})"
      INPUTS in0_V:${in_width} OUTPUTS out_V:${out_width})
    string(APPEND gap_sets " \\\n    X(${index}, ${pixels}, ${c}, ${pe}, \"${in_type}\", \"${out_type}\", \"${name}\")")
    math(EXPR index "${index} + 1")
  endforeach()

  finn_hls_write_suite_files(${dir} hls_pool_suite "\
// X(index, height, width, kh, kw, ceil_mode, channels, pe, type, name)
#define HLS_SUITE_MAXPOOLS(X)${smp_sets}
// X(index, channels, pe, k, function, input, output, shift, name)
#define HLS_SUITE_POOLS(X)${pool_sets}
// X(index, height, width, channels, simd, stride, type, name)
#define HLS_SUITE_DOWNSAMPLERS(X)${ds_sets}
// X(index, pixels, channels, pe, input, output, name)
#define HLS_SUITE_GLOBAL_ACC_POOLS(X)${gap_sets}
")
endfunction()
