"""The 政府采购预算表 (Y15): its total column and its 采购品目大类 (货物 / 工程 / 服务), as rows or as columns.

Templates differ: 烟台 prints 功能科目 rows × 合计 | 财政拨款 … (the total first), 苏州/无锡 print the 采购品目大类 as
rows (合计, 货物, unit, items, 服务 …) × 一般公共预算资金 | 政府性基金 | 其他资金 | … | 总计 (the total last), 江苏
prints "一、货物 A" rows with a single 总计 figure. A figure is placed in the total column (合计) only when the table
says so: every figure row prints a figure under the header's 合计/总计 label, or the header names that total and every
row prints one figure. A category printed as a column is placed by its header label the same way. Otherwise the table
is read as before (label rows, figures in printed order, ``exact=False``): no check relies on a guessed column.
Labels are data: lexicons/tables.toml [procurement].
"""
from __future__ import annotations

from typing import Optional

from .. import rx as re

from ..lexicons import load
from ..model import Table
from .cells import _add_row, _new_table
from .header import column_paths, header_rows
from .label import _label_key, label_table
from .regions import Region
from .rows import RawRow
from .tokens import Tok, norm_name, squash

_FIG = ("num", "int")


def _lex() -> dict:
    return load("tables")["procurement"]


def category(name: str) -> Optional[str]:
    """The 采购品目大类 a row or column label names ("一、货物 A", "服务类", "C 服务" -> 服务), else None."""
    k = norm_name(squash(name))
    for cat, spec in _lex()["categories"].items():
        code = spec["code"]
        words = "|".join(re.escape(w) for w in spec["words"])
        if re.fullmatch(rf"(?:{code}\s*)?(?:{words})(?:\s*{code})?", k):
            return cat
    return None


def _name(rr: RawRow) -> Optional[tuple[int, str]]:
    """The row's label: its first text cell (a 序号 or 科目编码 before it is not a figure of the row)."""
    for i, x in enumerate(rr.toks):
        if x.kind == "text" and x.text.strip():
            return i, x.text
    return None


def _figures(rr: RawRow) -> list[int]:
    """The cells holding figures, right of the row's label."""
    named = _name(rr)
    start = named[0] + 1 if named else len(rr.toks)
    return [i for i, x in enumerate(rr.toks) if i >= start and x.kind in _FIG]


def _edge(paths: dict[int, list[str]], total: int, data: list[RawRow]) -> Optional[int]:
    """0 when the total is the header's first figure column, -1 when its last (the columns right of the first figure
    of any row that the header labels), else None."""
    first = min(_figures(rr)[0] for rr in data)
    labelled = [i for i, p in paths.items() if p and i >= first]
    if labelled and total == min(labelled):
        return 0
    if labelled and total == max(labelled):
        return -1
    return None


def procurement_table(reg: Region, rows: list[RawRow]) -> list[Table]:
    hdr = header_rows(rows)
    data = [rr for rr in rows if rr.positional and _figures(rr)]
    if not hdr or not data or not all(rr.positional for rr in rows):
        return label_table(reg, rows)
    totals = {squash(w) for w in _lex()["total_labels"]}
    paths = column_paths(hdr)
    total_at = [i for i, p in paths.items() if p and squash(p[-1]) in totals]
    if len(total_at) > 1:   # a group's own 合计 under its label (财政拨款 | 合计) is not the table's total
        total_at = [i for i in total_at if len(paths[i]) == 1]
    cat_at = {i: c for i, p in paths.items() if p and (c := category(p[-1]))}
    t = _new_table(reg, reg.tdef.id, reg.tdef.columns)
    total_col = t.columns[0]
    place: dict[int, str] = {}
    edge = None
    if len(total_at) == 1 and all(total_at[0] in _figures(rr) for rr in data):
        # every figure row prints its total under the header's 合计/总计; a category column the header names holds
        # a figure or nothing on every row
        place = {total_at[0]: total_col}
        place.update({i: c for i, c in cat_at.items()
                      if all(i >= len(rr.toks) or rr.toks[i].kind in _FIG + ("empty",) for rr in data)})
    elif len(total_at) == 1 and not cat_at and (edge := _edge(paths, total_at[0], data)) is not None:
        pass   # a page whose grid dropped blank columns: the total is still the row's first (last) figure
    elif total_at and not cat_at and all(len(_figures(rr)) == 1 for rr in data):
        edge = 0   # one figure a row under a header naming the total (江苏 总计): that figure is the total
    else:
        return label_table(reg, rows)
    for col in [c for c in place.values() if c != total_col]:
        if col not in t.columns:
            t.columns.append(col)
    for rr in data:
        figs = _figures(rr)
        ki, name = _name(rr)
        key = category(name) or _label_key(name)
        vals: list[Optional[Tok]] = [None] * len(t.columns)
        if edge is not None:
            vals[0] = rr.toks[figs[edge]]
        else:
            for i, col in place.items():
                if i < len(rr.toks) and rr.toks[i].kind in _FIG:
                    vals[t.columns.index(col)] = rr.toks[i]
        row = _add_row(t, key, None, norm_name(name), rr.prov, vals, True)
        row.other_codes.extend(x.text for x in rr.toks[:ki] if x.kind == "int")
    return [t]
