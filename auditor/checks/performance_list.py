"""T02 over the 项目支出绩效目标表 printed as one list in page-sized pieces (长沙 "单位编码 | 单位（项目）名称 | 资金总额 |
绩效目标 | 绩效指标 › 一级指标 … 指标值 …"): its 合计 row = Σ the projects' 资金总额.

The figures are read from the page grids in the column under the printed amount header only: a project's line
prints its 资金总额 there, an indicator's line prints its 指标值 / 分值 in columns further right, which are never
amounts. Pieces form one table when each repeats the same header row on the next page with no other title between.
A project carried over from the previous piece repeats its name and 资金总额 at the top of the next one: it is one
project. The department's line under the 合计 (equal to it) is its summary, as in unit_rows; a line that is itself
the sum of the lines after it (a unit over its projects) leaves the hierarchy unclear and the table is not checked,
nor is a table whose last piece runs on into a grid of another header on the next page (a piece unread).
"""
from __future__ import annotations

from typing import Callable, Optional

from ..lexicons import load
from ..model import Block, Cell, Document, GridCell, Row, Table
from ..structure.tokens import norm_name, parse_number
from .unit_rows import summed_parts

COL = "资金总额"


def _text(c: Optional[GridCell]) -> str:
    return norm_name(c.text) if c is not None and c.text else ""


def _header(grid: list[list[GridCell]], spec: dict) -> Optional[tuple[int, int, int, tuple[str, ...]]]:
    """(header row index, amount column, name column, the header row's texts) or None."""
    for i, row in enumerate(grid[:3]):
        texts = tuple(_text(c) for c in row)
        amount = next((j for j, s in enumerate(texts) if s in spec["amount_headers"]), None)
        name = next((j for j, s in enumerate(texts) if spec["name_word"] in s), None)
        if amount is not None and name is not None and name < amount and any(
                w in s for s in texts for w in spec["goal_words"]):
            return i, amount, name, texts
    return None


def _entries(grid: list[list[GridCell]], h: int, a: int, n: int, spec: dict) -> list[tuple[str, bool, GridCell]]:
    """(name, is a total line, the amount cell) for every line printing a figure under the amount header."""
    out, seen = [], set()
    for row in grid[h + 1:]:
        if a >= len(row) or row[a] is None or parse_number(row[a].text or "") is None:
            continue
        box = row[a].prov.bbox
        if box is not None and box in seen:
            continue     # a merged cell repeated on each line it spans
        seen.add(box)
        front = [_text(c) for c in row[:a]]
        total = any(s in spec["total_rows"] for s in front)
        name = _text(row[n]) if n < len(row) else ""
        out.append((name or next((s for s in front if s), ""), total, row[a]))
    return out


def _title(b: Block) -> bool:
    return b.kind == "heading" or (b.kind == "text" and b.text.strip().endswith("表"))


def _chains(doc: Document, spec: dict):
    """[(grid block index, header)], one list per table printed in pieces; a list is dropped when it may go on."""
    blocks = doc.blocks
    i = 0
    while i < len(blocks):
        b = blocks[i]
        hd = _header(b.grid, spec) if b.kind == "grid" and b.grid else None
        if hd is None:
            i += 1
            continue
        title = next((x.text.strip() for x in reversed(blocks[max(0, i - 3):i]) if _title(x)), None)
        chain, j, complete = [(i, hd)], i + 1, True
        while j < len(blocks):
            x = blocks[j]
            if x.kind == "grid":
                nh = _header(x.grid, spec) if x.grid else None
                last = blocks[chain[-1][0]].prov.page or 0
                if nh is not None and nh[3] == hd[3] and (x.prov.page or 0) == last + 1:
                    chain.append((j, nh))
                    j += 1
                    continue
                if (x.prov.page or 0) == last + 1 and nh is None:
                    complete = False     # the next page goes on in a grid not read as a piece of this table
                break
            if _title(x) and x.text.strip() != title:
                break
            j += 1
        if complete:
            yield chain
        i = chain[-1][0] + 1


def _table(doc: Document, b: Block, tid: str) -> Optional[Table]:
    return next((t for t in doc.tables if t.id.split("_")[0] == tid and t.prov.page == b.prov.page), None)


def list_parts(doc: Document, chain, t: Table, spec: dict) -> Optional[tuple[Row, list[Row]]]:
    """(the 合计 row, the project rows) of one chain of pieces, or None when the hierarchy is unclear."""
    rows: list[tuple[str, bool, GridCell]] = []
    for k, (bi, (h, a, n, _)) in enumerate(chain):
        got = _entries(doc.blocks[bi].grid, h, a, n, spec)
        if k and got and rows and not rows[-1][1] and got[0][0] == rows[-1][0]:
            if parse_number(got[0][2].text) != parse_number(rows[-1][2].text):
                return None      # the same project printed with another amount: unclear
            got = got[1:]        # the project carried over from the previous piece
        rows += got
    if not rows or not rows[0][1] or any(r[1] for r in rows[1:]):
        return None

    def row(name: str, c: GridCell) -> Row:
        return Row(key=name, code=None, name=name, prov=c.prov,
                   cells={COL: Cell(parse_number(c.text), c.text.strip(), c.prov, unit=t.unit)})

    total = row(rows[0][0] or "合计", rows[0][2])
    parts = summed_parts(total, [row(nm, c) for nm, _, c in rows[1:]], [COL])
    return None if parts is None else (total, parts)


def performance_list_total(doc: Document, compare: Callable):
    spec = load("identities")["performance_list"]
    for chain in _chains(doc, spec):
        t = _table(doc, doc.blocks[chain[0][0]], spec["table"])
        if t is None:
            continue
        got = list_parts(doc, chain, t, spec)
        if got is None:
            continue
        total, parts = got
        pages = sorted({doc.blocks[bi].prov.page for bi, _ in chain})
        f = compare("T02", t, total, parts, COL, f"第{pages[0]}–{pages[-1]}页所列 {len(parts)} 个项目")
        if f:
            yield f
