/* ef_nn_kern.h — the runner's kernels: GEMM-based convolution and dense
 * layers (ef_nn_conv.c, the only file that includes OpenBLAS's cblas.h) and
 * the element-wise, pooling and reshaping ops (ef_nn_ops.c).  Every kernel
 * works on n batch items stored back to back, each [steps][ch] row-major
 * (channels last, as Keras).  Not public. */
#ifndef EF_NN_KERN_H
#define EF_NN_KERN_H

#include <stddef.h>
#include "nn/ef_nn.h"

/* A planned Conv1D (or Dense: k = 1, s = 1, in_steps = out_steps), with the
 * BN folded into w/b and the activation fused when the planner could. */
typedef struct ef_nn_conv {
    size_t in_steps, cin, out_steps, cout;
    int k, s, d, pl;            /* kernel, stride, dilation, left padding */
    const float *w;             /* [k*cin][cout] = Keras's [k][cin][cout] */
    const float *wp;            /* w packed for ef_sgemm, or NULL: OpenBLAS */
    const float *b;             /* [cout] or NULL */
    int act;                    /* enum ef_nn_act, applied in the GEMM output pass */
    double alpha;               /* elu alpha */
} ef_nn_conv;

/* Floats of w packed for the runner's own SGEMM (ef_sgemm.h), and the
 * packing: buf (64-byte aligned, that many floats) becomes c->wp. */
size_t ef_nn_conv_packed_floats(const ef_nn_conv *c);
void ef_nn_conv_pack(ef_nn_conv *c, float *buf);
/* Floats of im2col scratch the convolution wants for n items (0 when it
 * reads its input in place); depends on c->wp. */
size_t ef_nn_conv_scratch(const ef_nn_conv *c, size_t n);
/* y[n][out_steps][cout] = act(conv(x) + b); scratch as sized above. */
void ef_nn_conv_forward(const ef_nn_conv *c, const float *x, size_t n, float *y, float *scratch);

/* Element-wise activation over rows x ch (softmax per row of ch). */
void ef_nn_act_rows(float *x, size_t rows, size_t ch, int act, double alpha);
/* y = x * scale[c] + offset[c] then the activation (x == y allowed). */
void ef_nn_bn_rows(const float *x, size_t rows, size_t ch, const float *scale, const float *offset,
                   int act, double alpha, float *y);
/* TensorFlow's inference BN folded to a per-channel scale and offset, float32:
 * scale = gamma * rsqrt(var + eps), offset = beta - mean * scale. */
void ef_nn_bn_params(const float *gamma, const float *beta, const float *mean, const float *var,
                     double eps, size_t ch, float *scale, float *offset);
/* Keras ReLU layer: max_value (< 0: none), negative_slope, threshold. */
void ef_nn_relu_rows(const float *x, size_t count, double max_value, double slope, double threshold,
                     float *y);
/* y = x[0] + x[1] + ... in input order (y may be x[0]). */
void ef_nn_add(const float *const *x, int nx, size_t count, float *y);
/* Concatenate along channels (axis 1) or steps (axis 0) per item. */
void ef_nn_concat(const float *const *x, const size_t *xsteps, const size_t *xch, int nx, int axis,
                  size_t n, size_t steps, size_t ch, float *y);
/* Max (is_max) or average pooling; out-of-range window cells are ignored
 * and averages divide by the count of in-range cells (TF SAME). */
void ef_nn_pool(const float *x, size_t n, size_t in_steps, size_t ch, int k, int s, int pl,
                size_t out_steps, int is_max, float *y);
/* Global average / max over steps: y[n][ch]. */
void ef_nn_global_pool(const float *x, size_t n, size_t steps, size_t ch, int is_max, float *y);
/* ZeroPadding1D. */
void ef_nn_zeropad(const float *x, size_t n, size_t in_steps, size_t ch, int pl, int pr, float *y);

/* ef_nn_runner_new with an explicit micro-batch (items a thread runs through
 * the network at once; 0 = default).  The benchmark tunes it. */
int ef_nn_runner_new_mb(const ef_nn_model *m, size_t batch, int threads, size_t mb, ef_nn_runner **out,
                        ef_error *err);
/* Bytes of activation and scratch memory planned per thread. */
size_t ef_nn_runner_arena_bytes(const ef_nn_runner *r);

#endif
