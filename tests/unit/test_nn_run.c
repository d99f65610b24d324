/* test_nn_run.c — the inference engine on hand-built models, against a
 * naive float64 implementation of Keras's inference semantics written here
 * (direct convolution loops, BN as gamma (x - mean) / sqrt(var + eps) + beta,
 * windows that ignore out-of-range cells).  Models are filled in by a tiny
 * builder so that the runner is tested without the .h5 loader. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "core/ef_rng.h"
#include "nn/ef_nn_int.h"
#include "nn/ef_nn_kern.h"
#include "nn/ef_sgemm.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers -------------------------------------------------------- */

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static double unif(void)   /* [0, 1) from the library's splitmix64 */
{
    return (double)(ef_splitmix64(&rng_state) >> 11) / 9007199254740992.0;
}

static float *rand_floats(size_t n, double lo, double hi)
{
    float *f = ef_xmalloc((n ? n : 1) * sizeof *f);
    for (size_t i = 0; i < n; i++)
        f[i] = (float)(lo + (hi - lo) * unif());
    return f;
}

/* ---- builder ----------------------------------------------------------------- */

static ef_nn_model *model_new(size_t steps, size_t ch)
{
    ef_nn_model *m = ef_xcalloc(1, sizeof *m);
    m->layers = ef_xcalloc(64, sizeof *m->layers);
    m->nlayers = 1;
    m->in_steps = steps;
    m->in_ch = ch;
    m->name = ef_xstrdup("test");
    m->layers[0].name = ef_xstrdup("input");
    m->layers[0].op = EF_NN_INPUT;
    m->layers[0].rank = 2;
    m->layers[0].steps = steps;
    m->layers[0].ch = ch;
    return m;
}

static void model_free(ef_nn_model *m)
{
    for (size_t i = 0; i < m->nlayers; i++) {
        free(m->layers[i].name);
        for (int k = 0; k < m->layers[i].nw; k++)
            free(m->layers[i].w[k]);
    }
    free(m->layers);
    free(m->name);
    free(m);
}

/* TF's windowed output size and SAME split. */
static void window(ef_nn_layer *l, size_t len, int k, int s, int d, int pad)
{
    int eff = (k - 1) * d + 1;

    l->pad_left = l->pad_right = 0;
    if (pad == EF_PAD_SAME) {
        size_t out = (len + (size_t)s - 1) / (size_t)s;
        long total = (long)((out - 1) * (size_t)s) + eff - (long)len;
        if (total < 0)
            total = 0;
        l->pad_left = (int)(total / 2);
        l->pad_right = (int)(total - total / 2);
        l->steps = out;
    } else if (pad == EF_PAD_CAUSAL) {
        l->pad_left = (k - 1) * d;
        l->steps = (len + (size_t)l->pad_left - (size_t)eff) / (size_t)s + 1;
    } else {
        l->steps = (len - (size_t)eff) / (size_t)s + 1;
    }
}

/* Append a layer reading `in` (and in2.. for Add/Concat: pass -1 to end). */
static int add(ef_nn_model *m, int op, int in, ...)
{
    ef_nn_layer *l = &m->layers[m->nlayers];
    char name[32];
    va_list ap;

    snprintf(name, sizeof name, "l%zu", m->nlayers);
    l->name = ef_xstrdup(name);
    l->op = op;
    l->inputs[l->ninputs++] = in;
    va_start(ap, in);
    for (int x = va_arg(ap, int); x >= 0; x = va_arg(ap, int))
        l->inputs[l->ninputs++] = x;
    va_end(ap);
    l->rank = m->layers[in].rank;
    l->steps = m->layers[in].steps;
    l->ch = m->layers[in].ch;
    l->stride = l->dilation = 1;
    l->relu_max = -1;
    l->elu_alpha = 1.0;
    m->output = (int)m->nlayers;
    return (int)m->nlayers++;
}

static int conv(ef_nn_model *m, int in, int filters, int k, int s, int d, int pad, int bias, int act)
{
    int i = add(m, EF_NN_CONV1D, in, -1);
    ef_nn_layer *l = &m->layers[i];
    size_t cin = m->layers[in].ch;

    l->kernel = k;
    l->stride = s;
    l->dilation = d;
    l->padding = pad;
    l->filters = filters;
    l->ch = (size_t)filters;
    l->use_bias = bias;
    l->act = act;
    window(l, m->layers[in].steps, k, s, d, pad);
    double sd = 1.0 / sqrt((double)k * cin);
    l->wlen[0] = (size_t)k * cin * filters;
    l->w[l->nw++] = rand_floats(l->wlen[0], -sd, sd);
    if (bias) {
        l->wlen[1] = (size_t)filters;
        l->w[l->nw++] = rand_floats((size_t)filters, -0.5, 0.5);
    }
    return i;
}

static int dense(ef_nn_model *m, int in, int units, int act)
{
    int i = add(m, EF_NN_DENSE, in, -1);
    ef_nn_layer *l = &m->layers[i];
    size_t cin = m->layers[in].ch;

    l->ch = (size_t)units;
    l->use_bias = 1;
    l->act = act;
    l->wlen[0] = cin * (size_t)units;
    l->w[l->nw++] = rand_floats(l->wlen[0], -1.0 / sqrt((double)cin), 1.0 / sqrt((double)cin));
    l->wlen[1] = (size_t)units;
    l->w[l->nw++] = rand_floats((size_t)units, -0.3, 0.3);
    return i;
}

static int bn(ef_nn_model *m, int in, int center, int scale)
{
    int i = add(m, EF_NN_BN, in, -1);
    ef_nn_layer *l = &m->layers[i];

    l->epsilon = 1e-3;
    l->center = center;
    l->scale = scale;
    if (scale)
        l->w[l->nw++] = rand_floats(l->ch, 0.5, 1.5);
    if (center)
        l->w[l->nw++] = rand_floats(l->ch, -0.5, 0.5);
    l->w[l->nw++] = rand_floats(l->ch, -0.3, 0.3);
    l->w[l->nw++] = rand_floats(l->ch, 0.02, 2.0);
    for (int k = 0; k < l->nw; k++)
        l->wlen[k] = l->ch;
    return i;
}

static int act(ef_nn_model *m, int in, int a)
{
    int i = add(m, EF_NN_ACTIVATION, in, -1);
    m->layers[i].act = a;
    return i;
}

static int pool(ef_nn_model *m, int in, int op, int k, int s, int pad)
{
    int i = add(m, op, in, -1);
    m->layers[i].kernel = k;
    m->layers[i].stride = s;
    m->layers[i].padding = pad;
    window(&m->layers[i], m->layers[in].steps, k, s, 1, pad);
    return i;
}

static int gpool(ef_nn_model *m, int in, int op)
{
    int i = add(m, op, in, -1);
    m->layers[i].rank = 1;
    m->layers[i].steps = 1;
    return i;
}

/* ---- float64 reference ----------------------------------------------------------- */

static double ref_act(double v, int a, double alpha)
{
    switch (a) {
    case EF_ACT_RELU: return v > 0 ? v : 0;
    case EF_ACT_SIGMOID: return 1 / (1 + exp(-v));
    case EF_ACT_TANH: return tanh(v);
    case EF_ACT_ELU: return v > 0 ? v : alpha * (exp(v) - 1);
    case EF_ACT_SWISH: return v / (1 + exp(-v));
    case EF_ACT_GELU: return 0.5 * v * (1 + erf(v / sqrt(2.0)));
    case EF_ACT_GELU_TANH:
        return 0.5 * v * (1 + tanh(sqrt(2 / 3.14159265358979323846) * (v + 0.044715 * v * v * v)));
    default: return v;
    }
}

static void ref_act_rows(double *y, size_t rows, size_t ch, int a, double alpha)
{
    for (size_t r = 0; r < rows; r++) {
        double *yr = y + r * ch;
        if (a == EF_ACT_SOFTMAX) {
            double mx = yr[0], sum = 0;
            for (size_t c = 1; c < ch; c++)
                mx = yr[c] > mx ? yr[c] : mx;
            for (size_t c = 0; c < ch; c++)
                sum += (yr[c] = exp(yr[c] - mx));
            for (size_t c = 0; c < ch; c++)
                yr[c] /= sum;
        } else {
            for (size_t c = 0; c < ch; c++)
                yr[c] = ref_act(yr[c], a, alpha);
        }
    }
}

/* Every layer's output for one item (v[layer] has steps*ch values). */
static double **ref_forward(const ef_nn_model *m, const float *x)
{
    double **v = ef_xcalloc(m->nlayers, sizeof *v);

    for (size_t li = 0; li < m->nlayers; li++) {
        const ef_nn_layer *l = &m->layers[li];
        const ef_nn_layer *in = l->ninputs ? &m->layers[l->inputs[0]] : NULL;
        const double *a = l->ninputs ? v[l->inputs[0]] : NULL;
        size_t S = l->steps, C = l->ch, n = S * C;
        double *y = v[li] = ef_xcalloc(n, sizeof *y);

        switch (l->op) {
        case EF_NN_INPUT:
            for (size_t i = 0; i < n; i++)
                y[i] = x[i];
            break;
        case EF_NN_CONV1D:
            for (size_t o = 0; o < S; o++)
                for (size_t co = 0; co < C; co++) {
                    double sum = l->use_bias ? l->w[1][co] : 0;
                    for (int j = 0; j < l->kernel; j++) {
                        long p = (long)o * l->stride + (long)j * l->dilation - l->pad_left;
                        if (p < 0 || p >= (long)in->steps)
                            continue;
                        for (size_t ci = 0; ci < in->ch; ci++)
                            sum += a[(size_t)p * in->ch + ci]
                                   * l->w[0][((size_t)j * in->ch + ci) * C + co];
                    }
                    y[o * C + co] = sum;
                }
            ref_act_rows(y, S, C, l->act, l->elu_alpha);
            break;
        case EF_NN_DENSE:
            for (size_t t = 0; t < S; t++)
                for (size_t co = 0; co < C; co++) {
                    double sum = l->w[1][co];
                    for (size_t ci = 0; ci < in->ch; ci++)
                        sum += a[t * in->ch + ci] * l->w[0][ci * C + co];
                    y[t * C + co] = sum;
                }
            ref_act_rows(y, S, C, l->act, l->elu_alpha);
            break;
        case EF_NN_BN: {
            int k = 0;
            const float *g = l->scale ? l->w[k++] : NULL, *b = l->center ? l->w[k++] : NULL;
            const float *mu = l->w[k], *var = l->w[k + 1];
            for (size_t i = 0; i < n; i++) {
                size_t c = i % C;
                y[i] = (g ? g[c] : 1.0) * (a[i] - mu[c]) / sqrt((double)var[c] + (float)l->epsilon)
                       + (b ? b[c] : 0.0);
            }
            break;
        }
        case EF_NN_ACTIVATION:
            memcpy(y, a, n * sizeof *y);
            ref_act_rows(y, S, C, l->act, l->elu_alpha);
            break;
        case EF_NN_RELU:
            for (size_t i = 0; i < n; i++) {
                double t = a[i];
                if (l->relu_max >= 0 && t >= l->relu_max)
                    t = l->relu_max;
                else if (t < l->relu_threshold)
                    t = l->relu_slope * (t - l->relu_threshold);
                y[i] = t;
            }
            break;
        case EF_NN_ADD:
            for (int k = 0; k < l->ninputs; k++)
                for (size_t i = 0; i < n; i++)
                    y[i] += v[l->inputs[k]][i];
            break;
        case EF_NN_CONCAT: {
            size_t at = 0;
            for (int k = 0; k < l->ninputs; k++) {
                const ef_nn_layer *xi = &m->layers[l->inputs[k]];
                for (size_t t = 0; t < xi->steps; t++)
                    for (size_t c = 0; c < xi->ch; c++) {
                        double val = v[l->inputs[k]][t * xi->ch + c];
                        if (l->axis == 1)
                            y[t * C + at + c] = val;
                        else
                            y[(at + t) * C + c] = val;
                    }
                at += l->axis == 1 ? xi->ch : xi->steps;
            }
            break;
        }
        case EF_NN_MAXPOOL: case EF_NN_AVGPOOL:
            for (size_t o = 0; o < S; o++)
                for (size_t c = 0; c < C; c++) {
                    double acc = l->op == EF_NN_MAXPOOL ? -INFINITY : 0;
                    int cnt = 0;
                    for (int j = 0; j < l->kernel; j++) {
                        long p = (long)o * l->stride + j - l->pad_left;
                        if (p < 0 || p >= (long)in->steps)
                            continue;
                        double t = a[(size_t)p * C + c];
                        acc = l->op == EF_NN_MAXPOOL ? (t > acc ? t : acc) : acc + t;
                        cnt++;
                    }
                    y[o * C + c] = l->op == EF_NN_MAXPOOL ? acc : acc / cnt;
                }
            break;
        case EF_NN_GAP: case EF_NN_GMP:
            for (size_t c = 0; c < C; c++) {
                double acc = l->op == EF_NN_GMP ? -INFINITY : 0;
                for (size_t t = 0; t < in->steps; t++) {
                    double val = a[t * C + c];
                    acc = l->op == EF_NN_GMP ? (val > acc ? val : acc) : acc + val;
                }
                y[c] = l->op == EF_NN_GMP ? acc : acc / (double)in->steps;
            }
            break;
        case EF_NN_ZEROPAD:
            for (size_t t = 0; t < in->steps; t++)
                for (size_t c = 0; c < C; c++)
                    y[(t + (size_t)l->pad_left) * C + c] = a[t * C + c];
            break;
        default:   /* Dropout, Flatten */
            memcpy(y, a, n * sizeof *y);
            break;
        }
    }
    return v;
}

static void ref_free(const ef_nn_model *m, double **v)
{
    for (size_t i = 0; i < m->nlayers; i++)
        free(v[i]);
    free(v);
}

/* ---- checks ---------------------------------------------------------------------- */

/* Max |got - ref| relative to max |ref| (absolute when the scale is below 1e-3). */
static double rel_err(const float *got, const double *ref, size_t n)
{
    double scale = 1e-3, e = 0;

    for (size_t i = 0; i < n; i++)
        scale = fabs(ref[i]) > scale ? fabs(ref[i]) : scale;
    for (size_t i = 0; i < n; i++) {
        double d = fabs((double)got[i] - ref[i]);
        if (!(d <= e))
            e = d;   /* NaN sticks */
    }
    return e / scale;
}

/* Run layer `layer` (-1 = the output) of m on n random items with a runner
 * for `batch` on `threads`; compare each item with the reference. */
static double check_model(ef_nn_model *m, int layer, size_t n, size_t batch, int threads, float **keep)
{
    size_t isz = m->in_steps * m->in_ch;
    int target = layer < 0 ? m->output : layer;
    size_t osz = ef_nn_layer_output_size(m, (size_t)target);
    float *in = rand_floats(n * isz, -2.0, 2.0), *out = ef_xmalloc(n * osz * sizeof *out + 1);
    ef_nn_runner *r = NULL;
    ef_error err;
    double worst = 0;

    if (ef_nn_runner_new(m, batch, threads, &r, &err) != EF_OK) {
        diag("runner: %s", err.msg);
        free(in);
        free(out);
        return INFINITY;
    }
    int rc = layer < 0 ? ef_nn_run(r, in, n, out, &err) : ef_nn_run_to(r, in, n, (size_t)layer, out, &err);
    if (rc != EF_OK) {
        diag("run: %s", err.msg);
        worst = INFINITY;
    }
    for (size_t i = 0; rc == EF_OK && i < n; i++) {
        double **v = ref_forward(m, in + i * isz);
        double e = rel_err(out + i * osz, v[target], osz);
        worst = e > worst || isnan(e) ? e : worst;
        ref_free(m, v);
    }
    ef_nn_runner_free(r);
    free(in);
    if (keep)
        *keep = out;
    else
        free(out);
    return worst;
}

#define TOL 1e-5

static void test_conv_combos(void)
{
    static const char *pn[] = { "valid", "same", "causal" };
    int ks[] = { 1, 2, 3, 4, 5, 16 }, bad = 0, count = 0;

    for (size_t ki = 0; ki < sizeof ks / sizeof *ks; ki++)
        for (int s = 1; s <= 4; s++)
            for (int d = 1; d <= 2; d++)
                for (int pad = 0; pad < 3; pad++)
                    for (size_t len = 17; len <= 40; len += 23) {
                        int k = ks[ki];
                        if ((size_t)((k - 1) * d + 1) > len)
                            continue;
                        ef_nn_model *m = model_new(len, 3);
                        conv(m, 0, 5, k, s, d, pad, (k + s) % 2, EF_ACT_LINEAR);
                        double e = check_model(m, -1, 3, 3, 1, NULL);
                        count++;
                        if (!(e <= TOL)) {
                            bad++;
                            diag("conv k=%d s=%d d=%d %s L=%zu: rel err %g", k, s, d, pn[pad], len, e);
                        }
                        model_free(m);
                    }
    ok(bad == 0, "Conv1D: %d kernel/stride/dilation/padding/length combinations within 1e-5", count);
    /* wide channels: several im2col chunks, the 1x1 strided path and a fused activation */
    ef_nn_model *m = model_new(300, 40);
    int c1 = conv(m, 0, 70, 16, 1, 1, EF_PAD_SAME, 0, EF_ACT_RELU);
    int c2 = conv(m, c1, 33, 1, 3, 1, EF_PAD_SAME, 1, EF_ACT_TANH);
    (void)c2;
    ok(check_model(m, -1, 5, 5, 2, NULL) <= TOL, "Conv1D k16 300x40->70 relu, then 1x1 stride 3 tanh");
    ok(check_model(m, c1, 5, 5, 2, NULL) <= TOL, "run_to the first convolution");
    model_free(m);
}

static void test_bn(void)
{
    /* conv -> BN -> relu folds; a second model also outputs the conv (no fold). */
    rng_state = 7;
    ef_nn_model *m = model_new(64, 4);
    int c = conv(m, 0, 8, 5, 1, 1, EF_PAD_SAME, 0, EF_ACT_LINEAR);
    int b = bn(m, c, 1, 1);
    act(m, b, EF_ACT_RELU);
    rng_state = 7;
    ef_nn_model *m2 = model_new(64, 4);
    int c2 = conv(m2, 0, 8, 5, 1, 1, EF_PAD_SAME, 0, EF_ACT_LINEAR);
    int b2 = bn(m2, c2, 1, 1);
    int a2 = act(m2, b2, EF_ACT_RELU);
    int g = add(m2, EF_NN_CONCAT, a2, c2, -1);
    m2->layers[g].axis = 1;
    m2->layers[g].ch = 16;
    float *folded, *unfolded;
    rng_state = 99;
    ok(check_model(m, -1, 3, 4, 1, &folded) <= TOL, "conv -> BN -> relu (folded) matches the reference");
    rng_state = 99;
    ok(check_model(m2, -1, 3, 4, 2, &unfolded) <= TOL, "conv -> BN -> relu beside the conv (unfolded) matches");
    double e = 0, scale = 0;
    for (size_t i = 0; i < 3 * 64; i++)
        for (size_t j = 0; j < 8; j++) {
            double u = unfolded[i * 16 + j];
            e = fmax(e, fabs(folded[i * 8 + j] - u));
            scale = fmax(scale, fabs(u));
        }
    ok(e <= 1e-6 * scale, "folded and unfolded BN agree (max diff %.2g x output scale)", e / scale);
    ok(check_model(m, c, 3, 4, 1, NULL) <= TOL, "run_to the conv under a folded BN gives the raw conv");
    ok(check_model(m, b, 3, 4, 1, NULL) <= TOL, "run_to the folded BN");
    free(folded);
    free(unfolded);
    model_free(m);
    model_free(m2);

    /* BN variants after an Add (the PCLR pre-activation pattern), center/scale off */
    for (int v = 0; v < 4; v++) {
        ef_nn_model *m3 = model_new(32, 6);
        int x1 = conv(m3, 0, 6, 3, 1, 1, EF_PAD_SAME, 1, EF_ACT_LINEAR);
        int s = add(m3, EF_NN_ADD, x1, 0, -1);
        int bb = bn(m3, s, v & 1, v >> 1);
        int r = add(m3, EF_NN_RELU, bb, -1);
        add(m3, EF_NN_ADD, r, s, -1);
        ok(check_model(m3, -1, 2, 2, 1, NULL) <= TOL, "BN after Add, center=%d scale=%d", v & 1, v >> 1);
        model_free(m3);
    }
    /* BN folded into a Dense, and BN on a rank-1 tensor */
    ef_nn_model *m4 = model_new(10, 3);
    int gp = gpool(m4, 0, EF_NN_GAP);
    int d = dense(m4, gp, 7, EF_ACT_LINEAR);
    bn(m4, d, 1, 1);
    ok(check_model(m4, -1, 3, 3, 1, NULL) <= TOL, "Dense -> BN (folded)");
    model_free(m4);
}

static void test_pool(void)
{
    static const struct { int k, s, pad; size_t len; } cs[] = {
        { 4, 4, EF_PAD_SAME, 4096 / 64 }, { 3, 1, EF_PAD_SAME, 25 }, { 3, 2, EF_PAD_SAME, 25 },
        { 2, 3, EF_PAD_SAME, 16 }, { 5, 2, EF_PAD_VALID, 25 }, { 2, 2, EF_PAD_VALID, 187 },
        { 4, 3, EF_PAD_SAME, 10 },
    };
    for (size_t i = 0; i < sizeof cs / sizeof *cs; i++)
        for (int op = EF_NN_MAXPOOL; op <= EF_NN_AVGPOOL; op++) {
            ef_nn_model *m = model_new(cs[i].len, 3);
            pool(m, 0, op, cs[i].k, cs[i].s, cs[i].pad);
            ok(check_model(m, -1, 2, 2, 1, NULL) <= TOL, "%s pool %d stride %d %s on %zu steps",
               op == EF_NN_MAXPOOL ? "max" : "avg", cs[i].k, cs[i].s,
               cs[i].pad == EF_PAD_SAME ? "same" : "valid", cs[i].len);
            model_free(m);
        }
}

static void test_graph_ops(void)
{
    /* Concat on channels and steps, ZeroPadding, GAP/GMP, Flatten + Dense, Dropout */
    ef_nn_model *m = model_new(20, 4);
    int a = conv(m, 0, 3, 3, 1, 1, EF_PAD_SAME, 1, EF_ACT_LINEAR);
    int b = conv(m, 0, 5, 1, 1, 1, EF_PAD_VALID, 0, EF_ACT_RELU);
    int cc = add(m, EF_NN_CONCAT, a, b, 0, -1);
    m->layers[cc].axis = 1;
    m->layers[cc].ch = 12;
    int z = add(m, EF_NN_ZEROPAD, cc, -1);
    m->layers[z].pad_left = 2;
    m->layers[z].pad_right = 3;
    m->layers[z].steps = 25;
    int cs = add(m, EF_NN_CONCAT, z, cc, -1);
    m->layers[cs].axis = 0;
    m->layers[cs].steps = 45;
    int dr = add(m, EF_NN_DROPOUT, cs, -1);
    int gap = gpool(m, dr, EF_NN_GAP), gmp = gpool(m, dr, EF_NN_GMP);
    int both = add(m, EF_NN_CONCAT, gap, gmp, -1);
    m->layers[both].axis = 1;
    m->layers[both].ch = 24;
    int fl = add(m, EF_NN_FLATTEN, z, -1);
    m->layers[fl].rank = 1;
    m->layers[fl].steps = 1;
    m->layers[fl].ch = 25 * 12;
    int d1 = dense(m, fl, 6, EF_ACT_SIGMOID);
    int out = add(m, EF_NN_CONCAT, both, d1, -1);
    m->layers[out].axis = 1;
    m->layers[out].ch = 30;
    int dstep = dense(m, z, 4, EF_ACT_LINEAR);   /* Dense per step on a rank-2 input */
    m->output = out;
    ok(check_model(m, -1, 5, 5, 2, NULL) <= TOL, "Concat (channels, steps), ZeroPadding, GAP, GMP, Flatten, Dense");
    int layers[] = { cc, z, cs, dr, gap, gmp, fl, d1, dstep };
    const char *names[] = { "concat channels", "zeropad", "concat steps", "dropout", "GAP", "GMP",
                            "flatten", "dense", "dense per step" };
    for (size_t i = 0; i < sizeof layers / sizeof *layers; i++)
        ok(check_model(m, layers[i], 3, 5, 2, NULL) <= TOL, "run_to %s", names[i]);
    model_free(m);
}

static void test_acts(void)
{
    static const char *names[] = { "linear", "relu", "sigmoid", "tanh", "softmax", "elu", "swish", "gelu",
                                   "gelu tanh" };
    for (int a = EF_ACT_LINEAR; a <= EF_ACT_GELU_TANH; a++) {
        ef_nn_model *m = model_new(6, 5);
        int d = dense(m, 0, 9, EF_ACT_LINEAR);
        int x = act(m, d, a);
        m->layers[x].elu_alpha = 0.7;
        ok(check_model(m, -1, 2, 2, 1, NULL) <= TOL, "Activation %s", names[a]);
        model_free(m);
    }
    /* softmax on huge logits stays finite */
    ef_nn_model *m = model_new(1, 3);
    act(m, 0, EF_ACT_SOFTMAX);
    float in[3] = { 1000.0f, 999.0f, -1000.0f }, out[3];
    ef_nn_runner *r;
    ok(ef_nn_runner_new(m, 1, 1, &r, NULL) == EF_OK && ef_nn_run(r, in, 1, out, NULL) == EF_OK, "softmax runs");
    is_rel(out[0], 1.0 / (1.0 + exp(-1.0)), 1e-6, "softmax of 1000, 999 is stable");
    ok(out[2] == 0.0f, "softmax of -1000 underflows to 0, no NaN");
    ef_nn_runner_free(r);
    model_free(m);
    /* ReLU layer arguments */
    static const double rp[][3] = { { -1, 0, 0 }, { 6, 0, 0 }, { -1, 0.1, 0 }, { 1.5, 0.2, 0.3 } };
    for (size_t i = 0; i < 4; i++) {
        ef_nn_model *m2 = model_new(7, 4);
        int d = dense(m2, 0, 6, EF_ACT_LINEAR);
        int rl = add(m2, EF_NN_RELU, d, -1);
        m2->layers[rl].relu_max = rp[i][0];
        m2->layers[rl].relu_slope = rp[i][1];
        m2->layers[rl].relu_threshold = rp[i][2];
        ok(check_model(m2, -1, 2, 2, 1, NULL) <= TOL, "ReLU max=%g slope=%g threshold=%g", rp[i][0],
           rp[i][1], rp[i][2]);
        model_free(m2);
    }
    /* a conv with a fused non-ReLU activation and an elu layer after a BN */
    ef_nn_model *m3 = model_new(30, 2);
    int c = conv(m3, 0, 4, 3, 2, 1, EF_PAD_SAME, 1, EF_ACT_GELU);
    int b = bn(m3, c, 1, 1);
    int e = act(m3, b, EF_ACT_ELU);
    m3->layers[e].elu_alpha = 0.5;
    ok(check_model(m3, -1, 2, 2, 1, NULL) <= TOL, "conv(gelu) -> BN -> elu(0.5)");
    model_free(m3);
}

/* A scaled-down PCLR: stem, two residual units, GAP. */
static ef_nn_model *mini_pclr(size_t len)
{
    ef_nn_model *m = model_new(len, 12);
    int x = act(m, bn(m, conv(m, 0, 16, 16, 1, 1, EF_PAD_SAME, 0, 0), 1, 1), EF_ACT_RELU);
    int filt[] = { 24, 32 };
    for (int u = 0; u < 2; u++) {
        int skip_in = x;
        if (u > 0)   /* units after the first read the raw sum */
            skip_in = m->layers[m->layers[x].inputs[0]].inputs[0];
        int mp = pool(m, skip_in, EF_NN_MAXPOOL, 4, 4, EF_PAD_SAME);
        int h = act(m, bn(m, conv(m, x, filt[u], 16, 1, 1, EF_PAD_SAME, 0, 0), 1, 1), EF_ACT_RELU);
        int c3 = conv(m, h, filt[u], 16, 4, 1, EF_PAD_SAME, 0, 0);
        int c1 = conv(m, mp, filt[u], 1, 1, 1, EF_PAD_SAME, 0, 0);
        int s = add(m, EF_NN_ADD, c3, c1, -1);
        x = act(m, bn(m, s, 1, 1), EF_ACT_RELU);
    }
    gpool(m, x, EF_NN_GAP);
    return m;
}

static void test_network(void)
{
    ef_nn_model *m = mini_pclr(256);
    size_t isz = 256 * 12, osz = ef_nn_layer_output_size(m, (size_t)m->output);
    ok(osz == 32, "mini PCLR output size 32");
    ok(check_model(m, -1, 7, 7, 2, NULL) <= TOL, "mini PCLR, batch 7 on 2 threads");
    int bad = 0;
    for (size_t l = 0; l < m->nlayers; l++)
        if (!(check_model(m, (int)l, 2, 3, 2, NULL) <= TOL)) {
            bad++;
            diag("run_to layer %zu (op %d) differs", l, m->layers[l].op);
        }
    ok(bad == 0, "run_to every one of the %zu layers", m->nlayers);

    /* batch 1 vs 7, threads 1 vs 2, n < batch, micro-batches of 1..7 */
    float *in = rand_floats(7 * isz, -1, 1), *o1 = ef_xmalloc(7 * osz * sizeof *o1);
    float *o7 = ef_xmalloc(7 * osz * sizeof *o7), *o2 = ef_xmalloc(7 * osz * sizeof *o2);
    float *o3 = ef_xmalloc(7 * osz * sizeof *o3);
    ef_nn_runner *r1, *r7, *r2;
    ef_error err;
    ok(ef_nn_runner_new(m, 1, 1, &r1, &err) == EF_OK && ef_nn_runner_new(m, 7, 1, &r7, &err) == EF_OK
       && ef_nn_runner_new(m, 7, 2, &r2, &err) == EF_OK, "runners for batch 1, 7 and 7 on 2 threads");
    for (size_t i = 0; i < 7; i++)
        ef_nn_run(r1, in + i * isz, 1, o1 + i * osz, NULL);
    ef_nn_run(r7, in, 7, o7, NULL);
    ef_nn_run(r2, in, 7, o2, NULL);
    ok(ef_nn_run(r2, in, 3, o3, NULL) == EF_OK, "n = 3 < batch 7");
    double d17 = 0, d12 = 0, d3 = 0;
    for (size_t i = 0; i < 7 * osz; i++) {
        d17 = fmax(d17, fabs(o1[i] - o7[i]));
        d12 = fmax(d12, fabs(o7[i] - o2[i]));
        if (i < 3 * osz)
            d3 = fmax(d3, fabs(o3[i] - o7[i]));
    }
    ok(d17 <= 1e-6, "batch 1 vs batch 7: max diff %g", d17);
    ok(d12 <= 1e-6, "1 vs 2 threads: max diff %g", d12);
    ok(d3 <= 1e-6, "n < batch equals the first items of the full batch (%g)", d3);
    diag("bit-identical: batch 1/7 %s, threads 1/2 %s", memcmp(o1, o7, 7 * osz * 4) ? "no" : "yes",
         memcmp(o7, o2, 7 * osz * 4) ? "no" : "yes");
    /* micro-batch sizes */
    int same = 1;
    for (size_t mb = 1; mb <= 7; mb++) {
        ef_nn_runner *rm;
        if (ef_nn_runner_new_mb(m, 7, 2, mb, &rm, NULL) != EF_OK) {
            same = 0;
            continue;
        }
        ef_nn_run(rm, in, 7, o3, NULL);
        for (size_t i = 0; i < 7 * osz; i++)
            same &= fabs(o3[i] - o7[i]) <= 1e-6;
        ef_nn_runner_free(rm);
    }
    ok(same, "micro-batches of 1..7 give the same embeddings");
    ok(ef_nn_run(r1, in, 2, o3, &err) == EF_EINVAL, "n > batch is refused");
    like(err.msg, "exceeds", "... with a message");
    ok(ef_nn_run_to(r1, in, 1, 999, o3, &err) == EF_EINVAL, "run_to a layer that does not exist");
    ok(ef_nn_run(r1, in, 0, NULL, NULL) == EF_OK, "n = 0 does nothing");
    ef_nn_runner *r0;
    ok(ef_nn_runner_new(m, 4, 0, &r0, NULL) == EF_OK, "threads = 0 (all cores)");
    ef_nn_run(r0, in, 4, o3, NULL);
    d3 = 0;
    for (size_t i = 0; i < 4 * osz; i++)
        d3 = fmax(d3, fabs(o3[i] - o7[i]));
    ok(d3 <= 1e-6, "... same results");
    diag("arena per thread for batch 7: %zu KiB", ef_nn_runner_arena_bytes(r2) / 1024);
    ef_nn_runner_free(r0);
    ef_nn_runner_free(r1);
    ef_nn_runner_free(r7);
    ef_nn_runner_free(r2);
    free(in);
    free(o1);
    free(o7);
    free(o2);
    free(o3);

    /* a broken model is refused with the layer's name */
    m->layers[1].wlen[0]--;
    ef_nn_runner *rb = NULL;
    ok(ef_nn_runner_new(m, 1, 1, &rb, &err) == EF_EDATA && rb == NULL, "a kernel of the wrong size is refused");
    like(err.msg, "l1", "... naming the layer (%s)", err.msg);
    m->layers[1].wlen[0]++;
    model_free(m);
}

int main(void)
{
    /* Where the runner picks its own SGEMM, run everything again on
     * OpenBLAS so that both GEMM paths stay covered on this CPU. */
    int passes = ef_sgemm_choose() == 1 ? 2 : 1;

    for (int pass = 0; pass < passes; pass++) {
        if (pass) {
            setenv("ECGFIT_GEMM", "openblas", 1);
            diag("the same with ECGFIT_GEMM=openblas");
        }
        test_conv_combos();
        test_bn();
        test_pool();
        test_graph_ops();
        test_acts();
        test_network();
    }
    return done_testing();
}
