/* ef_metrics.h — agreement between measured and predicted values.
 *
 * ef_metrics_compute is the seed's calculate_metrics (models.py): pairs with a
 * NaN on either side dropped; n; Pearson r as np.corrcoef computes it with
 * its Fisher-z 95% CI (r clipped to +-0.99999999, SE 1/sqrt(n-3), z =
 * norm.ppf(0.975)); sklearn's r2_score (can be negative), MAE, MSE and RMSE.
 * Fewer than 2 pairs give zeros, as the seed returns.
 *
 * Beyond the seed: percentile bootstrap 95% CIs for MAE and R2.  Resample b
 * (b = 0..nboot-1) is numpy.random.RandomState(seed).randint(0, n, size=n),
 * drawn in sequence from one generator, and the limits are
 * np.percentile(values, [2.5, 97.5]) (linear interpolation), so a few lines
 * of numpy reproduce them exactly. */
#ifndef EF_METRICS_H
#define EF_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

#define EF_Z975 1.959963984540054   /* scipy.stats.norm.ppf(0.975) */
#define EF_NBOOT 1000

typedef struct ef_metrics {
    size_t n;                    /* pairs used */
    double r, r_lo, r_hi;        /* Pearson r and its Fisher-z 95% CI */
    double r2, mae, mse, rmse;
    double r2_lo, r2_hi, mae_lo, mae_hi;   /* bootstrap 95% CIs; NaN if nboot = 0 */
} ef_metrics;

/* y: measured, yhat: predicted, n pairs.  nboot resamples (EF_NBOOT) seeded
 * with seed (0 resamples: no bootstrap). */
int ef_metrics_compute(const double *y, const double *yhat, size_t n, uint32_t seed, int nboot,
                       ef_metrics *m, ef_error *err);

/* np.corrcoef(x, y)[0, 1] (NaN when either side is constant). */
double ef_pearson_r(const double *x, const double *y, size_t n);
/* The seed's Fisher-z 95% interval for r from n pairs. */
void ef_fisher_ci(double r, size_t n, double *lo, double *hi);
/* sklearn's mean_absolute_error / mean_squared_error. */
double ef_mae(const double *y, const double *yhat, size_t n);
double ef_mse(const double *y, const double *yhat, size_t n);
/* np.percentile(v, q) with the default linear method; sorts v in place. */
double ef_percentile(double *v, size_t n, double q);

/* Paired bootstrap of the R2 difference of two predictions of the same rows:
 * d = R2(y, a) - R2(y, b), its 95% percentile CI from nboot resamples drawn
 * as in ef_metrics_compute (both models see the same resampled rows).  Rows
 * with a NaN anywhere are dropped. */
int ef_delta_r2(const double *y, const double *a, const double *b, size_t n, uint32_t seed,
                int nboot, double *d, double *lo, double *hi, ef_error *err);

/* Bland-Altman on differences yhat - y: bias = mean, sd with ddof 1, limits
 * of agreement bias -+ 1.96 sd.  n >= 2. */
void ef_bland_altman(const double *y, const double *yhat, size_t n, double *bias, double *sd,
                     double *lo, double *hi);

#endif
