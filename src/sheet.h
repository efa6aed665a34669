/* sheet.h: a spreadsheet read into memory as grids of text, so that the import of
 * agreements from the annex layout (issue 11) works the same on XLSX and CSV.
 *   XLSX: libzip opens the package; expat streams xl/workbook.xml, the shared strings,
 *         the styles (to know which numbers are dates) and each worksheet.
 *   CSV:  libcsv; ',' or ';' as separator (the first line decides), a UTF-8 BOM is
 *         skipped, as Excel in nl-BE writes it.
 * Every cell is UTF-8 text or NULL when empty; a number styled as a date in XLSX
 * becomes "YYYY-MM-DD"; other numbers keep the text Excel stored ("71022").
 * A hostile file (zip bomb, too many cells, XML entities or DTD, invalid UTF-8) is
 * refused with one message saying what and the limit; nothing is half read.
 * All memory comes from the arena. */
#ifndef SOMON_SHEET_H
#define SOMON_SHEET_H

#include <stddef.h>

#include "arena.h"

/* Limits for what a person uploads: a province's register is a few thousand rows. */
#define SHEET_MAX_FILE_BYTES (16u << 20)      /* the file as uploaded */
#define SHEET_MAX_UNPACKED_BYTES (64u << 20)  /* every XML part unpacked, together */
#define SHEET_MAX_CELLS 1000000u              /* rows * columns, every sheet together */
#define SHEET_MAX_SHEETS 32u
#define SHEET_MAX_CELL_BYTES (128u << 10)   /* one text; Excel holds at most 32767 characters */

typedef struct {
    const char *name;   /* the sheet's name ("Bijlage"); for CSV the file's name without its extension */
    size_t rows, cols;  /* the used range, from A1 */
    const char **cells; /* rows * cols, row-major; NULL for an empty cell */
} sheet;

typedef struct {
    sheet *sheets; /* in the workbook's order */
    size_t count;
} sheet_book;

/* Reads data (len bytes) as XLSX when it starts with a zip signature, else as CSV;
 * filename only names a CSV sheet. Returns 0, or -1 with *error set to a message
 * for people (translated, see i18n.h) that names the problem and the fix. */
int sheet_read(arena *a, const char *filename, const unsigned char *data, size_t len, sheet_book *out,
               const char **error);

/* The cell's text, or NULL when empty or outside the used range. */
const char *sheet_cell(const sheet *s, size_t row, size_t col);

/* The cell's name as a spreadsheet shows it: "Bijlage!G3" (row and col from 0). */
const char *sheet_cell_name(arena *a, const sheet *s, size_t row, size_t col);

#endif
