/* edit.c: see edit.h. */
#include "edit.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "muniname.h"


static void add_problem(request *rq, edit_outcome *o, size_t *cap, const char *path, const char *message)
{
    o->problems = arena_grow(rq->arena, o->problems, cap, o->problem_count + 1, sizeof *o->problems);
    o->problems[o->problem_count++] = (somon1_problem){path, message};
}

static void lifecycle_problems(request *rq, const agreement *before, const agreement *after, edit_outcome *o,
                               size_t *cap)
{
    rules_lifecycle b = before ? somon1_lifecycle(before) : (rules_lifecycle){0};
    rules_lifecycle a = somon1_lifecycle(after);
    unsigned bits = rules_lifecycle_check(before ? &b : NULL, &a);
    if (bits & LIFECYCLE_STEP_FORBIDDEN)
        add_problem(rq, o, cap, "status",
                    before && before->status == STATUS_TERMINATED
                        ? "een beëindigde overeenkomst blijft beëindigd"
                    : before && before->status == STATUS_SIGNED
                        ? "een ondertekende overeenkomst kan alleen nog beëindigd worden"
                        : "een overeenkomst wordt eerst ondertekend en pas daarna beëindigd");
    if (bits & LIFECYCLE_NEEDS_START)
        add_problem(rq, o, cap, "start", "een ondertekende overeenkomst heeft een begindatum nodig");
    if (bits & LIFECYCLE_NEEDS_APPROVAL)
        add_problem(rq, o, cap, "parties",
                    "een ondertekende overeenkomst heeft minstens één gemeente met een goedkeuringsdatum van de "
                    "gemeenteraad nodig");
    if (bits & LIFECYCLE_NEEDS_END_DATE)
        add_problem(rq, o, cap, "terminated_on", "geef de eerste dag waarop de overeenkomst niet meer van kracht is");
    if (bits & LIFECYCLE_NEEDS_ENDED_BY)
        add_problem(rq, o, cap, "terminated_by", "kies wie de overeenkomst beëindigde");
}

static bool same_content(const agreement *a, const agreement *b)
{
    json_t *x = somon1_agreement_json(a), *y = somon1_agreement_json(b);
    char *sx = json_dumps(x, JSON_COMPACT | JSON_PRESERVE_ORDER), *sy = json_dumps(y, JSON_COMPACT | JSON_PRESERVE_ORDER);
    bool same = sx && sy && strcmp(sx, sy) == 0;
    free(sx);
    free(sy);
    json_decref(x);
    json_decref(y);
    return same;
}

const char *edit_scope_text(request *rq)
{
    const char *s = "";
    for (size_t i = 0; i < rq->who->scope_count; i++)
        s = arena_printf(rq->arena, "%s%s%s", s, !i ? "" : i + 1 < rq->who->scope_count ? ", " : " of ",
                         rq->who->scope[i]);
    return s;
}

/* The province of the regiegebied `after` chooses (-1 when it keeps the one
 * it had, has none, or names an unknown one, which check() reports). */
static int chosen_region_province(const somon1_context *ctx, const agreement *before, const agreement *after)
{
    if (!after->regiegebied || (before && before->regiegebied && strcmp(before->regiegebied, after->regiegebied) == 0))
        return -1;
    for (size_t i = 0; i < ctx->known.regiegebied_count; i++)
        if (strcmp(ctx->known.regiegebieden[i].id, after->regiegebied) == 0)
            return ctx->known.regiegebieden[i].province;
    return -1;
}

/* The new version must stay where its author may act on it (auth_may
 * decides): a scoped account cannot move an agreement out of its scope,
 * create one outside it, or place it in a regiegebied of another province.
 * A regiegebied that the agreement already had stays allowed, so that a
 * choice of an administrator does not lock the form. */
static void scope_problems(request *rq, act doing, const somon1_context *ctx, const agreement *before,
                           const agreement *after, edit_outcome *o, size_t *cap)
{
    bool creating = doing == ACT_CREATE_AGREEMENT;
    bool placed = creating ? auth_may(rq->who, doing, NULL, after->vdab_directorate)
                           : auth_may(rq->who, doing, after, -1);
    if (!placed) {
        if (after->vdab_directorate < 0 && edit_problem_at(o, "vdab_directorate"))
            return; /* no directorate: said once, by the format's own check */
        if (creating || doing == ACT_EDIT_AGREEMENT)
            add_problem(rq, o, cap, "vdab_directorate",
                        arena_printf(rq->arena,
                                     creating ? "uw account maakt alleen overeenkomsten aan voor de directie %s; kies "
                                                "een directie uit de lijst"
                                              : "uw account beheert alleen overeenkomsten van de directie %s; kies een "
                                                "directie uit de lijst (naar een andere directie verplaatst een "
                                                "beheerder ze)",
                                     edit_scope_text(rq)));
        else /* no form of a local account changes the parties; the rule holds all the same */
            add_problem(rq, o, cap, "parties",
                        "na deze wijziging zou uw organisatie of gemeente geen partij meer zijn; er is niets bewaard");
        return;
    }
    int region = chosen_region_province(ctx, before, after);
    if (region >= 0 && !(creating ? auth_may(rq->who, doing, NULL, region) : auth_may(rq->who, doing, after, region)))
        add_problem(rq, o, cap, "regiegebied",
                    arena_printf(rq->arena, "dit regiegebied ligt in %s, buiten het bereik van uw account (%s); kies "
                                            "een regiegebied uit de lijst of geen",
                                 province_name(region), edit_scope_text(rq)));
}

/* Every rule, against the register as it is now. */
static bool check(request *rq, act doing, agreement *ag, const agreement *before, edit_outcome *o)
{
    size_t cap = 0;
    somon1_context ctx = {web_view(rq), {0}};
    if (!ctx.view ||
        store_get_organisations(rq->db, STORE_NOW, rq->arena, &ctx.known.organisations, &ctx.known.organisation_count) ||
        store_get_regiegebieden(rq->db, STORE_NOW, rq->arena, &ctx.known.regiegebieden, &ctx.known.regiegebied_count) ||
        store_get_agreement_links(rq->db, STORE_NOW, rq->arena, &ctx.known.agreements, &ctx.known.agreement_count))
        return false;
    somon1_problem *found;
    size_t n = somon1_check_agreement(ag, &ctx, rq->arena, &found);
    for (size_t i = 0; i < n; i++)
        add_problem(rq, o, &cap, found[i].path, found[i].message);
    lifecycle_problems(rq, before, ag, o, &cap);
    scope_problems(rq, doing, &ctx, before, ag, o, &cap);
    return true;
}

/* What changed between the version the form came from and the current one. */
static void changes_between(request *rq, int64_t from_version, const agreement *current, edit_outcome *o)
{
    agreement old;
    if (store_get_agreement_version(rq->db, from_version, rq->arena, &old) != 1 || strcmp(old.id, current->id) != 0)
        return; /* not a version of this agreement: nothing to compare with */
    json_t *a = somon1_agreement_json(&old), *b = somon1_agreement_json(current);
    o->between_count = history_diff(rq->arena, a, b, web_history_names(rq), &o->between);
    json_decref(a);
    json_decref(b);
    store_version *versions;
    size_t nv;
    if (!store_agreement_versions(rq->db, STORE_NOW, current->id, rq->arena, &versions, &nv) && nv) {
        o->by = versions[nv - 1].actor;
        o->at = versions[nv - 1].moment;
    }
}

static int id_taken(request *rq, edit_outcome *o)
{
    size_t cap = 0;
    add_problem(rq, o, &cap, "id", "deze id bestaat al; kies een andere");
    return EDIT_INVALID;
}

/* The stored version is not the one the form was loaded from: what changed since. */
static int stale(request *rq, const agreement *ag, const agreement *current, edit_outcome *o)
{
    changes_between(rq, ag->version, current, o);
    return EDIT_STALE;
}

/* Inside the write transaction, after the new version is written: an
 * action with evaluations or a body with meetings that the version before
 * had and this one lacks would leave them in no export (issue 9). The
 * forms say so beside the row before saving (page_governance.c; the action
 * plan never drops an action); this is the last word, also when a meeting
 * was recorded after the form's check. 1 with problems in o, 0, or -1. */
static int cut_off(request *rq, const agreement *before, edit_outcome *o)
{
    store_orphan *evs, *ms;
    size_t ne, nm, cap = o->problem_count;
    if (somon1_cut_off(rq->db, rq->arena, before, &evs, &ne, &ms, &nm))
        return -1;
    for (size_t i = 0; i < ne; i++)
        add_problem(rq, o, &cap, "action_plan",
                    arena_printf(rq->arena, "actie %s heeft evaluaties voor %s en ontbreekt; een actie met evaluaties "
                                            "blijft in het actieplan (geef ze de status stopgezet)",
                                 evs[i].name ? evs[i].name : "", evs[i].years));
    for (size_t i = 0; i < nm; i++)
        add_problem(rq, o, &cap, "governance",
                    arena_printf(rq->arena, "overlegorgaan '%s' heeft %zu geregistreerde vergadering%s en ontbreekt; "
                                            "een orgaan met vergaderingen blijft bestaan",
                                 ms[i].name ? ms[i].name : "", ms[i].count, ms[i].count == 1 ? "" : "en"));
    return ne + nm ? 1 : 0;
}

int edit_save(request *rq, agreement *ag, act doing, const char *what, edit_outcome *o)
{
    memset(o, 0, sizeof *o);
    agreement current;
    int found = store_get_agreement(rq->db, STORE_NOW, ag->id, rq->arena, &current);
    if (found < 0)
        return EDIT_FAILED;
    if (ag->version == 0 && found) /* a new agreement with the id of an existing one */
        return id_taken(rq, o);
    if (ag->version && !found)
        return EDIT_FAILED;
    /* ag is rq->subject with the form's changes: a form of any other version
     * (older, or a number the client made up) would write over what it never saw */
    if (ag->version && (current.version != ag->version || !rq->subject || rq->subject->version != ag->version))
        return stale(rq, ag, &current, o);
    if (!check(rq, doing, ag, found ? &current : NULL, o))
        return EDIT_FAILED;
    if (o->problem_count)
        return EDIT_INVALID;
    if (found && same_content(&current, ag))
        return EDIT_SAVED; /* nothing changed: no new version, no empty history entry */
    int64_t change;
    if (store_begin(rq->db, rq->who->login, "edit", arena_printf(rq->arena, "%s %s", what, ag->id), &change))
        return EDIT_FAILED;
    /* everything above ran outside the write lock: the version decides again
     * inside it, in the transaction that writes, so of two saves of one
     * version only the first is written and the second is told what changed */
    agreement again;
    int still = store_get_agreement(rq->db, STORE_NOW, ag->id, rq->arena, &again);
    if (still < 0 || (ag->version && (still != 1 || again.version != ag->version)) || (!ag->version && still)) {
        store_rollback(rq->db);
        if (still == 1)
            return ag->version ? stale(rq, ag, &again, o) : id_taken(rq, o);
        return EDIT_FAILED;
    }
    int cut = store_put_agreement(rq->db, change, ag) ? -1 : still ? cut_off(rq, &again, o) : 0;
    if (cut || store_commit(rq->db)) {
        store_rollback(rq->db);
        return cut > 0 ? EDIT_INVALID : EDIT_FAILED;
    }
    return EDIT_SAVED;
}

bool edit_still_permitted(request *rq, act what)
{
    agreement now;
    return rq->subject && store_get_agreement(rq->db, STORE_NOW, rq->subject->id, rq->arena, &now) == 1 &&
           auth_may(rq->who, what, &now, -1);
}

const char *edit_problem_at(const edit_outcome *o, const char *field)
{
    size_t n = strlen(field);
    for (size_t i = 0; i < o->problem_count; i++) {
        const char *p = o->problems[i].path;
        if (strncmp(p, field, n) == 0 && (p[n] == '\0' || p[n] == '.' || p[n] == '['))
            return o->problems[i].message;
    }
    return NULL;
}

int64_t edit_form_version(request *rq)
{
    const char *v = web_form(rq, "version");
    char *end;
    long long n = v && *v ? strtoll(v, &end, 10) : -1;
    if (!v || !*v || *end || n < 1) {
        web_error(rq, 400, "bad_form", "Het formulier mist de versie waarvan het vertrok; open het opnieuw.");
        return -1;
    }
    return n;
}

/* ---- an id for a new agreement ------------------------------------------------- */

/* Words of a title that name no place: what most titles share. */
static bool common_word(const char *w)
{
    static const char *const COMMON[] = {
        "aan",        "arbeidsmarkt", "beleid",   "bij",        "centrumstad", "cluster",     "de",
        "door",       "een",          "en",       "gemeente",   "gemeenten",   "groep",       "het",
        "in",         "inclusief",    "inclusieve", "lokaal",   "lokale",      "met",         "naar",
        "om",         "op",           "over",     "overeenkomst", "regio",     "regiegebied", "samen",
        "samenwerking", "samenwerkingsovereenkomst", "so", "stad", "sterk",    "sterke",      "te",
        "tot",        "tussen",       "uit",      "van",        "vdab",        "voor",        "werk",
        "werken",     "welzijn",      "werkgelegenheid", NULL};
    for (size_t i = 0; COMMON[i]; i++)
        if (strcasecmp(w, COMMON[i]) == 0)
            return true;
    return strspn(w, "0123456789") == strlen(w);
}

/* "SO-" + the letters and digits of s in capitals, every other run as one '-'. */
static void id_part(buf *b, const char *s)
{
    bool dash = b->len && b->data[b->len - 1] != '-';
    for (const unsigned char *c = (const unsigned char *)s; c && *c; c++) {
        if (isalnum(*c) && *c < 0x80) {
            if (dash)
                buf_putc(b, '-');
            dash = false;
            buf_putc(b, (char)toupper(*c));
        } else if (*c < 0x80) {
            dash = b->len && b->data[b->len - 1] != '-';
        } /* a byte of a non-ASCII letter is left out: "Reële" → "REELE" is not worth a table */
    }
}

static bool names_place(request *rq, const char *word, const regiegebied *regions, size_t nr)
{
    const register_view *v = web_view(rq);
    muniname_match m;
    if (v && muniname_resolve(v, word, DATE_NONE, rq->arena, &m) != MUNINAME_UNKNOWN && strlen(word) != 5)
        return true;
    for (size_t i = 0; i < nr; i++)
        if (regions[i].name && strcasecmp(regions[i].name, word) == 0)
            return true;
    return false;
}

/* The place an agreement is about, as its title, regiegebied or directorate says. */
static const char *place_of(request *rq, const agreement *ag)
{
    regiegebied *regions = NULL;
    size_t nr = 0;
    if (store_get_regiegebieden(rq->db, STORE_NOW, rq->arena, &regions, &nr))
        nr = 0;
    const char *first = NULL;
    static const char SEPARATORS[] = " \t\r\n,;:()[]!?\"'/.&+";
    for (const char *t = ag->title ? ag->title : ""; *t;) {
        size_t gap = strspn(t, SEPARATORS), len = strcspn(t + gap, SEPARATORS);
        const char *w = arena_strndup(rq->arena, t + gap, len);
        t += gap + len;
        while (*w == '-')
            w++;
        if (!*w || common_word(w))
            continue;
        if (names_place(rq, w, regions, nr))
            return w;
        if (!first && (isupper((unsigned char)*w) || !isalpha((unsigned char)*w)))
            first = w;
    }
    if (first)
        return first;
    for (size_t i = 0; ag->regiegebied && i < nr; i++)
        if (strcmp(regions[i].id, ag->regiegebied) == 0)
            return regions[i].name;
    return ag->vdab_directorate >= 0 ? province_name(ag->vdab_directorate) : NULL;
}

static bool id_known(const agreement *all, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (all[i].id && strcasecmp(all[i].id, id) == 0)
            return true;
    return false;
}

const char *edit_propose_id(request *rq, const agreement *ag)
{
    date_t day = ag->start != DATE_NONE ? ag->start
               : ag->expected_start != DATE_NONE ? ag->expected_start
               : ag->signed_on != DATE_NONE ? ag->signed_on
                                             : moment_local_date(moment_now());
    int year, month, mday;
    date_to_ymd(day, &year, &month, &mday);
    buf b = {0};
    buf_puts(&b, "SO");
    const char *place = place_of(rq, ag);
    if (place)
        id_part(&b, arena_clip(rq->arena, place, 40));
    if (ag->kind && strcmp(ag->kind, "cluster") == 0)
        id_part(&b, "cluster");
    id_part(&b, arena_printf(rq->arena, "%d", year));
    const char *base = arena_strdup(rq->arena, b.data), *id = base;
    buf_free(&b);
    agreement *all = NULL;
    size_t n = 0;
    if (store_get_agreement_links(rq->db, STORE_NOW, rq->arena, &all, &n))
        n = 0;
    for (int k = 2; id_known(all, n, id) && k < 1000; k++)
        id = arena_printf(rq->arena, "%s-%d", base, k);
    return id;
}

date_t edit_agreement_day(const agreement *ag)
{
    return ag->start != DATE_NONE            ? ag->start
           : ag->expected_start != DATE_NONE ? ag->expected_start
                                             : moment_local_date(moment_now());
}

date_t edit_party_day(const agreement *ag, const party *p)
{
    if (p->from != DATE_NONE)
        return ag->start != DATE_NONE ? date_max(p->from, ag->start) : p->from;
    if (ag->start == DATE_NONE && p->expected_from != DATE_NONE)
        return p->expected_from;
    return edit_agreement_day(ag);
}
