/* ef_cv.c — sklearn's unshuffled KFold and r2_score, with numpy's summation
 * order so that scores agree with GridSearchCV's to the last bits. */
#include "config.h"

#include "model/ef_model_int.h"

void ef_kfold_bounds(size_t n, int k, size_t *start)
{
    size_t base = n / (size_t)k, extra = n % (size_t)k;
    start[0] = 0;
    for (int f = 0; f < k; f++)
        start[f + 1] = start[f] + base + ((size_t)f < extra ? 1 : 0);
}

/* numpy's pairwise_sum: blocks of at most 128 summed with 8 accumulators,
 * larger runs split in two at a multiple of 8. */
double ef_np_sum(const double *a, size_t n)
{
    if (n < 8) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += a[i];
        return s;
    }
    if (n <= 128) {
        double r[8];
        size_t i;
        for (int j = 0; j < 8; j++)
            r[j] = a[j];
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += a[i + j];
        double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            s += a[i];
        return s;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return ef_np_sum(a, n2) + ef_np_sum(a + n2, n - n2);
}

/* Sum of squares of (a[i] - b[i]) (b NULL: of a[i] - c) in numpy's order,
 * without a temporary: the same recursion as ef_np_sum. */
static double sq_sum(const double *a, const double *b, double c, size_t n)
{
#define D(i) ((a[i] - (b ? b[i] : c)) * (a[i] - (b ? b[i] : c)))
    if (n < 8) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += D(i);
        return s;
    }
    if (n <= 128) {
        double r[8];
        size_t i;
        for (int j = 0; j < 8; j++)
            r[j] = D(j);
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += D(i + j);
        double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            s += D(i);
        return s;
    }
#undef D
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return sq_sum(a, b, c, n2) + sq_sum(a + n2, b ? b + n2 : NULL, c, n - n2);
}

double ef_r2_score(const double *y, const double *yhat, size_t n)
{
    double num = sq_sum(y, yhat, 0.0, n);
    double den = sq_sum(y, NULL, ef_np_sum(y, n) / (double)n, n);
    if (num == 0.0)
        return 1.0;
    if (den == 0.0)
        return 0.0;
    return 1.0 - num / den;
}
