/* test_parts.c — what ef_parts.h decides about shards: the slices, and the
 * completeness check merge relies on before folding (every K of a split
 * present, every shard's count equal to its slice), for small splits and for
 * splits of hundreds of shards, as `ecgfit slurm` makes them. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "pipeline/ef_parts.h"
#include "store/ef_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parts for shards 1..N of N over count items, shard `drop` left out (0:
 * none), shard `short_k` one item short (0: none).  Returns how many. */
static size_t make_parts(ef_part_shard *p, char names[][32], int N, size_t count, int drop, int short_k)
{
    size_t n = 0, lo, hi;
    int k;

    for (k = 1; k <= N; k++) {
        if (k == drop)
            continue;
        ef_part_slice(k, N, count, &lo, &hi);
        snprintf(names[n], 32, "%d/%d", k, N);
        p[n].shard = names[n];
        p[n].slice = hi - lo;
        p[n].count = hi - lo - (k == short_k);
        n++;
    }
    return n;
}

static size_t check(const ef_part_shard *p, size_t n, char ***w, size_t *nw)
{
    *w = NULL;
    *nw = 0;
    return ef_part_check_shards(p, n, "preprocess", "ECG files", w, nw);
}

int main(void)
{
    enum { MAXN = 500 };
    static ef_part_shard p[MAXN];
    static char names[MAXN][32];
    char **w;
    size_t n, nw, lo, hi, total = 0;
    int N, k;

    /* slices: contiguous, cover everything once, sizes within one */
    for (k = 1; k <= 7; k++) {
        ef_part_slice(k, 7, 100, &lo, &hi);
        ok(hi >= lo && hi - lo >= 14 && hi - lo <= 15, "slice %d of 7 over 100: %zu items", k, hi - lo);
        total += hi - lo;
    }
    is_int((long long)total, 100, "the 7 slices cover the 100 items");

    static const int splits[] = { 3, 63, 64, 65, 300 };

    for (size_t t = 0; t < sizeof splits / sizeof splits[0]; t++) {
        N = splits[t];
        n = make_parts(p, names, N, 70000, 0, 0);
        is_int((long long)check(p, n, &w, &nw), 0, "all %d shards of %d complete: no problem", N, N);
        ef_store_free_list(w, nw);

        n = make_parts(p, names, N, 70000, N - 1, 0);
        is_int((long long)check(p, n, &w, &nw), 1, "shard %d of %d missing: found", N - 1, N);
        if (nw == 1) {
            char want[64];

            snprintf(want, sizeof want, "shard %d/%d of %d missing", N - 1, N, N);
            like(w[0], want, "... and named");
        } else {
            ok(0, "one warning (got %zu)", nw);
        }
        ef_store_free_list(w, nw);

        n = make_parts(p, names, N, 70000, 0, 2);
        is_int((long long)check(p, n, &w, &nw), 1, "shard 2 of %d one ECG short: found", N);
        if (nw == 1)
            like(w[0], "is incomplete", "... as incomplete");
        else
            ok(0, "one warning (got %zu)", nw);
        ef_store_free_list(w, nw);
    }
    return done_testing();
}
