// Fuzzes the .npy reader on raw bytes; a tensor it accepts must also survive a write/read round
// trip (to_npy writes every accepted element type).
#include "finn/core/error.h"
#include "finn/core/npy.h"
#include "finn/initialize.h"
#include "fuzz_input.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool initialized = (finn::initialize(), true);
    (void)initialized;
    try {
        const finn::Tensor tensor = finn::parse_npy(finn::fuzz::as_text(data, size), "fuzz");
        const std::string bytes = finn::to_npy(tensor);
        // Our own output must read back; failing here is a finding, not bad input.
        try {
            if (finn::parse_npy(bytes, "round trip").shape() != tensor.shape()) std::abort();
        } catch (const finn::Error&) {
            std::abort();
        }
    } catch (const finn::Error&) {
    }
    return 0;
}
