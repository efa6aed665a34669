/* readahead.c: see readahead.h. */
#define _POSIX_C_SOURCE 200809L
#include "readahead.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <time.h>

#include "cache.h"
#include "i18n.h"
#include "indicator_cache.h"
#include "pages.h"
#include "register_all.h"
#include "store.h"

enum { POLL_SECONDS = 1 };

static pthread_t reader;
static bool reading;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool poked, stopping;
static store *db;
static int64_t done = -1;

static double since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Reads the newest version when it is not read yet. */
/* Reads the newest version when it is not read yet; true when it did. */
static bool read_newest(void)
{
    int64_t known = store_last_change(db);
    if (known < 0 || known == done)
        return false;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cache_entry *e = cache_acquire(db, known);
    if (!e)
        return false;
    double view = since(&t0);
    bool all = register_all_read_ahead(db, e, known);
    double agreements = since(&t0) - view;
    indicator_cache_read_ahead(db, known, &cache_view(e)->map);
    cache_release(e);
    if (all)
        done = known;
    /* read by bench/routes.py and bench/indicators_pages.sh */
    fprintf(stderr,
            NT_("somon: change %lld ready in the background in %.3f s (the view %.3f s, the agreements %.3f s, "
                "the indicator values %.3f s)\n"),
            (long long)known, since(&t0), view, agreements, since(&t0) - view - agreements);
    return true;
}

/* What is derived from the newest version: the overview's monthly chart and
 * the spreadsheet template of its municipalities (a second on a large map,
 * built again only when they changed); in the thread only, so the server
 * listens without waiting for them. */
static void derived_of_newest(void)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int64_t known = store_last_change(db);
    cache_entry *e = known >= 0 ? cache_acquire(db, known) : NULL;
    if (!e)
        return;
    page_overview_read_ahead(e);
    page_sheet_template_read_ahead(cache_view(e));
    cache_release(e);
    /* reading a version frees as much as it keeps (statements, sorting,
     * the views it replaced): 13 MB on the large register that glibc would
     * keep in this thread's arena */
    malloc_trim(0);
    /* read by bench/routes.py */
    fprintf(stderr, NT_("somon: the spreadsheet template of change %lld ready in the background in %.3f s\n"),
            (long long)known, since(&t0));
}

/* Waits for a poke, the stop or the poll; false on the stop. */
static bool wait_for_change(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += POLL_SECONDS;
    pthread_mutex_lock(&lock);
    while (!poked && !stopping)
        if (pthread_cond_timedwait(&wake, &lock, &until))
            break; /* the poll */
    poked = false;
    bool go = !stopping;
    pthread_mutex_unlock(&lock);
    return go;
}

static void *read_ahead(void *unused)
{
    (void)unused;
    derived_of_newest();
    while (wait_for_change())
        if (read_newest())
            derived_of_newest();
    return NULL;
}

void readahead_start(const char *db_path)
{
    char *err = NULL;
    if (store_open(db_path, STORE_READONLY, &db, &err)) {
        fprintf(stderr, _("somon: the register cannot be read ahead (%s); pages read it when they are asked for\n"),
                err ? err : "");
        free(err);
        db = NULL;
        return;
    }
    store_cache_limit(db, 512); /* it reads each version once, whole: the file's pages are the system's to cache */
    poked = stopping = false;
    read_newest(); /* before the server says it listens: its first page need not wait */
    reading = pthread_create(&reader, NULL, read_ahead, NULL) == 0;
    if (!reading) {
        store_close(db);
        db = NULL;
    }
}

void readahead_poke(void)
{
    pthread_mutex_lock(&lock);
    poked = true;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
}

void readahead_stop(void)
{
    if (!reading)
        return;
    pthread_mutex_lock(&lock);
    stopping = true;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(reader, NULL);
    reading = false;
    store_close(db);
    db = NULL;
    done = -1;
}
