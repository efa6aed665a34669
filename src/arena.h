/* arena.h: region allocation. Everything a request, an import or a report
 * allocates comes from one arena and is released by one arena_free(), so the
 * code in between never frees and cannot leak. Allocation failure aborts the
 * process with a message (there is no sensible partial result). Blocks are
 * aligned for any type. */
#ifndef SOMON_ARENA_H
#define SOMON_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a); /* NULL is fine */
void *arena_alloc(arena *a, size_t size);  /* uninitialised */
void *arena_calloc(arena *a, size_t n, size_t size);
/* Grows an array of *cap elements to hold need (new elements zeroed). A
 * small array is copied and its old block stays in the arena until it is
 * freed; a large one (a block of its own) is moved with realloc: either way
 * no pointer into the array stays valid across a grow. */
void *arena_grow(arena *a, void *items, size_t *cap, size_t need, size_t size);
char *arena_strdup(arena *a, const char *s); /* NULL stays NULL */
char *arena_strndup(arena *a, const char *s, size_t n);
/* At most max bytes of s, cut at a character boundary of UTF-8 (so a quoted
 * value in a message never ends in half a character), with "…" when cut. */
const char *arena_clip(arena *a, const char *s, size_t max);
char *arena_printf(arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(arena *a, const char *fmt, va_list ap);
size_t arena_used(const arena *a);

#endif
