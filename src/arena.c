/* arena.c: see arena.h. A list of chunks; large requests get a chunk of their
 * own so that the common chunk size stays small. */
#include "arena.h"
#include "i18n.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK_SIZE = 64 * 1024, ALIGN = 16 };

struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(ALIGN) unsigned char data[];
};

struct arena {
    struct chunk *head;
    size_t total;
};

static void *must(void *p)
{
    if (!p) {
        fputs(_("somon: out of memory\n"), stderr);
        abort();
    }
    return p;
}

arena *arena_new(void) { return must(calloc(1, sizeof(arena))); }

void arena_free(arena *a)
{
    if (!a)
        return;
    struct chunk *c = a->head;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

static struct chunk *new_chunk(arena *a, size_t size)
{
    struct chunk *c = must(malloc(sizeof *c + size));
    c->size = size;
    c->used = 0;
    a->total += size;
    return c;
}

void *arena_alloc(arena *a, size_t size)
{
    size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (size == 0)
        size = ALIGN;
    struct chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        if (size > CHUNK_SIZE / 4) {
            /* a big block of its own, kept behind the current chunk */
            struct chunk *big = new_chunk(a, size);
            big->used = size;
            if (c) {
                big->next = c->next;
                c->next = big;
            } else {
                big->next = NULL;
                a->head = big;
            }
            return big->data;
        }
        c = new_chunk(a, CHUNK_SIZE);
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    return p;
}

void *arena_calloc(arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        must(NULL);
    void *p = arena_alloc(a, n * size);
    memset(p, 0, n * size);
    return p;
}

/* The link to the chunk that holds items and nothing else (a large array in
 * a block of its own), or NULL. */
static struct chunk **own_chunk(arena *a, const void *items, size_t bytes)
{
    bytes = (bytes + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    for (struct chunk **l = &a->head; *l; l = &(*l)->next)
        if ((*l)->data == items)
            return (*l)->used == bytes ? l : NULL;
    return NULL;
}

void *arena_grow(arena *a, void *items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return items;
    size_t n = *cap ? *cap * 2 : 8;
    while (n < need)
        n *= 2;
    if (size && n > SIZE_MAX / size)
        must(NULL);
    /* A large array has a block of its own: it grows in place (realloc), so
     * that loading 200,000 rows leaves no dead copies behind (issue 12: 22 MB
     * of them in the register's shared view and agreements). */
    struct chunk **own = items && *cap * size > CHUNK_SIZE / 4 ? own_chunk(a, items, *cap * size) : NULL;
    if (own) {
        size_t old = (*own)->size, bytes = (n * size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
        struct chunk *c = must(realloc(*own, sizeof *c + bytes));
        memset(c->data + *cap * size, 0, bytes - *cap * size);
        c->size = c->used = bytes;
        a->total += bytes - old;
        *own = c;
        *cap = n;
        return c->data;
    }
    void *p = arena_calloc(a, n, size);
    if (items && *cap)
        memcpy(p, items, *cap * size);
    *cap = n;
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s) { return s ? arena_strndup(a, s, strlen(s)) : NULL; }

char *arena_vprintf(arena *a, const char *fmt, va_list ap)
{
    /* printed once, straight into the current chunk, when it has the room
     * (nearly always); measured first only when it has not: a report of
     * 100,000 rows formats a few texts per row (issue 12) */
    struct chunk *c = a->head;
    size_t room = c ? c->size - c->used : 0; /* a multiple of ALIGN */
    char *at = room ? (char *)c->data + c->used : NULL;
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(at, room, fmt, copy);
    va_end(copy);
    if (n < 0)
        return arena_strdup(a, "");
    if ((size_t)n < room) {
        c->used += ((size_t)n + 1 + ALIGN - 1) & ~(size_t)(ALIGN - 1);
        return at;
    }
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_used(const arena *a) { return a->total; }

const char *arena_clip(arena *a, const char *s, size_t max)
{
    if (!s)
        return "";
    size_t n = strlen(s);
    if (n <= max)
        return s;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--; /* s[max] would be the first byte left out: back off to a lead byte */
    return arena_printf(a, "%.*s…", (int)max, s);
}
