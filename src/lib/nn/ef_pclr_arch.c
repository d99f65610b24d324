/* ef_pclr_arch.c — the PCLR network as a Keras model description: the
 * model_config text (byte-identical to reference/pclr-model-config.json for
 * width 1 and 4096 steps), seeded He-normal kernels and calibrated BN
 * statistics.  ef_keras_write() turns the description into an .h5.
 *
 * BN statistics.  Random kernels with textbook moving statistics (mean 0,
 * variance 1) make activations grow or shrink by large factors per unit, so
 * the embedding of such a model says nothing about the runner's numerics.
 * Instead the writer runs the network itself, in float32 with a fixed
 * summation order (no BLAS: same bytes on every machine), on crops of a few
 * synthetic 12-lead ECGs (mV, 10 s), and sets each BN layer's moving_mean and
 * moving_variance to the per-channel mean and variance it observes there,
 * layer after layer.  gamma ~ 1 + N(0, 0.1) and beta ~ N(0, 0.05) are drawn,
 * so every BN output is roughly N(beta, gamma^2) per channel on ECG-like input:
 * activations neither explode nor vanish through the four units.  The network
 * is translation-equivariant, so crops give the full-length statistics up to
 * border effects. */
#include "config.h"

#include "nn/ef_keras_write.h"
#include "nn/ef_nn.h"
#include "core/ef_alloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCLR_CH 12
#define PCLR_STEPS 4096
#define PCLR_K 16
#define PCLR_POOL 4
#define PCLR_BN_EPS 1e-3
#define CAL_ECGS 4          /* synthetic ECGs for the BN calibration */
#define CAL_LEN 1024        /* crop length (steps) of each */
#define TWO_PI 6.283185307179586

/* ------------------------------------------------------------------ RNG */

/* splitmix64 + Box-Muller: tiny, and the same stream on every platform
 * (log, sqrt, cos and sin of glibc and musl agree to the last bit far more
 * often than float32 storage could tell). */
typedef struct prng { uint64_t s; double spare; int has_spare; } prng;

static uint64_t prng_next(prng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15u);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform on (0, 1]: never 0, so log() is finite. */
static double prng_unit(prng *r)
{
    return (double)((prng_next(r) >> 11) + 1) * 0x1p-53;
}

static double prng_normal(prng *r)
{
    double u1, u2, rad;

    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    u1 = prng_unit(r);
    u2 = prng_unit(r);
    rad = sqrt(-2.0 * log(u1));
    r->spare = rad * sin(TWO_PI * u2);
    r->has_spare = 1;
    return rad * cos(TWO_PI * u2);
}

static void prng_seed(prng *r, uint64_t seed, uint64_t stream)
{
    r->s = seed ^ (stream * 0xd1342543de82ef95u);
    r->has_spare = 0;
    r->spare = 0;
    (void)prng_next(r);
}

/* ------------------------------------------------------------- layers */

enum { L_INPUT, L_CONV, L_BN, L_ACT, L_POOL, L_ADD, L_GAP };

typedef struct player {
    char name[32];
    int op, in[2], nin;
    int filters, k, s;       /* Conv1D */
    int ch;                  /* output channels */
} player;

typedef struct pnet {
    player l[48];
    int n;
} pnet;

static int add_layer(pnet *p, int op, const char *base, int idx, int in0, int in1)
{
    player *l = &p->l[p->n];

    memset(l, 0, sizeof *l);
    if (idx == 0)
        snprintf(l->name, sizeof l->name, "%s", base);
    else
        snprintf(l->name, sizeof l->name, "%s_%d", base, idx);
    l->op = op;
    l->in[0] = in0;
    l->in[1] = in1;
    l->nin = (in0 >= 0) + (in1 >= 0);
    l->ch = in0 >= 0 ? p->l[in0].ch : PCLR_CH;
    return p->n++;
}

static int add_conv(pnet *p, int idx, int in, int filters, int k, int s)
{
    int i = add_layer(p, L_CONV, "conv1d", idx, in, -1);

    p->l[i].filters = p->l[i].ch = filters;
    p->l[i].k = k;
    p->l[i].s = s;
    return i;
}

void ef_pclr_filters(double width_scale, int filters[5])
{
    static const int base[5] = { 64, 128, 196, 256, 320 };

    for (int i = 0; i < 5; i++) {
        long f = lround(base[i] * width_scale);
        filters[i] = f < 1 ? 1 : (int)f;
    }
}

/* Layer order and names exactly as Keras created them in build_model.py:
 * each unit's 1x1 skip conv is numbered before its main-path convs. */
static void pclr_layers(pnet *p, const int f[5])
{
    int x, prev_sum, s;

    p->n = 0;
    x = add_layer(p, L_INPUT, "ecg", 0, -1, -1);
    x = add_conv(p, 0, x, f[0], PCLR_K, 1);
    x = add_layer(p, L_BN, "batch_normalization", 0, x, -1);
    x = add_layer(p, L_ACT, "activation", 0, x, -1);
    prev_sum = x;
    for (int u = 1; u <= 4; u++) {
        int m1 = add_conv(p, 3 * u - 1, x, f[u], PCLR_K, 1);
        int b1 = add_layer(p, L_BN, "batch_normalization", 2 * u - 1, m1, -1);
        int a1 = add_layer(p, L_ACT, "activation", 2 * u - 1, b1, -1);
        int pool = add_layer(p, L_POOL, "max_pooling1d", u - 1, prev_sum, -1);
        int m2 = add_conv(p, 3 * u, a1, f[u], PCLR_K, PCLR_POOL);
        int sk = add_conv(p, 3 * u - 2, pool, f[u], 1, 1);

        s = add_layer(p, L_ADD, "add", u - 1, m2, sk);
        x = add_layer(p, L_BN, "batch_normalization", 2 * u, s, -1);
        x = add_layer(p, L_ACT, "activation", 2 * u, x, -1);
        prev_sum = s;
    }
    add_layer(p, L_GAP, "embed", 0, x, -1);
}

/* -------------------------------------------------------- model_config */

typedef struct sbuf { char *s; size_t len, cap; } sbuf;

static void EF_PRINTF(2, 3) sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = (b->len + (size_t)n + 1) * 2;
        b->s = ef_xrealloc(b->s, b->cap);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Key order and separators as json.dumps wrote them for tf.keras 2.4. */
static char *pclr_config(const pnet *p, size_t steps)
{
    sbuf b = { NULL, 0, 0 };

    sb_printf(&b, "{\"class_name\": \"Functional\", \"config\": {\"name\": \"functional_1\", \"layers\": [");
    for (int i = 0; i < p->n; i++) {
        const player *l = &p->l[i];
        const char *nm = l->name;

        if (i > 0)
            sb_printf(&b, ", ");
        switch (l->op) {
        case L_INPUT:
            sb_printf(&b, "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": "
                      "[null, %zu, %d], \"dtype\": \"float32\", \"sparse\": false, \"ragged\": "
                      "false, \"name\": \"%s\"}", steps, PCLR_CH, nm);
            break;
        case L_CONV:
            sb_printf(&b, "{\"class_name\": \"Conv1D\", \"config\": {\"name\": \"%s\", "
                      "\"trainable\": true, \"dtype\": \"float32\", \"filters\": %d, "
                      "\"kernel_size\": [%d], \"strides\": [%d], \"padding\": \"same\", "
                      "\"data_format\": \"channels_last\", \"dilation_rate\": [1], \"groups\": 1, "
                      "\"activation\": \"linear\", \"use_bias\": false, \"kernel_initializer\": "
                      "{\"class_name\": \"HeNormal\", \"config\": {\"seed\": null}}, "
                      "\"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, "
                      "\"kernel_regularizer\": null, \"bias_regularizer\": null, "
                      "\"activity_regularizer\": null, \"kernel_constraint\": null, "
                      "\"bias_constraint\": null}", nm, l->filters, l->k, l->s);
            break;
        case L_BN:
            sb_printf(&b, "{\"class_name\": \"BatchNormalization\", \"config\": {\"name\": \"%s\", "
                      "\"trainable\": true, \"dtype\": \"float32\", \"axis\": [2], \"momentum\": "
                      "0.99, \"epsilon\": 0.001, \"center\": true, \"scale\": true, "
                      "\"beta_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, "
                      "\"gamma_initializer\": {\"class_name\": \"Ones\", \"config\": {}}, "
                      "\"moving_mean_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, "
                      "\"moving_variance_initializer\": {\"class_name\": \"Ones\", \"config\": {}}, "
                      "\"beta_regularizer\": null, \"gamma_regularizer\": null, "
                      "\"beta_constraint\": null, \"gamma_constraint\": null}", nm);
            break;
        case L_ACT:
            sb_printf(&b, "{\"class_name\": \"Activation\", \"config\": {\"name\": \"%s\", "
                      "\"trainable\": true, \"dtype\": \"float32\", \"activation\": \"relu\"}", nm);
            break;
        case L_POOL:
            sb_printf(&b, "{\"class_name\": \"MaxPooling1D\", \"config\": {\"name\": \"%s\", "
                      "\"trainable\": true, \"dtype\": \"float32\", \"strides\": [%d], "
                      "\"pool_size\": [%d], \"padding\": \"same\", \"data_format\": "
                      "\"channels_last\"}", nm, PCLR_POOL, PCLR_POOL);
            break;
        case L_ADD:
            sb_printf(&b, "{\"class_name\": \"Add\", \"config\": {\"name\": \"%s\", \"trainable\": "
                      "true, \"dtype\": \"float32\"}", nm);
            break;
        default:
            sb_printf(&b, "{\"class_name\": \"GlobalAveragePooling1D\", \"config\": {\"name\": "
                      "\"%s\", \"trainable\": true, \"dtype\": \"float32\", \"data_format\": "
                      "\"channels_last\"}", nm);
            break;
        }
        sb_printf(&b, ", \"name\": \"%s\", \"inbound_nodes\": [", nm);
        if (l->nin > 0) {
            sb_printf(&b, "[");
            for (int j = 0; j < l->nin; j++)
                sb_printf(&b, "%s[\"%s\", 0, 0, {}]", j ? ", " : "", p->l[l->in[j]].name);
            sb_printf(&b, "]");
        }
        sb_printf(&b, "]}");
    }
    sb_printf(&b, "], \"input_layers\": [[\"%s\", 0, 0]], \"output_layers\": [[\"%s\", 0, 0]]}}",
              p->l[0].name, p->l[p->n - 1].name);
    return b.s;
}

/* ------------------------------------------------------- synthetic ECG */

/* A 10 s 12-lead ECG in mV, steps samples per lead, channels last: Gaussian
 * P, Q, R, S and T waves per beat with lead-specific gains (a crude dipole),
 * baseline wander and white noise.  Only its statistics matter here. */
static void synth_ecg(prng *r, size_t steps, float *x)
{
    static const double at[5] = { -0.17, -0.03, 0.0, 0.03, 0.26 };   /* s from R */
    static const double wd[5] = { 0.025, 0.010, 0.012, 0.012, 0.060 };
    static const double amp[5] = { 0.15, -0.12, 1.1, -0.30, 0.30 };
    double gain[PCLR_CH][5], wander[PCLR_CH], fs = (double)steps / 10.0;
    double rr = 60.0 / (55.0 + 40.0 * prng_unit(r)), t0 = rr * prng_unit(r);

    for (int c = 0; c < PCLR_CH; c++) {
        double lead = 1.2 * prng_normal(r);       /* projection of the QRS dipole */
        for (int w = 0; w < 5; w++)
            gain[c][w] = amp[w] * (w == 2 || w == 1 || w == 3 ? lead : 0.5 + 0.5 * fabs(lead))
                         * (1.0 + 0.1 * prng_normal(r));
        wander[c] = TWO_PI * prng_unit(r);
    }
    for (size_t t = 0; t < steps; t++) {
        double sec = (double)t / fs, beat = floor((sec - t0) / rr + 0.5);
        double dt = sec - (t0 + beat * rr);          /* time from the nearest R peak */
        for (int c = 0; c < PCLR_CH; c++) {
            double v = 0.05 * sin(TWO_PI * 0.2 * sec + wander[c]) + 0.01 * prng_normal(r);
            for (int w = 0; w < 5; w++) {
                double z = (dt - at[w]) / wd[w];
                v += gain[c][w] * exp(-0.5 * z * z);
            }
            x[t * PCLR_CH + c] = (float)v;
        }
    }
}

/* ------------------------------------------------ calibration forward */

typedef struct act { float *x; size_t len; int ch; } act;   /* [CAL_ECGS][len][ch] */

static size_t same_out(size_t len, int s) { return (len + (size_t)s - 1) / (size_t)s; }

static void conv_fwd(const act *in, const float *w, int k, int s, int cout, act *out)
{
    size_t L = in->len, Lo = same_out(L, s);
    long total = (long)((Lo - 1) * (size_t)s + (size_t)k) - (long)L, padl;
    int cin = in->ch;

    padl = total > 0 ? total / 2 : 0;
    out->len = Lo;
    out->ch = cout;
    out->x = ef_xcalloc((size_t)CAL_ECGS * Lo * (size_t)cout, sizeof(float));
    for (size_t b = 0; b < CAL_ECGS; b++)
        for (size_t o = 0; o < Lo; o++) {
            float *y = out->x + (b * Lo + o) * (size_t)cout;
            for (int j = 0; j < k; j++) {
                long t = (long)(o * (size_t)s) + j - padl;
                if (t < 0 || t >= (long)L)
                    continue;
                const float *xr = in->x + (b * L + (size_t)t) * (size_t)cin;
                const float *wj = w + (size_t)j * (size_t)cin * (size_t)cout;
                for (int ci = 0; ci < cin; ci++) {
                    const float xv = xr[ci], *wr = wj + (size_t)ci * (size_t)cout;
                    for (int co = 0; co < cout; co++)
                        y[co] += xv * wr[co];
                }
            }
        }
}

/* Observe the per-channel statistics, store them as the moving statistics
 * and normalise with them (tf.nn.batch_normalization's formula). */
static void bn_calibrate(const act *in, const float *gamma, const float *beta, float *mean, float *var,
                         act *out)
{
    size_t n = (size_t)CAL_ECGS * in->len;
    int ch = in->ch;

    out->len = in->len;
    out->ch = ch;
    out->x = ef_xmalloc(n * (size_t)ch * sizeof(float));
    for (int c = 0; c < ch; c++) {
        double s = 0, ss = 0, m, v;
        for (size_t i = 0; i < n; i++)
            s += in->x[i * (size_t)ch + (size_t)c];
        m = s / (double)n;
        for (size_t i = 0; i < n; i++) {
            double d = in->x[i * (size_t)ch + (size_t)c] - m;
            ss += d * d;
        }
        v = ss / (double)n;
        mean[c] = (float)m;
        var[c] = (float)v;
    }
    for (int c = 0; c < ch; c++) {
        float inv = gamma[c] / sqrtf(var[c] + (float)PCLR_BN_EPS), off = beta[c] - mean[c] * inv;
        for (size_t i = 0; i < n; i++)
            out->x[i * (size_t)ch + (size_t)c] = in->x[i * (size_t)ch + (size_t)c] * inv + off;
    }
}

static void relu_fwd(const act *in, act *out)
{
    size_t n = (size_t)CAL_ECGS * in->len * (size_t)in->ch;

    *out = *in;
    out->x = ef_xmalloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++)
        out->x[i] = in->x[i] > 0 ? in->x[i] : 0;
}

/* MaxPooling1D SAME: padded positions are ignored. */
static void pool_fwd(const act *in, act *out)
{
    size_t L = in->len, Lo = same_out(L, PCLR_POOL), ch = (size_t)in->ch;
    long total = (long)((Lo - 1) * PCLR_POOL + PCLR_POOL) - (long)L, padl = total > 0 ? total / 2 : 0;

    out->len = Lo;
    out->ch = in->ch;
    out->x = ef_xmalloc((size_t)CAL_ECGS * Lo * ch * sizeof(float));
    for (size_t b = 0; b < CAL_ECGS; b++)
        for (size_t o = 0; o < Lo; o++)
            for (size_t c = 0; c < ch; c++) {
                float m = -INFINITY;
                for (int j = 0; j < PCLR_POOL; j++) {
                    long t = (long)(o * PCLR_POOL) + j - padl;
                    if (t >= 0 && t < (long)L && in->x[(b * L + (size_t)t) * ch + c] > m)
                        m = in->x[(b * L + (size_t)t) * ch + c];
                }
                out->x[(b * Lo + o) * ch + c] = m;
            }
}

static void add_fwd(const act *a, const act *b, act *out)
{
    size_t n = (size_t)CAL_ECGS * a->len * (size_t)a->ch;

    *out = *a;
    out->x = ef_xmalloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++)
        out->x[i] = a->x[i] + b->x[i];
}

/* ------------------------------------------------------------- builder */

static ef_kw_var *new_var(ef_kw_layer *kl, const char *layer, const char *what, int rank,
                          size_t d0, size_t d1, size_t d2)
{
    ef_kw_var *v = &kl->vars[kl->nvars++];
    size_t n = d0 * (rank > 1 ? d1 : 1) * (rank > 2 ? d2 : 1);

    v->name = ef_xasprintf("%s/%s:0", layer, what);
    v->rank = rank;
    v->dims[0] = d0;
    v->dims[1] = d1;
    v->dims[2] = d2;
    v->data = ef_xcalloc(n, sizeof(float));
    return v;
}

void ef_kw_model_free(ef_kw_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nlayers; i++) {
        for (int j = 0; j < m->layers[i].nvars; j++) {
            free(m->layers[i].vars[j].name);
            free(m->layers[i].vars[j].data);
        }
        free(m->layers[i].vars);
        free(m->layers[i].name);
    }
    free(m->layers);
    free(m->model_config);
    free(m->keras_version);
    free(m->backend);
    memset(m, 0, sizeof *m);
}

/* The build in slices: the weights and the calibration input, then one
 * layer of the calibration forward pass per step. */
struct ef_pclr_builder {
    pnet *p;
    act a[48];
    ef_kw_model *out;
    int next;               /* the next layer to calibrate */
};

int ef_pclr_builder_new(ef_pclr_builder **bout, double width_scale, size_t input_steps, uint64_t seed,
                        ef_kw_model *out, ef_error *err)
{
    ef_pclr_builder *b;
    pnet *p;
    int f[5];
    act *a;
    size_t cal_len;
    prng r;
    float *ecg;

    *bout = NULL;
    memset(out, 0, sizeof *out);
    if (!(width_scale > 0 && width_scale <= 4))
        return ef_error_set(err, EF_EINVAL, "PCLR width scale %g is out of range (0, 4]",
                            width_scale);
    if (input_steps == 0)
        input_steps = PCLR_STEPS;
    /* SAME padding rounds every stage up, so any length works; below the
     * stem kernel the network would mostly see padding. */
    if (input_steps < PCLR_K || input_steps > (1u << 20))
        return ef_error_set(err, EF_EINVAL, "PCLR input length %zu is out of range [%d, %u]",
                            input_steps, PCLR_K, 1u << 20);

    b = ef_xcalloc(1, sizeof *b);
    b->out = out;
    b->next = 1;
    a = b->a;
    p = b->p = ef_xmalloc(sizeof *p);
    ef_pclr_filters(width_scale, f);
    pclr_layers(p, f);
    out->model_config = pclr_config(p, input_steps);
    out->keras_version = ef_xstrdup("2.4.0");
    out->backend = ef_xstrdup("tensorflow");
    out->synthetic = "seeded random weights (ecgfit encoder new), not the published PCLR weights";
    out->nlayers = (size_t)p->n;
    out->layers = ef_xcalloc((size_t)p->n, sizeof *out->layers);

    /* Weights, layer by layer in model order, from one stream. */
    prng_seed(&r, seed, 1);
    for (int i = 0; i < p->n; i++) {
        const player *l = &p->l[i];
        ef_kw_layer *kl = &out->layers[i];

        kl->name = ef_xstrdup(l->name);
        if (l->op == L_CONV) {
            int cin = p->l[l->in[0]].ch;
            double sd = sqrt(2.0 / (double)(l->k * cin));
            ef_kw_var *v;

            kl->vars = ef_xcalloc(1, sizeof *kl->vars);
            v = new_var(kl, l->name, "kernel", 3, (size_t)l->k, (size_t)cin, (size_t)l->filters);
            for (size_t j = 0, n = v->dims[0] * v->dims[1] * v->dims[2]; j < n; j++)
                v->data[j] = (float)(sd * prng_normal(&r));
        } else if (l->op == L_BN) {
            static const char *const names[4] = { "gamma", "beta", "moving_mean", "moving_variance" };
            kl->vars = ef_xcalloc(4, sizeof *kl->vars);
            for (int j = 0; j < 4; j++)
                new_var(kl, l->name, names[j], 1, (size_t)l->ch, 0, 0);
            for (int c = 0; c < l->ch; c++) {
                kl->vars[0].data[c] = (float)(1.0 + 0.1 * prng_normal(&r));
                kl->vars[1].data[c] = (float)(0.05 * prng_normal(&r));
                kl->vars[3].data[c] = 1.0f;        /* until calibrated */
            }
        }
    }

    /* Calibration input: crops of synthetic ECGs, each from its own stream. */
    cal_len = input_steps < CAL_LEN ? input_steps : CAL_LEN;
    ecg = ef_xmalloc(input_steps * PCLR_CH * sizeof(float));
    a[0].len = cal_len;
    a[0].ch = PCLR_CH;
    a[0].x = ef_xmalloc((size_t)CAL_ECGS * cal_len * PCLR_CH * sizeof(float));
    for (size_t e = 0; e < CAL_ECGS; e++) {
        size_t off;
        prng_seed(&r, seed, 2 + e);
        synth_ecg(&r, input_steps, ecg);
        off = (size_t)(prng_unit(&r) * (double)(input_steps - cal_len));
        memcpy(a[0].x + e * cal_len * PCLR_CH, ecg + off * PCLR_CH,
               cal_len * PCLR_CH * sizeof(float));
    }
    free(ecg);
    *bout = b;
    return EF_OK;
}

int ef_pclr_builder_step(ef_pclr_builder *b)
{
    const pnet *p = b->p;
    act *a = b->a;
    int i = b->next;

    if (i < p->n - 1) {   /* the GAP output is not needed */
        const player *l = &p->l[i];
        ef_kw_layer *kl = &b->out->layers[i];

        switch (l->op) {
        case L_CONV:
            conv_fwd(&a[l->in[0]], kl->vars[0].data, l->k, l->s, l->filters, &a[i]);
            break;
        case L_BN:
            bn_calibrate(&a[l->in[0]], kl->vars[0].data, kl->vars[1].data, kl->vars[2].data,
                         kl->vars[3].data, &a[i]);
            break;
        case L_ACT:
            relu_fwd(&a[l->in[0]], &a[i]);
            break;
        case L_POOL:
            pool_fwd(&a[l->in[0]], &a[i]);
            break;
        default:
            add_fwd(&a[l->in[0]], &a[l->in[1]], &a[i]);
            break;
        }
        b->next++;
    }
    return b->next < p->n - 1 ? EF_CONTINUE : EF_OK;
}

void ef_pclr_builder_free(ef_pclr_builder *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->p->n - 1; i++)
        free(b->a[i].x);
    free(b->p);
    free(b);
}

int ef_pclr_build(double width_scale, size_t input_steps, uint64_t seed, ef_kw_model *out,
                  ef_error *err)
{
    ef_pclr_builder *b;
    int rc = ef_pclr_builder_new(&b, width_scale, input_steps, seed, out, err);

    if (rc != EF_OK)
        return rc;
    while (ef_pclr_builder_step(b) == EF_CONTINUE)
        ;
    ef_pclr_builder_free(b);
    return EF_OK;
}

int ef_nn_write_pclr(const char *path, double width_scale, size_t input_steps, uint64_t seed,
                     ef_error *err)
{
    ef_kw_model m;
    int rc = ef_pclr_build(width_scale, input_steps, seed, &m, err);

    if (rc == EF_OK)
        rc = ef_keras_write(path, &m, 0, err);
    ef_kw_model_free(&m);
    return rc;
}
