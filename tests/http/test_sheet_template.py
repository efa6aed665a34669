#!/usr/bin/python3
"""The import template at GET /agreements/sjabloon.xlsx (issue 11, src/sheet_template.c):
public like /agreements, an .xlsx that openpyxl (python3-openpyxl) reads with sheet
"Bijlage" in the annex layout (the header the import reads, an example row nobody takes
for real data, dates as dd/mm/yyyy, drop-down lists on directie, status and gemeente)
and sheet "Gemeenten" with the municipalities of the reference data, the old names and
the merged ones of 2025 each with their NIS code and validity.
somon's own reader reads the same template in tests/unit/test_sheet_template.c.

On a server of its own (a copy of the suite's database).
Run by tests/http/run.sh (SOMON, SOMON_DB, SOMON_TMP) with /usr/bin/python3.
"""

import csv
import datetime
import io
import os
import sys

import openpyxl

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from somon_http import REPO, Checks, Client, require_env, run_own_server  # noqa: E402

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["overeenkomst", "titel", "directie", "status", "begin", "einde", "gemeente", "goedgekeurd_op", "vanaf",
          "tot", "voorganger", "soort", "ondertekend_op", "opmerkingen", "bron", "citaat", "gelezen_op"]
STATUS_WORDS = ["ontwerp", "in onderhandeling", "principieel akkoord", "wacht op goedkeuring", "ondertekend",
                "beëindigd"]
check = Checks(detail_width=300)


def mergers_2025():
    """(NIS, name) of the municipalities that the mergers of 2025 made (data/mergers.csv)."""
    with open(os.path.join(REPO, "data/mergers.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return sorted({(r["new_nis"], r["new_name"]) for r in rows if r["effective"] == "2025-01-01"})


def validation_for(ws, column):
    for dv in ws.data_validations.dataValidation:
        if any(str(r).startswith(column) for r in dv.sqref.ranges):
            return dv
    return None


def run(server):
    c = Client(port=server.port)
    r = c.get("/agreements/sjabloon.xlsx")
    check("anyone may download it", r.status == 200, r.status)
    check("as XLSX", r.header("content-type") == XLSX, r.header("content-type"))
    check("as an attachment with a name",
          r.header("content-disposition") == 'attachment; filename="sjabloon-overeenkomsten.xlsx"',
          r.header("content-disposition"))
    h = c.request("HEAD", "/agreements/sjabloon.xlsx")
    check("HEAD answers like GET", h.status == 200 and h.header("content-length") == str(len(r.body)))
    wb = openpyxl.load_workbook(io.BytesIO(r.body))
    check("two sheets, Bijlage first", wb.sheetnames == ["Bijlage", "Gemeenten"], wb.sheetnames)

    annex = wb["Bijlage"]
    header = [cell.value for cell in annex[1]]
    check("the header of the annex layout", header == HEADER, header)
    example = [cell.value for cell in annex[2]]
    check("the example row's id says it is an example", str(example[0]).startswith("VOORBEELD-"), example[0])
    check("and so does its title", str(example[1]).startswith("Voorbeeld: "), example[1])
    check("the example's status is a Dutch status word", example[3] in STATUS_WORDS, example[3])
    check("the example's begin is a date cell", example[4] == datetime.datetime(2025, 1, 1), example[4])
    check("shown as dd/mm/yyyy", annex.cell(2, 5).number_format == "dd/mm/yyyy", annex.cell(2, 5).number_format)
    check("the example's gemeente is a name", example[6] == "Kalmthout", example[6])
    check("nothing after the example", annex.max_row == 2, annex.max_row)
    check("the example has a source with a quote and the day it was read (issue 13)",
          str(example[14]).startswith("https://") and example[15] and
          example[16] == datetime.datetime(2025, 1, 10), example[14:])
    check("and the agreement's kind", example[11] == "gemeente", example[11])
    soort = validation_for(annex, "L")
    check("soort has a drop-down of the kinds", soort is not None and
          soort.formula1 == '"centrumstad,regiegebied,cluster,gemeente"', soort and soort.formula1)
    widths = [annex.column_dimensions[letter].width for letter in "ABG"]
    check("the columns have widths", all(w and w > 10 for w in widths), widths)

    names = wb["Gemeenten"]
    rows = [[cell.value for cell in row] for row in names.iter_rows(min_row=2)]
    check("the names sheet has a header", [cell.value for cell in names[1]][:3] == ["gemeente", "nis", "provincie"])
    by_nis = {row[1]: row for row in rows}
    check("Kalmthout with its NIS code and province", by_nis.get("11022", [None] * 3)[:3] ==
          ["Kalmthout", "11022", "Antwerpen"], by_nis.get("11022"))
    merged = mergers_2025()
    missing = [m for m in merged if by_nis.get(m[0], [None])[0] != m[1]]
    check("every municipality merged in 2025 is listed by name", merged and not missing, missing)
    check("a merged one valid from 01/01/2025", by_nis.get("71072", [None] * 5)[3] == datetime.datetime(2025, 1, 1),
          by_nis.get("71072"))
    check("the old Hasselt until 31/12/2024", by_nis.get("71022", [None] * 5)[4] == datetime.datetime(2024, 12, 31),
          by_nis.get("71022"))
    check("sorted by name", [row[0] for row in rows] == sorted(row[0] for row in rows))

    gemeente = validation_for(annex, "G")
    check("gemeente has a drop-down of the names sheet",
          gemeente is not None and gemeente.type == "list" and
          gemeente.formula1 == "Gemeenten!$A$2:$A$%d" % names.max_row, gemeente and gemeente.formula1)
    check("that warns but lets a NIS code through", gemeente is not None and gemeente.errorStyle == "warning")
    status = validation_for(annex, "D")
    check("status has a drop-down of the Dutch status words",
          status is not None and status.formula1 == '"%s"' % ",".join(STATUS_WORDS), status and status.formula1)
    directie = validation_for(annex, "C")
    check("directie has a drop-down of the provinces",
          directie is not None and "Limburg" in directie.formula1, directie and directie.formula1)


def main():
    require_env("test_sheet_template", "SOMON", "SOMON_DB", "SOMON_TMP")
    return run_own_server(check, "sheet-template", run)


if __name__ == "__main__":
    sys.exit(main())
