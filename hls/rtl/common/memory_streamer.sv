// Streams a parameter memory (FINN's decoupled weight streamer): words 0, 1, ..., DEPTH-1 of a
// $readmemh image as an AXI stream, then from word 0 again, forever (one pass per input vector
// of the consumer). The memory's synchronous read register is the output register: a word is
// read whenever the output is empty or being taken, so the stream runs at one word per cycle.
//   WIDTH, DEPTH   the image's word width and number of words
//   INIT_FILE      the $readmemh image (hls/README.md, "Memory files")
//   RAM_STYLE      "auto" | "block" | "distributed" | "ultra" (rom_sync)
module memory_streamer #(
    parameter int  WIDTH     = 8,
    parameter int  DEPTH     = 1,
    parameter      INIT_FILE = "",
    parameter      RAM_STYLE = "auto",
    localparam int ADDR_BITS = DEPTH > 1 ? $clog2(DEPTH) : 1
) (
    input  logic             ap_clk,
    input  logic             ap_rst_n,

    output logic [WIDTH-1:0] m_axis_tdata,
    output logic             m_axis_tvalid,
    input  logic             m_axis_tready
);
    logic                 read;
    logic [ADDR_BITS-1:0] address;

    assign read = !m_axis_tvalid || m_axis_tready;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            address       <= '0;
            m_axis_tvalid <= 1'b0;
        end else if (read) begin
            address       <= address == ADDR_BITS'(DEPTH - 1) ? '0 : address + 1'b1;
            m_axis_tvalid <= 1'b1;
        end
    end

    rom_sync #(.WIDTH(WIDTH), .DEPTH(DEPTH), .INIT_FILE(INIT_FILE), .RAM_STYLE(RAM_STYLE))
        memory (.ap_clk, .enable(read), .address, .data(m_axis_tdata));
endmodule
