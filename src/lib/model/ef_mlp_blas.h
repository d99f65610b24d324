/* ef_mlp_blas.h — the one GEMM the MLP needs, without cblas.h (OpenBLAS's
 * cblas.h and GSL's gsl_cblas.h cannot share a translation unit). */
#ifndef EF_MLP_BLAS_H
#define EF_MLP_BLAS_H

#include <stddef.h>

/* Row-major C (m x n) = alpha * op(A) * op(B) + beta * C, op = transpose when
 * ta / tb is non-zero; op(A) is m x k, op(B) is k x n. */
void ef_mlp_sgemm(int ta, int tb, size_t m, size_t n, size_t k, float alpha, const float *A,
                  size_t lda, const float *B, size_t ldb, float beta, float *C, size_t ldc);

#endif
