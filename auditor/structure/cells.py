"""Shared primitives of the table builders: a token -> Cell, a new canonical Table, a Row appended to it."""
from __future__ import annotations

from typing import Optional

from .. import rx as re

from ..model import Cell, Row, Table
from ..read.normalise import plausible_number
from .regions import Region
from .rows import RawRow
from .tokens import Tok, parse_number, squash

_SKIP_NAMES = {"栏次", "项目", "项目名称", "科目名称", "收入", "支出", "功能分类科目编码", "科目编码", "行次", "金额"}
_CODE_NAME = re.compile(r"^(\d{3}(?:\s?\d{2}){0,2})\s*(\D.*)$")


def _cell(tok: Optional[Tok], exact: bool = True, unit: Optional[str] = None) -> Optional[Cell]:
    """A token as a Cell in its column's printed unit (``tok.unit``), else ``unit`` (the table's)."""
    if tok is None or tok.kind == "empty":
        return None
    v = parse_number(tok.text)
    if v is not None and not plausible_number(tok.text):  # beyond any budget: flagged (D01), never computed
        return Cell(None, tok.text, tok.prov, False, tok.unit or unit)
    return Cell(v, tok.text, tok.prov, exact, tok.unit or unit)


def _new_table(reg: Region, tid: str, columns, family: Optional[str] = None) -> Table:
    d = reg.tdef
    t = Table(id=tid, title=d.title, printed_title=reg.printed_title, prov=reg.prov, family=family or d.family,
              row_key=d.row_key, columns=list(columns), unit=reg.unit, label=reg.label,
              notes=[n for n, _ in reg.notes], no_data_note=reg.no_data)
    return t


TOTAL_COLUMNS = ("合计", "总计", "小计")


def first_exact(values: list[Optional[Tok]], columns: list[str]) -> list[bool]:
    """A flattened row printing fewer figures than columns drops its blank cells, so only its first figure has a
    known column: the table's first column when that is the row's total (合计 / 总计), never blank while any part of
    the row is printed. The others stay guesses."""
    first = bool(columns) and columns[0] in TOTAL_COLUMNS
    return [first and i == 0 for i in range(len(values))]


def _add_row(t: Table, key: str, code, name, prov, values: list[Optional[Tok]], exact, line_no=None) -> Row:
    """``exact``: one flag for every value, or a list of flags, one per value."""
    if t.row(key) is not None:  # a repeated key: the next free "key#n" (n from 2), counted per key, not searched
        base, nxt = key, t.__dict__.setdefault("_next_suffix", {})
        n = nxt.get(base, 2)
        while t.row(f"{base}#{n}") is not None:
            n += 1
        key, nxt[base] = f"{base}#{n}", n + 1
    r = Row(key=key, code=code, name=name, prov=prov, line_no=line_no)
    for i, tok in enumerate(values):
        if i >= len(t.columns):
            t.columns.append(f"列{i + 1}")
        c = _cell(tok, exact[i] if isinstance(exact, list) else exact, t.unit)
        if c is not None:
            r.cells[t.columns[i]] = c
            if tok.unit and tok.unit != t.unit:
                t.column_units[t.columns[i]] = tok.unit
    t.rows.append(r)
    return r


def _skip(name: str) -> bool:
    n = squash(name)
    return n in _SKIP_NAMES or "栏次" in n or n.startswith(("功能分类", "项目行次", "收入支出项目", "收入支出"))


DASHES = ("-", "—", "－", "--")  # the marks of an empty cell


def by_header(toks: list[Tok], bycol: dict[int, str], columns: list[str], name_i: int) -> list[Optional[Tok]]:
    """A positional row's values placed under the canonical columns its header names."""
    vals: list[Optional[Tok]] = [None] * len(columns)
    for i, col in bycol.items():
        if name_i < i < len(toks) and (toks[i].kind != "text" or toks[i].text in DASHES):
            vals[columns.index(col)] = toks[i]  # a header word printed on the row (合计 | 基本支出) is no value
    return vals


def column_numbers(rr: RawRow) -> bool:
    """The 栏次 row: 1 2 3 ... under the column headers."""
    ints = [x.text for x in rr.toks if x.kind != "empty"]
    if any("栏次" in x for x in ints):
        return True
    vals = [x for x in rr.toks if x.kind in ("num", "int")]
    return bool(vals) and all(x.kind == "int" for x in vals) and [x.text for x in vals] == [
        str(i) for i in range(1, len(vals) + 1)]
