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
#include "stats/ef_numpy.h"

/* sklearn's test count for a fraction 0 < test_size < 1: ceil(test_size * n). */
size_t ef_split_n_test(size_t n, double test_size);

/* train_test_split(range(n), test_size, random_state=seed).  train and test
 * must hold n - n_test and n_test indices (ef_split_n_test); either count out
 * pointer may be NULL.  EF_EINVAL for a bad fraction or an empty side. */
int ef_train_test_split(size_t n, double test_size, uint32_t seed, size_t *train,
                        size_t *n_train, size_t *test, size_t *n_test, ef_error *err);

#endif
