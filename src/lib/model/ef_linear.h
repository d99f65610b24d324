/* ef_linear.h — Lasso and ElasticNet as sklearn 1.2 fits them, exposed for the
 * tests and the benchmark (the facade reaches them through ef_linear_fit).
 *
 * The solver is sklearn's enet_coordinate_descent (cyclic selection, cold
 * start at w = 0, duality-gap stop at tol * ||y - mean(y)||^2) written in
 * covariance form: it keeps q = X^T R for the centred training rows and
 * updates it with a column of the Gram matrix G = X^T X when a coefficient
 * moves.  Each coordinate update is therefore the same number sklearn computes
 * from the residual (the iterates agree up to rounding), at O(p) instead of
 * O(n) cost, and the fold Gram matrices come from per-fold blocks computed
 * once.  Objective: (1/2n)||y - Xw - b||^2 + alpha l1_ratio ||w||_1
 * + alpha (1 - l1_ratio)/2 ||w||^2.
 *
 * The grid search starts every fit from zero by default, as GridSearchCV
 * does; optionally (warm) it walks each fold's alphas from the largest down,
 * glmnet-style, each fit starting from the previous solution.  Same optima,
 * fewer sweeps, but scores and the choice then agree with sklearn's only to
 * within its tolerance. */
#ifndef EF_LINEAR_H
#define EF_LINEAR_H

#include <stddef.h>
#include "core/ef_error.h"

/* A centred least-squares problem: G = Xc^T Xc (p x p, full), Xty = Xc^T yc,
 * yty = yc^T yc over n rows. */
typedef struct ef_cd_prob {
    size_t n, p;
    const double *G, *Xty;
    double yty;
} ef_cd_prob;

typedef struct ef_cd_result {
    int n_iter;        /* sweeps, as sklearn's n_iter_ */
    int converged;     /* gap < tol * yty before max_iter */
    double gap;        /* last duality gap computed */
} ef_cd_result;

/* Coordinate descent from the w given (zeros: sklearn's cold start).  q is p
 * scratch doubles. */
void ef_enet_cd(const ef_cd_prob *pr, double alpha, double l1_ratio, int max_iter, double tol,
                double *w, double *q, ef_cd_result *res);

/* ElasticNet(alpha, l1_ratio, max_iter, tol).fit(X, y) on n x p row-major X
 * (fit_intercept: X and y centred on their means).  coef: p. */
int ef_enet_fit(const double *X, const double *y, size_t n, size_t p, double alpha,
                double l1_ratio, int max_iter, double tol, double *coef, double *intercept,
                ef_cd_result *res, ef_error *err);

typedef struct ef_enet_cv_opts {
    const double *alphas;      /* candidates in sklearn's ParameterGrid order: */
    size_t nalpha;             /* alpha outer, l1_ratio inner (keys sorted) */
    const double *l1_ratios;
    size_t nl1;
    int folds;                 /* unshuffled KFold */
    int max_iter;
    double tol;
    int threads;               /* 0: all cores */
    struct ef_pool *pool;      /* the job's threads (NULL: threads of its own for the call) */
    int warm;                  /* 0: every fit from zero (GridSearchCV's fits); 1: per fold
                                  and l1_ratio, alphas largest first, each fit starting
                                  from the previous one's coefficients */
    double *cv_coef;           /* NULL, or ncand x folds x p: each CV fit's coefficients,
                                  in the order of scores (for tests) */
    void (*progress)(void *ud, size_t done, size_t total);  /* serialised, any thread */
    void *progress_ud;
    volatile int *cancel;
    struct ef_enet_prep *prep; /* NULL, or the fold problems of these rows kept for the
                                  next grid on the very same X, y, n, p and folds */
} ef_enet_cv_opts;

/* The fold problems (centred per-fold Gram sums) a grid search builds before
 * it solves: the same for every grid on the same rows, so Lasso and
 * ElasticNet of one design build them once.  The owner frees it, and makes a
 * new one when the rows change. */
typedef struct ef_enet_prep ef_enet_prep;
ef_enet_prep *ef_enet_prep_new(void);
void ef_enet_prep_free(ef_enet_prep *pp);

typedef struct ef_enet_cv_result {
    size_t ncand;              /* nalpha * nl1 */
    double *scores;            /* ncand x folds: each fold's test R2 */
    double *mean, *std;        /* per candidate, as cv_results_ */
    size_t best;               /* first candidate with the highest mean */
    double best_alpha, best_l1_ratio;
    double *coef, intercept;   /* refit on all rows */
    ef_cd_result refit;
    size_t not_converged;      /* CV fits that hit max_iter (sklearn warns) */
    long long sweeps;          /* coordinate sweeps of all CV fits (not the refit) */
} ef_enet_cv_result;

/* GridSearchCV(ElasticNet(max_iter, tol), {alpha, l1_ratio}, cv=folds,
 * scoring='r2').fit(X, y).  Warm or cold, scores come back in the grid's
 * order and the refit on all rows is a cold fit.  EF_ECANCELED when *cancel
 * became non-zero. */
int ef_enet_gridcv(const double *X, const double *y, size_t n, size_t p,
                   const ef_enet_cv_opts *o, ef_enet_cv_result *r, ef_error *err);
void ef_enet_cv_result_free(ef_enet_cv_result *r);

/* numpy.logspace(start, stop, num) (base 10): 10 ** (i * step + start), the
 * last 10 ** stop, with libm's pow.  numpy's own SIMD pow (AVX-512 machines)
 * can differ in the last bit for some points; the grid labels print %g. */
void ef_np_logspace(double start, double stop, size_t num, double *out);

#endif
