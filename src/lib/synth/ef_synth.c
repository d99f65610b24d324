/* ef_synth.c — the synthetic cohort object and its column table (see
 * ef_synth.h; the model is in ef_synth_cohort.c, the writer in ef_synth_csv.c). */
#include "config.h"
#include "synth/ef_synth_int.h"
#include "core/ef_alloc.h"

#include <stdio.h>
#include <stdlib.h>

#define EF_SYNTH_ROW(f, lo, hi, na, ty, ins, t) { f, lo, hi, na, EF_SYNTH_##ty, ins, t },
static const ef_synth_field fields[EF_SYNTH_NFIELDS] = { EF_SYNTH_FIELDS(EF_SYNTH_ROW) };
#undef EF_SYNTH_ROW

size_t ef_synth_field_count(void)
{
    return EF_SYNTH_NFIELDS;
}

const ef_synth_field *ef_synth_field_at(size_t i)
{
    return i < EF_SYNTH_NFIELDS ? &fields[i] : NULL;
}

size_t ef_synth_layout(size_t off[EF_SYNTH_NFIELDS])
{
    size_t n = 0;

    for (size_t f = 0; f < EF_SYNTH_NFIELDS; f++) {
        off[f] = n;
        n += (size_t)(fields[f].inst_hi - fields[f].inst_lo + 1) * (size_t)fields[f].n_arrays;
    }
    return n;
}

size_t ef_synth_column_count(void)
{
    size_t off[EF_SYNTH_NFIELDS];

    return 1 + ef_synth_layout(off);
}

const char *ef_synth_column_name(size_t j, int naming, char *buf, size_t size)
{
    size_t off[EF_SYNTH_NFIELDS], n = ef_synth_layout(off), f, k;
    const ef_synth_field *fd;
    int inst, arr, len;

    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (j == 0) {
        snprintf(buf, size, "%s", naming == EF_NAMING_RAP ? "participant.eid" : "eid");
        return buf;
    }
    if (--j >= n)
        return buf;
    for (f = EF_SYNTH_NFIELDS - 1; off[f] > j; f--)
        ;
    fd = &fields[f];
    k = j - off[f];
    inst = fd->inst_lo + (int)(k / (size_t)fd->n_arrays);
    arr = (int)(k % (size_t)fd->n_arrays);
    if (naming != EF_NAMING_RAP) {
        snprintf(buf, size, "%d-%d.%d", fd->field, inst, arr);
        return buf;
    }
    len = snprintf(buf, size, "participant.p%d", fd->field);
    if (fd->instanced && len >= 0 && (size_t)len < size)
        len += snprintf(buf + len, size - (size_t)len, "_i%d", inst);
    if (fd->n_arrays > 1 && len >= 0 && (size_t)len < size)
        snprintf(buf + len, size - (size_t)len, "_a%d", arr);
    return buf;
}

/* ---- dates: proleptic Gregorian day numbers (days since 1970-01-01) ---- */

long ef_synth_days_from_civil(int y, int m, int d)
{
    /* Count in 400-year eras starting on 1 March, so the leap day is last. */
    long yy = y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

void ef_synth_civil_from_days(long z, int *y, int *m, int *d)
{
    long era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* ---- the cohort object ---- */

void ef_synth_opts_default(ef_synth_opts *o)
{
    o->n = 1000;
    o->seed = 1;
    o->naming = EF_NAMING_UKBCONV;
    o->vo2_i1_rate = -1.0;
}

int ef_synth_new(ef_synth **out, const ef_synth_opts *o, ef_error *err)
{
    ef_synth *s;
    ef_synth_person_int p;

    *out = NULL;
    if (o->n > EF_SYNTH_MAX_N)
        return ef_error_set(err, EF_EINVAL, "synthetic cohort: n = %zu exceeds %u (7-digit eids)",
                            o->n, EF_SYNTH_MAX_N);
    if (o->naming != EF_NAMING_UKBCONV && o->naming != EF_NAMING_RAP)
        return ef_error_set(err, EF_EINVAL, "synthetic cohort: unknown naming %d", o->naming);
    if (!(o->vo2_i1_rate <= 1.0))   /* also rejects NaN */
        return ef_error_set(err, EF_EINVAL, "synthetic cohort: VO2max rate %g is above 1",
                            o->vo2_i1_rate);
    s = ef_xcalloc(1, sizeof *s);
    s->opts = *o;
    if (s->opts.vo2_i1_rate < 0)
        s->opts.vo2_i1_rate = EF_SYNTH_VO2_I1_RATE;
    s->ncols = ef_synth_layout(s->col_off);
    s->people = ef_xcalloc(o->n ? o->n : 1, sizeof *s->people);
    for (size_t i = 0; i < o->n; i++) {
        ef_synth_draw_person(&s->opts, i, &p);
        s->people[i] = p.pub;
    }
    *out = s;
    return EF_OK;
}

void ef_synth_free(ef_synth *s)
{
    if (!s)
        return;
    free(s->people);
    free(s);
}

size_t ef_synth_count(const ef_synth *s)
{
    return s->opts.n;
}

const ef_synth_opts *ef_synth_options(const ef_synth *s)
{
    return &s->opts;
}

const ef_synth_person *ef_synth_person_at(const ef_synth *s, size_t i)
{
    return i < s->opts.n ? &s->people[i] : NULL;
}
