/* ef_split.c — MT19937 and numpy's legacy permutation; sklearn's ShuffleSplit. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/ef_alloc.h"
#include "model/ef_split.h"

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

size_t ef_split_n_test(size_t n, double test_size)
{
    /* Same double arithmetic as sklearn's ceil(test_size * n_samples). */
    return (size_t)ceil(test_size * (double)n);
}

int ef_train_test_split(size_t n, double test_size, uint32_t seed, size_t *train,
                        size_t *n_train, size_t *test, size_t *n_test, ef_error *err)
{
    if (!(test_size > 0.0 && test_size < 1.0))
        return ef_error_set(err, EF_EINVAL, "test size %g is not a fraction in (0, 1)", test_size);
    size_t nt = ef_split_n_test(n, test_size);
    if (nt == 0 || nt >= n)
        return ef_error_set(err, EF_EINVAL,
                            "test size %g of %zu rows leaves an empty training or test set",
                            test_size, n);
    size_t *perm = ef_xmalloc(n * sizeof *perm);
    ef_np_permutation(seed, n, perm);
    memcpy(test, perm, nt * sizeof *perm);
    memcpy(train, perm + nt, (n - nt) * sizeof *perm);
    free(perm);
    if (n_test)
        *n_test = nt;
    if (n_train)
        *n_train = n - nt;
    return EF_OK;
}
