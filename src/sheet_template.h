/* sheet_template.h: the spreadsheet people fill in to import agreements (issue 11),
 * in the annex layout that the import reads (docs/sheet.md): sheet "Bijlage" with one
 * row per party under the Dutch header, an example row marked as such, dates as
 * dd/mm/yyyy, drop-down lists for directie, status and gemeente; sheet "Gemeenten"
 * with every municipality the register knows (name, NIS code, province, valid from
 * and until), so that a name can be picked for the party's first day.
 * Only public reference data goes in. libxlsxwriter writes files only: the caller
 * gives a path and reads the file back. */
#ifndef SOMON_SHEET_TEMPLATE_H
#define SOMON_SHEET_TEMPLATE_H

#include <stddef.h>

#include "buf.h"
#include "store.h"

/* The header of sheet "Bijlage", in its order. */
extern const char *const SHEET_TEMPLATE_COLUMNS[];
#define SHEET_TEMPLATE_COLUMN_COUNT 17u
/* The id of the example row starts with this; an import skips such rows. */
#define SHEET_TEMPLATE_EXAMPLE_PREFIX "VOORBEELD-"

/* Writes the template for the municipalities of v to path. Returns 0, or -1 with
 * the reason (English, for the log) in why. */
int sheet_template_write(const register_view *v, const char *path, buf *why);

#endif
