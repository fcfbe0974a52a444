"""T02 over a table listing the department's units (header 单位名称, auditor/structure Table.rows_by == "unit"):
its 合计 row = Σ the units' rows, in every column.

The 部门预算 of a department with units prints the department's own line (its 合计, the 汇总 of the units) above
the 本级 and the units: a first unit row equal to the 合计 in every column is that line and is no part of the sum.
A unit row that is itself the sum of the rows after it (a group of units under a subtotal) leaves the hierarchy
unclear: the table is not checked then.
"""
from __future__ import annotations

from typing import Callable

from ..model import Document, Row, Table
from ..structure.tokens import norm_name

TOTAL_KEYS = ("合计", "总计", "预算数")


def _values(r: Row, cols: list[str]) -> list:
    return [r.cells[c].value if c in r.cells else None for c in cols]


def _subtotal_of_next(parts: list[Row], col: str) -> bool:
    v = [(p.cells[col].value if col in p.cells and p.cells[col].value is not None else 0.0) for p in parts]
    for i in range(len(v)):
        s = 0.0
        for j in range(i + 1, len(v)):
            s += v[j]
            if j > i + 1 and v[i] and abs(s - v[i]) < 0.006 * (j - i + 1):
                return True
            if s > v[i] + 1:
                break
    return False


def unit_parts(t: Table) -> tuple[Row, list[Row]] | None:
    """(the 合计 row, the unit rows it sums) or None when the table lists no units or their hierarchy is unclear."""
    if t.rows_by != "unit" or not t.rows:
        return None
    total = next((r for r in t.rows if norm_name(r.name or r.key) in TOTAL_KEYS), None)
    if total is None:
        return None
    parts = summed_parts(total, t.rows[t.rows.index(total) + 1:], t.columns)
    if parts is None or any(not r.cells for r in parts):
        return None
    return total, parts


def summed_parts(total: Row, parts: list[Row], cols: list[str]) -> list[Row] | None:
    """The rows a 合计 sums: without a first row equal to it in every column (the department's line, 汇总, above
    its 本级 and units or projects); None when fewer than two are left or one of them subtotals the rows after it."""
    if parts and _values(parts[0], cols) == _values(total, cols):
        parts = parts[1:]
    if len(parts) < 2 or any(_subtotal_of_next(parts, c) for c in cols):
        return None
    return parts


def unit_rows_total(doc: Document, compare: Callable):
    for t in doc.tables:
        got = unit_parts(t)
        if got is None:
            continue
        total, parts = got
        for col in t.columns:
            if col not in total.cells and not any(col in p.cells for p in parts):
                continue
            f = compare("T02", t, total, parts, col, f"所列 {len(parts)} 个单位行")
            if f:
                yield f
