/* formui.h: the pieces of the edit forms, so that every form labels its
 * fields, shows an error beside the field it concerns (and a summary at the
 * top, linked to the fields), keeps what the person typed, and carries the
 * CSRF token and the version it was loaded from. Everything is escaped
 * through buf_fmt. Field names are somon/1 paths ("parties[1].until") so
 * that the messages of edit_save() land beside their field. */
#ifndef SOMON_FORMUI_H
#define SOMON_FORMUI_H

#include "edit.h"
#include "web.h"

typedef struct {
    const char *value, *label;
} form_option;

/* The element id of a field (its name with [ ] . made into -), which the
 * error summary links to. */
const char *form_field_id(request *rq, const char *name);

/* <form method=post action=…> with the CSRF token and the version. */
void form_begin(request *rq, const char *target, int64_t version);
void form_end(request *rq, const char *button, const char *cancel_href);
/* The value to show: what was posted (when the form comes back), else the stored one. */
const char *form_value(const request *rq, const char *name, const char *stored);
const char *form_date_text(request *rq, date_t d); /* ISO or "" */

void form_text(request *rq, const edit_outcome *o, const char *name, const char *label, const char *value, bool required);
/* A text field that suggests the options of <datalist id="list"> (written by the page). */
void form_text_list(request *rq, const edit_outcome *o, const char *name, const char *label, const char *value,
                    const char *list);
void form_date(request *rq, const edit_outcome *o, const char *name, const char *label, const char *value);
void form_textarea(request *rq, const edit_outcome *o, const char *name, const char *label, const char *value,
                   const char *hint);
void form_select(request *rq, const edit_outcome *o, const char *name, const char *label, const form_option *options,
                 size_t count, const char *selected);
/* form_select() in pieces, for a page that writes (or keeps) its options itself:
 * the label and the opening tag; one option (selected when its value is
 * `selected`); the end. */
void form_select_begin(request *rq, const edit_outcome *o, const char *name, const char *label);
void form_option_write(request *rq, const form_option *option, const char *selected);
void form_select_end(request *rq);

/* The problems of a refused save, linked to their fields, and for a stale
 * save what changed in between and by whom. */
void form_outcome(request *rq, const edit_outcome *o, int code);
/* A save that found a newer version than the form's: says nothing was saved,
 * who changed `what` ("dit regiegebied") when, each field that changed in
 * between, and links to the form again (reopen). */
void form_stale_notice(request *rq, const edit_outcome *o, const char *what, const char *reopen);
/* Fills o's between, by and at: the fields that differ from old_json to
 * now_json (both consumed) and who wrote the change `change`. */
void form_between(request *rq, json_t *old_json, json_t *now_json, int64_t change, edit_outcome *o);

/* Reads a date field of the posted form: DATE_NONE when empty; false when
 * it is not a date (the caller reports it on that field). */
bool form_read_date(const request *rq, const char *name, date_t *out);
/* A posted text: NULL when absent or only blanks. */
const char *form_read_text(request *rq, const char *name);

/* ---- municipalities by name (muniname.h) ----
 * The municipality typed into a form (a name, a datalist's label or a NIS
 * code), resolved on day (DATE_NONE: any day): its NIS code, or NULL with
 * *why a Dutch sentence for beside the field ("'Nergenshuizen' is geen
 * gemeente op 01/03/2022; bedoelde u …?"). Also NULL when the register
 * cannot be read (*why says so). */
const char *form_municipality(request *rq, const char *text, date_t day, const char **why);
/* <datalist id="id"> for form_text_list(), empty: its data-names is the URL
 * of the names of the municipalities that exist on some day from..to
 * (DATE_NONE: open), which assets/somon.js offers as people type
 * (formnames.h). Without JavaScript the field takes a typed name. */
void form_municipality_list(request *rq, const char *id, date_t from, date_t to);
/* The same with one label per NIS code ("Deinze (tot 31/12/2018)", see
 * formnames_code_label), for members, whose name is read on any day. */
void form_member_list(request *rq, const char *id, date_t from, date_t to);
/* The name people see for a NIS code (its latest), or the code itself. */
const char *form_municipality_name(request *rq, const char *nis);

#endif
