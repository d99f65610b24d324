/* test_fixed.c — Khurshid's fixed models (parity.md 1.3 checks, both scale
 * modes), the coefficient file's errors, and the reference equations
 * against hand-computed values. */
#include "config.h"
#include "tap.h"
#include "model/ef_fixed.h"
#include "ukb/ef_registry.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *shipped(void)
{
    static char path[1024];

    snprintf(path, sizeof path, "%s/%s", ef_datadir(), EF_FIXED_COEF_FILE);   /* ECGFIT_DATADIR under make check */
    return path;
}

static ef_fixed_input person(double age, double ukb_sex, double bmi)
{
    ef_fixed_input x;

    memset(&x, 0, sizeof x);
    x.age = age;
    x.sex = ukb_sex;
    x.bmi = bmi;
    x.test = EF_TEST_BIKE;
    return x;
}

static void test_shipped(void)
{
    ef_fixed_set *set = NULL;
    ef_error err;
    const ef_fixed_model *b, *d;
    ef_fixed_input x;
    float emb[320];
    double base, p;
    size_t i, nz = 0;

    if (ef_fixed_load(&set, shipped(), &err) != EF_OK) {
        ok(0, "shipped coefficients load: %s", err.msg);
        return;
    }
    b = ef_fixed_find(set, "basic");
    d = ef_fixed_find(set, "deep_ecg_vo2");
    ok(b && d && set->nmodels == 2, "two models: basic and deep_ecg_vo2");
    if (!b || !d)
        goto out;
    is_int((long long)b->nterms, 4, "basic: age, sex, bmi, test_type_bike");
    is_abs(b->intercept, 43.13745938, 0, "basic intercept");
    is_int((long long)d->nemb, 320, "deep: 320 embedding columns");
    for (i = 0; i < d->nterms; i++)
        nz += d->terms[i].kind == EF_TERM_EMB && d->terms[i].coef != 0;
    is_int((long long)nz, 113, "deep: 113 non-zero PCLR coefficients (parity.md 1.3)");

    /* parity.md 1.3: Basic, bike, females (UKB sex 0) */
    x = person(60, 0, 27);
    is_abs(ef_fixed_predict(b, &x, EF_FIXED_SCALE_SD), 18.7, 0.05, "60-y female BMI 27, scale sd: 18.7");
    is_abs(ef_fixed_predict(b, &x, EF_FIXED_SCALE_SQRT), 3.9, 0.05, "60-y female BMI 27, scale sqrt: 3.9");
    x = person(70, 0, 30);
    is_abs(ef_fixed_predict(b, &x, EF_FIXED_SCALE_SD), 13.0, 0.05, "70-y female BMI 30, scale sd: 13.0");
    is_abs(ef_fixed_predict(b, &x, EF_FIXED_SCALE_SQRT), -14.5, 0.05, "70-y female BMI 30, scale sqrt: -14.5");
    /* at the centers, sd and sqrt agree; a male (UKB 1) has no sex term */
    x = person(45.4056738, 1, 25.8824301);
    is_abs(ef_fixed_predict(b, &x, EF_FIXED_SCALE_SD), 43.13745938 - 8.983549601, 1e-12,
           "male at the centers: intercept + bike");
    x.sex = 0;
    is_abs(ef_fixed_predict(b, &x, EF_FIXED_SCALE_SQRT), 43.13745938 - 8.983549601 - 10.41131428, 1e-12,
           "female at the centers: + sex coefficient (recoded 1 = female)");
    x.test = EF_TEST_TREADMILL;
    is_abs(ef_fixed_predict(b, &x, EF_FIXED_SCALE_SD), 43.13745938 - 10.41131428, 1e-12, "treadmill: no bike term");

    /* Deep ECG-VO2: embedding at the centers adds nothing; one SD on
     * pclr_output_188 adds its coefficient (2.389223522) */
    x = person(45.4056738, 1, 25.8824301);
    for (i = 0; i < d->nterms; i++)
        if (d->terms[i].kind == EF_TERM_EMB)
            emb[d->terms[i].index] = (float)d->terms[i].center;
    x.emb = emb;
    base = ef_fixed_predict(d, &x, EF_FIXED_SCALE_SD);
    is_abs(base, 39.42936232 - 6.687211652, 1e-5, "deep at the centers: intercept + bike");
    for (i = 0; i < d->nterms; i++)
        if (d->terms[i].kind == EF_TERM_EMB && d->terms[i].index == 188)
            emb[188] = (float)(d->terms[i].center + d->terms[i].scale);
    p = ef_fixed_predict(d, &x, EF_FIXED_SCALE_SD);
    is_abs(p - base, 2.389223522, 1e-5, "one SD on pclr_output_188 adds its coefficient");
    emb[4] = NAN;   /* zero coefficient: not needed, as in the seed */
    ok(!isnan(ef_fixed_predict(d, &x, EF_FIXED_SCALE_SD)), "missing value at a zero-coefficient term is ignored");
    emb[188] = NAN;
    ok(isnan(ef_fixed_predict(d, &x, EF_FIXED_SCALE_SD)), "missing value at a used term: NaN");
    x.emb = NULL;
    ok(isnan(ef_fixed_predict(d, &x, EF_FIXED_SCALE_SD)), "no embedding: NaN");
    x = person(50, 1, NAN);
    ok(isnan(ef_fixed_predict(b, &x, EF_FIXED_SCALE_SD)), "missing BMI: NaN");
out:
    ef_fixed_free(set);
}

/* Write text to a scratch file, load it, expect failure at line (0: success). */
static void bad_file(const char *name, const char *text, long line, const char *msg)
{
    char path[1024];
    ef_fixed_set *set = NULL;
    ef_error err;
    FILE *fp;
    int rc;

    snprintf(path, sizeof path, "%s/%s.csv", tap_tmpdir(), name);
    fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
    ef_error_clear(&err);
    rc = ef_fixed_load(&set, path, &err);
    if (line == 0) {
        ok(rc == EF_OK, "%s: loads", name);
        if (rc != EF_OK)
            diag("%s", err.msg);
    } else {
        ok(rc == EF_EPARSE && err.line == line && strstr(err.file, name), "%s: parse error at line %ld (got %ld)", name,
           line, err.line);
        like(err.msg, msg, "%s: message", name);
    }
    ef_fixed_free(set);
}

#define HDR "model,term,coefficient,center,scale\n"
#define ICPT "basic,(Intercept),40,,\n"

static void test_errors(void)
{
    ef_fixed_set *set = NULL;
    ef_error err;
    ef_fixed_input x;

    bad_file("ok", HDR ICPT "basic,age,-1,50,4\r\n\n\"basic\",\"sex\",-2,,\n", 0, NULL);
    bad_file("unknown_term", HDR ICPT "basic,age,-1,50,4\nbasic,waist,1,,\n", 4, "unknown term 'waist'");
    bad_file("unknown_model", HDR "fancy,(Intercept),1,,\n", 2, "unknown model 'fancy'");
    bad_file("bad_number", HDR ICPT "basic,age,-1,50,4\nbasic,bmi,1.2x,25,5\n", 4, "coefficient '1.2x'");
    bad_file("bad_center", HDR ICPT "basic,bmi,1,abc,5\n", 3, "center 'abc'");
    bad_file("zero_scale", HDR ICPT "basic,bmi,1,25,0\n", 3, "must be > 0");
    bad_file("half_scaled", HDR ICPT "basic,bmi,1,25,\n", 3, "both center and scale");
    bad_file("duplicate", HDR ICPT "basic,pclr_3,1,,\nbasic,pclr_output_3,1,,\n", 4, "given twice");
    bad_file("no_intercept", HDR "basic,age,1,,\n", 2, "has no (Intercept)");
    bad_file("bad_header", "model,term,coef\n" ICPT, 1, "header");
    bad_file("ragged", HDR ICPT "basic,age,1,2\n", 3, "4 fields");
    bad_file("nan", HDR ICPT "basic,age,nan,,\n", 3, "not a finite number");
    bad_file("bad_index", HDR ICPT "basic,pclr_output_01,1,,\n", 3, "unknown term");

    /* the seed's guard: in sqrt mode a scale <= 1e-9 divides by 1 */
    bad_file("tiny", HDR ICPT "basic,age,2,50,1e-12\n", 0, NULL);
    {
        char path[1024];

        snprintf(path, sizeof path, "%s/tiny.csv", tap_tmpdir());
        if (ef_fixed_load(&set, path, &err) == EF_OK) {
            x = person(51, 1, 25);
            is_abs(ef_fixed_predict(&set->models[0], &x, EF_FIXED_SCALE_SQRT), 42, 1e-12,
                   "sqrt mode: scale <= 1e-9 divides by 1 (seed)");
            is_abs(ef_fixed_predict(&set->models[0], &x, EF_FIXED_SCALE_SD), 40 + 2e12, 1e3, "sd mode divides by it");
        }
        ef_fixed_free(set);
    }
    ok(ef_fixed_load(&set, "/nonexistent/coef.csv", &err) == EF_EIO && set == NULL, "missing file: EF_EIO");
}

static void test_reference(void)
{
    /* hand-computed from the formulas of parity.md 2.2 (Khurshid's code) */
    is_abs(ef_ref_friend(50, 0, 80, 180, EF_TEST_BIKE), 37.6690024, 1e-9, "FRIEND male 50 y, 180 cm, 80 kg, cycle");
    is_abs(ef_ref_friend(25, 1, 60, 165, EF_TEST_BIKE), 38.1032522, 1e-9, "FRIEND female 25 y, 165 cm, 60 kg, cycle");
    is_abs(ef_ref_friend(25, 1, 60, 165, EF_TEST_TREADMILL), 38.5632522, 1e-9, "FRIEND treadmill: mode 1");
    is_abs(ef_ref_wasserman(50, 0, 80, 180, EF_TEST_BIKE), 32.4625, 1e-9,
           "Wasserman male under predicted weight (81.5 kg): 0.014 slope");
    is_abs(ef_ref_wasserman(60, 0, 95, 175, EF_TEST_BIKE), 24.2810526315789, 1e-9,
           "Wasserman male over predicted weight (77.55 kg): 0.006 slope");
    is_abs(ef_ref_wasserman(25, 1, 60, 165, EF_TEST_BIKE), 31.13325, 1e-9, "Wasserman female, age floored at 30");
    is_abs(ef_ref_wasserman(25, 1, 60, 165, EF_TEST_TREADMILL), 31.13325 * 1.11, 1e-9, "Wasserman treadmill x 1.11");
    is_abs(ef_ref_jones(50, 0, 80, 180, EF_TEST_BIKE), 34.0, 1e-9, "Jones male cycle");
    is_abs(ef_ref_jones(25, 1, 60, 165, EF_TEST_BIKE), 33.5833333333333, 1e-9, "Jones female cycle");
    is_abs(ef_ref_jones(50, 0, 80, 180, EF_TEST_TREADMILL), 32.5, 1e-9, "Jones male treadmill");
    ok(isnan(ef_ref_jones(50, 0, NAN, 180, EF_TEST_BIKE)) && isnan(ef_ref_friend(NAN, 0, 80, 180, EF_TEST_BIKE)) &&
       isnan(ef_ref_wasserman(50, 0, 80, NAN, EF_TEST_BIKE)) && isnan(ef_ref_jones(50, 0, 0, 180, EF_TEST_BIKE)),
       "missing inputs or zero weight: NaN");
}

int main(void)
{
    test_shipped();
    test_errors();
    test_reference();
    return done_testing();
}
