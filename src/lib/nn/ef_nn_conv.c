/* ef_nn_conv.c — Conv1D and Dense as GEMMs, on OpenBLAS (cblas_sgemm) or,
 * when the runner packed the weights (c->wp), on its own SGEMM (ef_sgemm.c).
 *
 * A Keras Conv1D kernel [k][cin][cout] is already a row-major (k*cin) x cout
 * matrix, so a convolution is im2col(x) [rows, k*cin] times that matrix,
 * where the rows of all n items are stacked (row r = item r / out_steps,
 * output step r % out_steps).  Stride, dilation and padding live only in the
 * im2col, which is done in chunks of rows small enough to stay in cache; the
 * bias and the activation are applied to each chunk's GEMM output while it is
 * still hot.  Pointwise convolutions (k = 1, no padding) and Dense layers read
 * their input in place (strided rows for s > 1).
 *
 * The own SGEMM takes one pointer per A row, so there im2col copies only the
 * rows that touch the padding (or all rows when d > 1): any other row of a
 * dilation-1 convolution is the contiguous slice x[o*s - pl .. + k][cin] of
 * the input.  It also applies the bias and a ReLU as it stores C.
 *
 * The runner's only translation unit that includes cblas.h: GSL's gsl_cblas.h
 * declares the same enums (DESIGN.md §5), so no GSL header may appear here. */
#include "config.h"
#include "nn/ef_nn_kern.h"
#include "nn/ef_nn_int.h"
#include "nn/ef_sgemm.h"

#include <cblas.h>
#include <string.h>

/* Target im2col chunk: 256 KiB of floats, about a core's L2 share, but at
 * least 128 rows so that each sgemm call amortises packing the weights
 * (-D overrides for tuning; 1 MiB / 512 rows measured no better on PCLR). */
#ifndef CHUNK_FLOATS
#define CHUNK_FLOATS (64u * 1024u)
#endif
#ifndef CHUNK_MIN_ROWS
#define CHUNK_MIN_ROWS 128u
#endif
/* Rows per own-SGEMM call: the row pointers and the few padded rows (the
 * SGEMM blocks rows itself, so this only bounds the scratch). */
#ifndef OWN_CHUNK
#define OWN_CHUNK 192u
#endif

static int reads_in_place(const ef_nn_conv *c)
{
    return c->k == 1 && c->pl == 0;
}

static size_t chunk_rows(const ef_nn_conv *c, size_t rows)
{
    size_t kk = (size_t)c->k * c->cin;
    size_t r = CHUNK_FLOATS / kk;

    if (r < CHUNK_MIN_ROWS)
        r = CHUNK_MIN_ROWS;
    return r < rows ? r : rows;
}

/* Floats that hold `rows` row pointers, rounded to 64 bytes. */
static size_t ptr_floats(size_t rows)
{
    return (rows * sizeof(const float *) + 63) / 64 * (64 / sizeof(float));
}

size_t ef_nn_conv_scratch(const ef_nn_conv *c, size_t n)
{
    if (c->wp) {
        size_t rows = n * c->out_steps < OWN_CHUNK ? n * c->out_steps : OWN_CHUNK;
        return ptr_floats(rows) + (reads_in_place(c) ? 0 : rows * (size_t)c->k * c->cin);
    }
    if (reads_in_place(c))
        return 0;
    return chunk_rows(c, n * c->out_steps) * (size_t)c->k * c->cin;
}

size_t ef_nn_conv_packed_floats(const ef_nn_conv *c)
{
    return ef_sgemm_packed_floats((size_t)c->k * c->cin, c->cout);
}

void ef_nn_conv_pack(ef_nn_conv *c, float *buf)
{
    ef_sgemm_pack_b((size_t)c->k * c->cin, c->cout, c->w, c->cout, buf);
    c->wp = buf;
}

/* Bias and activation over rows x cout of GEMM output. */
static void epilogue(const ef_nn_conv *c, float *y, size_t rows)
{
    size_t co = c->cout;

    if (c->act == EF_ACT_RELU) {
        for (size_t r = 0; r < rows; r++) {
            float *yr = y + r * co;
            if (c->b)
                for (size_t j = 0; j < co; j++) {
                    float v = yr[j] + c->b[j];
                    yr[j] = v > 0.0f ? v : 0.0f;
                }
            else
                for (size_t j = 0; j < co; j++)
                    yr[j] = yr[j] > 0.0f ? yr[j] : 0.0f;
        }
        return;
    }
    if (c->b)
        for (size_t r = 0; r < rows; r++) {
            float *yr = y + r * co;
            for (size_t j = 0; j < co; j++)
                yr[j] += c->b[j];
        }
    if (c->act != EF_ACT_LINEAR)
        ef_nn_act_rows(y, rows, co, c->act, c->alpha);
}

static void gemm(size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b, float *y)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)m, (int)n, (int)k, 1.0f, a, (int)lda,
                b, (int)n, 0.0f, y, (int)n);
}

/* Row (item, o) of im2col: the k taps of cin channels, zeros off the ends. */
static void im2col_row(const ef_nn_conv *c, const float *x, size_t o, float *dst)
{
    long len = (long)c->in_steps, cin = (long)c->cin;
    long p0 = (long)o * c->s - c->pl;

    if (c->d == 1) {
        long jlo = p0 < 0 ? -p0 : 0, jhi = len - p0;
        if (jhi > c->k)
            jhi = c->k;
        if (jhi < jlo)
            jhi = jlo;
        if (jlo > 0)
            memset(dst, 0, (size_t)(jlo * cin) * sizeof *dst);
        if (jhi > jlo)
            memcpy(dst + jlo * cin, x + (p0 + jlo) * cin, (size_t)((jhi - jlo) * cin) * sizeof *dst);
        if (jhi < c->k)
            memset(dst + jhi * cin, 0, (size_t)((c->k - jhi) * cin) * sizeof *dst);
        return;
    }
    for (long j = 0; j < c->k; j++) {
        long p = p0 + j * c->d;
        if (p < 0 || p >= len)
            memset(dst + j * cin, 0, (size_t)cin * sizeof *dst);
        else
            memcpy(dst + j * cin, x + p * cin, (size_t)cin * sizeof *dst);
    }
}

/* The own-SGEMM path: rows in place where they are contiguous in x. */
static void forward_own(const ef_nn_conv *c, const float *x, size_t n, float *y, float *scratch)
{
    size_t rows = n * c->out_steps, kk = (size_t)c->k * c->cin, chunk = rows < OWN_CHUNK ? rows : OWN_CHUNK;
    const float **a = (const float **)(void *)scratch;
    float *col = scratch + ptr_floats(chunk);
    int relu = c->act == EF_ACT_RELU, tail = c->act != EF_ACT_RELU && c->act != EF_ACT_LINEAR;
    long span = (long)(c->k - 1) * c->d + 1;   /* input steps one output reads */

    for (size_t r0 = 0; r0 < rows; r0 += chunk) {
        size_t r1 = r0 + chunk < rows ? r0 + chunk : rows, ncol = 0;
        for (size_t r = r0; r < r1; r++) {
            size_t item = r / c->out_steps, o = r - item * c->out_steps;
            const float *xi = x + item * c->in_steps * c->cin;
            long p0 = (long)o * c->s - c->pl;
            if ((c->d == 1 || c->k == 1) && p0 >= 0 && p0 + span <= (long)c->in_steps) {
                a[r - r0] = xi + (size_t)p0 * c->cin;
            } else {
                im2col_row(c, xi, o, col + ncol * kk);
                a[r - r0] = col + ncol++ * kk;
            }
        }
        ef_sgemm_rows(r1 - r0, c->cout, kk, a, c->wp, y + r0 * c->cout, c->cout, c->b, relu);
        if (tail)
            ef_nn_act_rows(y + r0 * c->cout, r1 - r0, c->cout, c->act, c->alpha);
    }
}

void ef_nn_conv_forward(const ef_nn_conv *c, const float *x, size_t n, float *y, float *scratch)
{
    size_t rows = n * c->out_steps, kk = (size_t)c->k * c->cin;

    if (c->wp) {
        forward_own(c, x, n, y, scratch);
        return;
    }
    if (reads_in_place(c)) {
        if (c->s == 1) {   /* out_steps == in_steps: one GEMM over every row */
            gemm(rows, c->cout, c->cin, x, c->cin, c->w, y);
            epilogue(c, y, rows);
            return;
        }
        for (size_t i = 0; i < n; i++) {   /* strided rows: lda = s * cin */
            float *yi = y + i * c->out_steps * c->cout;
            gemm(c->out_steps, c->cout, c->cin, x + i * c->in_steps * c->cin, (size_t)c->s * c->cin,
                 c->w, yi);
            epilogue(c, yi, c->out_steps);
        }
        return;
    }
    size_t chunk = chunk_rows(c, rows);
    for (size_t r0 = 0; r0 < rows; r0 += chunk) {
        size_t r1 = r0 + chunk < rows ? r0 + chunk : rows;
        for (size_t r = r0; r < r1; r++) {
            size_t item = r / c->out_steps;
            im2col_row(c, x + item * c->in_steps * c->cin, r - item * c->out_steps,
                       scratch + (r - r0) * kk);
        }
        gemm(r1 - r0, c->cout, kk, scratch, kk, c->w, y + r0 * c->cout);
        epilogue(c, y + r0 * c->cout, r1 - r0);
    }
}

