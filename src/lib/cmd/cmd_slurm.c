/* cmd_slurm.c — `ecgfit [-C DIR] slurm preprocess|embed --shards N ...`:
 * the SLURM job array that runs a stage in shards, and with --submit its
 * submission with the dependent merge (pipeline/ef_slurm.h). */
#include "config.h"
#include "cmd/ef_cmds.h"
#include "pipeline/ef_emb_parts.h"
#include "pipeline/ef_slurm.h"
#include "store/ef_project.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const ef_opt_spec opts[] = {
    { "shards", 0, EF_OPT_INT, "N", "split the stage into N array tasks (`--shard K/N`)", 1, 100000, NULL, 0 },
    { "partition", 0, EF_OPT_STRING, "P", "sbatch --partition", 0, 0, NULL, 0 },
    { "time", 0, EF_OPT_STRING, "T", "sbatch --time per task (e.g. 2:00:00)", 0, 0, NULL, 0 },
    { "mem", 0, EF_OPT_STRING, "M", "sbatch --mem per task (e.g. 4G)", 0, 0, NULL, 0 },
    { "cpus", 0, EF_OPT_INT, "C", "sbatch --cpus-per-task; the stage's --jobs follows it", 1, 64, NULL, 0 },
    { "account", 0, EF_OPT_STRING, "A", "sbatch --account", 0, 0, NULL, 0 },
    { "max-running", 0, EF_OPT_INT, "M", "at most M tasks at once (--array=...%M)", 1, 100000, NULL, 0 },
    { "output", 'o', EF_OPT_STRING, "FILE",
      "write the script to FILE (default: standard output; with\n--submit, or in the TUI, DIR/slurm/STAGE.sbatch)",
      0, 0, NULL, 0 },
    { "submit", 0, EF_OPT_FLAG, NULL, "submit the array and the merge job with sbatch", 0, 0, NULL, 0 },
    { "resume", 0, EF_OPT_FLAG, NULL, "only the shards whose part files are not complete", 0, 0, NULL, 0 },
};

/* mkdir -p for the absolute path dir. */
static int mkdirs(const char *dir, ef_error *err)
{
    char *p = ef_xstrdup(dir), *s;
    int rc = EF_OK;

    for (s = p + 1;; s++) {
        if (*s != '/' && *s)
            continue;
        char c = *s;

        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            rc = ef_error_set_at(err, EF_EIO, p, 0, 0, "cannot create the folder: %s", strerror(errno));
        *s = c;
        if (!c || rc != EF_OK)
            break;
    }
    free(p);
    return rc;
}

/* The running program's absolute path: what the tasks run. */
static char *self_path(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

    if (n <= 0)
        return ef_xstrdup("ecgfit");   /* found on the nodes' PATH */
    buf[n] = '\0';
    return ef_xstrdup(buf);
}

static char *absolute(const char *path)
{
    char cwd[PATH_MAX];

    if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
        return ef_xstrdup(path);
    return ef_xasprintf("%s/%s", cwd, path);
}

/* The stage's own options after `--`: parsed by the stage's entry, so that
 * a typo fails here and not in every array task. */
static int check_stage_args(const ef_cmd_args *a, const char *stage, int resume, char *emb_name,
                            size_t name_size, int *instance, const ef_project *p, ef_error *err)
{
    const ef_cmd *c = ef_cmd_find(stage);
    ef_cmd_args sa;
    int rc;

    rc = ef_cmd_parse(c, (int)a->npos - 1, a->pos + 1, &sa, err);
    if (rc != EF_OK) {
        char msg[EF_ERROR_MSG_MAX];

        snprintf(msg, sizeof msg, "%s", err->msg);
        return ef_cmd_usage(err, "%s options after --: %s", stage, msg);
    }
    if (sa.npos)
        rc = ef_cmd_usage(err, "%s takes no word '%s'", stage, sa.pos[0]);
    else if (sa.g_help)
        rc = ef_cmd_usage(err, "--help among %s's options: see `ecgfit %s --help`", stage, stage);
    else if (ef_args_given(&sa, "shard") || ef_args_given(&sa, "jobs"))
        rc = ef_cmd_usage(err, "the script sets %s's --shard and --jobs (give --shards and --cpus)", stage);
    else if (sa.g_project)
        rc = ef_cmd_usage(err, "give -C DIR before `slurm`, not among %s's options", stage);
    else if (resume && ef_args_given(&sa, "restart"))
        rc = ef_cmd_usage(err, "--resume and %s --restart contradict each other", stage);
    *instance = (int)ef_args_long(&sa, "ecg-instance", 2);
    if (rc == EF_OK && strcmp(stage, "preprocess") == 0 && !p->ecg_dir)
        rc = ef_error_set_at(err, EF_EDATA, p->config_path, 0, 0, "ecg_dir is not set (ecgfit init DIR --ecg-dir FOLDER)");
    if (rc == EF_OK && strcmp(stage, "embed") == 0) {
        const char *name = ef_args_str(&sa, "name", NULL), *enc = ef_args_str(&sa, "encoder", p->encoder);

        if (name)
            snprintf(emb_name, name_size, "%s", name);
        else if (enc)
            ef_emb_name_from_path(enc, emb_name, name_size);
        else
            rc = ef_error_set_at(err, EF_EDATA, p->config_path, 0, 0,
                                 "no encoder: set encoder in ecgfit.ini or give `-- --encoder FILE`");
    }
    ef_cmd_args_fini(&sa);
    return rc;
}

/* The ecgfit command that makes this script, for its header. */
static char *command_line(const ef_cmd_args *a, const ef_slurm_opts *o)
{
    char *s = ef_xasprintf("ecgfit -C %s slurm %s --shards %d", o->project, o->stage, o->shards), *t;
    size_t i;

    for (i = 0; i < a->cmd->nopts; i++) {
        const ef_opt_spec *sp = &a->cmd->opts[i];

        if (!a->val[i].given || !strcmp(sp->name, "shards") || !strcmp(sp->name, "output"))
            continue;
        t = sp->type == EF_OPT_FLAG ? ef_xasprintf("%s --%s", s, sp->name)
                                    : ef_xasprintf("%s --%s %s", s, sp->name, a->val[i].str);
        free(s);
        s = t;
    }
    if (a->npos > 1) {
        t = ef_xasprintf("%s --", s);
        free(s);
        s = t;
        for (i = 1; i < a->npos; i++) {
            char *q = ef_slurm_shquote(a->pos[i]);

            t = ef_xasprintf("%s %s", s, q);
            free(q);
            free(s);
            s = t;
        }
    }
    return s;
}

static int write_file(const char *path, const char *text, ef_error *err)
{
    FILE *f = fopen(path, "w");

    if (!f)
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    fputs(text, f);
    if (fclose(f) != 0)
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    return EF_OK;
}

static int make(ef_cmd_ctx *ctx, const ef_cmd_args *a, ef_job **job, ef_error *err)
{
    const char *stage, *out = ef_args_str(a, "output", NULL);
    int submit = ef_args_given(a, "submit") > 0, resume = ef_args_given(a, "resume") > 0, rc;
    char emb_name[256] = "", *abs_dir = NULL, *log_dir = NULL, *script = NULL, *path = NULL, *cmd = NULL;
    char *array_id = NULL, *merge_id = NULL, *spec = NULL;
    ef_slurm_opts o = { 0 };
    ef_project p;
    FILE *std = NULL;
    int *pending = NULL, instance = 2;
    size_t npending = 0, items = 0;

    *job = NULL;
    if (a->npos < 1 || (strcmp(a->pos[0], "preprocess") != 0 && strcmp(a->pos[0], "embed") != 0))
        return ef_cmd_usage(err, "which stage: slurm preprocess or slurm embed");
    stage = a->pos[0];
    if (!ef_args_given(a, "shards"))
        return ef_cmd_usage(err, "--shards N is required (the number of array tasks)");
    if ((rc = ef_project_load(&p, ctx->project_dir, err)) != EF_OK)
        return rc;
    rc = check_stage_args(a, stage, resume, emb_name, sizeof emb_name, &instance, &p, err);
    /* A shard with nothing to do writes no part, and merge would then find
     * it missing: no more shards than items. */
    if (rc == EF_OK)
        rc = ef_slurm_items(stage, p.ecg_dir, instance, p.store_path, &items, err);
    if (rc == EF_OK && (size_t)ef_args_long(a, "shards", 1) > items)
        rc = ef_cmd_usage(err, "--shards %ld for %zu %s: at most %zu (a shard must have something to do)",
                          ef_args_long(a, "shards", 1), items, stage[0] == 'p' ? "ECG files" : "ECGs in /ecg", items);
    if (rc == EF_OK && out && !submit && strcmp(out, "-") == 0)
        rc = ef_cmd_data_out(ctx, out, &std, err);
    else if (rc == EF_OK && out && submit && strcmp(out, "-") == 0)
        rc = ef_cmd_usage(err, "--submit needs the script in a file: give -o FILE or none");
    if (rc != EF_OK)
        goto done;

    abs_dir = realpath(p.dir, NULL);
    if (!abs_dir) {
        rc = ef_error_set_at(err, EF_EIO, p.dir, 0, 0, "%s", strerror(errno));
        goto done;
    }
    log_dir = ef_xasprintf("%s/slurm/logs", abs_dir);
    o.stage = stage;
    o.shards = (int)ef_args_long(a, "shards", 1);
    o.partition = ef_args_str(a, "partition", NULL);
    o.time = ef_args_str(a, "time", NULL);
    o.mem = ef_args_str(a, "mem", NULL);
    o.account = ef_args_str(a, "account", NULL);
    o.cpus = (int)ef_args_long(a, "cpus", 0);
    o.max_running = (int)ef_args_long(a, "max-running", 0);
    o.ecgfit = self_path();
    o.project = abs_dir;
    o.stage_args = a->npos > 1 ? a->pos + 1 : NULL;
    o.nstage_args = a->npos > 1 ? a->npos - 1 : 0;
    o.log_dir = log_dir;
    if (resume) {
        rc = ef_slurm_pending(p.dir, stage, emb_name, o.shards, &pending, &npending, err);
        if (rc != EF_OK)
            goto done;
        o.tasks = pending;
        o.ntasks = npending;
    }
    if (out && !std)
        path = absolute(out);
    else if (submit || (!out && !ctx->data_out))   /* a front end without standard output */
        path = ef_xasprintf("%s/slurm/%s.sbatch", abs_dir, stage);
    o.script_path = path;
    cmd = command_line(a, &o);
    o.command = cmd;
    /* sbatch opens the logs' folder only when a task starts, and a task
     * whose log cannot be opened fails without a word: make it now. */
    if ((rc = mkdirs(log_dir, err)) != EF_OK)
        goto done;
    if (resume && npending == 0) {
        ef_note(ctx, "all %d shards of %s are complete%s", o.shards, stage,
                submit ? "; submitting only the merge" : "; run `ecgfit merge` (or --submit)");
        if (!submit)
            goto done;
    } else {
        script = ef_slurm_script(&o);
        if (std) {
            fputs(script, std);
        } else if (path) {
            rc = write_file(path, script, err);
        } else {
            fputs(script, ctx->data_out);
            ctx->data_out_used = 1;
        }
        if (rc != EF_OK)
            goto done;
    }
    spec = ef_slurm_array_spec(&o);
    if (submit) {
        rc = ef_slurm_submit(&o, &array_id, &merge_id, err);
        if (rc != EF_OK)
            goto done;
        if (array_id)
            ef_out(ctx, "Submitted array job %s (%s, shard%s %s of %d) and merge job %s (runs when all have "
                        "succeeded).\nScript: %s\nLogs: %s/\nWatch: squeue -j %s,%s\n",
                   array_id, stage, o.tasks && o.ntasks == 1 ? "" : "s", spec, o.shards, merge_id, path, log_dir,
                   array_id, merge_id);
        else
            ef_out(ctx, "Submitted merge job %s.\nLogs: %s/\nWatch: squeue -j %s\n", merge_id, log_dir, merge_id);
    } else if (path && !ctx->quiet) {
        ef_note(ctx, "wrote %s (array %s of %d); submit it with the merge: ecgfit -C %s slurm %s --shards %d%s --submit, "
                "or as its header says", path, spec, o.shards, p.dir, stage, o.shards, resume ? " --resume" : "");
    }
done:
    free(spec);
    free(array_id);
    free(merge_id);
    free(script);
    free(path);
    free(cmd);
    free(pending);
    free(log_dir);
    free(abs_dir);
    free((char *)o.ecgfit);
    ef_project_fini(&p);
    return rc;
}

const ef_cmd ef_cmd_slurm = {
    .name = "slurm",
    .summary = "run preprocess or embed as a SLURM job array, then merge",
    .synopsis = "[-C DIR] slurm preprocess|embed --shards N [--partition P] [--time T] [--mem M]\n"
                "              [--cpus C] [--account A] [--max-running M] [-o FILE] [--submit]\n"
                "              [--resume] [-- STAGE-OPTIONS]",
    .intro = "Writes an sbatch script for a job array of N tasks: task K runs\n"
             "`ecgfit -C DIR STAGE --shard K/N --jobs C` with the project's absolute path and\n"
             "this ecgfit's, logging to DIR/slurm/logs/STAGE-JOB_TASK.out.  Options for the\n"
             "stage itself (preprocess --units seed, embed --encoder FILE ...) go after --\n"
             "and are checked now.  The script goes to standard output, or to -o FILE.\n"
             "With --submit it is written to DIR/slurm/STAGE.sbatch (or FILE) and\n"
             "submitted with sbatch, followed by a merge job (`ecgfit -C DIR --wait merge`) that\n"
             "waits for every task to succeed (afterok) and is dropped if one fails.\n",
    .outro = "Each task resumes its shard where an earlier run stopped.  After a failed or\n"
             "cancelled task, the same command with --resume runs only the shards whose\n"
             "part files are not complete, then the merge.  The project folder, its data and\n"
             "this ecgfit must be reachable at the same paths from the compute nodes.\n",
    .opts = opts,
    .nopts = sizeof opts / sizeof opts[0],
    .npos_min = 1,
    .npos_max = 64,
    .flags = EF_CMD_PROJECT,
    .make = make,
};
