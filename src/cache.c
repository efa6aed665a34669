/* cache.c: see cache.h. A handful of entries, found by a linear search under
 * one mutex; the load itself runs outside the lock. */
#define _POSIX_C_SOURCE 200809L
#include "cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { CACHE_KEEP = 6 };

struct cache_entry {
    int64_t known;
    register_view view;
    int refs;
    uint64_t used;
    bool listed;
    bool loading; /* its view is being loaded: others wait (cache_acquire) */
    pthread_mutex_t memo_lock[CACHE_SLOTS]; /* one per slot: a long load blocks only its own value */
    void *memo[CACHE_SLOTS];
    void (*memo_free[CACHE_SLOTS])(void *);
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t loaded = PTHREAD_COND_INITIALIZER; /* an entry's view was loaded (or failed) */
static cache_entry *entries[CACHE_KEEP];
static uint64_t clock_tick;

static void entry_free(cache_entry *e)
{
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (e->memo[i] && e->memo_free[i])
            e->memo_free[i](e->memo[i]);
    register_view_free(&e->view);
    for (int i = 0; i < CACHE_SLOTS; i++)
        pthread_mutex_destroy(&e->memo_lock[i]);
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

static void entry_discard(cache_entry *e) /* one whose view was never loaded */
{
    for (int i = 0; i < CACHE_SLOTS; i++)
        pthread_mutex_destroy(&e->memo_lock[i]);
    free(e);
}

static cache_entry *find(int64_t known)
{
    for (int i = 0; i < CACHE_KEEP; i++)
        if (entries[i] && entries[i]->known == known)
            return entries[i];
    return NULL;
}

cache_entry *cache_acquire(store *db, int64_t known)
{
    pthread_mutex_lock(&lock);
    cache_entry *e;
    /* a view another thread is loading is waited for, not loaded twice (the
     * first page after a change and the read-ahead ask for it at once) */
    while ((e = find(known)) && e->loading)
        pthread_cond_wait(&loaded, &lock);
    if (e) {
        e->refs++;
        e->used = ++clock_tick;
        pthread_mutex_unlock(&lock);
        return e;
    }
    e = calloc(1, sizeof *e);
    if (!e) {
        pthread_mutex_unlock(&lock);
        return NULL;
    }
    e->known = known;
    for (int i = 0; i < CACHE_SLOTS; i++)
        pthread_mutex_init(&e->memo_lock[i], NULL);
    e->loading = true;
    e->refs = 1;
    e->used = ++clock_tick;
    cache_entry *evicted = insert(e);
    pthread_mutex_unlock(&lock);
    if (evicted)
        entry_free(evicted);

    /* the load itself runs outside the lock */
    int rc = store_load_view(db, known, &e->view);
    pthread_mutex_lock(&lock);
    e->loading = false;
    bool discard = false;
    if (rc) {
        for (int i = 0; i < CACHE_KEEP; i++)
            if (entries[i] == e)
                entries[i] = NULL;
        e->listed = false;
        discard = --e->refs == 0; /* a waiter holds none: it finds no entry and loads again */
    }
    pthread_cond_broadcast(&loaded);
    pthread_mutex_unlock(&lock);
    if (discard)
        entry_discard(e);
    return rc ? NULL : e;
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
    pthread_mutex_lock(&e->memo_lock[slot]);
    if (!e->memo[slot]) {
        e->memo[slot] = compute(&e->view);
        e->memo_free[slot] = free_fn;
    }
    void *v = e->memo[slot];
    pthread_mutex_unlock(&e->memo_lock[slot]);
    return v;
}

void *cache_memo_load(cache_entry *e, int slot, store *db, void *(*load)(store *db, int64_t known),
                      void (*free_fn)(void *))
{
    if (slot < 0 || slot >= CACHE_SLOTS)
        return NULL;
    pthread_mutex_lock(&e->memo_lock[slot]);
    if (!e->memo[slot]) {
        e->memo[slot] = load(db, e->known);
        e->memo_free[slot] = free_fn;
    }
    void *v = e->memo[slot];
    pthread_mutex_unlock(&e->memo_lock[slot]);
    return v;
}

void cache_drop_memo(int slot, int64_t keep)
{
    if (slot < 0 || slot >= CACHE_SLOTS)
        return;
    /* lock order: the list, then an entry's slot (cache_memo* take only the slot) */
    pthread_mutex_lock(&lock);
    for (int i = 0; i < CACHE_KEEP; i++) {
        cache_entry *e = entries[i];
        if (!e || e->known == keep || e->refs > 0)
            continue;
        pthread_mutex_lock(&e->memo_lock[slot]);
        if (e->memo[slot] && e->memo_free[slot])
            e->memo_free[slot](e->memo[slot]);
        e->memo[slot] = NULL;
        pthread_mutex_unlock(&e->memo_lock[slot]);
    }
    pthread_mutex_unlock(&lock);
}

/* ---- responses ---------------------------------------------------------- */

/* Bodies up to RESPONSE_MEMORY_ONE are kept in memory, RESPONSE_MEMORY_BYTES
 * in all; larger ones, up to RESPONSE_FILE_ONE, in unlinked temporary files
 * (sent from there by the transport, through the kernel's page cache), at
 * most RESPONSE_FILE_BYTES of them: so the server's own memory stays bounded
 * while a page of many megabytes is still built once per change. The memory
 * share was 24 MiB with bodies to 1 MiB, a sixth of the 145 MB the server
 * held during a sweep of the large register of bench/ when full; with 8 MiB
 * that sweep's VmHWM was 152-154 MB, with 4 MiB (and the Word document's
 * archive in a file) 144-146, under its 150 MB target (issue 12). */
enum { RESPONSE_BUCKETS = 1024, RESPONSE_MAX_ENTRIES = 512, RESPONSE_MEMORY_BYTES = 4 << 20,
       RESPONSE_MEMORY_ONE = 512 << 10, RESPONSE_HEADERS = 4 };
#define RESPONSE_FILE_ONE ((size_t)64 << 20)
#define RESPONSE_FILE_BYTES ((size_t)512 << 20)

struct cached_response {
    struct cached_response *next; /* in its hash bucket */
    char *key;
    uint64_t hash, used;
    int refs;
    bool listed;
    int status;
    char *content_type;
    web_pair headers[RESPONSE_HEADERS];
    size_t header_count;
    char *body;   /* in memory, or NULL when in the file */
    int fd;       /* the body's unlinked file, or -1 */
    size_t length, bytes, file_bytes;
    void *prepared; /* the transport's form (response_prepared); owns body once made */
    void (*prepared_free)(void *);
};

static pthread_mutex_t response_lock = PTHREAD_MUTEX_INITIALIZER;
static cached_response *buckets[RESPONSE_BUCKETS];
static size_t response_count, response_bytes, response_file_bytes;
static uint64_t response_tick;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void response_free(cached_response *r)
{
    for (size_t i = 0; i < r->header_count; i++) {
        free((char *)r->headers[i].name);
        free((char *)r->headers[i].value);
    }
    free(r->key);
    free(r->content_type);
    if (r->prepared)
        r->prepared_free(r->prepared); /* which lets go of body when its last user is done */
    else
        free(r->body);
    if (r->fd >= 0)
        close(r->fd);
    free(r);
}

/* Takes r out of its bucket (the caller holds the lock); frees it when unused. */
static bool unlist(cached_response *r)
{
    cached_response **p = &buckets[r->hash % RESPONSE_BUCKETS];
    while (*p && *p != r)
        p = &(*p)->next;
    if (*p)
        *p = r->next;
    r->listed = false;
    response_count--;
    response_bytes -= r->bytes;
    response_file_bytes -= r->file_bytes;
    return r->refs == 0;
}

cached_response *response_cache_get(const char *key)
{
    uint64_t h = fnv1a(key);
    pthread_mutex_lock(&response_lock);
    cached_response *r = buckets[h % RESPONSE_BUCKETS];
    while (r && (r->hash != h || strcmp(r->key, key) != 0))
        r = r->next;
    if (r) {
        r->refs++;
        r->used = ++response_tick;
    }
    pthread_mutex_unlock(&response_lock);
    return r;
}

/* Pushes out the least recently used unheld entries until there is room. */
static void make_room(size_t bytes, size_t file_bytes)
{
    while (response_count >= RESPONSE_MAX_ENTRIES || response_bytes + bytes > RESPONSE_MEMORY_BYTES ||
           response_file_bytes + file_bytes > RESPONSE_FILE_BYTES) {
        cached_response *oldest = NULL;
        for (size_t b = 0; b < RESPONSE_BUCKETS; b++)
            for (cached_response *r = buckets[b]; r; r = r->next)
                if (!oldest || r->used < oldest->used)
                    oldest = r;
        if (!oldest)
            return;
        if (unlist(oldest))
            response_free(oldest);
    }
}

static char *copy(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* The body in an unlinked temporary file; its descriptor, or -1. */
static int body_file(const char *body, size_t length)
{
    FILE *f = tmpfile();
    if (!f)
        return -1;
    bool ok = fwrite(body, 1, length, f) == length && fflush(f) == 0;
    int fd = ok ? dup(fileno(f)) : -1;
    fclose(f);
    return fd;
}

/* put, with the body in memory (fd < 0) or in the file fd (taken over). */
static cached_response *put(const char *key, int status, const char *content_type, const web_pair *headers,
                            size_t header_count, const char *body, int fd, size_t length)
{
    if (length > RESPONSE_FILE_ONE || header_count > RESPONSE_HEADERS) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    cached_response *r = calloc(1, sizeof *r);
    if (!r) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    r->fd = fd;
    r->key = copy(key, strlen(key));
    r->content_type = copy(content_type, strlen(content_type));
    bool in_file = fd >= 0 || length > RESPONSE_MEMORY_ONE;
    if (in_file && fd < 0)
        r->fd = body_file(body, length);
    else if (!in_file)
        r->body = copy(body ? body : "", length);
    bool ok = r->key && r->content_type && (in_file ? r->fd >= 0 : r->body != NULL);
    for (size_t i = 0; ok && i < header_count; i++) {
        r->headers[i].name = copy(headers[i].name, strlen(headers[i].name));
        r->headers[i].value = copy(headers[i].value, strlen(headers[i].value));
        r->header_count = i + 1;
        ok = r->headers[i].name && r->headers[i].value;
    }
    if (!ok) {
        response_free(r);
        return NULL;
    }
    r->status = status;
    r->length = length;
    r->bytes = (in_file ? 0 : length) + strlen(key) + sizeof *r;
    r->file_bytes = in_file ? length : 0;
    r->hash = fnv1a(key);
    pthread_mutex_lock(&response_lock);
    cached_response *old = buckets[r->hash % RESPONSE_BUCKETS];
    while (old && (old->hash != r->hash || strcmp(old->key, key) != 0))
        old = old->next;
    if (old && unlist(old))
        response_free(old);
    make_room(r->bytes, r->file_bytes);
    r->next = buckets[r->hash % RESPONSE_BUCKETS];
    buckets[r->hash % RESPONSE_BUCKETS] = r;
    r->listed = true;
    r->refs = 1;
    r->used = ++response_tick;
    response_count++;
    response_bytes += r->bytes;
    response_file_bytes += r->file_bytes;
    pthread_mutex_unlock(&response_lock);
    return r;
}

cached_response *response_cache_put(const char *key, int status, const char *content_type, const web_pair *headers,
                                    size_t header_count, const char *body, size_t length)
{
    return put(key, status, content_type, headers, header_count, body, -1, length);
}

cached_response *response_cache_put_file(const char *key, int status, const char *content_type,
                                         const web_pair *headers, size_t header_count, int fd, size_t length)
{
    return put(key, status, content_type, headers, header_count, NULL, fd, length);
}

void response_cache_hold(cached_response *r)
{
    pthread_mutex_lock(&response_lock);
    r->refs++;
    pthread_mutex_unlock(&response_lock);
}

void response_cache_release(cached_response *r)
{
    if (!r)
        return;
    pthread_mutex_lock(&response_lock);
    bool drop = --r->refs == 0 && !r->listed;
    pthread_mutex_unlock(&response_lock);
    if (drop)
        response_free(r);
}

void *response_prepared(cached_response *r, void *(*make)(const cached_response *r), void (*free_fn)(void *))
{
    pthread_mutex_lock(&response_lock);
    if (!r->prepared && (r->prepared = make(r)))
        r->prepared_free = free_fn;
    void *p = r->prepared;
    pthread_mutex_unlock(&response_lock);
    return p;
}

int response_status(const cached_response *r) { return r->status; }
const char *response_content_type(const cached_response *r) { return r->content_type; }

const web_pair *response_headers(const cached_response *r, size_t *count)
{
    *count = r->header_count;
    return r->headers;
}

const char *response_body(const cached_response *r, size_t *length)
{
    *length = r->length;
    return r->body;
}

int response_body_fd(const cached_response *r) { return r->fd; }

void cache_clear(void)
{
    pthread_mutex_lock(&response_lock);
    for (size_t b = 0; b < RESPONSE_BUCKETS; b++)
        while (buckets[b]) {
            cached_response *r = buckets[b];
            if (unlist(r))
                response_free(r);
        }
    pthread_mutex_unlock(&response_lock);

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
