"""Subject resolution: which quantity a figure is about, from the words before it, the same sentence, the enumerated
item header (…（类）…（款）…（项）), and the section (a bare 完成预算的41.63% in 九 "三公" is about 三公经费).

Terms come from lexicons/quantities.toml and from the document's own tables (类/款/项 and economic names). One word may
name several quantities ("专用设备": a count of 台（套） or an asset value in 万元); the claim's kind picks the one that fits.
"""
from __future__ import annotations

import re as stdre
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from .. import rx as re

from ..lexicons import load, pattern
from ..model import Document
from ..structure.tokens import norm_name

ITEM_HEADER = re.compile(r"([^\d。；，、.．]{2,30}?)[（(]类[)）]\s*(?:(.{2,40}?)[（(]款[)）])?\s*(?:(.{2,40}?)[（(]项[)）])?")


def item_header(text: str) -> Optional[re.Match]:
    """The enumerated item header of a text (…（类）…（款）…（项）), or None; a text without 类 is not searched (the
    lazy name before （类） is tried at every position)."""
    return ITEM_HEADER.search(text) if "类" in text else None


_OPEN, _CLOSE = "（(", "）)"
_CITED = re.compile(r"《[^《》]{1,60}》")


@dataclass
class Term:
    start: int
    end: int
    subjects: tuple[str, ...]
    text: str

    @property
    def subject(self) -> str:
        return self.subjects[0]


def count_units(subject: Optional[str]) -> Optional[list[str]]:
    """The measure words of a count quantity ("车辆数.其他用车" counts like "车辆数"), None for other quantities."""
    if not subject:
        return None
    counts = load("quantities")["counts"]
    return counts.get(subject) or counts.get(subject.split(".", 1)[0])


def is_score(subject: Optional[str]) -> bool:
    return subject in load("quantities")["scores"]["subjects"]


def fits(subject: Optional[str], kind: str, unit: Optional[str] = None) -> bool:
    """Can a claim of this kind (and measure word) be about this quantity?"""
    if not subject:
        return False
    units = count_units(subject)
    if kind == "count":
        return units is not None and (unit is None or unit in units)
    if kind == "score":
        return is_score(subject)
    if kind in ("completion", "rate", "comparison", "no_data"):
        return not is_score(subject)
    return units is None and not is_score(subject)


def paren_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of the bracketed asides of a text: "设备（不含车辆）" -> the span of （不含车辆）."""
    spans, stack = [], []
    for i, ch in enumerate(text):
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE and stack:
            spans.append((stack.pop(), i))
    return spans




_ECON_WORDS = (("商品服务支出", "econ:302"), ("对个人和家庭补助支出", "econ:303"), ("对个人和家庭的补助支出", "econ:303"))


def _class_words(name: str) -> list[str]:
    """The words a 类 is named by in a narrative: "一般公共服务支出", "一般公共服务（类）"."""
    return [name, name[:-2] + "（类）", name[:-2] + "(类)"] if name.endswith("支出") else [name]


@lru_cache(maxsize=1)
def _static_words() -> frozenset:
    """The words every document's index holds: the lexicon's subjects, its 类 names and the fixed economic names."""
    lex = load("quantities")
    return frozenset([w for words in lex["subjects"].values() for w in words]
                     + [w for name in lex["functional_classes"].values() if len(name) >= 4 for w in _class_words(name)]
                     + [w for w, _ in _ECON_WORDS])


@lru_cache(maxsize=64)
def _alternation(words: frozenset) -> stdre.Pattern:
    """One alternation of literal words, the longest first (so the longest word at a position is the match); the
    standard library's re compiles and scans such an alternation several times faster than regex."""
    return stdre.compile("|".join(stdre.escape(w) for w in sorted(words, key=lambda w: (-len(w), w))))


class TermIndex:
    def __init__(self, doc: Document):
        self.kind = doc.kind or "决算"
        self.terms: dict[str, list[str]] = {}
        lex = load("quantities")
        for subject, words in lex["subjects"].items():
            for w in words:
                self._add(w, subject)
        self.func_names: dict[str, list[str]] = {}
        for tid in ("J05", "J03", "Y05", "Y03", "J02"):
            t = doc.table(tid)
            if t is None:
                continue
            for r in t.rows:
                if r.code and r.name:
                    self.func_names.setdefault(r.name, [])
                    if r.code not in self.func_names[r.name]:
                        self.func_names[r.name].append(r.code)
        for code, name in lex["functional_classes"].items():
            self.func_names.setdefault(name, [])
            if not any(len(c) == 3 for c in self.func_names[name]):
                self.func_names[name].append(code)
        for name, codes in self.func_names.items():
            classes = [c for c in codes if len(c) == 3]
            if classes and len(name) >= 4:
                for w in _class_words(name):
                    self._add(w, f"func:{classes[0]}")
        econ = doc.table("J06") or doc.table("Y06")
        if econ is not None:
            for r in econ.rows:
                if r.code and r.name and len(r.code) == 3 and len(r.name) >= 4:
                    self._add(r.name, f"econ:{r.code}")
        for w, subject in _ECON_WORDS:
            self._add(w, subject)
        # the words of every document are one pattern compiled once; the document's own (its tables' names) another
        static = _static_words()  # all of them are in self.terms (added above)
        extra = frozenset(w for w in self.terms if w not in static)
        self.pattern, self.extra = _alternation(static), _alternation(extra) if extra else None
        self.sections = [(pattern(k), v) for k, v in lex["section_subjects"].items()]

    def _add(self, word: str, subject: str) -> None:
        subjects = self.terms.setdefault(word, [])
        if subject not in subjects and not (subject.startswith(("func:", "econ:")) and subjects):
            subjects.append(subject)

    def _matches(self, text: str):
        """The terms' matches in a text, left to right, the longest at each position, none overlapping: what one
        alternation of all the words (longest first) finds, from the two patterns."""
        if self.extra is None:
            yield from self.pattern.finditer(text)
            return
        a, b = self.pattern.search(text), self.extra.search(text)
        while a is not None or b is not None:
            m = a if b is None or a is not None and (a.start(), -a.end()) <= (b.start(), -b.end()) else b
            yield m
            pos = m.end()
            if a is not None and a.start() < pos:
                a = self.pattern.search(text, pos)
            if b is not None and b.start() < pos:
                b = self.extra.search(text, pos)

    def find(self, text: str, asides: bool = True) -> list[Term]:
        """The terms of a text, longest first at each position; ``asides=False`` drops the terms inside a bracketed
        aside ("设备（不含车辆）": 车辆 is not what the figure counts)."""
        cited = [m.span() for m in _CITED.finditer(text)]  # 《财政拨款支出预算表》 names a table, not the figure
        found = [Term(m.start(), m.end(), tuple(self.terms[m.group(0)]), m.group(0))
                 for m in self._matches(text) if not any(o <= m.start() and m.end() <= c for o, c in cited)]
        if asides:
            return found
        spans = paren_spans(text)
        return [t for t in found if not any(o < t.start and t.end <= c for o, c in spans)]

    def section_subject(self, titles: list[str]) -> Optional[str]:
        for title in reversed(titles):
            for pat, subject in self.sections:
                if pat.search(title):
                    return subject
        return None

    def item_code(self, text: str) -> Optional[str]:
        """'社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）' -> func:2080505."""
        m = item_header(text)
        if not m or not (m.group(2) or m.group(3)):
            return None
        lei, kuan, xiang = (norm_name(g) if g else None for g in m.groups())
        lei_codes = self._codes(lei, 3) if lei else []
        if not lei_codes and lei:
            lei_codes = self._codes(lei + "支出", 3)
        kuan_codes = self._codes(kuan, 5, lei_codes) if kuan else []
        if not xiang:
            return f"func:{kuan_codes[0]}" if kuan_codes else None
        under = kuan_codes or lei_codes
        cands = self._codes(xiang, 7, under)
        # the 项 must be found by its name; a wrong guess would compare the figure with another row
        return f"func:{cands[0]}" if len(cands) == 1 else None

    def _codes(self, name: str, digits: int, under: Optional[list[str]] = None) -> list[str]:
        """Codes of ``digits`` digits printed with this name (under one of the ``under`` codes when given). A name the
        table printed cut short ("其他政府办公厅（室）及相关机构事务支" for "…事务支出") matches by prefix."""
        def pick(codes):
            codes = [c for c in codes if len(c) == digits]
            if under:
                narrowed = [c for c in codes if any(c.startswith(u) for u in under)]
                return narrowed or codes
            return codes
        exact = pick(self.func_names.get(name, []))
        if exact:
            return exact
        out: list[str] = []
        for printed, codes in self.func_names.items():
            if min(len(printed), len(name)) >= 6 and (name.startswith(printed) or printed.startswith(name)):
                out += [c for c in pick(codes) if c not in out]
        return out
