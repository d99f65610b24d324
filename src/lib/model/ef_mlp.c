/* ef_mlp.c — the seed's Keras MLP in C (float32, OpenBLAS sgemm):
 *
 *   Dense 256 ReLU (L2 1e-3) -> Dropout 0.3 -> Dense 128 ReLU (L2 1e-3) ->
 *   Dropout 0.3 -> Dense 64 ReLU -> Dense 1;  Adam(1e-3), MSE, batch 32,
 *   up to 100 epochs, EarlyStopping(patience 10, restore_best_weights).
 *
 * Validation rows: by default the last 10% of the training rows, as Keras's
 * validation_split=0.1 takes them (the first floor(0.9 n) rows train; the
 * training rows come in the split's random order, so the tail is a random
 * subset).  Seed mode (opts->seed_mode) monitors the rows given in
 * opts->val_X / val_y instead -- the seed monitored its test set.  Those rows
 * must be scaled like X (the facade applies the scaler to both).
 *
 * The best weights are restored whether or not the patience ran out (Keras 3
 * does this; Keras 2 only when it stops early).  Determinism: three ef_rng
 * streams (initialisation, shuffling, dropout) keyed by opts->seed, and
 * single-threaded GEMMs (ef_blas_begin(1) while ef_mlp_fit runs: a BLAS
 * region that wants another thread count waits until it is over). */
#include "config.h"
#include "core/ef_blas.h"
#include "core/ef_job.h"

#include "model/ef_mlp.h"
#include "model/ef_mlp_blas.h"
#include "model/ef_model_int.h"
#include "core/ef_alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ef_mlp_work {
    size_t maxb;
    float *act[EF_MLP_MAXL];    /* layer outputs after ReLU and dropout, maxb x units */
    float *mask[EF_MLP_MAXL];   /* dropout factors: 0 or 1 / (1 - rate) */
    float *d0, *d1;             /* deltas, maxb x widest layer */
};

void ef_mlp_net_init(ef_mlp_net *net, size_t nlayer, const size_t *sizes, const float *l2,
                     const float *dropout)
{
    size_t l, off = 0;

    memset(net, 0, sizeof *net);
    net->nlayer = nlayer;
    for (l = 0; l <= nlayer; l++)
        net->sizes[l] = sizes[l];
    for (l = 0; l < nlayer; l++) {
        net->l2[l] = l2 ? l2[l] : 0.0f;
        net->dropout[l] = dropout ? dropout[l] : 0.0f;
        net->woff[l] = off;
        off += sizes[l] * sizes[l + 1];
        net->boff[l] = off;
        off += sizes[l + 1];
    }
    net->nw = off;
}

void ef_mlp_glorot(const ef_mlp_net *net, float *w, ef_rng *r)
{
    size_t l, i;

    for (l = 0; l < net->nlayer; l++) {
        size_t fi = net->sizes[l], fo = net->sizes[l + 1];
        double limit = sqrt(6.0 / (double)(fi + fo));

        for (i = 0; i < fi * fo; i++)
            w[net->woff[l] + i] = (float)ef_rng_uniform_range(r, -limit, limit);
        memset(w + net->boff[l], 0, fo * sizeof *w);
    }
}

ef_mlp_work *ef_mlp_work_new(const ef_mlp_net *net, size_t maxb)
{
    ef_mlp_work *ws = ef_xcalloc(1, sizeof *ws);
    size_t l, widest = 1;

    ws->maxb = maxb;
    for (l = 0; l < net->nlayer; l++) {
        size_t u = net->sizes[l + 1];

        ws->act[l] = ef_xmalloc(maxb * u * sizeof(float));
        ws->mask[l] = ef_xmalloc(maxb * u * sizeof(float));
        if (u > widest)
            widest = u;
    }
    ws->d0 = ef_xmalloc(maxb * widest * sizeof(float));
    ws->d1 = ef_xmalloc(maxb * widest * sizeof(float));
    return ws;
}

void ef_mlp_work_free(ef_mlp_work *ws)
{
    size_t l;

    if (!ws)
        return;
    for (l = 0; l < EF_MLP_MAXL; l++) {
        free(ws->act[l]);
        free(ws->mask[l]);
    }
    free(ws->d0);
    free(ws->d1);
    free(ws);
}

/* out[i, :] = in[i, :] W + b, then ReLU unless it is the last layer. */
static void dense(const ef_mlp_net *net, size_t l, const float *w, const float *in, size_t b,
                  float *out)
{
    size_t fi = net->sizes[l], fo = net->sizes[l + 1], i;
    const float *bias = w + net->boff[l];

    for (i = 0; i < b; i++)
        memcpy(out + i * fo, bias, fo * sizeof *out);
    ef_mlp_sgemm(0, 0, b, fo, fi, 1.0f, in, fi, w + net->woff[l], fo, 1.0f, out, fo);
    if (l + 1 < net->nlayer)
        for (i = 0; i < b * fo; i++)
            if (!(out[i] > 0.0f))
                out[i] = 0.0f;
}

double ef_mlp_penalty(const ef_mlp_net *net, const float *w)
{
    double pen = 0;
    size_t l, i;

    for (l = 0; l < net->nlayer; l++) {
        double s = 0;
        const float *W = w + net->woff[l];

        if (net->l2[l] == 0.0f)
            continue;
        for (i = 0; i < net->sizes[l] * net->sizes[l + 1]; i++)
            s += (double)W[i] * W[i];
        pen += (double)net->l2[l] * s;
    }
    return pen;
}

double ef_mlp_loss_grad(const ef_mlp_net *net, const float *w, const float *X, const float *y,
                        size_t b, ef_rng *drop, float *grad, ef_mlp_work *ws)
{
    size_t L = net->nlayer, l, i, j;
    const float *in = X;
    float *delta, *prev;
    double sse = 0;

    for (l = 0; l < L; l++) {
        size_t fo = net->sizes[l + 1];
        float rate = net->dropout[l];

        dense(net, l, w, in, b, ws->act[l]);
        if (drop && rate > 0.0f) {
            float keep = 1.0f / (1.0f - rate);

            for (i = 0; i < b * fo; i++) {
                ws->mask[l][i] = ef_rng_uniform(drop) < (double)rate ? 0.0f : keep;
                ws->act[l][i] *= ws->mask[l][i];
            }
        }
        in = ws->act[l];
    }
    /* the output layer has one unit: act[L-1] is b x 1 */
    delta = ws->d0;
    for (i = 0; i < b; i++) {
        double e = (double)ws->act[L - 1][i] - y[i];

        sse += e * e;
        delta[i] = (float)(2.0 * e / (double)b);
    }
    if (grad) {
        for (l = L; l-- > 0;) {
            size_t fi = net->sizes[l], fo = net->sizes[l + 1];
            const float *lin = l ? ws->act[l - 1] : X;
            float *gW = grad + net->woff[l], *gb = grad + net->boff[l];
            const float *W = w + net->woff[l];

            /* gW = in^T delta + 2 l2 W */
            if (net->l2[l] != 0.0f) {
                for (i = 0; i < fi * fo; i++)
                    gW[i] = W[i];
                ef_mlp_sgemm(1, 0, fi, fo, b, 1.0f, lin, fi, delta, fo, 2.0f * net->l2[l], gW, fo);
            } else {
                ef_mlp_sgemm(1, 0, fi, fo, b, 1.0f, lin, fi, delta, fo, 0.0f, gW, fo);
            }
            for (j = 0; j < fo; j++)
                gb[j] = 0.0f;
            for (i = 0; i < b; i++)
                for (j = 0; j < fo; j++)
                    gb[j] += delta[i * fo + j];
            if (l == 0)
                break;
            /* delta of the layer below: delta W^T, through dropout and ReLU */
            prev = delta == ws->d0 ? ws->d1 : ws->d0;
            ef_mlp_sgemm(0, 1, b, fi, fo, 1.0f, delta, fo, W, fo, 0.0f, prev, fi);
            for (i = 0; i < b * fi; i++) {
                if (drop && net->dropout[l - 1] > 0.0f)
                    prev[i] *= ws->mask[l - 1][i];
                if (!(ws->act[l - 1][i] > 0.0f))
                    prev[i] = 0.0f;
            }
            delta = prev;
        }
    }
    return sse / (double)b + ef_mlp_penalty(net, w);
}

#define FWD_CHUNK 256

void ef_mlp_forward(const ef_mlp_net *net, const float *w, const float *X, size_t n, float *out)
{
    ef_mlp_work *ws = ef_mlp_work_new(net, n < FWD_CHUNK ? (n ? n : 1) : FWD_CHUNK);
    size_t r, l, p = net->sizes[0];

    for (r = 0; r < n; r += ws->maxb) {
        size_t b = n - r < ws->maxb ? n - r : ws->maxb;
        const float *in = X + r * p;

        for (l = 0; l < net->nlayer; l++) {
            dense(net, l, w, in, b, ws->act[l]);
            in = ws->act[l];
        }
        memcpy(out + r, in, b * sizeof *out);
    }
    ef_mlp_work_free(ws);
}

void ef_mlp_train_opts_default(ef_mlp_train_opts *o, uint64_t seed)
{
    memset(o, 0, sizeof *o);
    o->seed = seed;
    o->batch = 32;
    o->max_epochs = 100;
    o->patience = 10;
    o->lr = 1e-3;
    o->beta1 = 0.9;
    o->beta2 = 0.999;
    o->eps = 1e-7;
}

/* val_loss as Keras's evaluate reports it: MSE over all rows + the L2 terms. */
static double val_loss(const ef_mlp_net *net, const float *w, const float *Xv, const float *yv,
                       size_t nv, float *pred)
{
    double sse = 0;
    size_t i;

    ef_mlp_forward(net, w, Xv, nv, pred);
    for (i = 0; i < nv; i++)
        sse += ((double)pred[i] - yv[i]) * ((double)pred[i] - yv[i]);
    return sse / (double)nv + ef_mlp_penalty(net, w);
}

int ef_mlp_train(const ef_mlp_net *net, float *w, const float *X, const float *y, size_t n,
                 const float *Xv, const float *yv, size_t nv, const ef_mlp_train_opts *o,
                 int *epochs_run, int *best_epoch, double *best_val_loss)
{
    size_t nw = net->nw, p = net->sizes[0], i, r;
    size_t *idx = ef_xmalloc((n ? n : 1) * sizeof *idx);
    float *mom = ef_xcalloc(nw, sizeof *mom), *vel = ef_xcalloc(nw, sizeof *vel);
    float *grad = ef_xmalloc(nw * sizeof *grad), *best = ef_xmalloc(nw * sizeof *best);
    float *bx = ef_xmalloc(o->batch * p * sizeof *bx), *by = ef_xmalloc(o->batch * sizeof *by);
    float *pred = ef_xmalloc((nv ? nv : 1) * sizeof *pred);
    ef_mlp_work *ws = ef_mlp_work_new(net, o->batch);
    ef_rng shuf, drop;
    double best_loss = INFINITY;
    long step = 0;
    int epoch, wait = 0, rc = 0;

    ef_rng_seed2(&shuf, o->seed, 1);
    ef_rng_seed2(&drop, o->seed, 2);
    for (i = 0; i < n; i++)
        idx[i] = i;
    memcpy(best, w, nw * sizeof *best);
    *best_epoch = 0;
    for (epoch = 1; epoch <= o->max_epochs; epoch++) {
        double loss;

        if (ef_flag_get(o->cancel)) {
            rc = -1;
            break;
        }
        for (i = n; i > 1; i--) {
            size_t j = (size_t)ef_rng_below(&shuf, i), t = idx[i - 1];

            idx[i - 1] = idx[j];
            idx[j] = t;
        }
        for (r = 0; r < n; r += o->batch) {
            size_t b = n - r < o->batch ? n - r : o->batch;
            double b1t, b2t;
            float alpha, b1 = (float)o->beta1, b2 = (float)o->beta2, eps = (float)o->eps;

            for (i = 0; i < b; i++) {
                memcpy(bx + i * p, X + idx[r + i] * p, p * sizeof *bx);
                by[i] = y[idx[r + i]];
            }
            ef_mlp_loss_grad(net, w, bx, by, b, &drop, grad, ws);
            /* Keras Adam: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); eps outside the sqrt */
            step++;
            b1t = pow(o->beta1, (double)step);
            b2t = pow(o->beta2, (double)step);
            alpha = (float)(o->lr * sqrt(1.0 - b2t) / (1.0 - b1t));
            for (i = 0; i < nw; i++) {
                float g = grad[i];

                mom[i] += (g - mom[i]) * (1.0f - b1);
                vel[i] += (g * g - vel[i]) * (1.0f - b2);
                w[i] -= mom[i] * alpha / (sqrtf(vel[i]) + eps);
            }
        }
        loss = val_loss(net, w, Xv, yv, nv, pred);
        *epochs_run = epoch;
        if (o->progress)
            o->progress(o->progress_ud, (size_t)epoch, (size_t)o->max_epochs);
        /* EarlyStopping(patience, restore_best_weights): min_delta 0, strict improvement */
        wait++;
        if (loss < best_loss) {
            best_loss = loss;
            *best_epoch = epoch;
            memcpy(best, w, nw * sizeof *best);
            wait = 0;
        } else if (wait >= o->patience && epoch > 1) {
            break;
        }
    }
    memcpy(w, best, nw * sizeof *w);
    if (best_val_loss)
        *best_val_loss = best_loss;
    ef_mlp_work_free(ws);
    free(idx);
    free(mom);
    free(vel);
    free(grad);
    free(best);
    free(bx);
    free(by);
    free(pred);
    return rc;
}

/* The seed's architecture on p inputs. */
static void seed_net(ef_mlp_net *net, size_t p)
{
    size_t sizes[5] = { p, 256, 128, 64, 1 };
    const float l2[4] = { 1e-3f, 1e-3f, 0.0f, 0.0f };
    const float dropout[4] = { 0.3f, 0.3f, 0.0f, 0.0f };

    ef_mlp_net_init(net, 4, sizes, l2, dropout);
}

static float *to_float(const double *x, size_t n)
{
    float *f = ef_xmalloc((n ? n : 1) * sizeof *f);
    size_t i;

    for (i = 0; i < n; i++)
        f[i] = (float)x[i];
    return f;
}

int ef_mlp_fit(const double *X, const double *y, size_t n, size_t p, const ef_fit_opts *o,
               ef_fitted *m, ef_error *err)
{
    ef_mlp_net net;
    ef_mlp_train_opts to;
    ef_rng init;
    float *Xf, *yf, *Xv, *yv, *w;
    size_t ntr, nv, l;
    int rc;

    if (p == 0 || n < 2)
        return ef_error_set(err, EF_EDATA, "MLP: %zu rows and %zu features are too few", n, p);
    if (o->seed_mode) {
        if (!o->val_X || !o->val_y || o->n_val == 0)
            return ef_error_set(err, EF_EINVAL, "MLP: seed mode needs the validation rows");
        ntr = n;
        nv = o->n_val;
        Xv = to_float(o->val_X, nv * p);
        yv = to_float(o->val_y, nv);
    } else {
        /* Keras validation_split=0.1: train on the first int(n * 0.9) rows */
        ntr = (size_t)((double)n * (1.0 - 0.1));
        nv = n - ntr;
        if (ntr == 0 || nv == 0)
            return ef_error_set(err, EF_EDATA, "MLP: %zu rows cannot spare a validation split",
                                n);
        Xv = to_float(X + ntr * p, nv * p);
        yv = to_float(y + ntr, nv);
    }
    Xf = to_float(X, ntr * p);
    yf = to_float(y, ntr);
    seed_net(&net, p);
    w = ef_xmalloc(net.nw * sizeof *w);
    ef_rng_seed2(&init, o->seed, 0);
    ef_mlp_glorot(&net, w, &init);
    ef_mlp_train_opts_default(&to, o->seed);
    to.progress = o->progress;
    to.progress_ud = o->progress_ud;
    to.cancel = o->cancel;
    /* batches of 32 rows: products too small for OpenBLAS's threads to pay;
     * one thread also makes every product the same run to run */
    ef_blas_begin(1);
    rc = ef_mlp_train(&net, w, Xf, yf, ntr, Xv, yv, nv, &to, &m->epochs_run, &m->best_epoch,
                      NULL);
    ef_blas_end();
    free(Xf);
    free(yf);
    free(Xv);
    free(yv);
    if (rc != 0) {
        free(w);
        return ef_error_set(err, EF_ECANCELED, "MLP training cancelled");
    }
    m->p = p;
    free(m->mlp_w);
    free(m->mlp_sizes);
    m->mlp_w = w;
    m->mlp_nw = net.nw;
    m->mlp_nsizes = net.nlayer + 1;
    m->mlp_sizes = ef_xmalloc(m->mlp_nsizes * sizeof *m->mlp_sizes);
    for (l = 0; l <= net.nlayer; l++)
        m->mlp_sizes[l] = net.sizes[l];
    snprintf(m->best, sizeof m->best,
             "hidden=256,128,64 l2=0.001 dropout=0.3 epochs=%d best_epoch=%d", m->epochs_run,
             m->best_epoch);
    return EF_OK;
}

int ef_mlp_predict(const ef_fitted *m, const double *X, size_t n, double *yhat, ef_error *err)
{
    ef_mlp_net net;
    float *Xf, *out;
    size_t i;

    if (!m->mlp_w || !m->mlp_sizes || m->mlp_nsizes < 2 || m->mlp_nsizes > EF_MLP_MAXL + 1)
        return ef_error_set(err, EF_EINVAL, "MLP: the model holds no network");
    ef_mlp_net_init(&net, m->mlp_nsizes - 1, m->mlp_sizes, NULL, NULL);
    if (net.nw != m->mlp_nw || net.sizes[net.nlayer] != 1 || (m->p && net.sizes[0] != m->p))
        return ef_error_set(err, EF_EDATA, "MLP: %zu weights do not fit the layer sizes",
                            m->mlp_nw);
    if (n == 0)
        return EF_OK;
    Xf = to_float(X, n * net.sizes[0]);
    out = ef_xmalloc(n * sizeof *out);
    ef_mlp_forward(&net, m->mlp_w, Xf, n, out);
    for (i = 0; i < n; i++)
        yhat[i] = out[i];
    free(Xf);
    free(out);
    return EF_OK;
}
