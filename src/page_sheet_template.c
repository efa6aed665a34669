/* page_sheet_template.c: GET /agreements/sjabloon.xlsx, the spreadsheet to fill in
 * for an import of agreements (sheet_template.h). Public like /agreements: it holds
 * only the municipalities of the reference data, as the register knows them at the
 * change asked (as_known_at) or now.
 *
 * The template depends on nothing but those municipalities (code, name, province,
 * valid from and until), which is what formnames_hash() hashes: it is built once
 * per version of them (about a second on the 100,000-row register) and its bytes
 * are kept here, so later downloads of any change with the same map copy them.
 * The server's read-ahead (readahead.c) builds the newest version's. */
#define _POSIX_C_SOURCE 200809L
#include "formnames.h"
#include "pages.h"
#include "sheet_template.h"

#include <pthread.h>
#include <stdlib.h>

/* The bytes of the last template built. `building` makes a second request
 * for a version being built wait for it rather than build it again. */
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER, building = PTHREAD_MUTEX_INITIALIZER;
static struct {
    uint64_t version;
    char *data;
    size_t len;
} kept;

/* Answers with the kept bytes when they are of version. */
static bool send_kept(request *rq, uint64_t version, bool *failed)
{
    bool hit = false;
    pthread_mutex_lock(&kept_lock);
    if (kept.data && kept.version == version) {
        hit = true;
        *failed = !web_body_file(rq);
        if (!*failed)
            buf_add(&rq->body, kept.data, kept.len);
    }
    pthread_mutex_unlock(&kept_lock);
    return hit;
}

static int write_template(const void *v, const char *path, buf *why) { return sheet_template_write(v, path, why); }

/* Builds the template of v (libxlsxwriter writes files only: through a
 * temporary file) and keeps its bytes as those of version. Under `building`. */
static bool build(const register_view *v, uint64_t version)
{
    size_t len = 0;
    char *data = web_file_bytes("template", write_template, v, &len);
    if (!data)
        return false;
    pthread_mutex_lock(&kept_lock);
    free(kept.data);
    kept.version = version;
    kept.data = data;
    kept.len = len;
    pthread_mutex_unlock(&kept_lock);
    return true;
}

void page_sheet_template_read_ahead(const register_view *v)
{
    uint64_t version = formnames_hash(v);
    pthread_mutex_lock(&building);
    pthread_mutex_lock(&kept_lock);
    bool have = kept.data && kept.version == version;
    pthread_mutex_unlock(&kept_lock);
    if (!have)
        build(v, version);
    pthread_mutex_unlock(&building);
}

void page_sheet_template(request *rq)
{
    const register_view *v = web_view(rq);
    if (!v)
        return;
    uint64_t version;
    bool failed = false;
    if (!formnames_version_hash(rq, &version))
        return;
    if (!send_kept(rq, version, &failed)) {
        /* one build per version: a second request waits for it (readahead.c
         * builds the newest version's before anyone asks) */
        pthread_mutex_lock(&building);
        if (!send_kept(rq, version, &failed))
            failed = !build(v, version) || !send_kept(rq, version, &failed) || failed;
        pthread_mutex_unlock(&building);
    }
    if (failed) {
        web_error(rq, 503, "unavailable", "Het sjabloon kon niet gemaakt worden; probeer het opnieuw.");
        return;
    }
    rq->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    web_header(rq, "Content-Disposition", "attachment; filename=\"sjabloon-overeenkomsten.xlsx\"");
}
