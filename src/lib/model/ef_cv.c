/* ef_cv.c — sklearn's unshuffled KFold (scores: stats/ef_numpy's r2_score). */
#include "config.h"

#include "model/ef_model_int.h"

void ef_kfold_bounds(size_t n, int k, size_t *start)
{
    size_t base = n / (size_t)k, extra = n % (size_t)k;
    start[0] = 0;
    for (int f = 0; f < k; f++)
        start[f + 1] = start[f] + base + ((size_t)f < extra ? 1 : 0);
}
