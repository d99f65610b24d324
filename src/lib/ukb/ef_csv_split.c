/* ef_csv_split.c — finding row boundaries without parsing.
 *
 * In well-formed CSV a newline ends a row exactly when an even number of
 * quotes precedes it since the last boundary: "" escapes count twice and so
 * cancel.  Counting quotes is cheap (8 bytes at a time), which lets the
 * reading thread cut the file into blocks of whole rows that other threads
 * parse on their own.  A stray quote (x"y) breaks the rule; the parsers
 * notice it, and the reader then re-reads from that row with the exact but
 * slower lexer below (ef_csv_last_boundary_exact).
 */
#include "config.h"
#include "ukb/ef_csv_int.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

int ef_csv_quote_parity(const char *p, size_t n)
{
    const uint64_t ones = 0x0101010101010101ULL, high = ones << 7, low7 = ~high;
    const uint64_t pat = ones * (uint64_t)'"';
    uint64_t acc = 0;
    size_t i = 0;
    int par;

#ifdef __SSE2__
    {   /* 64 bytes at a time: each byte lane of acc16 keeps its quote parity */
        const __m128i q = _mm_set1_epi8('"');
        __m128i acc16 = _mm_setzero_si128();

        for (; i + 64 <= n; i += 64) {
            __m128i a = _mm_loadu_si128((const __m128i *)(p + i));
            __m128i b = _mm_loadu_si128((const __m128i *)(p + i + 16));
            __m128i c = _mm_loadu_si128((const __m128i *)(p + i + 32));
            __m128i d = _mm_loadu_si128((const __m128i *)(p + i + 48));

            acc16 = _mm_xor_si128(acc16, _mm_xor_si128(_mm_xor_si128(_mm_cmpeq_epi8(a, q), _mm_cmpeq_epi8(b, q)),
                                                       _mm_xor_si128(_mm_cmpeq_epi8(c, q), _mm_cmpeq_epi8(d, q))));
        }
        acc = (uint64_t)(__builtin_popcount((unsigned)_mm_movemask_epi8(acc16)) & 1) << 7;
    }
#endif

    /* SWAR: a byte of x is zero where the input byte is a quote; the high bit
     * of t is set for every nonzero byte, with no carries between bytes. */
    for (; i + 8 <= n; i += 8) {
        uint64_t w, x, t;

        memcpy(&w, p + i, 8);
        x = w ^ pat;
        t = ((x & low7) + low7) | x;
        acc ^= ~t & high;
    }
    acc ^= acc >> 32;
    acc ^= acc >> 16;
    acc ^= acc >> 8;
    par = (int)((acc >> 7) & 1);
    for (; i < n; i++)
        par ^= p[i] == '"';
    return par;
}

size_t ef_csv_last_boundary(const char *p, size_t n, int parity)
{
    int inq = parity;   /* quote state just after position i */
    size_t i = n;

    while (i > 0) {
        char c = p[--i];

        if (c == '"')
            inq ^= 1;
        else if (c == '\n' && !inq)
            return i + 1;
    }
    return (size_t)-1;
}

/* The exact lexer (RFC 4180 as libcsv reads it): a quote is special only at
 * the start of a cell; inside a quoted cell "" is an escape and any other
 * quote closes it.  Stray quotes elsewhere are data here (libcsv then
 * rejects the row), so they cannot swallow the lines that follow. */
enum { L_START, L_UNQ, L_QUO, L_QQ };

static int lex(int st, char c)
{
    switch (st) {
    case L_START:
        return c == '"' ? L_QUO : c == ',' ? L_START : L_UNQ;
    case L_UNQ:
        return c == ',' ? L_START : L_UNQ;
    case L_QUO:
        return c == '"' ? L_QQ : L_QUO;
    default:
        return c == '"' ? L_QUO : c == ',' ? L_START : L_UNQ;
    }
}

size_t ef_csv_record_end(const char *p, size_t n, size_t *nlf)
{
    int st = L_START;
    size_t i, lf = 0;

    for (i = 0; i < n; i++) {
        if (p[i] == '\n') {
            if (st != L_QUO)
                break;
            lf++;
        } else {
            st = lex(st, p[i]);
        }
    }
    if (nlf)
        *nlf = lf;
    return i;
}

size_t ef_csv_last_boundary_exact(const char *p, size_t n, int *inquote)
{
    int st = L_START;
    size_t i, cut = (size_t)-1;

    for (i = 0; i < n; i++) {
        if (p[i] == '\n') {
            if (st != L_QUO) {
                cut = i + 1;
                st = L_START;
            }
        } else {
            st = lex(st, p[i]);
        }
    }
    *inquote = st == L_QUO;
    return cut;
}

size_t ef_csv_open_quote(const char *p, size_t n, size_t *col)
{
    int inq = 0;
    size_t i, open = 0, c = 0, open_col = 0;

    for (i = 0; i < n; i++) {
        if (p[i] == '"') {
            if (!inq) {
                open = i;
                open_col = c;
                inq = 1;
            } else if (i + 1 < n && p[i + 1] == '"') {
                i++;    /* "" escape: still inside */
            } else {
                inq = 0;
            }
        } else if (!inq && p[i] == ',') {
            c++;
        } else if (!inq && p[i] == '\n') {
            c = 0;
        }
    }
    if (col)
        *col = open_col;
    return open;
}

size_t ef_csv_count_lf(const char *p, size_t n)
{
    const char *end = p + n;
    size_t k = 0;

    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        k++;
        p++;
    }
    return k;
}
