/* test_table1.c — the Table 1 engine's edge cases on tiny hand-made columns
 * (the numbers at scale are checked against pandas + scipy in
 * tests/cli/table1.sh): include_null denominators, an empty group, one
 * value, --limit, --order, a one-level group, tableone's formats. */
#include "config.h"
#include "tap.h"
#include "stats/ef_table1.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N 8

/* The row whose first two cells are a and b ("" matches an empty cell). */
static size_t find_row(const ef_table *t, const char *a, const char *b)
{
    for (size_t i = 0; i < ef_table_nrows(t); i++)
        if (!strcmp(ef_table_get(t, i, 0), a) && !strcmp(ef_table_get(t, i, 1), b))
            return i;
    return (size_t)-1;
}

static size_t find_col(const ef_table *t, const char *csv_header)
{
    char *s = ef_table_render_str(t, &(ef_table_render_opts){ EF_TABLE_CSV, 0, 1, NULL });
    char *nl = strchr(s, '\n'), *p = s, *save = NULL, *tok;
    size_t k = 0, hit = (size_t)-1;

    if (nl)
        *nl = '\0';
    for (tok = strtok_r(p, ",", &save); tok; tok = strtok_r(NULL, ",", &save), k++)
        if (!strcmp(tok, csv_header))
            hit = k;
    free(s);
    return hit;
}

int main(void)
{
    static const double grp[N] = { 0, 0, 0, 0, 1, 1, 1, NAN };
    static const double x[N] = { 1, 2, 3, 4, NAN, NAN, NAN, 9 };        /* group 1 has no value */
    static const double one[N] = { 5, NAN, NAN, NAN, 6, 7, 8, NAN };    /* group 0 has one value */
    static const double cat[N] = { 1, 1, NAN, 2, 2, 2, 3, 1 };
    static const ef_t1_level sexl[] = { { 0, "Female" }, { 1, "Male" } }, catl[] = { { 1, "One" }, { 2, "Two" } };
    static const double ord[] = { 3, 2 };
    ef_t1_var vars[3], g;
    ef_table1_input in;
    ef_table1_opts o;
    ef_table *t = NULL;
    ef_error err;
    size_t r, cf, cm, cp, ct, co;
    int rc;

    memset(vars, 0, sizeof vars);
    memset(&g, 0, sizeof g);
    vars[0] = (ef_t1_var){ .name = "x", .v = x, .kind = EF_T1_CONTINUOUS };
    vars[1] = (ef_t1_var){ .name = "one", .label = "One value", .v = one, .kind = EF_T1_CONTINUOUS };
    vars[2] = (ef_t1_var){ .name = "cat", .v = cat, .kind = EF_T1_CATEGORICAL, .levels = catl, .nlevels = 2 };
    g = (ef_t1_var){ .name = "sex", .label = "Sex", .v = grp, .kind = EF_T1_CATEGORICAL, .levels = sexl, .nlevels = 2 };
    in = (ef_table1_input){ N, vars, 3, &g };
    ef_table1_opts_default(&o);
    o.pval = o.htest_name = 1;
    o.csv = 1;
    ef_error_clear(&err);
    is_int(ef_table1_build(&in, &o, &t, &err), EF_OK, "build");
    cf = find_col(t, "Female");
    cm = find_col(t, "Male");
    co = find_col(t, "Overall");
    cp = find_col(t, "P-Value");
    ct = find_col(t, "Test");
    ok(cf == 4 && cm == 5 && co == 3, "columns: variable, level, Missing, Overall, Female, Male");
    r = find_row(t, "n", "");
    ok(r != (size_t)-1 && !strcmp(ef_table_get(t, r, co), "8") && !strcmp(ef_table_get(t, r, cf), "4") &&
           !strcmp(ef_table_get(t, r, cm), "3"),
       "n: the row with no group counts in Overall only");
    r = find_row(t, "x, mean (SD)", "");
    is_str(ef_table_get(t, r, co), "3.8 (3.1)", "Overall mean (SD) of 1,2,3,4,9");
    is_str(ef_table_get(t, r, cm), "-", "a group with no value shows -");
    is_str(ef_table_get(t, r, 2), "3", "Missing counts every row's NaN");
    is_str(ef_table_get(t, r, cp), "", "a group with no value: not tested");
    is_str(ef_table_get(t, r, ct), "Not tested", "... and says so");
    r = find_row(t, "One value, mean (SD)", "");
    is_str(ef_table_get(t, r, cf), "5.0 (0.0)", "one value has SD 0 (tableone)");
    is_str(ef_table_get(t, r, ct), "One-way ANOVA", "two groups with one value in one: ANOVA, as tableone");
    r = find_row(t, "cat, n (%)", "One");
    is_str(ef_table_get(t, r, co), "3 (37.5)", "include_null: percent of every row");
    is_str(ef_table_get(t, r, 2), "", "include_null: Missing empty");
    r = find_row(t, "cat, n (%)", "None");
    is_str(ef_table_get(t, r, co), "1 (12.5)", "the missing level None, last");
    is_str(ef_table_get(t, r, cm), "0 (0.0)", "a level a group lacks: 0 (0.0)");
    ef_table_free(t);

    o.include_null = 0;
    o.limit = 2;
    vars[2].order = ord;
    vars[2].norder = 2;
    is_int(ef_table1_build(&in, &o, &t, &err), EF_OK, "build (no include_null, limit 2, order 3/2)");
    r = find_row(t, "cat, n (%)", "Two");
    is_str(ef_table_get(t, r, co), "3 (42.9)", "no include_null: percent of the non-missing");
    is_str(ef_table_get(t, r, 2), "1", "no include_null: Missing counts the NaN");
    ok(find_row(t, "cat, n (%)", "3") == (size_t)-1, "--limit 2 drops the least frequent level");
    ok(r + 1 == find_row(t, "cat, n (%)", "One"), "--order 3/2: Two (3 is gone) before One");
    ef_table_free(t);

    {
        static const double same[N] = { 1, 1, 1, 1, 1, 1, 1, NAN };

        g.v = same;
        rc = ef_table1_build(&in, &o, &t, &err);
        is_int(rc, EF_EDATA, "a group of one level is refused");
        like(err.msg, "1 level in these rows", "... saying so (%s)", err.msg);
        g.v = grp;
    }
    o.full_digits = 1;
    o.limit = 0;
    is_int(ef_table1_build(&in, &o, &t, &err), EF_OK, "build (full digits)");
    r = find_row(t, "x, mean (SD)", "");
    is_str(ef_table_get(t, r, cf), "2.5 (1.2909944487358056)", "full digits: 17 significant");
    ef_table_free(t);
    return done_testing();
}
