/* tap.c — see tap.h. */
#include "config.h"
#include "tap.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int ntests, nfailed;

static int report(int cond, const char *fmt, va_list ap)
{
    ntests++;
    if (!cond)
        nfailed++;
    printf("%sok %d - ", cond ? "" : "not ", ntests);
    vprintf(fmt, ap);
    putchar('\n');
    fflush(stdout);
    return cond;
}

int ok(int cond, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    report(cond, fmt, ap);
    va_end(ap);
    return cond;
}

int is_int(long long got, long long want, const char *fmt, ...)
{
    va_list ap;
    int cond = got == want;

    va_start(ap, fmt);
    report(cond, fmt, ap);
    va_end(ap);
    if (!cond)
        diag("got %lld, want %lld", got, want);
    return cond;
}

int is_str(const char *got, const char *want, const char *fmt, ...)
{
    va_list ap;
    int cond = (got == NULL && want == NULL) || (got && want && strcmp(got, want) == 0);

    va_start(ap, fmt);
    report(cond, fmt, ap);
    va_end(ap);
    if (!cond)
        diag("got '%s', want '%s'", got ? got : "(null)", want ? want : "(null)");
    return cond;
}

int like(const char *got, const char *want, const char *fmt, ...)
{
    va_list ap;
    int cond = got && want && strstr(got, want) != NULL;

    va_start(ap, fmt);
    report(cond, fmt, ap);
    va_end(ap);
    if (!cond)
        diag("'%s' does not contain '%s'", got ? got : "(null)", want ? want : "(null)");
    return cond;
}

static int close_enough(double got, double want, double tol, int rel)
{
    if (isnan(got) || isnan(want))
        return isnan(got) && isnan(want);
    if (isinf(got) || isinf(want))
        return got == want;
    return fabs(got - want) <= (rel ? tol * fabs(want) : tol);
}

int is_rel(double got, double want, double tol, const char *fmt, ...)
{
    va_list ap;
    int cond = close_enough(got, want, tol, 1);

    va_start(ap, fmt);
    report(cond, fmt, ap);
    va_end(ap);
    if (!cond)
        diag("got %.17g, want %.17g (rel tol %g)", got, want, tol);
    return cond;
}

int is_abs(double got, double want, double tol, const char *fmt, ...)
{
    va_list ap;
    int cond = close_enough(got, want, tol, 0);

    va_start(ap, fmt);
    report(cond, fmt, ap);
    va_end(ap);
    if (!cond)
        diag("got %.17g, want %.17g (abs tol %g)", got, want, tol);
    return cond;
}

void diag(const char *fmt, ...)
{
    va_list ap;

    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

void skip_all(const char *fmt, ...)
{
    va_list ap;

    printf("1..0 # SKIP ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    exit(0);
}

int done_testing(void)
{
    printf("1..%d\n", ntests);
    if (nfailed)
        diag("%d of %d checks failed", nfailed, ntests);
    return nfailed ? 1 : 0;
}

const char *tap_srcdir(void)
{
    const char *s = getenv("srcdir");

    return s && *s ? s : ".";
}

static char tmpdir_path[512];

/* At exit: a passing test leaves nothing behind; a failing one keeps its
 * files for a look and says where they are. */
static void tmpdir_cleanup(void)
{
    char cmd[600];

    if (nfailed) {
        printf("# test files kept in %s\n", tmpdir_path);
        return;
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir_path);
    if (system(cmd) != 0)
        printf("# could not remove %s\n", tmpdir_path);
}

const char *tap_tmpdir(void)
{
    char *dir = tmpdir_path;
    const char *base;

    if (dir[0])
        return dir;
    base = getenv("TMPDIR");
    snprintf(dir, sizeof tmpdir_path, "%s/ecgfit-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(99);
    }
    atexit(tmpdir_cleanup);
    return dir;
}

const char *tap_shared(void)
{
    static char path[1024];
    struct stat st;
    const char *env = getenv("ECGFIT_SHARED");

    if (env && *env)
        snprintf(path, sizeof path, "%s", env);
    else
        snprintf(path, sizeof path, "%s/../shared", tap_srcdir());
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return NULL;
    return path;
}

int tap_python(const char *script, const char *fmt, ...)
{
    const char *py = getenv("PYTHON3");
    char args[4096], cmd[8192];
    va_list ap;
    int st;

    if (!py || !*py)
        return -1;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "'%s' '%s/%s' %s", py, tap_srcdir(), script, args);
    st = system(cmd);
    return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void tap_write_f64(const char *path, const double *a, size_t n)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(a, sizeof *a, n, f) != n) {
        perror(path);
        exit(99);
    }
    fclose(f);
}

double *tap_read_values(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    size_t cap = 64, k = 0;
    double *v = malloc(cap * sizeof *v), x;

    if (!v)
        exit(99);
    if (!f) {
        *n = 0;
        return v;
    }
    while (fscanf(f, "%lf", &x) == 1) {
        if (k == cap) {
            double *w = realloc(v, (cap *= 2) * sizeof *v);

            if (!w)
                exit(99);
            v = w;
        }
        v[k++] = x;
    }
    fclose(f);
    *n = k;
    return v;
}
