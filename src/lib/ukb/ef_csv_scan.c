/* ef_csv_scan.c — the block scanner's vector path: a whole regular row,
 * 64 bytes at a time.
 *
 * Each 64-byte chunk becomes bit masks (quote, comma, LF, CR, NUL); the
 * prefix XOR of the quote mask marks the bytes inside quotes ("" escapes
 * toggle twice and cancel), so the separators are the commas and the LF
 * outside quotes, and popcount skips the unselected cells of a chunk at once
 * instead of walking them byte by byte (ukbconv files have ~1,100 short
 * cells a row, labels reads ~60).
 *
 * The masks also prove the row regular, as fast_row (ef_csv_parse.c) would
 * accept it: every opening quote starts a cell (follows a separator, the row
 * start, or a closing quote: a "" escape), every closing quote is followed
 * by a comma, LF, CR or an opening quote, every CR outside quotes by an LF,
 * no NUL, and as many cells as the header.  Anything else returns 0 and the
 * caller parses the row with fast_row, which decides (and names errors)
 * exactly as before: this path only ever accepts rows fast_row accepts, and
 * gives the same cells.
 *
 * Masks come from SSE2 (always there on x86-64), AVX2 when the CPU has it
 * (chosen at run time), or portable SWAR elsewhere; the row logic is the
 * same code for all three (ef_csv_scan_body.h).
 */
#include "config.h"
#include "ukb/ef_csv_int.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define EF_SCAN_X86 1
#include <immintrin.h>
#endif

typedef struct masks {
    uint64_t q, c, lf, cr, nul;
} masks;

static uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* The cell base[s, e) (e: its separator, or the CR of a CRLF) as fast_row
 * notes it: a quoted cell without its quotes, flagged when it holds "". */
static inline void note_cell(const char *base, size_t s, size_t e, uint32_t *off, uint32_t *len,
                             unsigned char *esc)
{
    if (e > s && base[s] == '"') {
        *off = (uint32_t)(s + 1);
        *len = (uint32_t)(e - s - 2);
        *esc = *len && memchr(base + s + 1, '"', *len) != NULL;
    } else {
        *off = (uint32_t)s;
        *len = (uint32_t)(e - s);
        *esc = 0;
    }
}

/* Portable: eight bytes at a time, a byte's bit set where it equals C. */
static inline uint64_t swar_eq8(uint64_t w, unsigned char c)
{
    const uint64_t ones = 0x0101010101010101ULL, high = ones << 7, low7 = ~high;
    uint64_t x = w ^ (ones * c), t = ((x & low7) + low7) | x;

    /* high bit of each byte set where the byte equals c; gather the 8 bits */
    return (((~t & high) >> 7) * 0x0102040810204080ULL) >> 56;
}

static inline void load_swar(const unsigned char *p, masks *m)
{
    int i;

    memset(m, 0, sizeof *m);
    for (i = 0; i < 8; i++) {
        uint64_t w;

        memcpy(&w, p + 8 * i, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w = __builtin_bswap64(w);
#endif
        m->q |= swar_eq8(w, '"') << (8 * i);
        m->c |= swar_eq8(w, ',') << (8 * i);
        m->lf |= swar_eq8(w, '\n') << (8 * i);
        m->cr |= swar_eq8(w, '\r') << (8 * i);
        m->nul |= swar_eq8(w, 0) << (8 * i);
    }
}

#define SCAN_NAME scan_row_swar
#define SCAN_LOAD load_swar
#define SCAN_ATTR
#include "ukb/ef_csv_scan_body.h"
#undef SCAN_NAME
#undef SCAN_LOAD
#undef SCAN_ATTR

#ifdef EF_SCAN_X86
static inline uint64_t sse_eq(__m128i a, __m128i b, __m128i c, __m128i d, __m128i k)
{
    return (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, k))
           | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, k)) << 16
           | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(c, k)) << 32
           | (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(d, k)) << 48;
}

static inline void load_sse2(const unsigned char *p, masks *m)
{
    __m128i a = _mm_loadu_si128((const __m128i *)p), b = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(p + 32)), d = _mm_loadu_si128((const __m128i *)(p + 48));

    m->q = sse_eq(a, b, c, d, _mm_set1_epi8('"'));
    m->c = sse_eq(a, b, c, d, _mm_set1_epi8(','));
    m->lf = sse_eq(a, b, c, d, _mm_set1_epi8('\n'));
    m->cr = sse_eq(a, b, c, d, _mm_set1_epi8('\r'));
    m->nul = sse_eq(a, b, c, d, _mm_setzero_si128());
}

#define SCAN_NAME scan_row_sse2
#define SCAN_LOAD load_sse2
#define SCAN_ATTR
#include "ukb/ef_csv_scan_body.h"
#undef SCAN_NAME
#undef SCAN_LOAD
#undef SCAN_ATTR

__attribute__((target("avx2"))) static inline uint64_t avx_eq(__m256i a, __m256i b, __m256i k)
{
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, k))
           | (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, k)) << 32;
}

__attribute__((target("avx2"))) static inline void load_avx2(const unsigned char *p, masks *m)
{
    __m256i a = _mm256_loadu_si256((const __m256i *)p), b = _mm256_loadu_si256((const __m256i *)(p + 32));

    m->q = avx_eq(a, b, _mm256_set1_epi8('"'));
    m->c = avx_eq(a, b, _mm256_set1_epi8(','));
    m->lf = avx_eq(a, b, _mm256_set1_epi8('\n'));
    m->cr = avx_eq(a, b, _mm256_set1_epi8('\r'));
    m->nul = avx_eq(a, b, _mm256_setzero_si256());
}

#define SCAN_NAME scan_row_avx2
#define SCAN_LOAD load_avx2
#define SCAN_ATTR __attribute__((target("avx2,popcnt,bmi")))
#include "ukb/ef_csv_scan_body.h"
#undef SCAN_NAME
#undef SCAN_LOAD
#undef SCAN_ATTR
#endif

ef_csv_scan_fn ef_csv_scanner(int kind)
{
    switch (kind) {
    case EF_CSV_SCAN_NONE:
        return NULL;
    case EF_CSV_SCAN_SWAR:
        return scan_row_swar;
#ifdef EF_SCAN_X86
    case EF_CSV_SCAN_SSE2:
        return scan_row_sse2;
#endif
    default:
        break;
    }
#ifdef EF_SCAN_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi")
        && __builtin_cpu_supports("popcnt"))
        return scan_row_avx2;
    return scan_row_sse2;
#else
    return scan_row_swar;
#endif
}
