// Does the design fit? The sum of the per-layer resource estimates held against the FPGA part's
// capacity (finn/config/part_capacity.h), per resource, with the layers that need most of it.
#pragma once

#include "finn/config/part_capacity.h"
#include "finn/ir/model.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace finn::report {

struct ResourceFit {
    enum class Level { Fits, Close, Over };

    std::string resource; // FINN's name: "LUT", "BRAM_18K", "URAM", "DSP"
    std::int64_t used = 0;
    std::int64_t available = 0;
    // The share above which Xilinx recommends not to go for timing closure (FINN's
    // DEFAULT_RES_LIMITS in finn/util/platforms.py); beyond it the design is "close".
    double guideline = 1.0;
    Level level = Level::Fits;
    // The layers using most of it, largest first (at most three, none using 0).
    std::vector<std::pair<std::string, std::int64_t>> largest;

    double share() const { return available > 0 ? double(used) / double(available) : 0.0; }
};

struct PartFit {
    std::string fpga_part;
    const PartCapacity* capacity = nullptr; // nullptr: a part Finn has no capacity for
    std::vector<ResourceFit> resources;     // empty without a capacity

    bool over() const;
};

// From the estimates of every specialized (hls/rtl) layer of `model`.
PartFit part_fit(Model& model, const std::string& fpga_part);

// One line naming each resource over the part's capacity and its largest layers; empty when
// everything fits.
std::string over_capacity_warning(const PartFit& fit);

} // namespace finn::report
