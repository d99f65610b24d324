/* ef_sgemm.c — the runner's own SGEMM: an AVX-512F micro-kernel with the
 * usual cache blocking, for CPUs where OpenBLAS runs slower kernels than the
 * CPU could (an environment that pins OPENBLAS_CORETYPE to an AVX2 core).
 *
 * Layout.  B (weights, constant) is packed once into column panels 32 wide
 * (the last one 16 wide when at most 16 columns are left), each panel
 * k-major: panel[kk][0..31] = B[kk][j0..j0+31], zero-padded past n, so the
 * kernel always multiplies whole vectors and only masks its C stores.  A is
 * not packed: the kernel broadcasts A[i][kk] from MR row pointers, which lets
 * the convolution point rows into its input instead of copying them (an
 * im2col row of a stride-s, dilation-1 Conv1D is a contiguous slice of x).
 *
 * Blocking (single thread; the runner parallelises over the batch).  For
 * each block of MC rows and each KC slice of k, every 32-wide panel slice
 * (KC x 32 floats = 32 KiB at KC 256) stays in L1 while the kernel walks the
 * MC rows; the A block (MC x KC) and the C block (MC x n) stay in L2.  The
 * bias and ReLU are applied as the last k slice is stored.  MR 6: 12 zmm
 * accumulators, enough independent FMAs for two 4-cycle FMA pipes.
 *
 * The rest of the build has no -m flags: the kernel functions carry their own
 * target attribute and ef_sgemm_supported checks the CPU at run time. */
#include "config.h"
#include "nn/ef_sgemm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_KERNEL 1
#include <immintrin.h>
#define TARGET __attribute__((target("avx512f,fma")))
#endif

/* Micro-tile rows, k slice and row block (-D overrides for tuning). */
#ifndef MR
#define MR 6
#endif
#ifndef KC
#define KC 256
#endif
#ifndef MC
#define MC 96
#endif
#define NR 32
#define MR16 (2 * MR)   /* rows of the 16-wide tile: as many accumulators */

enum { ACC = 1, BIAS = 2, RELU = 4 };   /* what the kernel does at the store */

int ef_sgemm_supported(void)
{
#ifdef HAVE_KERNEL
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") != 0;   /* also checks the OS saves zmm state */
#else
    return 0;
#endif
}

int ef_sgemm_choose(void)
{
    const char *v = getenv("ECGFIT_GEMM");

    if (v && strcmp(v, "openblas") == 0)
        return 0;
    if (v && *v && strcmp(v, "own") != 0 && strcmp(v, "auto") != 0)
        return -1;
    return ef_sgemm_supported();
}

/* Width of the panel starting at column j0. */
static size_t panel_width(size_t n, size_t j0)
{
    return n - j0 > 16 ? NR : 16;
}

size_t ef_sgemm_packed_floats(size_t k, size_t n)
{
    size_t f = k * ((n + 15) / 16 * 16);
    return f ? f : 16;
}

void ef_sgemm_pack_b(size_t k, size_t n, const float *b, size_t ldb, float *bp)
{
    for (size_t j0 = 0; j0 < n; j0 += NR) {
        size_t w = panel_width(n, j0), cols = n - j0 < w ? n - j0 : w;
        float *p = bp + j0 * k;   /* every earlier panel is NR wide */
        for (size_t kk = 0; kk < k; kk++, p += w) {
            memcpy(p, b + kk * ldb + j0, cols * sizeof *p);
            memset(p + cols, 0, (w - cols) * sizeof *p);
        }
    }
}

#ifndef HAVE_KERNEL
/* Plain C, for builds without the kernel (never chosen by the runner there). */
static void gemm_ref(size_t m, size_t n, size_t k, const float *const *a, const float *bp, float *c,
                     size_t ldc, const float *bias, int relu)
{
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            size_t j0 = j / NR * NR, w = panel_width(n, j0);
            const float *p = bp + j0 * k + (j - j0);
            float s = 0.0f;
            for (size_t kk = 0; kk < k; kk++)
                s += a[i][kk] * p[kk * w];
            if (bias)
                s += bias[j];
            c[i * ldc + j] = relu && !(s > 0.0f) ? 0.0f : s;
        }
}
#endif

#ifdef HAVE_KERNEL

/* MR x 32 tile: c = (acc ? c : 0) + a b over kc, then bias and ReLU as mode
 * says; columns 16..31 stored under m1, rows below mr. */
TARGET static inline void kern32(size_t kc, const float *const *a, const float *b, float *c, size_t ldc,
                                 size_t mr, __mmask16 m1, int mode, const float *bias)
{
    __m512 c0[MR], c1[MR];
    const float *ap[MR];

#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
        c0[i] = _mm512_setzero_ps();
        c1[i] = _mm512_setzero_ps();
        ap[i] = a[i];
    }
#pragma GCC unroll 4
    for (size_t kk = 0; kk < kc; kk++) {
        __m512 b0 = _mm512_load_ps(b + kk * NR), b1 = _mm512_load_ps(b + kk * NR + 16);
#pragma GCC unroll 16
        for (int i = 0; i < MR; i++) {
            __m512 x = _mm512_set1_ps(ap[i][kk]);
            c0[i] = _mm512_fmadd_ps(x, b0, c0[i]);
            c1[i] = _mm512_fmadd_ps(x, b1, c1[i]);
        }
    }
    __m512 bb0 = _mm512_setzero_ps(), bb1 = _mm512_setzero_ps(), z = _mm512_setzero_ps();
    if (mode & BIAS) {
        bb0 = _mm512_loadu_ps(bias);
        bb1 = _mm512_maskz_loadu_ps(m1, bias + 16);
    }
#pragma GCC unroll 16
    for (int i = 0; i < MR; i++) {
        if ((size_t)i >= mr)
            break;
        float *ci = c + (size_t)i * ldc;
        __m512 v0 = c0[i], v1 = c1[i];
        if (mode & ACC) {
            v0 = _mm512_add_ps(v0, _mm512_loadu_ps(ci));
            v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, ci + 16));
        }
        if (mode & BIAS) {
            v0 = _mm512_add_ps(v0, bb0);
            v1 = _mm512_add_ps(v1, bb1);
        }
        if (mode & RELU) {
            v0 = _mm512_max_ps(v0, z);
            v1 = _mm512_max_ps(v1, z);
        }
        _mm512_storeu_ps(ci, v0);
        _mm512_mask_storeu_ps(ci + 16, m1, v1);
    }
}

/* MR16 x 16 tile (the last panel when at most 16 columns are left). */
TARGET static inline void kern16(size_t kc, const float *const *a, const float *b, float *c, size_t ldc,
                                 size_t mr, __mmask16 m0, int mode, const float *bias)
{
    __m512 c0[MR16];
    const float *ap[MR16];

#pragma GCC unroll 16
    for (int i = 0; i < MR16; i++) {
        c0[i] = _mm512_setzero_ps();
        ap[i] = a[i];
    }
#pragma GCC unroll 4
    for (size_t kk = 0; kk < kc; kk++) {
        __m512 b0 = _mm512_load_ps(b + kk * 16);
#pragma GCC unroll 16
        for (int i = 0; i < MR16; i++)
            c0[i] = _mm512_fmadd_ps(_mm512_set1_ps(ap[i][kk]), b0, c0[i]);
    }
    __m512 bb0 = _mm512_setzero_ps(), z = _mm512_setzero_ps();
    if (mode & BIAS)
        bb0 = _mm512_maskz_loadu_ps(m0, bias);
#pragma GCC unroll 16
    for (int i = 0; i < MR16; i++) {
        if ((size_t)i >= mr)
            break;
        float *ci = c + (size_t)i * ldc;
        __m512 v0 = c0[i];
        if (mode & ACC)
            v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, ci));
        if (mode & BIAS)
            v0 = _mm512_add_ps(v0, bb0);
        if (mode & RELU)
            v0 = _mm512_max_ps(v0, z);
        _mm512_mask_storeu_ps(ci, m0, v0);
    }
}

TARGET static void gemm_avx512(size_t m, size_t n, size_t k, const float *const *a, const float *bp,
                               float *c, size_t ldc, const float *bias, int relu)
{
    size_t nkb = (k + KC - 1) / KC, kcb = (k + nkb - 1) / nkb;   /* equal slices, no runt */
    int last = (bias ? BIAS : 0) | (relu ? RELU : 0);

    for (size_t i0 = 0; i0 < m; i0 += MC) {
        size_t mc = m - i0 < MC ? m - i0 : MC;
        for (size_t p0 = 0; p0 < k; p0 += kcb) {
            size_t kc = k - p0 < kcb ? k - p0 : kcb;
            int mode = (p0 ? ACC : 0) | (p0 + kc == k ? last : 0);
            for (size_t j0 = 0; j0 < n; j0 += NR) {
                size_t w = panel_width(n, j0), left = n - j0;
                const float *bpan = bp + j0 * k + p0 * w;
                const float *bj = bias ? bias + j0 : NULL;
                size_t tile = w == NR ? MR : MR16;
                for (size_t ir = 0; ir < mc; ir += tile) {
                    size_t mr = mc - ir < tile ? mc - ir : tile;
                    const float *ap[MR16];
                    for (size_t i = 0; i < tile; i++)   /* a short tile repeats its last row */
                        ap[i] = a[i0 + ir + (i < mr ? i : mr - 1)] + p0;
                    float *ct = c + (i0 + ir) * ldc + j0;
                    if (w == NR)
                        kern32(kc, ap, bpan, ct, ldc, mr,
                               left >= NR ? (__mmask16)0xffff : (__mmask16)((1u << (left - 16)) - 1u), mode,
                               bj);
                    else
                        kern16(kc, ap, bpan, ct, ldc, mr,
                               left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1u), mode, bj);
                }
            }
        }
    }
}

#endif

/* k == 0: C is the bias (or 0), through the ReLU. */
static void gemm_empty(size_t m, size_t n, float *c, size_t ldc, const float *bias, int relu)
{
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            float s = bias ? bias[j] : 0.0f;
            c[i * ldc + j] = relu && !(s > 0.0f) ? 0.0f : s;
        }
}

void ef_sgemm_rows(size_t m, size_t n, size_t k, const float *const *a, const float *bp, float *c,
                   size_t ldc, const float *bias, int relu)
{
    if (m == 0 || n == 0)
        return;
    if (k == 0) {
        gemm_empty(m, n, c, ldc, bias, relu);
        return;
    }
#ifdef HAVE_KERNEL
    gemm_avx512(m, n, k, a, bp, c, ldc, bias, relu);
#else
    gemm_ref(m, n, k, a, bp, c, ldc, bias, relu);
#endif
}

void ef_sgemm(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *bp, float *c,
              size_t ldc, const float *bias, int relu)
{
    const float *rows[MC];

    for (size_t i0 = 0; i0 < m; i0 += MC) {
        size_t mc = m - i0 < MC ? m - i0 : MC;
        for (size_t i = 0; i < mc; i++)
            rows[i] = a + (i0 + i) * lda;
        ef_sgemm_rows(mc, n, k, rows, bp, c + i0 * ldc, ldc, bias, relu);
    }
}
