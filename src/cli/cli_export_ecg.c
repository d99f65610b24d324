/* cli_export_ecg.c — `ecgfit [-C DIR] export ecg --format npy -o DIR` (the
 * seed's layout: DIR/{eid}.npy, float32 C-order [samples, 12]) and
 * `export ecg --format csv --eid E -o FILE|-` (one ECG, a column per lead).
 * Reads /ecg/signal, a virtual dataset over DIR/ecg-data/part-*.h5. */
#include "config.h"
#include "cli.h"
#include "cli_job.h"
#include "core/ef_alloc.h"
#include "ecg/ef_cardiosoft.h"
#include "store/ef_project.h"
#include "store/ef_store.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ROWS_PER_READ 16

/* `export ecg ...`: argv[0] is "ecg", options follow.  Wired into
 * `ecgfit export` (cli_export.c). */
int cli_export_ecg(cli_ctx *ctx, int argc, char **argv);

typedef struct ecgs {
    ef_store *s;
    int64_t *eid;
    size_t n, samples;
    char *units;
} ecgs;

static int open_ecgs(const char *store_path, const char *dir, ecgs *e, ef_error *err)
{
    uint64_t dims[3];
    int rank, rc;

    memset(e, 0, sizeof *e);
    rc = ef_store_open_read(&e->s, store_path, err);
    if (rc == EF_OK && !ef_store_exists(e->s, "/ecg/eid"))
        rc = ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0,
                             "no /ecg in the store (run `ecgfit -C %s preprocess` first)", dir);
    if (rc == EF_OK)
        rc = ef_store_read_i64(e->s, "/ecg/eid", &e->eid, &e->n, err);
    if (rc == EF_OK)
        rc = ef_store_shape(e->s, "/ecg/signal", &rank, dims, 3, err);
    if (rc == EF_OK && (rank != 3 || dims[0] != e->n || dims[2] != EF_CS_NLEADS))
        rc = ef_error_set_at(err, EF_EDATA, store_path, 0, 0, "/ecg/signal does not match /ecg/eid");
    if (rc == EF_OK) {
        e->samples = (size_t)dims[1];
        if (ef_store_get_attr_str(e->s, "/ecg", "units", &e->units, NULL) != EF_OK)
            e->units = ef_xstrdup("?");
    }
    return rc;
}

static void close_ecgs(ecgs *e)
{
    ef_store_close(e->s);
    free(e->eid);
    free(e->units);
}

/* Read rows [row, row + n); a row that is all NaN is a part file HDF5 could
 * not open (the virtual dataset's fill value). */
static int read_rows(ecgs *e, const char *dir, size_t row, size_t n, float *buf, ef_error *err)
{
    size_t per = e->samples * EF_CS_NLEADS, i, k;
    int rc = ef_store_read_f32_rows(e->s, "/ecg/signal", row, n, buf, err);

    for (i = 0; rc == EF_OK && i < n; i++) {
        const float *r = buf + i * per;

        for (k = 0; k < per && isnan(r[k]); k++)
            ;
        if (k == per)
            rc = ef_error_set_at(err, EF_EIO, ef_store_path(e->s), 0, 0,
                                 "ECG %lld reads as missing: its part file in %s/ecg-data is absent "
                                 "or unreadable (keep ecg-data/ next to ecgfit.h5, or rerun preprocess)",
                                 (long long)e->eid[row + i], dir);
    }
    return rc;
}

static void put_u32le(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* NPY format 1.0: magic, version, header length (LE u16), a dict padded
 * with spaces to a multiple of 64 bytes including the final newline. */
static int write_npy(const char *path, const float *v, size_t rows, size_t cols, ef_error *err)
{
    char hdr[256];
    unsigned char pre[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0 }, *data;
    size_t len, total, i, nv = rows * cols;
    FILE *fp;
    int bad;

    len = (size_t)snprintf(hdr, sizeof hdr, "{'descr': '<f4', 'fortran_order': False, 'shape': (%zu, %zu), }",
                           rows, cols);
    total = (10 + len + 1 + 63) / 64 * 64;
    memset(hdr + len, ' ', total - 10 - len - 1);
    hdr[total - 10 - 1] = '\n';
    pre[8] = (unsigned char)((total - 10) & 0xff);
    pre[9] = (unsigned char)((total - 10) >> 8);
    data = ef_xmalloc(nv * 4);
    for (i = 0; i < nv; i++) {
        uint32_t u;

        memcpy(&u, &v[i], 4);
        put_u32le(data + 4 * i, u);
    }
    fp = fopen(path, "wb");
    if (!fp) {
        free(data);
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot create: %s", strerror(errno));
    }
    fwrite(pre, 1, 10, fp);
    fwrite(hdr, 1, total - 10, fp);
    fwrite(data, 4, nv, fp);
    free(data);
    bad = ferror(fp);
    if (fclose(fp) != 0 || bad)
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "write failed: %s", strerror(errno));
    return EF_OK;
}

static int export_npy(ecgs *e, const char *dir, const char *out, size_t *nfiles, ef_error *err)
{
    size_t per = e->samples * EF_CS_NLEADS, row, i, n;
    float *buf;
    int rc = EF_OK;

    *nfiles = 0;
    if (mkdir(out, 0777) != 0 && errno != EEXIST)
        return ef_error_set_at(err, EF_EIO, out, 0, 0, "cannot create folder: %s", strerror(errno));
    buf = ef_xmalloc(ROWS_PER_READ * per * sizeof *buf);
    for (row = 0; row < e->n && rc == EF_OK; row += n) {
        n = e->n - row < ROWS_PER_READ ? e->n - row : ROWS_PER_READ;
        rc = read_rows(e, dir, row, n, buf, err);
        for (i = 0; i < n && rc == EF_OK; i++) {
            char *path = ef_xasprintf("%s/%lld.npy", out, (long long)e->eid[row + i]);

            rc = write_npy(path, buf + i * per, e->samples, EF_CS_NLEADS, err);
            *nfiles += rc == EF_OK;
            free(path);
        }
    }
    free(buf);
    return rc;
}

static int export_csv(ecgs *e, const char *dir, int64_t eid, const char *out, ef_error *err)
{
    size_t row, i, k;
    float *buf;
    FILE *fp;
    int rc;

    for (row = 0; row < e->n && e->eid[row] != eid; row++)
        ;
    if (row == e->n)
        return ef_error_set_at(err, EF_ENOTFOUND, ef_store_path(e->s), 0, 0,
                               "no ECG for eid %lld in /ecg (see /ecg/failures)", (long long)eid);
    buf = ef_xmalloc(e->samples * EF_CS_NLEADS * sizeof *buf);
    rc = read_rows(e, dir, row, 1, buf, err);
    if (rc == EF_OK)
        rc = cli_out_open(out, &fp, err);
    if (rc != EF_OK) {
        free(buf);
        return rc;
    }
    for (k = 0; k < EF_CS_NLEADS; k++)
        fprintf(fp, "%s%s", k ? "," : "", ef_cs_lead_names[k]);
    fputc('\n', fp);
    for (i = 0; i < e->samples; i++) {
        for (k = 0; k < EF_CS_NLEADS; k++)
            fprintf(fp, "%s%.9g", k ? "," : "", (double)buf[i * EF_CS_NLEADS + k]);
        fputc('\n', fp);
    }
    free(buf);
    return cli_out_close(fp, out, EF_OK, err);
}

int cli_export_ecg(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "eid", required_argument, NULL, 'e' },
        { NULL, 0, NULL, 0 },
    };
    const char *format = NULL, *out = NULL;
    long long eid = 0;
    ef_project p;
    ef_error err;
    ecgs e;
    char *end;
    int c, rc;

    ef_error_clear(&err);
    optind = 0;   /* GNU getopt: start over on this argv */
    while ((c = cli_export_getopt(argc, argv, opts, &format, &out)) != -1) {
        switch (c) {
        case 'e':
            eid = strtoll(optarg, &end, 10);
            if (end == optarg || *end || eid <= 0)
                return cli_usage_error("export ecg", "--eid must be a participant id, not '%s'", optarg);
            break;
        default: return cli_bad_option("export ecg", argv);
        }
    }
    if (optind != argc)
        return cli_usage_error("export ecg", "unexpected argument '%s'", argv[optind]);
    if (!format || (strcmp(format, "npy") != 0 && strcmp(format, "csv") != 0))
        return cli_usage_error("export ecg", "--format must be npy (one {eid}.npy per ECG) or csv (one ECG)");
    if (!out)
        return cli_usage_error("export ecg", "give -o %s", format[0] == 'n' ? "DIR" : "FILE (or - for standard output)");
    if (format[0] == 'c' && !eid)
        return cli_usage_error("export ecg", "--format csv writes one ECG: give --eid E");
    if (format[0] == 'n' && eid)
        return cli_usage_error("export ecg", "--eid goes with --format csv; npy writes every ECG");
    rc = ef_project_load(&p, ctx->project_dir, &err);
    if (rc != EF_OK) {
        cli_error(&err);
        return cli_exit_for(rc);
    }
    rc = open_ecgs(p.store_path, p.dir, &e, &err);
    if (rc == EF_OK && format[0] == 'n') {
        size_t nfiles;

        rc = export_npy(&e, p.dir, out, &nfiles, &err);
        if (rc == EF_OK && !ctx->quiet)
            fprintf(stderr, "ecgfit: wrote %zu ECGs as {eid}.npy (float32 %zu x 12, units %s) to %s\n", nfiles,
                    e.samples, e.units, out);
    } else if (rc == EF_OK) {
        rc = export_csv(&e, p.dir, (int64_t)eid, out, &err);
    }
    close_ecgs(&e);
    ef_project_fini(&p);
    if (rc != EF_OK)
        cli_error(&err);
    return cli_exit_for(rc);
}
