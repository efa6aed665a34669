/* store.h: the only module that speaks SQL.
 *
 * SQLite in WAL mode with foreign keys on; every statement prepared with bound
 * parameters. Nothing is overwritten: every write belongs to a change (who,
 * when, what) and a row superseded by a later change keeps its values, with
 * rec_until naming that change. "Known at" a change C means the rows with
 * rec_from <= C and (rec_until IS NULL or rec_until > C); STORE_NOW reads the
 * current state. Functions return 0 on success and -1 on an SQL error, whose
 * text store_error() gives. Whatever a read returns lives in the caller's
 * arena. */
#ifndef SOMON_STORE_H
#define SOMON_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "date.h"
#include "model.h"
#include "rules.h"

typedef struct store store;

#define STORE_NOW INT64_MAX
#define STORE_SCHEMA_VERSION 2

typedef enum { STORE_READONLY, STORE_READWRITE, STORE_CREATE } store_mode;

/* Opens a somon database. Returns a sysexits code: 0, EX_NOINPUT when the file
 * is missing (and mode is not STORE_CREATE), EX_DATAERR when it is not a
 * somon database or its schema is newer than this program, EX_NOPERM when it
 * cannot be written, EX_IOERR otherwise. *err gets one malloc'd line. A
 * database whose schema is older than this program opens only with
 * STORE_CREATE (init upgrades it) and otherwise fails with EX_DATAERR. */
int store_open(const char *path, store_mode mode, store **out, char **err);
void store_close(store *s);
const char *store_error(store *s);
int store_schema_version(store *s);
/* Creates or upgrades the schema up to target (0: the newest), keeping every
 * row. Each step runs in its own transaction. */
int store_migrate(store *s, int target);

/* Starts a write transaction and records its change. */
int store_begin(store *s, const char *actor, const char *what, const char *detail, int64_t *change);
int store_commit(store *s);
void store_rollback(store *s);
/* The last change recorded at or before moment t, or 0 when none; for
 * MOMENT_NONE, STORE_NOW. */
int64_t store_known_at(store *s, moment_t t);
/* The last change recorded (0 when none, -1 on error). */
int64_t store_last_change(store *s);

/* ---- reference data ---- */
typedef struct {
    char *nis, *name, *province_nis, *province, *arrondissement;
    date_t valid_from, valid_to;
} ref_municipality;

typedef struct {
    char *old_nis, *old_name, *old_province_nis, *new_nis, *new_name, *new_province_nis;
    bool code_kept;
    date_t effective;
} ref_merger;

typedef struct {
    int number;
    char *title, *text;
} ref_principle;

typedef struct {
    ref_municipality *municipalities;
    size_t municipality_count;
    ref_merger *mergers;
    size_t merger_count;
    ref_principle *principles;
    size_t principle_count;
} reference_data;

int store_get_reference(store *s, int64_t known, arena *a, reference_data *out);
/* Replaces the reference data (the old rows stay in the history). */
int store_put_reference(store *s, int64_t change, const reference_data *ref);

/* ---- the register ---- */
int store_get_organisations(store *s, int64_t known, arena *a, organisation **out, size_t *n);
int store_get_regiegebieden(store *s, int64_t known, arena *a, regiegebied **out, size_t *n);
int store_get_agreement_ids(store *s, int64_t known, arena *a, char ***ids, size_t *n);
/* Returns 1 when found, 0 when not, -1 on error. */
int store_get_agreement(store *s, int64_t known, const char *id, arena *a, agreement *out);
/* The versions of an agreement recorded up to change `known`, oldest first:
 * the change that wrote each (its id, moment, actor and action). */
typedef struct {
    int64_t change;
    char *moment, *actor, *action;
} store_version;
int store_agreement_versions(store *s, int64_t known, const char *id, arena *a, store_version **out, size_t *n);

/* Each put supersedes the current version with the same id, if any. */
int store_put_organisation(store *s, int64_t change, const organisation *o);
int store_put_regiegebied(store *s, int64_t change, const regiegebied *r);
/* Gives actions and bodies without a uid the uid of the current version's
 * action with the same number (body with the same name), or a new one. */
int store_put_agreement(store *s, int64_t change, agreement *ag);

/* ---- the view the reports read ---- */
typedef struct {
    char *nis, *name;
    int province;
    date_t valid_from, valid_to;
} view_municipality;

typedef struct {
    char *id, *title, *regiegebied;
    int vdab_directorate;
    int first_party; /* into register_view.rules_parties */
} view_agreement;

typedef struct {
    char *id, *name;
} view_region;

/* Everything coverage and annex need, as known at one change. Municipality
 * codes are the numeric NIS codes; map.items[i].code names the NIS and
 * municipalities[] is indexed like map.items. */
typedef struct {
    arena *arena;
    int64_t known;
    rules_map map;
    view_municipality *municipalities; /* [map.count] */
    rules_agreement *rules_agreements; /* [agreement_count] */
    view_agreement *agreements;
    size_t agreement_count;
    rules_party *rules_parties; /* [party_count]; organisations have code -1 */
    size_t party_count;
    rules_region *rules_regions; /* [region_count] */
    view_region *regions;
    size_t region_count;
} register_view;

#define NIS_CODES 100000
/* The code of a 5-digit NIS string, or -1. */
int nis_code(const char *nis);

int store_load_view(store *s, int64_t known, register_view *out);
void register_view_free(register_view *v);
/* The region index of an id, or -1. */
int view_region_index(const register_view *v, const char *id);

#endif
