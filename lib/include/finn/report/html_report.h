// report/index.html: a self-contained page (no scripts, no external files) summarising the
// estimates — bar charts of cycles and resources per layer as inline SVG with the bottleneck
// highlighted, and a table of each layer's folding.
#pragma once

#include "finn/ir/model.h"

#include <string>

namespace finn::report {

// Deterministic for a given model, part and clock.
std::string estimate_html(Model& model, const std::string& fpga_part, double synth_clk_period_ns);

} // namespace finn::report
