/* bench_table1.c — Table 1 of a whole cohort: N participants (default
 * 500,000) x 30 variables, grouped by sex, with p-values and SMDs, timed
 * through ef_cohort_table (the store read and the engine: what `ecgfit
 * table1` and the TUI's Tables screen run).
 *
 *   bench_table1 DIR [N] [REPEAT]
 *
 * Writes (once) DIR/ecgfit.h5 with the columns generated here (20 normal,
 * 4 skewed non-normal, 6 categorical, and the group, each with ~5% missing)
 * and DIR/data.f64 (the same values, column after column, for pandas), then
 * prints the best of REPEAT runs as "ecgfit_s <seconds>".  The columns are
 * made here rather than by `ecgfit synth` + `labels`, which would take
 * minutes at this size; the store is the same format labels writes. */
#include "config.h"
#include "core/ef_alloc.h"
#include "pipeline/ef_cohort.h"
#include "store/ef_store.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define NVARS 30

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* xorshift64*: quick and reproducible. */
static uint64_t st = 88172645463325252ull;
static double unif(void)
{
    st ^= st >> 12;
    st ^= st << 25;
    st ^= st >> 27;
    return (double)((st * 2685821657736338717ull) >> 11) * (1.0 / 9007199254740992.0);
}

static double gauss(void)
{
    double u = unif(), v = unif();

    return sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

static int make_store(const char *dir, size_t n, ef_error *err)
{
    char path[4096], name[32];
    double **col = ef_xcalloc(NVARS + 1, sizeof *col);
    int64_t *eid = ef_xmalloc(n * sizeof *eid);
    double *has = ef_xmalloc(n * sizeof *has);
    ef_store *s = NULL;
    FILE *fp;
    size_t i, j;
    int rc;

    for (j = 0; j <= NVARS; j++)
        col[j] = ef_xmalloc(n * sizeof **col);
    for (i = 0; i < n; i++) {
        double sex = unif() < 0.54 ? 0 : 1;

        eid[i] = 1000000 + (int64_t)i;
        has[i] = 1;
        col[0][i] = sex;   /* the group */
        for (j = 1; j <= 20; j++)   /* normal, shifted by sex */
            col[j][i] = 50 + 3 * (double)j + 10 * gauss() + sex * (double)(j % 5);
        for (j = 21; j <= 24; j++)  /* skewed: CRP-like */
            col[j][i] = exp(0.5 + 0.8 * gauss() + 0.1 * sex);
        col[25][i] = unif() < 0.55 ? 0 : unif() < 0.8 ? 1 : 2;                  /* smoking-like */
        col[26][i] = floor(unif() * 4);                                         /* 4 levels */
        col[27][i] = unif() < 0.9 ? 1001 : floor(unif() * 18) + 1;              /* ethnicity-like */
        col[28][i] = unif() < 0.1 + 0.05 * sex;                                 /* binary */
        col[29][i] = floor(unif() * 3) + 1;                                     /* pace-like */
        col[30][i] = floor(unif() * 6);                                         /* 6 levels */
        for (j = 1; j <= NVARS; j++)
            if (unif() < 0.05)
                col[j][i] = NAN;
    }
    snprintf(path, sizeof path, "%s/ecgfit.h5", dir);
    rc = ef_store_begin(&s, path, err);
    if (rc == EF_OK)
        rc = ef_store_write_i64(s, "/participants/eid", eid, n, err);
    if (rc == EF_OK)
        rc = ef_store_write_f64(s, "/participants/has_ecg", has, n, err);
    for (j = 0; rc == EF_OK && j <= NVARS; j++) {
        snprintf(name, sizeof name, "/participants/%s%02zu", j ? "v" : "group", j);
        if (!j)
            snprintf(name, sizeof name, "/participants/group");
        rc = ef_store_write_f64(s, name, col[j], n, err);
        if (rc == EF_OK)
            rc = ef_store_set_attr_str(s, name, "type", j == 0 || j >= 25 ? "categorical" : "continuous", err);
    }
    rc = ef_store_finish(s, rc, err);
    snprintf(path, sizeof path, "%s/data.f64", dir);
    if (rc == EF_OK && (fp = fopen(path, "wb"))) {
        for (j = 0; j <= NVARS; j++)
            fwrite(col[j], sizeof **col, n, fp);
        fclose(fp);
    }
    for (j = 0; j <= NVARS; j++)
        free(col[j]);
    free(col);
    free(eid);
    free(has);
    return rc;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "/tmp/ecgfit-bench-table1";
    size_t n = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 500000, i;
    int repeat = argc > 3 ? atoi(argv[3]) : 3;
    char path[4096], *names[NVARS], *nonnormal[4], nfile[4096];
    ef_error err = { 0 };
    ef_cohort_opts o;
    double best = INFINITY;
    FILE *fp;
    size_t have = 0;

    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/ecgfit.h5", dir);
    snprintf(nfile, sizeof nfile, "%s/n", dir);
    if ((fp = fopen(nfile, "r"))) {
        if (fscanf(fp, "%zu", &have) != 1)
            have = 0;
        fclose(fp);
    }
    if (have != n) {
        fprintf(stderr, "writing %s (%zu participants x %d variables) ...\n", path, n, NVARS);
        if (make_store(dir, n, &err) != EF_OK) {
            fprintf(stderr, "bench_table1: %s\n", err.msg);
            return 1;
        }
        if ((fp = fopen(nfile, "w"))) {
            fprintf(fp, "%zu\n", n);
            fclose(fp);
        }
    }
    for (i = 0; i < NVARS; i++)
        names[i] = ef_xasprintf("v%02zu", i + 1);
    for (i = 0; i < 4; i++)
        nonnormal[i] = names[20 + i];
    ef_cohort_opts_default(&o);
    o.store_path = path;
    o.vars = names;
    o.nvars = NVARS;
    o.groupby = "group";
    o.nonnormal = nonnormal;
    o.nnonnormal = 4;
    o.t1.pval = 1;
    o.t1.smd = 1;
    o.t1.htest_name = 1;
    for (int r = 0; r < repeat; r++) {
        ef_table *t = NULL;
        double t0 = now(), dt;

        if (ef_cohort_table(&o, &t, &err) != EF_OK) {
            fprintf(stderr, "bench_table1: %s\n", err.msg);
            return 1;
        }
        dt = now() - t0;
        if (dt < best)
            best = dt;
        if (r == repeat - 1 && getenv("BENCH_SHOW")) {
            char *s = ef_table_render_str(t, NULL);

            fputs(s, stderr);
            free(s);
        }
        ef_table_free(t);
    }
    printf("ecgfit_s %.4f\n", best);
    for (i = 0; i < NVARS; i++)
        free(names[i]);
    return 0;
}
