# Writes <dir>/hls_suite.sv, a top module instantiating every parameter set of HLS_SUITE_FIFOS,
# HLS_SUITE_DWCS, one skid buffer and one memory streamer (HLS_SUITE_STREAMER, WIDTH:DEPTH, image
# <dir>/streamer.mem, written by the test before it constructs the model) side by side (ports
# prefixed fifo<i>_, dwc<i>_, skid_, streamer_), and <dir>/hls_suite_sets.h, the same sets as
# X-macros for the C++ test. Only rewritten when the content changes, so an unchanged suite is not
# re-Verilated. Needs hls_suite_writer.cmake.
function(finn_hls_write_suite dir)
  set(ports "")
  set(body "")
  set(fifo_sets "")
  set(dwc_sets "")

  set(index 0)
  foreach(set IN LISTS HLS_SUITE_FIFOS)
    finn_hls_fields("${set}" depth width storage)
    # $clog2(DEPTH + 1): the width of the count and maxcount ports.
    set(count_bits 1)
    math(EXPR capacity "1 << ${count_bits}")
    while(capacity LESS_EQUAL depth)
      math(EXPR count_bits "${count_bits} + 1")
      math(EXPR capacity "1 << ${count_bits}")
    endwhile()
    finn_hls_suite_instance(streaming_fifo fifo${index}
      ".DEPTH(${depth}), .WIDTH(${width}), .WORD_STORAGE(${storage})"
      INPUTS in0_V:${width} OUTPUTS out_V:${width}
      CONNECT ".count(fifo${index}_count), .maxcount(fifo${index}_maxcount)")
    string(APPEND ports ",\n    output logic [${count_bits}-1:0] fifo${index}_count,"
                        "\n    output logic [${count_bits}-1:0] fifo${index}_maxcount")
    string(APPEND fifo_sets " \\\n    X(${index}, ${depth}, ${width}, ${storage})")
    math(EXPR index "${index} + 1")
  endforeach()

  set(index 0)
  foreach(set IN LISTS HLS_SUITE_DWCS)
    finn_hls_fields("${set}" in_width out_width)
    finn_hls_suite_instance(streaming_dwc dwc${index}
      ".IN_WIDTH(${in_width}), .OUT_WIDTH(${out_width})"
      INPUTS in0_V:${in_width} OUTPUTS out_V:${out_width})
    string(APPEND dwc_sets " \\\n    X(${index}, ${in_width}, ${out_width})")
    math(EXPR index "${index} + 1")
  endforeach()

  # The skid buffer's ports are as wide as its data (no byte padding).
  set(skid ${HLS_SUITE_SKID_WIDTH})
  string(APPEND ports ",\n    input  logic [${skid}-1:0] skid_in0_V_TDATA,"
                      "\n    input  logic skid_in0_V_TVALID,\n    output logic skid_in0_V_TREADY"
                      ",\n    output logic [${skid}-1:0] skid_out_V_TDATA,"
                      "\n    output logic skid_out_V_TVALID,\n    input  logic skid_out_V_TREADY")
  string(APPEND body "    axis_skid_buffer #(.WIDTH(${skid})) skid (\n        .ap_clk, .ap_rst_n,\n"
    "        .s_axis_tdata(skid_in0_V_TDATA), .s_axis_tvalid(skid_in0_V_TVALID),"
    " .s_axis_tready(skid_in0_V_TREADY),\n"
    "        .m_axis_tdata(skid_out_V_TDATA), .m_axis_tvalid(skid_out_V_TVALID),"
    " .m_axis_tready(skid_out_V_TREADY));\n")

  finn_hls_fields("${HLS_SUITE_STREAMER}" streamer_width streamer_depth)
  math(EXPR axi "(${streamer_width} + 7) / 8 * 8")
  finn_hls_suite_streams(streamer out out_V:${streamer_width})
  string(APPEND body "    logic [${streamer_width}-1:0] streamer_data;\n"
    "    memory_streamer #(.WIDTH(${streamer_width}), .DEPTH(${streamer_depth}),"
    " .INIT_FILE(\"${dir}/streamer.mem\")) streamer (\n        .ap_clk, .ap_rst_n,\n"
    "        .m_axis_tdata(streamer_data), .m_axis_tvalid(streamer_out_V_TVALID),"
    " .m_axis_tready(streamer_out_V_TREADY));\n"
    "    assign streamer_out_V_TDATA = ${axi}'(streamer_data);\n")

  finn_hls_write_suite_files(${dir} hls_suite "\
// X(index, depth, width)
#define HLS_SUITE_FIFOS(X)${fifo_sets}
// X(index, in_width, out_width)
#define HLS_SUITE_DWCS(X)${dwc_sets}
#define HLS_SUITE_SKID_WIDTH ${skid}
#define HLS_SUITE_STREAMER_WIDTH ${streamer_width}
#define HLS_SUITE_STREAMER_DEPTH ${streamer_depth}
#define HLS_SUITE_STREAMER_FILE \"${dir}/streamer.mem\"
")
endfunction()
