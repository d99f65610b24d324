/* test_resample.c — ef_resample_linear against numpy bit for bit, and the
 * seed's whole arithmetic (text -> float32 -> interp -> /1000, and * 5 for
 * mv) against ef_preprocess.  Inputs are written here as raw float32 or as
 * waveform text, tests/parity/resample_numpy.py computes numpy's answer
 * ($PYTHON3, Debian's python3 with numpy), and the outputs are compared with
 * memcmp.  Skipped when numpy is missing. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "ecg/ef_preprocess.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)  /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static double unif(void)
{
    return (double)(rng() >> 11) * 0x1p-53;
}

enum kind { K_COUNTS, K_UNIT, K_BITS, K_BIG, K_SPARSE, K_SPECIAL, NKINDS };
static const char *const kind_name[NKINDS] = {
    "ECG-like counts", "uniform [-1,1)", "random bits (all exponents)", "large +-1e30",
    "mostly zeros", "with inf/nan",
};

static float from_bits(uint32_t b)
{
    float f;

    memcpy(&f, &b, sizeof f);
    return f;
}

static void fill(float *x, size_t n, int kind)
{
    double walk = 0;

    for (size_t i = 0; i < n; i++) {
        switch (kind) {
        case K_COUNTS:   /* a random walk of integers, as ADC counts */
            walk += (double)((int)(rng() % 41) - 20);
            x[i] = (float)walk;
            break;
        case K_UNIT:
            x[i] = (float)(2 * unif() - 1);
            break;
        case K_BITS: {  /* any sign, exponent 1..254: finite, no denormals */
            uint32_t b = (uint32_t)rng();
            uint32_t e = 1 + (uint32_t)(rng() % 254);

            x[i] = from_bits((b & 0x807fffffu) | (e << 23));
            break;
        }
        case K_BIG:
            x[i] = (float)((2 * unif() - 1) * 1e30);
            break;
        case K_SPARSE:
            x[i] = rng() % 7 == 0 ? (float)(unif() * 1000 - 500) : (rng() % 2 ? 0.0f : -0.0f);
            break;
        default:
            x[i] = (float)(2 * unif() - 1);
            if (rng() % 50 == 0)
                x[i] = rng() % 2 ? INFINITY : -INFINITY;
            else if (rng() % 80 == 0)
                x[i] = NAN;
            break;
        }
    }
    if (kind == K_SPECIAL && n > 3) {
        x[1] = x[2] = INFINITY;   /* inf - inf: numpy's flat-segment fallback */
    }
}

static int write_raw(const char *path, const void *p, size_t bytes)
{
    FILE *f = fopen(path, "wb");
    int ok_ = f && fwrite(p, 1, bytes, f) == bytes;

    if (f && fclose(f) != 0)
        ok_ = 0;
    return ok_;
}

static float *read_raw(const char *path, size_t n)
{
    FILE *f = fopen(path, "rb");
    float *p = ef_xmalloc((n ? n : 1) * sizeof *p);
    size_t got = f ? fread(p, sizeof *p, n, f) : 0;

    if (f)
        fclose(f);
    if (got != n) {
        free(p);
        return NULL;
    }
    return p;
}

/* Waveform text as in StripData: 301 values on the first line, then 300, each
 * break ",\r\n\t\t", leading tabs. */
static int write_wave_text(const char *path, const int32_t *v, size_t n)
{
    FILE *f = fopen(path, "w");

    if (!f)
        return 0;
    fputs("\t\t", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%ld", (long)v[i]);
        if (i + 1 < n)
            fputs(i == 300 || (i > 300 && (i - 300) % 300 == 0) ? ",\r\n\t\t" : ",", f);
    }
    return fclose(f) == 0;
}

struct icase {
    size_t n, m;
    int kind;
    float *x;
    char in[600], out[600];
};

#define MAXCASES 512
static struct icase cases[MAXCASES];
static size_t ncases;

static void add_case(FILE *manifest, const char *dir, size_t n, size_t m, int kind)
{
    struct icase *c = &cases[ncases];

    c->n = n, c->m = m, c->kind = kind;
    c->x = ef_xmalloc(n * sizeof *c->x);
    fill(c->x, n, kind);
    snprintf(c->in, sizeof c->in, "%s/in%zu.f32", dir, ncases);
    snprintf(c->out, sizeof c->out, "%s/out%zu.f32", dir, ncases);
    if (!write_raw(c->in, c->x, n * sizeof *c->x))
        diag("cannot write %s", c->in);
    fprintf(manifest, "interp %zu %zu %s %s\n", n, m, c->in, c->out);
    ncases++;
}

/* Seed ECGs: 12 leads of counts, processed by ef_preprocess in both units. */
#define NSEED 6
struct scase {
    ef_cs_ecg ecg;
    size_t m;
    char in[EF_CS_NLEADS][600], out[EF_CS_NLEADS][600], mv[EF_CS_NLEADS][600];
};
static struct scase seeds[NSEED];

static void add_seed(FILE *manifest, const char *dir, int s, size_t n, size_t m, double res)
{
    struct scase *c = &seeds[s];

    memset(&c->ecg, 0, sizeof c->ecg);
    c->ecg.sample_rate = 500;
    c->ecg.resolution = res;
    strcpy(c->ecg.resolution_units, "uVperLsb");
    c->m = m;
    for (int k = 0; k < EF_CS_NLEADS; k++) {
        int32_t *v = ef_xmalloc(n * sizeof *v);
        double walk = 0, amp = 200 + 800 * unif();

        for (size_t i = 0; i < n; i++) {  /* beats at ~1.1 Hz plus a noisy walk */
            double t = (double)i / 500.0, ph = fmod(t * 1.1, 1.0);

            walk += (double)((int)(rng() % 7) - 3);
            v[i] = (int32_t)lround(walk + amp * exp(-(ph - 0.3) * (ph - 0.3) / 0.0004) -
                                   0.2 * amp * exp(-(ph - 0.33) * (ph - 0.33) / 0.0002));
        }
        if (s == 1 && k == 3)
            v[7] = 20000000;   /* beyond 2^24: float32 rounding of the count */
        c->ecg.lead[k] = v;
        c->ecg.nsamples[k] = n;
        snprintf(c->in[k], sizeof c->in[k], "%s/seed%d_%d.txt", dir, s, k);
        snprintf(c->out[k], sizeof c->out[k], "%s/seed%d_%d.f32", dir, s, k);
        snprintf(c->mv[k], sizeof c->mv[k], "%s/seed%d_%d.mv.f32", dir, s, k);
        if (!write_wave_text(c->in[k], v, n))
            diag("cannot write %s", c->in[k]);
        fprintf(manifest, "seed %zu %zu %s %s %s\n", n, m, c->in[k], c->out[k], c->mv[k]);
    }
}

static size_t first_diff(const float *a, const float *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(&a[i], &b[i], sizeof a[i]) != 0)
            return i;
    return n;
}

static void check_interp(void)
{
    size_t bad_cases = 0, bad_plan = 0;

    for (size_t c = 0; c < ncases; c++) {
        struct icase *k = &cases[c];
        float *want = read_raw(k->out, k->m), *got = ef_xmalloc(k->m * sizeof *got);
        size_t d;

        {  /* the plan path, from double input, must agree as well */
            double *xd = ef_xmalloc(k->n * sizeof *xd);
            void *mem = ef_xmalloc(ef_resample_plan_bytes(k->m));
            ef_resample_plan plan;

            for (size_t i = 0; i < k->n; i++)
                xd[i] = k->x[i];
            ef_resample_plan_init(&plan, k->n, k->m, mem);
            ef_resample_plan_apply_d(&plan, xd, got, 1);
            if (!want || first_diff(got, want, k->m) != k->m)
                bad_plan++;
            ef_resample_linear_d(xd, k->n, got, k->m, 1);
            if (!want || first_diff(got, want, k->m) != k->m)
                bad_plan++;
            free(xd);
            free(mem);
        }
        ef_resample_linear(k->x, k->n, got, k->m);
        if (!want) {
            ok(0, "numpy output for n=%zu m=%zu (%s)", k->n, k->m, kind_name[k->kind]);
            bad_cases++;
        } else if ((d = first_diff(got, want, k->m)) != k->m) {
            ok(0, "n=%zu m=%zu %s: bit-identical to numpy", k->n, k->m, kind_name[k->kind]);
            uint32_t gb, wb;

            memcpy(&gb, &got[d], sizeof gb);
            memcpy(&wb, &want[d], sizeof wb);
            diag("first difference at %zu: got %.9g (0x%08x), numpy %.9g (0x%08x)", d,
                 (double)got[d], (unsigned)gb, (double)want[d], (unsigned)wb);
            bad_cases++;
        }
        free(want);
        free(got);
    }
    ok(bad_cases == 0, "%zu numpy.interp cases bit-identical (%zu differ)", ncases, bad_cases);
    ok(bad_plan == 0, "plan and double-input paths bit-identical too (%zu differ)", bad_plan);
}

static void check_seed(int s)
{
    struct scase *c = &seeds[s];
    size_t m = c->m, n = c->ecg.nsamples[0];
    float *seed = ef_xmalloc(m * EF_CS_NLEADS * sizeof *seed);
    float *mv = ef_xmalloc(m * EF_CS_NLEADS * sizeof *mv);
    float *col = ef_xmalloc(m * sizeof *col);
    ef_pp_opts o;
    ef_error err;
    unsigned qc1, qc2;
    int bad_seed = 0, bad_mv = 0, rc1, rc2;

    ef_pp_opts_default(&o);
    o.samples = m;
    o.units = EF_UNITS_SEED;
    rc1 = ef_preprocess(&c->ecg, &o, seed, &qc1, &err);
    o.units = EF_UNITS_MV;
    rc2 = ef_preprocess(&c->ecg, &o, mv, &qc2, &err);
    ok(rc1 == EF_OK && rc2 == EF_OK, "seed ECG %d (n=%zu m=%zu, Resolution %g) processed", s, n, m,
       c->ecg.resolution);
    for (int k = 0; k < EF_CS_NLEADS; k++) {
        float *want = read_raw(c->out[k], m), *want_mv = read_raw(c->mv[k], m);

        for (size_t i = 0; i < m; i++)
            col[i] = seed[i * EF_CS_NLEADS + k];
        if (!want || first_diff(col, want, m) != m)
            bad_seed++;
        for (size_t i = 0; i < m; i++)
            col[i] = mv[i * EF_CS_NLEADS + k];
        /* mv equals numpy's seed * 5 only when Resolution is 5 */
        if (c->ecg.resolution == 5 && (!want_mv || first_diff(col, want_mv, m) != m))
            bad_mv++;
        free(want);
        free(want_mv);
    }
    is_int(bad_seed, 0, "seed ECG %d: seed units bit-identical to preprocessing.py (leads differing)", s);
    if (c->ecg.resolution == 5)
        is_int(bad_mv, 0, "seed ECG %d: mv units bit-identical to numpy's seed_array * 5", s);
    free(seed);
    free(mv);
    free(col);
}

/* Properties that need no numpy. */
static void pure_checks(void)
{
    static const size_t ns[] = { 2, 3, 5, 4096, 5000, 5001 };
    static const size_t ms[] = { 1, 2, 3, 4096, 2500, 5000 };
    int endpoints = 1, monotone = 1, identity = 1, single = 1;

    for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++) {
        size_t n = ns[a];
        float *x = ef_xmalloc(n * sizeof *x), *y;

        fill(x, n, K_UNIT);
        for (size_t b = 0; b < sizeof ms / sizeof ms[0]; b++) {
            size_t m = ms[b];

            y = ef_xmalloc(m * sizeof *y);
            ef_resample_linear(x, n, y, m);
            if (y[0] != x[0] || (m > 1 && y[m - 1] != x[n - 1]))
                endpoints = 0;
            free(y);
        }
        y = ef_xmalloc(n * sizeof *y);
        ef_resample_linear(x, n, y, n);
        if (memcmp(x, y, n * sizeof *x) != 0)
            identity = 0;
        /* sorted input: the output never decreases */
        for (size_t i = 1; i < n; i++)
            x[i] = x[i - 1] + (float)unif();
        for (size_t b = 0; b < sizeof ms / sizeof ms[0]; b++) {
            size_t m = ms[b];
            float *z = ef_xmalloc(m * sizeof *z);

            ef_resample_linear(x, n, z, m);
            for (size_t i = 1; i < m; i++)
                if (z[i] < z[i - 1])
                    monotone = 0;
            free(z);
        }
        free(y);
        free(x);
    }
    {
        float one = 3.5f, y[4];

        ef_resample_linear(&one, 1, y, 4);
        single = y[0] == 3.5f && y[3] == 3.5f;
    }
    ok(endpoints, "first and last outputs are the first and last inputs exactly");
    ok(identity, "m == n is the identity");
    ok(monotone, "increasing input gives non-decreasing output");
    ok(single, "one input sample is the value everywhere (numpy)");
}

int main(void)
{
    static const size_t ns[] = { 2, 3, 4, 5, 7, 2500, 4095, 4096, 4097, 4999, 5000, 5001, 10000 };
    static const size_t ms[] = { 4096, 2500, 1, 2, 5000 };
    const char *py = getenv("PYTHON3"), *dir;
    char manifest[600], *cmd;
    FILE *mf;
    int kind = 0;

    if (!py || !*py || strcmp(py, "none") == 0)
        py = "/usr/bin/python3";
    cmd = ef_xasprintf("'%s' -c 'import numpy' >/dev/null 2>&1", py);
    if (system(cmd) != 0) {
        free(cmd);
        skip_all("numpy not available to %s", py);
    }
    free(cmd);

    dir = tap_tmpdir();
    snprintf(manifest, sizeof manifest, "%s/manifest", dir);
    mf = fopen(manifest, "w");
    if (!mf) {
        ok(0, "write %s", manifest);
        return done_testing();
    }
    for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++)
        for (size_t b = 0; b < sizeof ms / sizeof ms[0]; b++)
            for (int r = 0; r < 3; r++)
                add_case(mf, dir, ns[a], ms[b], kind++ % NKINDS);
    for (int r = 0; r < 60; r++)   /* the real shape, every kind many times */
        add_case(mf, dir, 5000, 4096, r % NKINDS);
    for (int r = 0; r < 30; r++) {  /* awkward lengths both ways */
        size_t n = 2 + (size_t)(rng() % 12000), m = 1 + (size_t)(rng() % 9000);

        add_case(mf, dir, n, m, r % NKINDS);
    }
    add_seed(mf, dir, 0, 5000, 4096, 5.0);
    add_seed(mf, dir, 1, 5000, 4096, 5.0);
    add_seed(mf, dir, 2, 4999, 4096, 5.0);
    add_seed(mf, dir, 3, 5001, 4096, 5.0);
    add_seed(mf, dir, 4, 5000, 2500, 5.0);
    add_seed(mf, dir, 5, 5000, 4096, 4.88);
    fclose(mf);

    cmd = ef_xasprintf("'%s' '%s/tests/parity/resample_numpy.py' '%s'", py, tap_srcdir(), manifest);
    ok(system(cmd) == 0, "numpy reference outputs written");
    free(cmd);

    check_interp();
    for (int s = 0; s < NSEED; s++)
        check_seed(s);
    pure_checks();

    for (size_t c = 0; c < ncases; c++)
        free(cases[c].x);
    for (int s = 0; s < NSEED; s++)
        for (int k = 0; k < EF_CS_NLEADS; k++)
            free(seeds[s].ecg.lead[k]);
    cmd = ef_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        diag("could not remove %s", dir);
    free(cmd);
    return done_testing();
}
