/* ef_mlp.h — the dense network behind the MLP kind (ef_mlp_fit), exposed for
 * the tests: any stack of Dense layers with ReLU between them (the last one
 * linear), a kernel L2 factor and a dropout rate per layer, trained on MSE with
 * Keras's Adam, batches and EarlyStopping.
 *
 * Weights are one float array, per layer W (in x out, row-major, as a Keras
 * kernel) then b (out).  Losses are Keras's: mean squared error over the batch
 * plus sum over layers of l2 * sum(W^2). */
#ifndef EF_MLP_H
#define EF_MLP_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_rng.h"

#define EF_MLP_MAXL 8

typedef struct ef_mlp_net {
    size_t nlayer;                   /* Dense layers */
    size_t sizes[EF_MLP_MAXL + 1];   /* inputs, then each layer's units */
    float l2[EF_MLP_MAXL];           /* kernel regulariser factor (0: none) */
    float dropout[EF_MLP_MAXL];      /* dropout rate after the layer (0: none) */
    size_t woff[EF_MLP_MAXL], boff[EF_MLP_MAXL], nw;
} ef_mlp_net;

typedef struct ef_mlp_work ef_mlp_work;

/* nlayer <= EF_MLP_MAXL; l2 and dropout may be NULL (all zero). */
void ef_mlp_net_init(ef_mlp_net *net, size_t nlayer, const size_t *sizes, const float *l2,
                     const float *dropout);
/* Keras defaults: Glorot-uniform kernels, zero biases. */
void ef_mlp_glorot(const ef_mlp_net *net, float *w, ef_rng *r);

/* Scratch space for batches of up to maxb rows. */
ef_mlp_work *ef_mlp_work_new(const ef_mlp_net *net, size_t maxb);
void ef_mlp_work_free(ef_mlp_work *ws);

/* Loss of a batch of b <= maxb rows (MSE + L2 terms) and, if grad is not NULL,
 * its gradient (nw floats).  drop NULL: no dropout (inference); else the
 * dropout masks are drawn from it (inverted dropout, as Keras). */
double ef_mlp_loss_grad(const ef_mlp_net *net, const float *w, const float *X, const float *y,
                        size_t b, ef_rng *drop, float *grad, ef_mlp_work *ws);
/* The L2 terms alone: sum over layers of l2 * sum(W^2). */
double ef_mlp_penalty(const ef_mlp_net *net, const float *w);
/* Predictions for n rows (no dropout). */
void ef_mlp_forward(const ef_mlp_net *net, const float *w, const float *X, size_t n, float *out);

typedef struct ef_mlp_train_opts {
    uint64_t seed;          /* shuffling and dropout streams */
    size_t batch;           /* 32 */
    int max_epochs;         /* 100 */
    int patience;           /* 10 */
    double lr, beta1, beta2, eps;   /* Adam: 1e-3, 0.9, 0.999, 1e-7 (Keras) */
    void (*progress)(void *ud, size_t done, size_t total);
    void *progress_ud;
    volatile int *cancel;
} ef_mlp_train_opts;

void ef_mlp_train_opts_default(ef_mlp_train_opts *o, uint64_t seed);

/* Train w in place on (X, y), shuffled each epoch; after each epoch the loss on
 * (Xv, yv) (with the L2 terms, as Keras's val_loss) decides EarlyStopping, and
 * the best epoch's weights are left in w.  Epochs are counted from 1.
 * Returns 0, or -1 when cancelled. */
int ef_mlp_train(const ef_mlp_net *net, float *w, const float *X, const float *y, size_t n,
                 const float *Xv, const float *yv, size_t nv, const ef_mlp_train_opts *o,
                 int *epochs_run, int *best_epoch, double *best_val_loss);

#endif
