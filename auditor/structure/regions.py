"""Find the standard tables in the block stream: by printed title (lexicons/tables.toml), label hint, and content.

A region is the run of blocks from a table's title to the next title or narrative heading. A title that is only an
entry of a table of contents (no figures follow it) is not a table, nor is a narrative heading naming a table's subject
("1.机关运行经费") that sentences follow.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .. import rx as re

from ..lexicons import TableDef, pattern, table_def, table_defs, title_rules
from ..model import Block, Provenance
from .tokens import squash

_YEAR_PREFIX = re.compile(r"^(?:\d{4}年(?:度)?)")
_LEAD_NUM = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|\d+[、.．]|[-•·]|附件\d*[：:]?)")
# a printed label before the title: 表1： 表9. 附表3 公开08表 预算01表 公开表三 预算表1
_LABEL_PREFIX = re.compile(r"^(?:附?表(?:[一二三四五六七八九十]+|\d+)(?:[-—]\d+)?(?:[：:.．、]|(?=\D))|(?:公开|预算)\d{1,2}表[：:]?"
                           r"|(?:公开|预算)表(?:[一二三四五六七八九十]+|\d+)[：:]?)")
# a note after the title: （功能科目） （经济科目） （按经济分类款级科目） （预算表 1） (预算表 9)
_TRAIL_NOTE = re.compile(r"[（(][^（）()]{1,16}[)）]$")
_NOT_TITLE = re.compile(r"[。，,；;：:]|[详参]见|见(?:附|表|下|第)|关于|说明")  # 会见室 is a name, 详见附表 no title
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
    suffix: str = ""              # "_2", "_3" … for a second table of the same id
    last: Optional[int] = None    # last page of the body


def _title_key(text: str) -> str:
    t = squash(text)
    t = _LEAD_NUM.sub("", t)
    t = _YEAR_PREFIX.sub("", t)
    return t


_TITLE_INDEX: dict[str, str] = {}
_SUFFIX_LENGTHS: list[int] = []  # the lengths of the titles of 5 characters or more, longest first
_SUFFIX_ENDS: set[str] = set()  # their last characters: a line ending otherwise ends in no title


def _titles() -> dict[str, str]:
    if not _TITLE_INDEX:
        for d in table_defs():
            for t in d.titles:
                _TITLE_INDEX[squash(t)] = d.id
        _SUFFIX_LENGTHS.extend(sorted({len(t) for t in _TITLE_INDEX if len(t) >= 5}, reverse=True))
        _SUFFIX_ENDS.update(t[-1] for t in _TITLE_INDEX if len(t) >= 5)
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
        return catalogue_title(text)
    for n in (_SUFFIX_LENGTHS if key[-1:] in _SUFFIX_ENDS else ()):
        # the longest title the key ends with (of 5 characters or more, at most 40 before it)
        if n > len(key):
            continue
        if len(key) > n + 40:
            break
        tid = idx.get(key[-n:])
        # a title not ending in 表 (机关运行经费) after a department name only: never the end of a sentence
        # "反映…2019年度一般公共预算机关运行经费"
        if tid is not None and (key[-n:].endswith("表") or not _HAS_FIGURE.search(key[:-n])):
            return table_def(tid)
    return catalogue_title(text)


def catalogue_title(text: str) -> Optional[TableDef]:
    """A short printed line ending in 表 classified by the words of the catalogue (lexicons/tables.toml title_rule)."""
    if "表" not in text:  # nothing below adds a 表: most lines are decided here
        return None
    t = squash(text)
    for _ in range(2):
        t = _LABEL_PREFIX.sub("", _LEAD_NUM.sub("", t))
    t = full = _YEAR_ANY.sub("", t)
    for _ in range(2):
        t = _TRAIL_NOTE.sub("", t)
    if not t.endswith("表") or len(t) > 50 or _NOT_TITLE.search(t):
        return None
    family = "决算" if "决算" in t else "预算"
    for rule in title_rules():  # the note after the title counts: （按经济分类科目）
        d = table_def(rule.id)
        if d.family == family and rule.matches(full):
            return d
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
        elif _heads_prose(text, blocks, i):
            continue  # "1.机关运行经费" over sentences: a narrative section on that subject, not the table
        if d is not None:
            titles.append((i, d, 2 if skip_next else 1))
    toc = toc_pages(blocks, titles)
    regions: list[Region] = []
    for n, (i, d, head) in enumerate(titles):
        if (blocks[i].prov.path, blocks[i].prov.page) in toc:
            continue  # an entry of the 目录, not the table
        stop = titles[n + 1][0] if n + 1 < len(titles) else len(blocks)
        end = i + head
        while end < stop and not _is_boundary(blocks[end]) and blocks[end].prov.path == blocks[i].prov.path:
            end += 1  # a table ends where its file ends (a disclosure joined from several files)
        printed = "".join(blocks[k].text.strip() for k in range(i, i + head))
        reg = Region(d, i, end, printed, blocks[i].prov, head=head)
        for k in (i - 1, i - 2):  # a label printed just above the title
            if k >= 0 and blocks[k].kind != "grid":
                m = _LABEL.search(squash(block_text(blocks[k])))
                if m and len(squash(block_text(blocks[k]))) <= 12:
                    reg.label = m.group(2).zfill(2)
                    break
        _fill(reg, blocks)
        reg.last = _last_page(reg, blocks)
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


def _heads_prose(text: str, blocks: list[Block], i: int) -> bool:
    """A title line naming only a table's subject (机关运行经费, no 表) that sentences follow, not a table: a narrative
    heading ("1.机关运行经费", "（三）机关运行经费") over a paragraph ending in 。 before any table row or note."""
    if "表" in _TRAIL_NOTE.sub("", _title_key(_LABEL_PREFIX.sub("", squash(text)))):
        return False
    seen = 0
    for j in range(i + 1, min(i + 12, len(blocks))):
        b = blocks[j]
        if b.kind in ("row", "grid") or b.prov.path != blocks[i].prov.path:
            return False
        t = squash(block_text(b))
        if not t or _is_meta(t) or _page_number(blocks, j, t):
            continue
        if _NOTE.match(t) or _NO_DATA.search(t) or match_title(t) is not None:
            return False  # an empty table's note, or the table's own title next
        seen += len(t)
        if t.endswith("。"):
            return seen >= 15
    return False


def _wrapped_title(text: str, nxt: Optional[Block]) -> Optional[TableDef]:
    """A title printed over two short lines ("上海市XX局2024年度一般公共预算财政拨款基本支出" + "决算表"): the joined
    lines name a table that the second line alone does not."""
    t = squash(text)
    # 公开09表, 2019年 and a leading unit code (301008_泉州市公安局…) are no figures
    bare = _UNIT_CODE.sub("", _LABEL_PREFIX.sub("", _YEAR_ANY.sub("", t)))
    if nxt is None or not t or len(t) > 60 or t[-1] in "。；;：:，," or _HAS_FIGURE.search(bare):
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
_UNIT_CODE = re.compile(r"^\d{3,}[_＿]")


def toc_pages(blocks: list[Block], titles: list[tuple[int, TableDef, int]]) -> set[tuple[str, int]]:
    """(file, page) of a 目录: the page printing 目录 and the pages after it that go on listing titles; or any page
    that lists four or more table titles and prints neither a grid nor a two-decimal figure (a list of the tables)."""
    per_page: dict[tuple[str, int], int] = {}
    for i, _, _ in titles:
        if blocks[i].prov.page is not None:
            key = (blocks[i].prov.path, blocks[i].prov.page)
            per_page[key] = per_page.get(key, 0) + 1
    figures: set[tuple[str, int]] = set()
    marked: set[tuple[str, int]] = set()
    for b in blocks:
        if b.prov.page is None:
            continue
        key = (b.prov.path, b.prov.page)
        if b.kind == "grid" or _DECIMAL.search(b.text):
            figures.add(key)
        elif squash(b.text) in ("目录", "目次"):
            marked.add(key)
    toc = {k for k, n in per_page.items() if n >= 4 and k not in figures}
    for path, p in sorted(marked):
        toc.add((path, p))
        while per_page.get((path, p + 1), 0) >= 1 and (path, p + 1) not in figures:
            p += 1
            toc.add((path, p))
    return toc


_DECIMAL = re.compile(r"\d\.\d\d")


def _last_page(reg: Region, blocks: list[Block]) -> Optional[int]:
    pages = [blocks[j].prov.page for j in reg.body if blocks[j].prov.page is not None]
    return max(pages) if pages else reg.prov.page


def _dedupe(regions: list[Region]) -> list[Region]:
    """One region per printed table. A later region with the same table id continues the earlier one when its title
    is the same printed title again on the next page (a title repeated on each page); any other later region of the
    same id is a table of its own (id suffix _2, _3 …), e.g. 财政拨款支出表 and 一般公共预算支出表, or one 绩效目标表 per
    project (ids whose definition says ``repeats``)."""
    seen: dict[str, Region] = {}
    count: dict[str, int] = {}
    out = []
    for r in regions:
        prev = seen.get(r.tdef.id)
        if prev is not None and not r.tdef.repeats and _continues(prev, r):
            prev.body.extend(r.body)
            prev.notes.extend(r.notes)
            prev.no_data = prev.no_data or r.no_data
            prev.last = r.last
            continue
        count[r.tdef.id] = count.get(r.tdef.id, 0) + 1
        if count[r.tdef.id] > 1:
            r.suffix = f"_{count[r.tdef.id]}"
        seen[r.tdef.id] = r
        out.append(r)
    return out


def _continues(prev: Region, r: Region) -> bool:
    if prev.prov.page is None or r.prov.page is None:
        return True  # a text source: the title printed again over a continued table
    same = _title_key(_LABEL_PREFIX.sub("", squash(prev.printed_title))) == \
        _title_key(_LABEL_PREFIX.sub("", squash(r.printed_title)))
    return same and r.prov.path == prev.prov.path and r.prov.page <= (prev.last or prev.prov.page) + 1


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
        if _is_meta_block(b, t) or _page_number(blocks, j, t):
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


def _page_number(blocks: list[Block], j: int, t: str) -> bool:
    """A bare 1-3 digit line closing its page: the printed page number."""
    b = blocks[j]
    return (b.kind != "grid" and b.prov.page is not None and t.isdigit() and len(t) <= 3
            and (j + 1 >= len(blocks) or blocks[j + 1].prov.page != b.prov.page))


def _is_meta_block(b: Block, t: str) -> bool:
    """A 部门/单位/page line; a grid only when each of its rows is one (a grid whose first row prints 部门：… 单位：万元
    above the table's own rows is the table)."""
    if b.kind != "grid" or not b.grid:
        return _is_meta(t)
    rows = [squash("".join(c.text for c in row)) for row in b.grid]
    return all(_is_meta(r) for r in rows if r)


def _is_meta(t: str) -> bool:
    if _META.match(t):
        return True
    return bool(_UNIT.search(t)) and len(t) < 60 and not pattern(r"\d+\.\d\d").search(t)
