/* ef_fixed.h — fixed-coefficient models: Khurshid et al.'s Basic and Deep
 * ECG-VO2 linear models, and the non-exercise reference equations Khurshid
 * compared them with (FRIEND, Wasserman, Jones).
 *
 * The linear models come from a coefficient file (shipped as
 * share/ecgfit/khurshid-deep-ecg-vo2-coefficients.csv), one term a line:
 *
 *   model,term,coefficient,center,scale
 *   basic,(Intercept),43.13745938,,
 *   basic,age,-5.235623211,45.4056738,19.22841
 *
 * model: basic | deep_ecg_vo2; term: (Intercept), age, sex, bmi,
 * test_type_bike, test_type_treadmill, test_type_rower, pclr_output_N (or
 * pclr_N), N the embedding column.  center and scale are both empty
 * (unscaled term) or both numbers, scale > 0.
 *
 *   prediction = intercept + sum coef * (x - center) / s
 *
 * with s = scale (EF_FIXED_SCALE_SD: the scale column is Khurshid's training
 * SD, R's sd(), parity.md 1.3 red flag A) or s = sqrt(scale)
 * (EF_FIXED_SCALE_SQRT: what the seed's replicated_*_model.py compute; they
 * also use 1 for a scale <= 1e-9, and skip zero coefficients).  Terms are
 * summed in file order, as the seed does.  Sex is entered in UKB coding 9
 * (0 = female, 1 = male) and recoded to Khurshid's 1 = female; the UKB
 * fitness test is a bike, so test_type_bike = 1, treadmill = rower = 0. */
#ifndef EF_FIXED_H
#define EF_FIXED_H

#include <stddef.h>
#include "core/ef_error.h"

#define EF_FIXED_COEF_FILE "khurshid-deep-ecg-vo2-coefficients.csv"

enum ef_fixed_scale { EF_FIXED_SCALE_SD = 0, EF_FIXED_SCALE_SQRT = 1 };

/* Khurshid's test-type codes (1 = bike, 2 = treadmill, 3 = rower). */
enum ef_test_mode { EF_TEST_BIKE = 1, EF_TEST_TREADMILL = 2, EF_TEST_ROWER = 3 };

enum ef_fixed_term_kind {
    EF_TERM_AGE, EF_TERM_SEX, EF_TERM_BMI, EF_TERM_BIKE, EF_TERM_TREADMILL, EF_TERM_ROWER,
    EF_TERM_EMB        /* embedding column `index` */
};

typedef struct ef_fixed_term {
    int kind;           /* enum ef_fixed_term_kind */
    size_t index;       /* EF_TERM_EMB: the embedding column */
    double coef;
    int scaled;         /* center and scale given */
    double center, scale;
    long line;          /* in the coefficient file */
} ef_fixed_term;

typedef struct ef_fixed_model {
    char *name;         /* "basic", "deep_ecg_vo2" */
    double intercept;
    ef_fixed_term *terms;
    size_t nterms;
    size_t nemb;        /* embedding columns used: max index + 1 (0: none) */
} ef_fixed_model;

typedef struct ef_fixed_set {
    ef_fixed_model *models;
    size_t nmodels;
    char *path;
} ef_fixed_set;

/* Parse a coefficient file (NULL: <datadir>/EF_FIXED_COEF_FILE).  Errors
 * (EF_EPARSE) name FILE:LINE: unknown model or term, malformed or
 * non-finite number, scale <= 0, center without scale, a duplicate term; a
 * model without (Intercept) names the model's first line. */
int ef_fixed_load(ef_fixed_set **out, const char *path, ef_error *err);
void ef_fixed_free(ef_fixed_set *set);
/* The model named name ("basic", "deep_ecg_vo2"), or NULL. */
const ef_fixed_model *ef_fixed_find(const ef_fixed_set *set, const char *name);

/* One participant. */
typedef struct ef_fixed_input {
    double age;         /* years */
    double sex;         /* UKB coding 9: 0 = female, 1 = male */
    double bmi;         /* kg/m2 */
    int test;           /* enum ef_test_mode; the UKB test is EF_TEST_BIKE */
    const float *emb;   /* the embedding (at least m->nemb values) or NULL */
} ef_fixed_input;

/* The prediction, or NaN when an input a non-zero term needs is missing. */
double ef_fixed_predict(const ef_fixed_model *m, const ef_fixed_input *x, int scale_mode);

/* Reference equations, as Khurshid coded them (vo2_ecg_pclr_v2_validate.R,
 * parity.md 2.2), in mL/kg/min.  female: 1 = female, 0 = male; height in
 * cm, weight in kg, age in years; mode enum ef_test_mode.  NaN when an
 * input is missing or weight <= 0. */

/* FRIEND non-exercise equation (de Souza e Silva et al., FRIEND registry;
 * Khurshid's "silva"): 45.2 - 0.35 age - 10.9 sex(1 male, 2 female)
 * - 0.15 weight(lb) + 0.68 height(in) - 0.46 mode(1 treadmill, 2 cycle),
 * with Khurshid's conversions lb = kg * 2.2 and in = cm * 0.393701 (one of
 * his branches divides by 2.2 instead, a slip not reproduced). */
double ef_ref_friend(double age, int female, double weight_kg, double height_cm, int mode);

/* Wasserman/Hansen cycle equations: predicted weight 0.79 ht - 60.7 (men),
 * 0.65 ht - 42.8 (women), age floored at 30 (A); peak VO2 in L/min
 *   men, wt >= pw: 0.0337 ht - 0.000165 A ht - 1.963 + 0.006 (wt - pw)
 *   men, wt <  pw: 0.0337 ht - 0.000165 A ht - 1.963 + 0.014 (wt - pw)
 *   women:         0.001 ht (14.783 - 0.11 A) + 0.006 (wt - pw)
 * times 1000 / wt; times 1.11 when the test is not a cycle. */
double ef_ref_wasserman(double age, int female, double weight_kg, double height_cm, int mode);

/* Jones et al. (L/min, times 1000 / wt).  Cycle: men -3.76 + 0.034 ht
 * - 0.028 age + 0.022 wt, women -2.26 + 0.025 ht - 0.018 age + 0.010 wt;
 * other tests: men 4.2 - 0.032 age, women 2.6 - 0.014 age. */
double ef_ref_jones(double age, int female, double weight_kg, double height_cm, int mode);

#endif
