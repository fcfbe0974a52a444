"""The section tree of a disclosure: parts (第一部分), sections (一、), subsections (（一）), items (1.), sub-items ((1)).

Which part is the narrative (情况说明), the tables, the 名词解释 or the annex is decided by content, not position.
"""
from __future__ import annotations

from typing import Optional

from .. import rx as re

from ..model import Block, Section
from .tokens import squash

_LEVELS = [
    (1, re.compile(r"^(第[一二三四五六七八九十]+部分)\s*(.*)$")),
    (2, re.compile(r"^([一二三四五六七八九十]+)、\s*(.*)$")),
    (3, re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]\s*(.*)$")),
    (4, re.compile(r"^(\d{1,2})[.．、](?!\d)\s*(.*)$")),
    (5, re.compile(r"^[（(](\d{1,2})[)）]\s*(.*)$")),
]
_PART_WORDS = [
    # a part title naming 说明 is the narrative: 情况说明, 预算说明, 部门预算公开说明, 决算编制说明 ...
    ("说明", re.compile(r"说明")),
    ("名词解释", re.compile(r"名词解释")),
    ("附件", re.compile(r"附件|自评报告|自评表|绩效自评")),
    ("表", re.compile(r"决算表|预算表|公开表")),
    ("概况", re.compile(r"概况|主要职[责能]|机构设置")),
]
_TITLE_TAIL = re.compile(r"^(?:情况)?说明$|^解释$|^(?:决算|预算)?表$|^概况$")
_UNNUMBERED_PART = re.compile(r"情况说明$|名词解释$|^附件|自评报告$|部门概况$|决算表$|预算表$")


def classify_part(title: str) -> Optional[str]:
    for part, pat in _PART_WORDS:
        if pat.search(title):
            return part
    return None


def heading_of(b: Block) -> Optional[tuple[int, Optional[str], str]]:
    """(level, number, title) when the block is a heading, else None."""
    if b.kind not in ("heading", "text"):
        return None
    t = b.text.strip()
    if not t:
        return None
    for level, pat in _LEVELS:
        m = pat.match(t)
        if m:
            if level in (2, 3, 5) and len(t) > 45 and b.kind != "heading":
                return None
            if level == 1:
                return 1, m.group(1), (m.group(1) + " " + m.group(2)).strip()
            return level, m.group(1), t
    if b.kind == "heading" and _UNNUMBERED_PART.search(squash(t)):
        return 1, None, t
    return None


def find_sections(blocks: list[Block], skip: list[tuple[int, int]]) -> list[Section]:
    """Sections over the blocks outside table regions (``skip`` = [(start, end)] block ranges)."""
    inside = set()
    for s, e in skip:
        inside.update(range(s, e))
    secs: list[Section] = []
    pending_part: Optional[Section] = None
    pending_tail: Optional[Section] = None
    for i, b in enumerate(blocks):
        if i in inside:
            continue
        h = heading_of(b)
        if h is None:
            # a bare "第三部分" takes the first following short line as its title
            if pending_part is not None and b.kind in ("heading", "text") and len(b.text.strip()) <= 40:
                pending_part.title = f"{pending_part.title} {b.text.strip()}"
                pending_part.part = classify_part(pending_part.title)
            elif pending_tail is not None and b.kind in ("heading", "text") and _TITLE_TAIL.match(b.text.strip()):
                # a part title wrapped onto a second line ("...2024年度部门决算情况" + "说明")
                pending_tail.title += b.text.strip()
                pending_tail.part = classify_part(pending_tail.title) or pending_tail.part
            pending_part = pending_tail = None
            continue
        level, number, title = h
        if pending_part is not None and level == 1 and number is None:
            pending_part.title = f"{pending_part.title} {title}"
            pending_part.part = classify_part(pending_part.title)
            pending_part = None
            continue
        pending_tail = None
        sec = Section(title=title, level=level, number=number, prov=b.prov, start=i + 1, end=len(blocks))
        if level == 1:
            sec.part = classify_part(title)
            pending_part = sec if squash(title) == squash(number or "") else None
            pending_tail = sec if pending_part is None else None
        else:
            pending_part = None
        secs.append(sec)
    # close each section at the next heading of the same or a higher level
    for k, s in enumerate(secs):
        for s2 in secs[k + 1:]:
            if s2.level <= s.level:
                s.end = s2.start - 1
                break
    # a part with no telling title takes its kind from its first child sections
    for s in secs:
        if s.level == 1 and s.part is None:
            kids = [c for c in secs if c.level > 1 and s.start <= c.start - 1 < s.end]
            for c in kids[:3]:
                p = classify_part(c.title)
                if p:
                    s.part = p
                    break
    return secs


def narrative_blocks(blocks: list[Block], sections: list[Section], skip: list[tuple[int, int]]) -> list[int]:
    """Indexes of the narrative blocks: outside tables, in parts classified 说明 or 附件 (or everywhere after the
    first 情况说明 section when the document prints no parts)."""
    inside = set()
    for s, e in skip:
        inside.update(range(s, e))
    parts = [s for s in sections if s.level == 1]
    wanted = [s for s in parts if s.part in ("说明", "附件")]
    # a part that holds nothing but headings is an entry of the table of contents (目录), not narrative
    real = [s for s in wanted if not _only_headings(blocks, s, inside)]
    if real:
        wanted = real
    if not wanted:
        first = next((s for s in sections if "情况说明" in s.title or "说明" in s.title), None)
        start = (first.start - 1) if first else 0
        return [i for i in range(start, len(blocks)) if i not in inside and blocks[i].kind in ("text", "heading", "row")]
    out = []
    for s in wanted:
        out.extend(i for i in range(s.start, s.end) if i not in inside and blocks[i].kind in ("text", "heading", "row"))
    return sorted(set(out))


def _only_headings(blocks: list[Block], sec: Section, inside: set[int]) -> bool:
    lines = [i for i in range(sec.start, sec.end) if i not in inside and blocks[i].kind in ("text", "heading")
             and blocks[i].text.strip()]
    title = squash(sec.title)
    return all(heading_of(blocks[i]) is not None or squash(blocks[i].text) in title for i in lines)
