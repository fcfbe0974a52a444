"""The document's identity, read once: department (full name and the short forms it may use for itself), year, kind
(预算 / 决算) and scope (部门 / 单位), from the title page first, then the part and table headings, then the body's
"YYYY年度部门决算" phrases, then the file name -- never simply the first year-like number.

`read_identity(blocks, path)` works on the blocks alone (a multi-file disclosure -- a narrative file and a tables file
-- can be grouped by `Identity.group_key` before any structure is built); `identify(doc)` sets `Document.department`,
`.year`, `.kind` and keeps the whole `Identity` for the rules (`identity(doc)`)."""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .. import rx as re

from ..lexicons import pattern
from ..model import Block, Document, Provenance

_DEPT = re.compile(r"(?:部门名称|单位名称|部门|单位)[：:]\s*([^\s：:]{4,40}?)(?=\s|$|\d{4}\s*年|单位[：:])")
_TITLE = re.compile(r"^(.{4,40}?)\s*(\d{4})\s*年度?\s*部门(决算|预算)")
_YEAR_KIND = re.compile(r"(\d{4})\s*年度?\s*(?:部门)?(决算|预算)")
_PART_PREFIX = re.compile(r"^第[一二三四五六七八九十]+部分\s*")
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[：:]?\s*")

# a title: "[YEAR年度] NAME [(本级)] [YEAR年度] 部门|单位 预算|决算 [公开]" (spaces removed first)
_COVER = re.compile(r"(?:(?P<y1>(?:19|20)\d{2})年度?)?(?P<dept>[\p{Han}（）()“”、]{3,60}?)(?:(?P<y2>(?:19|20)\d{2})年度?)?"
                    r"(?P<scope>部门|单位)(?P<kind>预算|决算)(?!执行|调整|数|单位)")
# a heading's own year: "2026年度部门预算表", "第三部分 2024年度部门决算情况说明"; never "比2025年预算", "2025年预算执行"
_HEAD_YEAR = re.compile(r"(?<![比较与同对上])((?:19|20)\d{2})年度?(?:部门|单位)?(预算|决算)(?!执行|调整|数)")
# lines of a cover that are not its title: review signatures, the publication date, a 目录
_COVER_NOISE = re.compile(r"^(?:[初复终]审|审核|编制|日期|联系|电话)[：:]|^(?:(?:19|20)\d{2}|[〇零一二三四五六七八九]{4})年"
                          r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}日)?$|^[.．·\-—\d\s]*$")
_ADMIN_END = re.compile(r"(?<=[省市区县州盟旗])(?=[\p{Han}])")


def normalise_department(name: str) -> str:
    """A key that links the same department across years and between its 预算 and 决算 documents: full-width and
    half-width forms alike (NFKC), no spaces or quotes, without a trailing (本级) / 本级 / 机关 / 本部 / 部门."""
    n = unicodedata.normalize("NFKC", name or "")
    n = pattern(r"[\s\"'“”‘’]+").sub("", n)
    prev = None
    while prev != n:
        prev, n = n, pattern(r"\(本级\)$|本级$|机关$|本部$|部门$").sub("", n)
    return n


@dataclass(frozen=True)
class Identity:
    department: Optional[str]          # full name as the title prints it ("泉州市公安局（本级）")
    short_names: tuple[str, ...]       # the forms the document may use for itself (without 本级, 中共, the province...)
    year: Optional[int]
    kind: Optional[str]                # "预算" | "决算"
    scope: Optional[str]               # "部门" | "单位" (a 单位预算 is one unit's own budget, 本级)
    source: str                        # where the year came from: title | heading | text | filename | none
    prov: Optional[Provenance] = None  # where the title (or the heading giving the year) was read

    @property
    def key(self) -> Optional[str]:
        return normalise_department(self.department) if self.department else None

    @property
    def group_key(self) -> tuple:
        """Files of one disclosure (a 文本 and a 表格 file) share this key: department key, year, kind, scope."""
        return (self.key, self.year, self.kind, self.scope)

    def same_disclosure(self, other: "Identity") -> bool:
        """Whether two files are parts of one disclosure (a 文本 and a 表格 file): same year, kind and scope where
        both say, and one's department is the other's, in full or abbreviated, when both name one."""
        for a, b in ((self.year, other.year), (self.kind, other.kind), (self.scope, other.scope)):
            if a is not None and b is not None and a != b:
                return False
        if self.year is None or other.year is None:
            return False
        if not self.department or not other.department:
            return True
        return self.names(other.department) or other.names(self.department)

    def names(self, name: str) -> bool:
        """Whether ``name`` (a body named in a heading) is this document's own body, in full or a short form."""
        n = _PART_PREFIX.sub("", normalise_department(name))
        if not n or not self.key:
            return True   # nothing to compare with
        if any(n == normalise_department(s) for s in self.short_names) or self.key.endswith(n) or n.endswith(self.key):
            return True
        # an abbreviation keeps the full name's characters in order (省检察院 for 江苏省人民检察院) and its
        # administrative level: 上海市规划资源局 or 市规划资源局 in a 普陀区 document names the city's bureau
        it = iter(self.key)
        if not all(ch in it for ch in n):
            return False
        mine, theirs = _divisions(self.key), _divisions(n)
        # 佛山顺德区 for 佛山市顺德区: the same lowest division, written without the city's 市
        return len(theirs) >= len(mine) or not theirs or bool(mine) and theirs[-1].endswith(mine[-1])


def _divisions(name: str) -> list[str]:
    """The leading administrative divisions of a name: 中共上海市普陀区委社会工作部 -> [中共上海市, 普陀区]."""
    out = []
    for m in pattern(r"\G[\p{Han}]{0,6}?[省市区县州盟旗]").finditer(name):
        if m.group(0).endswith(("城市", "社区", "园区", "景区", "小区")):
            break                    # a word of the body's own name (城市管理局), not a division
        out.append(m.group(0))
    return out


def short_names(department: Optional[str]) -> tuple[str, ...]:
    """The full name, without (本级), without a leading 中共, and each tail that starts after an administrative
    division (上海市普陀区财政局 -> 普陀区财政局, 财政局)."""
    if not department:
        return ()
    base = normalise_department(department)
    out = [department, base]
    if base.startswith("中共"):
        out.append(base[2:])
    for m in _ADMIN_END.finditer(base):
        if len(base) - m.start() >= 2:
            out.append(base[m.start():])
    return tuple(dict.fromkeys(x for x in out if x))


def _line(b: Block) -> str:
    return b.text if b.kind != "row" else " ".join(c for c in (b.cells or []) if c)


def _cover_lines(blocks: list[Block]) -> list[Block]:
    """The title page: the first page of a paginated source; the lines before the 目录 / first part of a text one."""
    out = []
    first = blocks[0].prov.page if blocks else None
    for b in blocks[:40]:
        if first is not None and b.prov.page != first:
            break
        t = pattern(r"\s+").sub("", _line(b))
        if first is None and (t.startswith(("#目录", "目录")) or t in ("目录", "#目录") or len(out) >= 12):
            break
        if b.kind in ("text", "heading") and t:
            out.append(b)
    return out


def _from_cover(blocks: list[Block]):
    lines = [b for b in _cover_lines(blocks) if not _COVER_NOISE.search(pattern(r"\s+").sub("", b.text.lstrip("# ")))]
    text = "".join(pattern(r"[\s#*]+").sub("", b.text) for b in lines)
    if not text or len(text) > 160:
        return None
    m = _COVER.search(text)
    if not m or not (m.group("y1") or m.group("y2")):
        return None
    dept = _PART_PREFIX.sub("", m.group("dept")).strip("“”")
    dept = pattern(r"^(?:年度|年)").sub("", dept)
    return dept or None, int(m.group("y1") or m.group("y2")), m.group("kind"), m.group("scope"), lines[0].prov


def _from_headings(blocks: list[Block]):
    """The year and kind most headings give ("第二部分 2026年度部门预算表"), with the first such heading."""
    years: Counter = Counter()
    first: dict = {}
    for b in blocks[:6000]:
        t = pattern(r"\s+").sub("", _line(b))
        if not t or len(t) > 50 or "。" in t or "，" in t:
            continue
        for m in _HEAD_YEAR.finditer(t):
            k = (int(m.group(1)), m.group(2))
            years[k] += 1
            first.setdefault(k, b.prov)
    if not years:
        return None
    (y, kind), _ = max(years.items(), key=lambda kv: (kv[1], -list(first).index(kv[0])))
    return y, kind, first[(y, kind)]


def _from_filename(path: Optional[str]):
    if not path:
        return None
    m = pattern(r"((?:19|20)\d{2})年度?.*?(预算|决算)|(预算|决算|yusuan|juesuan)[-_a-z]*?_((?:19|20)\d{2})").search(
        Path(path).name)
    if not m:
        return None
    if m.group(1):
        return int(m.group(1)), m.group(2)
    return int(m.group(4)), {"yusuan": "预算", "juesuan": "决算"}.get(m.group(3), m.group(3))


def _departments(blocks: list[Block]) -> Counter:
    depts: Counter = Counter()
    for b in blocks[:4000]:
        t = _ATTACHMENT.sub("", _PART_PREFIX.sub("", _line(b).strip()))
        if not t or len(t) > 120:
            continue
        m = _TITLE.match(t)
        if m:
            depts[m.group(1)] += 3
        for m in _DEPT.finditer(t):
            depts[m.group(1)] += 1
    return depts


def read_identity(blocks: list[Block], path: Optional[str] = None, table_kind: Optional[str] = None) -> Identity:
    """The identity of a document from its blocks (``table_kind``: the family of its recognised tables, if any)."""
    path = path or (blocks[0].prov.path if blocks else None)
    dept = year = kind = scope = prov = None
    source = "none"
    cover = _from_cover(blocks)
    if cover:
        dept, year, kind, scope, prov = cover
        source = "title"
    if year is None:
        h = _from_headings(blocks)
        if h:
            year, kind, prov = h
            source = "heading"
    if year is None:
        years: Counter = Counter()
        for b in blocks[:4000]:
            t = _line(b)
            if len(t) <= 120:
                years.update((int(m.group(1)), m.group(2)) for m in _YEAR_KIND.finditer(t))
        if years:
            (year, kind), _ = years.most_common(1)[0]
            source = "text"
    if year is None:
        f = _from_filename(path)
        if f:
            year, kind = f
            source = "filename"
    if dept is None:
        depts = _departments(blocks)
        dept = depts.most_common(1)[0][0] if depts else None
    kind = table_kind or kind
    if scope is None and dept and pattern(r"[（(]本级[)）]$").search(dept):
        scope = "单位"
    if scope is None and kind:
        flat = "".join(pattern(r"\s+").sub("", _line(b)) for b in blocks[:300] if len(_line(b)) <= 60)
        n_unit, n_dept = flat.count("单位" + kind), flat.count("部门" + kind)
        scope = "单位" if n_unit > n_dept else ("部门" if n_dept else None)
    return Identity(dept, short_names(dept), year, kind, scope, source, prov)


def identify(doc: Document) -> Identity:
    fam = Counter(t.family for t in doc.tables if t.family in ("决算", "预算"))
    ident = read_identity(doc.blocks, doc.source.path, fam.most_common(1)[0][0] if fam else None)
    doc.department, doc.year, doc.kind = ident.department, ident.year, ident.kind
    doc.__dict__["_identity"] = ident
    return ident


def identity(doc: Document) -> Identity:
    """The identity read by `identify` (read now for a Document built otherwise)."""
    got = doc.__dict__.get("_identity")
    if got is None or got.year != doc.year or got.kind != doc.kind:
        got = identify(doc) if got is None else Identity(doc.department, short_names(doc.department), doc.year,
                                                         doc.kind, got.scope, got.source, got.prov)
    return got
