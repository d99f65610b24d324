/* ef_numpy.c — MT19937 and numpy's legacy permutation; numpy's pairwise
 * summation and sklearn's r2_score in numpy's summation order, so that
 * scores agree with GridSearchCV's to the last bits. */
#include "config.h"

#include "stats/ef_numpy.h"

#define MT_N 624
#define MT_M 397

void ef_mt_seed(ef_mt19937 *s, uint32_t seed)
{
    s->key[0] = seed;
    for (int i = 1; i < MT_N; i++)
        s->key[i] = 1812433253u * (s->key[i - 1] ^ (s->key[i - 1] >> 30)) + (uint32_t)i;
    s->pos = MT_N;
}

/* The usual three loops: no index wraps (the bootstraps draw tens of
 * millions of numbers per `train`). */
#define MT_TWIST(a, b, m) ((m) ^ ((((a) & 0x80000000u) | ((b) & 0x7fffffffu)) >> 1) ^ (((b) & 1u) ? 0x9908b0dfu : 0u))

void ef_mt_refill(ef_mt19937 *s)
{
    uint32_t *k = s->key;
    int i;
    for (i = 0; i < MT_N - MT_M; i++)
        k[i] = MT_TWIST(k[i], k[i + 1], k[i + MT_M]);
    for (; i < MT_N - 1; i++)
        k[i] = MT_TWIST(k[i], k[i + 1], k[i + MT_M - MT_N]);
    k[MT_N - 1] = MT_TWIST(k[MT_N - 1], k[0], k[MT_M - 1]);
    s->pos = 0;
}

uint32_t ef_mt_next32(ef_mt19937 *s)
{
    if (s->pos == MT_N)
        ef_mt_refill(s);
    uint32_t y = s->key[s->pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

uint64_t ef_mt_next64(ef_mt19937 *s)
{
    uint64_t hi = ef_mt_next32(s);
    return hi << 32 | ef_mt_next32(s);
}

uint64_t ef_mt_interval(ef_mt19937 *s, uint64_t max)
{
    uint64_t mask = max, v;
    if (max == 0)
        return 0;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    if (max <= 0xffffffffu) {
        while ((v = (ef_mt_next32(s) & mask)) > max)
            ;
    } else {
        while ((v = (ef_mt_next64(s) & mask)) > max)
            ;
    }
    return v;
}

void ef_np_permutation(uint32_t seed, size_t n, size_t *perm)
{
    ef_mt19937 s;
    ef_mt_seed(&s, seed);
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t i = n; i-- > 1;) {
        size_t j = (size_t)ef_mt_interval(&s, i), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
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
