/* ef_str.h — small string helpers shared by the library and the front ends. */
#ifndef EF_STR_H
#define EF_STR_H

#include <stddef.h>
#include "core/ef_error.h"   /* EF_PRINTF */

/* A string that grows as text is appended: start from { 0 }; s is NULL
 * until something is added, then the caller's to free. */
typedef struct ef_strbuf {
    char *s;
    size_t len, cap;
} ef_strbuf;
/* Append printf-formatted text (the C library's vsnprintf). */
void ef_strbuf_printf(ef_strbuf *b, const char *fmt, ...) EF_PRINTF(2, 3);

/* Levenshtein distance, capped: strings longer than 64 bytes give 1000. */
size_t ef_edit_distance(const char *a, const char *b);
/* How far (edit distance) a candidate may be from a word of len bytes and
 * still be offered: 1 up to 2 bytes, else max(2, len/3).  The one threshold
 * of every "did you mean" and "closest" hint. */
size_t ef_suggest_limit(size_t len);
/* The one "did you mean": the candidate closest to word (within
 * ef_suggest_limit, or a candidate that word is a prefix of, or that
 * contains it when it has 3+ characters); NULL when none is close. */
const char *ef_suggest(const char *word, const char *const *cands, size_t n);

/* Copy s into buf for a one-line message: control characters become \n,
 * \r, \t or \xHH, and long text is cut to max bytes with "...". */
const char *ef_str_escape(const char *s, size_t max, char *buf, size_t size);

/* Strict decimal number: [+-]digits[.digits][(e|E)[+-]digits], or
 * [+-].digits...; no hex, inf, nan or spaces.  1 if s is one. */
int ef_is_decimal(const char *s);

#endif
