/* ef_store_lock.h — the update lock and generation number of a store file,
 * internal to the store (the public part is in ef_store.h).
 *
 * Each store file FILE has a lock file ".FILE.lock" beside it (so a part
 * file of a stage has its own, and shards writing different parts never
 * wait for each other).  An update holds an exclusive lock on it from
 * ef_store_begin to commit or abort.  The lock is an open file description
 * lock (F_OFD_SETLK): it belongs to the descriptor, not the process, so two
 * threads of one process exclude each other like two processes do, and the
 * kernel drops it when the holder exits or is killed: a stale lock file
 * never blocks anyone.
 *
 * The file holds a small text record rewritten in place (never truncated):
 * the generation (how many commits the store has had), and the pid and
 * command of the writer holding the lock, for the message a second writer
 * gets.  Readers poll the generation without HDF5 (ef_store_generation). */
#ifndef EF_STORE_LOCK_H
#define EF_STORE_LOCK_H

#include <stdint.h>
#include "core/ef_error.h"

typedef struct ef_store_lock ef_store_lock;

enum ef_store_lock_mode {
    /* An update: waits or not as the writer settings say (ef_store.h). */
    EF_STORE_LOCK_UPDATE,
    /* Never waits, and does not count as one of the writer's updates. */
    EF_STORE_LOCK_NOWAIT
};

/* Take the lock of the store file at path (creating the lock file).
 * EF_EBUSY "project busy: train is writing (pid N)" when another writer
 * holds it (and not waiting), EF_ECANCELED when the waiting hook gave up,
 * EF_EIO when the lock file cannot be created.  On a file system without
 * locks (some NFS and Lustre mounts) the update proceeds unlocked. */
int ef_store_lock_acquire(ef_store_lock **out, const char *path, int mode, ef_error *err);
/* The generation recorded when the lock was taken. */
uint64_t ef_store_lock_generation(const ef_store_lock *l);
/* Record gen as the store's generation (after the commit's rename). */
void ef_store_lock_publish(ef_store_lock *l, uint64_t gen);
/* Release and free; NULL is a no-op. */
void ef_store_lock_release(ef_store_lock *l);
/* The lock file of the store file at path: a new string. */
char *ef_store_lock_path(const char *path);

#endif
