/* ef_error.h — status codes and the error record every library call fills.
 *
 * Library functions that can fail return an int status (EF_OK or an EF_E*
 * code) and describe the failure in an ef_error the caller passes (NULL is
 * allowed).  The record has fixed-size buffers so that reporting an error
 * never allocates.  The library never prints: front ends format the record.
 */
#ifndef EF_ERROR_H
#define EF_ERROR_H

#include <stddef.h>

enum ef_status {
    EF_OK = 0,
    EF_CONTINUE = 1,      /* not an error: a steppable job has more work */
    EF_DONE = 2,          /* not an error: an iterator is exhausted */
    EF_EIO = -1,          /* a file could not be opened, read or written */
    EF_EPARSE = -2,       /* malformed input: bad quoting, bad number, ... */
    EF_EINVAL = -3,       /* bad argument or option value */
    EF_ENOTFOUND = -4,    /* a requested column, field, file or object is absent */
    EF_EDATA = -5,        /* input is well-formed but unusable (empty, inconsistent) */
    EF_ENOMEM = -6,
    EF_EUNSUP = -7,       /* not supported by this build or format */
    EF_ECANCELED = -8,    /* a job was cancelled */
    EF_EBUSY = -9,        /* another writer is updating the store (ef_store_begin) */
    EF_EUSAGE = -10       /* the command line is wrong (a front end shows its help hint) */
};

#define EF_ERROR_MSG_MAX 1024
#define EF_ERROR_PATH_MAX 512

typedef struct ef_error {
    int code;                        /* EF_OK when nothing went wrong */
    char file[EF_ERROR_PATH_MAX];    /* input file the error is about, or "" */
    long line;                       /* 1-based line in that file, or 0 */
    long column;                     /* 1-based column (CSV column or byte), or 0 */
    char msg[EF_ERROR_MSG_MAX];
} ef_error;

#if defined(__GNUC__)
#define EF_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define EF_PRINTF(a, b)
#endif

/* Reset to "no error". */
void ef_error_clear(ef_error *err);

/* Record CODE and a printf-style message; returns CODE so that callers can
 * write `return ef_error_set(err, EF_EIO, "...")`.  The location is left as it
 * was (see ef_error_at). */
int ef_error_set(ef_error *err, int code, const char *fmt, ...) EF_PRINTF(3, 4);

/* Like ef_error_set, with the input location the error is about. */
int ef_error_set_at(ef_error *err, int code, const char *file, long line, long column,
                    const char *fmt, ...) EF_PRINTF(6, 7);

/* Short name of a status code ("I/O error", "parse error", ...). */
const char *ef_strerror(int code);

/* Format as "FILE:LINE: message" (or "FILE: message", or "message") into buf. */
const char *ef_error_format(const ef_error *err, char *buf, size_t size);

#endif
