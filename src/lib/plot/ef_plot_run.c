/* ef_plot_run.c — the one place that starts gnuplot: posix_spawn (no
 * shell), the script on its standard input, its standard error (and for
 * sixel its standard output) read back through pipes with poll, so that a
 * large script and a talkative gnuplot cannot block each other. */
#include "config.h"
#include "plot/ef_plot.h"
#include "core/ef_alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define ERR_MAX (64u << 10)

typedef struct sbuf {
    char *s;
    size_t len, cap, max;
} sbuf;

/* Read what fd has into b (kept up to b->max bytes); 0 at end of file. */
static int drain(int fd, sbuf *b)
{
    char tmp[65536];
    ssize_t got = read(fd, tmp, sizeof tmp);

    if (got < 0)
        return errno == EAGAIN || errno == EINTR ? 1 : 0;
    if (got == 0)
        return 0;
    if (b->len + (size_t)got > b->max)
        got = (ssize_t)(b->max > b->len ? b->max - b->len : 0);
    if (b->len + (size_t)got + 1 > b->cap) {
        b->cap = (b->len + (size_t)got + 1) * 2;
        b->s = ef_xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, tmp, (size_t)got);
    b->len += (size_t)got;
    b->s[b->len] = '\0';
    return 1;
}

/* gnuplot's stderr for a one-paragraph message: trailing blank lines cut. */
static const char *trimmed(sbuf *b)
{
    while (b->len && (b->s[b->len - 1] == '\n' || b->s[b->len - 1] == ' '))
        b->s[--b->len] = '\0';
    return b->s ? b->s : "";
}

/* The environment for gnuplot: the caller's, with LC_ALL=C.UTF-8.  The
 * scripts are UTF-8 (`set encoding utf8`), which gnuplot warns about under
 * a non-UTF-8 locale such as C; C numbers are what the scripts hold anyway. */
static char **child_env(void)
{
    size_t n = 0, k = 0;
    char **env;

    while (environ[n])
        n++;
    env = ef_xcalloc(n + 2, sizeof *env);
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "LC_ALL=", 7) != 0)
            env[k++] = environ[i];
    env[k++] = (char *)"LC_ALL=C.UTF-8";
    env[k] = NULL;
    return env;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

int ef_plot_run(const char *script, const char *gnuplot, char **out, size_t *out_len, char **warnings,
                ef_error *err)
{
    const char *prog = gnuplot ? gnuplot : "gnuplot";
    char *argv[] = { (char *)prog, NULL };
    int in[2] = { -1, -1 }, ep[2] = { -1, -1 }, op[2] = { -1, -1 }, status = 0, rc = EF_OK, spawn_rc;
    size_t len = strlen(script), sent = 0;
    sbuf eb = { NULL, 0, 0, ERR_MAX }, ob = { NULL, 0, 0, (size_t)1 << 30 };
    posix_spawn_file_actions_t fa;
    sigset_t pipe_set, old_set, pending;
    pid_t pid;

    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (warnings)
        *warnings = NULL;
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(ep, O_CLOEXEC) != 0 || (out && pipe2(op, O_CLOEXEC) != 0)) {
        rc = ef_error_set(err, EF_EIO, "cannot make a pipe to gnuplot: %s", strerror(errno));
        goto done;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    if (out)
        posix_spawn_file_actions_adddup2(&fa, op[1], 1);
    else
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, ep[1], 2);
    {
        char **env = child_env();

        spawn_rc = posix_spawnp(&pid, prog, &fa, NULL, argv, env);
        free(env);
    }
    posix_spawn_file_actions_destroy(&fa);
    close_fd(&in[0]);
    close_fd(&ep[1]);
    close_fd(&op[1]);
    if (spawn_rc != 0) {
        rc = ef_error_set(err, EF_ENOTFOUND, "cannot run %s: %s%s", prog, strerror(spawn_rc),
                          spawn_rc == ENOENT ? " (install gnuplot, e.g. Debian's gnuplot-nox, or put it on PATH)" : "");
        goto done;
    }
    /* A gnuplot that dies early must not kill us with SIGPIPE: block it in
     * this thread and take back a signal the writes raised. */
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
    sigpending(&pending);
    int had_pipe = sigismember(&pending, SIGPIPE);
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    for (;;) {
        struct pollfd p[3];
        nfds_t np = 0;
        int wi = -1, ei = -1, oi = -1;

        if (in[1] >= 0) {
            p[np] = (struct pollfd){ in[1], POLLOUT, 0 };
            wi = (int)np++;
        }
        if (ep[0] >= 0) {
            p[np] = (struct pollfd){ ep[0], POLLIN, 0 };
            ei = (int)np++;
        }
        if (op[0] >= 0) {
            p[np] = (struct pollfd){ op[0], POLLIN, 0 };
            oi = (int)np++;
        }
        if (np == 0)
            break;
        if (poll(p, np, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (wi >= 0 && p[wi].revents) {
            ssize_t w = (p[wi].revents & POLLOUT) ? write(in[1], script + sent, len - sent) : -1;

            if (w > 0)
                sent += (size_t)w;
            else if (w < 0 && errno != EAGAIN && errno != EINTR)
                close_fd(&in[1]);   /* gnuplot closed its input: it says why on stderr */
            if (sent == len)
                close_fd(&in[1]);
        }
        if (ei >= 0 && p[ei].revents && !drain(ep[0], &eb))
            close_fd(&ep[0]);
        if (oi >= 0 && p[oi].revents && !drain(op[0], &ob))
            close_fd(&op[0]);
    }
    close_fd(&in[1]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!had_pipe) {
        struct timespec zero = { 0, 0 };

        sigpending(&pending);
        if (sigismember(&pending, SIGPIPE))
            sigtimedwait(&pipe_set, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old_set, NULL);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFEXITED(status))
            rc = ef_error_set(err, EF_EIO, "gnuplot failed (exit status %d)%s%s", WEXITSTATUS(status),
                              eb.len ? ":\n" : "", trimmed(&eb));
        else
            rc = ef_error_set(err, EF_EIO, "gnuplot was killed by signal %d%s%s", WTERMSIG(status), eb.len ? ":\n" : "",
                              trimmed(&eb));
    } else if (sent < len) {
        rc = ef_error_set(err, EF_EIO, "gnuplot stopped reading the script%s%s", eb.len ? ":\n" : "", trimmed(&eb));
    } else {
        if (warnings && eb.len)
            *warnings = ef_xstrdup(trimmed(&eb));
        if (out) {
            *out = ob.s ? ob.s : ef_xstrdup("");
            ob.s = NULL;
            if (out_len)
                *out_len = ob.len;
        }
    }
done:
    close_fd(&in[0]);
    close_fd(&in[1]);
    close_fd(&ep[0]);
    close_fd(&ep[1]);
    close_fd(&op[0]);
    close_fd(&op[1]);
    free(eb.s);
    free(ob.s);
    return rc;
}
