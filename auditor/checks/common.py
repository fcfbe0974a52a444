"""Helpers shared by the rules: evidence from cells and claims, printed intervals, amount formatting."""
from __future__ import annotations

from typing import Optional

from ..model import Cell, Claim, Evidence, Row, Table
from .tolerance import Interval


def cell_ev(t: Table, r: Row, col: str, c: Optional[Cell]) -> Evidence:
    prov = c.prov if c is not None else r.prov
    return Evidence(prov=prov, table=t.id, row=r.key, column=col, value=None if c is None else c.value,
                    text=f"{t.title} {r.name or r.key} {col} = {c.raw if c is not None else '（空）'}")


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
