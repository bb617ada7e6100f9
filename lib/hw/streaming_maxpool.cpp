// StreamingMaxPool: max pooling with stride == kernel, spec/finn-ops.md §3.6.
#include "estimate_util.h"
#include "finn/hw/layers.h"

namespace finn::hw {

using namespace detail;

std::vector<AttrDecl> StreamingMaxPool::attributes(Impl) {
    return {ints_attr("ImgDim", kRequired),     ints_attr("PoolDim", kRequired),
            int_attr("NumChannels", kRequired), int_attr("PE", 1),
            int_attr("CeilMode", 0, kBool),     string_attr("dataType", kRequired)};
}

bool StreamingMaxPool::is_1d() const {
    const auto dim = get_ints("ImgDim"), k = get_ints("PoolDim");
    return (dim[0] == 1 && k[0] == 1) || (dim[1] == 1 && k[1] == 1);
}

std::vector<FoldingAttribute> StreamingMaxPool::folding_attributes() const {
    // PE only matters in 1D; the 2D variant processes all channels at once.
    if (!is_1d()) return {};
    return {{"PE", divisors(get_int("NumChannels"))}};
}

DataType StreamingMaxPool::input_datatype(int) const {
    return get_datatype("dataType");
}

DataType StreamingMaxPool::output_datatype(int) const {
    return get_datatype("dataType");
}

namespace {
std::int64_t pooled(std::int64_t d, std::int64_t k, bool ceil_mode) {
    return ceil_mode ? (d - k + k - 1) / k + 1 : (d - k) / k + 1;
}
} // namespace

Shape StreamingMaxPool::normal_input_shape(int) const {
    const auto dim = get_ints("ImgDim");
    return {1, dim[0], dim[1], get_int("NumChannels")};
}

Shape StreamingMaxPool::normal_output_shape(int) const {
    const auto dim = get_ints("ImgDim"), k = get_ints("PoolDim");
    const bool ceil_mode = get_int("CeilMode") != 0;
    return {1, pooled(dim[0], k[0], ceil_mode), pooled(dim[1], k[1], ceil_mode),
            get_int("NumChannels")};
}

Shape StreamingMaxPool::folded_input_shape(int) const {
    Shape s = normal_input_shape(0);
    const std::int64_t pe = is_1d() ? get_int("PE") : s.back();
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

Shape StreamingMaxPool::folded_output_shape(int) const {
    Shape s = normal_output_shape(0);
    const std::int64_t pe = is_1d() ? get_int("PE") : s.back();
    s.back() /= pe;
    s.push_back(pe);
    return s;
}

std::int64_t StreamingMaxPool::exp_cycles() const {
    auto dim = get_ints("ImgDim"), k = get_ints("PoolDim");
    if (dim[1] == 1 && k[1] == 1) { // normalise a 1D (H, 1) image to (1, H)
        std::swap(dim[0], dim[1]);
        std::swap(k[0], k[1]);
    }
    if (is_1d()) {
        const std::int64_t out = pooled(dim[1], k[1], get_int("CeilMode") != 0);
        return out * (get_int("NumChannels") / get_int("PE")) * (k[1] + 1);
    }
    const double d = static_cast<double>(dim[1]), kk = static_cast<double>(k[1] * k[1]);
    return static_cast<std::int64_t>(d * d * (1 + 1 / kk));
}

} // namespace finn::hw
