"""T01/T02 on generic tables (a grid of figures matching no catalogue entry, auditor/structure/generic.py).

Nothing says what a generic table means, so only its own arithmetic is checked, and only where the printed header
makes the relation unambiguous (lexicons/identities.toml [generic]):

* code hierarchy (T01): 类 = Σ款 = Σ项, 301 = Σ301xx, 合计 = Σ类 — as for catalogue code tables;
* a column named 合计/小计/总计 (T02) = the sum of the columns under the same parent label in every row;
* a row named 合计/总计 of a flat list of named rows (no numbered items, no 其中, no 小计) = the sum of the others.

A sum is compared only when its total and at least one part are printed. A relation must be confirmed by the table
itself: failures are reported only when at least as many rows (or columns) of the same relation hold, so a header
read wrongly (figures under the wrong column) yields nothing instead of a column of false alarms.
"""
from __future__ import annotations

from typing import Callable, Iterator, Optional

from ..lexicons import load
from ..model import Document, Row, Table
from .registry import finding

GENERIC = "generic"


def _words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    g = load("identities").get("generic", {})
    return tuple(g.get("total_words", ())), tuple(g.get("not_additive", ()))


def column_relations(t: Table) -> list[tuple[str, list[str]]]:
    """(total column, part columns) for each column named 合计/小计/总计 whose siblings are unambiguous."""
    totals, odd = _words()
    out = []
    for col, path in t.headers.items():
        if not path or path[-1] not in totals:
            continue
        parent = path[:-1]
        if any(w in x for x in parent for w in odd):
            continue
        groups: dict[str, list[str]] = {}
        for c, p in t.headers.items():
            if c != col and len(p) > len(parent) and p[:len(parent)] == parent:
                groups.setdefault(p[len(parent)], []).append(c)
        parts: list[str] = []
        for label, cols in groups.items():
            if any(w in label for w in odd) or label in totals:
                parts = []
                break
            if len(cols) == 1 and len(t.headers[cols[0]]) == len(parent) + 1:
                parts.append(cols[0])
                continue
            sub = [c for c in cols if t.headers[c][-1] in totals and len(t.headers[c]) == len(parent) + 2]
            leaves = [c for c in cols if len(t.headers[c]) == len(parent) + 2]
            if len(sub) == 1:
                parts.append(sub[0])
            elif not sub and leaves == cols and not any(w in t.headers[c][-1] for c in cols for w in odd):
                parts.extend(cols)
            else:
                parts = []
                break
        if len(parts) >= 2:
            out.append((col, parts))
    return out


def row_relation(t: Table) -> Optional[tuple[Row, list[Row]]]:
    """(total row, part rows) of a flat list of named rows with one 合计/总计 row first or last."""
    totals, odd = _words()
    if t.row_key != "name" or len(t.rows) < 3:
        return None
    named = [r for r in t.rows if (r.name or r.key).split("#")[0] in totals]
    if len(named) != 1 or named[0] not in (t.rows[0], t.rows[-1]):
        return None
    if any(w in (r.name or r.key) for r in t.rows for w in odd) or any("#" in r.key for r in t.rows):
        return None  # a subset, a change …, or a name printed twice (类 and 项 of one name): not a flat list
    total = named[0]
    return total, [r for r in t.rows if r is not total]


def generic_findings(doc: Document, code: str, compare: Callable, hierarchy: Callable, row_sum: Callable
                     ) -> Iterator[object]:
    """The findings of rule ``code`` (T01 or T02) on the generic tables, each relation confirmed by the table itself.
    ``compare(code, t, total_row, parts, col, what)`` -> (meets, finding|None) compares a column's sum;
    ``row_sum(t, row, total_col, part_cols)`` -> (meets, finding|None) a row's; ``hierarchy(t)`` yields
    (parent row, child rows, what) like T01 does for catalogue code tables."""
    for t in doc.tables:
        if t.family != GENERIC:
            continue
        groups: dict[str, list[tuple[bool, object]]] = {}
        if code == "T01" and t.row_key in ("code", "econ"):
            for parent, kids, what in hierarchy(t):
                if not _closed(t, parent):
                    continue
                for col in t.columns:
                    res = compare("T01", t, parent, kids, col, what)
                    if res is not None:
                        groups.setdefault("T01", []).append(res)
        rel = row_relation(t) if code == "T02" else None
        if rel is not None:
            total, parts = rel
            for col in t.columns:
                if _hidden_subtotal(total, parts, col):
                    continue
                res = compare("T02", t, total, parts, col, "其余各行")
                if res is not None:
                    groups.setdefault("T02.rows", []).append(res)
        for col, parts in (column_relations(t) if code == "T02" else []):
            for r in t.rows:
                res = row_sum(t, r, col, parts)
                if res is not None:
                    groups.setdefault(f"T02.{col}", []).append(res)
        for kind, results in groups.items():
            held = sum(1 for status, _ in results if status == "held")
            failed = sum(1 for status, _ in results if status == "failed")
            if held >= max(1, failed):
                for _, f in results:
                    if f is not None:
                        yield f


def _closed(t: Table, parent: Row) -> bool:
    """Every part of ``parent`` was read: a row that is not its part follows its last part, or the table is
    complete (it ends on its page). 合计 = Σ类 needs the whole table."""
    if t.complete:
        return True
    if not parent.code:
        return False
    last = max(i for i, r in enumerate(t.rows) if r is parent or (r.code or "").startswith(parent.code))
    return last < len(t.rows) - 1


def _hidden_subtotal(total: Row, parts: list[Row], col: str) -> bool:
    """A part equal to the non-zero total beside other non-zero parts: the list holds a subtotal the names do not
    mark (a unit's row over its items), so the rows are not a flat list of parts."""
    v = total.value(col)
    vals = [p.value(col) for p in parts]
    return bool(v) and any(x is not None and abs(x - v) < 1e-9 for x in vals) and \
        sum(1 for x in vals if x) > 1
