/* ef_csv_int.h — internals shared by the CSV reader's files (not public).
 *
 * Data flow: the reading thread cuts the file into blocks of whole rows
 * (ef_csv_split.c finds the cut exactly with a quote-parity scan), each
 * block is parsed by one thread (ef_csv_parse.c) into per-row cell offsets,
 * and ef_csv_next hands out the rows block by block in file order
 * (ef_csv.c).  Cells are NUL-terminated in place inside the block buffer,
 * so delivering a row copies nothing.
 */
#ifndef EF_CSV_INT_H
#define EF_CSV_INT_H

#include <csv.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ef_error.h"

/* Largest block (hence longest row) the reader accepts; offsets fit uint32. */
#define EF_CSV_MAX_BLOCK ((size_t)1 << 30)
#define EF_CSV_ROWERR_MSG 320

/* What the parsers need to know about the header and the selection;
 * read-only once rows are being read. */
typedef struct ef_csv_layout {
    size_t ncols;
    char **names;
    size_t nuniq;          /* selected columns, sorted, without repeats */
    size_t *uniq;
    int libcsv_only;
    int scan;              /* EF_CSV_SCAN_*: the vector row scanner to use */
    int numbers;           /* convert the selected cells (ef_csv_number) */
} ef_csv_layout;

typedef struct ef_csv_rowerr {
    int code;
    long line;             /* relative to the block's first line (0-based) */
    long column;           /* 1-based CSV column, or 0 */
    char msg[EF_CSV_ROWERR_MSG];
} ef_csv_rowerr;

enum { EF_CSV_BLK_FREE, EF_CSV_BLK_FILLED, EF_CSV_BLK_PARSING, EF_CSV_BLK_PARSED };

typedef struct ef_csv_block {
    char *buf;             /* len bytes of whole rows (the last byte is '\n'),
                            * then tail_len bytes of an unfinishable row */
    size_t len, cap, tail_len;
    uint64_t file_off;     /* file offset of buf[0] */
    long seq;
    int state;             /* EF_CSV_BLK_*, under the reader's mutex when threaded */
    int last;              /* no block follows this one */
    int exact;             /* cut by the exact lexer (after a stray quote) */
    /* Set when the quote-parity cut proved wrong: rows stop at resync_off
     * (resync_lf newlines into buf), and the reader re-reads from there
     * with exact cuts.  resync_tail: the same at len, for an odd quote
     * count at end of file or an overlong row. */
    int resync, resync_tail;
    size_t resync_off, resync_lf;
    /* A condition met after the rows (EF_EIO, EF_EPARSE for an unterminated
     * quote, EF_EDATA for a too-long row), reported once they are consumed. */
    int tail_code;
    size_t tail_quote;     /* unterminated quote: its offset in buf, and */
    long tail_column;      /* its CSV column */
    char tail_msg[EF_CSV_ROWERR_MSG];

    /* Parse results. */
    size_t nrows, rows_cap;
    uint32_t *row_line;    /* line of the row start, relative to buf[0] */
    uint32_t *row_end;     /* offset just past the row */
    int32_t *row_err;      /* index into errs, or -1 */
    uint32_t *cell_off;    /* nrows * nuniq cell offsets in buf ... */
    uint32_t *cell_len;    /* ... and lengths */
    double *cell_num;      /* with numbers: the cells' values ... */
    unsigned char *cell_kind;   /* ... and EF_CSV_NUM_* */
    size_t cells_cap;
    ef_csv_rowerr *errs;
    size_t nerrs, errs_cap;
    size_t nlf;            /* newlines in buf[0, len) */
} ef_csv_block;

/* ef_csv_scan.c: the vector path of the block scanner.  A scan function
 * takes the row at base[start] (bytes up to base[limit) readable) and
 * returns 1 when it is regular, with the selected cells' offsets, lengths
 * and "" flags, *next just past the row and *nlf its newlines, as fast_row
 * would give them; 0 sends the row to fast_row. */
typedef int (*ef_csv_scan_fn)(const ef_csv_layout *lay, const char *base, size_t start,
                              size_t limit, uint32_t *off, uint32_t *len, unsigned char *esc,
                              size_t *next, size_t *nlf);
enum { EF_CSV_SCAN_BEST, EF_CSV_SCAN_NONE, EF_CSV_SCAN_SWAR, EF_CSV_SCAN_SSE2 };
/* The scanner for KIND: BEST picks the CPU's (AVX2, SSE2 or SWAR), NONE
 * gives NULL (fast_row for every row), SWAR the portable one, SSE2 that one
 * on x86-64 (elsewhere the best). */
ef_csv_scan_fn ef_csv_scanner(int kind);

/* Per-thread parsing state. */
typedef struct ef_csv_parser {
    const ef_csv_layout *lay;
    ef_csv_scan_fn scan;   /* NULL: fast_row alone */
    struct csv_parser lp;
    int lp_live;
    uint32_t *off, *len;   /* nuniq scratch cells of the current row */
    unsigned char *esc;    /* cell holds "" escapes still to undo */
    char *arena;           /* libcsv path: selected cells of the current row */
    size_t arena_len, arena_cap;
} ef_csv_parser;

/* ef_csv_split.c: quote-parity helpers.  Every function assumes P starts
 * outside quotes (at a row boundary). */
int ef_csv_quote_parity(const char *p, size_t n);
/* Offset just past the last '\n' that lies outside quotes, given the quote
 * parity of all of P; (size_t)-1 when there is none. */
size_t ef_csv_last_boundary(const char *p, size_t n, int parity);
/* Offset of the '\n' that ends the record starting at P (n if none), by the
 * exact lexer; *nlf gets the quoted newlines before it. */
size_t ef_csv_record_end(const char *p, size_t n, size_t *nlf);
/* Like ef_csv_last_boundary, by the exact lexer; *inquote is set when P ends
 * inside a quoted cell. */
size_t ef_csv_last_boundary_exact(const char *p, size_t n, int *inquote);
/* P ends inside quotes: offset of the quote that opened the unclosed cell,
 * and that cell's 0-based column. */
size_t ef_csv_open_quote(const char *p, size_t n, size_t *col);
size_t ef_csv_count_lf(const char *p, size_t n);

/* ef_csv_parse.c */
void ef_csv_parser_init(ef_csv_parser *ps, const ef_csv_layout *lay);
void ef_csv_parser_fini(ef_csv_parser *ps);
/* Parse the rows of B (fills the parse results). */
void ef_csv_parse_block(ef_csv_parser *ps, ef_csv_block *b);
void ef_csv_block_free(ef_csv_block *b);
/* Split one header record REC[0, n) (no line terminator) into newly
 * allocated names.  On failure returns EF_EPARSE and fills *e (line relative
 * to the record's first line). */
int ef_csv_parse_header(const char *rec, size_t n, char ***names, size_t *ncols,
                        ef_csv_rowerr *e);

#endif
