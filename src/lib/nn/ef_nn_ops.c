/* ef_nn_ops.c — the runner's non-GEMM ops: inference batch normalisation,
 * activations, ReLU, Add, Concatenate, pooling, global pooling and zero
 * padding, in float32 with TensorFlow's inference semantics
 * (reference/keras-h5.md §5). */
#include "config.h"
#include "nn/ef_nn_kern.h"
#include "nn/ef_nn_int.h"

#include <float.h>
#include <math.h>
#include <string.h>

static float act1(float x, int act, double alpha)
{
    double v = x;

    switch (act) {
    case EF_ACT_RELU:
        return x > 0.0f ? x : 0.0f;
    case EF_ACT_SIGMOID:
        return (float)(1.0 / (1.0 + exp(-v)));
    case EF_ACT_TANH:
        return (float)tanh(v);
    case EF_ACT_ELU:
        return x > 0.0f ? x : (float)(alpha * expm1(v));
    case EF_ACT_SWISH:
        return (float)(v / (1.0 + exp(-v)));
    case EF_ACT_GELU:
        return (float)(0.5 * v * (1.0 + erf(v * 0.70710678118654752)));
    case EF_ACT_GELU_TANH:
        return (float)(0.5 * v * (1.0 + tanh(0.79788456080286536 * (v + 0.044715 * v * v * v))));
    default:
        return x;
    }
}

/* Softmax over one row: subtract the maximum so that exp never overflows. */
static void softmax_row(float *x, size_t ch)
{
    float mx = -FLT_MAX;
    double sum = 0.0;

    for (size_t j = 0; j < ch; j++)
        if (x[j] > mx)
            mx = x[j];
    for (size_t j = 0; j < ch; j++) {
        double e = exp((double)x[j] - mx);
        x[j] = (float)e;
        sum += e;
    }
    for (size_t j = 0; j < ch; j++)
        x[j] = (float)(x[j] / sum);
}

void ef_nn_act_rows(float *x, size_t rows, size_t ch, int act, double alpha)
{
    size_t count = rows * ch;

    if (act == EF_ACT_LINEAR)
        return;
    if (act == EF_ACT_SOFTMAX) {
        for (size_t r = 0; r < rows; r++)
            softmax_row(x + r * ch, ch);
        return;
    }
    if (act == EF_ACT_RELU) {
        for (size_t i = 0; i < count; i++)
            x[i] = x[i] > 0.0f ? x[i] : 0.0f;
        return;
    }
    for (size_t i = 0; i < count; i++)
        x[i] = act1(x[i], act, alpha);
}

void ef_nn_bn_params(const float *gamma, const float *beta, const float *mean, const float *var,
                     double eps, size_t ch, float *scale, float *offset)
{
    /* tf.nn.batch_normalization: inv = rsqrt(var + eps) * gamma;
     * y = x * inv + (beta - mean * inv), every step rounded to float32. */
    for (size_t c = 0; c < ch; c++) {
        float inv = 1.0f / sqrtf(var[c] + (float)eps);
        if (gamma)
            inv *= gamma[c];
        scale[c] = inv;
        offset[c] = (beta ? beta[c] : 0.0f) - mean[c] * inv;
    }
}

void ef_nn_bn_rows(const float *x, size_t rows, size_t ch, const float *scale, const float *offset,
                   int act, double alpha, float *y)
{
    for (size_t r = 0; r < rows; r++) {
        const float *xr = x + r * ch;
        float *yr = y + r * ch;
        if (act == EF_ACT_RELU) {
            for (size_t c = 0; c < ch; c++) {
                float v = xr[c] * scale[c] + offset[c];
                yr[c] = v > 0.0f ? v : 0.0f;
            }
        } else {
            for (size_t c = 0; c < ch; c++)
                yr[c] = xr[c] * scale[c] + offset[c];
        }
    }
    if (act != EF_ACT_RELU && act != EF_ACT_LINEAR)
        ef_nn_act_rows(y, rows, ch, act, alpha);
}

void ef_nn_relu_rows(const float *x, size_t count, double max_value, double slope, double threshold,
                     float *y)
{
    float mv = (float)max_value, sl = (float)slope, th = (float)threshold;

    for (size_t i = 0; i < count; i++) {
        float v = x[i];
        if (max_value >= 0.0 && v >= mv)
            v = mv;
        else if (v < th)
            v = sl * (v - th);
        y[i] = v;
    }
}

void ef_nn_add(const float *const *x, int nx, size_t count, float *y)
{
    if (y != x[0])
        memcpy(y, x[0], count * sizeof *y);
    for (int k = 1; k < nx; k++) {
        const float *xk = x[k];
        for (size_t i = 0; i < count; i++)
            y[i] += xk[i];
    }
}

void ef_nn_concat(const float *const *x, const size_t *xsteps, const size_t *xch, int nx, int axis,
                  size_t n, size_t steps, size_t ch, float *y)
{
    for (size_t i = 0; i < n; i++) {
        float *yi = y + i * steps * ch;
        if (axis == 0) {   /* steps: blocks one after the other */
            for (int k = 0; k < nx; k++) {
                size_t len = xsteps[k] * ch;
                memcpy(yi, x[k] + i * len, len * sizeof *y);
                yi += len;
            }
            continue;
        }
        for (size_t t = 0; t < steps; t++) {   /* channels: segments of each row */
            float *row = yi + t * ch;
            for (int k = 0; k < nx; k++) {
                memcpy(row, x[k] + (i * steps + t) * xch[k], xch[k] * sizeof *y);
                row += xch[k];
            }
        }
    }
}

void ef_nn_pool(const float *x, size_t n, size_t in_steps, size_t ch, int k, int s, int pl,
                size_t out_steps, int is_max, float *y)
{
    for (size_t i = 0; i < n; i++) {
        const float *xi = x + i * in_steps * ch;
        for (size_t o = 0; o < out_steps; o++) {
            long p0 = (long)o * s - pl, p1 = p0 + k;
            float *yo = y + (i * out_steps + o) * ch;
            if (p0 < 0)
                p0 = 0;
            if (p1 > (long)in_steps)
                p1 = (long)in_steps;
            if (p1 <= p0) {   /* no in-range cell: cannot happen with TF's padding */
                memset(yo, 0, ch * sizeof *yo);
                continue;
            }
            memcpy(yo, xi + p0 * ch, ch * sizeof *yo);
            for (long p = p0 + 1; p < p1; p++) {
                const float *xp = xi + p * ch;
                if (is_max) {
                    for (size_t c = 0; c < ch; c++)
                        yo[c] = xp[c] > yo[c] ? xp[c] : yo[c];
                } else {
                    for (size_t c = 0; c < ch; c++)
                        yo[c] += xp[c];
                }
            }
            if (!is_max) {
                float cnt = (float)(p1 - p0);
                for (size_t c = 0; c < ch; c++)
                    yo[c] /= cnt;
            }
        }
    }
}

void ef_nn_global_pool(const float *x, size_t n, size_t steps, size_t ch, int is_max, float *y)
{
    for (size_t i = 0; i < n; i++) {
        const float *xi = x + i * steps * ch;
        float *yi = y + i * ch;
        memcpy(yi, xi, ch * sizeof *yi);
        for (size_t t = 1; t < steps; t++) {
            const float *xt = xi + t * ch;
            if (is_max) {
                for (size_t c = 0; c < ch; c++)
                    yi[c] = xt[c] > yi[c] ? xt[c] : yi[c];
            } else {
                for (size_t c = 0; c < ch; c++)
                    yi[c] += xt[c];
            }
        }
        if (!is_max)
            for (size_t c = 0; c < ch; c++)
                yi[c] /= (float)steps;
    }
}

void ef_nn_zeropad(const float *x, size_t n, size_t in_steps, size_t ch, int pl, int pr, float *y)
{
    size_t out_steps = in_steps + (size_t)pl + (size_t)pr;

    for (size_t i = 0; i < n; i++) {
        float *yi = y + i * out_steps * ch;
        memset(yi, 0, (size_t)pl * ch * sizeof *y);
        memcpy(yi + (size_t)pl * ch, x + i * in_steps * ch, in_steps * ch * sizeof *y);
        memset(yi + (pl + in_steps) * ch, 0, (size_t)pr * ch * sizeof *y);
    }
}
