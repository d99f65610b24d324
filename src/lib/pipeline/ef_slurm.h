/* ef_slurm.h — scale-out over SLURM (DESIGN.md §6): the sbatch job-array
 * script that runs a sharded stage (`preprocess|embed --shard K/N`, one
 * array task per shard), which shards are still to run, and submission of
 * the array with a merge job that waits for all of it (afterok).  Nothing
 * here schedules work; SLURM does.  Only ef_slurm_submit starts a process
 * (sbatch, without a shell). */
#ifndef EF_SLURM_H
#define EF_SLURM_H

#include <stddef.h>
#include "core/ef_error.h"

typedef struct ef_slurm_opts {
    const char *stage;             /* "preprocess" or "embed" */
    int shards;                    /* N */
    const int *tasks;              /* the shards K (1..N) to run, ascending; NULL: all */
    size_t ntasks;
    int max_running;               /* array tasks at once (%M); 0: no limit */
    /* sbatch settings; NULL / 0: the cluster's default */
    const char *partition, *time, *mem, *account;
    int cpus;                      /* --cpus-per-task, and the stage's --jobs */
    const char *ecgfit;            /* absolute path of the program the tasks run */
    const char *project;           /* absolute project directory */
    char *const *stage_args;       /* further options of the stage, verbatim */
    size_t nstage_args;
    const char *log_dir;           /* absolute: the tasks' and the merge's logs */
    const char *script_path;       /* where the script will be (for its header); NULL: unknown */
    const char *command;           /* the ecgfit command line that made it (for its header) */
} ef_slurm_opts;

/* The array job's script (a new string). */
char *ef_slurm_script(const ef_slurm_opts *o);

/* The --array value for the shards: "1-8", "2,5-6" (a new string; %M added). */
char *ef_slurm_array_spec(const ef_slurm_opts *o);

/* text quoted for a POSIX shell (a new string): 'it'\''s'. */
char *ef_slurm_shquote(const char *text);

/* How many items the stage would split: for preprocess the ECG files of
 * instance `instance` in ecg_dir (EF_EDATA when there are none), for embed
 * the ECGs of the store's /ecg (EF_ENOTFOUND before preprocess). */
int ef_slurm_items(const char *stage, const char *ecg_dir, int instance, const char *store_path, size_t *n,
                   ef_error *err);

/* The shards K of N whose part files are not complete yet, ascending, into
 * *k (new array, *nk of them): for preprocess the parts in DIR/ecg-data,
 * for embed those of embeddings emb_name.  A shard is complete when its
 * parts hold as many ECGs (done or failed) as its slice. */
int ef_slurm_pending(const char *project_dir, const char *stage, const char *emb_name, int n, int **k,
                     size_t *nk, ef_error *err);

/* Submit: `sbatch --parsable script_path` for the array (unless o->ntasks
 * is 0 with o->tasks set: nothing left to run), then the merge job
 * (`ecgfit -C PROJECT --wait merge`, afterok on the array, killed if the array
 * fails).  *array_id (NULL when no array was submitted) and *merge_id are
 * new strings.  sbatch is looked up on PATH; its error output is in the
 * message when it fails. */
int ef_slurm_submit(const ef_slurm_opts *o, char **array_id, char **merge_id, ef_error *err);

#endif
