#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Fills in an action plan the way a municipality does, in LibreOffice Calc (issue 16 item 9):
# the plan lisa wrote (XLSX) is opened by LibreOffice headless and saved as flat ODS, its cells
# are edited here (strings as text cells, deadlines as real date cells), and LibreOffice saves
# it back as XLSX — so lisa reads LibreOffice's own XLSX (its shared strings, date styles and
# serials), not the bytes libxlsxwriter wrote.
#
# usage: edit_action_plan.py IN.xlsx OUT.xlsx EDITS.json
#   EDITS.json: {"sheet": "new sheet name" (optional),
#                "rows": [{"row": 2, "Ansvarig": "…", "Deadline": "2026-10-01", "Status": "Pågår",
#                          "Kommentar": "…", "Åtgärdsnyckel": "…", "date_as_text": false}, …]}
#   "row" is the spreadsheet row number; columns are found by their title in row 1.
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}


def q(prefix, name):
    return "{%s}%s" % (NS[prefix], name)


def soffice(profile, fmt, src, outdir):
    subprocess.run(
        ["soffice", "-env:UserInstallation=file://" + profile, "--headless", "--convert-to", fmt,
         "--outdir", outdir, src],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)


def expand(row):
    """Splits repeated cells so that every cell of the row is its own element."""
    cells = []
    for cell in list(row):
        if cell.tag not in (q("table", "table-cell"), q("table", "covered-table-cell")):
            continue
        n = int(cell.get(q("table", "number-columns-repeated"), "1"))
        if n > 1 and len(cells) < 64:
            cell.attrib.pop(q("table", "number-columns-repeated"))
            index = list(row).index(cell)
            for k in range(1, min(n, 64 - len(cells))):
                copy = ET.Element(cell.tag, dict(cell.attrib))
                row.insert(index + k, copy)
        cells = [c for c in row if c.tag in (q("table", "table-cell"), q("table", "covered-table-cell"))]
    return [c for c in row if c.tag in (q("table", "table-cell"), q("table", "covered-table-cell"))]


def set_cell(cell, value, date):
    style = cell.get(q("table", "style-name"))
    cell.attrib.clear()
    if style:
        cell.set(q("table", "style-name"), style)
    for child in list(cell):
        cell.remove(child)
    if value == "":
        return
    if date:
        cell.set(q("office", "value-type"), "date")
        cell.set(q("office", "date-value"), value)
        cell.set(q("calcext", "value-type"), "date")
    else:
        cell.set(q("office", "value-type"), "string")
        cell.set(q("calcext", "value-type"), "string")
    p = ET.SubElement(cell, q("text", "p"))
    p.text = value


def main():
    src, dst, edits_path = sys.argv[1:4]
    edits = json.load(open(edits_path, encoding="utf-8"))
    work = tempfile.mkdtemp(prefix="lisa-plan-edit-")
    try:
        profile = os.path.join(work, "profile")
        shutil.copy(src, os.path.join(work, "plan.xlsx"))
        soffice(profile, "fods", os.path.join(work, "plan.xlsx"), work)
        for prefix, uri in NS.items():
            ET.register_namespace(prefix, uri)
        # Keep every namespace the document declares (LibreOffice needs them back).
        for _, (prefix, uri) in ET.iterparse(os.path.join(work, "plan.fods"), events=["start-ns"]):
            ET.register_namespace(prefix, uri)
        tree = ET.parse(os.path.join(work, "plan.fods"))
        table = tree.getroot().find(".//table:table", NS)
        if "sheet" in edits:
            table.set(q("table", "name"), edits["sheet"])
        rows = [r for r in table.iter(q("table", "table-row"))]
        titles = {}
        for i, cell in enumerate(expand(rows[0])):
            text = "".join(cell.itertext()).strip()
            if text:
                titles[text] = i
        for edit in edits["rows"]:
            cells = expand(rows[edit["row"] - 1])
            for title, value in edit.items():
                if title in ("row", "date_as_text"):
                    continue
                date = title == "Deadline" and not edit.get("date_as_text", False)
                set_cell(cells[titles[title]], value, date)
        tree.write(os.path.join(work, "edited.fods"), xml_declaration=True, encoding="UTF-8")
        soffice(profile, "xlsx:Calc MS Excel 2007 XML", os.path.join(work, "edited.fods"), work)
        shutil.copy(os.path.join(work, "edited.xlsx"), dst)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
