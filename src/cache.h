/* cache.h: register views shared by the server's worker threads.
 *
 * Loading the view of the register (store_load_view) is the expensive part
 * of a page; it only changes when a change is recorded. Views are kept by the
 * change they show, reference-counted: a request acquires one and releases
 * it when it ends, and a view is freed when it is neither among the most
 * recently used nor held. Figures derived from a view (the monthly chart)
 * are kept with it through cache_memo(). Thread-safe. */
#ifndef SOMON_CACHE_H
#define SOMON_CACHE_H

#include <stdint.h>

#include "store.h"
#include "web.h"

typedef struct cache_entry cache_entry;

/* The view as known at change `known`, loading it through db when missing.
 * NULL when loading fails. */
cache_entry *cache_acquire(store *db, int64_t known);
void cache_release(cache_entry *e);
const register_view *cache_view(const cache_entry *e);

/* A value computed once per view: compute(view, arg) runs under the entry's
 * lock the first time; free_fn releases it with the view. Values are told
 * apart by slot (0 .. CACHE_SLOTS-1): page_overview.c's chart is slot 0,
 * register_all.c's slot 1. */
enum { CACHE_SLOTS = 4 };
void *cache_memo(cache_entry *e, int slot, void *(*compute)(const register_view *v), void (*free_fn)(void *));
/* The same for a value read from the register as known at the entry's
 * change: load(db, known) runs once, on the connection of the first caller
 * (inside its read transaction); NULL (a failed read) is tried again by the
 * next caller. Values are read-only once made: threads share them. */
void *cache_memo_load(cache_entry *e, int slot, store *db, void *(*load)(store *db, int64_t known),
                      void (*free_fn)(void *));
/* Frees the value in slot of every kept view that no request holds, but the
 * one at change keep (a large value is kept for the newest version only; an
 * older view computes it again when asked). */
void cache_drop_memo(int slot, int64_t keep);

/* ---- responses ----
 * A rendered response kept for identical requests: the key says everything
 * the response depends on (the change known, the day, the request target).
 * Bounded in entries and bytes (large bodies are kept in unlinked temporary
 * files, bounded apart: see cache.c); entries in use are never freed under a
 * reader. */
typedef struct cached_response cached_response;

cached_response *response_cache_get(const char *key);
/* Stores a copy; returns it acquired (or NULL when it cannot be kept). */
cached_response *response_cache_put(const char *key, int status, const char *content_type, const web_pair *headers,
                                    size_t header_count, const char *body, size_t length);
/* The same for a body in a file of its own (unlinked, read with pread), which
 * the cache takes over (closes it also when it cannot keep it). */
cached_response *response_cache_put_file(const char *key, int status, const char *content_type,
                                         const web_pair *headers, size_t header_count, int fd, size_t length);
void response_cache_hold(cached_response *r); /* one more holder */
void response_cache_release(cached_response *r);
/* The transport's own form of r (the HTTP library's response object, headers
 * and all), made once by make (under the cache's lock) and shared by every
 * request that r answers. Once made it owns r's body: free_fn, called when r
 * is freed, must free the body (response_body) when its own last user is
 * done with it. NULL when make failed (and then r keeps its body). */
void *response_prepared(cached_response *r, void *(*make)(const cached_response *r), void (*free_fn)(void *));
int response_status(const cached_response *r);
const char *response_content_type(const cached_response *r);
const web_pair *response_headers(const cached_response *r, size_t *count);
/* The body: in memory, or NULL when it is kept in a file (large bodies; then
 * response_body_fd() is its descriptor, read it with pread: it is shared). */
const char *response_body(const cached_response *r, size_t *length);
int response_body_fd(const cached_response *r);

/* Frees every view and response (at shutdown, when no request runs). */
void cache_clear(void);

#endif
