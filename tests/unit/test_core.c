/* test_core.c — error records, allocation helpers, steppable jobs. */
#include "config.h"
#include "tap.h"
#include "core/ef_alloc.h"
#include "core/ef_eid.h"
#include "core/ef_error.h"
#include "core/ef_job.h"
#include "core/ef_numfmt.h"
#include "core/ef_str.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct counter { int n, limit, cancelled; };

static int counter_step(void *state, ef_error *err)
{
    struct counter *c = state;

    (void)err;
    return ++c->n < c->limit ? EF_CONTINUE : EF_OK;
}

static void counter_progress(const void *state, ef_progress_report *p)
{
    const struct counter *c = state;

    p->done = (uint64_t)c->n;
    p->total = (uint64_t)c->limit;
    p->unit = "steps";
}

static void counter_cancel(void *state)
{
    ((struct counter *)state)->cancelled = 1;
}

static const ef_job_ops counter_ops = {
    .name = "count", .step = counter_step, .progress = counter_progress,
    .cancel = counter_cancel, .free = NULL,
};


/* A front end may set the locale (the TUI sets LC_CTYPE; a program using the
 * library might set LC_ALL): numbers in files and messages stay "C". */
static void test_locale(void)
{
    char buf[64], *end = NULL, *s;
    ef_error err;

    if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
        ok(1, "# SKIP locale de_DE.UTF-8 not installed (locale-gen)");
        return;
    }
    is_abs(strtod("23.5", NULL), 23, 0, "de_DE: plain strtod reads \"23.5\" as 23 (the hazard)");
    is_abs(ef_strtod("23.5", &end), 23.5, 0, "de_DE: ef_strtod reads 23.5");
    ok(end && *end == '\0', "... consuming all of it");
    is_abs(ef_strtod("1e-3x", &end), 0.001, 0, "de_DE: ef_strtod exponent");
    is_str(end, "x", "... stopping where the number ends");
    ef_snprintf(buf, sizeof buf, "%.1f %g", 23.5, 0.25);
    is_str(buf, "23.5 0.25", "de_DE: ef_snprintf writes '.'");
    is_str(ef_numfmt_short(23.5, buf, sizeof buf), "23.5", "de_DE: ef_numfmt_short");
    is_str(ef_numfmt_pyrepr(3, buf, sizeof buf), "3.0", "de_DE: ef_numfmt_pyrepr");
    is_str(ef_numfmt_pyrepr(1e-5, buf, sizeof buf), "1e-05", "de_DE: exponent form");
    s = ef_xasprintf("%.2f", 23.5);
    is_str(s, "23.50", "de_DE: ef_xasprintf");
    free(s);
    ef_error_set(&err, EF_EINVAL, "not %g", 23.5);
    is_str(err.msg, "not 23.5", "de_DE: error messages");
    snprintf(buf, sizeof buf, "%.1f", 23.5);
    is_str(buf, "23,5", "... while the thread's own printf still follows the locale");
    setlocale(LC_ALL, "C");
}

/* The one eid join: first row of a repeated eid, misses, order, sets. */
static void test_eid(void)
{
    const int64_t col[] = { 5000030, 1000012, 3000021, 1000012, 9000004 };
    ef_eid_index ix;
    ef_eid_set set = { NULL, 0 };
    size_t order[5];

    ef_eid_index_build(&ix, col, 5);
    is_int((long long)ef_eid_index_find(&ix, 3000021), 2, "eid index: a unique eid's row");
    is_int((long long)ef_eid_index_find(&ix, 1000012), 1, "eid index: a repeated eid gives its first row");
    ok(ef_eid_index_find(&ix, 1000013) == SIZE_MAX, "eid index: a missing eid gives SIZE_MAX");
    ok(ef_eid_index_find(&ix, 1) == SIZE_MAX && ef_eid_index_find(&ix, 9999999) == SIZE_MAX,
       "eid index: below and above every eid");
    ef_eid_index_fini(&ix);
    ef_eid_index_build(&ix, col, 0);
    ok(ef_eid_index_find(&ix, 1000012) == SIZE_MAX, "eid index: empty column");
    ef_eid_index_fini(&ix);
    ef_eid_order(col, 5, order);
    ok(order[0] == 1 && order[1] == 3 && order[2] == 2 && order[3] == 0 && order[4] == 4,
       "eid order: ascending, ties in position order");
    ef_eid_set_add(&set, col, 3);
    ef_eid_set_add(&set, col + 3, 2);
    ef_eid_set_sort(&set);
    ok(ef_eid_set_has(&set, 9000004) && ef_eid_set_has(&set, 5000030) && !ef_eid_set_has(&set, 42),
       "eid set: members added in two calls, a non-member");
    ef_eid_set_fini(&set);
    ok(!ef_eid_set_has(&set, 5000030), "eid set: empty after fini");
}

int main(void)
{
    ef_error err;
    char buf[256];
    struct counter c = { 0, 5, 0 };
    ef_job *job;
    ef_progress p;
    int rc, steps = 0;
    char *s;

    ef_error_clear(&err);
    is_int(ef_error_set(&err, EF_EPARSE, "bad %s", "cell"), EF_EPARSE, "ef_error_set returns the code");
    is_str(ef_error_format(&err, buf, sizeof buf), "bad cell", "message without location");
    ef_error_set_at(&err, EF_EPARSE, "main.csv", 12, 3, "ragged row");
    is_str(ef_error_format(&err, buf, sizeof buf), "main.csv:12: ragged row", "FILE:LINE: message");
    ef_error_set_at(&err, EF_EIO, "x.csv", 0, 0, "cannot open");
    is_str(ef_error_format(&err, buf, sizeof buf), "x.csv: cannot open", "FILE: message");
    is_int(ef_error_set(NULL, EF_EIO, "ignored"), EF_EIO, "NULL error record is allowed");
    ok(strcmp(ef_strerror(EF_ECANCELED), "cancelled") == 0, "ef_strerror names codes");

    s = ef_xasprintf("%d-%s", 42, "x");
    is_str(s, "42-x", "ef_xasprintf");
    free(s);
    s = ef_xstrndup("abcdef", 3);
    is_str(s, "abc", "ef_xstrndup");
    free(s);

    job = ef_job_new(&counter_ops, &c);
    while ((rc = ef_job_step(job, 0, &err)) == EF_CONTINUE)
        steps++;
    is_int(rc, EF_OK, "job finishes with EF_OK");
    is_int(steps, 4, "one slice per step with a zero budget");
    ef_job_progress(job, &p);
    is_int((long long)p.done, 5, "progress done");
    is_str(p.stage, "count", "progress stage is the job name");
    ef_job_free(job);

    c.n = 0;
    c.limit = 1000;
    job = ef_job_new(&counter_ops, &c);
    ef_job_step(job, 0, &err);
    ef_job_cancel(job);
    is_int(ef_job_step(job, 0, &err), EF_ECANCELED, "cancel stops the job");
    ok(c.cancelled, "cancel hook ran");
    ef_job_free(job);
    is_str(ef_numfmt_short(60, buf, sizeof buf), "60", "short: integers in fixed notation");
    is_str(ef_numfmt_short(130, buf, sizeof buf), "130", "short: 130, not 1.3e+02");
    is_str(ef_numfmt_short(27.9871, buf, sizeof buf), "27.9871", "short: decimals");
    is_str(ef_numfmt_short(0.1 + 0.2, buf, sizeof buf), "0.30000000000000004", "short: round-trips exactly");
    is_str(ef_numfmt_short(-0.00012, buf, sizeof buf), "-0.00012", "short: small values fixed down to 1e-4");
    is_str(ef_numfmt_short(1e-5, buf, sizeof buf), "1e-05", "short: exponent below 1e-4");
    is_str(ef_numfmt_pyrepr(3, buf, sizeof buf), "3.0", "pyrepr: 3.0 like pandas");
    is_str(ef_numfmt_pyrepr(14.399999999999999, buf, sizeof buf), "14.399999999999999", "pyrepr: 17 digits when needed");
    is_str(ef_numfmt_pyrepr(1e16, buf, sizeof buf), "1e+16", "pyrepr: exponent from 1e16");
    is_str(ef_numfmt_pyrepr(1e-5, buf, sizeof buf), "1e-05", "pyrepr: exponent below 1e-4");
    test_locale();
    test_eid();
    {
        const char *cmds[] = { "train", "predict", "tui", "table1" };

        is_str(ef_suggest("trian", cmds, 4), "train", "did you mean: a transposition in a 5-letter word");
        ok(ef_suggest("xy", cmds, 4) == NULL, "did you mean: nothing for a far 2-letter word");
        is_int((long long)ef_suggest_limit(2), 1, "suggest limit: 1 up to 2 bytes");
        is_int((long long)ef_suggest_limit(6), 2, "suggest limit: 2 for 6 bytes");
        is_int((long long)ef_suggest_limit(12), 4, "suggest limit: len/3 beyond");
    }
    return done_testing();
}
