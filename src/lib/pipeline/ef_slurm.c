/* ef_slurm.c — SLURM job arrays for the sharded stages (see ef_slurm.h). */
#include "config.h"
#include "pipeline/ef_slurm.h"
#include "pipeline/ef_ecg_parts.h"
#include "pipeline/ef_emb_parts.h"
#include "core/ef_alloc.h"
#include "core/ef_str.h"
#include "ecg/ef_ecg_files.h"
#include "store/ef_store.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ------------------------------------------------------------ script */

char *ef_slurm_shquote(const char *s)
{
    ef_strbuf t = { 0 };
    const char *p;

    /* Words made only of these need no quotes: a script that reads well. */
    for (p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+%@", *p))
            break;
    if (*s && !*p)
        return ef_xstrdup(s);
    ef_strbuf_printf(&t, "'");
    for (p = s; *p; p++) {
        if (*p == '\'')
            ef_strbuf_printf(&t, "'\\''");
        else
            ef_strbuf_printf(&t, "%c", *p);
    }
    ef_strbuf_printf(&t, "'");
    return t.s;
}

char *ef_slurm_array_spec(const ef_slurm_opts *o)
{
    ef_strbuf t = { 0 };
    size_t i, j;

    if (!o->tasks) {
        ef_strbuf_printf(&t, "1-%d", o->shards);
    } else {
        for (i = 0; i < o->ntasks; i = j) {
            for (j = i + 1; j < o->ntasks && o->tasks[j] == o->tasks[j - 1] + 1; j++)
                ;
            if (j - i == 1)
                ef_strbuf_printf(&t, "%s%d", i ? "," : "", o->tasks[i]);
            else
                ef_strbuf_printf(&t, "%s%d-%d", i ? "," : "", o->tasks[i], o->tasks[j - 1]);
        }
        if (!t.s)
            ef_strbuf_printf(&t, "%s", "");
    }
    if (o->max_running > 0)
        ef_strbuf_printf(&t, "%%%d", o->max_running);
    return t.s;
}

/* "'PROG' -C 'DIR' --wait merge": the merge job's command.  --wait: a
 * batch job that finds another ecgfit writing the store (a TUI, a train)
 * waits for it instead of failing unattended. */
static char *merge_command(const ef_slurm_opts *o)
{
    char *prog = ef_slurm_shquote(o->ecgfit), *dir = ef_slurm_shquote(o->project);
    char *cmd = ef_xasprintf("%s -C %s --wait merge", prog, dir);

    free(prog);
    free(dir);
    return cmd;
}

static void add_sbatch(ef_strbuf *t, const char *name, const char *value)
{
    if (value && *value)
        ef_strbuf_printf(t, "#SBATCH --%s=%s\n", name, value);
}

char *ef_slurm_script(const ef_slurm_opts *o)
{
    ef_strbuf t = { 0 };
    char *spec = ef_slurm_array_spec(o), *merge = merge_command(o), *q, *wrap;
    char cpus[32];
    size_t i;

    wrap = ef_slurm_shquote(merge);
    ef_strbuf_printf(&t, "#!/bin/bash\n");
    ef_strbuf_printf(&t, "# ecgfit %s: `%s` of the project %s in %d shards, one SLURM array task each.\n",
                     PACKAGE_VERSION, o->stage, o->project, o->shards);
    if (o->command)
        ef_strbuf_printf(&t, "# Made by: %s\n", o->command);
    ef_strbuf_printf(&t, "#\n# Submit it together with the merge that folds the shards into the store when\n"
                         "# every task has succeeded (`ecgfit slurm ... --submit` does both):\n#\n");
    ef_strbuf_printf(&t, "#   jid=$(sbatch --parsable %s) &&\n", o->script_path ? o->script_path : "THIS-FILE");
    ef_strbuf_printf(&t, "#   sbatch --dependency=afterok:${jid%%%%;*} --kill-on-invalid-dep=yes "
                         "--job-name=ecgfit-merge \\\n");
    ef_strbuf_printf(&t, "#     --output=%s/merge-%%j.out --wrap=%s\n#\n", o->log_dir, wrap);
    ef_strbuf_printf(&t, "# Each task resumes its shard where an earlier run of it stopped.  After a\n"
                         "# failed or cancelled task, `ecgfit -C %s slurm %s --shards %d --resume --submit`\n"
                         "# runs the shards that are not complete, then the merge.\n",
                     o->project, o->stage, o->shards);
    ef_strbuf_printf(&t, "#SBATCH --job-name=ecgfit-%s\n", o->stage);
    ef_strbuf_printf(&t, "#SBATCH --array=%s\n", spec);
    if (o->cpus > 0) {
        snprintf(cpus, sizeof cpus, "%d", o->cpus);
        add_sbatch(&t, "cpus-per-task", cpus);
    }
    add_sbatch(&t, "mem", o->mem);
    add_sbatch(&t, "time", o->time);
    add_sbatch(&t, "partition", o->partition);
    add_sbatch(&t, "account", o->account);
    ef_strbuf_printf(&t, "#SBATCH --output=%s/%s-%%A_%%a.out\n", o->log_dir, o->stage);
    ef_strbuf_printf(&t, "\nset -eu\n");
    q = ef_slurm_shquote(o->ecgfit);
    ef_strbuf_printf(&t, "exec %s", q);
    free(q);
    q = ef_slurm_shquote(o->project);
    ef_strbuf_printf(&t, " -C %s %s --shard \"${SLURM_ARRAY_TASK_ID}/%d\" --jobs \"${SLURM_CPUS_PER_TASK:-1}\"", q,
                     o->stage, o->shards);
    free(q);
    for (i = 0; i < o->nstage_args; i++) {
        q = ef_slurm_shquote(o->stage_args[i]);
        ef_strbuf_printf(&t, " %s", q);
        free(q);
    }
    ef_strbuf_printf(&t, "\n");
    free(spec);
    free(merge);
    free(wrap);
    return t.s;
}

/* ------------------------------------------------------------ pending shards */

int ef_slurm_items(const char *stage, const char *ecg_dir, int instance, const char *store_path, size_t *n,
                   ef_error *err)
{
    uint64_t dims[1] = { 0 };
    int64_t *eids = NULL;
    ef_store *s;
    int rc, rank = 0;

    *n = 0;
    if (strcmp(stage, "preprocess") == 0) {
        rc = ef_ecg_scan_dir(ecg_dir, instance, &eids, n, err);
        free(eids);
        if (rc == EF_OK && *n == 0)
            rc = ef_error_set_at(err, EF_EDATA, ecg_dir, 0, 0,
                                 "no ECG files named EID_20205_%d_0.xml in this folder or its sub-folders", instance);
        return rc;
    }
    rc = ef_store_open_read(&s, store_path, err);
    if (rc != EF_OK)
        return rc;
    if (!ef_store_exists(s, "/ecg/eid"))
        rc = ef_error_set_at(err, EF_ENOTFOUND, store_path, 0, 0,
                             "no /ecg yet: preprocess (and merge) before embedding");
    else if ((rc = ef_store_shape(s, "/ecg/eid", &rank, dims, 1, err)) == EF_OK)
        *n = (size_t)dims[0];
    ef_store_close(s);
    return rc;
}

/* Shard "K/N" of n: K, or 0 when the text is another split or "all". */
static int shard_of(const char *shard, int n)
{
    int k, m;
    char tail;

    if (sscanf(shard, "%d/%d%c", &k, &m, &tail) != 2 || m != n || k < 1 || k > n)
        return 0;
    return k;
}

int ef_slurm_pending(const char *project_dir, const char *stage, const char *emb_name, int n, int **k,
                     size_t *nk, ef_error *err)
{
    size_t *done = ef_xcalloc((size_t)n + 1, sizeof *done), *slice = ef_xcalloc((size_t)n + 1, sizeof *slice);
    unsigned char *seen = ef_xcalloc((size_t)n + 1, 1);
    size_t i, np = 0;
    int rc, s;

    *k = NULL;
    *nk = 0;
    if (strcmp(stage, "preprocess") == 0) {
        ef_ecg_part_info *p = NULL;

        rc = ef_ecg_parts_scan(project_dir, &p, &np, err);
        for (i = 0; rc == EF_OK && i < np; i++)
            if ((s = shard_of(p[i].shard, n)) > 0) {
                done[s] += p[i].n + p[i].nfailed;
                slice[s] = p[i].slice_files;
                seen[s] = 1;
            }
        ef_ecg_parts_free(p, np);
    } else {
        ef_emb_part_info *p = NULL;

        rc = ef_emb_parts_scan(project_dir, emb_name, &p, &np, err);
        for (i = 0; rc == EF_OK && i < np; i++)
            if ((s = shard_of(p[i].shard, n)) > 0) {
                done[s] += p[i].n;
                slice[s] = p[i].slice_ecgs;
                seen[s] = 1;
            }
        ef_emb_parts_free(p, np);
    }
    if (rc == EF_OK) {
        *k = ef_xcalloc((size_t)n, sizeof **k);
        for (s = 1; s <= n; s++)
            if (!seen[s] || done[s] < slice[s])
                (*k)[(*nk)++] = s;
    }
    free(done);
    free(slice);
    free(seen);
    return rc;
}

/* ------------------------------------------------------------ sbatch */

/* Read what fd has into t; 0 at end of file (or an error). */
static int drain(int fd, ef_strbuf *t)
{
    char buf[4096];
    ssize_t got = read(fd, buf, sizeof buf - 1);

    if (got < 0)
        return errno == EINTR || errno == EAGAIN;
    if (got == 0)
        return 0;
    buf[got] = '\0';
    ef_strbuf_printf(t, "%s", buf);
    return 1;
}

static void trim(ef_strbuf *t)
{
    while (t->len && (t->s[t->len - 1] == '\n' || t->s[t->len - 1] == ' '))
        t->s[--t->len] = '\0';
}

/* Run sbatch with argv (no shell): its standard output into *out (the job
 * id), its standard error (notes, or why it refused) into the message when
 * it fails.  EF_OK when it exited 0. */
static int run_sbatch(char *const argv[], char **out, ef_error *err)
{
    int op[2] = { -1, -1 }, ep[2] = { -1, -1 }, status = 0, spawn_rc, rc = EF_OK;
    ef_strbuf o = { 0 }, e = { 0 };
    posix_spawn_file_actions_t fa;
    pid_t pid;

    *out = NULL;
    if (pipe2(op, O_CLOEXEC) != 0 || pipe2(ep, O_CLOEXEC) != 0) {
        rc = ef_error_set(err, EF_EIO, "cannot make a pipe to sbatch: %s", strerror(errno));
        for (int i = 0; i < 2; i++) {
            if (op[i] >= 0)
                close(op[i]);
            if (ep[i] >= 0)
                close(ep[i]);
        }
        return rc;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, op[1], 1);
    posix_spawn_file_actions_adddup2(&fa, ep[1], 2);
    spawn_rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(op[1]);
    close(ep[1]);
    if (spawn_rc != 0) {
        close(op[0]);
        close(ep[0]);
        return ef_error_set(err, EF_ENOTFOUND, "cannot run sbatch: %s%s", strerror(spawn_rc),
                            spawn_rc == ENOENT ? " (not a SLURM node? without --submit the script is only written)"
                                               : "");
    }
    /* both pipes at once: neither output can fill its pipe and stall sbatch */
    while (op[0] >= 0 || ep[0] >= 0) {
        struct pollfd p[2];
        nfds_t np = 0;
        int oi = -1, ei = -1;

        if (op[0] >= 0) {
            p[np] = (struct pollfd){ op[0], POLLIN, 0 };
            oi = (int)np++;
        }
        if (ep[0] >= 0) {
            p[np] = (struct pollfd){ ep[0], POLLIN, 0 };
            ei = (int)np++;
        }
        if (poll(p, np, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (oi >= 0 && p[oi].revents && !drain(op[0], &o)) {
            close(op[0]);
            op[0] = -1;
        }
        if (ei >= 0 && p[ei].revents && !drain(ep[0], &e)) {
            close(ep[0]);
            ep[0] = -1;
        }
    }
    if (op[0] >= 0)
        close(op[0]);
    if (ep[0] >= 0)
        close(ep[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    trim(&o);
    trim(&e);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        rc = ef_error_set(err, EF_EIO, "sbatch failed (%s %d)%s%s", WIFEXITED(status) ? "exit status" : "signal",
                          WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), e.len ? ": " : "",
                          e.s ? e.s : "");
    if (rc == EF_OK)
        *out = o.s ? o.s : ef_xstrdup("");
    else
        free(o.s);
    free(e.s);
    return rc;
}

/* The job id in `sbatch --parsable` output: "123" or "123;cluster", on the
 * last line (a site's submit filter may print notes before it). */
static char *job_id(const char *out)
{
    const char *line = strrchr(out, '\n');
    size_t len;

    line = line ? line + 1 : out;
    len = strspn(line, "0123456789");
    if (len == 0 || (line[len] && line[len] != ';'))
        return NULL;
    return ef_xstrndup(line, len);
}

int ef_slurm_submit(const ef_slurm_opts *o, char **array_id, char **merge_id, ef_error *err)
{
    char *argv[16], *out = NULL, *dep = NULL, *logopt = NULL, *wrap = NULL, *popt = NULL, *aopt = NULL, *topt = NULL;
    int rc = EF_OK, n = 0;

    *array_id = NULL;
    *merge_id = NULL;
    if (!o->tasks || o->ntasks > 0) {
        argv[n++] = (char *)"sbatch";
        argv[n++] = (char *)"--parsable";
        argv[n++] = (char *)o->script_path;
        argv[n] = NULL;
        rc = run_sbatch(argv, &out, err);
        if (rc == EF_OK && !(*array_id = job_id(out)))
            rc = ef_error_set(err, EF_EIO, "sbatch printed no job id: %s", out);
        free(out);
        out = NULL;
        if (rc != EF_OK)
            return rc;
    }
    n = 0;
    argv[n++] = (char *)"sbatch";
    argv[n++] = (char *)"--parsable";
    argv[n++] = (char *)"--job-name=ecgfit-merge";
    if (*array_id) {
        dep = ef_xasprintf("--dependency=afterok:%s", *array_id);
        argv[n++] = dep;
        argv[n++] = (char *)"--kill-on-invalid-dep=yes";
    }
    logopt = ef_xasprintf("--output=%s/merge-%%j.out", o->log_dir);
    argv[n++] = logopt;
    if (o->partition && *o->partition)
        argv[n++] = popt = ef_xasprintf("--partition=%s", o->partition);
    if (o->account && *o->account)
        argv[n++] = aopt = ef_xasprintf("--account=%s", o->account);
    if (o->time && *o->time)
        argv[n++] = topt = ef_xasprintf("--time=%s", o->time);
    wrap = merge_command(o);
    argv[n++] = (char *)"--wrap";
    argv[n++] = wrap;
    argv[n] = NULL;
    rc = run_sbatch(argv, &out, err);
    if (rc == EF_OK && !(*merge_id = job_id(out)))
        rc = ef_error_set(err, EF_EIO, "sbatch printed no job id for the merge: %s", out);
    if (rc != EF_OK && *array_id) {
        char *msg = ef_xstrdup(err ? err->msg : "");

        ef_error_set(err, EF_EIO, "%s (the array job %s was submitted: cancel it with `scancel %s`, or run "
                     "`ecgfit merge` when it is done)", msg, *array_id, *array_id);
        free(msg);
    }
    free(out);
    free(dep);
    free(logopt);
    free(wrap);
    free(popt);
    free(aopt);
    free(topt);
    return rc;
}
