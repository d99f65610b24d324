/* ef_mlp_blas.c — OpenBLAS sgemm for the MLP; the only MLP file that sees cblas.h. */
#include "config.h"

#include "model/ef_mlp_blas.h"

#include <cblas.h>

void ef_mlp_sgemm(int ta, int tb, size_t m, size_t n, size_t k, float alpha, const float *A,
                  size_t lda, const float *B, size_t ldb, float beta, float *C, size_t ldc)
{
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                (blasint)m, (blasint)n, (blasint)k, alpha, A, (blasint)lda, B, (blasint)ldb, beta,
                C, (blasint)ldc);
}

