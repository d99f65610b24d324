/* ef_numpy.c — MT19937 and numpy's legacy permutation; numpy's pairwise
 * summation and sklearn's r2_score in numpy's summation order, so that
 * scores agree with GridSearchCV's to the last bits. */
#include "config.h"

#include "stats/ef_numpy.h"

#include <pthread.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_AVX2 1
#include <immintrin.h>
#define AVX2 __attribute__((target("avx2,popcnt")))
#endif

#define MT_N 624
#define MT_M 397

void ef_mt_seed(ef_mt19937 *s, uint32_t seed)
{
    s->key[0] = seed;
    for (int i = 1; i < MT_N; i++)
        s->key[i] = 1812433253u * (s->key[i - 1] ^ (s->key[i - 1] >> 30)) + (uint32_t)i;
    s->pos = MT_N;
}

/* The usual three loops: no index wraps (the bootstraps draw tens of
 * millions of numbers per `train`). */
#define MT_TWIST(a, b, m) ((m) ^ ((((a) & 0x80000000u) | ((b) & 0x7fffffffu)) >> 1) ^ (((b) & 1u) ? 0x9908b0dfu : 0u))

void ef_mt_refill(ef_mt19937 *s)
{
    uint32_t *k = s->key;
    int i;
    for (i = 0; i < MT_N - MT_M; i++)
        k[i] = MT_TWIST(k[i], k[i + 1], k[i + MT_M]);
    for (; i < MT_N - 1; i++)
        k[i] = MT_TWIST(k[i], k[i + 1], k[i + MT_M - MT_N]);
    k[MT_N - 1] = MT_TWIST(k[MT_N - 1], k[0], k[MT_M - 1]);
    s->pos = 0;
}

uint32_t ef_mt_next32(ef_mt19937 *s)
{
    if (s->pos == MT_N)
        ef_mt_refill(s);
    uint32_t y = s->key[s->pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

uint64_t ef_mt_next64(ef_mt19937 *s)
{
    uint64_t hi = ef_mt_next32(s);
    return hi << 32 | ef_mt_next32(s);
}

uint64_t ef_mt_interval(ef_mt19937 *s, uint64_t max)
{
    uint64_t mask = max, v;
    if (max == 0)
        return 0;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    if (max <= 0xffffffffu) {
        while ((v = (ef_mt_next32(s) & mask)) > max)
            ;
    } else {
        while ((v = (ef_mt_next64(s) & mask)) > max)
            ;
    }
    return v;
}

static inline uint32_t temper(uint32_t y)
{
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    return y ^ (y >> 18);
}

static uint32_t mask_of(uint32_t max)
{
    uint32_t mask = max;

    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    return mask | mask >> 16;
}

/* The accepted values of words from..624 of the block, without a branch per
 * word (half of them are rejected at random: a branch would mispredict). */
static size_t block_scalar(const uint32_t *k, int from, uint32_t mask, uint32_t max, uint32_t *out)
{
    size_t j = 0;

    for (int i = from; i < MT_N; i++) {
        uint32_t v = temper(k[i]) & mask;

        out[j] = v;
        j += v <= max;
    }
    return j;
}

#ifdef HAVE_AVX2
/* The bootstraps draw tens of millions of words per `train`: the refill,
 * the tempering and the rejection eight words at a time.  Integer
 * operations only, so the words are those of the scalar code. */
static uint32_t pack_lut[256];   /* kept lanes of an 8-bit mask, 3 bits per index */
static pthread_once_t pack_once = PTHREAD_ONCE_INIT;
static int have_avx2;

static void pack_init(void)
{
    for (unsigned b = 0; b < 256; b++) {
        uint32_t v = 0;
        int m = 0;

        for (int l = 0; l < 8; l++)
            if (b & (1u << l))
                v |= (uint32_t)l << (3 * m++);
        pack_lut[b] = v;
    }
    __builtin_cpu_init();
    have_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
}

#define TWIST8(a, b, m)                                                                                        \
    _mm256_xor_si256(                                                                                          \
        _mm256_xor_si256(m, _mm256_srli_epi32(_mm256_or_si256(_mm256_and_si256(a, up), _mm256_and_si256(b, lo)), 1)), \
        _mm256_and_si256(_mm256_cmpeq_epi32(_mm256_and_si256(b, one), one), mat))

AVX2 static void refill_avx2(uint32_t *k)
{
    const __m256i up = _mm256_set1_epi32((int)0x80000000u), lo = _mm256_set1_epi32(0x7fffffff);
    const __m256i one = _mm256_set1_epi32(1), mat = _mm256_set1_epi32((int)0x9908b0dfu);
    int i;

    /* words i + 1 and i + M are still the old ones up to N - M; past it
     * i + M - N was renewed at least 227 words before, never within a vector */
    for (i = 0; i + 8 <= MT_N - MT_M; i += 8) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(k + i)), b = _mm256_loadu_si256((const __m256i *)(k + i + 1));
        __m256i m = _mm256_loadu_si256((const __m256i *)(k + i + MT_M));
        _mm256_storeu_si256((__m256i *)(k + i), TWIST8(a, b, m));
    }
    for (; i < MT_N - MT_M; i++)
        k[i] = MT_TWIST(k[i], k[i + 1], k[i + MT_M]);
    for (; i + 8 <= MT_N - 1; i += 8) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(k + i)), b = _mm256_loadu_si256((const __m256i *)(k + i + 1));
        __m256i m = _mm256_loadu_si256((const __m256i *)(k + i + MT_M - MT_N));
        _mm256_storeu_si256((__m256i *)(k + i), TWIST8(a, b, m));
    }
    for (; i < MT_N - 1; i++)
        k[i] = MT_TWIST(k[i], k[i + 1], k[i + MT_M - MT_N]);
    k[MT_N - 1] = MT_TWIST(k[MT_N - 1], k[0], k[MT_M - 1]);
}

AVX2 static size_t block_avx2(uint32_t *k, uint32_t mask, uint32_t max, uint32_t *out)
{
    const __m256i b7 = _mm256_set1_epi32((int)0x9d2c5680u), b15 = _mm256_set1_epi32((int)0xefc60000u);
    const __m256i vm = _mm256_set1_epi32((int)mask), vmax = _mm256_set1_epi32((int)max);
    const __m256i shifts = _mm256_setr_epi32(0, 3, 6, 9, 12, 15, 18, 21), seven = _mm256_set1_epi32(7);
    size_t j = 0;

    refill_avx2(k);
    for (int i = 0; i < MT_N; i += 8) {   /* 624 = 78 x 8 */
        __m256i y = _mm256_loadu_si256((const __m256i *)(k + i));
        y = _mm256_xor_si256(y, _mm256_srli_epi32(y, 11));
        y = _mm256_xor_si256(y, _mm256_and_si256(_mm256_slli_epi32(y, 7), b7));
        y = _mm256_xor_si256(y, _mm256_and_si256(_mm256_slli_epi32(y, 15), b15));
        y = _mm256_xor_si256(y, _mm256_srli_epi32(y, 18));
        __m256i v = _mm256_and_si256(y, vm);
        __m256i keep = _mm256_cmpeq_epi32(_mm256_min_epu32(v, vmax), v);
        unsigned bits = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(keep));
        __m256i perm = _mm256_and_si256(_mm256_srlv_epi32(_mm256_set1_epi32((int)pack_lut[bits]), shifts), seven);

        _mm256_storeu_si256((__m256i *)(out + j), _mm256_permutevar8x32_epi32(v, perm));
        j += (size_t)__builtin_popcount(bits);
    }
    return j;
}
#endif

size_t ef_mt_interval_block(ef_mt19937 *s, uint32_t max, uint32_t *out)
{
    uint32_t mask = mask_of(max);
    size_t j;

    if (s->pos < MT_N) {   /* the rest of the current block */
        j = block_scalar(s->key, s->pos, mask, max, out);
        s->pos = MT_N;
        return j;
    }
#ifdef HAVE_AVX2
    pthread_once(&pack_once, pack_init);
    if (have_avx2)
        return block_avx2(s->key, mask, max, out);
#endif
    ef_mt_refill(s);
    j = block_scalar(s->key, 0, mask, max, out);
    s->pos = MT_N;
    return j;
}

void ef_np_permutation(uint32_t seed, size_t n, size_t *perm)
{
    ef_mt19937 s;
    ef_mt_seed(&s, seed);
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t i = n; i-- > 1;) {
        size_t j = (size_t)ef_mt_interval(&s, i), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}

/* numpy's pairwise_sum: blocks of at most 128 summed with 8 accumulators,
 * larger runs split in two at a multiple of 8. */
double ef_np_sum(const double *a, size_t n)
{
    if (n < 8) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += a[i];
        return s;
    }
    if (n <= 128) {
        double r[8];
        size_t i;
        for (int j = 0; j < 8; j++)
            r[j] = a[j];
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += a[i + j];
        double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            s += a[i];
        return s;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return ef_np_sum(a, n2) + ef_np_sum(a + n2, n - n2);
}

#define D(i) ((a[i] - (b ? b[i] : c)) * (a[i] - (b ? b[i] : c)))
#ifdef HAVE_AVX2
/* sq_sum's block of 8 <= n <= 128: its eight accumulators as two vectors of
 * four, each lane the same subtractions, products and additions in the
 * same order (no FMA), so the same bits.  The bootstraps' denominators and
 * every fold score go through here. */
AVX2 static double sq_block_avx2(const double *a, const double *b, double c, size_t n)
{
    __m256d cc = _mm256_set1_pd(c), d0, d1, r0, r1;
    double r[8], s;
    size_t i;

    d0 = _mm256_sub_pd(_mm256_loadu_pd(a), b ? _mm256_loadu_pd(b) : cc);
    d1 = _mm256_sub_pd(_mm256_loadu_pd(a + 4), b ? _mm256_loadu_pd(b + 4) : cc);
    r0 = _mm256_mul_pd(d0, d0);
    r1 = _mm256_mul_pd(d1, d1);
    for (i = 8; i < n - n % 8; i += 8) {
        d0 = _mm256_sub_pd(_mm256_loadu_pd(a + i), b ? _mm256_loadu_pd(b + i) : cc);
        d1 = _mm256_sub_pd(_mm256_loadu_pd(a + i + 4), b ? _mm256_loadu_pd(b + i + 4) : cc);
        r0 = _mm256_add_pd(r0, _mm256_mul_pd(d0, d0));
        r1 = _mm256_add_pd(r1, _mm256_mul_pd(d1, d1));
    }
    _mm256_storeu_pd(r, r0);
    _mm256_storeu_pd(r + 4, r1);
    s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++)
        s += D(i);
    return s;
}
#endif

/* Sum of squares of (a[i] - b[i]) (b NULL: of a[i] - c) in numpy's order,
 * without a temporary: the same recursion as ef_np_sum. */
static double sq_sum(const double *a, const double *b, double c, size_t n)
{
    if (n < 8) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++)
            s += D(i);
        return s;
    }
    if (n <= 128) {
        double r[8];
        size_t i;
#ifdef HAVE_AVX2
        if (__builtin_cpu_supports("avx2"))
            return sq_block_avx2(a, b, c, n);
#endif
        for (int j = 0; j < 8; j++)
            r[j] = D(j);
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += D(i + j);
        double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            s += D(i);
        return s;
    }
#undef D
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return sq_sum(a, b, c, n2) + sq_sum(a + n2, b ? b + n2 : NULL, c, n - n2);
}

double ef_np_sqdev(const double *a, double c, size_t n)
{
    return sq_sum(a, NULL, c, n);
}

double ef_r2_score(const double *y, const double *yhat, size_t n)
{
    double num = sq_sum(y, yhat, 0.0, n);
    double den = sq_sum(y, NULL, ef_np_sum(y, n) / (double)n, n);
    if (num == 0.0)
        return 1.0;
    if (den == 0.0)
        return 0.0;
    return 1.0 - num / den;
}
