/* pages.h: the handlers of the route table, one family per file:
 * page_overview.c (/), page_agreements.c (/agreements…), page_places.c
 * (municipalities, provinces, regiegebieden), page_annex.c (/annex),
 * page_static.c (/static/…, /healthz) and api.c (/api/v1/…). Each reads its
 * parameters from the request, answers 4xx itself for bad ones, and writes
 * its response through layout.h or the JSON helpers of api.c. */
#ifndef SOMON_PAGES_H
#define SOMON_PAGES_H

#include "web.h"

void page_overview(request *rq);
/* For readahead.c: the overview's monthly chart of e's view, kept with it. */
struct cache_entry;
void page_overview_read_ahead(struct cache_entry *e);
void page_agreement_list(request *rq);
void page_agreement(request *rq);
/* GET /agreements/sjabloon.xlsx: the import template (page_sheet_template.c) */
void page_sheet_template(request *rq);
/* For readahead.c: builds the template of v's municipalities unless it is kept. */
void page_sheet_template_read_ahead(const register_view *v);
void page_municipality_list(request *rq);
void page_municipality(request *rq);
void page_province(request *rq);
void page_regiegebied_list(request *rq);
void page_regiegebied(request *rq);
void page_annex(request *rq);
/* Municipalities per page of an annex, on /annex and in the answer's
 * Bijlage 1: the 300 of Flanders fit on one. */
enum { ANNEX_PAGE = 500 };
void page_concluded(request *rq); /* GET /concluded?from=&to=&province= */
/* GET /answer?date=&prognosis=&format=docx|html|md (page_answer.c), and the
 * overview's link to it with its dates */
void page_answer(request *rq);
void page_answer_link(request *rq, date_t d, date_t p);
void page_static(request *rq);
void page_healthz(request *rq);
void page_robots(request *rq);

/* editing (page_edit.c, page_plan.c), accounts and history (page_login.c,
 * page_accounts.c, page_history.c) */
void page_agreement_new(request *rq);
void page_agreement_create(request *rq);
/* agreements from a spreadsheet (page_sheet_import.c): the form, and the
 * preview or the confirmed write */
void page_sheet_upload(request *rq);
void page_sheet_import(request *rq);
void page_agreement_edit(request *rq);
void page_agreement_update(request *rq);
void page_party_new(request *rq);
void page_party_create(request *rq);
void page_party_edit(request *rq);
void page_party_update(request *rq);
void page_party_remove(request *rq);
void page_party_leave(request *rq);
void page_party_leave_update(request *rq);
/* several parties at once, and the approvals of all parties (page_parties.c) */
void page_parties_add(request *rq);
void page_parties_add_save(request *rq);
void page_approvals_edit(request *rq);
void page_approvals_update(request *rq);
void page_plan_edit(request *rq);
void page_plan_update(request *rq);
void page_governance_edit(request *rq);
void page_governance_update(request *rq);
void page_notes_edit(request *rq);
void page_notes_update(request *rq);
void page_history(request *rq);
void page_login(request *rq);
void page_login_post(request *rq);
void page_logout(request *rq);
void page_accounts(request *rq);
void page_account_create(request *rq);
void page_account_update(request *rq);

/* regiegebieden (with dated members) and organisations (page_regions.c) */
void page_regiegebied_new(request *rq);
void page_regiegebied_create(request *rq);
/* The history section of a regiegebied's page (page_regions.c). */
void page_regiegebied_history(request *rq, const char *id);
void page_regiegebied_edit(request *rq);
void page_regiegebied_update(request *rq);
void page_organisation_list(request *rq);
void page_organisation(request *rq);
void page_organisation_new(request *rq);
void page_organisation_create(request *rq);
void page_organisation_edit(request *rq);
void page_organisation_update(request *rq);
/* Whether the person may create or edit a regiegebied of the province (auth_may). */
bool page_may_edit_region(request *rq, int province);

/* following up (page_evaluations.c) */
void page_agreement_plan(request *rq);
void page_evaluations_edit(request *rq);
void page_evaluations_update(request *rq);
void page_actions(request *rq);
void page_mine(request *rq); /* GET /mine: a signed-in account's agreements and their alerts */
void page_alerts(request *rq); /* page_alerts.c */

/* meetings and compliance (page_meetings.c) */
struct agreement;
void page_meetings_section(request *rq, const struct agreement *ag); /* on the agreement page */
void page_meeting_new(request *rq);
void page_meeting_create(request *rq);
void page_meeting_edit(request *rq);
void page_meeting_update(request *rq);
void page_meeting_cancel(request *rq);
void page_governance(request *rq);
void page_agreement_meetings_ics(request *rq);
void page_organisation_meetings_ics(request *rq);
void page_municipality_meetings_ics(request *rq);

/* the indicator dashboard (page_indicators.c) */
void page_indicators(request *rq);
void page_province_indicators(request *rq);
void page_regiegebied_indicators(request *rq);
void page_agreement_indicators(request *rq);
void api_indicators(request *rq);
/* Refuses (400) parameters an API endpoint does not know, naming them (a typo
 * should not silently give another answer); false then. */
bool api_known_params(request *rq, const char *const *allowed);

void api_coverage(request *rq);
void api_agreements(request *rq);
void api_agreement(request *rq);
void api_municipalities(request *rq);
void api_municipality(request *rq);
void api_regiegebieden(request *rq);
void api_openapi(request *rq);

#endif
