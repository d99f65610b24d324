/* ef_sgemm.h — the runner's own single-threaded SGEMM (AVX-512F), shaped for
 * its convolution and dense GEMMs: C[m][n] = A[m][k] B[k][n] (+ bias, ReLU),
 * all row-major, with B (the constant weights) packed once and A given as
 * one pointer per row, so that im2col rows can be read in place from the
 * layer input.  Not public. */
#ifndef EF_SGEMM_H
#define EF_SGEMM_H

#include <stddef.h>

/* 1 when this build has the AVX-512F kernel and the CPU runs it. */
int ef_sgemm_supported(void);

/* Which GEMM the runner uses: ECGFIT_GEMM=openblas|own|auto (unset or empty
 * = auto).  auto and own pick the own kernel when ef_sgemm_supported();
 * own on a CPU without AVX-512F falls back to OpenBLAS.  Returns 1 for the
 * own kernel, 0 for OpenBLAS, -1 for any other value of the variable. */
int ef_sgemm_choose(void);

/* Floats (and 64-byte alignment) the packed form of a k x n B needs. */
size_t ef_sgemm_packed_floats(size_t k, size_t n);
/* Pack B (k x n, row-major, leading dimension ldb) for ef_sgemm_rows; bp
 * must be 64-byte aligned and hold ef_sgemm_packed_floats(k, n) floats. */
void ef_sgemm_pack_b(size_t k, size_t n, const float *b, size_t ldb, float *bp);

/* C = A B, then + bias[n] (bias may be NULL), then max(0, .) when relu.
 * Row i of A is the k floats at a[i]; C has leading dimension ldc.  Only
 * call when ef_sgemm_supported(). */
void ef_sgemm_rows(size_t m, size_t n, size_t k, const float *const *a, const float *bp, float *c,
                   size_t ldc, const float *bias, int relu);
/* The same with A strided: row i at a + i * lda. */
void ef_sgemm(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *bp, float *c,
              size_t ldc, const float *bias, int relu);

#endif
