// The matrix product behind MatMul, Gemm and Conv (im2col): a cache-blocked kernel that
// accumulates in double, so integer-valued float32 data (FINN's quantized nets) stays exact as long
// as every partial sum is below 2^53.
#pragma once

#include <cstdint>

namespace finn {

// A read-only matrix with arbitrary strides: element (i, j) is data[i * row_stride + j *
// col_stride]. A transposed view just swaps the strides.
template <class T> struct MatrixView {
    const T* data;
    std::int64_t row_stride;
    std::int64_t col_stride;
};

// A row-major matrix with `cols` columns, and the transpose of one.
template <class T> MatrixView<T> row_major(const T* data, std::int64_t cols) {
    return {data, cols, 1};
}
template <class T> MatrixView<T> transposed(const T* data, std::int64_t cols) {
    return {data, 1, cols};
}

// C += A * B, where A is m x k, B is k x n and C is m x n, row-major with `ldc` doubles per row.
// Float operands (float32 tensors, read in place) are widened to double as they are packed.
void gemm_accumulate(std::int64_t m, std::int64_t n, std::int64_t k, MatrixView<float> a,
                     MatrixView<float> b, double* c, std::int64_t ldc);
void gemm_accumulate(std::int64_t m, std::int64_t n, std::int64_t k, MatrixView<double> a,
                     MatrixView<double> b, double* c, std::int64_t ldc);

} // namespace finn
