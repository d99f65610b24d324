/* main.c — pick the front end: the TUI for `ecgfit` / `ecgfit tui` on a
 * terminal, the batch CLI for everything else. */
#include "config.h"
#include "cli/cli.h"
#include "tui/tui.h"

#include <string.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#ifdef HAVE_BLAS_THREAD_SHUTDOWN_
/* OpenBLAS (pthreads builds): joins its worker threads; its next threaded
 * call starts them again.  Not in its headers. */
int blas_thread_shutdown_(void);
#endif

int main(int argc, char **argv)
{
    const char *dir;
    int rc;

#if defined(__GLIBC__)
    /* Per-file buffers of about 1 MB (an ECG XML, libxml2's copy of it) were
     * mmapped and unmapped for every file, and worker threads' arenas gave
     * freed memory back at once: the page faults that followed were half of
     * `preprocess`'s CPU time.  Keep such blocks on the heap and let freed
     * memory be reused; peak RSS is unchanged. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
#ifdef HAVE_BLAS_THREAD_SHUTDOWN_
    /* OpenBLAS started its threads when it was loaded and they spin for a
     * while waiting for work: a second core busy in commands that never
     * call BLAS (preprocess, labels).  Commands that do restart them. */
    blas_thread_shutdown_();
#endif
    if (cli_wants_tui(argc, argv))
        return tui_main(argc, argv);
    rc = cli_main(argc, argv);
    /* `ecgfit demo` on a terminal goes on in the interface, on its folder */
    if (rc == 0 && (dir = cli_open_project()) != NULL && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
        static char opt_c[] = "-C", word_tui[] = "tui";
        char *tui_argv[] = { argv[0], opt_c, (char *)dir, word_tui, NULL };

        return tui_main(4, tui_argv);
    }
    return rc;
}
