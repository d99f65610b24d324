/* ef_csv.h — streaming reader for the UK Biobank main CSV.
 *
 * The file is read in bounded memory (a few MB whatever its size) and only
 * the selected columns are extracted.  Both dialects are accepted: ukbconv
 * ("eid","31-0.0",... every cell quoted) and RAP exports (participant.eid,
 * p21003_i2, minimal quoting), with CRLF or LF line ends, an optional UTF-8
 * BOM, quoted commas and newlines, "" escapes and unquoted cells.  Blank
 * lines are skipped.
 *
 * libcsv is the parser of record: the header and every row that is not
 * plain RFC 4180 go through it.  Well-formed rows take hand-written fast
 * paths (a vector scanner, 64 bytes at a time, then a byte loop for what it
 * declines) that give the same cells (the unit tests check this on
 * generated files).  With threads >= 2, row boundaries are found exactly by a quote
 * parity scan and blocks of rows are parsed on worker threads; rows are
 * still returned in file order.
 */
#ifndef EF_CSV_H
#define EF_CSV_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"

typedef struct ef_csv ef_csv;

typedef struct ef_csv_opts {
    int threads;         /* 0 or 1: single-threaded; 2+: parse on N threads of pool */
    int libcsv_only;     /* nonzero: parse every row with libcsv (slower; for validation) */
    size_t block_bytes;  /* bytes read per block; 0 = default (2 MiB).  Small values
                          * exercise block boundaries in tests. */
    struct ef_pool *pool; /* the job's threads (core/ef_pool.h); NULL: a pool of its own */
    int scan;            /* 0: the CPU's vector row scanner; 1: none (the byte loop
                          * alone); 2: the portable one; 3: SSE2.  Tests compare them. */
    int numbers;         /* nonzero: the parsing threads also convert the selected
                          * cells that ef_csv_number takes (row->num, row->kind) */
} ef_csv_opts;

/* Open PATH and read its header.  Errors: missing or unreadable file
 * (EF_EIO), empty file (EF_EDATA), malformed header (EF_EPARSE).  On failure
 * *out is NULL. */
int ef_csv_open(ef_csv **out, const char *path, const ef_csv_opts *opts, ef_error *err);

size_t ef_csv_ncols(const ef_csv *r);
/* Header name of column I (BOM stripped); borrowed, valid until close. */
const char *ef_csv_colname(const ef_csv *r, size_t i);
/* Index of the first column named exactly NAME, or -1. */
long ef_csv_find(const ef_csv *r, const char *name);
/* Header line number (1-based; > 1 when blank lines precede it). */
long ef_csv_header_line(const ef_csv *r);

/* Choose the columns rows return, in this order (repeats allowed).  Must be
 * called before the first ef_csv_next; without it every column is returned.
 * Errors: index out of range or called too late (EF_EINVAL). */
int ef_csv_select(ef_csv *r, const size_t *cols, size_t n, ef_error *err);

typedef struct ef_csv_row {
    size_t n;                  /* number of selected cells */
    const char *const *cell;   /* cell[k] = text of selected column k, NUL-terminated, "" if empty */
    const size_t *len;         /* byte lengths */
    long line;                 /* physical line number (1-based) where the row starts */
    /* With opts.numbers: kind[k] is EF_CSV_NUM_* and num[k] the value of
     * cell k, as ef_csv_number gives them; otherwise both NULL. */
    const double *num;
    const unsigned char *kind;
} ef_csv_row;

enum {
    EF_CSV_NUM_TEXT,   /* not converted: parse cell[k] yourself */
    EF_CSV_NUM_REAL,   /* num[k] holds the value (NaN for an empty cell) */
    EF_CSV_NUM_INT     /* the same, and the text is an integer ("-12", "1001") */
};

/* The common numeric cells in one pass over their known length: empty (NaN),
 * or a plain decimal of at most 15 digits, no exponent and no spaces (m /
 * 10^k with both exact doubles: the correctly rounded value, what strtod
 * returns).  Returns EF_CSV_NUM_REAL, or EF_CSV_NUM_INT for an unsigned or
 * '-' integer, with *v; EF_CSV_NUM_TEXT for anything else ("NA", exponents,
 * long digit strings, words), which the caller parses itself. */
int ef_csv_number(const char *s, size_t n, double *v);

/* Next data row.  EF_OK: *row is valid until the next call on R.
 * EF_DONE: end of file.  A bad row (ragged, malformed quoting, NUL byte)
 * returns EF_EPARSE with file, line and column in ERR; the row is skipped
 * and the following call goes on with the next row.  When reading cannot go
 * on (I/O error, unterminated quote at end of file, absurdly long line) the
 * error is returned once, then EF_DONE, and ef_csv_failed() is true. */
int ef_csv_next(ef_csv *r, ef_csv_row *row, ef_error *err);
int ef_csv_failed(const ef_csv *r);

/* Progress: bytes of the file up to the end of the last row returned, and
 * the file size (0 when unknown, e.g. a pipe). */
uint64_t ef_csv_bytes_read(const ef_csv *r);
uint64_t ef_csv_bytes_total(const ef_csv *r);
/* Data rows returned so far (EF_OK results). */
long ef_csv_rows(const ef_csv *r);

/* Waits for the parses under way and frees everything; NULL is allowed. */
void ef_csv_close(ef_csv *r);

#endif
