"""Table evidence as the table's own grid: the rows around each cited cell (a few either side, with the column
headers), the cited cells marked — the figure the finding says is wrong (its ``stated`` value) red, the figure it
should be (``expected``) green, any other cited cell outlined — for the HTML report."""
from __future__ import annotations

from typing import Optional

from ..model import Document, Evidence, Finding, Table

CONTEXT = 2  # rows shown either side of a cited row


def _same(a: Optional[float], b: Optional[float]) -> bool:
    return a is not None and b is not None and abs(a - b) < 1e-9


def cell_roles(f: Finding, cells: list[Evidence]) -> dict[tuple, str]:
    """(table, row, column) -> "stated" | "expected" | "cited": the first cited cell holding the stated figure is
    the stated one; when no cell holds it (the figure stated in the narrative, or a sum), the first cell holding the
    expected figure is the expected one."""
    roles: dict[tuple, str] = {}
    for want, role in ((f.stated, "stated"), (f.expected, "expected")):
        if role == "expected" and roles:
            break  # the stated figure is a cell: the expected one is computed (a sum, a ratio), not another cell
        for e in cells:
            k = (e.table, e.row, e.column)
            if k not in roles and _same(e.value, want):
                roles[k] = role
                break
    for e in cells:
        roles.setdefault((e.table, e.row, e.column), "cited")
    return roles


def _windows(idx: list[int], n: int) -> list[int]:
    keep: set[int] = set()
    for i in idx:
        keep.update(range(max(0, i - CONTEXT), min(n, i + CONTEXT + 1)))
    return sorted(keep)


def table_grids(doc: Document, f: Finding, fmt) -> tuple[list[dict], list[Evidence]]:
    """The grids of the tables ``f`` cites (one per table, in order of first citation) and the evidence that is not
    a located table cell. ``fmt`` formats a figure. A grid: {"table", "title", "where", "columns", "rows"}, each row
    {"gap": True} (rows left out) or {"code", "name", "cells": [{"text", "role", "note"}], "cited": bool}."""
    cited: dict[str, list[Evidence]] = {}
    rest: list[Evidence] = []
    for e in f.evidence:
        t = doc.table(e.table) if e.table else None
        if t is not None and e.row and t.row(e.row) is not None:
            cited.setdefault(t.id, []).append(e)
        else:
            rest.append(e)
    roles = cell_roles(f, [e for es in cited.values() for e in es])
    grids = [_grid(doc.table(tid), es, roles, f, fmt) for tid, es in cited.items()]
    return grids, rest


def _grid(t: Table, es: list[Evidence], roles: dict, f: Finding, fmt) -> dict:
    in_text = any(not e.table and e.text and _same(e.value, f.stated) for e in f.evidence)
    stated_by = "说明" if in_text else "陈述值"
    keys = {e.row for e in es}
    index = [i for i, r in enumerate(t.rows) if r.key in keys]
    whole_rows = {e.row for e in es if not e.column or e.column not in t.columns}
    rows: list[dict] = []
    last = -1
    for i in _windows(index, len(t.rows)):
        if i != last + 1:
            rows.append({"gap": True})
        last = i
        r = t.rows[i]
        cells = []
        for col in t.columns:
            c = r.cells.get(col)
            role = roles.get((t.id, r.key, col), "")
            note = ""
            if role == "stated" and f.expected is not None:
                note = f"应为 {fmt(f.expected)}"
            elif role == "expected" and f.stated is not None:
                note = f"{stated_by} {fmt(f.stated)}"
            cells.append({"text": c.raw.strip() if c is not None else "", "role": role, "note": note})
        rows.append({"gap": False, "code": r.code or "", "name": r.name or r.key, "cells": cells,
                     "cited": r.key in keys, "whole": r.key in whole_rows})
    if last != len(t.rows) - 1 and t.rows:
        rows.append({"gap": True})
    return {"table": t.id, "title": f"{t.label + ' ' if t.label else ''}{t.title}", "where": t.prov.where(),
            "unit": t.unit, "columns": list(t.columns), "rows": rows,
            "has_code": any(r.code for r in t.rows)}
