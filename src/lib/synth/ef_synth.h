/* ef_synth.h — a synthetic UK Biobank cohort: the main phenotype CSV.
 *
 * ef_synth_new() draws every participant's latent traits (sex, ages, body
 * size, latent fitness zF, visits, resting heart rate) from the model of
 * shared/reference/synthetic-cohort.md §1–§4.5; ef_synth_write_csv() then
 * writes the main table with real field ids, codings and special codes in
 * either the ukbconv or the RAP dialect (ukb-data.md §2–§3).  Same seed, n
 * and naming give byte-identical files on every platform.
 *
 * Each participant has an own random stream keyed by (seed, row), so the
 * cohort drawn for n rows is a prefix of the cohort drawn for more rows.
 * The phenotype values are redrawn from that stream while writing: memory
 * stays at one small struct per participant even for 500k rows.
 */
#ifndef EF_SYNTH_H
#define EF_SYNTH_H

#include <stddef.h>
#include <stdint.h>
#include "core/ef_error.h"
#include "core/ef_job.h"

enum ef_naming { EF_NAMING_UKBCONV = 0, EF_NAMING_RAP = 1 };

/* Largest cohort: eids are distinct 7-digit numbers. */
#define EF_SYNTH_MAX_N 9000000u
/* Default instance-1 VO2max rate among instance-2 attendees (8,540 / 78,265,
 * synthetic-cohort §1.3). */
#define EF_SYNTH_VO2_I1_RATE 0.11

typedef struct ef_synth_opts {
    size_t n;            /* participants (rows) */
    uint64_t seed;       /* same seed + n + naming => byte-identical output */
    int naming;          /* enum ef_naming */
    double vo2_i1_rate;  /* fraction of instance-2 attendees with an instance-1 VO2max (30038-1.0);
                            < 0 means the realistic default EF_SYNTH_VO2_I1_RATE */
} ef_synth_opts;

/* n 1000, seed 1, ukbconv, realistic rate. */
void ef_synth_opts_default(ef_synth_opts *o);

/* One synthetic participant's latent and ECG-relevant traits, for the ECG XML
 * writer.  Body size and fitness are the instance-2 values (instance 0 when
 * the person has no imaging visit); they are the model's values even where the
 * CSV cell is blanked as missing. */
typedef struct ef_synth_person {
    int64_t eid;
    int sex;             /* UKB coding 9: 0 female, 1 male */
    double age2;         /* exact age at instance 2 (years), NaN if no instance-2 visit;
                            21003-2.0 is its floor */
    double bmi2, height_cm, weight_kg;
    double zf;           /* latent fitness, N(0,1) */
    double rest_hr;      /* resting heart rate at the ECG (bpm), synthetic-cohort §4.5; NaN without
                            an instance-2 visit */
    int has_ecg2;        /* gets an instance-2 resting ECG file {eid}_20205_2_0.xml */
    int has_ecg3;        /* instance-3 file too */
    int smoker;          /* 20116 code at instance 2 (instance 0 without an imaging visit):
                            0 never, 1 previous, 2 current, -3 prefer not to answer */
    /* Extras for the ECG model (instance 3 values, NaN without that visit). */
    double age3, bmi3, zf3, rest_hr3;
} ef_synth_person;

typedef struct ef_synth ef_synth;

/* Draw the whole cohort (n small structs).  EF_EINVAL for a bad option. */
int ef_synth_new(ef_synth **out, const ef_synth_opts *o, ef_error *err);
void ef_synth_free(ef_synth *s);
size_t ef_synth_count(const ef_synth *s);
const ef_synth_opts *ef_synth_options(const ef_synth *s);
const ef_synth_person *ef_synth_person_at(const ef_synth *s, size_t i);

/* Write the main CSV (whole file at once). */
int ef_synth_write_csv(const ef_synth *s, const char *path, ef_error *err);
/* The same as a steppable job (stage "writing main CSV", unit "rows"); the
 * job borrows s, which must outlive it.  On cancel or error the partial file
 * is removed. */
int ef_synth_csv_job(const ef_synth *s, const char *path, ef_job **out, ef_error *err);

/* ---- The column table (for tests and documentation) ---------------------- */

enum ef_synth_type {
    EF_SYNTH_CONT = 0,   /* continuous: <= 6 significant digits */
    EF_SYNTH_INT,        /* integer measurement */
    EF_SYNTH_CAT,        /* categorical: integer code */
    EF_SYNTH_DATE,       /* YYYY-MM-DD */
    EF_SYNTH_TEXT        /* free text (may hold commas and quotes) */
};

typedef struct ef_synth_field {
    int field;           /* UKB field id */
    int inst_lo, inst_hi;/* instances inst_lo..inst_hi */
    int n_arrays;        /* arrays 0..n_arrays-1 */
    int type;            /* enum ef_synth_type */
    int instanced;       /* RAP names carry _i<I> (else the field is single-instance there) */
    const char *title;
} ef_synth_field;

/* Fields in column order (ascending field id); columns expand each field to
 * instance x array, instance-major, after the leading eid column. */
size_t ef_synth_field_count(void);
const ef_synth_field *ef_synth_field_at(size_t i);
/* Number of columns including eid. */
size_t ef_synth_column_count(void);
/* Header name of column j (0 = eid) in the given naming, into buf. */
const char *ef_synth_column_name(size_t j, int naming, char *buf, size_t size);

#endif
