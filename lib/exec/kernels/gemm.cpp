#include "gemm.h"

#include <algorithm>
#include <vector>

namespace finn {

namespace {

// Register tile of the micro-kernel (MR x NR accumulators: 8 SSE2 registers, the best of the
// tiles measured at -O2 without -march) and the cache blocks: a KC x NR panel
// of B stays in L1 while MR x KC panels of an MC x KC block of A stream from L2.
constexpr std::int64_t MR = 4;
constexpr std::int64_t NR = 4;
constexpr std::int64_t KC = 256;
constexpr std::int64_t MC = 128;
constexpr std::int64_t NC = 1024;

// Copies the mc x kc block of A at (row0, col0) into MR-row panels, p-major within a panel
// (panel[p * MR + i]); rows past mc are zero so the micro-kernel needs no edge cases.
template <class T>
void pack_a(MatrixView<T> a, std::int64_t row0, std::int64_t col0, std::int64_t mc, std::int64_t kc,
            double* out) {
    for (std::int64_t i0 = 0; i0 < mc; i0 += MR) {
        const std::int64_t rows = std::min(MR, mc - i0);
        for (std::int64_t p = 0; p < kc; ++p) {
            const T* src = a.data + (row0 + i0) * a.row_stride + (col0 + p) * a.col_stride;
            for (std::int64_t i = 0; i < MR; ++i)
                out[i] = i < rows ? src[i * a.row_stride] : 0.0;
            out += MR;
        }
    }
}

// Copies the kc x nc block of B at (row0, col0) into NR-column panels (panel[p * NR + j]).
template <class T>
void pack_b(MatrixView<T> b, std::int64_t row0, std::int64_t col0, std::int64_t kc, std::int64_t nc,
            double* out) {
    for (std::int64_t j0 = 0; j0 < nc; j0 += NR) {
        const std::int64_t cols = std::min(NR, nc - j0);
        for (std::int64_t p = 0; p < kc; ++p) {
            const T* src = b.data + (row0 + p) * b.row_stride + (col0 + j0) * b.col_stride;
            for (std::int64_t j = 0; j < NR; ++j)
                out[j] = j < cols ? src[j * b.col_stride] : 0.0;
            out += NR;
        }
    }
}

// C[rows x cols] += packed A panel * packed B panel over kc.
void micro_kernel(std::int64_t kc, const double* a, const double* b, double* c, std::int64_t ldc,
                  std::int64_t rows, std::int64_t cols) {
    double acc[MR][NR] = {};
    for (std::int64_t p = 0; p < kc; ++p) {
        // Fully unrolled so the accumulators live in registers (GCC -O2 keeps them in memory
        // otherwise, at half the speed).
#pragma GCC unroll 16
        for (std::int64_t i = 0; i < MR; ++i)
#pragma GCC unroll 16
            for (std::int64_t j = 0; j < NR; ++j)
                acc[i][j] += a[i] * b[j];
        a += MR;
        b += NR;
    }
    for (std::int64_t i = 0; i < rows; ++i)
        for (std::int64_t j = 0; j < cols; ++j)
            c[i * ldc + j] += acc[i][j];
}

// Dot product of k elements at strides xs and ys, in double; four partial sums break the
// dependency chain of a single accumulator.
template <class T>
double dot(const T* x, std::int64_t xs, const T* y, std::int64_t ys, std::int64_t k) {
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    std::int64_t p = 0;
    for (; p + 4 <= k; p += 4) {
        s0 += static_cast<double>(x[p * xs]) * y[p * ys];
        s1 += static_cast<double>(x[(p + 1) * xs]) * y[(p + 1) * ys];
        s2 += static_cast<double>(x[(p + 2) * xs]) * y[(p + 2) * ys];
        s3 += static_cast<double>(x[(p + 3) * xs]) * y[(p + 3) * ys];
    }
    for (; p < k; ++p)
        s0 += static_cast<double>(x[p * xs]) * y[p * ys];
    return (s0 + s1) + (s2 + s3);
}

// Thin products (a few rows or columns, e.g. a fully connected layer on one sample or a
// convolution with one output position): packing would cost as much as the product and the
// register tile would be mostly padding.
template <class T>
void gemm_thin(std::int64_t m, std::int64_t n, std::int64_t k, MatrixView<T> a, MatrixView<T> b,
               double* c, std::int64_t ldc) {
    for (std::int64_t i = 0; i < m; ++i) {
        double* crow = c + i * ldc;
        const T* arow = a.data + i * a.row_stride;
        if (b.col_stride == 1 && n >= NR) {
            // Wide row-major B: accumulate scaled rows of B (contiguous, vectorizes).
            for (std::int64_t p = 0; p < k; ++p) {
                const double s = arow[p * a.col_stride]; // products in double, even for float
                const T* brow = b.data + p * b.row_stride;
                for (std::int64_t j = 0; j < n; ++j)
                    crow[j] += s * brow[j];
            }
        } else {
            for (std::int64_t j = 0; j < n; ++j)
                crow[j] += dot(arow, a.col_stride, b.data + j * b.col_stride, b.row_stride, k);
        }
    }
}

template <class T>
void gemm_blocked(std::int64_t m, std::int64_t n, std::int64_t k, MatrixView<T> a, MatrixView<T> b,
                  double* c, std::int64_t ldc) {
    if (m <= 0 || n <= 0 || k <= 0) return;
    if (m < MR || n < NR) {
        gemm_thin(m, n, k, a, b, c, ldc);
        return;
    }
    // Packing buffers are kept per thread: a fresh megabyte per call costs page faults that show
    // in whole-network timings.
    thread_local std::vector<double> packed_a, packed_b;
    packed_a.resize(std::max(packed_a.size(), static_cast<std::size_t>((MC + MR) * KC)));
    packed_b.resize(std::max(packed_b.size(), static_cast<std::size_t>((NC + NR) * KC)));
    for (std::int64_t jc = 0; jc < n; jc += NC) {
        const std::int64_t nc = std::min(NC, n - jc);
        for (std::int64_t pc = 0; pc < k; pc += KC) {
            const std::int64_t kc = std::min(KC, k - pc);
            pack_b(b, pc, jc, kc, nc, packed_b.data());
            for (std::int64_t ic = 0; ic < m; ic += MC) {
                const std::int64_t mc = std::min(MC, m - ic);
                pack_a(a, ic, pc, mc, kc, packed_a.data());
                for (std::int64_t jr = 0; jr < nc; jr += NR) {
                    const double* bp = packed_b.data() + jr * kc;
                    for (std::int64_t ir = 0; ir < mc; ir += MR) {
                        micro_kernel(kc, packed_a.data() + ir * kc, bp,
                                     c + (ic + ir) * ldc + jc + jr, ldc, std::min(MR, mc - ir),
                                     std::min(NR, nc - jr));
                    }
                }
            }
        }
    }
}

} // namespace

void gemm_accumulate(std::int64_t m, std::int64_t n, std::int64_t k, MatrixView<float> a,
                     MatrixView<float> b, double* c, std::int64_t ldc) {
    gemm_blocked(m, n, k, a, b, c, ldc);
}

void gemm_accumulate(std::int64_t m, std::int64_t n, std::int64_t k, MatrixView<double> a,
                     MatrixView<double> b, double* c, std::int64_t ldc) {
    gemm_blocked(m, n, k, a, b, c, ldc);
}

} // namespace finn
