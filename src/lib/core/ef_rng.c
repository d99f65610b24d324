/* ef_rng.c — xoshiro256** with splitmix64 seeding (see ef_rng.h). */
#include "config.h"
#include "ef_rng.h"

#include <math.h>

uint64_t ef_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

void ef_rng_seed(ef_rng *r, uint64_t seed)
{
    uint64_t sm = seed;

    /* splitmix64 never yields four zero words in a row, so the state is valid */
    for (int i = 0; i < 4; i++)
        r->s[i] = ef_splitmix64(&sm);
    r->spare = 0.0;
    r->has_spare = 0;
}

void ef_rng_seed2(ef_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t sm = stream;

    /* Mix the stream id before combining so that nearby (seed, stream)
     * pairs do not give related states. */
    ef_rng_seed(r, seed ^ ef_splitmix64(&sm));
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t ef_rng_next(ef_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double ef_rng_uniform(ef_rng *r)
{
    return (double)(ef_rng_next(r) >> 11) * 0x1.0p-53;
}

double ef_rng_uniform_range(ef_rng *r, double a, double b)
{
    return a + (b - a) * ef_rng_uniform(r);
}

uint64_t ef_rng_below(ef_rng *r, uint64_t n)
{
    /* Rejection on the top of the range keeps the draw unbiased. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;

    do
        x = ef_rng_next(r);
    while (x >= limit);
    return x % n;
}

double ef_rng_normal(ef_rng *r)
{
    double u, v, q, f;

    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    do {
        u = 2.0 * ef_rng_uniform(r) - 1.0;
        v = 2.0 * ef_rng_uniform(r) - 1.0;
        q = u * u + v * v;
    } while (q >= 1.0 || q == 0.0);
    f = sqrt(-2.0 * log(q) / q);
    r->spare = v * f;
    r->has_spare = 1;
    return u * f;
}

double ef_rng_gauss(ef_rng *r, double mean, double sd)
{
    return mean + sd * ef_rng_normal(r);
}

double ef_rng_lognormal(ef_rng *r, double mu, double sigma)
{
    return exp(mu + sigma * ef_rng_normal(r));
}

int ef_rng_bernoulli(ef_rng *r, double p)
{
    return ef_rng_uniform(r) < p;
}

size_t ef_rng_categorical(ef_rng *r, const double *w, size_t k)
{
    double total = 0.0, x;
    size_t i;

    for (i = 0; i < k; i++)
        total += w[i];
    x = ef_rng_uniform(r) * total;
    for (i = 0; i + 1 < k; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return k - 1;
}
