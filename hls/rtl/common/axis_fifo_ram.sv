// First-word-fall-through AXI-Stream FIFO for large depths: DEPTH-1 words in a RAM array (read
// synchronously, so tools map it to block or distributed RAM) plus one output register, which is
// also the RAM's read register. Capacity is exactly DEPTH words; one word per cycle in and out;
// a word needs two cycles from input to output. Needs DEPTH >= 3 for full throughput with a
// registered s_axis_tready.
module axis_fifo_ram #(
    parameter int    WIDTH     = 8,
    parameter int    DEPTH     = 64,
    // "auto" lets the synthesis tool decide; "block", "distributed" or "ultra" force a kind.
    parameter        RAM_STYLE = "auto",  // untyped: Yosys 0.23 has no parameter string
    localparam int   COUNT_BITS = $clog2(DEPTH + 1)
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
    localparam int RAM_DEPTH = DEPTH - 1;
    localparam int ADDR_BITS = RAM_DEPTH > 1 ? $clog2(RAM_DEPTH) : 1;

    logic [ADDR_BITS-1:0]  write_addr, read_addr;
    logic [COUNT_BITS-1:0] ram_count;  // words in the RAM, not counting the output register
    logic push, pop, read;

    assign count         = ram_count + COUNT_BITS'(m_axis_tvalid);
    assign s_axis_tready = count != COUNT_BITS'(DEPTH);
    assign push = s_axis_tvalid && s_axis_tready;
    assign pop  = m_axis_tvalid && m_axis_tready;
    // Refill the output register whenever it is (being) emptied and the RAM holds a word. A word
    // written in this cycle is not yet counted, so a read never meets a write to the same address.
    assign read = ram_count != 0 && (!m_axis_tvalid || m_axis_tready);

    logic [ADDR_BITS-1:0] next_write_addr, next_read_addr;
    assign next_write_addr = write_addr == ADDR_BITS'(RAM_DEPTH - 1) ? '0 : write_addr + 1'b1;
    assign next_read_addr  = read_addr == ADDR_BITS'(RAM_DEPTH - 1) ? '0 : read_addr + 1'b1;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            write_addr    <= '0;
            read_addr     <= '0;
            ram_count     <= '0;
            m_axis_tvalid <= 1'b0;
        end else begin
            if (push) write_addr <= next_write_addr;
            if (read) read_addr <= next_read_addr;
            if (push && !read) ram_count <= ram_count + 1'b1;
            else if (read && !push) ram_count <= ram_count - 1'b1;
            if (read) m_axis_tvalid <= 1'b1;
            else if (pop) m_axis_tvalid <= 1'b0;
        end
    end

    // The storage: one write port, one synchronous read port with enable. An untyped string
    // parameter is as wide as its value, so comparing it with other literals is a width mismatch.
    /* verilator lint_off WIDTH */
    if (RAM_STYLE == "block") begin : g_block
        (* ram_style = "block" *) logic [WIDTH-1:0] ram[RAM_DEPTH];
        always_ff @(posedge ap_clk) begin
            if (push) ram[write_addr] <= s_axis_tdata;
            if (read) m_axis_tdata <= ram[read_addr];
        end
    end else if (RAM_STYLE == "distributed") begin : g_distributed
        (* ram_style = "distributed" *) logic [WIDTH-1:0] ram[RAM_DEPTH];
        always_ff @(posedge ap_clk) begin
            if (push) ram[write_addr] <= s_axis_tdata;
            if (read) m_axis_tdata <= ram[read_addr];
        end
    end else if (RAM_STYLE == "ultra") begin : g_ultra
        (* ram_style = "ultra" *) logic [WIDTH-1:0] ram[RAM_DEPTH];
        always_ff @(posedge ap_clk) begin
            if (push) ram[write_addr] <= s_axis_tdata;
            if (read) m_axis_tdata <= ram[read_addr];
        end
    end else begin : g_auto
    /* verilator lint_on WIDTH */
        logic [WIDTH-1:0] ram[RAM_DEPTH];
        always_ff @(posedge ap_clk) begin
            if (push) ram[write_addr] <= s_axis_tdata;
            if (read) m_axis_tdata <= ram[read_addr];
        end
    end
endmodule
