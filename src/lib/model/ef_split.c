/* ef_split.c — sklearn's ShuffleSplit on numpy's legacy permutation (stats/ef_numpy). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/ef_alloc.h"
#include "model/ef_split.h"

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
