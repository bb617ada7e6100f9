// MultiThreshold of one element: how many of STEPS thresholds the value reaches (value >= T[s]).
// A count, not a search, so the thresholds need no order. Combinational.
//   VALUE_BITS     the value is two's complement (callers extend unsigned values by one bit)
//   THRESH_BITS    each threshold's width; thresholds[s*THRESH_BITS +: THRESH_BITS] is T[s]
//   THRESH_SIGNED  1 when the thresholds are two's complement, 0 when unsigned
module threshold_count #(
    parameter int  VALUE_BITS    = 8,
    parameter int  STEPS         = 1,
    parameter int  THRESH_BITS   = 8,
    parameter int  THRESH_SIGNED = 1,
    localparam int COUNT_BITS    = $clog2(STEPS + 1)
) (
    input  logic [VALUE_BITS-1:0]        value,
    input  logic [STEPS*THRESH_BITS-1:0] thresholds,
    output logic [COUNT_BITS-1:0]        count
);
    // One signed width holds both operands exactly (an unsigned threshold gains a zero bit).
    localparam int CW = (VALUE_BITS > THRESH_BITS ? VALUE_BITS : THRESH_BITS) + 1;

    logic [CW-1:0]       value_ext;
    logic [STEPS*CW-1:0] thresholds_ext;
    assign value_ext = {{(CW - VALUE_BITS){value[VALUE_BITS-1]}}, value};
    for (genvar s = 0; s < STEPS; s++) begin : g_extend
        logic [THRESH_BITS-1:0] t;
        logic                   fill;
        assign t    = thresholds[s*THRESH_BITS +: THRESH_BITS];
        assign fill = THRESH_SIGNED != 0 ? t[THRESH_BITS-1] : 1'b0;
        assign thresholds_ext[s*CW +: CW] = {{(CW - THRESH_BITS){fill}}, t};
    end

    always_comb begin
        count = '0;
        for (int s = 0; s < STEPS; s++)
            if ($signed(value_ext) >= $signed(thresholds_ext[s*CW +: CW])) count = count + 1'b1;
    end
endmodule
