/* ef_status.c — where a project stands (see ef_status.h).  Everything comes
 * from file metadata, the store's attributes and dataset shapes. */
#include "config.h"
#include "pipeline/ef_status.h"
#include "core/ef_alloc.h"
#include "ecg/ef_ecg_files.h"
#include "nn/ef_sha256.h"
#include "pipeline/ef_ecg_parts.h"
#include "pipeline/ef_emb_parts.h"
#include "store/ef_project.h"
#include "store/ef_store.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *const stage_names[EF_ST_COUNT] = { "labels", "preprocess", "embed", "train" };

const char *ef_stage_state_name(int state)
{
    switch (state) {
    case EF_STAGE_DONE: return "done";
    case EF_STAGE_PARTIAL: return "partly done";
    case EF_STAGE_STALE: return "stale";
    case EF_STAGE_FAILED: return "done, with failures";
    default: return "not run";
    }
}

static void thousands(uint64_t v, char *buf, size_t n)
{
    char tmp[32];
    int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v), o = 0;

    for (int i = 0; i < len && (size_t)o + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = '\0';
}

/* "2026-12-07T08:01:02Z" (ef_store_stamp) as a time; 0 if it is not one. */
static time_t parse_iso(const char *s)
{
    struct tm tm;
    int y, mo, d, h, mi, se;

    if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &se) != 6)
        return 0;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    return timegm(&tm);
}

static time_t created(ef_store *s, const char *obj)
{
    char *v = NULL;
    time_t t = 0;

    if (ef_store_get_attr_str(s, obj, "created", &v, NULL) == EF_OK)
        t = parse_iso(v);
    free(v);
    return t;
}

static uint64_t rows_of(ef_store *s, const char *obj)
{
    uint64_t dims[4] = { 0 };
    int rank = 0;

    if (!ef_store_exists(s, obj) || ef_store_shape(s, obj, &rank, dims, 4, NULL) != EF_OK || rank < 1)
        return 0;
    return dims[0];
}

static double attr_num(ef_store *s, const char *obj, const char *name, double def)
{
    double v;

    return ef_store_get_attr_f64(s, obj, name, &v, NULL) == EF_OK ? v : def;
}

static int encoder_synthetic(const char *path);

/* ---- sources ---------------------------------------------------------------- */

static int dir_has_synth_stamp(const char *file)
{
    const char *slash = strrchr(file, '/');
    char *stamp = slash ? ef_xasprintf("%.*s/.ecgfit-synth", (int)(slash - file), file)
                        : ef_xstrdup(".ecgfit-synth");
    struct stat st;
    int yes = stat(stamp, &st) == 0;

    free(stamp);
    return yes;
}

static uint64_t count_ecg_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    uint64_t n = 0;
    int64_t eid;
    int inst, arr;

    if (!d)
        return 0;
    while ((de = readdir(d)))
        n += ef_ecg_parse_name(de->d_name, &eid, &inst, &arr) != 0;
    closedir(d);
    return n;
}

static const ef_source_status *same_file(const ef_source_status *old, const char *path, const struct stat *st)
{
    if (old && old->path && strcmp(old->path, path) == 0 && old->exists && old->mtime == st->st_mtime &&
        old->size == (uint64_t)st->st_size)
        return old;
    return NULL;
}

static void source(ef_source_status *src, const char *path, int kind, const ef_source_status *old)
{
    struct stat st;

    memset(src, 0, sizeof *src);
    if (!path)
        return;
    src->path = ef_xstrdup(path);
    if (stat(path, &st) != 0)
        return;
    src->exists = 1;
    src->is_dir = S_ISDIR(st.st_mode);
    src->size = (uint64_t)st.st_size;
    src->mtime = st.st_mtime;
    if (kind == 1 && src->is_dir) {   /* ECG folder: its count changes with its mtime */
        const ef_source_status *o = same_file(old, path, &st);

        src->nfiles = o ? o->nfiles : count_ecg_files(path);
        src->synthetic = dir_has_synth_stamp(path);
    } else if (kind == 0) {
        src->synthetic = dir_has_synth_stamp(path);
    } else if (kind == 2 && !src->is_dir) {   /* encoder */
        const ef_source_status *o = same_file(old, path, &st);

        if (o) {
            memcpy(src->sha256, o->sha256, sizeof src->sha256);
            src->synthetic = o->synthetic;
            return;
        }
        if (ef_sha256_file(path, src->sha256, NULL) != EF_OK)
            src->sha256[0] = '\0';
        src->synthetic = encoder_synthetic(path);
    }
}

/* 1 if the encoder file at path says its weights are seeded (ecgfit_synthetic). */
static int encoder_synthetic(const char *path)
{
    ef_store *s;
    char *v = NULL;
    int yes = 0;

    if (ef_store_open_read(&s, path, NULL) == EF_OK) {
        yes = ef_store_get_attr_str(s, "/", "ecgfit_synthetic", &v, NULL) == EF_OK;
        free(v);
        ef_store_close(s);
    }
    return yes;
}

static void source_fini(ef_source_status *s)
{
    free(s->path);
}

/* ---- stages ----------------------------------------------------------------- */

/* Newest mtime of part files "part-*.h5" in dir/sub (0: none); *n counts them. */
static time_t parts_newest(const char *dir, const char *sub, size_t *n)
{
    char *path = ef_xasprintf("%s/%s", dir, sub);
    DIR *d = opendir(path);
    struct dirent *de;
    time_t newest = 0;

    *n = 0;
    if (d) {
        while ((de = readdir(d))) {
            size_t len = strlen(de->d_name);
            struct stat st;
            char *p;

            if (strncmp(de->d_name, "part-", 5) != 0 || len < 4 || strcmp(de->d_name + len - 3, ".h5") != 0)
                continue;
            p = ef_xasprintf("%s/%s", path, de->d_name);
            if (stat(p, &st) == 0) {
                (*n)++;
                if (st.st_mtime > newest)
                    newest = st.st_mtime;
            }
            free(p);
        }
        closedir(d);
    }
    free(path);
    return newest;
}

static void funnel_add(ef_project_status *S, const char *label, uint64_t n, int target)
{
    ef_funnel_step *f;

    S->funnel = ef_xrealloc(S->funnel, (S->nfunnel + 1) * sizeof *S->funnel);
    f = &S->funnel[S->nfunnel++];
    snprintf(f->label, sizeof f->label, "%s", label);
    f->n = n;
    f->target = target;
}

static void labels_status(ef_project_status *S, ef_store *s)
{
    ef_stage_status *st = &S->stage[EF_ST_LABELS];
    char a[32], b[32];
    char **cols = NULL;
    size_t ncols = 0;
    double v;

    if (!ef_store_exists(s, "/participants"))
        return;
    st->state = EF_STAGE_DONE;
    st->when = created(s, "/participants");
    st->count = S->participants = rows_of(s, "/participants/eid");
    st->failed = (uint64_t)attr_num(s, "/participants", "rows_rejected", 0);
    thousands(st->count, a, sizeof a);
    if (st->failed) {
        thousands(st->failed, b, sizeof b);
        snprintf(st->detail, sizeof st->detail, "%s participants, %s rows rejected", a, b);
        st->state = EF_STAGE_FAILED;
    } else {
        snprintf(st->detail, sizeof st->detail, "%s participants", a);
    }
    if (S->main_csv.exists && st->when && S->main_csv.mtime > st->when) {
        st->state = EF_STAGE_STALE;
        snprintf(st->why, sizeof st->why, "the main CSV changed after labels ran");
    }
    S->synthetic_data |= attr_num(s, "/participants", "synthetic", 0) > 0;

    /* the funnel labels recorded (older stores: the participants only) */
    v = attr_num(s, "/participants", "n_rows_csv", -1);
    funnel_add(S, "rows in the main CSV", v >= 0 ? (uint64_t)v : st->count + st->failed, 0);
    if ((v = attr_num(s, "/participants", "n_with_ecg", -1)) >= 0) {
        char label[80];

        snprintf(label, sizeof label, "with an instance-%.0f ECG", attr_num(s, "/participants", "ecg_instance", 2));
        funnel_add(S, label, (uint64_t)v, 0);
    }
    if ((v = attr_num(s, "/participants", "n_with_demographics", -1)) >= 0)
        funnel_add(S, "... and age, sex, BMI", (uint64_t)v, 0);
    if (ef_store_list(s, "/participants", &cols, &ncols, NULL) == EF_OK) {
        for (size_t i = 0; i < ncols && S->nfunnel < 24; i++) {
            char *path = ef_xasprintf("/participants/%s", cols[i]), *role = NULL, *label = NULL, *field = NULL;

            v = attr_num(s, path, "n_with_ecg_demographics", -1);
            if (v >= 0 && ef_store_get_attr_str(s, path, "role", &role, NULL) == EF_OK && strcmp(role, "target") == 0) {
                char text[80];

                ef_store_get_attr_str(s, path, "label", &label, NULL);
                ef_store_get_attr_str(s, path, "field", &field, NULL);
                snprintf(text, sizeof text, "with %s%s%s%s", label ? label : cols[i], field && *field ? " (" : "",
                         field && *field ? field : "", field && *field ? ")" : "");
                funnel_add(S, text, (uint64_t)v, 1);
            }
            free(role);
            free(label);
            free(field);
            free(path);
        }
        ef_store_free_list(cols, ncols);
    }
}

static void preprocess_status(ef_project_status *S, ef_store *s)
{
    ef_stage_status *st = &S->stage[EF_ST_PREPROCESS];
    char a[32], b[32];
    size_t nparts;
    time_t newest = parts_newest(S->project_dir, EF_ECG_PARTS_DIR, &nparts);

    if (s && ef_store_exists(s, "/ecg")) {
        st->state = EF_STAGE_DONE;
        st->when = created(s, "/ecg");
        st->count = rows_of(s, "/ecg/eid");
        st->failed = rows_of(s, "/ecg/failures/eid");
        thousands(st->count, a, sizeof a);
        if (st->failed) {
            thousands(st->failed, b, sizeof b);
            snprintf(st->detail, sizeof st->detail, "%s ECGs, %s failed", a, b);
            st->state = EF_STAGE_FAILED;
        } else {
            snprintf(st->detail, sizeof st->detail, "%s ECGs", a);
        }
    }
    if (nparts && (!st->when || newest > st->when)) {
        st->state = EF_STAGE_PARTIAL;
        snprintf(st->why, sizeof st->why, "%zu part file%s written; r resumes where it stopped", nparts,
                 nparts == 1 ? "" : "s");
    } else if (st->when && S->ecg_dir.exists && S->ecg_dir.mtime > st->when) {
        st->state = EF_STAGE_STALE;
        snprintf(st->why, sizeof st->why, "the ECG folder changed after preprocess ran");
    }
}

static void embed_status(ef_project_status *S, ef_store *s)
{
    ef_stage_status *st = &S->stage[EF_ST_EMBED];
    char **names = NULL;
    size_t n = 0, nparts;
    time_t newest = parts_newest(S->project_dir, EF_EMB_PARTS_DIR, &nparts);
    char a[32];

    if (s && ef_store_exists(s, "/embeddings") && ef_store_list(s, "/embeddings", &names, &n, NULL) == EF_OK && n) {
        char *g = ef_xasprintf("/embeddings/%s", names[n - 1]), *e = ef_xasprintf("%s/eid", g);
        char *enc = NULL;
        int syn;

        st->state = EF_STAGE_DONE;
        st->when = created(s, g);
        st->count = rows_of(s, e);
        /* the encoder these embeddings came from: seeded weights? */
        if (ef_store_get_attr_str(s, g, "encoder_path", &enc, NULL) == EF_OK) {
            if (S->encoder.path && strcmp(enc, S->encoder.path) == 0)
                syn = S->encoder.synthetic;
            else
                syn = encoder_synthetic(enc);
            S->synthetic_encoder |= syn;
        }
        free(enc);
        thousands(st->count, a, sizeof a);
        snprintf(st->detail, sizeof st->detail, "%s embeddings (%s)%s", a, names[n - 1],
                 n > 1 ? ", and others" : "");
        if (S->stage[EF_ST_PREPROCESS].when > st->when) {
            st->state = EF_STAGE_STALE;
            snprintf(st->why, sizeof st->why, "the ECGs were preprocessed again since");
        } else if (S->encoder.exists && st->when && S->encoder.mtime > st->when) {
            st->state = EF_STAGE_STALE;
            snprintf(st->why, sizeof st->why, "the encoder file changed since");
        }
        free(g);
        free(e);
    }
    ef_store_free_list(names, n);
    if (nparts && (!st->when || newest > st->when)) {
        st->state = EF_STAGE_PARTIAL;
        snprintf(st->why, sizeof st->why, "%zu part file%s written; r resumes where it stopped", nparts,
                 nparts == 1 ? "" : "s");
    }
}

static void train_status(ef_project_status *S, ef_store *s)
{
    ef_stage_status *st = &S->stage[EF_ST_TRAIN];
    char **t = NULL, **f = NULL, **m = NULL;
    size_t nt = 0, nf, nm;
    time_t oldest = 0;

    if (!s || !ef_store_exists(s, "/models") || ef_store_list(s, "/models", &t, &nt, NULL) != EF_OK)
        return;
    for (size_t i = 0; i < nt; i++) {
        char *ti = ef_xasprintf("/models/%s", t[i]);

        if (ef_store_list(s, ti, &f, &nf, NULL) == EF_OK) {
            for (size_t j = 0; j < nf; j++) {
                char *fj = ef_xasprintf("%s/%s", ti, f[j]);

                if (ef_store_is_group(s, fj) && ef_store_list(s, fj, &m, &nm, NULL) == EF_OK) {
                    for (size_t k = 0; k < nm; k++) {
                        char *mk = ef_xasprintf("%s/%s", fj, m[k]);
                        time_t c = created(s, mk);

                        if (ef_store_is_group(s, mk)) {
                            st->count++;
                            if (c > st->when)
                                st->when = c;
                            if (c && (!oldest || c < oldest))
                                oldest = c;
                        }
                        free(mk);
                    }
                    ef_store_free_list(m, nm);
                }
                free(fj);
            }
            ef_store_free_list(f, nf);
        }
        free(ti);
    }
    ef_store_free_list(t, nt);
    if (!st->count)
        return;
    st->state = EF_STAGE_DONE;
    snprintf(st->detail, sizeof st->detail, "%llu model%s", (unsigned long long)st->count, st->count == 1 ? "" : "s");
    if (oldest && S->stage[EF_ST_LABELS].when > oldest) {
        st->state = EF_STAGE_STALE;
        snprintf(st->why, sizeof st->why, "labels ran again after some models were fitted");
    } else if (oldest && S->stage[EF_ST_EMBED].when > oldest) {
        st->state = EF_STAGE_STALE;
        snprintf(st->why, sizeof st->why, "the embeddings changed after some models were fitted");
    }
}

int ef_status_read(const char *dir, const ef_project_status *prev, ef_project_status **out, ef_error *err)
{
    ef_project_status *S = ef_xcalloc(1, sizeof *S);
    ef_project p;
    ef_error perr;
    ef_store *s = NULL;
    struct stat sb;
    int rc;

    (void)err;
    S->project_dir = ef_xstrdup(dir);
    S->store_path = ef_xasprintf("%s/%s", dir, EF_PROJECT_STORE);
    for (int i = 0; i < EF_ST_COUNT; i++)
        S->stage[i].name = stage_names[i];
    ef_error_clear(&perr);
    if (ef_project_load(&p, dir, &perr) == EF_OK) {
        source(&S->main_csv, p.main_csv, 0, prev ? &prev->main_csv : NULL);
        source(&S->ecg_dir, p.ecg_dir, 1, prev ? &prev->ecg_dir : NULL);
        source(&S->encoder, p.encoder, 2, prev ? &prev->encoder : NULL);
        ef_project_fini(&p);
    } else {
        char buf[EF_ERROR_MSG_MAX + EF_ERROR_PATH_MAX + 16];

        S->config_error = ef_xstrdup(ef_error_format(&perr, buf, sizeof buf));
    }
    S->synthetic_data = S->main_csv.synthetic || S->ecg_dir.synthetic;
    S->synthetic_encoder = S->encoder.synthetic;
    ef_store_generation(S->store_path, &S->generation, NULL);
    if (stat(S->store_path, &sb) == 0) {
        rc = ef_store_open_read(&s, S->store_path, NULL);
        S->have_store = rc == EF_OK;
    }
    if (s)
        labels_status(S, s);
    preprocess_status(S, s);
    embed_status(S, s);
    if (s)
        train_status(S, s);
    ef_store_close(s);
    *out = S;
    return EF_OK;
}

void ef_status_free(ef_project_status *S)
{
    if (!S)
        return;
    source_fini(&S->main_csv);
    source_fini(&S->ecg_dir);
    source_fini(&S->encoder);
    free(S->project_dir);
    free(S->store_path);
    free(S->config_error);
    free(S->funnel);
    free(S);
}

/* ---- failures ------------------------------------------------------------------ */

int ef_status_failures(const char *dir, int stage, size_t first, size_t max, ef_failure **out, size_t *n,
                       size_t *total, ef_error *err)
{
    const char *name = stage == EF_ST_PREPROCESS ? EF_ECG_FAILURES_FILE : stage == EF_ST_LABELS ? "labels-rejects.txt"
                                                                                                : NULL;
    char *path, line[4096];
    FILE *fp;
    size_t i = 0;

    *out = NULL;
    *n = *total = 0;
    if (!name)
        return EF_OK;
    path = ef_xasprintf("%s/%s", dir, name);
    fp = fopen(path, "r");
    if (!fp) {
        int rc = errno == ENOENT ? EF_OK : ef_error_set_at(err, EF_EIO, path, 0, 0, "%s", strerror(errno));

        free(path);
        return rc;
    }
    free(path);
    *out = ef_xcalloc(max ? max : 1, sizeof **out);
    while (fgets(line, sizeof line, fp)) {
        size_t len = strlen(line);
        char *sep;

        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!len)
            continue;
        if (i >= first && *n < max) {
            ef_failure *f = &(*out)[(*n)++];

            /* "FILE: reason" or "FILE:LINE: reason": the file ends at the last ": " before the reason */
            sep = strstr(line, ": ");
            if (sep) {
                f->file = ef_xasprintf("%.*s", (int)(sep - line), line);
                f->reason = ef_xstrdup(sep + 2);
            } else {
                f->file = ef_xstrdup("");
                f->reason = ef_xstrdup(line);
            }
        }
        i++;
    }
    fclose(fp);
    *total = i;
    return EF_OK;
}

void ef_status_failures_free(ef_failure *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++) {
        free(f[i].file);
        free(f[i].reason);
    }
    free(f);
}
