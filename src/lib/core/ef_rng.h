/* ef_rng.h — a small deterministic random number generator.
 *
 * xoshiro256** (Blackman & Vigna) seeded through splitmix64, with the few
 * distributions the synthetic data generators need.  Everything is plain
 * integer arithmetic plus IEEE sqrt, log and exp, so a seed gives the same
 * stream on every platform (log and exp are the only libm calls; their
 * last-bit differences between C libraries are far below the precision the
 * generators print).
 * Independent streams come from ef_rng_seed2(seed, stream): generators give
 * each participant / ECG its own stream so that records do not depend on
 * each other's number of draws.
 */
#ifndef EF_RNG_H
#define EF_RNG_H

#include <stddef.h>
#include <stdint.h>

typedef struct ef_rng {
    uint64_t s[4];
    double spare;        /* second normal deviate of the polar method */
    int has_spare;
} ef_rng;

/* One splitmix64 step: advances *state and returns a well-mixed word. */
uint64_t ef_splitmix64(uint64_t *state);

void ef_rng_seed(ef_rng *r, uint64_t seed);
/* A stream keyed by (seed, stream): e.g. (user seed, participant index). */
void ef_rng_seed2(ef_rng *r, uint64_t seed, uint64_t stream);

uint64_t ef_rng_next(ef_rng *r);
/* Uniform on [0, 1) with 53 random bits. */
double ef_rng_uniform(ef_rng *r);
/* Uniform on [a, b). */
double ef_rng_uniform_range(ef_rng *r, double a, double b);
/* Uniform integer on [0, n); n > 0; unbiased. */
uint64_t ef_rng_below(ef_rng *r, uint64_t n);
/* Standard normal (Marsaglia polar method). */
double ef_rng_normal(ef_rng *r);
/* Normal with the given mean and standard deviation. */
double ef_rng_gauss(ef_rng *r, double mean, double sd);
/* exp(N(mu, sigma)). */
double ef_rng_lognormal(ef_rng *r, double mu, double sigma);
/* 1 with probability p, else 0. */
int ef_rng_bernoulli(ef_rng *r, double p);
/* Index drawn with probability w[i] / sum(w); weights >= 0, sum > 0. */
size_t ef_rng_categorical(ef_rng *r, const double *w, size_t k);

#endif
