/* ef_split.h — the seed's train/test split, bit for bit.
 *
 * sklearn's train_test_split(test_size, random_state=seed) is ShuffleSplit:
 * n_test = ceil(test_size * n), n_train = n - n_test, perm =
 * numpy.random.RandomState(seed).permutation(n), test = perm[:n_test], train =
 * perm[n_test:].  RandomState(int) seeds MT19937 with init_genrand(seed);
 * permutation is arange(n) shuffled by Fisher-Yates from i = n-1 down to 1
 * with j drawn by numpy's legacy bounded draw (random_interval: 32-bit draws
 * ANDed with the smallest all-ones mask >= i, rejected while > i). */
#ifndef EF_SPLIT_H
#define EF_SPLIT_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

/* MT19937 as numpy's legacy RandomState holds it. */
typedef struct ef_mt19937 {
    uint32_t key[624];
    int pos;
} ef_mt19937;

void ef_mt_seed(ef_mt19937 *s, uint32_t seed);          /* init_genrand */
uint32_t ef_mt_next32(ef_mt19937 *s);
/* Regenerates the 624 words (what ef_mt_next32 does every 624 draws). */
void ef_mt_refill(ef_mt19937 *s);
/* ef_mt_next32 inlined, for hot loops (the bootstraps); the same numbers. */
static inline uint32_t ef_mt_next32_inline(ef_mt19937 *s)
{
    uint32_t y;

    if (s->pos == 624)
        ef_mt_refill(s);
    y = s->key[s->pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
}
uint64_t ef_mt_next64(ef_mt19937 *s);                   /* hi << 32 | lo, as numpy */
/* numpy's random_interval: uniform on [0, max], masked rejection. */
uint64_t ef_mt_interval(ef_mt19937 *s, uint64_t max);

/* numpy.random.RandomState(seed).permutation(n) into perm[n]. */
void ef_np_permutation(uint32_t seed, size_t n, size_t *perm);

/* sklearn's test count for a fraction 0 < test_size < 1: ceil(test_size * n). */
size_t ef_split_n_test(size_t n, double test_size);

/* train_test_split(range(n), test_size, random_state=seed).  train and test
 * must hold n - n_test and n_test indices (ef_split_n_test); either count out
 * pointer may be NULL.  EF_EINVAL for a bad fraction or an empty side. */
int ef_train_test_split(size_t n, double test_size, uint32_t seed, size_t *train,
                        size_t *n_train, size_t *test, size_t *n_test, ef_error *err);

#endif
