/* tui_bg.c — background reads and the HDF5 turn (see tui_bg.h). */
#include "config.h"
#include "tui_bg.h"
#include "tui_crt.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

/* A ticket lock: turns in the order they were asked for. */
static pthread_mutex_t turn_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_cv = PTHREAD_COND_INITIALIZER;
static unsigned long turn_next, turn_serving;

void tui_h5_enter(void)
{
    unsigned long me;

    pthread_mutex_lock(&turn_mu);
    me = turn_next++;
    while (turn_serving != me)
        pthread_cond_wait(&turn_cv, &turn_mu);
    pthread_mutex_unlock(&turn_mu);
}

void tui_h5_leave(void)
{
    pthread_mutex_lock(&turn_mu);
    turn_serving++;
    pthread_cond_broadcast(&turn_cv);
    pthread_mutex_unlock(&turn_mu);
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER, done_cv = PTHREAD_COND_INITIALIZER;
static tui_bg_task *head, *tail;
static int stopping, running;
static pthread_t th;

static void *bg_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    for (;;) {
        tui_bg_task *t;

        while (!stopping && !head)
            pthread_cond_wait(&cv, &mu);
        if (stopping)
            break;
        t = head;
        head = t->next;
        if (!head)
            tail = NULL;
        t->next = NULL;
        pthread_mutex_unlock(&mu);
        tui_h5_enter();
        t->run(t->arg);
        tui_h5_leave();
        pthread_mutex_lock(&mu);
        t->state = TUI_BG_DONE;
        pthread_cond_broadcast(&done_cv);
        tui_crt_wake();
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

int tui_bg_start(void)
{
    stopping = 0;
    if (pthread_create(&th, NULL, bg_main, NULL) != 0)
        return -1;
    running = 1;
    return 0;
}

void tui_bg_stop(void)
{
    if (!running)
        return;
    pthread_mutex_lock(&mu);
    stopping = 1;
    for (tui_bg_task *t = head; t; t = t->next)
        t->state = TUI_BG_IDLE;
    head = tail = NULL;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(th, NULL);
    running = 0;
}

int tui_bg_submit(tui_bg_task *t)
{
    int queued = 0;

    pthread_mutex_lock(&mu);
    if (t->state != TUI_BG_QUEUED) {
        t->state = TUI_BG_QUEUED;
        t->next = NULL;
        if (tail)
            tail->next = t;
        else
            head = t;
        tail = t;
        queued = 1;
        pthread_cond_signal(&cv);
    }
    pthread_mutex_unlock(&mu);
    return queued;
}

int tui_bg_done(tui_bg_task *t)
{
    int done;

    pthread_mutex_lock(&mu);
    done = t->state == TUI_BG_DONE;
    if (done)
        t->state = TUI_BG_IDLE;
    pthread_mutex_unlock(&mu);
    return done;
}

int tui_bg_pending(const tui_bg_task *t)
{
    int q;

    pthread_mutex_lock(&mu);
    q = t->state == TUI_BG_QUEUED;
    pthread_mutex_unlock(&mu);
    return q;
}

int tui_bg_wait(tui_bg_task *t, int ms)
{
    struct timespec until;
    int done;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&mu);
    while (t->state == TUI_BG_QUEUED)
        if (pthread_cond_timedwait(&done_cv, &mu, &until) == ETIMEDOUT)
            break;
    done = t->state == TUI_BG_DONE;
    pthread_mutex_unlock(&mu);
    return done;
}
