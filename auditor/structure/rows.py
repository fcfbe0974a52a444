"""Region body blocks -> logical table rows, for the three physical layouts.

* tab-separated rows (Block.kind == "row") and ruled grids (Block.kind == "grid"): cells are known, positions count
  (an empty cell is a missing value at its column) -> ``RawRow(positional=True)``.
* flattened page text (Block.kind == "text"): one line per printed row, but long names wrap onto following lines and
  numbers glue onto the next code; lines are tokenized and merged into rows -> ``RawRow(positional=False)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Block, Provenance
from .tokens import Tok, classify, is_econ_code, is_func_code, prepare_line, tokenize


@dataclass
class RawRow:
    toks: list[Tok]               # positional: one per cell ("empty" kind for a blank cell); flat: no empties
    positional: bool
    prov: Provenance              # the row's first line
    lines: tuple[int, ...] = ()   # every source line merged into this row

    @property
    def texts(self) -> list[str]:
        return [t.text for t in self.toks]

    def nonempty(self) -> list[Tok]:
        return [t for t in self.toks if t.kind != "empty"]

    def has_amount(self) -> bool:
        return any(t.kind == "num" for t in self.toks)


def _cell_tok(text: str, prov: Provenance) -> Tok:
    t = prepare_line(text) if text else ""
    if not t:
        return Tok("", "empty", prov)
    # a cell holding "2010301 行政运行" keeps its text; numbers keep their printed form
    return Tok(t, classify(t), prov)


def positional_rows(blocks: list[Block], body: list[int]) -> list[RawRow]:
    rows: list[RawRow] = []
    for j in body:
        b = blocks[j]
        if b.kind == "row" and b.cells is not None:
            cells = list(b.cells)
            while cells and not cells[-1]:
                cells.pop()
            rows.append(RawRow([_cell_tok(c, b.prov) for c in cells], True, b.prov, (b.prov.line or 0,)))
        elif b.kind == "grid" and b.grid:
            for grow in b.grid:
                toks = [_cell_tok(c.text, c.prov) for c in grow]
                while toks and toks[-1].kind == "empty":
                    toks.pop()
                if toks:
                    prov = grow[0].prov
                    rows.append(RawRow(toks, True, prov, (prov.line or 0,)))
        elif b.kind in ("text", "heading") and b.text.strip():
            # a stray text line inside a tab/grid table (e.g. a wrapped name): one cell
            rows.append(RawRow([_cell_tok(b.text, b.prov)], True, b.prov, (b.prov.line or 0,)))
    return rows


def _starts_key(tok: Tok) -> bool:
    return tok.kind == "int" and (is_func_code(tok.text) or is_econ_code(tok.text)) and len(tok.text) in (3, 5, 7)


def flat_rows(blocks: list[Block], body: list[int], mode: str, has_line_no: bool = True) -> list[RawRow]:
    """Merge flattened lines into rows. ``mode``: code | econ | two | group | label."""
    rows: list[RawRow] = []
    pending: list[Tok] = []
    prov: Provenance | None = None
    lines: list[int] = []

    def flush():
        nonlocal pending, prov, lines
        if pending:
            rows.append(RawRow(pending, False, prov, tuple(lines)))
        pending, prov, lines = [], None, []

    def complete() -> bool:
        if mode == "two":
            return sum(t.kind == "int" for t in pending) >= 2 if has_line_no else bool(pending)
        if mode == "label":
            return any(t.kind in ("num", "int") for t in pending[1:])
        return any(t.kind == "num" for t in pending)

    for j in body:
        b = blocks[j]
        text = b.text if b.kind != "row" else " ".join(c for c in (b.cells or []) if c)
        toks = tokenize(text, b.prov)
        if not toks:
            continue
        first = toks[0]
        if not pending:
            new = True
        elif mode == "two":
            new = complete()
        elif mode in ("group",):
            new = True
        elif _starts_key(first):
            new = True
        elif first.kind == "int" and len(first.text) >= 3 and (len(toks) == 1 or toks[1].kind == "text") \
                and complete():
            new = True  # a unit code (509, 509001) opening the next row
        elif first.kind == "text":
            new = complete() or first.text.startswith(("合计", "总计", "栏次"))
        else:
            new = False
        if new:
            flush()
            prov = b.prov
        pending.extend(toks)
        lines.append(b.prov.line or 0)
    flush()
    return rows


def is_flat(blocks: list[Block], body: list[int]) -> bool:
    """A region is flattened text when it holds no tab rows and no grids."""
    return not any(blocks[j].kind in ("row", "grid") for j in body)
