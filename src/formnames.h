/* formnames.h: the municipality names the forms suggest, as one shared resource
 * per version of the reference data (issue 12).
 *
 * A form used to carry every name of the map in a <datalist> (3–5 MB on the
 * 100,000-row register). Now the form carries an empty <datalist> whose
 * data-names attribute is the URL of the names valid on the form's days,
 * GET /municipalities/names.json?v=VERSION&from=…&to=…; assets/somon.js
 * fetches it once (the URL changes with the version, so the browser may keep
 * it for good) and offers the names that fit what is typed. Without
 * JavaScript the field is a text field: the server resolves the name typed
 * (muniname.h) and answers an unknown one with the nearest ("bedoelde u …?").
 *
 * The version is a hash of what the names depend on: every identity of the
 * map (NIS code, name, province, valid from and until), so it changes with the
 * reference data and with nothing else; the spreadsheet template
 * (sheet_template.h) depends on exactly that too. What is worked out per
 * version (the hash per change, the rendered lists, the codes whose name
 * another code had as well) is kept here, process-wide and bounded. */
#ifndef SOMON_FORMNAMES_H
#define SOMON_FORMNAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "web.h"

/* The hash of the municipalities of v (pure). */
uint64_t formnames_hash(const register_view *v);
/* The same as a number (the spreadsheet template keeps its bytes per version);
 * false when the view cannot be read (answered already). */
bool formnames_version_hash(request *rq, uint64_t *out);
/* The version of the request's view as 16 hex digits, worked out once per
 * change; NULL when the view cannot be read (answered already). */
const char *formnames_version(request *rq);
/* The URL of the names valid on some day from..to (DATE_NONE: open); by_code:
 * one label per NIS code instead (formnames_code_label), for the member rows
 * that are read on any day. */
const char *formnames_url(request *rq, date_t from, date_t to, bool by_code);

/* How a form shows a NIS code (a member of a regiegebied or an organisation):
 * the code's last name; a name that another code had too gets the code's
 * period ("Deinze (tot 31/12/2018)") or its code, which muniname_resolve()
 * reads back as that code. The code itself when the map does not have it. */
const char *formnames_code_label(request *rq, const char *nis);

/* GET /municipalities/names.json: a JSON array of the names valid on some
 * day from..to (query from, to; absent: open), sorted, each once, as
 * muniname_names() gives them; with by=code the label of each NIS code that
 * has an identity valid then. ETag per version, days and kind; Cache-Control
 * immutable when the query's v is the current version. Kept rendered. */
void page_municipality_names(request *rq);

#endif
