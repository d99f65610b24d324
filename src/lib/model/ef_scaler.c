/* ef_scaler.c — sklearn's StandardScaler (with_mean, with_std, ddof 0). */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/ef_alloc.h"
#include "model/ef_model_int.h"

/* A constant column (sklearn's _is_constant_feature: var <= n eps var +
 * (n mean eps)^2) gets scale 1, as sklearn.
 * As sklearn's _incremental_mean_and_var from an empty state: column sums
 * row by row (numpy's order for an axis-0 reduction of a C array), then the
 * corrected two-pass variance sum((x - T)^2) - sum(x - T)^2 / n. */
static size_t scaler_fit(const double *X, size_t n, size_t p, double *mean, double *scale,
                         unsigned char *is_const)
{
    double *corr = ef_xcalloc(p, sizeof *corr), *ss = ef_xcalloc(p, sizeof *ss);
    double *sum = ef_xcalloc(p, sizeof *sum);
    size_t nconst = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++)
            sum[j] += X[i * p + j];
    for (size_t j = 0; j < p; j++)
        mean[j] = sum[j] / (double)n;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++) {
            double t = X[i * p + j] - mean[j];
            corr[j] += t;
            ss[j] += t * t;
        }
    for (size_t j = 0; j < p; j++) {
        double var = (ss[j] - corr[j] * corr[j] / (double)n) / (double)n;
        double nd = (double)n, eps = DBL_EPSILON;
        double bound = nd * eps * var + (nd * mean[j] * eps) * (nd * mean[j] * eps);
        int c = var <= bound;
        scale[j] = c ? 1.0 : sqrt(var);
        nconst += (size_t)c;
        if (is_const)
            is_const[j] = (unsigned char)c;
    }
    free(corr);
    free(ss);
    free(sum);
    return nconst;
}

size_t ef_scaler_fit(const double *X, size_t n, size_t p, double *mean, double *scale)
{
    return scaler_fit(X, n, p, mean, scale, NULL);
}

size_t ef_model_constant_columns(const double *X, size_t n, size_t p, unsigned char *is_const)
{
    double *mean = ef_xmalloc((p ? p : 1) * sizeof *mean), *scale = ef_xmalloc((p ? p : 1) * sizeof *scale);
    size_t k = scaler_fit(X, n, p, mean, scale, is_const);

    free(mean);
    free(scale);
    return k;
}

void ef_scaler_apply(const double *X, size_t n, size_t p, const double *mean,
                     const double *scale, double *out)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < p; j++)
            out[i * p + j] = (X[i * p + j] - mean[j]) / scale[j];
}
