/* test_sgemm.c — the runner's own AVX-512F SGEMM (ef_sgemm.c) against a
 * float64 reference and OpenBLAS's cblas_sgemm: every edge of the blocking
 * (rows around the micro-tile and row block, columns around the 16/32-wide
 * panels, k around the k slice, k = 0 and 1), bias and ReLU, strided and
 * overlapping A rows, C inside a wider matrix (nothing written outside it);
 * then Conv1D through ef_nn_conv_forward with packed weights (rows read in
 * place, padded, strided, dilated) against a direct float64 convolution;
 * and ECGFIT_GEMM's parsing.  Skipped on CPUs without AVX-512F. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "core/ef_rng.h"
#include "nn/ef_nn_int.h"
#include "nn/ef_nn_kern.h"
#include "nn/ef_sgemm.h"

#include <cblas.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x13198a2e03707344ull;

static double unif(void)   /* [0, 1) from the library's splitmix64 */
{
    return (double)(ef_splitmix64(&rng_state) >> 11) / 9007199254740992.0;
}

static float *rand_floats(size_t n)
{
    float *f = ef_xmalloc((n ? n : 1) * sizeof *f);
    for (size_t i = 0; i < n; i++)
        f[i] = (float)(2.0 * unif() - 1.0);
    return f;
}

/* 64-byte aligned packed B (freed through *base). */
static float *packed(size_t k, size_t n, const float *b, size_t ldb, void **base)
{
    float *p = ef_xmalloc((ef_sgemm_packed_floats(k, n) + 16) * sizeof *p);
    float *q = p + (64 - (uintptr_t)p % 64) % 64 / sizeof *p;
    ef_sgemm_pack_b(k, n, b, ldb, q);
    *base = p;
    return q;
}

/* Worst error of c against float64, in units of k * FLT_EPSILON * sum|a b|
 * (a bound for any summation order: must stay <= 1), and the plain
 * max |c - ref| / max |ref|. */
struct err { double bound, rel; };

static struct err check(size_t m, size_t n, size_t k, const float *const *a, const float *b, size_t ldb,
                        const float *c, size_t ldc, const float *bias, int relu)
{
    struct err e = { 0, 0 };
    double maxref = 0, maxdiff = 0;

    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            double s = 0, sa = 0;
            for (size_t kk = 0; kk < k; kk++) {
                s += (double)a[i][kk] * b[kk * ldb + j];
                sa += fabs((double)a[i][kk] * b[kk * ldb + j]);
            }
            if (bias) {
                s += bias[j];
                sa += fabs(bias[j]);
            }
            double got = c[i * ldc + j], ref = relu && s < 0 ? 0 : s;
            double d = fabs(got - ref), lim = (double)(k + 2) * FLT_EPSILON * sa + 1e-30;
            if (relu && got < 0)
                d = INFINITY;   /* ReLU output is never negative */
            if (isnan(got))
                d = INFINITY;
            e.bound = fmax(e.bound, d / lim);
            maxdiff = fmax(maxdiff, d);
            maxref = fmax(maxref, fabs(ref));
        }
    e.rel = maxref > 0 ? maxdiff / maxref : maxdiff;
    return e;
}

/* One GEMM through ef_sgemm_rows with C inside a NaN-filled wider matrix. */
static int one(size_t m, size_t n, size_t k, int use_bias, int relu, int with_blas)
{
    size_t ldc = n + 5, rows = m + 2;
    float *a = rand_floats(m * k), *b = rand_floats(k * n), *bias = use_bias ? rand_floats(n) : NULL;
    float *c = ef_xmalloc(rows * ldc * sizeof *c);
    const float **ap = ef_xmalloc((m ? m : 1) * sizeof *ap);
    void *base;
    const float *bp = packed(k, n, b, n, &base);
    int good = 1;

    for (size_t i = 0; i < rows * ldc; i++)
        c[i] = NAN;
    for (size_t i = 0; i < m; i++)
        ap[i] = a + i * k;
    ef_sgemm_rows(m, n, k, ap, bp, c + ldc, ldc, bias, relu);
    struct err e = check(m, n, k, ap, b, n, c + ldc, ldc, bias, relu);
    for (size_t i = 0; i < rows * ldc; i++) {
        size_t r = i / ldc, j = i % ldc;
        if ((r == 0 || r > m || j >= n) && !isnan(c[i]))
            good = 0;
    }
    good = ok(e.bound <= 1 && good, "m=%zu n=%zu k=%zu%s%s: within %.2g of the bound, rel %.1e, nothing "
              "written outside C", m, n, k, use_bias ? " bias" : "", relu ? " relu" : "", e.bound, e.rel)
           && good;
    if (with_blas && m && n && k) {
        float *cb = ef_xmalloc(m * n * sizeof *cb);
        double d = 0, mx = 0;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)k, 1.0f, a, (int)k, b,
                    (int)n, 0.0f, cb, (int)n);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < n; j++) {
                float v = cb[i * n + j] + (bias ? bias[j] : 0.0f);
                v = relu && v < 0 ? 0.0f : v;
                d = fmax(d, fabs(v - c[(i + 1) * ldc + j]));
                mx = fmax(mx, fabs(v));
            }
        good = ok(d <= 1e-5 * mx * sqrt((double)k), "m=%zu n=%zu k=%zu: agrees with cblas_sgemm (rel %.1e)",
                  m, n, k, mx > 0 ? d / mx : d) && good;
        free(cb);
    }
    free(base);
    free(ap);
    free(c);
    free(bias);
    free(b);
    free(a);
    return good;
}

/* Rows of A in any order and overlapping (a conv's in-place rows), via
 * ef_sgemm_rows, and strided via ef_sgemm. */
static void rows_and_strides(void)
{
    size_t m = 150, n = 40, k = 300, step = 7, nx = m * step + k;
    float *x = rand_floats(nx), *b = rand_floats(k * n), *c = ef_xmalloc(m * n * sizeof *c);
    const float **ap = ef_xmalloc(m * sizeof *ap);
    void *base;
    const float *bp = packed(k, n, b, n, &base);

    for (size_t i = 0; i < m; i++)   /* a permutation of overlapping rows */
        ap[i] = x + (i * 37 % m) * step;
    ef_sgemm_rows(m, n, k, ap, bp, c, n, NULL, 0);
    ok(check(m, n, k, ap, b, n, c, n, NULL, 0).bound <= 1, "permuted overlapping rows (lda 7 < k 300)");
    ef_sgemm(m, n, k, x, step, bp, c, n, NULL, 0);
    for (size_t i = 0; i < m; i++)
        ap[i] = x + i * step;
    ok(check(m, n, k, ap, b, n, c, n, NULL, 0).bound <= 1, "ef_sgemm with lda 7 < k");
    free(base);

    /* B inside a wider matrix (ldb > n) and A with lda > k */
    size_t ldb = 50, n2 = 33, k2 = 70, lda = 81;
    float *b2 = rand_floats(k2 * ldb), *a2 = rand_floats(m * lda);
    bp = packed(k2, n2, b2, ldb, &base);
    ef_sgemm(m, n2, k2, a2, lda, bp, c, n2, NULL, 1);
    for (size_t i = 0; i < m; i++)
        ap[i] = a2 + i * lda;
    ok(check(m, n2, k2, ap, b2, ldb, c, n2, NULL, 1).bound <= 1, "ldb 50 > n 33, lda 81 > k 70, relu");
    free(base);
    free(a2);
    free(b2);
    free(ap);
    free(c);
    free(b);
    free(x);
}

/* ---- Conv1D through the runner's kernel with packed weights ---------------- */

static int conv_case(size_t n, size_t len, size_t cin, size_t cout, int k, int s, int d, int pl, int pr,
                     int use_bias, int act)
{
    ef_nn_conv c = { 0 };
    size_t span = (size_t)(k - 1) * d + 1, padded = len + (size_t)pl + (size_t)pr;
    size_t out = padded >= span ? (padded - span) / (size_t)s + 1 : 0;
    float *x = rand_floats(n * len * cin), *w = rand_floats((size_t)k * cin * cout);
    float *b = use_bias ? rand_floats(cout) : NULL, *y = ef_xmalloc((n * out * cout + 1) * sizeof *y);
    void *base;
    double worst = 0, maxref = 0;

    c.in_steps = len;
    c.cin = cin;
    c.out_steps = out;
    c.cout = cout;
    c.k = k;
    c.s = s;
    c.d = d;
    c.pl = pl;
    c.w = w;
    c.b = b;
    c.act = act;
    c.alpha = 1.0;
    float *wp = ef_xmalloc((ef_nn_conv_packed_floats(&c) + 16) * sizeof *wp);
    base = wp;
    ef_nn_conv_pack(&c, wp + (64 - (uintptr_t)wp % 64) % 64 / sizeof *wp);
    float *scratch = ef_xmalloc((ef_nn_conv_scratch(&c, n) + 1) * sizeof *scratch);
    ef_nn_conv_forward(&c, x, n, y, scratch);
    for (size_t it = 0; it < n; it++)
        for (size_t o = 0; o < out; o++)
            for (size_t j = 0; j < cout; j++) {
                double sum = b ? b[j] : 0, sa = b ? fabs(b[j]) : 0;
                for (int t = 0; t < k; t++) {
                    long p = (long)o * s - pl + (long)t * d;
                    if (p < 0 || p >= (long)len)
                        continue;
                    for (size_t ci = 0; ci < cin; ci++) {
                        double v = (double)x[(it * len + (size_t)p) * cin + ci] * w[((size_t)t * cin + ci) * cout + j];
                        sum += v;
                        sa += fabs(v);
                    }
                }
                if (act == EF_ACT_RELU)
                    sum = sum > 0 ? sum : 0;
                else if (act == EF_ACT_TANH)
                    sum = tanh(sum);
                double got = y[(it * out + o) * cout + j];
                double lim = ((double)k * cin + 2) * FLT_EPSILON * sa + 4 * FLT_EPSILON;
                double e = isnan(got) ? INFINITY : fabs(got - sum) / lim;
                worst = fmax(worst, e);
                maxref = fmax(maxref, fabs(sum));
            }
    int good = ok(worst <= 1, "conv n=%zu len=%zu cin=%zu cout=%zu k=%d s=%d d=%d pad=%d+%d%s act=%d: "
                  "within %.2g of the bound", n, len, cin, cout, k, s, d, pl, pr, b ? " bias" : "", act, worst);
    free(scratch);
    free(base);
    free(y);
    free(b);
    free(w);
    free(x);
    return good;
}

static void env_choice(void)
{
    setenv("ECGFIT_GEMM", "openblas", 1);
    is_int(ef_sgemm_choose(), 0, "ECGFIT_GEMM=openblas");
    setenv("ECGFIT_GEMM", "own", 1);
    is_int(ef_sgemm_choose(), 1, "ECGFIT_GEMM=own");
    setenv("ECGFIT_GEMM", "auto", 1);
    is_int(ef_sgemm_choose(), 1, "ECGFIT_GEMM=auto");
    setenv("ECGFIT_GEMM", "", 1);
    is_int(ef_sgemm_choose(), 1, "ECGFIT_GEMM empty = auto");
    setenv("ECGFIT_GEMM", "mkl", 1);
    is_int(ef_sgemm_choose(), -1, "ECGFIT_GEMM=mkl is rejected");
    unsetenv("ECGFIT_GEMM");
    is_int(ef_sgemm_choose(), 1, "ECGFIT_GEMM unset = auto");
}

int main(void)
{
    if (!ef_sgemm_supported())
        skip_all("CPU without AVX-512F: the runner uses OpenBLAS");
    openblas_set_num_threads(1);

    /* columns: every width through two 32-wide panels and a 16-wide tail */
    for (size_t n = 1; n <= 70; n++)
        one(7, n, 19, n % 3 == 0, n % 2 == 0, 0);
    /* rows: around the 6-row tile and the 96-row block */
    for (size_t m = 0; m <= 14; m++)
        one(m, 33, 11, 1, 1, 0);
    static const size_t mrows[] = { 95, 96, 97, 101, 191, 192, 193, 389 };
    for (size_t i = 0; i < sizeof mrows / sizeof *mrows; i++)
        one(mrows[i], 17, 23, 0, 0, 1);
    /* k: 0, 1, small, around the 256-float slice and its equal splits, large, prime */
    static const size_t ks[] = { 0, 1, 2, 3, 16, 255, 256, 257, 511, 512, 513, 769, 1031, 2053, 5120 };
    for (size_t i = 0; i < sizeof ks / sizeof *ks; i++)
        one(13, 49, ks[i], i % 2, i % 3 == 0, 1);
    /* n = 0 and m = 0 write nothing; 1 x 1 x 1 */
    one(5, 0, 9, 1, 0, 0);
    one(1, 1, 1, 1, 1, 1);
    /* the runner's shapes (PCLR channel counts, rows of a micro-batch chunk) */
    static const size_t big[][3] = { { 192, 64, 192 }, { 192, 128, 1024 }, { 192, 196, 2048 },
                                     { 101, 196, 3136 }, { 64, 320, 4096 }, { 16, 320, 5120 },
                                     { 61, 97, 1237 } };
    for (size_t i = 0; i < sizeof big / sizeof *big; i++)
        one(big[i][0], big[i][1], big[i][2], 1, 1, 1);
    rows_and_strides();

    /* Conv1D: padded edge rows im2col'd, interior rows read in place */
    conv_case(3, 50, 5, 17, 7, 1, 1, 3, 3, 1, EF_ACT_RELU);      /* SAME, s 1 */
    conv_case(2, 64, 12, 64, 16, 1, 1, 7, 8, 0, EF_ACT_LINEAR);  /* PCLR's first conv */
    conv_case(2, 64, 8, 33, 16, 4, 1, 6, 6, 1, EF_ACT_RELU);     /* strided SAME */
    conv_case(3, 40, 6, 20, 5, 2, 3, 6, 6, 1, EF_ACT_TANH);      /* dilated: all rows copied */
    conv_case(4, 9, 7, 31, 1, 3, 1, 0, 0, 1, EF_ACT_LINEAR);     /* pointwise, strided */
    conv_case(5, 1, 40, 50, 1, 1, 1, 0, 0, 1, EF_ACT_RELU);      /* Dense */
    conv_case(2, 3, 4, 18, 9, 1, 1, 4, 4, 0, EF_ACT_RELU);       /* every row padded */
    conv_case(70, 5, 3, 16, 3, 1, 1, 0, 0, 1, EF_ACT_RELU);      /* valid, many items per chunk */
    conv_case(2, 300, 3, 40, 4, 1, 1, 3, 0, 1, EF_ACT_LINEAR);   /* causal, > one chunk per item */

    env_choice();
    return done_testing();
}
