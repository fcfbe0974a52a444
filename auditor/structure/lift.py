"""Title lines printed inside a ruled grid, lifted out before the grid.

Many templates draw the table's label, title, 部门 and 单位 lines inside the outer frame (苏州/无锡 公开02表 + 收入总表;
江苏 2017 "收支预算总表部门：…单位：万元" in one merged cell). The region finder looks for titles in text lines, so the
grid's leading rows that hold one text (or only 部门/单位 meta cells) become text blocks placed before the grid; a
merged cell holding title, 部门 and 单位 is split at those words.
"""
from __future__ import annotations

from .. import rx as re

from ..model import Block
from .regions import match_title
from .tokens import squash

_META_START = re.compile(r"(?=(?:编制单位|填报单位|部门名称|单位名称|部门|单位|金额单位)\s*[：:])"
                         r"|(?<=表|[）)])(?=(?:公开|预算)(?:表(?:[一二三四五六七八九十]+|\d+)|\d{1,2}表))")
_META = re.compile(r"^(?:编制单位|填报单位|部门名称|单位名称|部门|单位|金额单位)\s*[：:]")
_FIGURE = re.compile(r"\d[\d,]*\.\d+")
_LABEL = re.compile(r"(?:附?表(?:[一二三四五六七八九十]+|\d+)|(?:公开|预算)\d{1,2}表|(?:公开|预算)表(?:[一二三四五六七八九十]+|\d+))")


def _lines(text: str) -> list[str]:
    parts = [p.strip() for p in _META_START.split(text)]
    return [p for p in parts if p]


def _liftable(cells: list[str]) -> bool:
    """A leading grid row that is a title, a label or 部门/单位 lines (never a table row whose other cells are blank)."""
    texts = [c.strip() for c in cells if c.strip()]
    if not texts or any(_FIGURE.search(c) for c in texts):
        return False
    if all(_META.match(c) for c in texts):
        return True
    if len(texts) != 1:
        return False
    first = _lines(texts[0])[0]
    return bool(_LABEL.fullmatch(squash(first))) or match_title(first) is not None


def lift_grid_titles(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for b in blocks:
        if b.kind != "grid" or not b.grid:
            out.append(b)
            continue
        rows = list(b.grid)
        lifted: list[Block] = []
        k = 0
        while True:
            while k < len(rows) - 1 and not any(c.text.strip() for c in rows[k]):
                k += 1  # blank rows above the title (the frame's top margin)
            if k >= len(rows) - 1 or not _liftable([c.text for c in rows[k]]):
                break
            for c in rows[k]:
                if c.text.strip():
                    lifted.extend(Block("text", line, c.prov) for line in _lines(c.text))
            k += 1
        if lifted:
            rows = rows[k:]
            out.extend(lifted)
            text = "\n".join(" ".join(c.text for c in row if c.text) for row in rows)
            out.append(Block("grid", text, b.prov, b.level, b.cells, rows))
        else:
            out.append(b)
    return out
