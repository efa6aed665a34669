/* page_sheet_template.c: GET /agreements/sjabloon.xlsx, the spreadsheet to fill in
 * for an import of agreements (sheet_template.h). Public like /agreements: it holds
 * only the municipalities of the reference data, as the register knows them at the
 * change asked (as_known_at) or now.
 *
 * The template depends on nothing but those municipalities (code, name, province,
 * valid from and until), which is what formnames_hash() hashes: it is built once
 * per version of them (about a second on the 100,000-row register) and its bytes
 * are kept here, so later downloads of any change with the same map copy them. */
#define _POSIX_C_SOURCE 200809L
#include "formnames.h"
#include "pages.h"
#include "sheet_template.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Keeps the body just written to rq's file as the template of version. */
static void keep(request *rq, uint64_t version)
{
    struct stat st;
    int fd = rq->body_file ? fileno(rq->body_file) : -1;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0)
        return;
    size_t len = (size_t)st.st_size, got = 0;
    char *data = malloc(len);
    while (data && got < len) {
        ssize_t n = pread(fd, data + got, len - got, (off_t)got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (!data || got != len) {
        free(data);
        return;
    }
    pthread_mutex_lock(&kept_lock);
    free(kept.data);
    kept.version = version;
    kept.data = data;
    kept.len = len;
    pthread_mutex_unlock(&kept_lock);
}

static int write_template(const void *v, const char *path, buf *why) { return sheet_template_write(v, path, why); }

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
        pthread_mutex_lock(&building);
        if (!send_kept(rq, version, &failed)) {
            failed = !web_body_from_file(rq, "template", write_template, v);
            if (!failed)
                keep(rq, version);
        }
        pthread_mutex_unlock(&building);
    }
    if (failed) {
        web_error(rq, 503, "unavailable", "Het sjabloon kon niet gemaakt worden; probeer het opnieuw.");
        return;
    }
    rq->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    web_header(rq, "Content-Disposition", "attachment; filename=\"sjabloon-overeenkomsten.xlsx\"");
}
