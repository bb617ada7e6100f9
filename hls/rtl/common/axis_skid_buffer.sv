// AXI-Stream skid buffer (register slice): breaks the combinational paths of tdata/tvalid and of
// tready between producer and consumer while keeping one transfer per cycle. The second (skid)
// register holds the word that arrives in the cycle the consumer stalls, because s_axis_tready
// is registered and so reaches the producer one cycle late.
module axis_skid_buffer #(
    parameter int WIDTH = 8
) (
    input  logic             ap_clk,
    input  logic             ap_rst_n,

    input  logic [WIDTH-1:0] s_axis_tdata,
    input  logic             s_axis_tvalid,
    output logic             s_axis_tready,

    output logic [WIDTH-1:0] m_axis_tdata,
    output logic             m_axis_tvalid,
    input  logic             m_axis_tready
);
    logic [WIDTH-1:0] skid_data;
    logic             skid_valid;

    // Accept whenever the skid register is free: registered, so no path from m_axis_tready.
    assign s_axis_tready = !skid_valid;

    always_ff @(posedge ap_clk) begin
        if (!ap_rst_n) begin
            m_axis_tvalid <= 1'b0;
            skid_valid    <= 1'b0;
        end else if (!m_axis_tvalid || m_axis_tready) begin
            // The output register is free (or being emptied): refill it, oldest word first.
            if (skid_valid) begin
                m_axis_tvalid <= 1'b1;
                skid_valid    <= 1'b0;
            end else begin
                m_axis_tvalid <= s_axis_tvalid;
            end
        end else if (s_axis_tvalid && s_axis_tready) begin
            // The output is stalled: park the word the producer sent before it saw tready fall.
            skid_valid <= 1'b1;
        end
    end

    // Data registers carry no reset (cheaper, and tvalid qualifies them).
    always_ff @(posedge ap_clk) begin
        if (!m_axis_tvalid || m_axis_tready) begin
            if (skid_valid) m_axis_tdata <= skid_data;
            else if (s_axis_tvalid) m_axis_tdata <= s_axis_tdata;
        end else if (s_axis_tvalid && s_axis_tready) begin
            skid_data <= s_axis_tdata;
        end
    end
endmodule
