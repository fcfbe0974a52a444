"""Region body blocks -> logical table rows, for the three physical layouts.

* tab-separated rows (Block.kind == "row") and ruled grids (Block.kind == "grid"): cells are known, positions count
  (an empty cell is a missing value at its column) -> ``RawRow(positional=True)``.
* flattened page text (Block.kind == "text"): one line per printed row, but long names wrap onto following lines and
  numbers glue onto the next code; lines are tokenized and merged into rows -> ``RawRow(positional=False)``.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import rx as re

from ..model import Block, Provenance
from .tokens import Tok, classify, is_econ_code, is_func_code, prepare_line, squash, tokenize


# a header's label of the code / name columns (科目编码, 功能科目名称, 项目 …), not of a value column
KEY_LABEL = re.compile(r"编码|代码|名称|^(?:项目|科目|栏次|行次|序号)$")


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


_CODE_HEADS = ("类", "款", "项")
_META_CELL = re.compile(r"^(?:编制单位|填报单位|部门名称|单位名称|部门|金额单位)[：:]")
_FIGURE = re.compile(r"\d\.\d")


def code_spans(rows: list[list[str]]) -> list[tuple[int, int]]:
    """(start, width) of each group of code columns printed apart (类 | 款 | 项, or 类 | 款), read off the first
    header row that names them; several groups when a table prints column groups side by side."""
    for cells in rows:
        if not any(_CODE_HEADS[0] in c for c in cells):
            continue  # no 类 cell, no group (a cell is 类 once squashed only if it holds 类)
        s = [squash(c) for c in cells]
        spans, i = [], 0
        while i < len(s):
            if s[i] == _CODE_HEADS[0]:
                w = 1
                while i + w < len(s) and w < 3 and s[i + w] == _CODE_HEADS[w]:
                    w += 1
                if w >= 2:
                    spans.append((i, w))
                i += w
            else:
                i += 1
        if spans:
            return spans
    return []


def join_code_cells(toks: list[Tok], spans: list[tuple[int, int]]) -> list[Tok]:
    """One cell per code group: "201 | 06 | 01" -> "2010601", "301 | 01" -> "30101", "201 |  | " -> "201";
    header words of the code columns (类 款 项) become an empty cell, other header text is kept."""
    out = list(toks)
    for p, w in reversed(spans):
        part = out[p:p + w]
        if not part:
            continue
        first = part[0]
        if first.kind == "int" and len(first.text) == 3 and (is_func_code(first.text) or is_econ_code(first.text)):
            code = first.text
            for x in part[1:]:
                if x.kind == "int" and len(x.text) == 2:
                    code += x.text
                elif x.kind != "empty":
                    break
            tok = Tok(code, "int", first.prov)
        else:
            text = "".join(x.text for x in part if x.kind != "empty" and x.text not in _CODE_HEADS)
            tok = Tok(text, classify(text), first.prov) if text else Tok("", "empty", first.prov)
        out[p:p + w] = [tok]
    return out


def positional_rows(blocks: list[Block], body: list[int]) -> list[RawRow]:
    rows: list[RawRow] = []
    grids = {j: printed_grid(blocks[j].grid) for j in body if blocks[j].kind == "grid" and blocks[j].grid}
    spans = code_spans([list(b.cells) for j in body if (b := blocks[j]).kind == "row" and b.cells]
                       + [[c.text for c in r] for g in grids.values() for r in g])
    for j in body:
        b = blocks[j]
        if b.kind == "row" and b.cells is not None:
            cells = list(b.cells)
            while cells and not cells[-1]:
                cells.pop()
            toks = join_code_cells([_cell_tok(c, b.prov) for c in cells], spans)
            rows.append(RawRow(toks, True, b.prov, (b.prov.line or 0,)))
        elif b.kind == "grid" and b.grid:
            held = None   # a line of figures only, under a header: the figures of the row named on the next line
            for grow in grids[j]:
                first = next((c.text for c in grow if c.text.strip()), "")
                if _META_CELL.match(squash(first)) and not any(_FIGURE.search(c.text) for c in grow):
                    continue  # the 部门：… 单位：万元 line drawn inside the frame
                toks = join_code_cells([_cell_tok(c.text, c.prov) for c in grow], spans)
                while toks and toks[-1].kind == "empty":
                    toks.pop()
                if held is not None and toks and _figures_of(toks, held.toks):
                    toks, held = _overlay(toks, held.toks), None
                elif held is not None:
                    rows.append(held)
                    held = None
                if toks and rows and _figures_of(rows[-1].toks, toks):
                    rows[-1].toks = _overlay(rows[-1].toks, toks)
                elif toks and rows and _wrapped_tail(rows[-1].toks, toks):
                    rows[-1].toks = _join_tail(rows[-1].toks, toks)
                elif toks:
                    prov = grow[0].prov
                    row = RawRow(toks, True, prov, (prov.line or 0,))
                    if _only_figures(toks) and (not rows or _is_header(rows[-1].toks)):
                        held = row
                    else:
                        rows.append(row)
            if held is not None:
                rows.append(held)
        elif b.kind in ("text", "heading") and b.text.strip():
            # a stray text line inside a tab/grid table (e.g. a wrapped name): one cell
            rows.append(RawRow([_cell_tok(b.text, b.prov)], True, b.prov, (b.prov.line or 0,)))
    return rows


def _only_figures(toks: list[Tok]) -> bool:
    return all(t.kind in ("empty", "num") for t in toks) and any(t.kind == "num" for t in toks)


def _is_header(toks: list[Tok]) -> bool:
    return any(t.kind == "text" and KEY_LABEL.search(squash(t.text)) for t in toks)


def _figures_of(named: list[Tok], toks: list[Tok]) -> bool:
    """A ruled line holding only figures next to a line that names a row (code or name, not a header) and holds
    none: the grid cut one printed row in two (its figures set on another baseline than its name), so the figures
    are that row's, when the name line's cells all stand left of the first figure (a row's label is at its left; a
    header line of sub-columns has labels above the figures)."""
    if not _only_figures(toks) or any(t.kind == "num" for t in named) or _is_header(named):
        return False
    filled = [i for i, t in enumerate(named) if t.kind != "empty"]
    first = next(i for i, t in enumerate(toks) if t.kind == "num")
    return bool(filled) and max(filled) < first


_ONE_DECIMAL = re.compile(r"\d\.\d$")


def _wrapped_tail(above: list[Tok], toks: list[Tok]) -> bool:
    """A ruled line continuing the row above inside its cells: the rest of a wrapped name in the key cell and, under
    a figure of the row above printed with one decimal only ("12,437.3"), a lone digit ("6"): amounts are printed to
    0.01, so the narrow cell wrapped the figure's last digit onto the next line. Nothing else on the line."""
    tails = [i for i, t in enumerate(toks) if t.kind != "empty"]
    if not tails or toks[0].kind != "text" or not above or above[0].kind != "text":
        return False
    digits = tails[1:]
    return bool(digits) and all(
        toks[i].kind == "int" and len(toks[i].text) == 1 and i < len(above) and above[i].kind == "num"
        and _ONE_DECIMAL.search(above[i].text) for i in digits)


def _join_tail(above: list[Tok], toks: list[Tok]) -> list[Tok]:
    out = list(above)
    out[0] = Tok(above[0].text + toks[0].text, above[0].kind, above[0].prov, above[0].unit)
    for i, t in enumerate(toks[1:], 1):
        if t.kind != "empty":
            out[i] = Tok(above[i].text + t.text, "num", above[i].prov, above[i].unit)
    return out


def _overlay(above: list[Tok], toks: list[Tok]) -> list[Tok]:
    out = list(above) + list(toks[len(above):])
    for i, t in enumerate(toks[:len(above)]):
        if t.kind != "empty":
            out[i] = t
    return out


def _own_header(grid) -> bool:
    """The grid prints its header: a row of two or more words without digits above its first row with a figure."""
    for r in grid:
        texts = [c.text.strip() for c in r if c.text.strip()]
        if any(_FIGURE.search(t) for t in texts):
            return False
        if len(texts) >= 2 and not any(ch.isdigit() for t in texts for ch in t):
            return True
    return False


def printed_grid(grid):
    """The grid without its columns blank from top to bottom: such a column is an artefact of the ruling (a frame
    margin, the edge of another row's merged cell), not a column of the table, and keeping it would shift the
    figures of one page's grid against the header of another."""
    width = max((len(r) for r in grid), default=0)
    keep = [i for i in range(width) if any(i < len(r) and r[i].text.strip() for r in grid)]
    if len(keep) in (0, width) or not _own_header(grid):
        return grid  # a grid below a header printed elsewhere: its blank column is a real column left empty
    return [[r[i] for i in keep if i < len(r)] for r in grid]


_TOTALS = ("合计", "总计", "小计")


def _keyed_without_figure(rr: RawRow) -> bool:
    """A ruled row holding only its key (a code and a name, or 合计) and no figure."""
    ne = rr.nonempty()
    if not ne or len(ne) > 2 or any(t.kind == "num" for t in ne):
        return False
    first = ne[0]
    coded = first.kind == "int" and (is_func_code(first.text) or is_econ_code(first.text)) and len(first.text) in (3, 5, 7)
    return (coded and (len(ne) == 1 or ne[1].kind == "text")) or (len(ne) == 1 and squash(first.text) in _TOTALS)


def join_tall_cells(rows: list[RawRow]) -> list[RawRow]:
    """Figures printed on a ruled row of their own beside a taller name cell (江苏 2018: "301 工资福利支出" then
    "10,204.52" one grid row lower) joined to that row's key, at their own columns: a row of figures only whose one
    neighbouring row on the same page holds a key and no figure. Two such neighbours: left alone (ambiguous)."""
    out = list(rows)
    drop = set()
    for i, rr in enumerate(out):
        ne = rr.nonempty()
        if not rr.positional or not ne or any(t.kind != "num" for t in ne):
            continue
        near = [k for k in (i - 1, i + 1) if 0 <= k < len(out) and k not in drop and out[k].positional
                and out[k].prov.page == rr.prov.page and _keyed_without_figure(out[k])]
        if len(near) != 1:
            continue
        k = near[0]
        toks = list(out[k].toks) + [Tok("", "empty", out[k].prov)] * max(0, len(rr.toks) - len(out[k].toks))
        for c, t in enumerate(rr.toks):
            if t.kind == "num":
                toks[c] = t
        out[k] = RawRow(toks, True, out[k].prov, out[k].lines + rr.lines)
        drop.add(i)
    return [r for i, r in enumerate(out) if i not in drop]


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
