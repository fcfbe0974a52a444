"""The reviewer's checklist (R), order and completeness: the 目录 against the parts, sections and tables the text
prints (R04), and numbered sections, items and 名词解释 entries in sequence, none split around another (R05).
Both read the printed text (titles found in the lines), never whether table recognition succeeded."""
from __future__ import annotations

from bisect import bisect_right
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Callable, Optional

from .. import rx as re

from ..lexicons import pattern
from ..model import Document, Evidence
from ..structure.meta import identity
from .checklist_text import Line, lines
from .registry import finding, rule

_TOC = re.compile(r"^目录$")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")
# a table's own label before or after its title (公开10表：, 预算01表, 表一, 附表1, （预算表10）) and a note to the compiler
_LABEL = re.compile(r"^(?:(?:公开|预算|部门)?\d{1,2}表|表[一二三四五六七八九十\d]+|附表\d*)[：:、.．]?|[（(](?:预算|公开)?表\d{1,2}[)）]$")
_NOTE = re.compile(r"[（(]注[：:].*$|(?<=表)[（(][^（）()]{1,16}[)）]$")   # a note, or a qualifier after 表（经济科目）
_LEADER = re.compile(r"[.．·…\-—_]{3,}\s*\d*$|\s\d{1,3}$|(?<=[\p{Han}）)”])\d{1,3}$")
_NUMBER = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、])")
_YEAR = re.compile(r"(?:19|20)\d{2}年度?")
_COLUMNS = re.compile(r"(?:序号|编号)?(?:报表|表格)?(?:名称|内容)(?:页码|页次)?|序号|页码")
_CN = {c: i for i, c in enumerate("一二三四五六七八九", 1)}
_LOOSE = re.compile(r"情况说明|说明|情况|部门|单位|的|公开|本年|\d+$")  # what the loose core drops from the strict one
_LEADER_END = re.compile(r"[.．·…\-—_\s\d]")  # the last character of every text _LEADER matches in
_PUNCT = re.compile(r"[“”\"（）()：:、，\-]")


def _core(text: str, names: tuple[str, ...], loose: bool = True) -> str:
    """A title reduced to what the 目录 and the body share: no numbering, leader dots, page number, year, own name,
    nor the words the body often drops (情况说明, 说明, 情况, 部门, 的)."""
    t = text.lstrip("-*#>· ")
    # each reduction is tried only where it can apply (a line is reduced once per document: most have no note,
    # label or year): _LEADER's every match ends the text with a leader, a space or a digit, _NOTE's opens a
    # bracket, _LABEL's names a 表 and _YEAR's a 年
    if t and _LEADER_END.fullmatch(t[-1]):
        t = _LEADER.sub("", t)
    if "（" in t or "(" in t:
        t = _NOTE.sub("", t)
    t = _NUMBER.sub("", t)
    if "表" in t:
        t = _LABEL.sub("", t)
    if "年" in t:
        t = _YEAR.sub("", t)
    for n in _own_names(names):
        t = t.replace(n, "")
    t = _PUNCT.sub("", t)
    return _LOOSE.sub("", t) if loose else t


@lru_cache(maxsize=64)
def _own_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """The document's own names that _core drops, longest first."""
    return tuple(n for n in sorted(names, key=len, reverse=True) if len(n) >= 3)


def _lead(text: str) -> str:
    m = _NUMBER.match(text.lstrip("-*#>· "))
    return m.group(0) if m else ""


def _toc(ls: list[Line]) -> tuple[int, list[Line], int]:
    """(position of the 目录 line, its entries, position of the first body line)."""
    start = next((k for k, ln in enumerate(ls[:200]) if _TOC.match(ln.text)), None)
    if start is None:
        return -1, [], 0
    entries: list[Line] = []
    k = start + 1
    first_page = ls[start].prov.page
    while k < len(ls):
        ln = ls[k]
        if entries and k > start + 2 and _lead(ln.text) and (any(ln.text == e.text for e in entries) or _lead(
                ln.text) == _lead(entries[0].text)):
            break                           # the body starts again with the first entry (or its number)
        if first_page is not None and ln.prov.page not in (first_page, first_page + 1):
            break
        if entries and ln.prov.page != first_page and any(
                _core(ln.text, (), loose=False) == _core(e.text, (), loose=False) for e in entries):
            break                           # on the next page the body prints an entry's title (unnumbered)
        if _COLUMNS.fullmatch(ln.text):
            k += 1               # the 目录's column heads (序号 报表名称 页码), not an entry
            continue
        if not (_LEADER.search(ln.text) or _NUMBER.match(ln.text) or ln.text.endswith(("表", "说明", "解释", "附件"))
                or len(ln.text) <= 12 and not pattern(r"[，。；]").search(ln.text)):
            break                           # an entry is numbered, has leader dots, names a part, or wraps one
        if len(ln.text) > 60 or "。" in ln.text:
            break
        if pattern(r"[-—–\d第页共/]+").fullmatch(ln.text):
            k += 1               # a page number printed under the 目录
            continue
        if entries and not _lead(ln.text) and not _LEADER.search(entries[-1].text) and \
                ln.prov.page == entries[-1].prov.page and (
                entries[-1].text.count("（") > entries[-1].text.count("）") or len(ln.text) <= 12):
            prev = entries[-1]   # an entry wrapped onto a second line
            entries[-1] = Line(prev.index, prev.text + ln.text, prev.raw + ln.raw, prev.prov, prev.kind)
        else:
            entries.append(ln)
        k += 1
    return start, entries, k


# the 部门：… 单位：万元 line a ruled table's title cell may hold after the title
_GRID_META = re.compile(r"(?<=表)(?:部门|单位|编制单位|部门名称|单位名称|金额单位)[：:].*$")


def _with_grid_titles(doc: Document) -> list[Line]:
    """The text lines and, for ruled tables, the first cell of each of their first two rows (where a title printed
    inside the table's frame stands)."""
    out = lines(doc)
    for i, b in enumerate(doc.blocks):
        if b.kind == "grid" and b.grid:
            for row in b.grid[:2]:
                raw = row[0].text if row else ""
                if 0 < len(pattern(r"\s+").sub("", raw)) <= 2:   # a number or a mark in its own cell: the whole row
                    raw = "".join(c.text for c in row)      # ("1" | "、部门收支总表")
                t = _GRID_META.sub("", pattern(r"\s+").sub("", raw))
                if t:
                    out.append(Line(i, t, raw, row[0].prov, "grid"))
    return sorted(out, key=lambda ln: ln.index)


@rule("R04", "目录与正文不符", "error", """
目录列出的部分、章节和表格在正文中找不到（按印刷的标题文字查找，去掉编号、页码、年度和本单位名称后比较，不依赖表格识别），
或正文中的顺序与目录不同。缺少表格为错误；缺少章节或顺序不同为警告；目录所列表格多数都不在文字层中时（表格是图片）只作提示。
失败例：目录列出“十、本年国有资本经营预算支出明细表”，正文没有这张表。
通过例：目录的每一项都按顺序出现在正文中。""")
def toc_vs_body(doc: Document):
    toc = Toc(doc)
    if len(toc.entries) < 3:
        return
    tables = [e for e in toc.entries if toc.is_table(e)]
    # most of the listed tables absent from the text: they are printed as images, or in another file; unverifiable
    bulk = tables and sum(1 for e in tables if not toc.found(e)) * 2 > len(tables)
    last = toc.body
    for e in toc.entries:
        if len(_core(e.text, toc.names)) < 4:
            continue
        found = toc.found(e)
        if not found:
            sev = ("info" if bulk else "error") if toc.is_table(e) else "warning"
            note = "（目录所列表格多数不在本文件的文字层中：表格是图片或另册发布，无法核实）" if sev == "info" else ""
            yield finding("R04", sev, f"目录列出的“{e.raw[:40]}”在正文中找不到{note}", prov=e.prov,
                          evidence=[Evidence(prov=e.prov, text=e.raw)])
            continue
        exact = toc.exact(e)
        if not exact:
            if _PART.match(e.text) and not any(_PART.match(toc.lines[k].text) or k > 0 and _PART.fullmatch(
                    toc.lines[k - 1].text) for k in found):
                ln = toc.lines[found[0]]
                yield finding("R04", "warning", f"目录中的“{e.raw[:40]}”在正文中印作“{ln.raw[:40]}”，缺少部分编号",
                              prov=ln.prov, evidence=[Evidence(prov=e.prov, text=e.raw), Evidence(prov=ln.prov, text=ln.raw)])
            continue
        if toc.lines[exact[0]].prov.path != toc.path:
            continue   # printed in another file of the disclosure (its tables file): the files have no order
        after = [k for k in exact if k >= last]
        if not after:
            ln = toc.lines[exact[0]]
            yield finding("R04", "warning", f"“{e.raw[:40]}”在正文中的位置（{ln.prov.where()}）与目录顺序不符，"
                          f"出现在目录中它之前的一项之前", prov=ln.prov,
                          evidence=[Evidence(prov=e.prov, text=e.raw), Evidence(prov=ln.prov, text=ln.raw)])
            continue
        last = after[0]


class Toc:
    """The 目录 of a document and where the body prints each entry's title."""

    def __init__(self, doc: Document):
        self.lines = _with_grid_titles(doc)
        start, self.entries, self.body = _toc(self.lines)
        self.path = self.lines[start].prov.path if start >= 0 else None
        self.names = identity(doc).short_names
        self._found: dict[str, list[int]] = {}
        self._index: Optional[_BodyIndex] = None  # the lines reduced and indexed when an entry is first looked for

    def _reduced(self) -> "_BodyIndex":
        """The lines' reductions (strict and loose cores, a line with the next) and their index, taken once: a
        document whose 目录 R04 does not check (fewer than 3 entries) never pays for them."""
        if self._index is None:
            self.strict = [_core(ln.text, self.names, loose=False) for ln in self.lines]
            self.loose = [_LOOSE.sub("", t) for t in self.strict]  # = _core(text, names), one reduction shared
            # a title wrapped over two lines is found in the pair
            self.pairs = [a + b for a, b in zip(self.loose, self.loose[1:] + [""])]
            self.lens, self.pair_lens = [len(t) for t in self.loose], [len(t) for t in self.pairs]
            self._index = _BodyIndex(self.strict, self.loose, self.pairs, self.body)
        return self._index

    def is_table(self, e: Line) -> bool:
        return _core(e.text, self.names).endswith("表")

    def exact(self, e: Line) -> list[int]:
        """Body lines whose strict core is the entry's, in order."""
        return list(self._reduced().by_strict.get(_core(e.text, self.names, loose=False), ()))

    def found(self, e: Line) -> list[int]:
        """Body lines printing the entry's title, exactly or nearly (a table's title must itself name a 表)."""
        if e.text not in self._found:
            self._found[e.text] = self._find(e)
        return self._found[e.text]

    def _find(self, e: Line) -> list[int]:
        strict = _core(e.text, self.names, loose=False)
        loose, table = _LOOSE.sub("", strict), self.is_table(e)
        candidates = self._reduced().candidates(strict, loose)
        if candidates is None:  # the index cannot answer (an empty core): every body line
            similar, lens, pair_lens = _similar_to(loose), self.lens, self.pair_lens
            candidates = [k for k in range(self.body, len(self.lines)) if self.strict[k] == strict or
                          similar(self.loose[k], lens[k]) or similar(self.pairs[k], pair_lens[k])]
        out = []
        for k in candidates:
            if table and not self.strict[k].endswith("表") and not (self.strict[k] + (
                    self.strict[k + 1] if k + 1 < len(self.strict) else "")).endswith("表"):
                continue             # "收支总表情况说明" is the narrative about the table, not the table
            out.append(k)
        return out


_SEP = "\x00"


class _BodyIndex:
    """The body lines' reductions indexed for ``Toc._find``: the lines whose strict core equals an entry's, whose
    loose core (or that of the line and the next together) contains the entry's with at most 40 more characters
    (one substring search over all lines), or has a length at which it can read alike (``_similar_to``: only those
    lines are compared).  The same lines as comparing the entry with every body line, in the same order."""

    def __init__(self, strict: list[str], loose: list[str], pairs: list[str], body: int):
        self.body = body
        self.by_strict: dict[str, list[int]] = {}
        for k in range(body, len(strict)):
            self.by_strict.setdefault(strict[k], []).append(k)
        self.usable = not any(_SEP in t for t in pairs[body:])
        self.texts = [loose, pairs]
        self.joined = [_SEP.join(t[body:]) for t in self.texts]
        self.starts: list[list[int]] = []
        self.by_len: list[dict[int, list[int]]] = []
        for texts in self.texts:
            starts, pos, by_len = [], 0, {}
            for k in range(body, len(texts)):
                starts.append(pos)
                pos += len(texts[k]) + 1
                by_len.setdefault(len(texts[k]), []).append(k)
            self.starts.append(starts)
            self.by_len.append(by_len)

    def candidates(self, strict: str, a: str) -> Optional[list[int]]:
        if not a or not self.usable or _SEP in a:
            return None
        la = len(a)
        out = set(self.by_strict.get(strict, ()))
        sim = _sim_lengths(la)
        for texts, joined, starts, by_len in zip(self.texts, self.joined, self.starts, self.by_len):
            i = joined.find(a)
            while i >= 0:  # each line containing ``a``, once
                j = bisect_right(starts, i) - 1
                k = self.body + j
                if la <= len(texts[k]) <= la + 40:
                    out.add(k)
                i = joined.find(a, starts[j + 1]) if j + 1 < len(starts) else -1
            alike = _alike_to(a)
            for lb in sim:
                for k in by_len.get(lb, ()):
                    if k not in out and alike(texts[k]):
                        out.add(k)
        return sorted(out)


@lru_cache(maxsize=4096)
def _charset(s: str) -> frozenset:
    return frozenset(s)


@lru_cache(maxsize=256)
def _sim_lengths(la: int) -> frozenset:
    """The lengths of ``b`` at which ``b`` can read as ``a`` (of length ``la``) without containing it: at most 12
    apart, and the same or close enough for SequenceMatcher's ratio to reach 0.8 (its real_quick_ratio, the same
    expression)."""
    return frozenset(lb for lb in range(max(la - 12, 0), la + 13)
                     if lb == la or 2.0 * min(la, lb) / (la + lb) >= 0.8)


def _similar_to(a: str) -> Callable[[str, int], bool]:
    """Whether a body line's core ``b`` (of length ``lb``) prints the 目录 entry's core ``a``: it contains it with
    at most 40 more characters, or its length is one of ``_sim_lengths`` and it reads alike (``_alike_to``).  Most
    lines are decided by their length alone (a 目录 entry is compared with every body line)."""
    la = len(a)
    sim, top, alike = _sim_lengths(la), la + 40, _alike_to(a)

    def similar(b: str, lb: int) -> bool:
        return la <= lb <= top and a in b or lb in sim and alike(b)
    return similar


def _alike_to(a: str) -> Callable[[str], bool]:
    """Whether ``b``, of a length in ``_sim_lengths(len(a))``, reads as ``a``: the same words in another order
    (政府性基金财政拨款 / 财政拨款政府性基金), or most characters shared and SequenceMatcher's ratio at least 0.8.
    What depends on ``a`` alone is computed once (an entry is compared with many lines)."""
    la, ordered, sa = len(a), sorted(a), _charset(a)
    need = 0.6 * len(sa)

    def alike(b: str) -> bool:
        if len(b) == la and sorted(b) == ordered:
            return True
        if len(b) < 4 or len(sa & _charset(b)) < need:
            return False
        m = SequenceMatcher(None, a, b)
        return m.quick_ratio() >= 0.8 and m.ratio() >= 0.8
    return alike


# "八、九年级" lists two numerals, it is not item 八
_STYLES = [("一、", re.compile(r"^([一二三四五六七八九十]+)、(?![一二三四五六七八九十]+[、年])")),
           ("（一）", re.compile(r"^[（(]([一二三四五六七八九十]+)[)）]")), ("1.", re.compile(r"^(\d{1,2})[.．、](?!\d)")),
           ("（1）", re.compile(r"^[（(](\d{1,2})[)）]"))]


def _num(n: str) -> Optional[int]:
    if n.isdigit():
        return int(n)
    if n == "十":
        return 10
    if "十" in n:
        a, _, b = n.partition("十")
        return (_CN.get(a, 1) * 10) + _CN.get(b, 0)
    return _CN.get(n)


_NEW_DOC = re.compile(r"(?:报告|附件\d*|自评表|名词解释)$")
_MARK = {"部分": "第{}部分", "一、": "{}、", "（一）": "（{}）", "1.": "{}.", "（1）": "（{}）"}
_CN_DIGITS = "零一二三四五六七八九"


def _mark(style: str, n: int) -> str:
    if style in ("1.", "（1）"):
        return _MARK[style].format(n)
    cn = _CN_DIGITS[n] if n < 10 else ("十" + (_CN_DIGITS[n - 10] if n > 10 else "") if n < 20 else
                                         _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else ""))
    return _MARK[style].format(cn)


def _mid_line(scan: list[Line], last_ln: Line, pos: int, style: str, last: int, n: int) -> bool:
    k = next(k for k in range(pos, -1, -1) if scan[k] is last_ln)
    between = "".join(x.text for x in scan[k:pos]).replace("(", "（").replace(")", "）").replace("．", ".")
    return all(_mark(style, m) in between for m in range(last + 1, n))


def _numbered(ln: Line) -> Optional[tuple[str, int, str]]:
    for style, pat in _STYLES:
        m = pat.match(ln.text)
        if m and _num(m.group(1)) is not None:
            return style, _num(m.group(1)), ln.text[m.end():]
    return None


@rule("R05", "序号不连续或颠倒", "warning", """
章节与条目（一、二、……；（一）（二）……；1. 2. ……；（1）（2）……；名词解释的各条）应当依次编号：在同一上级条目之下，
跳号（“1.”之后是“3.”）、颠倒（“二”在“一”之前）、重复或被另一条隔开（“2.”……“3.”……“2.”）都报；上级条目换了，下级重新从
头编号；从1（一）重新开始的视为新的一组。同一标题换一种编号重印一次不算。只查情况说明等叙述部分，目录和表格中的编号不查。
失败例：“1.年度总体目标”之后直接是“3.年度部门整体预算绩效目标”。
通过例：“（一）……（二）……（三）”，下一节“二、”之下重新从“（一）”开始。""")
def numbering(doc: Document):
    ls = lines(doc)
    _, entries, body = _toc(ls)
    inside = {i for s, e in doc.table_regions for i in range(s, e)}
    narrative = set(doc.narrative)
    stack: list[tuple[str, int, Line]] = []     # (style, number, line), outermost first
    prev = None
    fresh: Optional[str] = None                  # a style whose next "1" opens a new level (after a repeated heading)
    scan = ls[body if entries else 0:]
    for pos, ln in enumerate(scan):
        if ln.index in inside or ln.index not in narrative:
            continue
        got = _numbered(ln)
        if got is None:
            if _NEW_DOC.search(ln.text) and len(ln.text) <= 30:
                stack.clear()                    # a new report inside the document (附件, 自评报告) numbers afresh
            continue
        style, n, title = got
        if prev is not None and title and title == prev[1] and style != prev[0]:
            fresh = prev[0]                      # the same heading printed again with another numbering
            continue
        prev = (style, title)
        levels = [k for k, (st, _, _) in enumerate(stack) if st == style]
        if not levels or (fresh == style and n == 1):
            stack.append((style, n, ln))
            fresh = None
            continue
        depth = next((k for k in reversed(levels) if stack[k][1] + 1 == n), levels[-1])
        _, last, last_ln = stack[depth]
        del stack[depth + 1:]
        stack[depth] = (style, n, ln)
        if n == last + 1 or n == 1:
            continue                             # a list starting again at 1 is a new list
        if n > last + 1 and _mid_line(scan, last_ln, pos, style, last, n):
            continue                             # the missing items start in the middle of a line
        what = "重复" if n == last else ("颠倒" if n < last else "跳号")
        yield finding("R05", "warning", f"序号{what}：“{last_ln.raw[:20]}”之后是“{ln.raw[:20]}”", prov=ln.prov,
                      evidence=[Evidence(prov=last_ln.prov, text=last_ln.raw), Evidence(prov=ln.prov, text=ln.raw)])
