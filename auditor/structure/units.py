"""Units printed per column: a header label "金额（万元）", "人数（人）", "车辆数（辆）" or a header cell "（元）" gives the
column its own unit (lexicons/units.toml); every other column keeps the table's unit ("单位：万元").

The unit travels with each token (``Tok.unit``) into its Cell (``Cell.unit``), so the raw text and the printed unit
stay on every cell; checks compare values in one unit (``to_wan``) and never add a count to an amount.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Optional

from .. import rx as re

from ..lexicons import load
from .header import column_paths, header_rows
from .rows import RawRow
from .tokens import squash


@lru_cache(maxsize=1)
def _units() -> tuple[dict[str, float], tuple[str, ...]]:
    lex = load("units")
    return dict(lex["money"]), tuple(lex["counts"]["units"])


@lru_cache(maxsize=1)
def _label_unit():
    money, counts = _units()
    names = sorted(set(money) | set(counts), key=len, reverse=True)
    alt = "|".join(re.escape(n) for n in names)
    return re.compile(rf"[（(]({alt})[)）]$")


def split_unit(label: str) -> tuple[str, Optional[str]]:
    """"年度资金总额(万元)" -> ("年度资金总额", "万元"); "（元）" -> ("", "元"); "合计" -> ("合计", None)."""
    s = squash(label)
    m = _label_unit().search(s)
    if not m:
        return s, None
    return s[:m.start()], m.group(1)


def is_money(unit: Optional[str]) -> bool:
    return unit in _units()[0]


def to_wan(value: Optional[float], unit: Optional[str]) -> Optional[float]:
    """A money value in 万元 (a value without a unit is taken as printed in 万元, the template's unit)."""
    if value is None:
        return None
    return value * _units()[0].get(unit or "万元", 1.0)


def column_units(rows: list[RawRow]) -> dict[int, str]:
    """Column index -> the unit its header labels print (the lowest label that prints one)."""
    out: dict[int, str] = {}
    for i, path in column_paths(header_rows(rows)).items():
        for label in reversed(path):
            u = split_unit(label)[1]
            if u:
                out[i] = u
                break
    return out


def mark_units(rows: list[RawRow]) -> list[RawRow]:
    """The positional rows with each figure under a column whose header prints a unit carrying that unit."""
    units = column_units(rows)
    if not units:
        return rows
    out = []
    for rr in rows:
        if rr.positional and any(i in units and t.kind in ("num", "int") for i, t in enumerate(rr.toks)):
            toks = [replace(t, unit=units[i]) if i in units and t.kind in ("num", "int") else t
                    for i, t in enumerate(rr.toks)]
            rr = replace(rr, toks=toks)
        out.append(rr)
    return out
