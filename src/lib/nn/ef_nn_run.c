/* ef_nn_run.c — graph execution: planning once, running many times.
 *
 * ef_nn_runner_new turns the layer graph into a list of steps for one target
 * layer (the model's output): a Conv1D or Dense absorbs a BatchNormalization
 * that is its sole consumer (weights folded into a private copy) and then an
 * activation that is the next sole consumer (fused into the GEMM output pass);
 * an unfolded BN absorbs a following activation the same way; Dropout,
 * Flatten and linear activations are views of their input.  A liveness pass
 * over the steps then gives every value an offset in one arena per thread
 * (first fit; element-wise steps write in place over an input that dies
 * there), so ef_nn_run allocates nothing.
 *
 * Threads: the runner splits the batch into micro-batches of a few ECGs and
 * runs each through the whole network on one of its own threads, with
 * OpenBLAS single-threaded.  We chose this over OpenBLAS's threads because it
 * parallelises everything (im2col, BN, pooling, the epilogues), needs no
 * synchronisation between layers and keeps every GEMM large enough (rows of
 * several ECGs stacked) to run near the single-core sgemm peak; letting
 * OpenBLAS split GEMMs as well would oversubscribe the cores.  A single ECG
 * therefore runs on one core.
 *
 * GEMMs: OpenBLAS, or the runner's own AVX-512F SGEMM (ef_sgemm.c) with the
 * weights packed here once per plan.  ECGFIT_GEMM=openblas|own|auto picks
 * (read when a runner is made; unset = auto): auto and own take the own
 * kernel whenever the CPU has AVX-512F (it measured faster than OpenBLAS's
 * AVX2 and AVX-512 kernels on PCLR, bench/README.md), openblas forces
 * cblas_sgemm; any other value is an error. */
#include "config.h"
#include "nn/ef_nn_int.h"
#include "nn/ef_nn_kern.h"
#include "nn/ef_sgemm.h"
#include "core/ef_alloc.h"
#include "core/ef_blas.h"
#include "core/ef_pool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Items a thread runs through the network at once: enough stacked rows for
 * the late, short layers' GEMMs, little enough memory (~4 MiB per PCLR ECG). */
#define DEFAULT_MB 4
#define ALIGN_FLOATS 16

enum step_kind { ST_CONV, ST_BN, ST_ACT, ST_RELU, ST_ADD, ST_CONCAT, ST_POOL, ST_GPOOL, ST_ZEROPAD };

typedef struct step {
    int kind, layer;           /* layer: the model layer whose value the step writes */
    int in[EF_NN_MAX_INPUTS], nin;
    ef_nn_conv conv;           /* ST_CONV */
    float *scale, *offset;     /* ST_BN (owned) */
    int act;                   /* ST_BN post-activation, ST_ACT */
    double alpha;
} step;

typedef struct plan {
    int target;
    step *steps;
    size_t nsteps;
    long *off;                 /* per layer: arena offset (floats), -1 the caller's input, -2 none */
    float **owned;             /* folded weights and biases */
    size_t nowned;
    size_t arena_floats, scratch_floats;
    float **arena;             /* one per thread: values, then im2col scratch */
    int narena;
} plan;

struct ef_nn_runner {
    const ef_nn_model *m;
    size_t batch, mb;
    int threads;
    int own_gemm;              /* ef_sgemm (weights packed) rather than OpenBLAS */
    plan *main, *aux;          /* aux: the last run_to target that is not the output */
    /* threads - 1 tasks in the pool, the caller is slot 0; each slot has its arena */
    ef_pool *pool, *own_pool;
    struct slot_arg { struct ef_nn_runner *r; int slot; } *slot;
    pthread_mutex_t mu;        /* guards job_next */
    const plan *job_plan;
    const float *job_in;
    float *job_out;
    size_t job_n, job_next, job_chunk;
};

/* ---- validation ---------------------------------------------------------- */

static size_t lsize(const ef_nn_layer *l)
{
    return l->steps * l->ch;
}

static int bad(ef_error *err, const ef_nn_layer *l, const char *what)
{
    return ef_error_set(err, EF_EDATA, "layer %s (%s): %s", l->name ? l->name : "?",
                        l->class_name ? l->class_name : "?", what);
}

static int check_layer(const ef_nn_model *m, size_t li, ef_error *err)
{
    const ef_nn_layer *l = &m->layers[li], *in = NULL;

    if (l->ninputs < 0 || l->ninputs > EF_NN_MAX_INPUTS)
        return bad(err, l, "bad input count");
    for (int k = 0; k < l->ninputs; k++)
        if (l->inputs[k] < 0 || (size_t)l->inputs[k] >= li)
            return bad(err, l, "inputs are not earlier layers");
    if (l->steps == 0 || l->ch == 0)
        return bad(err, l, "empty output shape (model not finished?)");
    if (l->op != EF_NN_INPUT && l->ninputs < 1)
        return bad(err, l, "no input");
    if (l->ninputs > 0)
        in = &m->layers[l->inputs[0]];
    switch (l->op) {
    case EF_NN_INPUT:
        if (l->steps != m->in_steps || l->ch != m->in_ch)
            return bad(err, l, "input shape differs from the model's");
        break;
    case EF_NN_CONV1D:
        if (l->ninputs != 1 || in->rank != 2 || l->rank != 2)
            return bad(err, l, "expects one [steps, channels] input");
        if (l->kernel < 1 || l->stride < 1 || l->dilation < 1 || l->pad_left < 0 || l->pad_right < 0)
            return bad(err, l, "bad kernel, stride, dilation or padding");
        if (l->nw < 1 || l->wlen[0] != (size_t)l->kernel * in->ch * l->ch
            || (l->use_bias && (l->nw < 2 || l->wlen[1] != l->ch)))
            return bad(err, l, "weights do not match [kernel][in][filters]");
        if ((l->steps - 1) * (size_t)l->stride + (size_t)(l->kernel - 1) * l->dilation + 1
            > in->steps + (size_t)l->pad_left + (size_t)l->pad_right)
            return bad(err, l, "output length does not fit the padded input");
        break;
    case EF_NN_DENSE:
        if (l->ninputs != 1 || l->steps != in->steps || l->nw < 1 || l->wlen[0] != in->ch * l->ch
            || (l->use_bias && (l->nw < 2 || l->wlen[1] != l->ch)))
            return bad(err, l, "weights do not match [in][units]");
        break;
    case EF_NN_BN: {
        int want = 2 + (l->scale != 0) + (l->center != 0);
        if (l->ninputs != 1 || lsize(in) != lsize(l) || in->ch != l->ch || l->nw != want)
            return bad(err, l, "shape or weight count mismatch");
        for (int k = 0; k < l->nw; k++)
            if (l->wlen[k] != l->ch)
                return bad(err, l, "weight length differs from the channel count");
        break;
    }
    case EF_NN_ACTIVATION: case EF_NN_RELU: case EF_NN_DROPOUT: case EF_NN_FLATTEN:
        if (l->ninputs != 1 || lsize(in) != lsize(l))
            return bad(err, l, "output size differs from the input's");
        if (l->op != EF_NN_FLATTEN && in->ch != l->ch)
            return bad(err, l, "channel count differs from the input's");
        break;
    case EF_NN_ADD:
        for (int k = 0; k < l->ninputs; k++) {
            const ef_nn_layer *x = &m->layers[l->inputs[k]];
            if (x->steps != l->steps || x->ch != l->ch)
                return bad(err, l, "inputs differ in shape");
        }
        break;
    case EF_NN_CONCAT: {
        size_t sum = 0;
        if (l->axis != 0 && l->axis != 1)
            return bad(err, l, "axis must be steps or channels");
        for (int k = 0; k < l->ninputs; k++) {
            const ef_nn_layer *x = &m->layers[l->inputs[k]];
            if ((l->axis == 1 && x->steps != l->steps) || (l->axis == 0 && x->ch != l->ch))
                return bad(err, l, "inputs differ off the concatenation axis");
            sum += l->axis == 1 ? x->ch : x->steps;
        }
        if (sum != (l->axis == 1 ? l->ch : l->steps))
            return bad(err, l, "output size is not the sum of the inputs'");
        break;
    }
    case EF_NN_MAXPOOL: case EF_NN_AVGPOOL:
        if (l->ninputs != 1 || in->ch != l->ch || l->kernel < 1 || l->stride < 1 || l->pad_left < 0
            || (l->steps - 1) * (size_t)l->stride > in->steps + (size_t)l->pad_left)
            return bad(err, l, "pool shape mismatch");
        break;
    case EF_NN_GAP: case EF_NN_GMP:
        if (l->ninputs != 1 || in->ch != l->ch || l->steps != 1)
            return bad(err, l, "global pooling shape mismatch");
        break;
    case EF_NN_ZEROPAD:
        if (l->ninputs != 1 || in->ch != l->ch || l->pad_left < 0 || l->pad_right < 0
            || l->steps != in->steps + (size_t)l->pad_left + (size_t)l->pad_right)
            return bad(err, l, "padding shape mismatch");
        break;
    default:
        return bad(err, l, "unsupported layer");
    }
    return EF_OK;
}

/* ---- planning ------------------------------------------------------------ */

static void plan_free(plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nsteps; i++) {
        free(p->steps[i].scale);
        free(p->steps[i].offset);
    }
    for (size_t i = 0; i < p->nowned; i++)
        free(p->owned[i]);
    for (int t = 0; t < p->narena; t++)
        free(p->arena[t]);
    free(p->arena);
    free(p->owned);
    free(p->steps);
    free(p->off);
    free(p);
}

static float *own(plan *p, size_t count)
{
    float *f = ef_xcalloc(count ? count : 1, sizeof *f);
    p->owned = ef_xreallocarray(p->owned, p->nowned + 1, sizeof *p->owned);
    p->owned[p->nowned++] = f;
    return f;
}

/* Owned floats at a 64-byte boundary (packed weights). */
static float *own_aligned(plan *p, size_t count)
{
    float *f = own(p, count + 16);
    return f + (64 - (uintptr_t)f % 64) % 64 / sizeof *f;
}

/* An Activation or plain ReLU layer as a fusable activation, or -1. */
static int as_act(const ef_nn_layer *l)
{
    if (l->op == EF_NN_ACTIVATION)
        return l->act;
    if (l->op == EF_NN_RELU && l->relu_max < 0 && l->relu_slope == 0 && l->relu_threshold == 0)
        return EF_ACT_RELU;
    return -1;
}

static void bn_params(const ef_nn_layer *l, float *scale, float *offset)
{
    int k = 0;
    const float *gamma = l->scale ? l->w[k++] : NULL;
    const float *beta = l->center ? l->w[k++] : NULL;

    ef_nn_bn_params(gamma, beta, l->w[k], l->w[k + 1], l->epsilon, l->ch, scale, offset);
}

typedef struct block { long off; size_t size; long end; } block;

/* Lowest offset where `size` floats fit beside the blocks still live at step i. */
static long first_fit(const block *b, size_t nb, long i, size_t size)
{
    long off = 0;

    for (;;) {
        int moved = 0;
        for (size_t k = 0; k < nb; k++)
            if (b[k].end >= i && b[k].off < off + (long)size && off < b[k].off + (long)b[k].size) {
                off = b[k].off + (long)b[k].size;
                moved = 1;
            }
        if (!moved)
            return off;
    }
}

static int plan_new(const ef_nn_model *m, int target, size_t mb, int nthreads, int own_gemm, plan **out,
                    ef_error *err)
{
    size_t nl = m->nlayers;
    int *nuse = ef_xcalloc(nl, sizeof *nuse), *consumer = ef_xcalloc(nl, sizeof *consumer);
    int *needed = ef_xcalloc(nl, sizeof *needed), *absorbed = ef_xcalloc(nl, sizeof *absorbed);
    int *root = ef_xcalloc(nl, sizeof *root);
    long *last = ef_xcalloc(nl, sizeof *last);
    plan *p = ef_xcalloc(1, sizeof *p);
    int rc = EF_OK, ninput = 0;

    p->target = target;
    p->off = ef_xcalloc(nl, sizeof *p->off);
    p->steps = ef_xcalloc(nl, sizeof *p->steps);
    needed[target] = 1;
    for (long l = target; l >= 0; l--) {
        if (!needed[l])
            continue;
        if ((rc = check_layer(m, (size_t)l, err)) != EF_OK)
            goto done;
        for (int k = 0; k < m->layers[l].ninputs; k++) {
            needed[m->layers[l].inputs[k]] = 1;
            nuse[m->layers[l].inputs[k]]++;
            consumer[m->layers[l].inputs[k]] = (int)l;
        }
        ninput += m->layers[l].op == EF_NN_INPUT;
    }
    if (ninput != 1) {
        rc = ef_error_set(err, EF_EUNSUP, "model %s: %d input layers (one supported)",
                          m->name ? m->name : "?", ninput);
        goto done;
    }
    nuse[target]++;

    /* Steps, with folding and fusion; root[l] = the layer whose value l is. */
    for (size_t li = 0; li <= (size_t)target; li++) {
        const ef_nn_layer *l = &m->layers[li];
        step *s = &p->steps[p->nsteps];
        int end = (int)li;

        root[li] = (int)li;
        if (!needed[li] || absorbed[li])
            continue;
        if (l->op == EF_NN_INPUT)
            continue;
        if (l->op == EF_NN_DROPOUT || l->op == EF_NN_FLATTEN
            || (l->op == EF_NN_ACTIVATION && l->act == EF_ACT_LINEAR)) {
            root[li] = root[l->inputs[0]];
            continue;
        }
        s->layer = (int)li;
        s->nin = l->ninputs;
        memcpy(s->in, l->inputs, sizeof s->in);
        switch (l->op) {
        case EF_NN_CONV1D: case EF_NN_DENSE: {
            const ef_nn_layer *in = &m->layers[l->inputs[0]];
            ef_nn_conv *c = &s->conv;
            s->kind = ST_CONV;
            c->in_steps = in->steps;
            c->cin = in->ch;
            c->out_steps = l->steps;
            c->cout = l->ch;
            c->k = l->op == EF_NN_DENSE ? 1 : l->kernel;
            c->s = l->op == EF_NN_DENSE ? 1 : l->stride;
            c->d = l->op == EF_NN_DENSE ? 1 : l->dilation;
            c->pl = l->op == EF_NN_DENSE ? 0 : l->pad_left;
            c->w = l->w[0];
            c->b = l->use_bias ? l->w[1] : NULL;
            c->act = l->act;
            c->alpha = l->elu_alpha;
            if (c->act == EF_ACT_LINEAR && end != target && nuse[end] == 1
                && m->layers[consumer[end]].op == EF_NN_BN) {
                /* fold: w' = w * scale, b' = b * scale + offset */
                const ef_nn_layer *bn = &m->layers[consumer[end]];
                size_t co = c->cout, rows = l->wlen[0] / co;
                float *scale = own(p, co), *offset = own(p, co), *w = own(p, l->wlen[0]), *b = own(p, co);
                bn_params(bn, scale, offset);
                for (size_t r = 0; r < rows; r++)
                    for (size_t j = 0; j < co; j++)
                        w[r * co + j] = c->w[r * co + j] * scale[j];
                for (size_t j = 0; j < co; j++)
                    b[j] = c->b ? c->b[j] * scale[j] + offset[j] : offset[j];
                c->w = w;
                c->b = b;
                end = consumer[end];
                absorbed[end] = 1;
            }
            if (c->act == EF_ACT_LINEAR && end != target && nuse[end] == 1
                && as_act(&m->layers[consumer[end]]) >= 0) {
                c->act = as_act(&m->layers[consumer[end]]);
                c->alpha = m->layers[consumer[end]].elu_alpha;
                end = consumer[end];
                absorbed[end] = 1;
            }
            if (own_gemm)
                ef_nn_conv_pack(c, own_aligned(p, ef_nn_conv_packed_floats(c)));
            break;
        }
        case EF_NN_BN:
            s->kind = ST_BN;
            s->scale = ef_xmalloc(l->ch * sizeof *s->scale);
            s->offset = ef_xmalloc(l->ch * sizeof *s->offset);
            bn_params(l, s->scale, s->offset);
            s->act = EF_ACT_LINEAR;
            if (end != target && nuse[end] == 1 && as_act(&m->layers[consumer[end]]) >= 0) {
                s->act = as_act(&m->layers[consumer[end]]);
                s->alpha = m->layers[consumer[end]].elu_alpha;
                end = consumer[end];
                absorbed[end] = 1;
            }
            break;
        case EF_NN_ACTIVATION: s->kind = ST_ACT; s->act = l->act; s->alpha = l->elu_alpha; break;
        case EF_NN_RELU: s->kind = ST_RELU; break;
        case EF_NN_ADD: s->kind = ST_ADD; break;
        case EF_NN_CONCAT: s->kind = ST_CONCAT; break;
        case EF_NN_MAXPOOL: case EF_NN_AVGPOOL: s->kind = ST_POOL; break;
        case EF_NN_GAP: case EF_NN_GMP: s->kind = ST_GPOOL; break;
        case EF_NN_ZEROPAD: s->kind = ST_ZEROPAD; break;
        default: break;   /* rejected by check_layer */
        }
        s->layer = end;
        p->nsteps++;
    }

    /* Liveness: the last step reading each value (the target's: never dies). */
    for (size_t li = 0; li < nl; li++)
        last[li] = -1;
    for (size_t i = 0; i < p->nsteps; i++)
        for (int k = 0; k < p->steps[i].nin; k++)
            last[root[p->steps[i].in[k]]] = (long)i;
    last[root[target]] = (long)p->nsteps;

    /* Offsets: first fit; element-wise steps overwrite an input dying there. */
    {
        block *b = ef_xcalloc(p->nsteps + 1, sizeof *b);
        size_t nb = 0, top = 0;
        int *blk = ef_xcalloc(nl, sizeof *blk);   /* value -> block index + 1 */
        for (size_t li = 0; li < nl; li++)
            p->off[li] = -2;
        for (size_t li = 0; li < nl; li++)
            if (needed[li] && m->layers[li].op == EF_NN_INPUT)
                p->off[li] = -1;
        for (size_t i = 0; i < p->nsteps; i++) {
            step *s = &p->steps[i];
            const ef_nn_layer *l = &m->layers[s->layer];
            int r0 = root[s->in[0]];
            size_t size = (mb * lsize(l) + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS;
            int elementwise = s->kind == ST_BN || s->kind == ST_ACT || s->kind == ST_RELU
                              || s->kind == ST_ADD;
            if (elementwise && blk[r0] && b[blk[r0] - 1].end == (long)i) {
                blk[s->layer] = blk[r0];
                b[blk[r0] - 1].end = last[s->layer] > (long)i ? last[s->layer] : (long)i;
            } else {
                b[nb].off = first_fit(b, nb, (long)i, size);
                b[nb].size = size;
                b[nb].end = last[s->layer] > (long)i ? last[s->layer] : (long)i;
                if ((size_t)b[nb].off + size > top)
                    top = (size_t)b[nb].off + size;
                blk[s->layer] = (int)++nb;
            }
            p->off[s->layer] = b[blk[s->layer] - 1].off;
            if (s->kind == ST_CONV) {
                size_t sc = ef_nn_conv_scratch(&s->conv, mb);
                if (sc > p->scratch_floats)
                    p->scratch_floats = sc;
            }
        }
        for (size_t li = 0; li < nl; li++)
            if (needed[li] && root[li] != (int)li)
                p->off[li] = p->off[root[li]];
        p->arena_floats = top;
        free(blk);
        free(b);
    }
    p->narena = nthreads;
    p->arena = ef_xcalloc((size_t)nthreads, sizeof *p->arena);
    for (int t = 0; t < nthreads; t++)
        p->arena[t] = ef_xmalloc((p->arena_floats + p->scratch_floats + 1) * sizeof(float));

done:
    free(nuse);
    free(consumer);
    free(needed);
    free(absorbed);
    free(root);
    free(last);
    if (rc != EF_OK) {
        plan_free(p);
        p = NULL;
    }
    *out = p;
    return rc;
}

/* ---- execution ----------------------------------------------------------- */

static const float *value(const ef_nn_model *m, const plan *p, float *arena, const float *in, size_t i0,
                          int layer)
{
    if (p->off[layer] == -1)
        return in + i0 * m->in_steps * m->in_ch;
    return arena + p->off[layer];
}

static void run_steps(const ef_nn_model *m, const plan *p, float *arena, const float *in, size_t i0,
                      size_t n, float *out)
{
    float *scratch = arena + p->arena_floats;

    for (size_t i = 0; i < p->nsteps; i++) {
        const step *s = &p->steps[i];
        const ef_nn_layer *l = &m->layers[s->layer], *lin = &m->layers[s->in[0]];
        const float *x = value(m, p, arena, in, i0, s->in[0]);
        float *y = arena + p->off[s->layer];
        const float *xs[EF_NN_MAX_INPUTS];
        size_t st[EF_NN_MAX_INPUTS], ch[EF_NN_MAX_INPUTS];

        switch (s->kind) {
        case ST_CONV:
            ef_nn_conv_forward(&s->conv, x, n, y, scratch);
            break;
        case ST_BN:
            ef_nn_bn_rows(x, n * l->steps, l->ch, s->scale, s->offset, s->act, s->alpha, y);
            break;
        case ST_ACT:
            if (x != y)
                memcpy(y, x, n * lsize(l) * sizeof *y);
            ef_nn_act_rows(y, n * l->steps, l->ch, s->act, s->alpha);
            break;
        case ST_RELU:
            ef_nn_relu_rows(x, n * lsize(l), l->relu_max, l->relu_slope, l->relu_threshold, y);
            break;
        case ST_ADD: case ST_CONCAT:
            for (int k = 0; k < s->nin; k++) {
                xs[k] = value(m, p, arena, in, i0, s->in[k]);
                st[k] = m->layers[s->in[k]].steps;
                ch[k] = m->layers[s->in[k]].ch;
            }
            if (s->kind == ST_ADD)
                ef_nn_add(xs, s->nin, n * lsize(l), y);
            else
                ef_nn_concat(xs, st, ch, s->nin, l->axis, n, l->steps, l->ch, y);
            break;
        case ST_POOL:
            ef_nn_pool(x, n, lin->steps, l->ch, l->kernel, l->stride, l->pad_left, l->steps,
                       l->op == EF_NN_MAXPOOL, y);
            break;
        case ST_GPOOL:
            ef_nn_global_pool(x, n, lin->steps, l->ch, l->op == EF_NN_GMP, y);
            break;
        case ST_ZEROPAD:
            ef_nn_zeropad(x, n, lin->steps, l->ch, l->pad_left, l->pad_right, y);
            break;
        default:
            break;
        }
    }
    size_t osz = lsize(&m->layers[p->target]);
    memcpy(out + i0 * osz, value(m, p, arena, in, i0, p->target), n * osz * sizeof *out);
}

/* Take micro-batches until none is left; slot = this thread's arena. */
static void work(ef_nn_runner *r, int slot)
{
    for (;;) {
        size_t i0, n;
        pthread_mutex_lock(&r->mu);
        i0 = r->job_next;
        n = i0 < r->job_n ? (r->job_n - i0 < r->job_chunk ? r->job_n - i0 : r->job_chunk) : 0;
        r->job_next += n;
        pthread_mutex_unlock(&r->mu);
        if (n == 0)
            return;
        run_steps(r->m, r->job_plan, r->job_plan->arena[slot], r->job_in, i0, n, r->job_out);
    }
}

static void slot_task(void *arg)
{
    struct slot_arg *a = arg;

    work(a->r, a->slot);
}

static void run_plan(ef_nn_runner *r, const plan *p, const float *in, size_t n, float *out)
{
    size_t per = (n + (size_t)r->threads - 1) / (size_t)r->threads;
    ef_pool_group g;

    r->job_plan = p;
    r->job_in = in;
    r->job_out = out;
    r->job_n = n;
    r->job_next = 0;
    r->job_chunk = per < r->mb ? per : r->mb;   /* keep every thread busy on small batches */
    ef_blas_begin(1);   /* the threads here call sgemm at once: OpenBLAS's own would oversubscribe */
    ef_pool_group_init(&g, r->pool, NULL);
    for (int t = 1; t < r->threads; t++)
        ef_pool_submit(&g, slot_task, &r->slot[t]);
    work(r, 0);
    ef_pool_wait(&g);
    ef_blas_end();
}

/* ---- public -------------------------------------------------------------- */

size_t ef_nn_layer_output_size(const ef_nn_model *m, size_t layer)
{
    return layer < m->nlayers ? lsize(&m->layers[layer]) : 0;
}

static int runner_new(const ef_nn_model *m, size_t batch, int threads, size_t mb, ef_pool *pool,
                      ef_nn_runner **out, ef_error *err)
{
    ef_nn_runner *r;
    plan *p;
    int rc;

    *out = NULL;
    if (!m || batch == 0 || threads < 0)
        return ef_error_set(err, EF_EINVAL, "runner: batch must be >= 1 and threads >= 0");
    if (m->output < 0 || (size_t)m->output >= m->nlayers)
        return ef_error_set(err, EF_EINVAL, "model %s has no output layer", m->name ? m->name : "?");
    if (threads == 0) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        threads = nc > 0 ? (int)nc : 1;
    }
    if ((size_t)threads > batch)
        threads = (int)batch;
    if (mb == 0) {
        mb = (batch + (size_t)threads - 1) / (size_t)threads;
        if (mb > DEFAULT_MB)
            mb = DEFAULT_MB;
    }
    if (mb > batch)
        mb = batch;
    int own_gemm = ef_sgemm_choose();
    if (own_gemm < 0)
        return ef_error_set(err, EF_EINVAL, "ECGFIT_GEMM must be openblas, own or auto");
    if ((rc = plan_new(m, m->output, mb, threads, own_gemm, &p, err)) != EF_OK)
        return rc;
    r = ef_xcalloc(1, sizeof *r);
    r->m = m;
    r->batch = batch;
    r->mb = mb;
    r->threads = threads;
    r->own_gemm = own_gemm;
    r->main = p;
    pthread_mutex_init(&r->mu, NULL);
    r->slot = ef_xcalloc((size_t)threads, sizeof *r->slot);
    for (int t = 0; t < threads; t++)
        r->slot[t] = (struct slot_arg){ r, t };
    r->pool = pool;
    if (!pool && threads > 1)
        r->pool = r->own_pool = ef_pool_new(threads - 1);
    *out = r;
    return EF_OK;
}

int ef_nn_runner_new_mb(const ef_nn_model *m, size_t batch, int threads, size_t mb, ef_nn_runner **out,
                        ef_error *err)
{
    return runner_new(m, batch, threads, mb, NULL, out, err);
}

int ef_nn_runner_new(const ef_nn_model *m, size_t batch, int threads, ef_nn_runner **out, ef_error *err)
{
    return runner_new(m, batch, threads, 0, NULL, out, err);
}

int ef_nn_runner_new_pool(const ef_nn_model *m, size_t batch, struct ef_pool *pool, ef_nn_runner **out,
                          ef_error *err)
{
    return runner_new(m, batch, ef_pool_width(pool, 0), 0, pool, out, err);
}

void ef_nn_runner_free(ef_nn_runner *r)
{
    if (!r)
        return;
    ef_pool_free(r->own_pool);
    pthread_mutex_destroy(&r->mu);
    plan_free(r->main);
    plan_free(r->aux);
    free(r->slot);
    free(r);
}

size_t ef_nn_runner_arena_bytes(const ef_nn_runner *r)
{
    return (r->main->arena_floats + r->main->scratch_floats) * sizeof(float);
}

static int check_args(const ef_nn_runner *r, const float *in, size_t n, const float *out, ef_error *err)
{
    if (n > r->batch)
        return ef_error_set(err, EF_EINVAL, "batch of %zu inputs exceeds the runner's %zu", n, r->batch);
    if (n > 0 && (!in || !out))
        return ef_error_set(err, EF_EINVAL, "no input or output buffer");
    return EF_OK;
}

int ef_nn_run(ef_nn_runner *r, const float *in, size_t n, float *out, ef_error *err)
{
    int rc = check_args(r, in, n, out, err);

    if (rc == EF_OK && n > 0)
        run_plan(r, r->main, in, n, out);
    return rc;
}

int ef_nn_run_to(ef_nn_runner *r, const float *in, size_t n, size_t layer, float *out, ef_error *err)
{
    int rc = check_args(r, in, n, out, err);

    if (rc != EF_OK)
        return rc;
    if (layer >= r->m->nlayers)
        return ef_error_set(err, EF_EINVAL, "no layer %zu (the model has %zu)", layer, r->m->nlayers);
    if ((int)layer == r->main->target)
        return ef_nn_run(r, in, n, out, err);
    /* Another target needs its own plan (its value may be folded away in the
     * main one): made on first use and kept for the next call. */
    if (!r->aux || r->aux->target != (int)layer) {
        plan *p;
        if ((rc = plan_new(r->m, (int)layer, r->mb, r->threads, r->own_gemm, &p, err)) != EF_OK)
            return rc;
        plan_free(r->aux);
        r->aux = p;
    }
    if (n > 0)
        run_plan(r, r->aux, in, n, out);
    return EF_OK;
}
