/* ef_project.h — the project directory and its config, <dir>/ecgfit.ini.
 *
 * A small INI file that `ecgfit init` writes and users may edit:
 *
 *   # ecgfit project (written by `ecgfit init`; edit freely)
 *   [project]
 *   main_csv = ../data/ukb679928.csv   ; relative to the project directory
 *   ecg_dir = ../data/20205
 *   encoder = models/PCLR.h5           ; optional
 *   fields_file =                      ; optional registry override
 *
 * Syntax: '#' or ';' starts a comment at the start of a line, or after
 * whitespace inside a value; a value may be written in double quotes (with
 * \" and \\ escapes) to hold those characters; an empty value means unset.
 * Unknown sections and keys are errors (a typo must not be ignored).
 *
 * Paths are stored relative to the project directory when that is possible
 * (both given relative to the current directory, or sharing a leading
 * directory), so that a project and its data can move together. */
#ifndef EF_PROJECT_H
#define EF_PROJECT_H

#include "core/ef_error.h"

#define EF_PROJECT_CONFIG "ecgfit.ini"
#define EF_PROJECT_STORE "ecgfit.h5"

typedef struct ef_project {
    char *dir;            /* project directory as given */
    /* Resolved paths (relative to the current directory, or absolute); NULL
     * when unset. */
    char *main_csv, *ecg_dir, *encoder, *fields_file;
    char *store_path;     /* <dir>/ecgfit.h5 */
    char *config_path;    /* <dir>/ecgfit.ini */
} ef_project;

/* Create dir if needed (mkdir -p) and write <dir>/ecgfit.ini atomically.
 * Any path may be NULL (left unset).  Refuses (EF_EINVAL) to replace an
 * existing ecgfit.ini unless force. */
int ef_project_init(const char *dir, const char *main_csv, const char *ecg_dir,
                    const char *encoder, int force, ef_error *err);

/* Read <dir>/ecgfit.ini.  EF_ENOTFOUND "<dir>: not an ecgfit project ..."
 * when it is absent; EF_EPARSE errors name "<dir>/ecgfit.ini" and the line.
 * On failure *p is left zeroed (ef_project_fini is still safe). */
int ef_project_load(ef_project *p, const char *dir, ef_error *err);
void ef_project_fini(ef_project *p);

/* Set one key ("main_csv", "ecg_dir", "encoder", "fields_file") and rewrite
 * the file atomically, keeping its comments and layout.  value is a path as
 * the user typed it (relative to the current directory, or absolute); NULL
 * or "" unsets the key.  EF_EINVAL for an unknown key. */
int ef_project_set(const char *dir, const char *key, const char *value, ef_error *err);

/* The path to store for target in a config living in dir (see above): a new
 * string.  Exposed for tests and for front ends that echo what init wrote. */
char *ef_project_relpath(const char *dir, const char *target);

#endif
