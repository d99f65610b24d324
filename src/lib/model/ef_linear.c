/* ef_linear.c — Lasso / ElasticNet with GridSearchCV semantics (see ef_linear.h).
 *
 * Work plan of ef_enet_gridcv: centre X and y on all rows (shifts leave the
 * fold problems unchanged and keep the Gram sums free of cancellation), form
 * per-fold blocks X_f^T X_f, X_f^T y_f and sums with BLAS, derive each fold's
 * centred training Gram by adding the other blocks, then solve every
 * (fold, candidate) pair on a small thread pool.  By default from a cold
 * start: each fit is the one sklearn makes, so the chosen candidate and the
 * CV scores follow sklearn's at its own tolerance, not just at the optimum.
 * (The seed's random_state=42 changes nothing: selection is cyclic.)
 * Warm (opt-in): a task is one (fold, l1_ratio) chain over the alphas,
 * largest first, each fit starting from the previous coefficients (q is
 * rebuilt from them) and screening its stop test lazily (cd_run); a chain
 * is serial, so its answers do not depend on the thread count either.
 * Threads share the read-only fold problems and take tasks from a counter;
 * each fit writes its own score slot in grid order, so the result does not
 * depend on the thread count. */
#include "config.h"
#include "core/ef_blas.h"
#include "core/ef_clones.h"
#include "core/ef_job.h"
#include "core/ef_pool.h"

#include <gsl/gsl_cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/ef_alloc.h"
#include "core/ef_numfmt.h"
#include "model/ef_linear.h"
#include "model/ef_model_int.h"

void ef_np_logspace(double start, double stop, size_t num, double *out)
{
    double step = num > 1 ? (stop - start) / (double)(num - 1) : 0.0;
    for (size_t i = 0; i < num; i++)
        out[i] = pow(10.0, (double)i * step + start);
    if (num > 1)
        out[num - 1] = pow(10.0, stop);
}

/* q -= d * g over p entries (a Gram row): the solver's inner loop.  Unrolled
 * for the SLP vectoriser; on x86-64 GCC also builds AVX2 and AVX-512 copies
 * chosen at load time (AVX-512: 16% less CPU for a slowly converging
 * `train`, bench-train's factor data).  All round identically (no FMA: ISO
 * C mode keeps -ffp-contract=off). */
EF_CLONES("avx512f", "avx2", "default")
static void axpy_neg(size_t p, double d, const double *restrict g, double *restrict q)
{
    size_t j = 0;
    for (; j + 8 <= p; j += 8) {
        q[j] -= d * g[j];
        q[j + 1] -= d * g[j + 1];
        q[j + 2] -= d * g[j + 2];
        q[j + 3] -= d * g[j + 3];
        q[j + 4] -= d * g[j + 4];
        q[j + 5] -= d * g[j + 5];
        q[j + 6] -= d * g[j + 6];
        q[j + 7] -= d * g[j + 7];
    }
    for (; j < p; j++)
        q[j] -= d * g[j];
}

/* out[i] = (x_i . w) + b for n rows, each row summed in column order as the
 * plain loop would.  Only the non-zero coefficients are visited: the terms
 * skipped are exact zeros (rows are finite), and adding a zero leaves a sum
 * unchanged (it starts at +0 and can never become -0).  Four rows at a time,
 * so four independent chains of additions keep the FPU busy instead of
 * waiting on one. */
static void predict_rows(const double *X, size_t n, size_t p, const double *w, double b, double *out)
{
    size_t *act = ef_xmalloc((p ? p : 1) * sizeof *act), na = 0, i = 0;

    for (size_t j = 0; j < p; j++)
        if (w[j] != 0.0)
            act[na++] = j;
    for (; i + 4 <= n; i += 4) {
        const double *x0 = X + i * p, *x1 = x0 + p, *x2 = x1 + p, *x3 = x2 + p;
        double v0 = 0.0, v1 = 0.0, v2 = 0.0, v3 = 0.0;

        for (size_t a = 0; a < na; a++) {
            size_t j = act[a];
            double wj = w[j];

            v0 += x0[j] * wj;
            v1 += x1[j] * wj;
            v2 += x2[j] * wj;
            v3 += x3[j] * wj;
        }
        out[i] = v0 + b;
        out[i + 1] = v1 + b;
        out[i + 2] = v2 + b;
        out[i + 3] = v3 + b;
    }
    for (; i < n; i++) {
        const double *x = X + i * p;
        double v = 0.0;

        for (size_t a = 0; a < na; a++)
            v += x[act[a]] * w[act[a]];
        out[i] = v + b;
    }
    free(act);
}

/* q = Xty - G w, touching only the rows of non-zero coefficients. */
static void fresh_q(const ef_cd_prob *pr, const double *w, double *q)
{
    size_t p = pr->p;
    memcpy(q, pr->Xty, p * sizeof *q);
    for (size_t k = 0; k < p; k++)
        if (w[k] != 0.0)
            axpy_neg(p, w[k], pr->G + k * p, q);
}

/* sklearn's duality gap, from q = X^T R. */
static double duality_gap(const ef_cd_prob *pr, const double *w, const double *q, double l1,
                          double l2)
{
    double dual = 0.0, wxty = 0.0, wq = 0.0, wn2 = 0.0, l1n = 0.0;
    for (size_t j = 0; j < pr->p; j++) {
        double a = fabs(q[j] - l2 * w[j]);
        if (a > dual)
            dual = a;
        wxty += w[j] * pr->Xty[j];
        wq += w[j] * q[j];
        wn2 += w[j] * w[j];
        l1n += fabs(w[j]);
    }
    /* ||R||^2 = y'y - 2 w'X'y + w'Gw and R'y = y'y - w'X'y, with w'Gw = w'X'y - w'q. */
    double rn2 = pr->yty - wxty - wq, ry = pr->yty - wxty, c = 1.0, gap;
    if (dual > l1) {
        c = l1 / dual;
        gap = 0.5 * (rn2 + rn2 * (c * c));
    } else {
        gap = rn2;
    }
    return gap + (l1 * l1n - c * ry + 0.5 * l2 * (1.0 + c * c) * wn2);
}

/* lazy (warm path): screen the stop test with the gap of the running q and
 * pay for a fresh q, which costs about a sweep, only when that gap is within
 * 0.1% of the bound or below.  It stops where the fresh test would, but the
 * iterates then carry the running q's rounding, so the cold
 * (GridSearchCV-exact) fits don't use it. */
static void cd_run(const ef_cd_prob *pr, double alpha, double l1_ratio, int max_iter, double tol,
                   int lazy, double *w, double *q, ef_cd_result *res)
{
    size_t p = pr->p;
    /* sklearn's enet_path: penalties scaled by the row count. */
    double l1 = alpha * l1_ratio * (double)pr->n, l2 = alpha * (1.0 - l1_ratio) * (double)pr->n;
    double gap_tol = tol * pr->yty, gap = INFINITY;
    int it, conv = 0;
    fresh_q(pr, w, q);
    for (it = 0; it < max_iter; it++) {
        double w_max = 0.0, d_w_max = 0.0;
        for (size_t j = 0; j < p; j++) {
            const double *g = pr->G + j * p;
            double nj = g[j];
            if (nj == 0.0)
                continue;
            double wj = w[j], t = q[j] + wj * nj, a = fabs(t) - l1;
            double nw = a > 0.0 ? copysign(a, t) / (nj + l2) : 0.0;
            if (nw != wj) {
                axpy_neg(p, nw - wj, g, q);
                w[j] = nw;
            }
            double d = fabs(nw - wj);
            if (d > d_w_max)
                d_w_max = d;
            if (fabs(nw) > w_max)
                w_max = fabs(nw);
        }
        if (w_max == 0.0 || d_w_max / w_max < tol || it == max_iter - 1) {
            if (lazy && it < max_iter - 1 && duality_gap(pr, w, q, l1, l2) > 0.999 * gap_tol)
                continue;
            fresh_q(pr, w, q);   /* drop the rounding the updates accumulated */
            gap = duality_gap(pr, w, q, l1, l2);
            if (gap < gap_tol) {
                conv = 1;
                break;
            }
        }
    }
    res->n_iter = it < max_iter ? it + 1 : max_iter;
    res->converged = conv;
    res->gap = gap;
}

void ef_enet_cd(const ef_cd_prob *pr, double alpha, double l1_ratio, int max_iter, double tol,
                double *w, double *q, ef_cd_result *res)
{
    cd_run(pr, alpha, l1_ratio, max_iter, tol, 0, w, q, res);
}

/* ---- per-fold statistics ---- */

typedef struct blockstats {
    double *G;       /* p x p, upper triangle from dsyrk */
    double *sx;      /* column sums */
    double *xy;      /* X_f^T y_f */
    double sy, yy;
    size_t n;
} blockstats;

static void block_compute(const double *Xc, const double *yc, size_t r0, size_t r1, size_t p,
                          blockstats *b)
{
    size_t nf = r1 - r0;
    const double *A = Xc + r0 * p;
    b->n = nf;
    b->G = ef_xcalloc(p * p, sizeof *b->G);
    b->sx = ef_xcalloc(p, sizeof *b->sx);
    b->xy = ef_xcalloc(p, sizeof *b->xy);
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)p, (int)nf, 1.0, A, (int)p, 0.0,
                b->G, (int)p);
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)nf, (int)p, 1.0, A, (int)p, yc + r0, 1, 0.0,
                b->xy, 1);
    b->sy = b->yy = 0.0;
    for (size_t i = 0; i < nf; i++) {
        for (size_t j = 0; j < p; j++)
            b->sx[j] += A[i * p + j];
        b->sy += yc[r0 + i];
        b->yy += yc[r0 + i] * yc[r0 + i];
    }
}

static void block_free(blockstats *b)
{
    free(b->G);
    free(b->sx);
    free(b->xy);
}

/* A fold's training problem (every block but `skip`; skip = nblk: all). */
typedef struct foldprob {
    ef_cd_prob pr;
    double *G, *Xty;
    double *xmean;   /* training column means in the caller's coordinates */
    double ymean;
} foldprob;

static void fold_build(const blockstats *blk, size_t nblk, size_t skip, size_t p,
                       const double *xshift, double yshift, foldprob *fp)
{
    size_t n = 0;
    double sy = 0.0, yy = 0.0;
    double *G = ef_xcalloc(p * p, sizeof *G), *xy = ef_xcalloc(p, sizeof *xy);
    double *sx = ef_xcalloc(p, sizeof *sx);
    for (size_t b = 0; b < nblk; b++) {
        if (b == skip)
            continue;
        n += blk[b].n;
        sy += blk[b].sy;
        yy += blk[b].yy;
        for (size_t j = 0; j < p; j++) {
            const double *src = blk[b].G + j * p;
            double *dst = G + j * p;
            for (size_t k = j; k < p; k++)
                dst[k] += src[k];
            xy[j] += blk[b].xy[j];
            sx[j] += blk[b].sx[j];
        }
    }
    double nd = (double)n, ym = sy / nd;
    for (size_t j = 0; j < p; j++)
        sx[j] /= nd;   /* now the column means of the shifted rows */
    for (size_t j = 0; j < p; j++) {
        for (size_t k = j; k < p; k++) {
            double v = G[j * p + k] - nd * sx[j] * sx[k];
            G[j * p + k] = v;
            G[k * p + j] = v;
        }
        xy[j] -= nd * sx[j] * ym;
    }
    fp->G = G;
    fp->Xty = xy;
    fp->pr.n = n;
    fp->pr.p = p;
    fp->pr.G = G;
    fp->pr.Xty = xy;
    fp->pr.yty = yy - nd * ym * ym;
    for (size_t j = 0; j < p; j++)
        sx[j] += xshift[j];
    fp->xmean = sx;
    fp->ymean = ym + yshift;
}

static void fold_free(foldprob *fp)
{
    free(fp->G);
    free(fp->Xty);
    free(fp->xmean);
}

/* sklearn's _set_intercept: y_offset - X_offset . coef. */
static double intercept_of(const foldprob *fp, const double *w)
{
    double s = 0.0;
    for (size_t j = 0; j < fp->pr.p; j++)
        s += fp->xmean[j] * w[j];
    return fp->ymean - s;
}

/* Centre copies of X and y on all rows; xshift / yshift the means removed. */
static void centre_all(const double *X, const double *y, size_t n, size_t p, double *Xc,
                       double *yc, double *xshift, double *yshift)
{
    memset(xshift, 0, p * sizeof *xshift);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++)
            xshift[j] += X[i * p + j];
    for (size_t j = 0; j < p; j++)
        xshift[j] /= (double)n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++)
            Xc[i * p + j] = X[i * p + j] - xshift[j];
    *yshift = ef_np_sum(y, n) / (double)n;
    for (size_t i = 0; i < n; i++)
        yc[i] = y[i] - *yshift;
}

int ef_enet_fit(const double *X, const double *y, size_t n, size_t p, double alpha,
                double l1_ratio, int max_iter, double tol, double *coef, double *intercept,
                ef_cd_result *res, ef_error *err)
{
    if (n < 2 || p == 0)
        return ef_error_set(err, EF_EDATA, "elastic net needs at least 2 rows and 1 feature");
    double *Xc = ef_xmalloc(n * p * sizeof *Xc), *yc = ef_xmalloc(n * sizeof *yc);
    double *xs = ef_xmalloc(p * sizeof *xs), *q = ef_xmalloc(p * sizeof *q), ys;
    blockstats b;
    foldprob fp;
    ef_cd_result r;
    centre_all(X, y, n, p, Xc, yc, xs, &ys);
    ef_blas_begin(0);   /* OpenBLAS's own thread count, as in the grid search */
    block_compute(Xc, yc, 0, n, p, &b);
    ef_blas_end();
    fold_build(&b, 1, 1, p, xs, ys, &fp);
    memset(coef, 0, p * sizeof *coef);
    ef_enet_cd(&fp.pr, alpha, l1_ratio, max_iter, tol, coef, q, &r);
    *intercept = intercept_of(&fp, coef);
    if (res)
        *res = r;
    fold_free(&fp);
    block_free(&b);
    free(Xc);
    free(yc);
    free(xs);
    free(q);
    return EF_OK;
}

/* ---- the grid search ---- */

struct ef_enet_prep {
    size_t n, p;
    int k;
    size_t *start;      /* k + 1 fold bounds */
    foldprob *folds;    /* k + 1: each fold's training problem, then all rows */
};

ef_enet_prep *ef_enet_prep_new(void)
{
    return ef_xcalloc(1, sizeof(ef_enet_prep));
}

static void prep_clear(ef_enet_prep *pp)
{
    if (pp->folds)
        for (int f = 0; f <= pp->k; f++)
            fold_free(&pp->folds[f]);
    free(pp->folds);
    free(pp->start);
    memset(pp, 0, sizeof *pp);
}

void ef_enet_prep_free(ef_enet_prep *pp)
{
    if (!pp)
        return;
    prep_clear(pp);
    free(pp);
}

/* The fold problems of k-fold CV on these rows. */
static void prep_build(ef_enet_prep *pp, const double *X, const double *y, size_t n, size_t p, int k)
{
    size_t nb = (size_t)k;
    size_t *start = ef_xmalloc((nb + 1) * sizeof *start);
    double *Xc = ef_xmalloc(n * p * sizeof *Xc), *yc = ef_xmalloc(n * sizeof *yc);
    double *xs = ef_xmalloc(p * sizeof *xs), ys;
    blockstats *blk = ef_xcalloc(nb, sizeof *blk);
    foldprob *folds = ef_xcalloc(nb + 1, sizeof *folds);

    ef_kfold_bounds(n, k, start);
    centre_all(X, y, n, p, Xc, yc, xs, &ys);
    /* OpenBLAS's own thread count for the Gram matrices (n x p, large enough
     * for its threads), whatever count another job's BLAS region wants.
     * Its threads spin ~0.1 s after the calls; the fold blocks on the grid's
     * threads with single-threaded BLAS spun as long (setting the count
     * wakes them) and changed the CV scores' last bits, so they stay here,
     * computed once per design (ef_enet_prep). */
    ef_blas_begin(0);
    for (size_t b = 0; b < nb; b++)
        block_compute(Xc, yc, start[b], start[b + 1], p, &blk[b]);
    ef_blas_end();
    free(Xc);
    free(yc);
    for (size_t f = 0; f <= nb; f++)   /* fold nb: all rows, for the refit */
        fold_build(blk, nb, f, p, xs, ys, &folds[f]);
    for (size_t b = 0; b < nb; b++)
        block_free(&blk[b]);
    free(blk);
    free(xs);
    pp->n = n;
    pp->p = p;
    pp->k = k;
    pp->start = start;
    pp->folds = folds;
}

typedef struct cvshared {
    const double *X, *y;
    size_t p;
    const size_t *start;
    const foldprob *folds;
    const ef_enet_cv_opts *o;
    const size_t *order;   /* alpha indices, largest alpha first (warm) */
    ef_enet_cv_result *r;
    size_t ntask, next, done, total, nonconv;
    long long sweeps;
    int cancelled;
    pthread_mutex_t mu;
} cvshared;

/* Fit candidate c on fold f from the w given, score it on the held-out
 * rows.  Returns non-zero once the grid is cancelled. */
static int fit_one(cvshared *s, size_t f, size_t c, double *w, double *q, double *pred)
{
    const ef_enet_cv_opts *o = s->o;
    size_t p = s->p;
    const foldprob *fp = &s->folds[f];
    double alpha = o->alphas[c / o->nl1], l1r = o->l1_ratios[c % o->nl1];
    ef_cd_result res;
    cd_run(&fp->pr, alpha, l1r, o->max_iter, o->tol, o->warm, w, q, &res);
    double b = intercept_of(fp, w);
    size_t r0 = s->start[f], r1 = s->start[f + 1];
    predict_rows(s->X + r0 * p, r1 - r0, p, w, b, pred);
    s->r->scores[c * (size_t)o->folds + f] = ef_r2_score(s->y + r0, pred, r1 - r0);
    if (o->cv_coef)
        memcpy(o->cv_coef + (c * (size_t)o->folds + f) * p, w, p * sizeof *w);
    pthread_mutex_lock(&s->mu);
    s->done++;
    s->sweeps += res.n_iter;
    if (!res.converged)
        s->nonconv++;
    if (o->progress)
        o->progress(o->progress_ud, s->done, s->total);
    if (ef_flag_get(o->cancel))
        s->cancelled = 1;
    int stop = s->cancelled;
    pthread_mutex_unlock(&s->mu);
    return stop;
}

static void run_task(cvshared *s, size_t t, double *w, double *q, double *pred)
{
    const ef_enet_cv_opts *o = s->o;
    size_t nc = s->r->ncand;
    memset(w, 0, s->p * sizeof *w);
    if (!o->warm) {
        fit_one(s, t / nc, t % nc, w, q, pred);
        return;
    }
    size_t f = t / o->nl1, l = t % o->nl1;
    for (size_t a = 0; a < o->nalpha; a++)
        if (fit_one(s, f, s->order[a] * o->nl1 + l, w, q, pred))
            return;
}

static void worker(void *arg)
{
    cvshared *s = arg;
    size_t p = s->p, maxf = 0;
    for (int f = 0; f < s->o->folds; f++)
        if (s->start[f + 1] - s->start[f] > maxf)
            maxf = s->start[f + 1] - s->start[f];
    double *w = ef_xmalloc(p * sizeof *w), *q = ef_xmalloc(p * sizeof *q);
    double *pred = ef_xmalloc(maxf * sizeof *pred);
    for (;;) {
        size_t t;
        pthread_mutex_lock(&s->mu);
        if (ef_flag_get(s->o->cancel))
            s->cancelled = 1;
        t = s->cancelled ? s->ntask : s->next++;
        pthread_mutex_unlock(&s->mu);
        if (t >= s->ntask)
            break;
        run_task(s, t, w, q, pred);
    }
    free(w);
    free(q);
    free(pred);
}

static int nthreads_of(int want, size_t ntask)
{
    long n = want > 0 ? want : sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    if (n > 64)
        n = 64;
    if ((size_t)n > ntask)
        n = (long)ntask;
    return (int)n;
}

void ef_enet_cv_result_free(ef_enet_cv_result *r)
{
    if (!r)
        return;
    free(r->scores);
    free(r->mean);
    free(r->std);
    free(r->coef);
    memset(r, 0, sizeof *r);
}

int ef_enet_gridcv(const double *X, const double *y, size_t n, size_t p,
                   const ef_enet_cv_opts *o, ef_enet_cv_result *r, ef_error *err)
{
    int k = o->folds, rc = EF_OK;
    memset(r, 0, sizeof *r);
    if (k < 2)
        return ef_error_set(err, EF_EINVAL, "cross-validation needs at least 2 folds, not %d", k);
    if (n < 2 * (size_t)k)
        return ef_error_set(err, EF_EDATA,
                            "%zu rows are too few for %d-fold cross-validation (need %d)", n, k,
                            2 * k);
    if (p == 0 || o->nalpha == 0 || o->nl1 == 0)
        return ef_error_set(err, EF_EINVAL, "empty feature set or parameter grid");
    size_t nc = o->nalpha * o->nl1, nb = (size_t)k;
    ef_enet_prep local = {0}, *pp = o->prep ? o->prep : &local;

    if (pp->folds && (pp->n != n || pp->p != p || pp->k != k))
        prep_clear(pp);   /* not these rows' problems */
    if (!pp->folds)
        prep_build(pp, X, y, n, p, k);
    const size_t *start = pp->start;
    const foldprob *folds = pp->folds;

    r->ncand = nc;
    r->scores = ef_xcalloc(nc * nb, sizeof *r->scores);
    r->mean = ef_xcalloc(nc, sizeof *r->mean);
    r->std = ef_xcalloc(nc, sizeof *r->std);
    r->coef = ef_xcalloc(p, sizeof *r->coef);

    /* warm: alpha indices by decreasing alpha (stable, so ties keep grid order) */
    size_t *order = ef_xmalloc(o->nalpha * sizeof *order);
    for (size_t a = 0; a < o->nalpha; a++) {
        size_t b = a;
        for (; b > 0 && o->alphas[order[b - 1]] < o->alphas[a]; b--)
            order[b] = order[b - 1];
        order[b] = a;
    }
    cvshared s = {.X = X, .y = y, .p = p, .start = start, .folds = folds, .o = o,
                  .order = order, .r = r, .ntask = o->warm ? nb * o->nl1 : nc * nb,
                  .total = nc * nb + 1};
    pthread_mutex_init(&s.mu, NULL);
    ef_pool_run(o->pool, nthreads_of(o->threads, s.ntask), worker, &s);
    pthread_mutex_destroy(&s.mu);
    free(order);
    r->not_converged = s.nonconv;
    r->sweeps = s.sweeps;
    if (s.cancelled) {
        rc = ef_error_set(err, EF_ECANCELED, "grid search cancelled");
        goto out;
    }

    /* cv_results_: np.average over folds; best = rank 1 with the lowest index. */
    double *dev = ef_xmalloc(nb * sizeof *dev);
    r->best = 0;
    for (size_t c = 0; c < nc; c++) {
        const double *sc = r->scores + c * nb;
        double m = ef_np_sum(sc, nb) / (double)nb;
        for (size_t f = 0; f < nb; f++)
            dev[f] = (sc[f] - m) * (sc[f] - m);
        r->mean[c] = m;
        r->std[c] = sqrt(ef_np_sum(dev, nb) / (double)nb);
        if (m > r->mean[r->best] || (isnan(r->mean[r->best]) && !isnan(m)))
            r->best = c;
    }
    free(dev);
    r->best_alpha = o->alphas[r->best / o->nl1];
    r->best_l1_ratio = o->l1_ratios[r->best % o->nl1];
    {
        double *q = ef_xmalloc(p * sizeof *q);
        ef_enet_cd(&folds[nb].pr, r->best_alpha, r->best_l1_ratio, o->max_iter, o->tol, r->coef,
                   q, &r->refit);
        r->intercept = intercept_of(&folds[nb], r->coef);
        free(q);
    }
    if (o->progress)
        o->progress(o->progress_ud, s.total, s.total);
out:
    prep_clear(&local);
    if (rc != EF_OK)
        ef_enet_cv_result_free(r);
    return rc;
}

/* ---- the facade's linear kinds: the seed's grids ---- */

int ef_linear_fit(const double *X, const double *y, size_t n, size_t p, const ef_fit_opts *o,
                  ef_fitted *m, ef_error *err)
{
    int lasso = o->kind == EF_MODEL_LASSO;
    double alphas[50], l1s[4] = {0.1, 0.5, 0.9, 1.0}, one = 1.0;
    ef_enet_cv_opts co = {0};
    ef_enet_cv_result r;
    co.nalpha = lasso ? 50 : 20;
    ef_np_logspace(-3.0, 2.0, co.nalpha, alphas);
    co.alphas = alphas;
    co.l1_ratios = lasso ? &one : l1s;
    co.nl1 = lasso ? 1 : 4;
    co.folds = o->folds > 0 ? o->folds : 10;
    co.max_iter = o->max_iter > 0 ? o->max_iter : (lasso ? 2000 : 5000);
    co.tol = o->tol > 0.0 ? o->tol : 1e-4;
    co.threads = o->threads;
    co.pool = o->pool;
    co.warm = o->cd_warm;
    co.progress = o->progress;
    co.progress_ud = o->progress_ud;
    co.cancel = o->cancel;
    co.prep = ef_fit_cache_enet(o->cache);
    int rc = ef_enet_gridcv(X, y, n, p, &co, &r, err);
    if (rc != EF_OK)
        return rc;
    m->ngrid = r.ncand;
    m->grid = ef_xcalloc(r.ncand, sizeof *m->grid);
    for (size_t c = 0; c < r.ncand; c++) {
        double a = alphas[c / co.nl1];
        if (lasso)
            ef_snprintf(m->grid[c].params, sizeof m->grid[c].params, "alpha=%g", a);
        else
            ef_snprintf(m->grid[c].params, sizeof m->grid[c].params, "alpha=%g l1_ratio=%g", a,
                     co.l1_ratios[c % co.nl1]);
        m->grid[c].mean_score = r.mean[c];
        m->grid[c].std_score = r.std[c];
    }
    snprintf(m->best, sizeof m->best, "%s", m->grid[r.best].params);
    m->coef = r.coef;
    r.coef = NULL;
    m->intercept = r.intercept;
    m->importance = ef_xmalloc(p * sizeof *m->importance);
    for (size_t j = 0; j < p; j++)
        m->importance[j] = fabs(m->coef[j]);
    ef_enet_cv_result_free(&r);
    return EF_OK;
}

int ef_linear_predict(const ef_fitted *m, const double *X, size_t n, double *yhat)
{
    predict_rows(X, n, m->p, m->coef, m->intercept, yhat);
    return EF_OK;
}
