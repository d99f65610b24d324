/* ef_gbt_int.h — the binned training rows shared by ef_gbt_data.c (quantile
 * cuts and bins) and ef_gbt.c (the trees). */
#ifndef EF_GBT_INT_H
#define EF_GBT_INT_H

#include "model/ef_gbt.h"

#include <stdint.h>

#define EF_GBT_MAX_BIN 256

struct ef_gbt_data {
    size_t n, p, nbin;
    uint32_t *ptr;    /* [p + 1]: a feature's first bin */
    float *cut;       /* [nbin]: upper bound of each bin */
    uint8_t *bin;     /* [p * n]: each cell's bin within its feature, column by column */
    float *y;         /* [n] */
};

#endif
