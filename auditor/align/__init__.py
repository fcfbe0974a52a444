"""Stage 4, align: a claim's subject (and period) -> the table cell it restates, through lexicons/alignment.toml.

Alignment never guesses: a claim whose subject has no candidate cell in this document stays unaligned and is
reported once as unverifiable by the checks.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .. import rx as re

from ..lexicons import load
from ..model import Cell, Claim, Document, Row, Table

AMOUNT_KINDS = ("amount",)


@dataclass(frozen=True)
class CellRef:
    """A located table cell: the table, its row and column, and the cell itself."""

    table: Table
    row: Row
    column: str
    cell: Cell

    @property
    def value(self) -> Optional[float]:
        return self.cell.value


@dataclass
class Alignment:
    claim: Claim
    target: Optional[CellRef]
    candidates: tuple[tuple[str, str, str], ...] = ()


@lru_cache(maxsize=None)
def _entries() -> dict:
    return load("alignment")


def period_bucket(doc: Document, period: Optional[str]) -> str:
    if period in ("全年预算", "调整预算"):
        return "全年预算"
    if period == "年初预算":
        # in a 预算 document the year's budget is the document's own figure
        return "本年" if doc.kind == "预算" else "年初预算"
    return "本年"


def candidates(doc: Document, subject: Optional[str], period: Optional[str]) -> tuple[tuple[str, str, str], ...]:
    """The [table, row, column] cells a quantity may restate, in order of preference."""
    if not subject:
        return ()
    kind = doc.kind or "决算"
    section = _entries().get(kind, {}).get(period_bucket(doc, period), {})
    if subject in section:
        return tuple(tuple(c) for c in section[subject])
    if ":" in subject:
        prefix, code = subject.split(":", 1)
        pattern = section.get(prefix + ":*", [])
        return tuple((t, r.replace("{code}", code), c) for t, r, c in pattern)
    return ()


def locate(doc: Document, table_id: str, row_key: str, column: str) -> Optional[CellRef]:
    t = doc.table(table_id)
    return _locate_in(t, row_key, column) if t is not None else None


def scope_neutral(subject: Optional[str]) -> bool:
    """A subject that does not name its fund (基本支出, func:2010301 …): its claims need a fund scope to align."""
    neutral = _entries()["scope_neutral"]
    return bool(subject) and (subject in neutral["subjects"] or subject.startswith(tuple(neutral["prefixes"])))


def scope_fits(table_id: str, subject: Optional[str], scope: Optional[dict]) -> bool:
    """Whether a claim of ``subject`` with ``scope`` (auditor.claims.scope) may restate a cell of ``table_id``.
    None: no scope known (a call about a quantity, not a claim) fits every table."""
    if scope is None:
        return True
    e = _entries()
    if scope.get("per_unit") or scope.get("period") in e["other_periods"]["periods"]:
        return False
    if scope.get("entity") == "下属单位":
        return False
    if not scope_neutral(subject):
        return True
    funds = e["table_fund"].get(table_id.split(".", 1)[0])
    return funds is None or scope.get("fund") in funds


def resolve(doc: Document, subject: Optional[str], period: Optional[str],
            scope: Optional[dict] = None) -> Optional[CellRef]:
    """The first candidate cell of a quantity that exists in the document, whose column is certain (a cell
    placed by guesswork in a flattened row is skipped) and whose table fits the claim's scope."""
    for t, r, c in candidates(doc, subject, period):
        if not scope_fits(t, subject, scope):
            continue
        ref = locate(doc, t, r, c)
        if ref is not None and not _printed_fund_fits(ref.table, subject, scope):
            # the first table of the id is another fund's (江苏 "财政拨款支出预算表" before "一般公共预算支出预算表"):
            # a later printed table of the same id may be the claim's
            ref = next((x for x in (_locate_in(t2, r, c) for t2 in _later_tables(doc, t))
                        if x is not None and _printed_fund_fits(x.table, subject, scope)), None)
        if ref is not None and ref.cell.exact:
            return ref
    return None


def _later_tables(doc: Document, table_id: str) -> list[Table]:
    """The second, third … printed tables of an id (Y05_2, Y01_2.income)."""
    base, _, side = table_id.partition(".")
    pat = re.compile(re.escape(base) + r"_\d+" + (re.escape("." + side) if side else ""))
    return [t for t in doc.tables if pat.fullmatch(t.id)]


def _locate_in(t: Table, row_key: str, column: str) -> Optional[CellRef]:
    r = t.row(row_key)
    return CellRef(t, r, column, r.cells[column]) if r is not None and column in r.cells else None


def _printed_fund_fits(table: Table, subject: Optional[str], scope: Optional[dict]) -> bool:
    """A table whose printed title names another fund than its definition's (苏州 "财政拨款支出表（功能科目）"
    recognised as the 一般公共预算 table: its figures hold 政府性基金 too) restates only claims of the printed fund."""
    printed = _named_fund(table.printed_title or "")
    funds = _entries()["table_fund"].get(table.id.split(".", 1)[0])
    if printed is None or funds is None or printed in funds:
        return True
    claimed = (scope or {}).get("fund") if scope_neutral(subject) else _named_fund(subject or "")
    return claimed is None or claimed == printed


def _named_fund(text: str) -> Optional[str]:
    """The most specific fund a name names ("一般公共预算财政拨款支出" -> 一般公共预算), None when it names none."""
    lex = load("quantities")["scope"]["fund"]
    return next((f for f in lex["order"] if f != "全部资金" and any(w in text for w in lex[f])), None)


def align(doc: Document, claims: Optional[list[Claim]] = None) -> list[Alignment]:
    """Align every amount claim (the figures that restate cells) with its counterpart cell."""
    out = []
    for c in claims if claims is not None else doc.claims:
        if c.kind not in AMOUNT_KINDS:
            continue
        cands = candidates(doc, c.subject, c.period)
        out.append(Alignment(c, resolve(doc, c.subject, c.period, c.scope), cands))
    return out
