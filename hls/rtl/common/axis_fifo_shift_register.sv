// First-word-fall-through AXI-Stream FIFO for small depths, in the style of an SRL FIFO: words
// shift in at one end and are read at a moving tap (the oldest word), so FPGA tools map the
// storage to shift-register LUTs (Xilinx SRL16/SRLC32) instead of flip-flops and muxes.
// Capacity is exactly DEPTH words; one word per cycle in and out.
//
// WORD_STORAGE picks how the same storage is written: 0, one shift chain per bit with its own
// tap, the form synthesis tools map to SRLs (Yosys and Vivado get it: they do not define
// VERILATOR); 1, whole words that shift and one word-wide tap, which a simulator evaluates as a
// few word copies instead of WIDTH single-bit chains (Verilator's default: on FINN's TFC the
// bit chains of one 392-bit FIFO were 43 % of the stitched simulation's instructions). The two
// hold the same bits in the same places; tests/hls's FIFO suite simulates both.
module axis_fifo_shift_register #(
    parameter int WIDTH = 8,
    parameter int DEPTH = 2,
`ifdef VERILATOR
    parameter int WORD_STORAGE = 1,
`else
    parameter int WORD_STORAGE = 0,
`endif
    localparam int COUNT_BITS = $clog2(DEPTH + 1)
) (
    input  logic                  ap_clk,
    input  logic                  ap_rst_n,

    input  logic [WIDTH-1:0]      s_axis_tdata,
    input  logic                  s_axis_tvalid,
    output logic                  s_axis_tready,

    output logic [WIDTH-1:0]      m_axis_tdata,
    output logic                  m_axis_tvalid,
    input  logic                  m_axis_tready,

    output logic [COUNT_BITS-1:0] count
);
    logic push, pop;

    assign m_axis_tvalid = count != 0;
    // With one slot, a full FIFO must accept while it is being emptied, or it would only pass a
    // word every other cycle; deeper FIFOs keep tready registered (no path from m_axis_tready).
    if (DEPTH == 1) begin : g_single_slot
        assign s_axis_tready = count == 0 || m_axis_tready;
    end else begin : g_multi_slot
        assign s_axis_tready = count != COUNT_BITS'(DEPTH);
    end
    assign push = s_axis_tvalid && s_axis_tready;
    assign pop  = m_axis_tvalid && m_axis_tready;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) count <= '0;
        else if (push && !pop) count <= count + 1'b1;
        else if (pop && !push) count <= count - 1'b1;
    end

    if (DEPTH == 1) begin : g_register
        logic [WIDTH-1:0] word;
        always_ff @(posedge ap_clk) if (push) word <= s_axis_tdata;
        assign m_axis_tdata = word;
    end else begin : g_shift
        logic [$clog2(DEPTH)-1:0] oldest;
        assign oldest = count == 0 ? '0 : $clog2(DEPTH)'(count - 1'b1);

        if (WORD_STORAGE != 0) begin : g_words
            logic [WIDTH-1:0] words[DEPTH];  // words[i]: the word pushed i pushes ago
            always_ff @(posedge ap_clk) begin
                if (push) begin
                    words[0] <= s_axis_tdata;
                    for (int i = 1; i < DEPTH; i++)
                        words[i] <= words[i - 1];
                end
            end
            assign m_axis_tdata = words[oldest];
        end else begin : g_chains
            for (genvar b = 0; b < WIDTH; b++) begin : g_bit
                logic [DEPTH-1:0] chain;  // chain[i]: bit b of the word pushed i pushes ago
                always_ff @(posedge ap_clk) if (push) chain <= {chain[DEPTH-2:0], s_axis_tdata[b]};
                assign m_axis_tdata[b] = chain[oldest];
            end
        end
    end
endmodule
