/* ef_gbt.c — libxgboost 1.7's "hist" tree method for reg:squarederror,
 * rebuilt bit for bit (see ef_gbt.h for why and for the scope).
 *
 * What must match libxgboost, beyond the cuts (ef_gbt_data.c):
 * - gradients in float: prediction - label, hessian 1; predictions start at
 *   base_score and add each tree's leaf value in float.
 * - histograms in double, rows in ascending order (the hessian sums are row
 *   counts: sums of 1.0 are exact).  Of two siblings the one with the smaller
 *   hessian sum is built (the left one on a tie), the other is parent - built.  The root's gradient sum is feature 0's bins summed in order.
 * - gains: float(g^2) / float(h + lambda) per side, the two added in float,
 *   minus the node's own gain in float; a candidate replaces the best only if
 *   strictly greater and finite (features in order; the forward scan, then, if the
 *   feature's bins do not sum exactly to the node's statistics, the backward
 *   scan).  A split is taken when its gain is > 1e-6f and >= gamma.
 * - leaf values: float(-g / (h + lambda)) * eta in float.
 * A bin that no row of the node falls into repeats the previous candidate,
 * which cannot win a strict comparison: both scans skip it. */
#include "config.h"
#include "model/ef_gbt_int.h"
#include "core/ef_alloc.h"
#include "core/ef_clones.h"
#include "core/ef_job.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BIN EF_GBT_MAX_BIN
#define RT_EPS 1e-6f      /* kRtEps */
#define MIN_CHILD 1.0     /* min_child_weight */

typedef struct {
    int left;          /* first child (the second is left + 1); -1: a leaf */
    int feature;
    int default_left;
    float split_value; /* x < split_value goes left (the predictor's test) */
    float leaf;
} gnode;

struct ef_gbt_model {
    size_t p;
    int ntree;
    float base;
    size_t *start;     /* [ntree + 1] into nodes */
    gnode *nodes;
};

/* ---- one tree ----
 *
 * A histogram has MAX_BIN slots per feature (feature f's bin i at f * MAX_BIN
 * + i) and a bitmap of its non-empty slots; a spare one is all zero, so that
 * building a small node's histogram, clearing it and subtracting it touch only
 * the slots its rows fall into. */

#define WORDS (MAX_BIN / 64)   /* bitmap words per feature */
#define DENSE_ROWS 96          /* from this many rows on: no bitmap, every slot scanned */

typedef struct { double g, h; } gh;

typedef struct {
    gh *b;          /* [p * MAX_BIN] gradient and hessian sums; NULL: given back */
    uint64_t *m;    /* [p * WORDS] non-empty slots, unless full */
    int full;       /* from DENSE_ROWS rows or more: m not kept, every slot scanned */
} hist;

typedef struct {
    float loss;
    int feature, bin, default_left;   /* bin: within the feature; rows <= it go left */
    float value;
    double lg, lh, rg, rh;
} split;

typedef struct {
    int nid, depth;
    size_t begin, end;  /* rows[begin, end) */
    double g, h;
    float gain;         /* the node's own gain */
    hist H;
    split s;
} cand;

typedef struct {
    const ef_gbt_data *d;
    const ef_gbt_params *q;
    double lambda;
    float *grad;
    uint32_t *rows, *tmp;
    ef_gbt_work *spare; /* spare histograms */
    gnode *nodes;       /* the tree being grown */
    size_t nnodes, cap_nodes;
    size_t *nbeg, *nend; /* rows of each node */
    cand *level, *next;  /* this level's nodes and the next's: 2^max_depth at most */
    double *pg, *ph;    /* [4 * MAX_BIN] prefix sums of four features */
    double *gg;         /* [n] a node's gradients */
    float *loss;        /* [MAX_BIN] */
    int *idx;           /* [MAX_BIN] the bins of gathered prefix sums */
} grower;

static float gain_of(double g, double h, double lambda)
{
    if (h <= 0)
        return 0.0f;
    return (float)(g * g) / (float)(h + lambda);
}

static float weight_of(double g, double h, double lambda)
{
    double t;

    if (h < MIN_CHILD || h <= 0.0)
        return 0.0f;
    t = g > 0 ? g : g < 0 ? g : 0.0;
    return (float)(-t / (h + lambda));
}

struct ef_gbt_work {
    hist *h;
    size_t n, cap, p;   /* p: the feature count the buffers are sized for */
};

ef_gbt_work *ef_gbt_work_new(void)
{
    return ef_xcalloc(1, sizeof(ef_gbt_work));
}

static void work_clear(ef_gbt_work *s)
{
    size_t i;

    for (i = 0; i < s->n; i++) {
        free(s->h[i].b);
        free(s->h[i].m);
    }
    s->n = 0;
}

void ef_gbt_work_free(ef_gbt_work *s)
{
    if (!s)
        return;
    work_clear(s);
    free(s->h);
    free(s);
}

static hist hist_get(grower *w)
{
    ef_gbt_work *s = w->spare;
    hist H;

    if (s->n)
        return s->h[--s->n];
    H.b = ef_xcalloc(w->d->p * MAX_BIN, sizeof *H.b);
    H.m = ef_xcalloc(w->d->p * WORDS, sizeof *H.m);
    H.full = 0;
    return H;
}

/* Back to the spares, zeroed. */
static void hist_put(grower *w, hist H)
{
    ef_gbt_work *s = w->spare;
    size_t k, nw = w->d->p * WORDS;

    if (H.full) {
        memset(H.b, 0, w->d->p * MAX_BIN * sizeof *H.b);
        H.full = 0;
    } else {
        for (k = 0; k < nw; k++) {
            uint64_t bits = H.m[k];

            while (bits) {
                H.b[k * 64 + (size_t)__builtin_ctzll(bits)] = (gh){ 0, 0 };
                bits &= bits - 1;
            }
            H.m[k] = 0;
        }
    }
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 8;
        s->h = ef_xreallocarray(s->h, s->cap, sizeof *s->h);
    }
    s->h[s->n++] = H;
}

/* H (zero) = the rows' sums, rows in ascending order as libxgboost adds them.
 * Feature by feature, so that one feature's bins stay in the cache; gg: the
 * rows' gradients gathered. */
static void hist_build(const grower *w, hist *H, size_t begin, size_t end)
{
    const ef_gbt_data *d = w->d;
    const uint32_t *rows = w->rows + begin;
    size_t n = d->n, p = d->p, m = end - begin, r, j;
    double *gg = w->gg;

    H->full = m >= DENSE_ROWS;
    for (r = 0; r < m; r++)
        gg[r] = w->grad[rows[r]];
    for (j = 0; j < p; j++) {
        const uint8_t *col = d->bin + j * n;
        gh *o = H->b + j * MAX_BIN;

        for (r = 0; r < m; r++) {
            gh *e = &o[col[rows[r]]];

            e->g += gg[r];
            e->h += 1.0;
        }
        if (!H->full) {
            uint64_t *mw = H->m + j * WORDS;

            for (r = 0; r < m; r++) {
                unsigned k = col[rows[r]];

                mw[k / 64] |= (uint64_t)1 << (k % 64);
            }
        }
    }
}

/* H = H - S, libxgboost's subtraction trick (S's rows are some of H's; where
 * S is zero H stays as it is). */
static void hist_subtract(const grower *w, hist *H, const hist *S)
{
    size_t k, nw = w->d->p * WORDS, nb = w->d->p * MAX_BIN;

    if (S->full) {
        for (k = 0; k < nb; k++) {
            H->b[k].g -= S->b[k].g;
            H->b[k].h -= S->b[k].h;
        }
        return;
    }
    for (k = 0; k < nw; k++) {
        uint64_t bits = S->m[k];

        while (bits) {
            int i = __builtin_ctzll(bits);
            gh *h = &H->b[k * 64 + (size_t)i];
            const gh *s = &S->b[k * 64 + (size_t)i];

            bits &= bits - 1;
            h->g -= s->g;
            h->h -= s->h;
            if (h->h == 0 && !H->full)
                H->m[k] &= ~((uint64_t)1 << i);
        }
    }
}

/* A candidate better than the best so far (strictly: ties go to the first). */
static void offer(split *best, float loss, int f, int bin, int left, float value, double lg,
                  double lh, double rg, double rh)
{
    best->loss = loss;
    best->feature = f;
    best->bin = bin;
    best->default_left = left;
    best->value = value;
    best->lg = lg, best->lh = lh, best->rg = rg, best->rh = rh;
}

/* The backward scan of feature f (rare: see evaluate). */
static void scan_backward(const grower *w, const cand *c, size_t f, split *best)
{
    const ef_gbt_data *d = w->d;
    const gh *b = c->H.b + f * MAX_BIN;
    const float *cut = d->cut + d->ptr[f];
    int i, nb = (int)(d->ptr[f + 1] - d->ptr[f]);
    double eg = 0, eh = 0;

    for (i = nb - 1; i >= 0; i--) {
        double cg, ch;

        if (b[i].h == 0)
            continue;
        eg += b[i].g;
        eh += b[i].h;
        cg = c->g - eg;
        ch = c->h - eh;
        if (eh >= MIN_CHILD && ch >= MIN_CHILD) {
            float loss = (gain_of(cg, ch, w->lambda) + gain_of(eg, eh, w->lambda)) - c->gain;

            if (loss > best->loss && !isinf(loss))   /* i == 0: nothing goes left */
                offer(best, loss, (int)f, i - 1, 1, i > 0 ? cut[i - 1] : -INFINITY, cg, ch, eg, eh);
        }
    }
}

/* The losses of a feature's forward candidates from its prefix sums, four at
 * a time (the same float and double operations as one at a time; an invalid,
 * infinite or NaN loss becomes 0, which never wins); returns their maximum. */
typedef double v4d __attribute__((vector_size(32)));
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));

EF_CLONES("avx2", "default")   /* core/ef_clones.h: an AVX2 copy, same rounding */
static float dense_losses(const double *pg, const double *ph, int nb, double ng, double nh,
                          double lambda, float root, float *L)
{
    const v4d vng = { ng, ng, ng, ng }, vnh = { nh, nh, nh, nh };
    const v4d vl = { lambda, lambda, lambda, lambda }, one = { 1, 1, 1, 1 };
    const v4f vroot = { root, root, root, root }, inf = { INFINITY, INFINITY, INFINITY, INFINITY };
    const v4i vnb = { nb, nb, nb, nb };
    v4f vmax = { 0, 0, 0, 0 };
    float mx;
    int i;

    for (i = 0; i < nb; i += 4) {
        const v4i idx = { i, i + 1, i + 2, i + 3 };
        v4d eg, eh, cg, ch;
        v4f a, b, l;
        v4i ok;

        memcpy(&eg, pg + i, sizeof eg);
        memcpy(&eh, ph + i, sizeof eh);
        cg = vng - eg;
        ch = vnh - eh;
        a = __builtin_convertvector(eg * eg, v4f) / __builtin_convertvector(eh + vl, v4f);
        b = __builtin_convertvector(cg * cg, v4f) / __builtin_convertvector(ch + vl, v4f);
        l = (a + b) - vroot;
        ok = __builtin_convertvector((eh >= one) & (ch >= one), v4i) & (l == l) & (l != inf) &
             (idx < vnb);
        l = (v4f)((v4i)l & ok);
        memcpy(L + i, &l, sizeof l);
        ok = vmax >= l;
        vmax = (v4f)(((v4i)vmax & ok) | ((v4i)l & ~ok));
    }
    mx = vmax[0];
    for (i = 1; i < 4; i++)
        if (vmax[i] > mx)
            mx = vmax[i];
    return mx;
}

/* Forward scan of feature f over its non-empty bins only: their prefix sums
 * gathered, then the losses four at a time; *tg, *th: the feature's sums (for
 * the backward-scan test). */
static void scan_sparse(const grower *w, const cand *c, size_t f, split *best, double *tg,
                        double *th)
{
    const ef_gbt_data *d = w->d;
    const gh *b = c->H.b + f * MAX_BIN;
    const uint64_t *m = c->H.m + f * WORDS;
    double *pg = w->pg, *ph = w->ph, eg = 0, eh = 0;
    int *idx = w->idx, k, n = 0;
    float mx;

    for (k = 0; k < WORDS; k++) {
        uint64_t bits = m[k];

        while (bits) {
            int i = k * 64 + __builtin_ctzll(bits);

            bits &= bits - 1;
            eg += b[i].g;
            eh += b[i].h;
            pg[n] = eg;
            ph[n] = eh;
            idx[n++] = i;
        }
    }
    *tg = eg;
    *th = eh;
    mx = dense_losses(pg, ph, n, c->g, c->h, w->lambda, c->gain, w->loss);
    if (mx > best->loss) {
        for (k = 0; w->loss[k] != mx; k++)
            ;
        offer(best, mx, (int)f, idx[k], 0, d->cut[d->ptr[f] + (size_t)idx[k]], pg[k], ph[k],
              c->g - pg[k], c->h - ph[k]);
    }
}

/* The best split of a node, as libxgboost's evaluator finds it.  A large
 * node's features go four at a time: their prefix sums are four independent
 * addition chains in one loop, their losses are computed four bins at a time. */
static void evaluate(const grower *w, cand *c)
{
    const ef_gbt_data *d = w->d;
    size_t f, p = d->p, u;
    split best;

    memset(&best, 0, sizeof best);
    best.feature = -1;
    if (!c->H.full) {
        for (f = 0; f < p; f++) {
            double tg, th;

            scan_sparse(w, c, f, &best, &tg, &th);
            if (tg != c->g || th != c->h)
                scan_backward(w, c, f, &best);
        }
        c->s = best;
        return;
    }
    for (f = 0; f < p; f += 4) {
        size_t nf = p - f < 4 ? p - f : 4;
        const gh *b0 = c->H.b + f * MAX_BIN;
        const gh *b1 = nf > 1 ? b0 + MAX_BIN : b0, *b2 = nf > 2 ? b0 + 2 * MAX_BIN : b0;
        const gh *b3 = nf > 3 ? b0 + 3 * MAX_BIN : b0;
        double *pg = w->pg, *ph = w->ph;
        double g0 = 0, g1 = 0, g2 = 0, g3 = 0, h0 = 0, h1 = 0, h2 = 0, h3 = 0;
        int i;

        for (i = 0; i < MAX_BIN; i++) {
            g0 += b0[i].g, h0 += b0[i].h;
            g1 += b1[i].g, h1 += b1[i].h;
            g2 += b2[i].g, h2 += b2[i].h;
            g3 += b3[i].g, h3 += b3[i].h;
            pg[i] = g0, ph[i] = h0;
            pg[MAX_BIN + i] = g1, ph[MAX_BIN + i] = h1;
            pg[2 * MAX_BIN + i] = g2, ph[2 * MAX_BIN + i] = h2;
            pg[3 * MAX_BIN + i] = g3, ph[3 * MAX_BIN + i] = h3;
        }
        for (u = 0; u < nf; u++) {
            const double *fg = pg + u * MAX_BIN, *fh = ph + u * MAX_BIN;
            int nb = (int)(d->ptr[f + u + 1] - d->ptr[f + u]);
            float mx = dense_losses(fg, fh, nb, c->g, c->h, w->lambda, c->gain, w->loss);

            if (mx > best.loss) {
                const float *cut = d->cut + d->ptr[f + u];

                for (i = 0; w->loss[i] != mx; i++)
                    ;
                offer(&best, mx, (int)(f + u), i, 0, cut[i], fg[i], fh[i], c->g - fg[i],
                      c->h - fh[i]);
            }
            if (fg[MAX_BIN - 1] != c->g || fh[MAX_BIN - 1] != c->h)
                scan_backward(w, c, f + u, &best);
        }
    }
    c->s = best;
}

static int new_node(grower *w, float leaf)
{
    gnode *nd;

    if (w->nnodes == w->cap_nodes) {
        w->cap_nodes = w->cap_nodes ? 2 * w->cap_nodes : 64;
        w->nodes = ef_xreallocarray(w->nodes, w->cap_nodes, sizeof *w->nodes);
        w->nbeg = ef_xreallocarray(w->nbeg, w->cap_nodes, sizeof *w->nbeg);
        w->nend = ef_xreallocarray(w->nend, w->cap_nodes, sizeof *w->nend);
    }
    nd = &w->nodes[w->nnodes];
    memset(nd, 0, sizeof *nd);
    nd->left = -1;
    nd->leaf = leaf;
    return (int)w->nnodes++;
}

/* Splits rows[begin, end) stably; returns where the right side starts. */
static size_t partition(grower *w, size_t begin, size_t end, int feature, int bin)
{
    const ef_gbt_data *d = w->d;
    const uint8_t *col = d->bin + (size_t)feature * d->n;
    int local = bin;
    size_t r, nl = begin, nr = 0;

    for (r = begin; r < end; r++) {
        uint32_t row = w->rows[r];

        if ((int)col[row] <= local)
            w->rows[nl++] = row;
        else
            w->tmp[nr++] = row;
    }
    memcpy(w->rows + nl, w->tmp, nr * sizeof *w->tmp);
    return nl;
}

static int valid(const cand *c, float gamma)
{
    return c->s.feature >= 0 && c->s.loss > RT_EPS && c->s.lh != 0 && c->s.rh != 0 &&
           !(c->s.loss < gamma);
}

static void grow(grower *w)
{
    const ef_gbt_data *d = w->d;
    const ef_gbt_params *q = w->q;
    const float eta = q->eta;
    size_t nl = 0, nn, i, k;
    uint32_t b;
    cand *c;

    w->nnodes = 0;
    for (i = 0; i < d->n; i++)
        w->rows[i] = (uint32_t)i;
    c = &w->level[0];
    memset(c, 0, sizeof *c);
    c->H = hist_get(w);
    hist_build(w, &c->H, 0, d->n);
    c->g = 0;
    for (b = 0; b < d->ptr[1]; b++)
        c->g += c->H.b[b].g;
    c->h = (double)d->n;
    c->gain = gain_of(c->g, c->h, w->lambda);
    c->nid = new_node(w, eta * weight_of(c->g, c->h, w->lambda));
    c->begin = 0;
    c->end = d->n;
    w->nbeg[0] = 0;
    w->nend[0] = d->n;
    evaluate(w, c);
    nl = 1;
    while (nl) {
        nn = 0;
        for (k = 0; k < nl; k++) {
            cand *pc = &w->level[k];
            int l, r, expand;
            size_t mid;
            hist HB;
            cand *cl, *cr, *cb, *cs;

            if (!valid(pc, q->gamma)) {
                if (pc->H.b)
                    hist_put(w, pc->H);
                continue;
            }
            l = new_node(w, weight_of(pc->s.lg, pc->s.lh, w->lambda) * eta);
            r = new_node(w, weight_of(pc->s.rg, pc->s.rh, w->lambda) * eta);
            w->nodes[pc->nid].left = l;
            w->nodes[pc->nid].feature = pc->s.feature;
            w->nodes[pc->nid].default_left = pc->s.default_left;
            w->nodes[pc->nid].split_value = pc->s.value;
            mid = partition(w, pc->begin, pc->end, pc->s.feature, pc->s.bin);
            w->nbeg[l] = pc->begin, w->nend[l] = mid;
            w->nbeg[r] = mid, w->nend[r] = pc->end;
            expand = pc->depth + 1 < q->max_depth;
            if (!expand) {
                if (pc->H.b)
                    hist_put(w, pc->H);
                continue;
            }
            cl = &w->next[nn++];
            cr = &w->next[nn++];
            memset(cl, 0, sizeof *cl);
            memset(cr, 0, sizeof *cr);
            cl->nid = l, cl->depth = pc->depth + 1, cl->begin = pc->begin, cl->end = mid;
            cl->g = pc->s.lg, cl->h = pc->s.lh;
            cr->nid = r, cr->depth = pc->depth + 1, cr->begin = mid, cr->end = pc->end;
            cr->g = pc->s.rg, cr->h = pc->s.rh;
            cl->gain = gain_of(cl->g, cl->h, w->lambda);
            cr->gain = gain_of(cr->g, cr->h, w->lambda);
            /* build the child with the smaller hessian sum (left on a tie) */
            if (pc->s.rh < pc->s.lh)
                cb = cr, cs = cl;
            else
                cb = cl, cs = cr;
            HB = hist_get(w);
            hist_build(w, &HB, cb->begin, cb->end);
            hist_subtract(w, &pc->H, &HB);
            cb->H = HB;
            cs->H = pc->H;
            evaluate(w, cl);
            evaluate(w, cr);
            if (cl->depth + 1 >= q->max_depth) {   /* their children are leaves */
                hist_put(w, cl->H);
                hist_put(w, cr->H);
                cl->H.b = cr->H.b = NULL;
            }
        }
        c = w->level, w->level = w->next, w->next = c;
        nl = nn;
    }
}

ef_gbt_model *ef_gbt_train(const ef_gbt_data *d, const ef_gbt_params *q, ef_gbt_work *work,
                           const volatile int *cancel)
{
    ef_gbt_model *m = ef_xcalloc(1, sizeof *m);
    grower w;
    float *pred;
    size_t i, cap = 0, total = 0, nd, nlevel;
    int t;

    memset(&w, 0, sizeof w);
    w.spare = work ? work : ef_gbt_work_new();
    if (w.spare->p != d->p) {
        work_clear(w.spare);
        w.spare->p = d->p;
    }
    w.d = d;
    w.q = q;
    w.lambda = (double)q->lambda;
    w.grad = ef_xmalloc(d->n * sizeof *w.grad);
    w.rows = ef_xmalloc(d->n * sizeof *w.rows);
    w.tmp = ef_xmalloc(d->n * sizeof *w.tmp);
    nlevel = (size_t)2 << (q->max_depth > 0 ? q->max_depth : 1);
    w.level = ef_xmalloc(nlevel * sizeof *w.level);
    w.next = ef_xmalloc(nlevel * sizeof *w.next);
    w.pg = ef_xmalloc(4 * MAX_BIN * sizeof *w.pg);
    w.gg = ef_xmalloc(d->n * sizeof *w.gg);
    w.ph = ef_xmalloc(4 * MAX_BIN * sizeof *w.ph);
    w.loss = ef_xmalloc(MAX_BIN * sizeof *w.loss);
    w.idx = ef_xmalloc(MAX_BIN * sizeof *w.idx);
    pred = ef_xmalloc(d->n * sizeof *pred);
    for (i = 0; i < d->n; i++)
        pred[i] = q->base_score;
    m->p = d->p;
    m->base = q->base_score;
    m->start = ef_xmalloc(((size_t)q->rounds + 1) * sizeof *m->start);
    m->start[0] = 0;
    for (t = 0; t < q->rounds; t++) {
        if (ef_flag_get(cancel)) {
            ef_gbt_model_free(m);
            m = NULL;
            break;
        }
        for (i = 0; i < d->n; i++)
            w.grad[i] = pred[i] - d->y[i];
        grow(&w);
        for (nd = 0; nd < w.nnodes; nd++) {
            if (w.nodes[nd].left >= 0)
                continue;
            for (i = w.nbeg[nd]; i < w.nend[nd]; i++)
                pred[w.rows[i]] += w.nodes[nd].leaf;
        }
        if (total + w.nnodes > cap) {
            cap = 2 * (total + w.nnodes);
            m->nodes = ef_xreallocarray(m->nodes, cap, sizeof *m->nodes);
        }
        memcpy(m->nodes + total, w.nodes, w.nnodes * sizeof *w.nodes);
        total += w.nnodes;
        m->start[t + 1] = total;
        m->ntree = t + 1;
    }
    if (!work)
        ef_gbt_work_free(w.spare);
    free(w.nodes);
    free(w.nbeg);
    free(w.nend);
    free(w.level);
    free(w.next);
    free(w.pg);
    free(w.gg);
    free(w.ph);
    free(w.loss);
    free(w.idx);
    free(w.grad);
    free(w.rows);
    free(w.tmp);
    free(pred);
    return m;
}

void ef_gbt_predict(const ef_gbt_model *m, const float *X, size_t n, double *yhat)
{
    size_t i;
    int t;

    for (i = 0; i < n; i++) {
        const float *x = X + i * m->p;
        float s = m->base;

        for (t = 0; t < m->ntree; t++) {
            const gnode *tree = m->nodes + m->start[t];
            int k = 0;

            while (tree[k].left >= 0) {
                float v = x[tree[k].feature];

                if (isnan(v))
                    k = tree[k].left + (tree[k].default_left ? 0 : 1);
                else
                    k = tree[k].left + (v < tree[k].split_value ? 0 : 1);
            }
            s += tree[k].leaf;
        }
        yhat[i] = s;
    }
}

void ef_gbt_model_free(ef_gbt_model *m)
{
    if (!m)
        return;
    free(m->start);
    free(m->nodes);
    free(m);
}
