/* tui_log.c — a ring of log lines (see tui_log.h). */
#include "config.h"
#include "tui_log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int kind;
    char *text;
} line;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static line ring[TUI_LOG_MAX];
static size_t first, count;
static unsigned long serial;

static void add_one(int kind, const char *s, size_t n)
{
    size_t at;
    char *t = malloc(n + 1);

    if (!t)
        return;
    memcpy(t, s, n);
    t[n] = '\0';
    for (size_t i = 0; i < n; i++)   /* tabs and controls would upset curses */
        if ((unsigned char)t[i] < 0x20)
            t[i] = ' ';
    if (count == TUI_LOG_MAX) {
        free(ring[first].text);
        ring[first].text = NULL;
        first = (first + 1) % TUI_LOG_MAX;
        count--;
    }
    at = (first + count) % TUI_LOG_MAX;
    ring[at].kind = kind;
    ring[at].text = t;
    count++;
}

void tui_log_add(int kind, const char *text)
{
    const char *p = text;

    pthread_mutex_lock(&mu);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);

        add_one(kind, p, n);
        p += n + (nl != NULL);
    }
    serial++;
    pthread_mutex_unlock(&mu);
}

size_t tui_log_count(void)
{
    size_t n;

    pthread_mutex_lock(&mu);
    n = count;
    pthread_mutex_unlock(&mu);
    return n;
}

int tui_log_line(size_t i, char *buf, size_t bufsz)
{
    int kind = -1;

    pthread_mutex_lock(&mu);
    if (i < count && bufsz) {
        const line *l = &ring[(first + i) % TUI_LOG_MAX];

        kind = l->kind;
        strncpy(buf, l->text, bufsz - 1);
        buf[bufsz - 1] = '\0';
    }
    pthread_mutex_unlock(&mu);
    return kind;
}

unsigned long tui_log_serial(void)
{
    unsigned long s;

    pthread_mutex_lock(&mu);
    s = serial;
    pthread_mutex_unlock(&mu);
    return s;
}

void tui_log_clear(void)
{
    pthread_mutex_lock(&mu);
    for (size_t i = 0; i < count; i++) {
        free(ring[(first + i) % TUI_LOG_MAX].text);
        ring[(first + i) % TUI_LOG_MAX].text = NULL;
    }
    first = count = 0;
    serial++;
    pthread_mutex_unlock(&mu);
}
