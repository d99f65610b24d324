/* ef_synth_cohort.c — the generative model of the synthetic cohort.
 *
 * Equations and rates are those of shared/reference/synthetic-cohort.md
 * (§1.3 participation, §2 marginals, §3 phenotype equations, §4.5 VO2max and
 * resting heart rate); deviations are commented where they are made.  Each
 * participant draws from two private streams keyed by (seed, row index): the
 * "person" stream for latent traits and visits (shared with the ECG writer
 * through ef_synth_person), the "row" stream for the CSV cells.
 */
#include "config.h"
#include "synth/ef_synth_int.h"

#include <math.h>
#include <string.h>

#define TAG_PERSON UINT64_C(0x7065727330000001)
#define TAG_ROW    UINT64_C(0x726f777330000002)
#define TAG_EID    UINT64_C(0x6569647330000003)

#define EF_SYNTH_LO(f, lo, hi, na, ty, ins, t) lo,
#define EF_SYNTH_NA(f, lo, hi, na, ty, ins, t) na,
static const int f_lo[EF_SYNTH_NFIELDS] = { EF_SYNTH_FIELDS(EF_SYNTH_LO) };
static const int f_na[EF_SYNTH_NFIELDS] = { EF_SYNTH_FIELDS(EF_SYNTH_NA) };
#undef EF_SYNTH_LO
#undef EF_SYNTH_NA

const char *const ef_synth_text[] = {
    "none",
    "knee pain, left side",
    "says \"fine\", no complaints",
    "cycles to work; \"keen\"",
    "lives alone, walks dog daily",
    "occasional dizziness, \"mild\", resolved",
};
const size_t ef_synth_ntext = sizeof ef_synth_text / sizeof ef_synth_text[0];

/* ---- participation (synthetic-cohort §1.3) ---- */
/* Instance 2 for 70 % — far above the real ~17 %, so that a demo cohort of
 * 1,000 people has an ECG cohort of ~650. */
#define P_I2        0.70
#define P_ECG       0.93    /* instance-2 (and -3) attendees with a resting ECG */
#define P_I3        0.14    /* of instance-2 attendees */
#define P_VO2_I0    0.16
/* Instance-1 attendance without a usable test; with the VO2max people this
 * makes ~10 % instead of the real ~4 %, the price of the enriched instance 2. */
#define P_I1_OTHER  0.02

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static double rnd(double x, int dp)
{
    static const double p10[] = { 1, 10, 100, 1e3, 1e4, 1e5 };

    return round(x * p10[dp]) / p10[dp];
}

/* Logistic deviate (latent variable of the ordinal models). */
static double logistic(ef_rng *r)
{
    double u = ef_rng_uniform(r);

    if (u == 0.0)
        u = 0x1p-54;
    return log(u / (1.0 - u));
}

/* ---- eids: a keyed permutation of the 7-digit numbers ---- */

/* Four-round Feistel network on 24 bits (2 x 12); cycle-walking restricts it
 * to [0, 9e6), so distinct rows get distinct eids in no visible order. */
static uint32_t feistel24(uint32_t x, uint64_t key)
{
    uint32_t l = x >> 12, r = x & 0xfffu;

    for (uint64_t round = 0; round < 4; round++) {
        uint64_t st = key ^ (round << 32) ^ r;
        uint32_t t = l ^ (uint32_t)(ef_splitmix64(&st) & 0xfffu);

        l = r;
        r = t;
    }
    return (l << 12) | r;
}

static int64_t eid_of(uint64_t seed, size_t i)
{
    uint64_t st = seed ^ TAG_EID, key = ef_splitmix64(&st);
    uint32_t x = (uint32_t)i;

    do
        x = feistel24(x, key);
    while (x >= 9000000u);
    return 1000000 + (int64_t)x;
}

/* ---- forced edge cases (deterministic rows for tests, any n >= 8) ---- */

static unsigned edge_of(size_t i)
{
    switch (i) {
    case 1: return EF_SYNTH_EDGE_ONE_BP2;
    case 2: return EF_SYNTH_EDGE_NO_BMI2;
    case 3: return EF_SYNTH_EDGE_VO2_I1_ONLY;
    case 4: return EF_SYNTH_EDGE_VO2_I1_CODE;
    case 5: return EF_SYNTH_EDGE_CODES_A;
    case 6: return EF_SYNTH_EDGE_CODES_B;
    case 7: return EF_SYNTH_EDGE_ONLINE;
    default: return 0;
    }
}

/* ---- categorical tables ---- */

static const int eth_code[] = {
    1001, 1002, 1003, 1, 2001, 2002, 2003, 2004, 3001, 3002, 3003, 3004,
    4001, 4002, 4003, 5, 6, -3, -1
};
/* White 94.4 %, Mixed 0.6, Asian 1.8, Black 1.6, Chinese 0.3, Other 0.9,
 * -3 0.4 %, -1 0.2 % (synthetic-cohort §2.2, codes enriched to 0.2–1 %). */
static const double eth_w[] = {
    0.880, 0.026, 0.032, 0.006, 0.0015, 0.001, 0.002, 0.0015, 0.009, 0.003, 0.001, 0.005,
    0.008, 0.007, 0.001, 0.003, 0.009, 0.004, 0.002
};
#define N_ETH (sizeof eth_code / sizeof eth_code[0])

static const int illness_code[] = { 1065, 1111, 1226, 1074, 1220, 1473, 1081, 1154 };

/* ---- the person stream ---- */

static double visit_day(ef_rng *r, long lo, long hi)
{
    return (double)(lo + (long)ef_rng_below(r, (uint64_t)(hi - lo + 1)));
}

void ef_synth_draw_person(const ef_synth_opts *o, size_t i, ef_synth_person_int *p)
{
    ef_rng r;
    double rate = o->vo2_i1_rate < 0 ? EF_SYNTH_VO2_I1_RATE : o->vo2_i1_rate;
    double a0, h0, u_bmi, s_bmi, e_hr[EF_SYNTH_NVISITS], hr[EF_SYNTH_NVISITS];
    int male, i2, i1x, i3, e2, e3;
    long d2_min = ef_synth_days_from_civil(2014, 5, 1), d3_min = ef_synth_days_from_civil(2019, 6, 1);

    memset(p, 0, sizeof *p);
    ef_rng_seed2(&r, o->seed ^ TAG_PERSON, (uint64_t)i);
    p->edge = edge_of(i);

    /* Sex (54.7 % women) and baseline age: truncated normal, 40–70 y. */
    p->female = ef_rng_bernoulli(&r, 0.547);
    male = !p->female;
    do
        a0 = ef_rng_gauss(&r, 58.0 + 0.4 * male, 10.0);
    while (a0 < 40.0 || a0 >= 70.5);

    /* Visit dates: baseline 2006–10, repeat 2012–13, imaging i0 + 4–10 y
     * (not before May 2014), repeat imaging 2–6 y later (not before June
     * 2019).  Dates are drawn for every instance so the draws do not depend
     * on attendance; ages follow from the birth date. */
    p->day[0] = visit_day(&r, ef_synth_days_from_civil(2006, 3, 13), ef_synth_days_from_civil(2010, 10, 1));
    p->birth = p->day[0] - floor(a0 * 365.25);
    p->day[1] = visit_day(&r, ef_synth_days_from_civil(2012, 8, 1), ef_synth_days_from_civil(2013, 6, 30));
    p->day[2] = p->day[0] + floor(ef_rng_uniform_range(&r, 4.0, 10.0) * 365.25);
    if (p->day[2] < d2_min)
        p->day[2] = visit_day(&r, d2_min, d2_min + 240);
    p->day[3] = p->day[2] + floor(ef_rng_uniform_range(&r, 2.0, 6.0) * 365.25);
    if (p->day[3] < d3_min)
        p->day[3] = visit_day(&r, d3_min, d3_min + 300);
    for (int k = 0; k < EF_SYNTH_NVISITS; k++)
        p->age[k] = (p->day[k] - p->birth) / 365.25;

    /* Latent fitness: AR(1) across visits, correlation 0.85 per 5 years. */
    p->zf[0] = ef_rng_normal(&r);
    for (int k = 1; k < EF_SYNTH_NVISITS; k++) {
        double rho = pow(0.85, (p->age[k] - p->age[k - 1]) / 5.0);

        p->zf[k] = rho * p->zf[k - 1] + sqrt(1.0 - rho * rho) * ef_rng_normal(&r);
    }

    /* Height (-0.1 cm per year of birth cohort age; 0.05 cm/y shrinking). */
    h0 = ef_rng_gauss(&r, male ? 175.8 : 162.5, male ? 6.8 : 6.3) - 0.1 * (a0 - 56.0);
    for (int k = 0; k < EF_SYNTH_NVISITS; k++)
        p->height[k] = h0 - 0.05 * (p->age[k] - a0);

    /* BMI: log-normal around the §3 mean; the multiplicative SD is the
     * residual after the zF term (5.2 / 4.2 in total).  A persistent part
     * (r ~ 0.94 between visits) and a visit part. */
    u_bmi = ef_rng_normal(&r);
    s_bmi = p->female ? 0.187 : 0.145;
    for (int k = 0; k < EF_SYNTH_NVISITS; k++) {
        double mu = (p->female ? 27.1 : 27.9) + 0.04 * (p->age[k] - 56.0) - 1.1 * p->zf[k];
        double e = 0.97 * u_bmi + 0.243 * ef_rng_normal(&r);

        p->bmi[k] = clamp(mu * exp(s_bmi * e - 0.5 * s_bmi * s_bmi), 15.0, 60.0);
    }

    /* Smoking (coding 90): never 61 % women / 48 % men, current 10 %, -3
     * 0.4 %; smokers quit at 10 %/year; -3 is kept; 0.3 % new -3 later. */
    {
        double w[4] = { 0.004, p->female ? 0.61 : 0.48, 0, 0.10 };
        static const int code[4] = { -3, 0, 1, 2 };

        w[2] = 1.0 - w[0] - w[1] - w[3];
        p->smoke[0] = code[ef_rng_categorical(&r, w, 4)];
        if (p->edge & EF_SYNTH_EDGE_CODES_B)
            p->smoke[0] = -3;
        for (int k = 1; k < EF_SYNTH_NVISITS; k++) {
            double gap = p->age[k] - p->age[k - 1];
            int quit = ef_rng_bernoulli(&r, 1.0 - pow(0.9, gap));
            int refuse = ef_rng_bernoulli(&r, 0.003);

            p->smoke[k] = p->smoke[k - 1];
            if (p->smoke[k] == 2 && quit)
                p->smoke[k] = 1;
            if (refuse)
                p->smoke[k] = -3;
        }
    }

    /* Ethnicity (coding 1001) and country of the assessment centre. */
    p->ethnicity = eth_code[ef_rng_categorical(&r, eth_w, N_ETH)];
    if (p->edge & EF_SYNTH_EDGE_CODES_A)
        p->ethnicity = -1;
    if (p->edge & EF_SYNTH_EDGE_CODES_B)
        p->ethnicity = -3;
    {
        static const double cw[3] = { 0.885, 0.045, 0.070 };

        p->country = (int)ef_rng_categorical(&r, cw, 3);
    }

    /* Visits (all draws made, then combined). */
    i2 = ef_rng_bernoulli(&r, P_I2);
    p->vo2_1 = ef_rng_bernoulli(&r, rate);
    i1x = ef_rng_bernoulli(&r, P_I1_OTHER);
    i3 = ef_rng_bernoulli(&r, P_I3);
    e2 = ef_rng_bernoulli(&r, P_ECG);
    e3 = ef_rng_bernoulli(&r, P_ECG);
    p->vo2_0 = ef_rng_bernoulli(&r, P_VO2_I0);
    if (p->edge & (EF_SYNTH_EDGE_ONE_BP2 | EF_SYNTH_EDGE_NO_BMI2))
        i2 = e2 = 1;
    if (p->edge & (EF_SYNTH_EDGE_VO2_I1_ONLY | EF_SYNTH_EDGE_VO2_I1_CODE))
        i2 = e2 = p->vo2_1 = 1;
    if (p->edge & EF_SYNTH_EDGE_VO2_I1_ONLY)
        p->vo2_0 = 0;
    p->vo2_1 = p->vo2_1 && i2;
    p->visits = 1u | (p->vo2_1 || i1x ? 2u : 0u) | (i2 ? 4u : 0u) | (i2 && i3 ? 8u : 0u);

    /* Resting heart rate at the ECG (§4.5), with a persistent residual that
     * the seated BP-device pulse (102) shares. */
    p->hr_u = ef_rng_normal(&r);
    for (int k = 0; k < EF_SYNTH_NVISITS; k++) {
        e_hr[k] = ef_rng_normal(&r);
        hr[k] = 58.0 + 3.0 * p->female + 0.05 * (p->age[k] - 64.0) + 0.25 * (p->bmi[k] - 27.0)
                - 4.0 * p->zf[k] + 8.0 * (0.7 * p->hr_u + 0.714 * e_hr[k]);
        hr[k] = clamp(hr[k], 35.0, 130.0);
    }
    for (int k = 0; k < EF_SYNTH_NU; k++)
        p->u[k] = ef_rng_normal(&r);

    /* The public summary (instance-2 values, else instance 0). */
    {
        ef_synth_person *q = &p->pub;
        int v = i2 ? 2 : 0;

        q->eid = eid_of(o->seed, i);
        q->sex = male;
        q->age2 = i2 ? p->age[2] : NAN;
        q->bmi2 = p->bmi[v];
        q->height_cm = p->height[v];
        q->weight_kg = p->bmi[v] * (p->height[v] / 100.0) * (p->height[v] / 100.0);
        q->zf = p->zf[v];
        q->rest_hr = i2 ? hr[2] : NAN;
        q->has_ecg2 = i2 && e2;
        q->has_ecg3 = i2 && i3 && e3;
        q->smoker = p->smoke[v];
        q->age3 = (p->visits & 8u) ? p->age[3] : NAN;
        q->bmi3 = (p->visits & 8u) ? p->bmi[3] : NAN;
        q->zf3 = (p->visits & 8u) ? p->zf[3] : NAN;
        q->rest_hr3 = (p->visits & 8u) ? hr[3] : NAN;
    }
}

/* ---- the row stream ---- */

typedef struct row {
    const ef_synth *s;
    const ef_synth_person_int *p;
    ef_rng r;
    double *v;
} row;

static void put(row *w, int f, int inst, int arr, double x)
{
    w->v[w->s->col_off[f] + (size_t)(inst - f_lo[f]) * (size_t)f_na[f] + (size_t)arr] = x;
}

static int miss(row *w, double p)
{
    return ef_rng_bernoulli(&w->r, p);
}

/* Visit value = persistent part (70 % of the variance) + visit part. */
static double resid(row *w, int u, double sd)
{
    return sd * (0.8367 * w->p->u[u] + 0.5477 * ef_rng_normal(&w->r));
}

static void body(row *w, int k, double A, double B, double H, double Z)
{
    const ef_synth_person_int *p = w->p;
    double dA = A - 56.0, Hr, Wr, W, bf, tf;

    if (!miss(w, 0.015)) {
        Hr = rnd(H, 1);
        Wr = rnd(B * (Hr / 100.0) * (Hr / 100.0), 1);
        put(w, EF_SYNTH_F_50, k, 0, Hr);
        put(w, EF_SYNTH_F_21002, k, 0, Wr);
        /* 21001 is computed from the rounded measurements, as UKB does. */
        if (!(k == 2 && (p->edge & EF_SYNTH_EDGE_NO_BMI2)))
            put(w, EF_SYNTH_F_21001, k, 0, rnd(Wr / ((Hr / 100.0) * (Hr / 100.0)), 4));
    }
    /* Impedance block (§3 body fat equation). */
    W = B * (H / 100.0) * (H / 100.0);
    if (p->female)
        bf = 36.2 + 1.05 * (B - 27.1) + 0.10 * dA - 0.8 * Z + resid(w, U_BF, 3.2);
    else
        bf = 25.7 + 1.20 * (B - 27.9) + 0.12 * dA - 0.8 * Z + resid(w, U_BF, 3.0);
    bf = clamp(bf, 1.0, 75.0);
    tf = clamp(bf - 0.2 + ef_rng_gauss(&w->r, 0.0, 2.5), 1.0, 75.0);
    if (!miss(w, 0.03)) {
        put(w, EF_SYNTH_F_23099, k, 0, rnd(bf, 1));
        put(w, EF_SYNTH_F_23100, k, 0, rnd(W * bf / 100.0, 1));
        put(w, EF_SYNTH_F_23104, k, 0, rnd(B + ef_rng_gauss(&w->r, 0.0, 0.4), 4));
        put(w, EF_SYNTH_F_23127, k, 0, rnd(tf, 1));
        put(w, EF_SYNTH_F_23128, k, 0, rnd(0.48 * W * tf / 100.0, 1));
    }
}

static void grip(row *w, int k, double A, double H, double Z)
{
    double dA = A - 56.0, g, right, left;

    if (w->p->female)
        g = 24.6 - 0.22 * dA + 0.22 * (H - 162.5) + 0.7 * Z + resid(w, U_GRIP, 5.6);
    else
        g = 40.5 - 0.35 * dA + 0.30 * (H - 175.8) + 1.0 * Z + resid(w, U_GRIP, 8.0);
    right = clamp(round(g + ef_rng_gauss(&w->r, 0.0, 1.5)), 0.0, 90.0);
    left = clamp(round(g - 2.1 + ef_rng_gauss(&w->r, 0.0, 2.5)), 0.0, 90.0);
    if (!miss(w, 0.02)) {
        put(w, EF_SYNTH_F_46, k, 0, left);
        put(w, EF_SYNTH_F_47, k, 0, right);
    }
}

/* Automated BP (4079/4080) and pulse (102), two readings; manual 93/94 mainly
 * when the Omron failed.  §3 equations with the SBP intercept recalibrated to
 * the sex-specific means of §2.1 and residual SD 17.5 (16 gives a pooled SD of
 * 17.6 against 19.1); imaging attendees are healthier (PMC10524395): SBP -6.5
 * and DBP -3 at instances 2–3. */
static void blood_pressure(row *w, int k, double A, double B, double Z, int S)
{
    const ef_synth_person_int *p = w->p;
    double dA = A - 56.0, img = k >= 2, sbp[2], dbp[2], pulse[2], x;
    double es = resid(w, U_SBP, 1.0), ed = resid(w, U_DBP, 1.0);
    int have[2] = { 1, 1 }, manual[2] = { 0, 0 };

    /* The residuals share a part so that r(SBP, DBP) is ~0.65 as in UKB. */
    sbp[0] = 136.7 + 6.0 * !p->female + 0.6 * dA + 0.9 * (B - 27.5) - 1.0 * Z - 6.5 * img
             + 17.5 * es;
    sbp[1] = sbp[0] - 4.0 + ef_rng_gauss(&w->r, 0.0, 7.0);
    dbp[0] = 80.6 + 3.5 * !p->female + 0.10 * dA - 0.012 * dA * dA + 0.5 * (B - 27.5) - 3.0 * img
             + 9.5 * (0.65 * es + 0.76 * ed);
    dbp[1] = dbp[0] - 0.1 + ef_rng_gauss(&w->r, 0.0, 5.0);
    pulse[0] = 70.9 - 2.8 * !p->female + 0.25 * (B - 27.5) - 4.0 * Z + 2.0 * S
               + 9.5 * (0.7 * p->hr_u + 0.714 * ef_rng_normal(&w->r));
    pulse[1] = pulse[0] - 0.6 + ef_rng_gauss(&w->r, 0.0, 3.5);
    x = ef_rng_uniform(&w->r);
    if (x < 0.04) {
        have[0] = have[1] = 0;
        manual[0] = ef_rng_bernoulli(&w->r, 0.85);
        manual[1] = manual[0] && ef_rng_bernoulli(&w->r, 0.9);
    } else if (x < 0.055) {
        have[1] = 0;
    } else if (x < 0.06) {
        have[0] = 0;
    } else if (x < 0.07) {
        manual[0] = 1;
    }
    if (k == 2 && (p->edge & EF_SYNTH_EDGE_ONE_BP2)) {
        have[0] = 1;
        have[1] = 0;
    }
    for (int a = 0; a < 2; a++) {
        double s_ = clamp(round(sbp[a]), 70.0, 255.0);
        double d_ = clamp(round(dbp[a]), 40.0, fmin(150.0, s_ - 10.0));

        if (have[a]) {
            put(w, EF_SYNTH_F_4080, k, a, s_);
            put(w, EF_SYNTH_F_4079, k, a, d_);
            put(w, EF_SYNTH_F_102, k, a, clamp(round(pulse[a]), 30.0, 180.0));
        }
        if (manual[a]) {
            put(w, EF_SYNTH_F_93, k, a, clamp(round(s_ + ef_rng_gauss(&w->r, 1.0, 5.0)), 70.0, 255.0));
            put(w, EF_SYNTH_F_94, k, a, clamp(round(d_ + ef_rng_gauss(&w->r, 0.5, 4.0)), 40.0, 150.0));
        }
    }
}

/* Usual walking pace (924, coding 100313) and tiredness (2080, coding 100484):
 * ordinal logits; cut-points give 8/52/40 % pace and 52/36/6/6 % tiredness at
 * baseline (checked by simulation). */
static void questionnaire(row *w, int k, double A, double B, double Z)
{
    const ef_synth_person_int *p = w->p;
    double eta, x, code;

    eta = 0.9 * Z - 0.08 * (B - 27.5) - 0.03 * (A - 56.0) - 0.2 * p->female + logistic(&w->r);
    code = eta < -3.12 ? 1 : eta < 0.29 ? 2 : 3;
    x = ef_rng_uniform(&w->r);
    if (x < 0.004)
        code = -7;
    else if (x < 0.007)
        code = -3;
    if (k == 0 && (p->edge & EF_SYNTH_EDGE_CODES_A))
        code = -7;
    if (k == 0 && (p->edge & EF_SYNTH_EDGE_CODES_B))
        code = -3;
    if (!miss(w, 0.01) || (k == 0 && (p->edge & (EF_SYNTH_EDGE_CODES_A | EF_SYNTH_EDGE_CODES_B))))
        put(w, EF_SYNTH_F_924, k, 0, code);

    eta = -0.3 * Z + 0.02 * (B - 27.5) + 0.2 * p->female + logistic(&w->r);
    code = eta < 0.21 ? 1 : eta < 2.16 ? 2 : eta < 2.93 ? 3 : 4;
    x = ef_rng_uniform(&w->r);
    if (x < 0.005)
        code = -1;
    else if (x < 0.008)
        code = -3;
    if (k == 0 && (p->edge & EF_SYNTH_EDGE_CODES_A))
        code = -1;
    if (k == 0 && (p->edge & EF_SYNTH_EDGE_CODES_B))
        code = -3;
    if (!miss(w, 0.015) || (k == 0 && (p->edge & (EF_SYNTH_EDGE_CODES_A | EF_SYNTH_EDGE_CODES_B))))
        put(w, EF_SYNTH_F_2080, k, 0, code);
}

/* Spirometry: three blows of FEV1/FVC/PEF (§3 FEV1 equation); instance 0
 * also carries the derived best measure, prediction and z-scores. */
static void spirometry(row *w, int k, double A, double H, double Z, int S)
{
    const ef_synth_person_int *p = w->p;
    double dA = A - 56.0, fev, ratio, pef, b[3], best = 0, pred;
    int nb;

    if (p->female)
        fev = 2.42 - 0.025 * dA + 0.035 * (H - 162.5) - 0.15 * S + 0.04 * Z + resid(w, U_FEV, 0.40);
    else
        fev = 3.29 - 0.030 * dA + 0.045 * (H - 175.8) - 0.20 * S + 0.05 * Z + resid(w, U_FEV, 0.55);
    fev = clamp(fev, 0.4, 6.0);
    ratio = clamp(0.76 - 0.002 * dA - 0.03 * S + resid(w, U_RATIO, 0.06), 0.35, 0.95);
    pef = 120.0 * fev + 50.0 + ef_rng_gauss(&w->r, 0.0, 65.0);
    nb = ef_rng_bernoulli(&w->r, 0.7) ? 3 : 2;
    if (miss(w, 0.08))
        return;
    for (int j = 0; j < nb; j++) {
        static const double shift[3] = { 0.0, -0.07, -0.03 };

        b[j] = clamp(fev + shift[j] + ef_rng_gauss(&w->r, 0.0, 0.13), 0.2, 6.5);
        if (b[j] > best)
            best = b[j];
        put(w, EF_SYNTH_F_3063, k, j, rnd(b[j], 2));
        put(w, EF_SYNTH_F_3062, k, j, rnd(clamp(b[j] / ratio + ef_rng_gauss(&w->r, 0.0, 0.1), 0.3, 8.0), 2));
        put(w, EF_SYNTH_F_3064, k, j, clamp(round(pef + 120.0 * (b[j] - fev) + ef_rng_gauss(&w->r, 0.0, 25.0)),
                                     50.0, 1000.0));
    }
    if (k != 0 || miss(w, 0.15))
        return;
    /* A simple GLI-like prediction from sex, height and age. */
    pred = p->female ? 0.0395 * H - 0.025 * A - 2.60 : 0.043 * H - 0.029 * A - 2.49;
    pred = clamp(pred, 0.8, 6.0);
    put(w, EF_SYNTH_F_20150, k, 0, rnd(best, 2));
    put(w, EF_SYNTH_F_20153, k, 0, rnd(pred, 4));
    put(w, EF_SYNTH_F_20154, k, 0, rnd(100.0 * best / pred, 3));
    put(w, EF_SYNTH_F_20256, k, 0, rnd((best - pred) / (0.13 * pred), 4));
    put(w, EF_SYNTH_F_20258, k, 0, rnd((ratio - 0.78 + 0.002 * dA) / 0.06, 4));
}

/* Blood biochemistry (instances 0–1): §3 lipid and CRP equations. */
static void blood(row *w, int k, double B, double Z, int S)
{
    const ef_synth_person_int *p = w->p;
    double hdl, tg, tc, ldl, crp;

    hdl = (p->female ? 1.59 : 1.28) - 0.025 * (B - 27.5) + 0.04 * Z - 0.05 * S
          + resid(w, U_HDL, p->female ? 0.32 : 0.27);
    tg = exp(log(1.53) + 0.10 * !p->female + 0.030 * (B - 27.5) - 0.05 * Z + resid(w, U_TG, 0.48));
    tc = (p->female ? 5.89 : 5.48) + resid(w, U_TC, 1.13);
    hdl = clamp(hdl, 0.22, 4.4);
    tg = clamp(tg, 0.23, 11.3);
    ldl = clamp(tc - hdl - tg / 2.2 + ef_rng_gauss(&w->r, 0.0, 0.15), 0.27, 9.8);
    crp = clamp(exp(0.33 + 0.06 * (B - 27.5) + 0.25 * S - 0.15 * Z + resid(w, U_CRP, 1.05)),
                0.08, 79.96);
    if (miss(w, 0.05))
        return;
    if (!miss(w, 0.02))
        put(w, EF_SYNTH_F_30760, k, 0, rnd(hdl, 3));
    if (!miss(w, 0.02))
        put(w, EF_SYNTH_F_30870, k, 0, rnd(tg, 3));
    if (!miss(w, 0.02))
        put(w, EF_SYNTH_F_30780, k, 0, rnd(ldl, 3));
    if (!miss(w, 0.02))
        put(w, EF_SYNTH_F_30710, k, 0, rnd(crp, 2));
    /* NMR metabolomics only for about half of the samples. */
    if (ef_rng_bernoulli(&w->r, 0.5))
        put(w, EF_SYNTH_F_23400, k, 0, rnd(clamp(tc + ef_rng_gauss(&w->r, 0.0, 0.25), 1.0, 15.0), 4));
}

/* VO2max (§4.5) at a bike-test visit, measured with noise. */
static double vo2max(row *w, double A, double B, double Z)
{
    double v = (w->p->female ? 28.0 : 34.0) - 0.30 * (A - 60.0) - 0.45 * (B - 27.0) + 4.5 * Z
               + resid(w, U_VO2, 2.0);

    return rnd(clamp(v, 8.0, 70.0), 4);
}

static void visit(row *w, int k)
{
    const ef_synth_person_int *p = w->p;
    double A = p->age[k], B = p->bmi[k], H = p->height[k], Z = p->zf[k], dA = A - 56.0;
    int S = p->smoke[k] == 2;

    put(w, EF_SYNTH_F_53, k, 0, p->day[k]);
    put(w, EF_SYNTH_F_21003, k, 0, floor(A));
    body(w, k, A, B, H, Z);
    grip(w, k, A, H, Z);
    blood_pressure(w, k, A, B, Z, S);
    questionnaire(w, k, A, B, Z);
    spirometry(w, k, A, H, Z, S);

    /* Heel ultrasound T-score; 78 (combined, baseline only) tracks 4106. */
    if (!miss(w, 0.07)) {
        double t = (p->female ? -0.6 : 0.0) + 0.05 * (B - 27.5) - 0.03 * dA + resid(w, U_HEEL, 1.1);

        put(w, EF_SYNTH_F_4106, k, 0, rnd(t, 3));
        if (k == 0)
            put(w, EF_SYNTH_F_78, k, 0, rnd(t + ef_rng_gauss(&w->r, 0.0, 0.25), 3));
    }

    /* Bike-test safety question: asked of those who attempted the test. */
    if (k == 0 && (p->vo2_0 || ef_rng_bernoulli(&w->r, 0.05))) {
        static const double cw[3] = { 0.06, 0.90, 0.04 };

        put(w, EF_SYNTH_F_6017, 0, 0, p->vo2_0 ? 1 : (double)ef_rng_categorical(&w->r, cw, 3));
    } else if (k == 1 && !miss(w, 0.03)) {
        static const double cw[3] = { 0.06, 0.90, 0.04 };

        put(w, EF_SYNTH_F_6017, 1, 0, p->vo2_1 ? 1 : (double)ef_rng_categorical(&w->r, cw, 3));
    }

    /* Self-reported illnesses (filler). */
    {
        static const double nw[4] = { 0.45, 0.30, 0.15, 0.10 };
        size_t m = ef_rng_categorical(&w->r, nw, 4), first = ef_rng_below(&w->r, 8);

        for (size_t j = 0; j < m; j++)
            put(w, EF_SYNTH_F_20002, k, (int)j, illness_code[(first + 3 * j) % 8]);
    }

    /* Reaction time: right-skewed, rising with age. */
    if (!miss(w, 0.04)) {
        double mean = 558.0 + 4.0 * dA;
        double rt = exp(log(mean) - 0.018 + 0.19 * (0.8 * p->u[U_RT] + 0.6 * ef_rng_normal(&w->r)));

        put(w, EF_SYNTH_F_20023, k, 0, clamp(round(rt), 150.0, 2500.0));
    }

    if (p->smoke[k] == -3 || !miss(w, 0.005))
        put(w, EF_SYNTH_F_20116, k, 0, p->smoke[k]);

    /* Ethnicity: asked at baseline; later only of those who had not answered. */
    if (k == 0) {
        put(w, EF_SYNTH_F_21000, 0, 0, p->ethnicity);
    } else if (k <= 2 && p->ethnicity < 0 && ef_rng_bernoulli(&w->r, 0.5)) {
        put(w, EF_SYNTH_F_21000, k, 0, eth_code[ef_rng_categorical(&w->r, eth_w, N_ETH - 2)]);
    }

    /* Arterial stiffness: a minority at baseline, most at later visits. */
    if (ef_rng_bernoulli(&w->r, k == 0 ? 0.35 : 0.85)) {
        double asi = 8.5 + 0.12 * dA + 0.1 * (B - 27.5) + resid(w, U_ASI, 2.8);

        put(w, EF_SYNTH_F_21021, k, 0, rnd(clamp(asi, 3.0, 25.0), 1));
    }

    if (k <= 1)
        blood(w, k, B, Z, S);

    if (k == 0 && p->vo2_0)
        put(w, EF_SYNTH_F_30038, 0, 0, vo2max(w, A, B, Z));
    if (k == 1 && p->vo2_1)
        put(w, EF_SYNTH_F_30038, 1, 0, (p->edge & EF_SYNTH_EDGE_VO2_I1_CODE) ? -3.0 : vo2max(w, A, B, Z));

    if (k == 2 && ef_rng_bernoulli(&w->r, 0.55)) {
        double ef = 59.0 + 2.0 * p->female + 0.8 * Z + resid(w, U_LVEF, 6.0);

        put(w, EF_SYNTH_F_31060, 2, 0, rnd(clamp(ef, 25.0, 80.0), 1));
    }
}

/* Fields without visits: health scores, accelerometry, online questionnaires. */
static void once(row *w)
{
    const ef_synth_person_int *p = w->p;
    double Z = p->zf[0], B = p->bmi[0], dA = p->age[0] - 56.0;
    int code, present;

    /* One health score per person, by the country of the centre. */
    if (!miss(w, 0.02)) {
        if (p->country == 0)
            put(w, EF_SYNTH_F_26413, 0, 0, rnd(ef_rng_gauss(&w->r, -0.15 - 0.1 * Z, 0.85), 3));
        else if (p->country == 1)
            put(w, EF_SYNTH_F_26420, 0, 0, rnd(ef_rng_lognormal(&w->r, log(10.0) - 0.05 * Z, 0.6), 2));
        else
            put(w, EF_SYNTH_F_26430, 0, 0, rnd(ef_rng_lognormal(&w->r, log(0.08) - 0.05 * Z, 0.7), 4));
    }

    /* Wrist accelerometry 2013–15 for about a fifth of the cohort. */
    if (ef_rng_bernoulli(&w->r, 0.20)) {
        double mg = 28.0 + 2.5 * Z - 0.15 * dA - 0.25 * (B - 27.5) + ef_rng_gauss(&w->r, 0.0, 4.0);

        put(w, EF_SYNTH_F_90012, 0, 0, rnd(fmax(mg, 8.0), 4));
    }

    /* Online questionnaires: EQ-5D VAS (120103, -818) and 29155 (-121). */
    present = ef_rng_bernoulli(&w->r, 0.33);
    code = (int)clamp(round(75.0 + 5.0 * Z - 0.3 * (B - 27.5) + ef_rng_gauss(&w->r, 0.0, 14.0)),
                      0.0, 100.0);
    if (ef_rng_bernoulli(&w->r, 0.005) || (p->edge & EF_SYNTH_EDGE_ONLINE))
        code = -818;
    if (present || (p->edge & EF_SYNTH_EDGE_ONLINE))
        put(w, EF_SYNTH_F_120103, 0, 0, code);

    present = ef_rng_bernoulli(&w->r, 0.25);
    code = (int)clamp(round(70.0 + 6.0 * Z - 0.3 * (B - 27.5) + ef_rng_gauss(&w->r, 0.0, 15.0)),
                      0.0, 100.0);
    if (ef_rng_bernoulli(&w->r, 0.006) || (p->edge & EF_SYNTH_EDGE_ONLINE))
        code = -121;
    if (present || (p->edge & EF_SYNTH_EDGE_ONLINE))
        put(w, EF_SYNTH_F_29155, 0, 0, code);

    if (ef_rng_bernoulli(&w->r, 0.08))
        put(w, EF_SYNTH_F_99999, 0, 0, (double)ef_rng_below(&w->r, ef_synth_ntext));
}

void ef_synth_gen_row(const ef_synth *s, const ef_synth_person_int *p, size_t i, double *vals)
{
    row w = { s, p, { { 0 }, 0, 0 }, vals };
    int y, m, d;

    for (size_t j = 0; j < s->ncols; j++)
        vals[j] = NAN;
    ef_rng_seed2(&w.r, s->opts.seed ^ TAG_ROW, (uint64_t)i);
    put(&w, EF_SYNTH_F_31, 0, 0, p->pub.sex);
    ef_synth_civil_from_days((long)p->birth, &y, &m, &d);
    put(&w, EF_SYNTH_F_34, 0, 0, y);
    for (int k = 0; k < EF_SYNTH_NVISITS; k++)
        if (p->visits & (1u << k))
            visit(&w, k);
    once(&w);
}
