/* test_registry.c — column-name dialects, the field registry, rules
 * (instance priority, BP means) and codings. */
#include "config.h"
#include "tap.h"
#include "ukb/ef_registry.h"
#include "ukb/ef_names.h"
#include "synth/ef_synth.h"
#include "ukb/ef_ukbcol.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_colnames(void)
{
    ef_ukbcol c;
    char buf[32];

    ok(ef_ukbcol_parse("4080-2.1", &c) && c.field == 4080 && c.instance == 2 && c.array == 1, "ukbconv name");
    ok(ef_ukbcol_parse("participant.p21003_i2", &c) && c.field == 21003 && c.instance == 2 && c.array == 0,
       "RAP name with entity prefix");
    ok(ef_ukbcol_parse("p4080_i2_a0", &c) && c.field == 4080 && c.instance == 2 && c.array == 0, "RAP name with array");
    ok(ef_ukbcol_parse("p22009_a1", &c) && c.field == 22009 && c.instance == 0 && c.array == 1,
       "RAP arrayed field without instances");
    ok(ef_ukbcol_parse("p31", &c) && c.field == 31 && c.instance == 0, "RAP single-instance field");
    ok(ef_ukbcol_parse("f.31.0.0", &c) && c.field == 31, "R .tab name");
    ok(!ef_ukbcol_parse("eid", &c), "eid is not a field column");
    ok(!ef_ukbcol_parse("4080-2", &c) && !ef_ukbcol_parse("4080-2.1x", &c) && !ef_ukbcol_parse("p4080_i", &c),
       "malformed names rejected");
    ok(ef_ukbcol_is_eid("eid") && ef_ukbcol_is_eid("participant.eid") && !ef_ukbcol_is_eid("p31"), "eid column");
    c.field = 30038;
    c.instance = 1;
    c.array = 0;
    is_str(ef_ukbcol_format(&c, buf, sizeof buf), "30038-1.0", "format as ukbconv");
}

static void fill(double v[EF_MAX_INSTANCES][EF_MAX_ARRAYS])
{
    int i, a;

    for (i = 0; i < EF_MAX_INSTANCES; i++)
        for (a = 0; a < EF_MAX_ARRAYS; a++)
            v[i][a] = NAN;
}

static void test_rules(void)
{
    double v[EF_MAX_INSTANCES][EF_MAX_ARRAYS];
    ef_rule r;
    char buf[128];

    ok(ef_rule_parse("i2.mean", &r) && r.kind == EF_RULE_INSTANCE && r.instance == 2 && r.mean_arrays,
       "parse i2.mean");
    ok(ef_rule_parse("i0.a1", &r) && r.array == 1 && !r.mean_arrays, "parse i0.a1");
    ok(ef_rule_parse("priority.mean", &r) && r.kind == EF_RULE_PRIORITY && r.mean_arrays, "parse priority.mean");
    ok(!ef_rule_parse("i9", &r) && !ef_rule_parse("latest", &r) && !ef_rule_parse("i2.avg", &r), "bad rules rejected");
    ef_rule_parse("i2.mean", &r);
    is_str(ef_rule_format(&r, buf, sizeof buf), "i2.mean", "format round-trips");

    /* blood_pressure_averager.py: mean of the readings present */
    fill(v);
    v[2][0] = 140;
    v[2][1] = 131;
    is_rel(ef_rule_apply(&r, v, 3), 135.5, 0, "BP mean of two readings");
    v[2][0] = NAN;
    is_rel(ef_rule_apply(&r, v, 3), 131, 0, "BP: one reading when the other is missing");
    v[2][1] = NAN;
    ok(isnan(ef_rule_apply(&r, v, 3)), "BP: missing when both are missing");
    v[1][0] = 150;
    ok(isnan(ef_rule_apply(&r, v, 3)), "instance-2 rule ignores other instances");

    /* ukbb_ecg_cohort_table1.py priority: 2 -> mean(1,3) -> 1 -> 0 */
    ef_rule_parse("priority", &r);
    fill(v);
    v[0][0] = 10;
    is_rel(ef_rule_apply(&r, v, 1), 10, 0, "priority falls back to instance 0");
    v[1][0] = 20;
    is_rel(ef_rule_apply(&r, v, 1), 20, 0, "priority prefers instance 1 over 0");
    v[3][0] = 30;
    is_rel(ef_rule_apply(&r, v, 1), 25, 0, "priority: mean of 1 and 3 when both");
    v[1][0] = NAN;
    is_rel(ef_rule_apply(&r, v, 1), 10, 0, "priority: instance 3 alone is not used (seed rule), falls to 0");
    v[2][0] = 40;
    is_rel(ef_rule_apply(&r, v, 1), 40, 0, "priority prefers instance 2");
    ef_rule_parse("priority.mean", &r);
    fill(v);
    v[1][0] = 120;
    v[1][1] = 110;
    is_rel(ef_rule_apply(&r, v, 3), 115, 0, "priority.mean averages arrays within an instance first");
}

static void test_registry(void)
{
    ef_registry *reg = NULL;
    ef_error err;
    const ef_field *f;
    ef_field raw;
    double v;
    char path[1024];
    FILE *fp;

    ef_error_clear(&err);
    is_int(ef_registry_load(&reg, NULL, &err), EF_OK, "installed registry loads (%s)", err.msg);
    if (!reg)
        return;
    ok(reg->nfields >= 40, "registry has every seed field (%zu)", reg->nfields);
    f = ef_registry_find(reg, "vo2max");
    ok(f && f->field == 30038 && f->rule.instance == 1, "vo2max is 30038 instance 1");
    f = ef_registry_find(reg, "sbp");
    ok(f && f->field == 4080 && f->rule.mean_arrays && f->arrays == 3, "sbp: mean of 4080 arrays 0-1");
    f = ef_registry_find(reg, "tiredness");
    ok(f && f->nexclude == 2 && f->exclude[0] == -1, "2080 excludes -1 (ukb-data 3.2), unlike the seed");
    f = ef_registry_find(reg, "heel_bmd_t");
    ok(f && f->nexclude == 0, "a T-score can be -3: no special codes");
    ok(ef_coding_value(reg, 9, "Female", &v) && v == 0, "coding text Female -> 0");
    is_str(ef_coding_meaning(reg, 100313, 3), "Brisk pace", "coding meaning");

    is_int(ef_registry_resolve(reg, "30038-0.0", &raw, &err), EF_OK, "resolve a registry entry's column id");
    is_str(raw.key, "vo2max_i0", "the id of the cell an entry reads is that entry");
    ef_field_fini(&raw);
    is_int(ef_registry_resolve(reg, "f.30038.1.0", &raw, &err), EF_OK, "resolve an R column id");
    is_str(raw.key, "vo2max", "R id of vo2max's cell is vo2max");
    ef_field_fini(&raw);
    is_int(ef_registry_resolve(reg, "30038-3.0", &raw, &err), EF_OK, "resolve a raw column id");
    ok(raw.rule.instance == 3 && raw.nexclude == 3 && strcmp(raw.key, "30038-3.0") == 0,
       "raw id inherits special codes, gets its own instance rule");
    ef_field_fini(&raw);
    is_int(ef_registry_resolve(reg, "p4080_i2_a1", &raw, &err), EF_OK, "resolve a RAP column id");
    is_str(raw.key, "4080-2.1", "RAP id of one reading is keyed as ukbconv");
    ef_field_fini(&raw);
    is_int(ef_registry_resolve(reg, "participant.p924_i2", &raw, &err), EF_OK, "resolve a prefixed RAP id");
    is_str(raw.key, "walking_pace", "RAP id of walking_pace's cell is walking_pace");
    ef_field_fini(&raw);
    is_int(ef_registry_resolve(reg, "no_such_key", &raw, &err), EF_ENOTFOUND, "unknown key");
    like(err.msg, "neither a key", "unknown key message");
    ef_registry_free(reg);

    /* errors name FILE:LINE */
    snprintf(path, sizeof path, "%s/bad.tsv", tap_tmpdir());
    fp = fopen(path, "w");
    fprintf(fp, "# comment\nkey\tfield\ttype\tunit\tcoding\texclude\tinstances\tarrays\trule\trole\tlabel\n"
                "x\t31\tcategorical\t-\t9\t-\t0\t0\ti0\tother\tSex\n"
                "y\t32\tfloat\t-\t-\t-\t0\t0\ti0\tother\tY\n");
    fclose(fp);
    is_int(ef_registry_load(&reg, path, &err), EF_EPARSE, "bad type is a parse error");
    ok(err.line == 4 && strstr(err.msg, "float"), "error names line 4 and the bad value (line %ld: %s)", err.line,
       err.msg);
    fp = fopen(path, "w");
    fprintf(fp, "x\t31\tcategorical\t-\t9\t-\t0\t0\ti2\tother\tSex\n");
    fclose(fp);
    is_int(ef_registry_load(&reg, path, &err), EF_EPARSE, "rule on a missing instance");
    like(err.msg, "instance 2", "names the instance");
    fp = fopen(path, "w");
    fprintf(fp, "x\t31\tcategorical\t-\t9\n");
    fclose(fp);
    is_int(ef_registry_load(&reg, path, &err), EF_EPARSE, "too few columns");
    is_int(err.line, 1, "on line 1");
    snprintf(path, sizeof path, "%s/none.tsv", tap_tmpdir());
    is_int(ef_registry_load(&reg, path, &err), EF_EIO, "missing registry file");
    remove(path);
    snprintf(path, sizeof path, "%s/bad.tsv", tap_tmpdir());
    remove(path);
    remove(tap_tmpdir());
}

/* `ecgfit synth` writes every registry field with the instances and arrays
 * the registry says exist, so labels can run on a synthetic cohort. */
static void test_synth_covers_registry(void)
{
    ef_registry *reg = NULL;
    size_t i, j, missing = 0;

    if (ef_registry_load(&reg, NULL, NULL) != EF_OK)
        return;
    for (i = 0; i < reg->nfields; i++) {
        const ef_field *f = &reg->fields[i];
        int found = 0;

        for (j = 0; j < ef_synth_field_count(); j++) {
            const ef_synth_field *s = ef_synth_field_at(j);
            unsigned inst = 0, arr = 0;
            int k;

            if (s->field != f->field)
                continue;
            for (k = s->inst_lo; k <= s->inst_hi; k++)
                inst |= 1u << k;
            for (k = 0; k < s->n_arrays; k++)
                arr |= 1u << k;
            found = (inst & f->instances) == f->instances && (arr & f->arrays) == f->arrays;
        }
        if (!found) {
            diag("registry field %s (%ld) is not fully in the synth column table", f->key, f->field);
            missing++;
        }
    }
    is_int((long long)missing, 0, "synth writes every registry field with its instances and arrays");
    ef_registry_free(reg);
}

/* One resolver: every spelling of a column reaches its key. */
static void test_names(void)
{
    ef_registry *reg = NULL;
    static const ef_name_cand cols[] = {
        { "age", 21003, "i2" }, { "vo2max", 30038, "i1" }, { "sbp", 4080, "i2.mean" },
        { "walking_pace", 924, "i2" }, { "30038-3.0", 30038, "i3" }, { "grip", 0, NULL },
    };
    static const ef_name_cand results[] = { { "vo2max", 0, NULL }, { "46-2.0", 0, NULL } };
    const size_t n = sizeof cols / sizeof cols[0];
    static const char *const vo2[] = { "vo2max", "30038-1.0", "p30038_i1", "participant.p30038_i1",
                                       "f.30038.1.0", "p30038_i1_a0" };
    char buf[160];
    size_t i;

    if (ef_registry_load(&reg, NULL, NULL) != EF_OK) {
        ok(0, "registry loads");
        return;
    }
    for (i = 0; i < sizeof vo2 / sizeof vo2[0]; i++)
        is_int((long long)ef_name_find(reg, cols, n, vo2[i]), 1, "%s names vo2max", vo2[i]);
    is_int((long long)ef_name_find(reg, cols, n, "30038-0.0"), (long long)SIZE_MAX, "another instance is not vo2max");
    is_int((long long)ef_name_find(reg, cols, n, "p30038_i3"), 4, "a raw column by another spelling");
    is_int((long long)ef_name_find(reg, cols, n, "grip"), 5, "a column without attributes by its key");
    is_int((long long)ef_name_find(reg, cols, n, "4080-2.0"), (long long)SIZE_MAX, "one reading is not the mean");
    like(ef_name_hint(reg, cols, n, "4080-2.0", buf, sizeof buf), "sbp is the mean", "hint: %s", buf);
    is_int((long long)ef_name_find(reg, cols, n, "sbp"), 2, "sbp by key");
    is_int((long long)ef_name_find(NULL, cols, n, "f.30038.1.0"), 1, "attributes alone resolve without a registry");
    /* result keys carry no attributes: the registry (or the key as an id) stands in */
    is_int((long long)ef_name_find(reg, results, 2, "p30038_i1"), 0, "result key vo2max from a RAP id");
    is_int((long long)ef_name_find(reg, results, 2, "grip_left"), 1, "result key 46-2.0 from its registry key");
    is_str(ef_name_canonical(reg, "p30038_i1", buf, sizeof buf), "vo2max", "canonical key of a RAP id");
    is_str(ef_name_canonical(reg, "f.4080.2.1", buf, sizeof buf), "4080-2.1", "canonical key of one reading");
    is_str(ef_name_canonical(reg, "bmi", buf, sizeof buf), "bmi", "canonical key of a key");
    ef_registry_free(reg);
}

int main(void)
{
    test_names();
    test_synth_covers_registry();
    test_colnames();
    test_rules();
    test_registry();
    return done_testing();
}
