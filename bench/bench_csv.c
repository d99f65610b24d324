/* bench_csv.c — time ef_csv on a large file: select columns, convert them.
 *
 * usage: bench_csv FILE THREADS COL,COL,... [libcsv]
 *
 * Every selected non-empty cell goes through strtod (pandas converts its
 * columns to float64 too, so both sides do the same work).  Prints one
 * line of key=value pairs, including the process's peak RSS. */
#include "config.h"
#include "ukb/ef_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void);

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    ef_csv_opts o = { .threads = 1 };
    ef_csv *r;
    ef_csv_row row;
    ef_error err;
    size_t cols[4096], n = 0, k;
    char *names, *tok, buf[1200];
    double t0, t, sum = 0;
    long nonempty = 0, bad = 0;
    struct rusage ru;
    int rc;

    if (argc < 4) {
        fprintf(stderr, "usage: bench_csv FILE THREADS COL,COL,... [libcsv]\n");
        return 2;
    }
    o.threads = atoi(argv[2]);
    o.libcsv_only = argc > 4 && strcmp(argv[4], "libcsv") == 0;
    t0 = now();
    if (ef_csv_open(&r, argv[1], &o, &err) != EF_OK) {
        fprintf(stderr, "bench_csv: %s\n", ef_error_format(&err, buf, sizeof buf));
        return 1;
    }
    names = strdup(argv[3]);
    for (tok = strtok(names, ","); tok && n < 4096; tok = strtok(NULL, ",")) {
        long id = ef_csv_find(r, tok);

        if (id < 0) {
            fprintf(stderr, "bench_csv: no column %s\n", tok);
            return 1;
        }
        cols[n++] = (size_t)id;
    }
    free(names);
    if (ef_csv_select(r, cols, n, &err) != EF_OK) {
        fprintf(stderr, "bench_csv: %s\n", ef_error_format(&err, buf, sizeof buf));
        return 1;
    }
    while ((rc = ef_csv_next(r, &row, &err)) != EF_DONE) {
        if (rc != EF_OK) {
            if (bad++ < 5)
                fprintf(stderr, "bench_csv: %s\n", ef_error_format(&err, buf, sizeof buf));
            continue;
        }
        for (k = 0; k < row.n; k++) {
            if (row.len[k]) {
                sum += strtod(row.cell[k], NULL);
                nonempty++;
            }
        }
    }
    t = now() - t0;
    getrusage(RUSAGE_SELF, &ru);
    printf("threads=%d libcsv=%d rows=%ld cols=%zu nonempty=%ld bad=%ld sum=%.10g seconds=%.3f "
           "MBps=%.1f maxrss_kB=%ld\n",
           o.threads, o.libcsv_only, ef_csv_rows(r), n, nonempty, bad, sum, t,
           (double)ef_csv_bytes_total(r) / 1048576.0 / t, ru.ru_maxrss);
    ef_csv_close(r);
    return bad ? 1 : 0;
}
