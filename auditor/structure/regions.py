"""Find the standard tables in the block stream: by printed title (lexicons/tables.toml), label hint, and content.

A region is the run of blocks from a table's title to the next title or narrative heading. A title that is only an
entry of a table of contents (no figures follow it) is not a table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import regex as re

from ..lexicons import TableDef, table_def, table_defs
from ..model import Block, Provenance
from .tokens import squash

_YEAR_PREFIX = re.compile(r"^(?:\d{4}年(?:度)?)")
_LEAD_NUM = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[-•·]|附件\d*[：:]?)")
_LABEL = re.compile(r"(公开|预算)(\d{1,2})表")
_UNIT = re.compile(r"单位[：:]\s*(万元|元|亿元|千元)")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
_NARRATIVE_HEAD = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]).*(?:情况说明|说明|情况|分析)$")
_NOTE = re.compile(r"^(?:注|说明|备注)\s*[：:\d]")
_NO_DATA = re.compile(r"本表无数据|本表为空|无相关数据|故本表为空表|本表无")
_HAS_FIGURE = re.compile(r"\d+\.\d+|\d{2,}")


@dataclass
class Region:
    tdef: TableDef
    start: int                    # block index of the title
    end: int                      # index past the last block
    printed_title: str
    prov: Provenance
    label: Optional[str] = None
    unit: str = "万元"
    notes: list[tuple[str, Provenance]] = field(default_factory=list)
    no_data: Optional[Provenance] = None
    body: list[int] = field(default_factory=list)   # block indexes of table lines (no title/meta/notes)
    head: int = 1                 # title lines (2 when the title wraps onto a second line)


def _title_key(text: str) -> str:
    t = squash(text)
    t = _LEAD_NUM.sub("", t)
    t = _YEAR_PREFIX.sub("", t)
    return t


_TITLE_INDEX: dict[str, str] = {}


def _titles() -> dict[str, str]:
    if not _TITLE_INDEX:
        for d in table_defs():
            for t in d.titles:
                _TITLE_INDEX[squash(t)] = d.id
    return _TITLE_INDEX


def match_title(text: str) -> Optional[TableDef]:
    """The table a printed title names, or None. Exact after normalisation; else a short line ending in a title."""
    if len(text) > 80:
        return None
    key = _title_key(text)
    idx = _titles()
    if key in idx:
        return table_def(idx[key])
    if "：" in key or ":" in key or key.endswith("说明"):
        return None
    best = None
    for title, tid in idx.items():
        if len(title) >= 5 and key.endswith(title) and len(key) <= len(title) + 40:
            if best is None or len(title) > len(best[0]):
                best = (title, tid)
    if best:
        return table_def(best[1])
    # a title wrapped after its first characters ("...2025年机关（机构）运行经费" + next line)
    return None


def block_text(b: Block) -> str:
    if b.kind == "row" and b.cells is not None:
        return " ".join(c for c in b.cells if c)
    return b.text


def _is_boundary(b: Block) -> bool:
    t = squash(block_text(b))
    if _PART.match(t):
        return True
    if b.kind in ("heading", "text") and _NARRATIVE_HEAD.match(t) and len(t) < 40:
        return True
    return False


def find_regions(blocks: list[Block]) -> list[Region]:
    titles: list[tuple[int, TableDef, int]] = []
    skip_next = False
    for i, b in enumerate(blocks):
        if skip_next:
            skip_next = False
            continue
        text = _title_line(b)
        if text is None:
            continue
        d = match_title(text)
        if d is None:
            d = _wrapped_title(text, blocks[i + 1] if i + 1 < len(blocks) else None)
            skip_next = d is not None
        if d is not None:
            titles.append((i, d, 2 if skip_next else 1))
    regions: list[Region] = []
    for n, (i, d, head) in enumerate(titles):
        stop = titles[n + 1][0] if n + 1 < len(titles) else len(blocks)
        end = i + head
        while end < stop and not _is_boundary(blocks[end]):
            end += 1
        printed = "".join(blocks[k].text.strip() for k in range(i, i + head))
        reg = Region(d, i, end, printed, blocks[i].prov, head=head)
        for k in (i - 1, i - 2):  # a label printed just above the title
            if k >= 0 and blocks[k].kind != "grid":
                m = _LABEL.search(squash(block_text(blocks[k])))
                if m and len(squash(block_text(blocks[k]))) <= 12:
                    reg.label = m.group(2).zfill(2)
                    break
        _fill(reg, blocks)
        if reg.body:
            regions.append(reg)
    return _dedupe(regions)


def _title_line(b: Block) -> Optional[str]:
    """The text of a block that could be a title line: a text/heading line or a one-cell row."""
    if b.kind == "grid":
        return None
    cells = [c for c in (b.cells or []) if c] if b.kind == "row" else None
    if cells is not None and len(cells) != 1:
        return None
    return cells[0] if cells else b.text


def _wrapped_title(text: str, nxt: Optional[Block]) -> Optional[TableDef]:
    """A title printed over two short lines ("上海市XX局2024年度一般公共预算财政拨款基本支出" + "决算表"): the joined
    lines name a table that the second line alone does not."""
    t = squash(text)
    if nxt is None or not t or len(t) > 60 or t[-1] in "。；;：:，," or _HAS_FIGURE.search(_YEAR_ANY.sub("", t)):
        return None
    second = _title_line(nxt)
    if second is None or not squash(second) or len(squash(second)) > 40:
        return None
    d = match_title(t + squash(second))
    alone = match_title(second)
    if d is None or (alone is not None and alone.id == d.id):
        return None
    return d


_YEAR_ANY = re.compile(r"\d{4}年度?")


def _dedupe(regions: list[Region]) -> list[Region]:
    """Keep one region per table id (the first with a body); a later duplicate title continues the same table."""
    seen: dict[str, Region] = {}
    out = []
    for r in regions:
        if r.tdef.id in seen:
            prev = seen[r.tdef.id]
            prev.body.extend(r.body)
            prev.notes.extend(r.notes)
            prev.no_data = prev.no_data or r.no_data
            continue
        seen[r.tdef.id] = r
        out.append(r)
    return out


def _fill(reg: Region, blocks: list[Block]) -> None:
    """Label, unit, notes and the body lines of a region; body stays empty when no figure follows the title."""
    in_note = False
    has_figure = False
    for j in range(reg.start + reg.head, reg.end):
        b = blocks[j]
        text = block_text(b)
        t = squash(text)
        m = _LABEL.search(t)
        if m and len(t) <= 12:
            if reg.label is not None and reg.label != m.group(2).zfill(2):
                break  # the next table's label, printed above its title
            reg.label = m.group(2).zfill(2)
            continue
        u = _UNIT.search(t)
        if u:
            reg.unit = u.group(1)
        if b.kind != "grid" and (_NOTE.match(t) or in_note):
            # a note runs on over its wrapped lines until a line that looks like a table row again
            if _NOTE.match(t) or (in_note and not _HAS_FIGURE.search(t)):
                in_note = True
                reg.notes.append((text.strip(), b.prov))
                if _NO_DATA.search(t):
                    reg.no_data = b.prov
                continue
            in_note = False
        if _is_meta(t):
            continue
        reg.body.append(j)
        if b.kind == "grid" or _HAS_FIGURE.search(text):
            has_figure = True
    if not has_figure:
        # a table printed without any figure is still a table when it has rows or a 合计 line; a bare title
        # (a table-of-contents entry) is not
        if not any(blocks[j].kind in ("row", "grid") or "合计" in blocks[j].text for j in reg.body) \
                and not reg.no_data:
            reg.body = []


_META = re.compile(r"^-\s*\d{1,3}\s*-$|^第\d+页(?:共\d+页)?$|^(?:部门名称|部门|单位名称|编制单位|填报单位)[：:]|^\d{4}年度?$|^单位[：:]|^（\d{4}年度?）$|^金额单位")


def _is_meta(t: str) -> bool:
    if _META.match(t):
        return True
    return bool(_UNIT.search(t)) and len(t) < 60 and not re.search(r"\d+\.\d\d", t)
