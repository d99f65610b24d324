/* ef_store_lock.c — the update lock and generation number of a store file
 * (see ef_store_lock.h, and "Writers" in ef_store.h).  No HDF5 here: the
 * generation can be polled from any thread. */
#include "config.h"
#include "store/ef_store_lock.h"
#include "store/ef_store.h"
#include "core/ef_alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The record: fixed size, rewritten in place with one pwrite, so a reader
 * sees no empty or short file in between. */
#define REC_SIZE 160
#define NAME_MAX_LEN 48

struct ef_store_lock {
    int fd;
    int locked;        /* 0 on a file system that refused the lock */
    dev_t dev;
    ino_t ino;
    uint64_t gen;
    char name[NAME_MAX_LEN];
};

/* ------------------------------------------------------------ writers */

typedef struct writer {
    int set;
    char name[NAME_MAX_LEN];
    int wait;
    int (*waiting)(void *arg, const char *msg);
    void *arg;
} writer;

static pthread_mutex_t proc_mu = PTHREAD_MUTEX_INITIALIZER;
static writer proc_writer;
static _Thread_local writer thread_writer;
/* Updates this thread's writer has had (see "Writers" in ef_store.h). */
static _Thread_local unsigned long thread_updates;

/* Lock files this thread holds: a second begin of the same store in the
 * same thread would wait for itself forever. */
#define HELD_MAX 8
static _Thread_local struct { dev_t dev; ino_t ino; } held[HELD_MAX];
static _Thread_local int nheld;

/* A name that fits the one-line record: printable ASCII, no newline. */
static void copy_name(char *dst, const char *src)
{
    size_t i;

    if (!src || !*src)
        src = "ecgfit";
    for (i = 0; i + 1 < NAME_MAX_LEN && src[i]; i++)
        dst[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
    dst[i] = '\0';
}

static void fill_writer(writer *dst, const ef_store_writer *w)
{
    memset(dst, 0, sizeof *dst);
    dst->set = 1;
    copy_name(dst->name, w ? w->name : NULL);
    if (w) {
        dst->wait = w->wait;
        dst->waiting = w->waiting;
        dst->arg = w->arg;
    }
}

void ef_store_set_writer(const ef_store_writer *w)
{
    pthread_mutex_lock(&proc_mu);
    fill_writer(&proc_writer, w);
    pthread_mutex_unlock(&proc_mu);
    thread_updates = 0;
}

void ef_store_set_thread_writer(const ef_store_writer *w)
{
    if (w)
        fill_writer(&thread_writer, w);
    else
        memset(&thread_writer, 0, sizeof thread_writer);
    thread_updates = 0;
}

static void current_writer(writer *w)
{
    if (thread_writer.set) {
        *w = thread_writer;
        return;
    }
    pthread_mutex_lock(&proc_mu);
    *w = proc_writer;
    pthread_mutex_unlock(&proc_mu);
    if (!w->set)
        copy_name(w->name, NULL);
}

/* ------------------------------------------------------------ the file */

char *ef_store_lock_path(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return ef_xasprintf(".%s.lock", path);
    return ef_xasprintf("%.*s/.%s.lock", (int)(slash - path), path, slash + 1);
}

typedef struct record {
    uint64_t gen;
    long pid;          /* 0: nobody writing */
    char cmd[NAME_MAX_LEN];
} record;

static void write_record(int fd, uint64_t gen, long pid, const char *cmd)
{
    char rec[REC_SIZE];
    int n;

    /* The generation twice, first and last, so a reader can tell a record
     * torn by a concurrent rewrite. */
    n = snprintf(rec, sizeof rec, "ecgfit store lock\ngeneration %llu\npid %ld\ncommand %s\nend %llu\n",
                 (unsigned long long)gen, pid, cmd, (unsigned long long)gen);
    if (n < 0 || n >= REC_SIZE)
        return;
    memset(rec + n, ' ', (size_t)(REC_SIZE - n - 1));
    rec[REC_SIZE - 1] = '\n';
    /* Best effort: the record is information, the lock is the fcntl lock. */
    if (pwrite(fd, rec, REC_SIZE, 0) != REC_SIZE)
        return;
}

/* The value after "\n<key> " in buf, or NULL. */
static const char *field(const char *buf, const char *key)
{
    size_t k = strlen(key);
    const char *p = buf;

    while ((p = strchr(p, '\n'))) {
        p++;
        if (strncmp(p, key, k) == 0 && p[k] == ' ')
            return p + k + 1;
    }
    return NULL;
}

/* Parse one read of the record; 0 if it is torn or not a record. */
static int parse_record(const char *buf, record *r)
{
    const char *g = field(buf, "generation"), *e = field(buf, "end"), *p = field(buf, "pid"),
               *c = field(buf, "command");
    size_t len;

    memset(r, 0, sizeof *r);
    if (strncmp(buf, "ecgfit store lock\n", 18) != 0 || !g || !e || !p || !c)
        return 0;
    r->gen = strtoull(g, NULL, 10);
    if (strtoull(e, NULL, 10) != r->gen)
        return 0;
    r->pid = strtol(p, NULL, 10);
    len = strcspn(c, "\n");
    if (len >= NAME_MAX_LEN)
        len = NAME_MAX_LEN - 1;
    memcpy(r->cmd, c, len);
    r->cmd[len] = '\0';
    return 1;
}

/* Read the record; an empty (new) file reads as generation 0, nobody
 * writing.  A torn read (the holder rewriting it right now) is retried. */
static void read_record(int fd, record *r)
{
    char buf[REC_SIZE + 1];

    for (int tries = 0; tries < 50; tries++) {
        ssize_t n = pread(fd, buf, REC_SIZE, 0);

        if (n <= 0) {
            memset(r, 0, sizeof *r);
            return;
        }
        buf[n] = '\0';
        if (parse_record(buf, r))
            return;
        usleep(200);
    }
    memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------ locking */

enum { LK_OK, LK_BUSY, LK_INTR, LK_UNSUPPORTED, LK_ERR };

static int lock_result(int r)
{
    if (r == 0)
        return LK_OK;
    if (errno == EAGAIN || errno == EACCES || errno == EWOULDBLOCK)
        return LK_BUSY;
    if (errno == EINTR)
        return LK_INTR;
    if (errno == ENOLCK || errno == EOPNOTSUPP || errno == ENOSYS || errno == EINVAL)
        return LK_UNSUPPORTED;
    return LK_ERR;
}

/* Exclusive lock of the whole file: type F_WRLCK or F_UNLCK. */
static int lock_fd(int fd, int type, int block)
{
#ifdef F_OFD_SETLK
    struct flock fl;

    memset(&fl, 0, sizeof fl);   /* l_pid must be 0 for OFD locks */
    fl.l_type = (short)type;
    fl.l_whence = SEEK_SET;
    return lock_result(fcntl(fd, block ? F_OFD_SETLKW : F_OFD_SETLK, &fl));
#else
    /* flock locks also belong to the open file description. */
    return lock_result(flock(fd, type == F_UNLCK ? LOCK_UN : LOCK_EX | (block ? 0 : LOCK_NB)));
#endif
}

static void busy_message(int fd, char *msg, size_t size)
{
    record r;

    read_record(fd, &r);
    if (r.pid > 0)
        snprintf(msg, size, "project busy: %s is writing (pid %ld)", r.cmd[0] ? r.cmd : "ecgfit",
                 r.pid);
    else   /* the holder has not written its record yet */
        snprintf(msg, size, "project busy: another ecgfit is writing");
}

static int held_here(const struct stat *st)
{
    for (int i = 0; i < nheld; i++)
        if (held[i].dev == st->st_dev && held[i].ino == st->st_ino)
            return 1;
    return 0;
}

/* Open and lock the lock file lp: *fd and *locked on success. */
static int take(const char *path, const char *lp, int wait, const writer *w, int *fd_out,
                int *locked, struct stat *st, ef_error *err)
{
    char msg[160];
    int fd, r;

    for (int tries = 0;; tries++) {
        struct stat now;

        fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0)
            return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot open the lock file %s: %s", lp,
                                   strerror(errno));
        if (fstat(fd, st) != 0) {
            r = errno;
            close(fd);
            return ef_error_set_at(err, EF_EIO, lp, 0, 0, "%s", strerror(r));
        }
        if (held_here(st)) {
            close(fd);
            return ef_error_set_at(err, EF_EBUSY, path, 0, 0,
                                   "project busy: this thread is already updating it");
        }
        r = lock_fd(fd, F_WRLCK, 0);
        if (r == LK_BUSY) {
            busy_message(fd, msg, sizeof msg);
            if (!wait) {
                close(fd);
                return ef_error_set_at(err, EF_EBUSY, path, 0, 0, "%s", msg);
            }
            do {
                if (w->waiting && w->waiting(w->arg, msg)) {
                    close(fd);
                    return ef_error_set_at(err, EF_ECANCELED, path, 0, 0,
                                           "gave up waiting: %s", msg);
                }
                r = lock_fd(fd, F_WRLCK, 1);
            } while (r == LK_INTR);
        }
        if (r == LK_ERR || r == LK_BUSY || r == LK_INTR) {
            r = errno;
            close(fd);
            return ef_error_set_at(err, EF_EIO, lp, 0, 0, "cannot lock: %s", strerror(r));
        }
        /* ef_store_remove unlinks the lock file while holding it: if that
         * happened while we waited, we hold a lock nobody else will see. */
        if (stat(lp, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino)
            break;
        close(fd);
        if (tries == 100)
            return ef_error_set_at(err, EF_EIO, lp, 0, 0, "the lock file keeps being replaced");
    }
    *fd_out = fd;
    *locked = r == LK_OK;
    return EF_OK;
}

int ef_store_lock_acquire(ef_store_lock **out, const char *path, int mode, ef_error *err)
{
    char *lp = ef_store_lock_path(path);
    ef_store_lock *l;
    struct stat st;
    record rec;
    writer w;
    int fd = -1, locked = 0, rc, wait;

    *out = NULL;
    current_writer(&w);
    wait = mode == EF_STORE_LOCK_UPDATE && (w.wait || thread_updates > 0);
    rc = take(path, lp, wait, &w, &fd, &locked, &st, err);
    free(lp);
    if (rc != EF_OK)
        return rc;
    l = ef_xcalloc(1, sizeof *l);
    l->fd = fd;
    l->locked = locked;
    l->dev = st.st_dev;
    l->ino = st.st_ino;
    memcpy(l->name, w.name, sizeof l->name);
    read_record(fd, &rec);
    l->gen = rec.gen;
    write_record(fd, l->gen, (long)getpid(), l->name);
    if (nheld < HELD_MAX) {
        held[nheld].dev = st.st_dev;
        held[nheld].ino = st.st_ino;
        nheld++;
    }
    if (mode == EF_STORE_LOCK_UPDATE)
        thread_updates++;
    *out = l;
    return EF_OK;
}

uint64_t ef_store_lock_generation(const ef_store_lock *l)
{
    return l ? l->gen : 0;
}

void ef_store_lock_publish(ef_store_lock *l, uint64_t gen)
{
    if (!l)
        return;
    l->gen = gen;
    write_record(l->fd, gen, (long)getpid(), l->name);
}

void ef_store_lock_release(ef_store_lock *l)
{
    if (!l)
        return;
    write_record(l->fd, l->gen, 0, "");
    for (int i = 0; i < nheld; i++)
        if (held[i].dev == l->dev && held[i].ino == l->ino) {
            held[i] = held[--nheld];
            break;
        }
    /* Unlock explicitly: a child forked meanwhile shares the description. */
    if (l->locked)
        lock_fd(l->fd, F_UNLCK, 0);
    close(l->fd);
    free(l);
}

/* ------------------------------------------------------------ readers */

int ef_store_generation(const char *path, uint64_t *gen, ef_error *err)
{
    char *lp = ef_store_lock_path(path);
    int fd = open(lp, O_RDONLY | O_CLOEXEC), e;
    record r;

    *gen = 0;
    if (fd < 0) {
        e = errno;
        free(lp);
        if (e == ENOENT)
            return EF_OK;   /* never updated by this version */
        return ef_error_set_at(err, EF_EIO, path, 0, 0, "cannot read its lock file: %s", strerror(e));
    }
    free(lp);
    read_record(fd, &r);
    close(fd);
    *gen = r.gen;
    return EF_OK;
}

int ef_store_busy(const char *path)
{
    char *lp = ef_store_lock_path(path);
    int fd = open(lp, O_RDONLY | O_CLOEXEC), busy = 0;

    free(lp);
    if (fd < 0)
        return 0;
#ifdef F_OFD_GETLK
    {
        struct flock fl;

        memset(&fl, 0, sizeof fl);
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        busy = fcntl(fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    }
#else
    /* Probe by taking it: a writer starting this instant could see busy. */
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        flock(fd, LOCK_UN);
    else
        busy = errno == EWOULDBLOCK;
#endif
    close(fd);
    return busy;
}

int ef_store_remove(const char *path, ef_error *err)
{
    ef_store_lock *l;
    char *lp;
    int rc = ef_store_lock_acquire(&l, path, EF_STORE_LOCK_NOWAIT, err);

    if (rc != EF_OK)
        return rc;
    if (unlink(path) != 0)
        rc = ef_error_set_at(err, errno == ENOENT ? EF_ENOTFOUND : EF_EIO, path, 0, 0,
                             "cannot delete: %s", strerror(errno));
    /* Unlinked while held: a writer waiting on it sees the change (take). */
    lp = ef_store_lock_path(path);
    unlink(lp);
    free(lp);
    ef_store_lock_release(l);
    return rc;
}
