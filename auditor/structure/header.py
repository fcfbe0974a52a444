"""Printed column headers of a positional table (PDF grid, tab rows) -> canonical columns, by header text.

A header may span several rows (本年支出 over 小计 | 基本支出 | 项目支出) and a cell may span several columns (its
text printed once, the cells to its right empty). Each column gets the path of labels from the top header row down;
the path is matched against the table's canonical columns and the ``column_aliases`` of lexicons/tables.toml.
Used only when every printed figure sits under a recognised column; otherwise the caller keeps the printed order.
"""
from __future__ import annotations

from typing import Optional

from .. import rx as re

from ..lexicons import TableDef, load
from .rows import KEY_LABEL, RawRow
from .tokens import squash

GROUP_WORDS = ("预算数", "决算数")
_PART = re.compile(r"^其中[：:]?")
_UNIT_KEY = re.compile(r"^(?:预算)?单位(?:名称|编码|代码)+$")


def header_rows(rows: list[RawRow]) -> list[RawRow]:
    """The positional rows above the first row that holds a figure or starts with a code."""
    out = []
    for rr in rows:
        if not rr.positional:
            break
        if any(t.kind == "num" for t in rr.toks):
            break
        ne = rr.nonempty()
        if ne and ne[0].kind == "int" and len(ne[0].text) >= 3:
            break
        ints = [t.text for t in ne if t.kind == "int"]
        if ints and ints == [str(i) for i in range(1, len(ints) + 1)]:
            continue  # the 栏次 row ("** 1 2 3 4 5") numbers the columns; it names none
        out.append(rr)
    return out


def column_paths(hrows: list[RawRow]) -> dict[int, list[str]]:
    """Column index -> labels from the top header row down. A label spans the empty cells to its right until a
    column where a header row above starts a new label."""
    width = max((len(r.toks) for r in hrows), default=0)
    paths: dict[int, list[str]] = {i: [] for i in range(width)}
    bounds: set[int] = set()
    for rr in hrows:
        texts = [squash(t.text) for t in rr.toks] + [""] * (width - len(rr.toks))
        cur = ""
        starts = set()
        for i, s in enumerate(texts):
            if s:
                cur = s
                starts.add(i)
            elif i in bounds:
                cur = ""
            if cur and (not paths[i] or paths[i][-1] != cur):
                paths[i].append(cur)
        bounds |= starts
    return paths


def _aliases(tdef: TableDef) -> dict[str, str]:
    for t in load("tables")["table"]:
        if t["id"] == tdef.id:
            return {squash(k): v for k, v in t.get("column_aliases", {}).items()}
    return {}


def canonical(path: list[str], columns: list[str], aliases: dict[str, str], parents: bool = True) -> Optional[str]:
    """The canonical column a label path names: the leaf, then the leaf with its parents, then each parent (not
    with ``parents=False``: the leaf is one part of a group whose total is printed in a column of its own)."""
    from .units import split_unit  # a label printing its unit ("合计（万元）") names the same column

    known = {squash(c): c for c in columns}
    # "其中：公务用车购置": a part's column is named by the part; a label printing its unit ("合计（万元）") names the same
    labels = [_PART.sub("", u) for p in path if p not in GROUP_WORDS and (u := split_unit(p)[0])]
    cands = []
    for k in range(1, len(labels) + 1):
        cands.append("".join(labels[-k:]))
    if parents:
        cands.extend(reversed(labels[:-1]))
    for c in cands:
        if c in known:
            return known[c]
        if c in aliases and aliases[c] in columns:
            return aliases[c]
    return None


def map_columns(rows: list[RawRow], tdef: TableDef, columns: list[str]) -> tuple[dict[int, str], dict[int, str]]:
    """(column index -> canonical column, column index -> 预算数/决算数 group) from the header rows."""
    hrows = header_rows(rows)
    if not hrows:
        return {}, {}
    aliases = _aliases(tdef)
    cols, groups = {}, {}
    paths = column_paths(hrows)
    for i, path in paths.items():
        c = canonical(path, columns, aliases, parents=not _part_of_totalled(i, paths))
        if c is not None:
            cols[i] = c
        g = [p for p in path if p in GROUP_WORDS]
        if g:
            groups[i] = g[-1]
    _one_column_each(cols, paths, tdef, columns)
    return cols, groups


_TOTAL_LEAF = ("小计", "合计")


def _labels(path: list[str]) -> list[str]:
    return [p for p in path if p not in GROUP_WORDS]


def _part_of_totalled(i: int, paths: dict[int, list[str]]) -> bool:
    """Column ``i`` is one part of a header group (上年结转结余 › 一般公共预算) whose 小计/合计 is printed in a sibling
    column (上年结转结余 › 小计): it is not the group's total, so the group's name does not name it."""
    lab = _labels(paths[i])
    if len(lab) < 2 or lab[-1] in _TOTAL_LEAF:
        return False
    return any(j != i and (lj := _labels(p))[:-1] == lab[:-1] and lj[-1] in _TOTAL_LEAF for j, p in paths.items())


def grouped_parts(rows: list[RawRow], cols: dict[int, str]) -> dict[int, str]:
    """Columns of a two-level header left unnamed by the catalogue (本年收入 › 小计, 上年结转结余 › 一般公共预算) ->
    their printed path (本年收入小计, 上年结转结余一般公共预算): the sub-columns of a group holding two or more columns,
    kept as columns of their own so that no figure is taken for another column's."""
    hrows = header_rows(rows)
    if not hrows:
        return {}
    paths = column_paths(hrows)
    common = 0  # labels over every column (a title line inside the frame) are no group
    while paths and all(len(p) > common and p[common] == paths[0][common] for p in paths.values()):
        common += 1
    labs = {i: _labels(p[common:]) for i, p in paths.items()}
    values = [i for i, lab in labs.items() if lab and not KEY_LABEL.search(lab[0])]
    out = {}
    for i in values:
        lab = labs[i]
        if i in cols or len(lab) < 2:
            continue
        under = [j for j in values if labs[j][:-1] == lab[:-1]]
        if 2 <= len(under) < len(values):  # a label over every value column (一般公共预算支出 › …) is no group
            out[i] = "".join(lab)
    return out


def _one_column_each(cols: dict[int, str], paths: dict[int, list[str]], tdef: TableDef, columns: list[str]) -> None:
    """Two printed columns naming one canonical column: the more specific header (“三公”经费 › 小计) keeps it; a bare
    合计 beside it is the table's outer total (合计 = 三公 + 会议费 + 培训费), else unmapped. Only for a table defining
    an outer total; elsewhere two columns naming one leave the mapping unusable, the printed order deciding."""
    if not tdef.outer_total or tdef.outer_total not in columns:
        return
    common = 0  # labels over every column (a 公开表九 line left in the header) are no parent
    while paths and all(len(p) > common and p[common] == paths[0][common] for p in paths.values()):
        common += 1
    group = {i: tuple(p for p in paths[i] if p in GROUP_WORDS) for i in cols}  # 合计 › 预算数 | 合计 › 决算数: two
    for c, g in {(cols[i], group[i]) for i in cols}:
        same = sorted((i for i in cols if cols[i] == c and group[i] == g), key=lambda i: -len(paths[i]))
        for i in same[1:]:
            bare = [p for p in paths[i][common:] if p not in GROUP_WORDS] in (["合计"], ["总计"])
            if bare and tdef.outer_total not in cols.values():
                cols[i] = tdef.outer_total
            else:
                del cols[i]


def usable(mapping: dict[int, str], rows: list[RawRow], vstart: int) -> bool:
    """A header mapping is trusted when it names distinct columns, none left of the first value column, and every
    printed figure of a row from ``vstart`` on sits under a mapped column."""
    if len(mapping) < 1 or min(mapping) < vstart or len(set(mapping.values())) != len(mapping):
        return False
    for rr in rows:
        if not rr.positional:
            return False
        for i, t in enumerate(rr.toks):
            if i >= vstart and t.kind in ("num", "int") and i not in mapping:
                return False
    return True


def value_labels(rows: list[RawRow]) -> Optional[int]:
    """How many value-column labels (金额, 合计, 基本支出 …) a ruled header prints, from its row naming the code/name
    columns down; None when the rows carry no such header (a table continued from the page before)."""
    hrows = header_rows(rows)
    start = next((i for i, rr in enumerate(hrows) if any(KEY_LABEL.search(squash(t.text)) for t in rr.toks
                                                          if t.kind == "text")), None)
    if start is None:
        return None
    labels = [squash(t.text) for rr in hrows[start:] for t in rr.toks if t.kind == "text" and squash(t.text)]
    return len([x for x in labels if not KEY_LABEL.search(x)])


def unit_keyed(rows: list[RawRow]) -> bool:
    """The header's key column names the units (单位名称, 单位编码): the rows are the department's units, not 科目."""
    for rr in header_rows(rows):
        first = next((t for t in rr.toks if t.kind != "empty"), None)
        if first is not None and first.kind == "text" and _UNIT_KEY.match(squash(first.text)):
            return True
    return False
