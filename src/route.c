/* route.c: every URL of somon. See route.h. */
#include "route.h"

#include <string.h>

#include "formnames.h"
#include "page_bronnen.h"
#include "page_cooperation.h"
#include "page_editions.h"
#include "pages.h"

const route ROUTES[] = {
    {"GET", "/", page_overview, PERM_PUBLIC, true},
    {"GET", "/agreements", page_agreement_list, PERM_PUBLIC, true},
    {"GET", "/agreements/new", page_agreement_new, PERM_CREATE, false},
    {"GET", "/agreements/sjabloon.xlsx", page_sheet_template, PERM_PUBLIC, true},
    {"POST", "/agreements", page_agreement_create, PERM_CREATE, false},
    {"GET", "/agreements/upload", page_sheet_upload, PERM_CREATE, false},
    {"POST", "/agreements/upload", page_sheet_import, PERM_CREATE, false},
    {"GET", "/agreements/:id", page_agreement, PERM_PUBLIC, true},
    {"GET", "/agreements/:id/edit", page_agreement_edit, PERM_EDIT, false},
    {"POST", "/agreements/:id", page_agreement_update, PERM_EDIT, false},
    {"GET", "/agreements/:id/parties/new", page_party_new, PERM_EDIT, false},
    {"POST", "/agreements/:id/parties", page_party_create, PERM_EDIT, false},
    /* before /parties/:n, which would take "add" for a party number */
    {"GET", "/agreements/:id/parties/add", page_parties_add, PERM_EDIT, false},
    {"POST", "/agreements/:id/parties/add", page_parties_add_save, PERM_EDIT, false},
    {"GET", "/agreements/:id/approvals/edit", page_approvals_edit, PERM_EDIT, false},
    {"POST", "/agreements/:id/approvals", page_approvals_update, PERM_EDIT, false},
    {"GET", "/agreements/:id/parties/:n/edit", page_party_edit, PERM_EDIT, false},
    {"POST", "/agreements/:id/parties/:n", page_party_update, PERM_EDIT, false},
    {"POST", "/agreements/:id/parties/:n/remove", page_party_remove, PERM_EDIT, false},
    {"GET", "/agreements/:id/parties/:n/leave", page_party_leave, PERM_EDIT, false},
    {"POST", "/agreements/:id/parties/:n/leave", page_party_leave_update, PERM_EDIT, false},
    {"GET", "/agreements/:id/plan", page_agreement_plan, PERM_PUBLIC, true},
    {"GET", "/agreements/:id/plan/edit", page_plan_edit, PERM_PLAN, false},
    {"POST", "/agreements/:id/plan", page_plan_update, PERM_PLAN, false},
    {"GET", "/agreements/:id/governance/edit", page_governance_edit, PERM_GOVERNANCE, false},
    {"POST", "/agreements/:id/governance", page_governance_update, PERM_GOVERNANCE, false},
    {"GET", "/agreements/:id/notes/edit", page_notes_edit, PERM_NOTES, false},
    {"POST", "/agreements/:id/notes", page_notes_update, PERM_NOTES, false},
    {"GET", "/agreements/:id/evaluations/edit", page_evaluations_edit, PERM_PLAN, false},
    {"POST", "/agreements/:id/evaluations", page_evaluations_update, PERM_PLAN, false},
    {"GET", "/actions", page_actions, PERM_PUBLIC, true},
    {"GET", "/alerts", page_alerts, PERM_PUBLIC, true},
    {"GET", "/mine", page_mine, PERM_SIGNED_IN, false},
    {"GET", "/concluded", page_concluded, PERM_PUBLIC, true},
    {"GET", "/answer", page_answer, PERM_PUBLIC, true},
    {"GET", "/agreements/:id/meetings/new", page_meeting_new, PERM_GOVERNANCE, false},
    {"POST", "/agreements/:id/meetings", page_meeting_create, PERM_GOVERNANCE, false},
    {"GET", "/agreements/:id/meetings/:n/edit", page_meeting_edit, PERM_GOVERNANCE, false},
    {"POST", "/agreements/:id/meetings/:n", page_meeting_update, PERM_GOVERNANCE, false},
    {"POST", "/agreements/:id/meetings/:n/cancel", page_meeting_cancel, PERM_GOVERNANCE, false},
    {"GET", "/agreements/:id/meetings.ics", page_agreement_meetings_ics, PERM_PUBLIC, true},
    {"GET", "/organisations/:id/meetings.ics", page_organisation_meetings_ics, PERM_PUBLIC, true},
    {"GET", "/municipalities/:nis/meetings.ics", page_municipality_meetings_ics, PERM_PUBLIC, true},
    {"GET", "/governance", page_governance, PERM_PUBLIC, true},
    {"GET", "/history", page_history, PERM_PUBLIC, true},
    {"GET", "/login", page_login, PERM_PUBLIC, false},
    {"POST", "/login", page_login_post, PERM_PUBLIC, false},
    {"POST", "/logout", page_logout, PERM_SIGNED_IN, false},
    {"GET", "/accounts", page_accounts, PERM_ACCOUNTS, false},
    {"POST", "/accounts", page_account_create, PERM_ACCOUNTS, false},
    {"POST", "/accounts/:login", page_account_update, PERM_ACCOUNTS, false},
    {"GET", "/municipalities", page_municipality_list, PERM_PUBLIC, true},
    {"GET", "/municipalities/names.json", page_municipality_names, PERM_PUBLIC, false},
    {"GET", "/municipalities/:nis", page_municipality, PERM_PUBLIC, true},
    {"GET", "/provinces/:name", page_province, PERM_PUBLIC, true},
    {"GET", "/regiegebieden", page_regiegebied_list, PERM_PUBLIC, true},
    {"GET", "/regiegebieden/new", page_regiegebied_new, PERM_REGION, false},
    {"POST", "/regiegebieden", page_regiegebied_create, PERM_REGION, false},
    {"GET", "/regiegebieden/:id", page_regiegebied, PERM_PUBLIC, true},
    {"GET", "/regiegebieden/:id/edit", page_regiegebied_edit, PERM_REGION, false},
    {"POST", "/regiegebieden/:id", page_regiegebied_update, PERM_REGION, false},
    {"GET", "/organisations", page_organisation_list, PERM_PUBLIC, true},
    {"GET", "/organisations/new", page_organisation_new, PERM_ORGANISATION, false},
    {"POST", "/organisations", page_organisation_create, PERM_ORGANISATION, false},
    {"GET", "/organisations/:id", page_organisation, PERM_PUBLIC, true},
    {"GET", "/organisations/:id/edit", page_organisation_edit, PERM_ORGANISATION, false},
    {"POST", "/organisations/:id", page_organisation_update, PERM_ORGANISATION, false},
    {"GET", "/cooperations", page_cooperation_list, PERM_PUBLIC, true},
    {"GET", "/cooperations/new", page_cooperation_new, PERM_COOPERATION, false},
    {"POST", "/cooperations", page_cooperation_create, PERM_COOPERATION, false},
    {"GET", "/cooperations/:id/edit", page_cooperation_edit, PERM_COOPERATION, false},
    {"POST", "/cooperations/:id", page_cooperation_update, PERM_COOPERATION, false},
    {"GET", "/cooperations/:id/end", page_cooperation_end, PERM_COOPERATION, false},
    {"POST", "/cooperations/:id/end", page_cooperation_end_update, PERM_COOPERATION, false},
    {"GET", "/municipalities/:nis/outreach/new", page_outreach_new, PERM_COOPERATION, false},
    {"POST", "/municipalities/:nis/outreach", page_outreach_create, PERM_COOPERATION, false},
    {"GET", "/editions", page_editions, PERM_PUBLIC, true},
    {"GET", "/editions/new", page_edition_new, PERM_PUBLISH, false},
    {"POST", "/editions", page_edition_create, PERM_PUBLISH, false},
    {"GET", "/editions/:id", page_edition, PERM_PUBLIC, true},
    {"GET", "/indicators", page_indicators, PERM_PUBLIC, true},
    {"GET", "/provinces/:name/indicators", page_province_indicators, PERM_PUBLIC, true},
    {"GET", "/regiegebieden/:id/indicators", page_regiegebied_indicators, PERM_PUBLIC, true},
    {"GET", "/agreements/:id/indicators", page_agreement_indicators, PERM_PUBLIC, true},
    {"GET", "/annex", page_annex, PERM_PUBLIC, true},
    {"GET", "/bronnen", page_bronnen, PERM_PUBLIC, true},
    {"GET", "/static/:name", page_static, PERM_PUBLIC, false},
    {"GET", "/healthz", page_healthz, PERM_PUBLIC, false},
    {"GET", "/robots.txt", page_robots, PERM_PUBLIC, false},
    {"GET", "/api/v1/coverage", api_coverage, PERM_PUBLIC, true},
    {"GET", "/api/v1/agreements", api_agreements, PERM_PUBLIC, true},
    {"GET", "/api/v1/agreements/:id", api_agreement, PERM_PUBLIC, true},
    {"GET", "/api/v1/municipalities", api_municipalities, PERM_PUBLIC, true},
    {"GET", "/api/v1/municipalities/:nis", api_municipality, PERM_PUBLIC, true},
    {"GET", "/api/v1/regiegebieden", api_regiegebieden, PERM_PUBLIC, true},
    {"GET", "/api/v1/indicators", api_indicators, PERM_PUBLIC, true},
    {"GET", "/api/v1/openapi.json", api_openapi, PERM_PUBLIC, true},
    {NULL, NULL, NULL, PERM_PUBLIC, true},
};

/* Matches the request path against pattern, collecting ":name" segments. */
static bool path_matches(request *rq, const char *pattern)
{
    size_t seg = 0;
    rq->route_param_count = 0;
    const char *p = pattern;
    while (*p == '/')
        p++;
    /* most routes differ in the first segment: told apart there without
     * measuring anything (the cached API runs through 90 routes; issue 12) */
    if (*p && *p != ':') {
        if (!rq->t.segment_count)
            return false;
        const char *have = rq->t.segments[0], *want = p;
        while (*want && *want != '/' && *have == *want) {
            have++;
            want++;
        }
        if (*have || (*want && *want != '/'))
            return false;
    }
    while (*p) {
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (seg >= rq->t.segment_count)
            return false;
        const char *have = rq->t.segments[seg++];
        if (*p == ':') {
            if (rq->route_param_count == sizeof rq->route_params / sizeof *rq->route_params)
                return false;
            rq->route_params[rq->route_param_count++] = (web_pair){arena_strndup(rq->arena, p + 1, len - 1), have};
        } else if (strlen(have) != len || memcmp(have, p, len) != 0) {
            return false;
        }
        p += len;
        while (*p == '/')
            p++;
    }
    return seg == rq->t.segment_count;
}

/* HEAD is answered wherever GET is (the transport drops the body). */
static bool method_fits(const char *route_method, const char *method)
{
    return strcmp(route_method, method) == 0 || (strcmp(route_method, "GET") == 0 && strcmp(method, "HEAD") == 0);
}

const route *route_find(request *rq, bool *path_known, buf *allow)
{
    *path_known = false;
    /* A path that a route without parameters names ("/agreements/new",
     * "/agreements/sjabloon.xlsx") is that route's alone: it is no value of a
     * parameter ("/agreements/:id"), so other methods answer 405 with one Allow. */
    bool literal = false;
    for (const route *r = ROUTES; r->pattern; r++) {
        if ((literal && strchr(r->pattern, ':')) || !path_matches(rq, r->pattern))
            continue;
        literal = literal || !strchr(r->pattern, ':');
        if (method_fits(r->method, rq->method))
            return r;
        if (!*path_known)
            buf_puts(allow, strcmp(r->method, "GET") == 0 ? "GET, HEAD" : r->method);
        else
            buf_printf(allow, ", %s", strcmp(r->method, "GET") == 0 ? "GET, HEAD" : r->method);
        *path_known = true;
    }
    rq->route_param_count = 0;
    return NULL;
}
