/* ef_blas.c — regions of BLAS calls with a stated thread count (see ef_blas.h). */
#include "config.h"
#include "ef_blas.h"

#include <pthread.h>

/* OpenBLAS's own; its cblas.h cannot be included beside GSL's (core uses
 * GSL), so the two functions are declared here. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int active;    /* regions running */
static int current;   /* the count they want */
static int saved;     /* the process's count before the first of them */
static int deflt;     /* the count the process started with (0: not known yet) */

void ef_blas_begin(int threads)
{
    pthread_mutex_lock(&mu);
    if (!deflt)
        deflt = active ? saved : openblas_get_num_threads();
    if (threads < 1)
        threads = deflt > 0 ? deflt : 1;
    while (active && current != threads)
        pthread_cond_wait(&cv, &mu);
    if (!active) {
        saved = openblas_get_num_threads();
        if (saved != threads)
            openblas_set_num_threads(threads);
        current = threads;
    }
    active++;
    pthread_mutex_unlock(&mu);
}

void ef_blas_end(void)
{
    pthread_mutex_lock(&mu);
    if (active > 0 && --active == 0) {
        if (saved != current)
            openblas_set_num_threads(saved);
        pthread_cond_broadcast(&cv);
    }
    pthread_mutex_unlock(&mu);
}

int ef_blas_threads(void)
{
    return openblas_get_num_threads();
}
