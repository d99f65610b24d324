/* test_split.c — MT19937 / numpy permutation, sklearn's train_test_split,
 * KFold bounds and StandardScaler, against golden values and (when Debian's
 * numpy and sklearn are there) tests/parity/sklearn_linear.py. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "core/ef_rng.h"
#include "model/ef_model_int.h"
#include "model/ef_split.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static void test_golden(void)
{
    size_t perm[10], want[10] = {8, 1, 5, 0, 7, 2, 9, 4, 3, 6};
    ef_np_permutation(42, 10, perm);
    ok(memcmp(perm, want, sizeof want) == 0, "RandomState(42).permutation(10) = [8 1 5 0 7 2 9 4 3 6]");

    size_t n = 8540, nt, ntr, *tr = ef_xmalloc(n * sizeof *tr), *te = ef_xmalloc(n * sizeof *te);
    is_int((long long)ef_split_n_test(n, 0.2), 1708, "n_test = ceil(0.2 n) for 8,540 rows");
    is_int(ef_train_test_split(n, 0.2, 42, tr, &ntr, te, &nt, NULL), EF_OK, "split 8,540 rows");
    is_int((long long)ntr, 6832, "6,832 training rows");
    size_t first[5] = {7568, 1783, 4900, 7104, 4377};
    ok(memcmp(te, first, sizeof first) == 0, "first test indices 7568 1783 4900 7104 4377");
    /* train and test partition 0..n-1 */
    unsigned char *seen = ef_xcalloc(n, 1);
    size_t dup = 0;
    for (size_t i = 0; i < nt; i++)
        dup += seen[te[i]]++;
    for (size_t i = 0; i < ntr; i++)
        dup += seen[tr[i]]++;
    size_t miss = 0;
    for (size_t i = 0; i < n; i++)
        miss += !seen[i];
    ok(dup == 0 && miss == 0, "train and test partition the rows");
    free(seen);

    ef_error err;
    is_int(ef_train_test_split(10, 0.0, 42, tr, NULL, te, NULL, &err), EF_EINVAL,
           "test size 0 is refused");
    is_int(ef_train_test_split(10, 0.99, 42, tr, NULL, te, NULL, &err), EF_EINVAL,
           "a test size leaving no training rows is refused");
    like(err.msg, "empty training", "... saying why");
    is_int(ef_train_test_split(3, 1.5, 42, tr, NULL, te, NULL, &err), EF_EINVAL,
           "test size above 1 is refused");
    free(tr);
    free(te);

    ef_mt19937 s;
    ef_mt_seed(&s, 5489);
    uint32_t x = 0;
    for (int i = 0; i < 10000; i++)
        x = ef_mt_next32(&s);
    is_int(x, 4123659995u, "MT19937 reference: 10,000th output for seed 5489");
    ef_mt_seed(&s, 1);
    int bad = 0;
    for (int i = 0; i < 1000; i++)
        bad |= ef_mt_interval(&s, 6) > 6 || ef_mt_interval(&s, 0) != 0;
    ok(!bad, "random_interval stays in [0, max]");
    uint64_t big = (uint64_t)1 << 40, v = 0;
    for (int i = 0; i < 100; i++)
        v |= ef_mt_interval(&s, big);
    ok(v > 0xffffffffu && v <= ((big << 1) - 1), "64-bit draws above 2^32");
}

static void test_kfold(void)
{
    size_t st[11];
    ef_kfold_bounds(23, 10, st);
    ok(st[0] == 0 && st[1] == 3 && st[3] == 9 && st[4] == 11 && st[10] == 23,
       "KFold(10) of 23: three folds of 3, then 2s");
    ef_kfold_bounds(6832, 10, st);
    ok(st[1] == 684 && st[2] == 1368 && st[3] == 2051 && st[10] == 6832,
       "KFold(10) of 6,832: two folds of 684, then 683");
}

static void test_scaler_local(void)
{
    double X[] = {1, 5, 3, 2, 5, 3, 3, 5, 3, 4, 5, 3};   /* 4 x 3, two constant columns */
    double mean[3], sc[3], out[12];
    is_int((long long)ef_scaler_fit(X, 4, 3, mean, sc), 2, "two constant columns found");
    is_abs(mean[0], 2.5, 1e-15, "mean");
    is_abs(sc[0], sqrt(1.25), 1e-15, "population SD");
    is_abs(sc[1], 1.0, 0, "constant column: scale 1");
    ef_scaler_apply(X, 4, 3, mean, sc, out);
    is_abs(out[1], 0.0, 0, "constant column: zero after scaling");

    /* sklearn's threshold, not var == 0: 0.1 with one-ulp steps (var 4.4e-35) is
     * constant for StandardScaler (scale_ 1), a 1e-9 relative spread is not
     * (scale_ 5.00000041e-10; sklearn 1.2.1, 20 rows) */
    double Y[40];
    unsigned char flag[2];
    for (int i = 0; i < 20; i++) {
        Y[2 * i] = i % 3 ? 0.1 : nextafter(0.1, 1.0);
        Y[2 * i + 1] = i % 2 ? 1.0 : 1.0 + 1e-9;
    }
    is_int((long long)ef_model_constant_columns(Y, 20, 2, flag), 1, "near-constant: one column by sklearn's test");
    ok(flag[0] == 1 && flag[1] == 0, "... the one-ulp column");
    ef_scaler_fit(Y, 20, 2, mean, sc);
    ok(sc[0] == 1.0 && fabs(sc[1] - 5.00000041e-10) < 1e-17, "scales 1 and %.9g, as sklearn", sc[1]);
}

static void test_python(void)
{
    const char *dir = tap_tmpdir();
    char out[600], xp[600];
    snprintf(out, sizeof out, "%s/split.txt", dir);
    static const struct { unsigned long n; double ts; } cs[] = {
        {10, 0.2}, {100, 0.2}, {100, 0.25}, {8540, 0.2}, {1001, 0.33}, {7, 0.5}, {6149, 0.1}};
    char args[512] = "";
    for (size_t c = 0; c < sizeof cs / sizeof cs[0]; c++)
        snprintf(args + strlen(args), sizeof args - strlen(args), " %lu:%.17g", cs[c].n, cs[c].ts);
    int rc = tap_python("tests/parity/sklearn_linear.py", "split '%s'%s", out, args);
    if (rc != 0) {
        ok(1, "# SKIP numpy/sklearn reference unavailable (status %d)", rc);
        return;
    }
    FILE *f = fopen(out, "r");
    int cases = 0;
    unsigned long n, nt;
    while (f && cases < 7 && fscanf(f, "%lu %lu", &n, &nt) == 2) {
        size_t *tr = ef_xmalloc(n * sizeof *tr), *te = ef_xmalloc(n * sizeof *te), ntr, ntt;
        double ts = cs[cases].ts;
        int same = n == cs[cases].n &&
                   ef_train_test_split(n, ts, 42, tr, &ntr, te, &ntt, NULL) == EF_OK && ntt == nt;
        for (size_t i = 0; same && i < nt; i++) {
            unsigned long v;
            same &= fscanf(f, "%lu", &v) == 1 && v == te[i];
        }
        for (size_t i = 0; same && i < n - nt; i++) {
            unsigned long v;
            same &= fscanf(f, "%lu", &v) == 1 && v == tr[i];
        }
        ok(same, "train_test_split(n=%lu, test_size=%g) identical to sklearn (%lu test)", n, ts, nt);
        cases++;
        free(tr);
        free(te);
        if (!same)
            break;
    }
    if (f)
        fclose(f);
    is_int(cases, 7, "all split cases compared");

    snprintf(out, sizeof out, "%s/kfold.txt", dir);
    static const size_t ns[] = {20, 23, 100, 1003, 6149, 6832};
    if (tap_python("tests/parity/sklearn_linear.py", "kfold '%s' 20 23 100 1003 6149 6832", out) == 0) {
        size_t k;
        double *v = tap_read_values(out, &k);
        int same = k == 6 * 21;
        for (size_t c = 0; same && c < 6; c++) {
            size_t st[11];
            ef_kfold_bounds(ns[c], 10, st);
            for (int i = 0; i <= 10; i++)
                same &= (double)st[i] == v[c * 21 + (size_t)i];
            for (int i = 0; i < 10; i++)
                same &= (double)(st[i + 1] - st[i]) == v[c * 21 + 11 + (size_t)i];
        }
        ok(same, "KFold(10) bounds identical to sklearn for 6 row counts");
        free(v);
    } else {
        ok(0, "kfold reference ran");
    }

    /* StandardScaler: offsets, spreads over 1e-3..1e4, a constant column */
    size_t rows = 517, p = 7;
    double *X = ef_xmalloc(rows * p * sizeof *X);
    ef_rng r;
    ef_rng_seed(&r, 7);
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < p; j++)
            X[i * p + j] = j == 3 ? 123.25 : 1e3 * (double)j + pow(10.0, (double)j - 3) * ef_rng_normal(&r);
    snprintf(xp, sizeof xp, "%s/scal.bin", dir);
    tap_write_f64(xp, X, rows * p);
    snprintf(out, sizeof out, "%s/scal.txt", dir);
    if (tap_python("tests/parity/sklearn_linear.py", "scaler '%s' %zu %zu '%s'", xp, rows, p, out) == 0) {
        size_t k;
        double *v = tap_read_values(out, &k), mean[7], sc[7], *T = ef_xmalloc(rows * p * sizeof *T);
        ef_scaler_fit(X, rows, p, mean, sc);
        ef_scaler_apply(X, rows, p, mean, sc, T);
        double dm = 0, ds = 0, dt = 0;
        for (size_t j = 0; j < p && k == 2 * p + rows * p; j++) {
            dm = fmax(dm, fabs(mean[j] - v[j]) / fmax(fabs(v[j]), 1e-300));
            ds = fmax(ds, fabs(sc[j] - v[p + j]) / v[p + j]);
        }
        for (size_t i = 0; i < rows * p && k == 2 * p + rows * p; i++)
            dt = fmax(dt, fabs(T[i] - v[2 * p + i]));
        ok(k == 2 * p + rows * p, "scaler reference read");
        ok(dm <= 1e-12, "StandardScaler mean_ within 1e-12 (rel %.2g)", dm);
        ok(ds <= 1e-12, "StandardScaler scale_ within 1e-12 (rel %.2g)", ds);
        ok(dt <= 1e-12, "transformed values within 1e-12 (%.2g)", dt);
        is_abs(sc[3], 1.0, 0, "constant column scale 1, as sklearn");
        free(v);
        free(T);
    } else {
        ok(0, "scaler reference ran");
    }
    free(X);
}

int main(void)
{
    test_golden();
    test_kfold();
    test_scaler_local();
    test_python();
    return done_testing();
}
