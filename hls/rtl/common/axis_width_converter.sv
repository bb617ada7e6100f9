// AXI-Stream data-width converter for any input and output widths (not only integer ratios).
// The stream is a sequence of bits, least significant bit of each word first: element 0 of a
// FINN word sits in its least significant bits, so converting the width never reorders elements.
//
// Bits collect in a buffer whose bit 0 is the oldest bit. An output word leaves as soon as
// OUT_WIDTH bits are present; an input word is accepted while it fits. Both happen in the same
// cycle, so the converter moves one word per cycle on its busier side: a frame of n_in input and
// n_out output words takes max(n_in, n_out) cycles without back-pressure. Fill levels change in
// steps of G = gcd(IN_WIDTH, OUT_WIDTH) bits, so positions are counted in G-bit slots. The
// buffer is sized so that tready can stay registered (no path from m_axis_tready to
// s_axis_tready) without losing that rate.
module axis_width_converter #(
    parameter int IN_WIDTH  = 8,
    parameter int OUT_WIDTH = 8
) (
    input  logic                 ap_clk,
    input  logic                 ap_rst_n,

    input  logic [IN_WIDTH-1:0]  s_axis_tdata,
    input  logic                 s_axis_tvalid,
    output logic                 s_axis_tready,

    output logic [OUT_WIDTH-1:0] m_axis_tdata,
    output logic                 m_axis_tvalid,
    input  logic                 m_axis_tready
);
    // Verilog-2005 function style: Yosys 0.23 rejects SystemVerilog return types and `return`.
    function automatic integer gcd(input integer a, input integer b);
        integer d;
        begin
            gcd = 1;
            for (d = 1; d <= a && d <= b; d = d + 1) if (a % d == 0 && b % d == 0) gcd = d;
        end
    endfunction

    localparam int G          = gcd(IN_WIDTH, OUT_WIDTH);
    localparam int MIN_WIDTH  = IN_WIDTH < OUT_WIDTH ? IN_WIDTH : OUT_WIDTH;
    // The largest fill reached at full rate is OUT+IN-G (narrow input) or 2*OUT-G before an
    // accept (narrow output); accepting there as well needs this much room.
    localparam int BUF_WIDTH  = IN_WIDTH + OUT_WIDTH + MIN_WIDTH - G;
    localparam int SLOTS      = BUF_WIDTH / G;
    localparam int IN_SLOTS   = IN_WIDTH / G;
    localparam int OUT_SLOTS  = OUT_WIDTH / G;
    localparam int FILL_BITS  = $clog2(SLOTS + 1);
    localparam int LAST_INSERT_SLOT = SLOTS - IN_SLOTS;

    logic [BUF_WIDTH-1:0] buffer;     // bits at and above the fill level are always zero
    logic [FILL_BITS-1:0] fill;       // in G-bit slots
    logic push, pop;

    assign s_axis_tready = fill <= FILL_BITS'(LAST_INSERT_SLOT);
    assign m_axis_tvalid = fill >= FILL_BITS'(OUT_SLOTS);
    assign m_axis_tdata  = buffer[OUT_WIDTH-1:0];
    assign push = s_axis_tvalid && s_axis_tready;
    assign pop  = m_axis_tvalid && m_axis_tready;

    logic [FILL_BITS-1:0] insert_slot;  // where the new word goes, after this cycle's pop
    logic [BUF_WIDTH-1:0] remaining, inserted;
    assign insert_slot = pop ? fill - FILL_BITS'(OUT_SLOTS) : fill;
    assign remaining   = pop ? buffer >> OUT_WIDTH : buffer;

    // A one-hot choice among the constant shifts keeps this a plain multiplexer in synthesis.
    always_comb begin
        inserted = '0;
        for (int slot = 0; slot <= LAST_INSERT_SLOT; slot++)
            if (push && insert_slot == FILL_BITS'(slot))
                inserted = BUF_WIDTH'(s_axis_tdata) << (slot * G);
    end

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            buffer <= '0;
            fill   <= '0;
        end else begin
            buffer <= remaining | inserted;
            fill   <= insert_slot + (push ? FILL_BITS'(IN_SLOTS) : '0);
        end
    end
endmodule
