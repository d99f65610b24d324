/* ef_synth_int.h — internals shared by ef_synth_cohort.c (the generative
 * model) and ef_synth_csv.c (the writer).  Not part of the library API. */
#ifndef EF_SYNTH_INT_H
#define EF_SYNTH_INT_H

#include "synth/ef_synth.h"
#include "core/ef_rng.h"

/* The column table, in column order (ascending field id).
 * X(field, first instance, last instance, arrays, type, RAP-instanced, title)
 * Instances and arrays follow ukb-data.md §3.1 except where noted. */
#define EF_SYNTH_FIELDS(X) \
    X(31,     0, 0, 1, CAT,  0, "Sex") \
    X(34,     0, 0, 1, INT,  0, "Year of birth (filler)") \
    X(46,     0, 3, 1, INT,  1, "Hand grip strength (left)") \
    X(47,     0, 3, 1, INT,  1, "Hand grip strength (right)") \
    X(50,     0, 3, 1, CONT, 1, "Standing height") \
    X(53,     0, 3, 1, DATE, 1, "Date of attending assessment centre (filler)") \
    X(78,     0, 0, 1, CONT, 1, "Heel bone mineral density (BMD) T-score, automated") \
    X(93,     0, 3, 2, INT,  1, "Systolic blood pressure, manual reading") \
    X(94,     0, 3, 2, INT,  1, "Diastolic blood pressure, manual reading") \
    X(102,    0, 3, 2, INT,  1, "Pulse rate, automated reading") \
    X(924,    0, 3, 1, CAT,  1, "Usual walking pace") \
    X(2080,   0, 3, 1, CAT,  1, "Frequency of tiredness / lethargy in last 2 weeks") \
    X(3062,   0, 3, 3, CONT, 1, "Forced vital capacity (FVC)") \
    X(3063,   0, 3, 3, CONT, 1, "Forced expiratory volume in 1-second (FEV1)") \
    X(3064,   0, 3, 3, INT,  1, "Peak expiratory flow (PEF)") \
    X(4079,   0, 3, 2, INT,  1, "Diastolic blood pressure, automated reading") \
    X(4080,   0, 3, 2, INT,  1, "Systolic blood pressure, automated reading") \
    X(4106,   0, 3, 1, CONT, 1, "Heel bone mineral density (BMD) T-score, automated (left)") \
    X(6017,   0, 1, 1, CAT,  1, "Able to walk or cycle unaided for 10 minutes") \
    X(20002,  0, 3, 3, CAT,  1, "Non-cancer illness code, self-reported (filler; 3 of 34 arrays)") \
    X(20023,  0, 3, 1, INT,  1, "Mean time to correctly identify matches") \
    X(20116,  0, 3, 1, CAT,  1, "Smoking status") \
    X(20150,  0, 0, 1, CONT, 1, "Forced expiratory volume in 1-second (FEV1), Best measure") \
    X(20153,  0, 0, 1, CONT, 1, "Forced expiratory volume in 1-second (FEV1), predicted") \
    X(20154,  0, 0, 1, CONT, 1, "Forced expiratory volume in 1-second (FEV1), predicted percentage") \
    X(20256,  0, 0, 1, CONT, 1, "Forced expiratory volume in 1-second (FEV1) Z-score") \
    X(20258,  0, 0, 1, CONT, 1, "FEV1/ FVC ratio Z-score") \
    X(21000,  0, 2, 1, CAT,  1, "Ethnic background") \
    X(21001,  0, 3, 1, CONT, 1, "Body mass index (BMI)") \
    X(21002,  0, 3, 1, CONT, 1, "Weight") \
    X(21003,  0, 3, 1, INT,  1, "Age when attended assessment centre") \
    X(21021,  0, 3, 1, CONT, 1, "Pulse wave Arterial Stiffness index") \
    X(23099,  0, 3, 1, CONT, 1, "Body fat percentage") \
    X(23100,  0, 3, 1, CONT, 1, "Whole body fat mass") \
    X(23104,  0, 3, 1, CONT, 1, "Body mass index (BMI), impedance") \
    X(23127,  0, 3, 1, CONT, 1, "Trunk fat percentage") \
    X(23128,  0, 3, 1, CONT, 1, "Trunk fat mass") \
    X(23400,  0, 1, 1, CONT, 1, "Total cholesterol (NMR metabolomics)") \
    X(26413,  0, 0, 1, CONT, 0, "Health score (England)") \
    X(26420,  0, 0, 1, CONT, 0, "Health score (Wales)") \
    X(26430,  0, 0, 1, CONT, 0, "Health score (Scotland)") \
    X(29155,  0, 0, 1, INT,  0, "Online questionnaire score (as labelled by the seed)") \
    X(30038,  0, 1, 1, CONT, 1, "VO2max per kg, estimated (as labelled by the seed)") \
    X(30710,  0, 1, 1, CONT, 1, "C-reactive protein") \
    X(30760,  0, 1, 1, CONT, 1, "HDL cholesterol") \
    X(30780,  0, 1, 1, CONT, 1, "LDL direct") \
    X(30870,  0, 1, 1, CONT, 1, "Triglycerides") \
    X(31060,  2, 2, 1, CONT, 1, "LVEF (as labelled by the seed)") \
    X(90012,  0, 0, 1, CONT, 0, "Overall acceleration average") \
    X(99999,  0, 0, 1, TEXT, 0, "Free-text note (filler; not a UK Biobank field)") \
    X(120103, 0, 0, 1, INT,  0, "Scale to indicate how health is today (EQ-5D VAS)")

#define EF_SYNTH_ENUM(f, lo, hi, na, ty, ins, t) EF_SYNTH_F_##f,
enum { EF_SYNTH_FIELDS(EF_SYNTH_ENUM) EF_SYNTH_NFIELDS };
#undef EF_SYNTH_ENUM

/* Instances in the model (0 baseline, 1 repeat, 2 imaging, 3 repeat imaging). */
#define EF_SYNTH_NVISITS 4
/* Person-level (persistent) residuals, one per trait. */
enum { U_SBP, U_DBP, U_PULSE, U_GRIP, U_BF, U_FEV, U_RATIO, U_HDL, U_TG, U_TC, U_CRP,
       U_VO2, U_HEEL, U_RT, U_ASI, U_LVEF, EF_SYNTH_NU };

/* Forced edge cases at fixed row indices (ef_synth_cohort.c). */
enum {
    EF_SYNTH_EDGE_ONE_BP2 = 1 << 0,      /* only the first BP reading at instance 2 */
    EF_SYNTH_EDGE_NO_BMI2 = 1 << 1,      /* 21001-2.0 missing */
    EF_SYNTH_EDGE_VO2_I1_ONLY = 1 << 2,  /* 30038-1.0 present, 30038-0.0 absent */
    EF_SYNTH_EDGE_VO2_I1_CODE = 1 << 3,  /* 30038-1.0 = -3 */
    EF_SYNTH_EDGE_CODES_A = 1 << 4,      /* 924 -7, 2080 -1, 21000 -1 at instance 0 */
    EF_SYNTH_EDGE_CODES_B = 1 << 5,      /* 924 -3, 2080 -3, 20116 -3, 21000 -3 at instance 0 */
    EF_SYNTH_EDGE_ONLINE = 1 << 6        /* 120103 -818, 29155 -121 */
};

/* Everything the row generator needs about one participant. */
typedef struct ef_synth_person_int {
    ef_synth_person pub;
    unsigned visits;               /* bit k: attended instance k */
    unsigned edge;                 /* EF_SYNTH_EDGE_* */
    int female;
    int vo2_0, vo2_1;              /* usable VO2max at instance 0 / 1 */
    int ethnicity, country;        /* 21000 code at instance 0; 0 England, 1 Wales, 2 Scotland */
    int smoke[EF_SYNTH_NVISITS];         /* 20116 code per instance */
    double day[EF_SYNTH_NVISITS];        /* visit date, days since 1970-01-01 */
    double birth;                  /* birth date, days since 1970-01-01 */
    double age[EF_SYNTH_NVISITS], zf[EF_SYNTH_NVISITS], bmi[EF_SYNTH_NVISITS], height[EF_SYNTH_NVISITS];
    double hr_u;                   /* persistent heart-rate residual */
    double u[EF_SYNTH_NU];
} ef_synth_person_int;

struct ef_synth {
    ef_synth_opts opts;
    ef_synth_person *people;
    size_t col_off[EF_SYNTH_NFIELDS];    /* first column (after eid) of each field */
    size_t ncols;                  /* value columns, eid excluded */
};

/* Column-table layout: offsets of each field's first value column. */
size_t ef_synth_layout(size_t off[EF_SYNTH_NFIELDS]);
/* Draw participant i (pure function of opts and i). */
void ef_synth_draw_person(const ef_synth_opts *o, size_t i, ef_synth_person_int *p);
/* Draw row values: vals[ncols] (NaN = empty); dates are day numbers, text
 * cells index ef_synth_text[]. */
void ef_synth_gen_row(const ef_synth *s, const ef_synth_person_int *p, size_t i, double *vals);
extern const char *const ef_synth_text[];
extern const size_t ef_synth_ntext;
/* Format x like printf("%.6g") into out (>= 32 bytes; zero is "0", also -0);
 * returns the length. */
size_t ef_synth_fmt_g6(double x, char *out);
/* Days since 1970-01-01 <-> civil date. */
long ef_synth_days_from_civil(int y, int m, int d);
void ef_synth_civil_from_days(long z, int *y, int *m, int *d);

#endif
