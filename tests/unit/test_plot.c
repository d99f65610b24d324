/* test_plot.c — the plot module without a store: quoting of data-derived
 * text for gnuplot, the terminals by extension, the scripts' locale-proof
 * numbers, PCA against a known answer, and the runner's errors (a missing
 * program, a failing one with its stderr). */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "plot/ef_plot.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void quoting(void)
{
    char buf[256];

    is_str(ef_plot_quote("vo2max", buf, sizeof buf), "'vo2max'", "plain text in single quotes");
    is_str(ef_plot_quote("it's", buf, sizeof buf), "'it''s'", "a single quote is doubled");
    is_str(ef_plot_quote("a \"b\" \\n c", buf, sizeof buf), "'a \"b\" \\n c'",
           "double quotes and backslashes stay literal (no escapes in single quotes)");
    is_str(ef_plot_quote("`rm -rf x` @m system('x')", buf, sizeof buf), "'`rm -rf x` @m system(''x'')'",
           "backquotes, macros and system() are inert text");
    is_str(ef_plot_quote("line1\nline2\t;", buf, sizeof buf), "'line1 line2 ;'", "control characters become spaces");
    is_str(ef_plot_quote("''''", buf, 6), "''''", "cut short inside a small buffer, still closed");
    is_str(ef_plot_quote(NULL, buf, sizeof buf), "''", "NULL is the empty string");
}

static void terms(void)
{
    is_int(ef_plot_term_of_path("fig.png"), EF_PLOT_PNG, ".png");
    is_int(ef_plot_term_of_path("a.b/FIG.SVG"), EF_PLOT_SVG, ".SVG");
    is_int(ef_plot_term_of_path("x.pdf"), EF_PLOT_PDF, ".pdf");
    is_int(ef_plot_term_of_path("x.jpg"), -1, ".jpg refused");
    is_int(ef_plot_term_of_path("dir.png/x"), -1, "a dot in a folder name is no extension");
    is_str(ef_plot_term_name(EF_PLOT_PDF), "pdfcairo", "pdfcairo");
}

/* A label with every troublesome character reaches the script quoted, and
 * numbers keep their '.' under a comma locale. */
static void scatter_script(void)
{
    double y[4] = { 30.5, 41.25, NAN, 25 }, yh[4] = { 31, 40, 33, 27.5 };
    ef_metrics m = { 3, 0.9, 0.5, 0.99, 0.8, 1.5, 2.5, 1.58, 0, 0, 0, 0 };
    ef_plot_xy d = { y, yh, 4, "vo2max", "VO2 \"max\" it's `x`", "ml/kg/min", "basic", "lasso", "test", &m };
    ef_plot_opts o = { EF_PLOT_PNG, "out 'q'.png", 0, 0, 0 };
    ef_error err;
    char *s = NULL;
    int comma = setlocale(LC_ALL, "de_DE.UTF-8") != NULL;

    is_int(ef_plot_scatter(&d, &o, &s, &err), EF_OK, "scatter builds");
    if (getenv("PLOT_DUMP"))
        fputs(s, stderr);
    ok(s && strstr(s, "set output 'out ''q''.png'"), "output file name quoted");
    ok(s && strstr(s, "set title 'VO2 \"max\" it''s `x`' . \"\\n\" . 'basic/lasso, test set, n = 3'"), "title quoted");
    ok(s && strstr(s, "\n30.5 31\n41.25 40\n25 27.5\nEOD\n"), "data: the finite pairs, '.' decimals%s",
       comma ? " under de_DE" : "");
    ok(s && strstr(s, "'r = 0.90 [95% CI 0.50, 0.99], MAE 1.50'\n"), "r [CI] and MAE in the title");
    {
        size_t nq = 0;

        for (const char *p = s; p && *p; p++)
            nq += *p == '"';
        is_int((long long)nq, 6, "double quotes: the title's two \"\\n\" and the label's two");
    }
    ok(s && strstr(s, "set terminal pngcairo size 1050,1140 noenhanced"), "3.5 x 3.8 in at 300 dpi");
    free(s);
    setlocale(LC_ALL, "C");
    d.n = 1;
    is_int(ef_plot_scatter(&d, &o, &s, &err), EF_EDATA, "one pair: nothing to plot");
    like(err.msg, "has 1 test row with both values", "says so");
}

static void pca(void)
{
    /* points on the line (t, 2t) plus a small orthogonal wiggle */
    float x[20 * 2];
    double pc[20 * 2], frac[2];
    ef_error err;

    for (int i = 0; i < 20; i++) {
        double t = i - 9.5, w = (i % 2 ? 0.1 : -0.1);

        x[i * 2] = (float)(t - 2 * w / sqrt(5));
        x[i * 2 + 1] = (float)(2 * t + w / sqrt(5));
    }
    is_int(ef_pca2(x, 20, 2, pc, frac, &err), EF_OK, "pca2 runs");
    is_rel(pc[19 * 2], 9.5 * sqrt(5), 1e-4, "PC1 is the position along (1,2)/sqrt(5), largest loading positive");
    ok(frac[0] > 0.999 && frac[0] + frac[1] > 0.99999, "PC1 explains almost all the variance (%g, %g)", frac[0],
       frac[1]);
    is_int(ef_pca2(x, 2, 2, pc, frac, &err), EF_EDATA, "two rows: refused");
}

static void runner(void)
{
    char *dir = ef_xasprintf("%s/plot-run", tap_tmpdir()), *fake = ef_xasprintf("%s/fake-gnuplot", dir);
    char *warn = NULL, *out = NULL;
    size_t n = 0;
    ef_error err;
    FILE *fp;

    mkdir(dir, 0777);
    is_int(ef_plot_run("print 1\n", "/nonexistent/gnuplot", NULL, NULL, NULL, &err), EF_ENOTFOUND,
           "a missing gnuplot: EF_ENOTFOUND");
    like(err.msg, "install gnuplot", "the message says to install it");
    fp = fopen(fake, "w");
    fputs("#!/bin/sh\ncat >/dev/null\necho 'line 3: undefined variable: foo' >&2\nexit 1\n", fp);
    fclose(fp);
    chmod(fake, 0755);
    is_int(ef_plot_run("plot foo\n", fake, NULL, NULL, &warn, &err), EF_EIO, "a failing gnuplot: EF_EIO");
    like(err.msg, "exit status 1", "names the exit status");
    like(err.msg, "undefined variable: foo", "carries gnuplot's stderr");
    fp = fopen(fake, "w");
    fputs("#!/bin/sh\nwc -c\necho 'warning: x' >&2\n", fp);
    fclose(fp);
    {
        /* a script larger than a pipe's buffer is read whole */
        size_t big = 1 << 20;
        char *s = ef_xmalloc(big + 1);

        memset(s, '#', big);
        s[big] = '\0';
        is_int(ef_plot_run(s, fake, &out, &n, &warn, &err), EF_OK, "a 1 MB script through the pipe");
        ok(out && atol(out) == (long)big, "all of it arrived (%ld bytes)", out ? atol(out) : -1L);
        is_str(warn, "warning: x", "stderr on success comes back as warnings");
        free(s);
    }
    free(out);
    free(warn);
    remove(fake);
    rmdir(dir);
    free(fake);
    free(dir);
}

/* The TUI's path: the same script on sixelgd, read back from gnuplot's
 * standard output (skipped without gnuplot). */
static void sixel(void)
{
    double y[3] = { 1, 2, 3 }, yh[3] = { 1.5, 1.8, 3.3 };
    ef_plot_xy d = { y, yh, 3, "t", "", "", "basic", "lasso", "test", NULL };
    ef_plot_opts o = { EF_PLOT_SIXEL, NULL, 3, 2, 0 };
    char *s = NULL, *out = NULL, *warn = NULL;
    size_t n = 0;
    ef_error err;
    int rc;

    is_int(ef_plot_scatter(&d, &o, &s, &err), EF_OK, "sixel scatter builds");
    ok(s && strstr(s, "set terminal sixelgd size 288,192 truecolor") && !strstr(s, "set output"),
       "sixelgd at 96 dpi, to standard output");
    rc = ef_plot_run(s, NULL, &out, &n, &warn, &err);
    if (rc == EF_ENOTFOUND) {
        ok(1, "# skip gnuplot not installed");
    } else {
        is_int(rc, EF_OK, "gnuplot renders sixel");
        ok(out && n > 100 && memchr(out, 'q', 8) && (unsigned char)out[0] == 0x1b && out[1] == 'P',
           "the output is a sixel image (ESC P ... q), %zu bytes", n);
    }
    free(s);
    free(out);
    free(warn);
}

int main(void)
{
    quoting();
    terms();
    scatter_script();
    pca();
    runner();
    sixel();
    return done_testing();
}
