/* bench_pclr.c — the inference engine on the full PCLR architecture
 * (reference/pclr-architecture.md: 4096x12 -> 320, 3.652 GFLOP per ECG)
 * with random weights, beside OpenBLAS's sgemm peak measured in the same run.
 *
 *   bench/bench_pclr [BATCH [SECONDS [MB]]]
 *   bench/bench_pclr peak
 *
 * BATCH ECGs per run (16), SECONDS of timing per thread count (3), MB the
 * runner's micro-batch (0 = its default).  `peak` times a 2048^3 sgemm at
 * 1 and 2 OpenBLAS threads instead (a separate process, so that its 48 MB of
 * matrices do not count in the network's peak RSS).  Prints one "key value" line per
 * measurement for bench_pclr.sh, which adds PyTorch and the ratios. */
#include "config.h"
#include "core/ef_alloc.h"
#include "core/ef_blas.h"
#include "nn/ef_nn_int.h"
#include "nn/ef_nn_kern.h"
#include "nn/ef_sgemm.h"

#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint64_t rng_state = 42;

static double gauss(void)   /* splitmix64 + Box-Muller */
{
    double u[2];
    for (int i = 0; i < 2; i++) {
        uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        u[i] = ((double)((z ^ (z >> 31)) >> 11) + 0.5) / 9007199254740992.0;
    }
    return sqrt(-2 * log(u[0])) * cos(6.283185307179586 * u[1]);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- the PCLR graph, built by hand (layer order of the Keras model) ---- */

static ef_nn_layer *push(ef_nn_model *m, int op, int in0, int in1)
{
    ef_nn_layer *l = &m->layers[m->nlayers++];
    l->op = op;
    l->inputs[l->ninputs++] = in0;
    if (in1 >= 0)
        l->inputs[l->ninputs++] = in1;
    l->rank = 2;
    l->steps = m->layers[in0].steps;
    l->ch = m->layers[in0].ch;
    l->stride = l->dilation = 1;
    l->relu_max = -1;
    m->output = (int)m->nlayers - 1;
    return l;
}

static void same(ef_nn_layer *l, size_t len)   /* TF SAME split */
{
    size_t out = (len + (size_t)l->stride - 1) / (size_t)l->stride;
    long total = (long)((out - 1) * (size_t)l->stride) + l->kernel - (long)len;
    if (total < 0)
        total = 0;
    l->pad_left = (int)(total / 2);
    l->pad_right = (int)(total - total / 2);
    l->steps = out;
}

static double conv_flops;

static int conv(ef_nn_model *m, int in, int filters, int k, int s)
{
    size_t cin = m->layers[in].ch, len = m->layers[in].steps;
    ef_nn_layer *l = push(m, EF_NN_CONV1D, in, -1);
    double sd = sqrt(2.0 / ((double)k * cin));   /* He normal */

    l->kernel = k;
    l->stride = s;
    l->padding = EF_PAD_SAME;
    l->filters = filters;
    l->ch = (size_t)filters;
    same(l, len);
    l->wlen[0] = (size_t)k * cin * (size_t)filters;
    l->w[0] = ef_xmalloc(l->wlen[0] * sizeof(float));
    for (size_t i = 0; i < l->wlen[0]; i++)
        l->w[0][i] = (float)(sd * gauss());
    l->nw = 1;
    conv_flops += 2.0 * (double)l->steps * (double)l->wlen[0];
    return (int)m->nlayers - 1;
}

static int bn_relu(ef_nn_model *m, int in)
{
    ef_nn_layer *l = push(m, EF_NN_BN, in, -1);
    l->epsilon = 1e-3;
    l->center = l->scale = 1;
    l->nw = 4;
    for (int k = 0; k < 4; k++) {
        l->wlen[k] = l->ch;
        l->w[k] = ef_xmalloc(l->ch * sizeof(float));
        for (size_t c = 0; c < l->ch; c++)
            l->w[k][c] = (float)(k == 0 ? 1 + 0.1 * gauss() : k == 3 ? 1 + 0.2 * fabs(gauss()) : 0.1 * gauss());
    }
    push(m, EF_NN_ACTIVATION, (int)m->nlayers - 1, -1)->act = EF_ACT_RELU;
    return (int)m->nlayers - 1;
}

static int maxpool(ef_nn_model *m, int in)
{
    size_t len = m->layers[in].steps;
    ef_nn_layer *l = push(m, EF_NN_MAXPOOL, in, -1);
    l->kernel = l->stride = 4;
    l->padding = EF_PAD_SAME;
    same(l, len);
    return (int)m->nlayers - 1;
}

static ef_nn_model *pclr(void)
{
    ef_nn_model *m = ef_xcalloc(1, sizeof *m);
    static const int filt[] = { 128, 196, 256, 320 };

    m->layers = ef_xcalloc(64, sizeof *m->layers);
    m->nlayers = 1;
    m->in_steps = 4096;
    m->in_ch = 12;
    m->layers[0].op = EF_NN_INPUT;
    m->layers[0].rank = 2;
    m->layers[0].steps = 4096;
    m->layers[0].ch = 12;
    int x = bn_relu(m, conv(m, 0, 64, 16, 1)), sum = x;
    for (int u = 0; u < 4; u++) {
        int skip = conv(m, maxpool(m, sum), filt[u], 1, 1);
        int h = bn_relu(m, conv(m, x, filt[u], 16, 1));
        sum = (int)(push(m, EF_NN_ADD, conv(m, h, filt[u], 16, 4), skip) - m->layers);
        x = bn_relu(m, sum);
    }
    push(m, EF_NN_GAP, x, -1)->steps = 1;
    m->layers[m->nlayers - 1].rank = 1;
    return m;
}

static double sgemm_peak(int threads, size_t n)
{
    float *a = ef_xmalloc(n * n * sizeof *a), *b = ef_xmalloc(n * n * sizeof *b), *c = ef_xmalloc(n * n * sizeof *c);
    double best = 1e30;

    for (size_t i = 0; i < n * n; i++)
        a[i] = b[i] = (float)gauss();
    ef_blas_begin(threads);
    for (int rep = 0; rep < 6; rep++) {
        double t = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)n, (int)n, 1.0f, a, (int)n, b,
                    (int)n, 0.0f, c, (int)n);
        t = now() - t;
        best = t < best ? t : best;
    }
    ef_blas_end();
    free(a);
    free(b);
    free(c);
    return 2.0 * (double)n * n * n / best / 1e9;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "peak") == 0) {
        printf("openblas_core %s\n", openblas_get_corename());
        for (int t = 1; t <= 2; t++)
            printf("sgemm_peak_%d %.2f\n", t, sgemm_peak(t, 2048));
        return 0;
    }
    size_t batch = argc > 1 ? (size_t)atol(argv[1]) : 16;
    double secs = argc > 2 ? atof(argv[2]) : 3.0;
    size_t mb = argc > 3 ? (size_t)atol(argv[3]) : 0;
    ef_nn_model *m = pclr();
    size_t isz = 4096 * 12;
    float *in = ef_xmalloc(batch * isz * sizeof *in), *out = ef_xmalloc(batch * 320 * sizeof *out);
    ef_error err;

    if (batch == 0 || ef_nn_layer_output_size(m, (size_t)m->output) != 320) {
        fprintf(stderr, "bench_pclr: bad batch or model\n");
        return 1;
    }
    for (size_t i = 0; i < batch * isz; i++)
        in[i] = (float)(0.3 * gauss());
    printf("layers %zu\ngflop_per_ecg %.4f\nbatch %zu\ngemm %s\n", m->nlayers, conv_flops / 1e9, batch,
           ef_sgemm_choose() > 0 ? "own-avx512" : "openblas");
    for (int t = 1; t <= 2; t++) {
        ef_nn_runner *r;
        if (ef_nn_runner_new_mb(m, batch, t, mb, &r, &err) != EF_OK) {
            fprintf(stderr, "bench_pclr: %s\n", err.msg);
            return 1;
        }
        ef_nn_run(r, in, batch, out, NULL);   /* warm up */
        double best = 1e30, t0 = now();
        int runs = 0;
        while (runs < 3 || now() - t0 < secs) {
            double t1 = now();
            ef_nn_run(r, in, batch, out, NULL);
            t1 = now() - t1;
            best = t1 < best ? t1 : best;
            runs++;
        }
        double ecgs = (double)batch / best;
        printf("threads %d runs %d best_s %.4f ecg_per_s_%d %.2f gflops_%d %.2f arena_mb %.1f\n", t, runs,
               best, t, ecgs, t, ecgs * conv_flops / 1e9, (double)ef_nn_runner_arena_bytes(r) / 1048576.0);
        fflush(stdout);
        ef_nn_runner_free(r);
    }
    double s = 0;
    for (size_t i = 0; i < 320; i++)
        s += out[i];
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("embed_sum %.6g\npeak_rss_mb %.1f\n", s, (double)ru.ru_maxrss / 1024.0);
    for (size_t i = 0; i < m->nlayers; i++)
        for (int k = 0; k < m->layers[i].nw; k++)
            free(m->layers[i].w[k]);
    free(m->layers);
    free(m);
    free(in);
    free(out);
    return 0;
}
