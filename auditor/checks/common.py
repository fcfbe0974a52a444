"""Helpers shared by the rules: evidence from cells and claims, printed intervals, amount formatting."""
from __future__ import annotations

from typing import Optional

from ..model import Cell, Claim, Document, Evidence, Row, Table
from .tolerance import Interval


def cell_ev(t: Table, r: Row, col: str, c: Optional[Cell]) -> Evidence:
    prov = c.prov if c is not None else r.prov
    unit = None if c is None else (c.unit or t.unit)
    return Evidence(prov=prov, table=t.id, row=r.key, column=col, value=None if c is None else c.value,
                    text=f"{t.title} {r.name or r.key} {col} = {c.raw + (unit or '') if c is not None else '（空）'}",
                    unit=unit)


def claim_ev(c: Claim) -> Evidence:
    return Evidence(prov=c.prov, value=c.value, text=c.sentence.strip())


def cell_iv(c: Optional[Cell]) -> Interval:
    if c is None or c.value is None:
        return Interval(0.0, 0.0)  # an empty printed cell contributes nothing
    return Interval.printed(c.value, c.decimals)


def claim_iv(c: Claim) -> Interval:
    return Interval.printed(c.value or 0.0, c.decimals)


def fmt(v: Optional[float]) -> str:
    if v is None:
        return "（空）"
    return f"{v:,.2f}"


def usable(c: Optional[Cell]) -> bool:
    return c is None or c.exact


def wan(c: Claim) -> Optional[float]:
    """An amount claim in 万元."""
    if c.value is None:
        return None
    return {"元": c.value / 10000, "亿元": c.value * 10000}.get(c.unit or "万元", c.value)


def completion_period(c: Claim) -> Optional[str]:
    """"完成年初预算的 Z%" -> 年初预算; "完成全年预算（数）的" -> 全年预算; None when the sentence does not say."""
    before = c.sentence[max(0, c.span[0] - 10):c.span[0]]
    if "年初" in before:
        return "年初预算"
    if "全年" in before or "调整" in before:
        return "全年预算"
    return None


def label(doc: Document, c: Claim) -> str:
    """The words a message uses for a claim's subject: what the sentence said, else the table's row name."""
    if c.subject_text and not c.subject_text.startswith("<"):
        return c.subject_text
    s = c.subject or ""
    if s.startswith("item:"):   # a 类/款/项 item whose code the tables do not give
        return s[5:]
    if s.startswith(("func:", "econ:")):
        code = s.split(":", 1)[1]
        for t in doc.tables:
            r = t.row(code)
            if r is not None and r.name and r.code_from_name:
                # no code printed: the 类/款/项 names of the placed row, as the narrative writes them
                names = [(t.row(code[:n]), lv) for n, lv in ((3, "类"), (5, "款"), (7, "项")) if n <= len(code)]
                return "".join(f"{x.name}（{lv}）" for x, lv in names if x is not None and x.name)
            if r is not None and r.name:
                return f"{code} {r.name}"
    return s
