/* cmd_export_ecg.c — `ecgfit [-C DIR] export ecg --format npy -o DIR` (the
 * seed's layout) and `export ecg --format csv --eid E -o FILE|-` (one ECG);
 * the job is pipeline/ef_export_ecg's. */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "pipeline/ef_export.h"
#include "store/ef_project.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const npy_csv[] = { "npy", "csv", NULL };

static const ef_opt_spec opts[] = {
    { "format", 'f', EF_OPT_CHOICE, "FMT",
      "npy: the seed's layout, DIR/EID.npy, float32 [samples, 12],\n"
      "leads I, II, III, aVR, aVL, aVF, V1-V6 (numpy.load reads it);\n"
      "csv: one ECG (--eid) with a header row of lead names", 0, 0, npy_csv, 0 },
    { "output", 'o', EF_OPT_STRING, "DIR|FILE", "the folder (npy), or the file, - for standard output (csv)", 0, 0,
      NULL, 0 },
    { "eid", 0, EF_OPT_STRING, "EID", "the participant whose ECG --format csv writes", 0, 0, NULL, 0 },
};

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    const char *format = ef_args_str(a, "format", NULL), *eid = ef_args_str(a, "eid", NULL);
    ef_export_ecg_opts o;
    ef_project p;
    char *end;
    int rc;

    *job = NULL;
    memset(&o, 0, sizeof o);
    if (eid) {
        errno = 0;
        o.eid = strtoll(eid, &end, 10);
        if (end == eid || *end || errno == ERANGE || o.eid <= 0)
            return ef_cmd_usage(err, "--eid must be a participant id, not '%s'", eid);
    }
    if (!format)
        return ef_cmd_usage(err, "--format must be npy (one {eid}.npy per ECG) or csv (one ECG)");
    o.npy = strcmp(format, "npy") == 0;
    o.out = ef_args_str(a, "output", NULL);
    if (!o.out)
        return ef_cmd_usage(err, "give -o %s", o.npy ? "DIR" : "FILE (or - for standard output)");
    if (!o.npy && !eid)
        return ef_cmd_usage(err, "--format csv writes one ECG: give --eid E");
    if (o.npy && eid)
        return ef_cmd_usage(err, "--eid goes with --format csv; npy writes every ECG");
    if (!o.npy && (rc = ef_cmd_data_out(ctx, o.out, &o.std, err)) != EF_OK)
        return rc;
    if ((rc = ef_project_load(&p, ctx->project_dir, err)) != EF_OK)
        return rc;
    o.store_path = p.store_path;
    o.project_dir = p.dir;
    rc = ef_export_ecg_job_new(job, &o, err);
    ef_project_fini(&p);
    return rc;
}

static int finish(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job *job, int rc, ef_error *err)
{
    const ef_export_ecg_summary *s = ef_export_ecg_summary_of(job);

    (void)err;
    if (rc != EF_OK || ctx->quiet)
        return rc;
    if (strcmp(ef_args_str(a, "format", ""), "npy") == 0)
        ef_note(ctx, "wrote %zu ECGs as {eid}.npy (float32 %zu x 12, units %s) to %s", s->nfiles, s->samples,
                s->units, ef_args_str(a, "output", ""));
    else if (strcmp(ef_args_str(a, "output", "-"), "-") != 0)   /* not beside the data on standard output */
        ef_note(ctx, "wrote %zu rows (the ECG of %s, %s) to %s", s->samples, ef_args_str(a, "eid", ""), s->units,
                ef_args_str(a, "output", ""));
    return rc;
}

const ef_cmd ef_cmd_export_ecg = {
    .name = "export ecg",
    .summary = "write the preprocessed ECGs of /ecg as NumPy files, or one as CSV",
    .synopsis = "[-C DIR] export ecg --format npy -o DIR\n"
                "       ecgfit [-C DIR] export ecg --format csv --eid EID -o FILE|-",
    .intro = "export ecg writes the preprocessed ECGs of /ecg:\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .flags = EF_CMD_PROJECT,
    .make = make,
    .finish = finish,
};
