/* sheet_template.c: see sheet_template.h. */
#define _POSIX_C_SOURCE 200809L
#include "sheet_template.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "rules.h"

const char *const SHEET_TEMPLATE_COLUMNS[SHEET_TEMPLATE_COLUMN_COUNT] = {
    "overeenkomst", "titel",      "directie",    "status",         "begin", "einde",
    "gemeente",     "goedgekeurd_op", "vanaf",  "tot",            "voorganger", "soort",
    "ondertekend_op", "opmerkingen", "bron",   "citaat",         "gelezen_op",
};
/* The columns of issue 13 (the agreement's other fields, a source per row) follow those of issue 11, so that
 * a template of before keeps its letters. */
enum { COL_ID, COL_TITLE, COL_DIRECTIE, COL_STATUS, COL_BEGIN, COL_END, COL_MUNICIPALITY, COL_APPROVED, COL_FROM,
       COL_UNTIL, COL_PREDECESSOR, COL_KIND, COL_SIGNED, COL_NOTES, COL_SOURCE, COL_QUOTE, COL_READ_ON };
static const double WIDTHS[SHEET_TEMPLATE_COLUMN_COUNT] = {24, 48, 18, 22, 12, 12, 24, 16, 12,
                                                           12, 24, 14, 16, 40, 48, 48, 12};
static const bool IS_DATE[SHEET_TEMPLATE_COLUMN_COUNT] = {
    [COL_BEGIN] = true, [COL_END] = true,    [COL_APPROVED] = true,
    [COL_FROM] = true,  [COL_UNTIL] = true,  [COL_SIGNED] = true, [COL_READ_ON] = true};
/* The rows the drop-down lists cover: far more than a province's register. */
enum { LAST_DATA_ROW = 9999 };

/* Excel counts days from 1899-12-30 (its 1900 leap-year bug included). */
static double excel_serial(date_t d) { return (double)(d - date_from_ymd(1899, 12, 30)); }

/* Municipalities by name, then by the first day they were valid. */
static int by_name(const void *p, const void *q)
{
    const view_municipality *a = *(const view_municipality *const *)p, *b = *(const view_municipality *const *)q;
    int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
    return c ? c : (a->valid_from > b->valid_from) - (a->valid_from < b->valid_from);
}

/* Sheet "Gemeenten"; returns the number of municipalities written (rows 2..n+1). */
static size_t write_municipalities(lxw_workbook *wb, const register_view *v, lxw_format *bold, lxw_format *datefmt)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Gemeenten");
    static const char *const head[] = {"gemeente", "nis", "provincie", "geldig_vanaf", "geldig_tot"};
    static const double widths[] = {28, 8, 18, 14, 14};
    for (lxw_col_t c = 0; c < 5; c++) {
        worksheet_write_string(ws, 0, c, head[c], bold);
        worksheet_set_column(ws, c, c, widths[c], c >= 3 ? datefmt : NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    size_t n = v->map.count;
    const view_municipality **list = calloc(n ? n : 1, sizeof *list);
    if (!list)
        return 0;
    for (size_t i = 0; i < n; i++)
        list[i] = &v->municipalities[i];
    qsort(list, n, sizeof *list, by_name);
    for (size_t i = 0; i < n; i++) {
        const view_municipality *m = list[i];
        lxw_row_t row = (lxw_row_t)(i + 1);
        /* strings are written as strings, never as formulas (CWE-1236) */
        worksheet_write_string(ws, row, 0, m->name ? m->name : "", NULL);
        worksheet_write_string(ws, row, 1, m->nis ? m->nis : "", NULL);
        worksheet_write_string(ws, row, 2, province_name(m->province), NULL);
        if (m->valid_from != DATE_NONE)
            worksheet_write_number(ws, row, 3, excel_serial(m->valid_from), datefmt);
        if (m->valid_to != DATE_NONE)
            worksheet_write_number(ws, row, 4, excel_serial(m->valid_to), datefmt);
    }
    free(list);
    worksheet_autofilter(ws, 0, 0, (lxw_row_t)n, 4);
    return n;
}

/* A drop-down list on one column of the data rows: a warning, not a refusal, when
 * something else is typed (a NIS code is a valid gemeente too). */
static void drop_down(lxw_worksheet *ws, lxw_col_t col, const char **list, char *message)
{
    lxw_data_validation dv = {0};
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = (char **)list;
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
    dv.input_message = message;
    dv.error_title = "Onbekende waarde";
    dv.error_message = message;
    worksheet_data_validation_range(ws, 2, col, LAST_DATA_ROW, col, &dv);
}

/* libxlsxwriter 1.1.4 leaks the formula of every LXW_VALIDATION_TYPE_LIST_FORMULA
 * (Debian 12's version; a leak per download in the server), so the list on gemeente
 * is written as a list of one placeholder and its formula replaced in the sheet's XML. */
#define NAMES_PLACEHOLDER "SOMON-GEMEENTEN"
#define ANNEX_PART "xl/worksheets/sheet1.xml"

static int point_at_names(const char *path, size_t municipalities, buf *why)
{
    int err = 0;
    zip_t *za = zip_open(path, 0, &err);
    if (!za) {
        buf_printf(why, "cannot reopen %s to point the gemeente list at the names (libzip error %d)", path, err);
        return -1;
    }
    zip_stat_t st;
    zip_file_t *f = zip_stat(za, ANNEX_PART, 0, &st) == 0 ? zip_fopen(za, ANNEX_PART, 0) : NULL;
    buf xml = {0}, out = {0};
    int rc = -1;
    if (f) {
        char chunk[1 << 14];
        zip_int64_t got;
        while ((got = zip_fread(f, chunk, sizeof chunk)) > 0)
            buf_add(&xml, chunk, (size_t)got);
        zip_fclose(f);
        const char *needle = "<formula1>\"" NAMES_PLACEHOLDER "\"</formula1>";
        const char *at = xml.data ? strstr(xml.data, needle) : NULL;
        if (at) {
            buf_add(&out, xml.data, (size_t)(at - xml.data));
            buf_printf(&out, "<formula1>Gemeenten!$A$2:$A$%zu</formula1>", municipalities + 1);
            buf_puts(&out, at + strlen(needle));
            zip_source_t *src = zip_source_buffer(za, out.data, out.len, 0);
            if (src && zip_file_add(za, ANNEX_PART, src, ZIP_FL_OVERWRITE) >= 0)
                rc = 0;
            else
                zip_source_free(src);
        }
    }
    if (rc == 0 && zip_close(za) != 0) {
        rc = -1;
        zip_discard(za);
    } else if (rc != 0) {
        zip_discard(za);
    }
    if (rc)
        buf_printf(why, "cannot point the gemeente list of %s at the names", path);
    buf_free(&xml);
    buf_free(&out);
    return rc;
}

/* The example row: an id and a title nobody takes for real data. */
static void write_example(lxw_worksheet *ws, lxw_format *example, lxw_format *example_date)
{
    static const char *const text[SHEET_TEMPLATE_COLUMN_COUNT] = {
        SHEET_TEMPLATE_EXAMPLE_PREFIX "SO-KALMTHOUT-2025",
        "Voorbeeld: samenwerking werk en activering Kalmthout (wis deze rij)",
        "Antwerpen", "ondertekend", NULL, NULL, "Kalmthout", NULL, NULL, NULL,
        "SO-KALMTHOUT-2020", "gemeente", NULL,
        "Voorbeeld: wat de documenten niet zeggen, of waarin twee bronnen verschillen",
        "https://www.voorbeeld.be/gemeenteraad/2024-12-16/punt-12",
        "De gemeenteraad keurt de samenwerkingsovereenkomst met VDAB goed.", NULL,
    };
    const date_t dates[SHEET_TEMPLATE_COLUMN_COUNT] = {
        [COL_BEGIN] = date_from_ymd(2025, 1, 1), [COL_END] = date_from_ymd(2030, 12, 31),
        [COL_APPROVED] = date_from_ymd(2024, 12, 16), [COL_FROM] = date_from_ymd(2025, 1, 1),
        [COL_UNTIL] = DATE_NONE, [COL_SIGNED] = date_from_ymd(2024, 12, 20), [COL_READ_ON] = date_from_ymd(2025, 1, 10),
    };
    for (lxw_col_t c = 0; c < SHEET_TEMPLATE_COLUMN_COUNT; c++) {
        if (text[c])
            worksheet_write_string(ws, 1, c, text[c], example);
        else if (IS_DATE[c] && dates[c] != DATE_NONE)
            worksheet_write_number(ws, 1, c, excel_serial(dates[c]), example_date);
        else
            worksheet_write_blank(ws, 1, c, example);
    }
    worksheet_write_comment(ws, 1, COL_ID,
                            "Voorbeeldrij: vervang of wis ze. Eén rij per partij; de velden van de overeenkomst "
                            "(overeenkomst tot einde, voorganger tot opmerkingen) herhalen op elke rij en moeten "
                            "overeenstemmen. bron, citaat en gelezen_op: een bron per rij (van de partij van die "
                            "rij; zonder gemeente een bron van de overeenkomst).");
}

static void write_annex(lxw_workbook *wb, lxw_format *bold, lxw_format *datefmt)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Bijlage");
    lxw_format *example = workbook_add_format(wb);
    format_set_italic(example);
    format_set_font_color(example, 0x595959);
    format_set_bg_color(example, 0xFFF2CC);
    lxw_format *example_date = workbook_add_format(wb);
    format_set_italic(example_date);
    format_set_font_color(example_date, 0x595959);
    format_set_bg_color(example_date, 0xFFF2CC);
    format_set_num_format(example_date, "dd/mm/yyyy");
    for (lxw_col_t c = 0; c < SHEET_TEMPLATE_COLUMN_COUNT; c++) {
        worksheet_write_string(ws, 0, c, SHEET_TEMPLATE_COLUMNS[c], bold);
        worksheet_set_column(ws, c, c, WIDTHS[c], IS_DATE[c] ? datefmt : NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    write_example(ws, example, example_date);
    const char *directies[PROVINCE_COUNT + 1] = {0};
    for (int p = 0; p < PROVINCE_COUNT; p++)
        directies[p] = province_name(p);
    drop_down(ws, COL_DIRECTIE, directies, "De provinciale directie van VDAB: een provincie.");
    const char *statuses[STATUS_COUNT + 1] = {0};
    for (int s = 0; s < STATUS_COUNT; s++)
        statuses[s] = status_label_nl((agreement_status)s);
    drop_down(ws, COL_STATUS, statuses, "Een status zoals de website ze noemt (of de Engelse naam).");
    const char *kinds[] = {AGREEMENT_KINDS[0], AGREEMENT_KINDS[1], AGREEMENT_KINDS[2], AGREEMENT_KINDS[3], NULL};
    drop_down(ws, COL_KIND, kinds, "De soort overeenkomst: centrumstad, regiegebied, cluster of gemeente.");
    /* a placeholder list that point_at_names() turns into the range of the names */
    const char *placeholder[] = {NAMES_PLACEHOLDER, NULL};
    drop_down(ws, COL_MUNICIPALITY, placeholder,
              "Een gemeente van het blad Gemeenten, geldig op de eerste dag van de partij, of haar NIS-code.");
    worksheet_activate(ws);
}

int sheet_template_write(const register_view *v, const char *path, buf *why)
{
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &options);
    if (!wb) {
        buf_printf(why, "cannot create %s; check the folder exists and is writable", path);
        return -1;
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *datefmt = workbook_add_format(wb);
    format_set_num_format(datefmt, "dd/mm/yyyy");
    size_t n = v->map.count;
    write_annex(wb, bold, datefmt);
    write_municipalities(wb, v, bold, datefmt);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        buf_printf(why, "cannot write %s: %s", path, lxw_strerror(e));
        return -1;
    }
    return point_at_names(path, n, why);
}
