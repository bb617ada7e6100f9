// Yosys smoke test of DuplicateStreams and AddStreams in one run: a stream duplicated and added
// to itself (y = 2x), as a residual block's skip and main paths meet.
module residual_smoke (
    input  logic        ap_clk,
    input  logic        ap_rst_n,
    input  logic [15:0] in0_V_TDATA,
    input  logic        in0_V_TVALID,
    output logic        in0_V_TREADY,
    output logic [23:0] out_V_TDATA,
    output logic        out_V_TVALID,
    input  logic        out_V_TREADY
);
    logic [31:0] branch_data;
    logic [1:0]  branch_valid, branch_ready;
    duplicate_streams #(.WIDTH(16), .OUTPUTS(2)) split (
        .ap_clk, .ap_rst_n, .in0_V_TDATA, .in0_V_TVALID, .in0_V_TREADY,
        .out_V_TDATA(branch_data), .out_V_TVALID(branch_valid), .out_V_TREADY(branch_ready));
    add_streams #(.CHANNELS(4), .PE(2), .IN_BITS(8), .OUT_BITS(9)) merge (
        .ap_clk, .ap_rst_n,
        .in0_V_TDATA(branch_data[15:0]), .in0_V_TVALID(branch_valid[0]),
        .in0_V_TREADY(branch_ready[0]),
        .in1_V_TDATA(branch_data[31:16]), .in1_V_TVALID(branch_valid[1]),
        .in1_V_TREADY(branch_ready[1]),
        .out_V_TDATA, .out_V_TVALID, .out_V_TREADY);
endmodule
