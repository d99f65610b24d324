/* test_table.c — ef_table and its renderers against golden files
 * (tests/data/expected/table/; GENERATE=1 rewrites them). */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "stats/ef_table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    char *s;
    long n;

    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    rewind(fp);
    s = ef_xmalloc((size_t)n + 1);
    s[fread(s, 1, (size_t)n, fp)] = '\0';
    fclose(fp);
    return s;
}

static void golden(const char *name, const char *got)
{
    char *path = ef_xasprintf("%s/tests/data/expected/table/%s", tap_srcdir(), name);
    const char *gen = getenv("GENERATE");
    char *want;

    if (gen && strcmp(gen, "1") == 0) {
        FILE *fp = fopen(path, "wb");

        ok(fp && fputs(got, fp) >= 0 && fclose(fp) == 0, "golden %s regenerated", name);
        free(path);
        return;
    }
    want = slurp(path);
    if (!is_str(got, want ? want : "(missing golden file)", "golden %s", name))
        diag("GENERATE=1 make check TESTS=tests/unit/test_table rewrites it");
    free(want);
    free(path);
}

/* Every line of s at most w code points wide. */
static int lines_fit(const char *s, size_t w)
{
    while (*s) {
        const char *nl = strchr(s, '\n');
        char *line = ef_xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
        size_t lw = ef_table_text_width(line);

        free(line);
        if (lw > w)
            return 0;
        if (!nl)
            break;
        s = nl + 1;
    }
    return 1;
}

/* A results-like table: units, CIs, NaN, a group heading, a rule, notes,
 * and cells every format must escape. */
static ef_table *sample(void)
{
    ef_table *t = ef_table_new("Model comparison: R\xc2\xb2 & MAE, 95% CI ($n$ #1)");
    size_t r;

    ef_table_add_col(t, "target", EF_TABLE_LEFT);
    ef_table_add_col(t, "model", EF_TABLE_LEFT);
    ef_table_add_col(t, "n", EF_TABLE_RIGHT);
    ef_table_add_col(t, "R\xc2\xb2 [95% CI]", EF_TABLE_RIGHT);
    ef_table_add_col(t, "MAE", EF_TABLE_RIGHT);
    ef_table_add_col(t, "chosen", EF_TABLE_LEFT);
    ef_table_col_unit(t, 4, "ml/kg/min");
    ef_table_col_priority(t, 2, 3);
    ef_table_col_priority(t, 4, 2);
    ef_table_col_priority(t, 5, 1);
    ef_table_add_group(t, "vo2max (published models last)");
    r = ef_table_add_row(t);
    ef_table_set(t, r, 0, "vo2max");
    ef_table_set(t, r, 1, "lasso");
    ef_table_set_num(t, r, 2, 12, 0);
    ef_table_set_ci(t, r, 3, 0.47213, 0.36612, 0.71749, 3);
    ef_table_set_num(t, r, 4, 5.584683263, 2);
    ef_table_set(t, r, 5, "alpha=0.17 l1_ratio=1");
    r = ef_table_add_row(t);
    ef_table_set(t, r, 0, "vo2max");
    ef_table_set(t, r, 1, "fixed/friend");
    ef_table_set_num(t, r, 2, 60, 0);
    ef_table_set_ci(t, r, 3, -0.716, NAN, NAN, 3);
    ef_table_set_num(t, r, 4, NAN, 2);
    ef_table_set(t, r, 5, "(fixed) {a} ~b ^c \\d");
    ef_table_add_rule(t);
    r = ef_table_add_row(t);
    ef_table_set(t, r, 0, "\xce\x94sbp");
    ef_table_set(t, r, 1, "x|y <b>");
    ef_table_set_num(t, r, 2, 18, 0);
    ef_table_set_ci(t, r, 3, NAN, 0, 1, 3);
    ef_table_set_num(t, r, 4, 14.0, 2);
    ef_table_set(t, r, 5, "say \"hi\", ok 'q'");
    ef_table_add_note(t, "r: Pearson with Fisher-z CI; R\xc2\xb2, MAE: bootstrap CI & 50%% of_it");
    return t;
}

static char *render(const ef_table *t, int format, size_t width, int wide)
{
    ef_table_render_opts o = { format, width, wide, "--wide shows every column" };

    return ef_table_render_str(t, &o);
}

int main(void)
{
    ef_table *t = sample();
    char *s, buf[64];
    static const struct {
        const char *name;
        int format;
        size_t width;
        int wide;
    } cases[] = {
        { "text.txt", EF_TABLE_TEXT, 0, 0 },         { "text-60.txt", EF_TABLE_TEXT, 60, 0 },
        { "text-40.txt", EF_TABLE_TEXT, 40, 0 },     { "text-40-wide.txt", EF_TABLE_TEXT, 40, 1 },
        { "md.md", EF_TABLE_MD, 0, 0 },              { "latex.tex", EF_TABLE_LATEX, 0, 0 },
        { "csv.csv", EF_TABLE_CSV, 0, 0 },           { "html.html", EF_TABLE_HTML, 0, 0 },
    };
    size_t i;

    is_int((long long)ef_table_text_width("R\xc2\xb2 \xce\x94"), 4, "width counts code points");
    is_str(ef_table_fmt_ci(buf, sizeof buf, 0.4721, 0.366, 0.7171, 3), "0.472 [0.366, 0.717]", "one CI format");
    is_str(ef_table_fmt_ci(buf, sizeof buf, 0.4721, NAN, 0.7, 3), "0.472", "CI without bounds");
    is_str(ef_table_fmt_ci(buf, sizeof buf, NAN, 0, 1, 3), "-", "no estimate");
    is_int((long long)ef_table_ncols(t), 6, "six columns");
    is_int((long long)ef_table_nrows(t), 5, "five rows (a group and a rule among them)");
    is_str(ef_table_get(t, 1, 3), "0.472 [0.366, 0.717]", "a CI cell's text");
    is_str(ef_table_get(t, 0, 0), "", "a group row has no cells");
    ok(ef_table_get_num(t, 1, 3) == 0.47213, "a CI cell keeps its estimate in full");
    ok(ef_table_get_num(t, 1, 2) == 12, "a number cell keeps its value");
    ok(isnan(ef_table_get_num(t, 1, 0)) && isnan(ef_table_get_num(t, 0, 2)) && isnan(ef_table_get_num(t, 2, 4)),
       "text, group rows and NaN cells have no number");
    is_str(ef_table_col_header(t, 3), "R\xc2\xb2 [95% CI]", "a column's header");
    is_str(ef_table_col_header(t, 6), "", "no header past the last column");
    ok(!ef_table_row_is_cells(t, 0) && ef_table_row_is_cells(t, 1) && !ef_table_row_is_cells(t, 3) &&
       !ef_table_row_is_cells(t, 5), "rows of cells, not groups, rules or past the end");

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        s = render(t, cases[i].format, cases[i].width, cases[i].wide);
        golden(cases[i].name, s);
        if (cases[i].format == EF_TABLE_TEXT && cases[i].width && !cases[i].wide)
            ok(lines_fit(s, cases[i].width) == (cases[i].width >= 60), "%s: %s line wider than %zu",
               cases[i].name, cases[i].width >= 60 ? "no" : "a (only essential columns left)", cases[i].width);
        free(s);
    }
    s = render(t, EF_TABLE_TEXT, 60, 0);
    like(s, "(not shown, to fit 60 columns: chosen, MAE (ml/kg/min);\n--wide shows every column)",
         "dropped columns named, least important first");
    ok(!strstr(s, "alpha="), "the dropped column's cells are gone");
    free(s);
    s = render(t, EF_TABLE_TEXT, 40, 1);
    ok(strstr(s, "alpha=") && !strstr(s, "not shown"), "wide keeps every column");
    free(s);
    s = render(t, EF_TABLE_CSV, 0, 0);
    like(s, "\"say \"\"hi\"\", ok 'q'\"", "CSV quotes and doubles quotes");
    like(s, "vo2max,lasso,12,0.47213,5.584683263,", "CSV numbers in full");
    like(s, "fixed/friend,60,-0.716,,", "CSV: NaN is empty");
    free(s);
    s = render(t, EF_TABLE_LATEX, 0, 0);
    like(s, "\\{a\\} \\textasciitilde{}b \\textasciicircum{}c \\textbackslash{}d", "LaTeX escapes");
    like(s, "\\toprule", "booktabs rules");
    free(s);
    s = render(t, EF_TABLE_HTML, 0, 0);
    like(s, "x|y &lt;b&gt;", "HTML escapes");
    like(s, "<tbody>\n<tr><td>", "HTML: a rule starts a new tbody");
    free(s);
    ef_table_free(t);

    /* Fixed layout: indent, minimum and maximum widths, gaps. */
    t = ef_table_new(NULL);
    ef_table_set_indent(t, 4);
    ef_table_add_col(t, "key", EF_TABLE_LEFT);
    ef_table_add_col(t, "label", EF_TABLE_LEFT);
    ef_table_add_col(t, "n", EF_TABLE_RIGHT);
    ef_table_col_layout(t, 0, 8, 0, -1);
    ef_table_col_layout(t, 1, 0, 10, 1);
    ef_table_col_layout(t, 2, 5, 0, 1);
    ef_table_setf(t, ef_table_add_row(t), 0, "%s", "a");
    ef_table_set(t, 0, 1, "a label longer than ten");
    ef_table_set_num(t, 0, 2, 7, 0);
    s = ef_table_render_str(t, NULL);
    is_str(s, "    key      label          n\n    a        a label l\xe2\x80\xa6     7\n", "layout: indent, widths, gaps (a cut ends in an ellipsis)");
    free(s);
    ef_table_free(t);
    return done_testing();
}
