#include "finn/exec/broadcast.h"

#include "finn/core/error.h"

namespace finn {

Shape broadcast_shapes(const Shape& a, const Shape& b) {
    std::size_t rank = std::max(a.size(), b.size());
    Shape out(rank);
    for (std::size_t i = 0; i < rank; ++i) {
        std::int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
        std::int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
        if (da != db && da != 1 && db != 1)
            throw Error("shapes " + shape_to_string(a) + " and " + shape_to_string(b) +
                        " cannot be broadcast together");
        out[i] = da == 1 ? db : da;
    }
    return out;
}

std::vector<std::int64_t> c_strides(const Shape& shape) {
    std::vector<std::int64_t> strides(shape.size(), 1);
    for (std::size_t i = shape.size(); i-- > 1;)
        strides[i - 1] = strides[i] * shape[i];
    return strides;
}

std::vector<std::int64_t> broadcast_strides(const Shape& in_shape, const Shape& out_shape) {
    const std::size_t rank = out_shape.size();
    const std::size_t offset = rank - in_shape.size();
    // Stride 0 along broadcast dimensions.
    std::vector<std::int64_t> in_strides = c_strides(in_shape);
    std::vector<std::int64_t> strides(rank, 0);
    for (std::size_t i = 0; i < in_shape.size(); ++i)
        strides[i + offset] = in_shape[i] == 1 ? 0 : in_strides[i];
    return strides;
}

std::vector<std::int64_t> broadcast_indices(const Shape& in_shape, const Shape& out_shape) {
    const std::size_t rank = out_shape.size();
    const std::vector<std::int64_t> strides = broadcast_strides(in_shape, out_shape);
    std::int64_t total = shape_size(out_shape);
    std::vector<std::int64_t> indices(static_cast<std::size_t>(total));
    std::vector<std::int64_t> counter(rank, 0);
    std::int64_t current = 0;
    for (std::int64_t flat = 0; flat < total; ++flat) {
        indices[static_cast<std::size_t>(flat)] = current;
        // Odometer increment over the output dimensions.
        for (std::size_t d = rank; d-- > 0;) {
            if (++counter[d] < out_shape[d]) {
                current += strides[d];
                break;
            }
            current -= strides[d] * (out_shape[d] - 1);
            counter[d] = 0;
        }
    }
    return indices;
}

} // namespace finn
