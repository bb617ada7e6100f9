// FINN's LabelSelect: the indices of the K largest of LABELS input values, highest value first.
// Among equal values the lowest index comes first (FINN's rule: a later value displaces an entry
// only if strictly greater), so the result is ONNX TopK's index output.
//
// Parameters (node attributes):
//   LABELS, PE, K          Labels, PE (LABELS % PE == 0), K (K <= LABELS)
//   IN_BITS, IN_SIGNED     inputDataType (an integer type)
//   OUT_BITS               bitwidth(outputDataType): the index width, >= clog2(LABELS)
// Streams: in0_V carries LABELS/PE words of PE values (FINN packing), out_V K words of one index.
//
// A working top-K list takes one input word per cycle: the PE values of the word are inserted one
// after the other in one cycle (a chain of PE insertions, each K compares and a shift). At the
// vector's last word the finished list moves to a result buffer that emits one index per cycle
// while the next vector is collected, so a stream of vectors runs at LABELS/PE cycles per vector
// when K <= LABELS/PE (max(LABELS/PE, K) otherwise).
//
// Unlike FINN's HLS, whose list starts as K copies of (type minimum, index 0) so that values
// equal to the type's minimum are never listed, the list starts empty: the result is TopK's even
// when fewer than K values exceed the minimum.
module label_select #(
    parameter int  LABELS    = 10,
    parameter int  PE        = 1,
    parameter int  K         = 1,
    parameter int  IN_BITS   = 8,
    parameter int  IN_SIGNED = 1,
    parameter int  OUT_BITS  = 8,
    localparam int IN_WIDTH      = PE * IN_BITS,
    localparam int AXI_IN_WIDTH  = (IN_WIDTH + 7) / 8 * 8,
    localparam int AXI_OUT_WIDTH = (OUT_BITS + 7) / 8 * 8
) (
    input  logic                     ap_clk,
    input  logic                     ap_rst_n,

    input  logic [AXI_IN_WIDTH-1:0]  in0_V_TDATA,
    input  logic                     in0_V_TVALID,
    output logic                     in0_V_TREADY,

    output logic [AXI_OUT_WIDTH-1:0] out_V_TDATA,
    output logic                     out_V_TVALID,
    input  logic                     out_V_TREADY
);
    localparam int WORDS      = LABELS / PE;
    localparam int WORD_BITS  = WORDS > 1 ? $clog2(WORDS) : 1;
    localparam int LABEL_BITS = LABELS > 1 ? $clog2(LABELS) : 1;
    localparam int VALUE_BITS = IN_BITS + 1; // signed, unsigned inputs zero-extended
    localparam int COUNT_BITS = $clog2(K + 1);

    if (LABELS % PE != 0 || K < 1 || K > LABELS || OUT_BITS < LABEL_BITS) begin : g_bad_parameters
        $error("label_select: needs PE to divide LABELS, 1 <= K <= LABELS, OUT_BITS >= clog2(LABELS)");
    end

    // --- collect: the working list, sorted by value (entry 0 highest) ---------------------------
    logic [K*VALUE_BITS-1:0] values;
    logic [K*LABEL_BITS-1:0] labels;
    logic [K-1:0]            filled;
    logic [WORD_BITS-1:0]    word;
    logic [LABEL_BITS-1:0]   base;   // index of the word's element 0
    logic                    last_word, load, take;

    // The chain of PE insertions; stage 0 is the list before this word (empty at a vector start).
    logic [(PE+1)*K*VALUE_BITS-1:0] chain_values;
    logic [(PE+1)*K*LABEL_BITS-1:0] chain_labels;
    logic [(PE+1)*K-1:0]            chain_filled;
    assign chain_values[K*VALUE_BITS-1:0] = values;
    assign chain_labels[K*LABEL_BITS-1:0] = labels;
    assign chain_filled[K-1:0]            = word == '0 ? '0 : filled;

    for (genvar p = 0; p < PE; p++) begin : g_insert
        logic [IN_BITS-1:0]          element;
        logic signed [VALUE_BITS-1:0] value;
        logic [LABEL_BITS-1:0]       label;
        logic [K*VALUE_BITS-1:0]     old_values, new_values;
        logic [K*LABEL_BITS-1:0]     old_labels, new_labels;
        logic [K-1:0]                old_filled, new_filled, above;
        assign element = in0_V_TDATA[p*IN_BITS +: IN_BITS];
        assign value   = {IN_SIGNED != 0 ? element[IN_BITS-1] : 1'b0, element};
        assign label   = base + LABEL_BITS'(p);
        assign old_values = chain_values[p*K*VALUE_BITS +: K*VALUE_BITS];
        assign old_labels = chain_labels[p*K*LABEL_BITS +: K*LABEL_BITS];
        assign old_filled = chain_filled[p*K +: K];
        // The new value ranks above entry i if that entry is empty or strictly smaller; as the
        // list is sorted, `above` is 0...0 1...1 from entry 0 on, and the value goes to its first 1.
        always_comb begin
            for (int i = 0; i < K; i++)
                above[i] = !old_filled[i]
                           || value > $signed(old_values[i*VALUE_BITS +: VALUE_BITS]);
            for (int i = 0; i < K; i++) begin
                if (!above[i]) begin
                    new_values[i*VALUE_BITS +: VALUE_BITS] = old_values[i*VALUE_BITS +: VALUE_BITS];
                    new_labels[i*LABEL_BITS +: LABEL_BITS] = old_labels[i*LABEL_BITS +: LABEL_BITS];
                    new_filled[i] = old_filled[i];
                end else if (i > 0 && above[i > 0 ? i - 1 : 0]) begin
                    // Shifted down by the insertion above it.
                    new_values[i*VALUE_BITS +: VALUE_BITS] =
                        old_values[(i > 0 ? i - 1 : 0)*VALUE_BITS +: VALUE_BITS];
                    new_labels[i*LABEL_BITS +: LABEL_BITS] =
                        old_labels[(i > 0 ? i - 1 : 0)*LABEL_BITS +: LABEL_BITS];
                    new_filled[i] = old_filled[i > 0 ? i - 1 : 0];
                end else begin
                    new_values[i*VALUE_BITS +: VALUE_BITS] = value;
                    new_labels[i*LABEL_BITS +: LABEL_BITS] = label;
                    new_filled[i] = 1'b1;
                end
            end
        end
        assign chain_values[(p+1)*K*VALUE_BITS +: K*VALUE_BITS] = new_values;
        assign chain_labels[(p+1)*K*LABEL_BITS +: K*LABEL_BITS] = new_labels;
        assign chain_filled[(p+1)*K +: K]                       = new_filled;
    end

    // --- emit: the result buffer, one index per cycle into the output register slice ----------
    logic [K*LABEL_BITS-1:0] result;     // entry 0 is the next index to emit
    logic [COUNT_BITS-1:0]   remaining;  // indices of the result not yet emitted
    logic                    emit, slice_ready;

    assign emit      = remaining != '0 && slice_ready;
    // The buffer is free for the next result once its last index leaves (only registers decide).
    assign load      = remaining == '0 || (remaining == COUNT_BITS'(1) && slice_ready);
    assign last_word = word == WORD_BITS'(WORDS - 1);
    assign in0_V_TREADY = !last_word || load;
    assign take      = in0_V_TVALID && in0_V_TREADY;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            word      <= '0;
            base      <= '0;
            remaining <= '0;
        end else begin
            if (take) begin
                word <= last_word ? '0 : word + 1'b1;
                base <= last_word ? '0 : base + LABEL_BITS'(PE);
            end
            if (take && last_word) remaining <= COUNT_BITS'(K);
            else if (emit) remaining <= remaining - 1'b1;
        end
    end

    always_ff @(posedge ap_clk) begin
        if (take) begin
            values <= chain_values[PE*K*VALUE_BITS +: K*VALUE_BITS];
            labels <= chain_labels[PE*K*LABEL_BITS +: K*LABEL_BITS];
        end
        if (take && last_word) result <= chain_labels[PE*K*LABEL_BITS +: K*LABEL_BITS];
        else if (emit) result <= result >> LABEL_BITS;
    end
    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) filled <= '0;
        else if (take) filled <= chain_filled[PE*K +: K];
    end

    // The index, zero-extended to OUT_BITS.
    axis_lane_output #(.LANES(1), .VALUE_BITS(LABEL_BITS), .VALUE_SIGNED(0), .OUT_BITS(OUT_BITS))
        output_stage (
            .ap_clk, .ap_rst_n,
            .values(result[LABEL_BITS-1:0]), .valid(remaining != '0), .ready(slice_ready),
            .out_V_TDATA, .out_V_TVALID, .out_V_TREADY);

    // Padding bits are ignored; the list's values are only compared, never emitted.
    if (AXI_IN_WIDTH > IN_WIDTH) begin : g_padding
        /* verilator lint_off UNUSEDSIGNAL */
        logic [AXI_IN_WIDTH-IN_WIDTH-1:0] ignored_padding;
        /* verilator lint_on UNUSEDSIGNAL */
        assign ignored_padding = in0_V_TDATA[AXI_IN_WIDTH-1:IN_WIDTH];
    end
endmodule
