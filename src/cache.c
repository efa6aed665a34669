/* cache.c: see cache.h. A handful of entries, found by a linear search under
 * one mutex; the load itself runs outside the lock. */
#include "cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { CACHE_KEEP = 6 };

struct cache_entry {
    int64_t known;
    register_view view;
    int refs;
    uint64_t used;
    bool listed;
    pthread_mutex_t memo_lock;
    void *memo[CACHE_SLOTS];
    void (*memo_free[CACHE_SLOTS])(void *);
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static cache_entry *entries[CACHE_KEEP];
static uint64_t clock_tick;

static void entry_free(cache_entry *e)
{
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (e->memo[i] && e->memo_free[i])
            e->memo_free[i](e->memo[i]);
    register_view_free(&e->view);
    pthread_mutex_destroy(&e->memo_lock);
    free(e);
}

/* Puts e in the list, pushing out the least recently used entry; returns the
 * entry that left the list when nobody holds it (to free outside the lock). */
static cache_entry *insert(cache_entry *e)
{
    int slot = -1;
    for (int i = 0; i < CACHE_KEEP && slot < 0; i++)
        if (!entries[i])
            slot = i;
    cache_entry *out = NULL;
    if (slot < 0) {
        slot = 0;
        for (int i = 1; i < CACHE_KEEP; i++)
            if (entries[i]->used < entries[slot]->used)
                slot = i;
        out = entries[slot];
        out->listed = false;
        if (out->refs > 0)
            out = NULL; /* freed by its last release */
    }
    entries[slot] = e;
    e->listed = true;
    return out;
}

cache_entry *cache_acquire(store *db, int64_t known)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < CACHE_KEEP; i++)
        if (entries[i] && entries[i]->known == known) {
            cache_entry *e = entries[i];
            e->refs++;
            e->used = ++clock_tick;
            pthread_mutex_unlock(&lock);
            return e;
        }
    pthread_mutex_unlock(&lock);

    cache_entry *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->known = known;
    pthread_mutex_init(&e->memo_lock, NULL);
    if (store_load_view(db, known, &e->view)) {
        pthread_mutex_destroy(&e->memo_lock);
        free(e);
        return NULL;
    }
    pthread_mutex_lock(&lock);
    for (int i = 0; i < CACHE_KEEP; i++)
        if (entries[i] && entries[i]->known == known) {
            /* another thread loaded it meanwhile: use theirs */
            cache_entry *theirs = entries[i];
            theirs->refs++;
            theirs->used = ++clock_tick;
            pthread_mutex_unlock(&lock);
            entry_free(e);
            return theirs;
        }
    e->refs = 1;
    e->used = ++clock_tick;
    cache_entry *evicted = insert(e);
    pthread_mutex_unlock(&lock);
    if (evicted)
        entry_free(evicted);
    return e;
}

void cache_release(cache_entry *e)
{
    if (!e)
        return;
    pthread_mutex_lock(&lock);
    bool drop = --e->refs == 0 && !e->listed;
    pthread_mutex_unlock(&lock);
    if (drop)
        entry_free(e);
}

const register_view *cache_view(const cache_entry *e) { return &e->view; }

void *cache_memo(cache_entry *e, int slot, void *(*compute)(const register_view *v), void (*free_fn)(void *))
{
    if (slot < 0 || slot >= CACHE_SLOTS)
        return NULL;
    pthread_mutex_lock(&e->memo_lock);
    if (!e->memo[slot]) {
        e->memo[slot] = compute(&e->view);
        e->memo_free[slot] = free_fn;
    }
    void *v = e->memo[slot];
    pthread_mutex_unlock(&e->memo_lock);
    return v;
}

void cache_clear(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < CACHE_KEEP; i++)
        if (entries[i]) {
            entries[i]->listed = false;
            if (entries[i]->refs == 0)
                entry_free(entries[i]);
            entries[i] = NULL;
        }
    pthread_mutex_unlock(&lock);
}
