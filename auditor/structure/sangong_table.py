"""The 三公 table (09, 预算09) -> a canonical Table: one row per group (预算数, 决算数), each figure placed by the
header where it names the columns (预算数 | 决算数 under each item; 会议费 / 培训费 printed beside the 三公 columns), else
by position when the row prints as many cells as the canonical columns; the units' own rows kept under a 合计 row
whose header names the units."""
from __future__ import annotations

from typing import Optional

from ..model import Table
from .cells import _add_row, _new_table, _skip, by_header, column_numbers, first_exact
from .header import GROUP_WORDS, map_columns, unit_keyed, usable
from .regions import Region
from .rows import RawRow
from .tokens import Tok, norm_name, squash


def group_table(reg: Region, rows: list[RawRow]) -> list[Table]:
    t = _new_table(reg, reg.tdef.id, reg.tdef.columns)
    n = len(t.columns)
    groups = ["预算数", "决算数"] if reg.tdef.family == "决算" else ["预算数"]
    extra = list(reg.tdef.printed_columns)
    bycol, bygroup = map_columns(rows, reg.tdef, t.columns + extra)
    if bygroup and set(bygroup) <= set(bycol):
        return [_group_by_header(t, rows, bycol, bygroup)]
    if not bygroup and set(extra) & set(bycol.values()) and usable(bycol, rows, 0):
        # a variant printing 会议费 / 培训费 beside the 三公 columns: every figure placed by its header
        t.columns += [c for c in extra if c in bycol.values()]
        return [_group_by_header(t, rows, bycol, {i: groups[0] for i in bycol})]
    for rr in rows:
        vals = [x for x in rr.toks if x.kind in ("num", "int", "empty")]
        if not any(x.kind in ("num", "int") for x in vals):
            continue
        if column_numbers(rr):
            continue  # the 栏次 row 1 2 3 ...
        if rr.toks and rr.toks[0].kind == "text" and _skip(rr.toks[0].text):
            continue
        expected = n * len(groups)
        nonempty = [x for x in vals if x.kind != "empty"]
        # a ruled row is placed by position only when it prints as many cells as the canonical columns, and in their
        # order where the header names columns; a header naming every figure's column places them (长沙: 小计 |
        # 公务接待费 | 因公出国（境）费 | 公务用车…)
        exact = len(nonempty) == expected or (rr.positional and len(vals) == expected)
        seq = vals if rr.positional else nonempty
        if rr.positional and bycol and len(groups) == 1:
            at = [i for i, x in enumerate(rr.toks) if x.kind in ("num", "int", "empty")]
            if at and at[0] not in bycol and t.columns[0] not in bycol.values():
                bycol = {at[0]: t.columns[0], **bycol}  # the first figure column (小计, “三公”经费合计) is the total
            if at and usable(bycol, [rr], at[0]) and len(bycol) == len(at):
                _add_row(t, groups[0], None, groups[0], rr.prov, by_header(rr.toks, bycol, t.columns, at[0] - 1),
                         True)
                _unit_rows(t, rows, rows.index(rr), bycol)
                break
            if any(c not in t.columns or i - at[0] != t.columns.index(c) for i, c in bycol.items() if i >= at[0]):
                exact = False  # the header orders the columns otherwise: the printed order is no guide
        if not exact and not rr.positional and len(groups) == 1:
            exact = first_exact(seq[:n], t.columns)
        for gi, gname in enumerate(groups):
            part = seq[gi * n:(gi + 1) * n]
            if part or gi == 0:
                _add_row(t, gname, None, gname, rr.prov, part, exact)
        break
    return [t]


def _unit_rows(t: Table, rows: list[RawRow], at_total: int, bycol: dict[int, str]) -> None:
    """A 三公 table whose header names the units (单位名称) and whose first row is their 合计: the rows below are the
    units' own figures, kept with the unit's name (or code) as key, the 合计 row staying the table's 预算数."""
    total = rows[at_total]
    if not total.toks or total.toks[0].kind != "text" or squash(total.toks[0].text) not in ("合计", "总计") \
            or not unit_keyed(rows):
        return
    t.rows_by = "unit"
    for rr in rows[at_total + 1:]:
        at = [i for i, x in enumerate(rr.toks) if x.kind in ("num", "int", "empty")]
        if not rr.positional or not at or rr.toks[0].kind != "text" or not usable(bycol, [rr], at[0]) \
                or not any(x.kind in ("num", "int") for x in rr.toks):
            continue
        name = norm_name(rr.toks[0].text)
        _add_row(t, name, None, name, rr.prov, by_header(rr.toks, bycol, t.columns, at[0] - 1), True)


def _group_by_header(t: Table, rows: list[RawRow], bycol: dict[int, str], bygroup: dict[int, str]) -> Table:
    """三公 printed with 预算数 | 决算数 under each item (Shanghai): place each figure by its two header labels."""
    for rr in rows:
        if not rr.positional or not any(x.kind in ("num", "int") for x in rr.toks):
            continue
        if not all(i in bygroup for i, x in enumerate(rr.toks) if x.kind != "empty") or column_numbers(rr):
            continue
        for g in (g for g in GROUP_WORDS if g in bygroup.values()):
            vals: list[Optional[Tok]] = [None] * len(t.columns)
            for i, x in enumerate(rr.toks):
                if bygroup.get(i) == g:
                    vals[t.columns.index(bycol[i])] = x
            _add_row(t, g, None, g, rr.prov, vals, True)
        break
    return t
