"""Stage 4, align: a claim's subject (and period) -> the table cell it restates, through lexicons/alignment.toml.

Alignment never guesses: a claim whose subject has no candidate cell in this document stays unaligned and is
reported once as unverifiable by the checks.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

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
    if t is None:
        return None
    r = t.row(row_key)
    if r is None or column not in r.cells:
        return None
    return CellRef(t, r, column, r.cells[column])


def resolve(doc: Document, subject: Optional[str], period: Optional[str]) -> Optional[CellRef]:
    """The first candidate cell of a quantity that exists in the document and whose column is certain (a cell
    placed by guesswork in a flattened row is skipped)."""
    for t, r, c in candidates(doc, subject, period):
        ref = locate(doc, t, r, c)
        if ref is not None and ref.cell.exact:
            return ref
    return None


def align(doc: Document, claims: Optional[list[Claim]] = None) -> list[Alignment]:
    """Align every amount claim (the figures that restate cells) with its counterpart cell."""
    out = []
    for c in claims if claims is not None else doc.claims:
        if c.kind not in AMOUNT_KINDS:
            continue
        cands = candidates(doc, c.subject, c.period)
        out.append(Alignment(c, resolve(doc, c.subject, c.period), cands))
    return out
