/* ef_cardiosoft_int.h — internals of the CardioSoft reader shared by its two
 * translation units and the unit test: the streaming waveform tokenizer and
 * the scalar-text parsers. */
#ifndef EF_CARDIOSOFT_INT_H
#define EF_CARDIOSOFT_INT_H

#include <stddef.h>
#include <stdint.h>
#include "ecg/ef_cardiosoft.h"

/* ef_cs_read_mem without the FullDisclosure fast path: libxml2 parses the
 * whole document.  The reference that path must match (the unit test and
 * tests/fuzz/cardiosoft_diff_fuzz.c compare the two); not for callers. */
int ef_cs_read_mem_full(const char *buf, size_t len, const char *name, ef_cs_ecg *out,
                        ef_error *err);

/* Waveform text arrives from the XML parser in pieces that may split a
 * number anywhere; the tokenizer keeps its state between pieces.  Rule
 * (ukb-data.md §1.4): drop TAB, CR, LF and spaces, split on commas, ignore
 * empty tokens, each token is [+-]digits within int32. */
typedef struct ef_cs_tok {
    int32_t *v;           /* values (owned until taken) */
    size_t n, cap;
    uint64_t acc;         /* magnitude so far, saturated above 2^31 */
    int neg, in_tok, ndig, bad;
    long line;            /* line of the text being fed */
    long tok_line;        /* line where the current token started */
    char text[40];        /* the token's first characters, for messages */
    size_t tlen;
} ef_cs_tok;

enum { EF_CS_TOK_OK = 0, EF_CS_TOK_NOTINT = 1, EF_CS_TOK_RANGE = 2 };

/* Start a value list with room for CAP values; LINE is the line the text
 * starts on.  Reuses t->v when it is already allocated. */
void ef_cs_tok_begin(ef_cs_tok *t, size_t cap, long line);
/* Feed N bytes.  Returns EF_CS_TOK_OK, or the reason the token that ended in
 * this piece is bad (t->text and t->tok_line describe it). */
int ef_cs_tok_feed(ef_cs_tok *t, const char *s, size_t n);
/* End of the text: completes the last token (same returns as feed). */
int ef_cs_tok_end(ef_cs_tok *t);
/* Hand the values over (caller frees) and forget them. */
int32_t *ef_cs_tok_take(ef_cs_tok *t, size_t *n);
void ef_cs_tok_free(ef_cs_tok *t);

/* Trimmed decimal text ("500", "-12", "4.88"; no exponent) to double;
 * locale-independent.  0 on success, -1 when the text is not such a number.
 * Empty (after trimming) gives NaN and 0. */
int ef_cs_parse_real(const char *s, size_t n, double *out);
/* Trimmed integer text within long; -1 otherwise.  Empty gives -1 in *out
 * and returns 1. */
int ef_cs_parse_long(const char *s, size_t n, long *out);

#endif
