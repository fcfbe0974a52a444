"""The document's identity: department, year and kind (决算 / 预算), read from its own text."""
from __future__ import annotations

import unicodedata
from collections import Counter

import regex as re

from ..model import Document

_DEPT = re.compile(r"(?:部门名称|单位名称|部门|单位)[：:]\s*([^\s：:]{4,40}?)(?=\s|$|\d{4}\s*年|单位[：:])")
_TITLE = re.compile(r"^(.{4,40}?)\s*(\d{4})\s*年度?\s*部门(决算|预算)")
_YEAR_KIND = re.compile(r"(\d{4})\s*年度?\s*(?:部门)?(决算|预算)")
_PART_PREFIX = re.compile(r"^第[一二三四五六七八九十]+部分\s*")


def normalise_department(name: str) -> str:
    """A key that links the same department across years and between its 预算 and 决算 documents: full-width and
    half-width forms alike (NFKC), no spaces or quotes, without a trailing (本级) / 本级 / 机关 / 本部 / 部门."""
    n = unicodedata.normalize("NFKC", name or "")
    n = re.sub(r"[\s\"'“”‘’]+", "", n)
    prev = None
    while prev != n:
        prev, n = n, re.sub(r"\(本级\)$|本级$|机关$|本部$|部门$", "", n)
    return n


def identify(doc: Document) -> None:
    depts: Counter = Counter()
    years: Counter = Counter()
    kinds: Counter = Counter()
    cover = _cover(doc)
    m = _TITLE.match(cover) if cover else None
    if m:
        depts[m.group(1)] += 5
    for b in doc.blocks[:4000]:
        text = b.text if b.kind != "row" else " ".join(c for c in (b.cells or []) if c)
        t = _PART_PREFIX.sub("", text.strip())
        if not t or len(t) > 120:
            continue
        m = _TITLE.match(t)
        if m:
            depts[m.group(1)] += 3
        for m in _DEPT.finditer(t):
            depts[m.group(1)] += 1
        for m in _YEAR_KIND.finditer(t):
            years[int(m.group(1))] += 1
            kinds[m.group(2)] += 1
    fam = Counter(t.family for t in doc.tables if t.family in ("决算", "预算"))
    if fam:
        doc.kind = fam.most_common(1)[0][0]
    elif kinds:
        doc.kind = kinds.most_common(1)[0][0]
    if years:
        doc.year = years.most_common(1)[0][0]
    if depts:
        doc.department = depts.most_common(1)[0][0]


def _cover(doc: Document) -> str:
    """The cover page of a paginated source as one line: its title is often wrapped over two or three short lines
    ("中共上海市普陀区委" / "社会工作部2024年度" / "部门决算")."""
    lines = []
    for b in doc.blocks[:12]:
        if b.prov.page is None or b.prov.page != doc.blocks[0].prov.page or b.kind not in ("text", "heading"):
            break
        lines.append(b.text.strip())
    return "".join(lines) if 0 < len("".join(lines)) <= 80 else ""
