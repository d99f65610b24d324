/* ef_numpy.h — numpy and sklearn numerics reproduced to the last bit: the
 * legacy RandomState MT19937 and its permutation, pairwise summation, and
 * r2_score.  The split, the grid searches and the bootstraps all draw on them,
 * so they sit below the models. */
#ifndef EF_NUMPY_H
#define EF_NUMPY_H

#include <stddef.h>
#include <stdint.h>

/* MT19937 as numpy's legacy RandomState holds it. */
typedef struct ef_mt19937 {
    uint32_t key[624];
    int pos;
} ef_mt19937;

void ef_mt_seed(ef_mt19937 *s, uint32_t seed);          /* init_genrand */
uint32_t ef_mt_next32(ef_mt19937 *s);
/* Regenerates the 624 words (what ef_mt_next32 does every 624 draws). */
void ef_mt_refill(ef_mt19937 *s);
uint64_t ef_mt_next64(ef_mt19937 *s);                   /* hi << 32 | lo, as numpy */
/* numpy's random_interval: uniform on [0, max], masked rejection. */
uint64_t ef_mt_interval(ef_mt19937 *s, uint64_t max);
/* ef_mt_interval(s, max) for 1 <= max < 2^32, many at a time: the values the
 * words left in the generator's block give (all of the next block when none
 * are left), in draw order, into out (room for EF_MT_BLOCK_OUT); returns how
 * many.  Calling it until enough values came yields exactly the values of
 * repeated ef_mt_interval calls (the generator then stands at the end of a
 * block, ahead of them). */
#define EF_MT_BLOCK_OUT (624 + 8)
size_t ef_mt_interval_block(ef_mt19937 *s, uint32_t max, uint32_t *out);

/* numpy.random.RandomState(seed).permutation(n) into perm[n]. */
void ef_np_permutation(uint32_t seed, size_t n, size_t *perm);

/* numpy's pairwise summation, as np.sum of a contiguous float64 vector. */
double ef_np_sum(const double *a, size_t n);
/* sklearn's r2_score: 1 - SS_res / SS_tot; when y is constant (SS_tot = 0)
 * 1 for a perfect prediction, else 0 (force_finite). */
double ef_r2_score(const double *y, const double *yhat, size_t n);
/* Sum of (a[i] - c)^2 in numpy's pairwise order (r2_score's denominator
 * with c the mean). */
double ef_np_sqdev(const double *a, double c, size_t n);

#endif
