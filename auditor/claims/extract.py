"""Regex extractors: every number of a narrative sentence becomes a typed claim or a classified non-claim.

Extraction judges nothing: it records what the sentence says (kind, value, unit, period, polarity, subject, base);
the checks compare. Non-claims (years, dates, item numbers, document numbers, hotlines, thresholds) are classified,
never silently dropped.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex as re

from ..lexicons import load
from ..model import Claim
from .subjects import _ITEM as _ITEM_HEADER
from .subjects import Term, TermIndex

FIG = re.compile(r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?)\s*(亿元|万元|元|%|％|辆|个|人次|批次|台（套）|台|套|项|人|次|批|分|家|天|条|份|篇|场|所|户|年|月|日|号|名|栋|平方米|㎡)?")
CLAUSE_END = re.compile(r"[，,；;。：:！？]")
_UP = re.compile(r"(增加|增长|上升|提高|增支|超支|多)了?$")
_DOWN = re.compile(r"(减少|下降|降低|减支|节约|少|压减|缩减)了?$")
_SHARE = re.compile(r"占(.{0,18}?)(?:的|比重为|比例为|比重)?$")
_COMPLETION = re.compile(r"(完成(?:了)?(?:年初|全年)?预算(?:数)?的|预算完成率(?:为)?|执行率(?:为)?|完成率(?:为)?)$")
_THRESHOLD = re.compile(r"[≥≤><=＞＜]\s*$")
_GRADE = re.compile(r"评价等级(?:为|是)?[：:]?\s*[“\"「]?(优秀|优|良好|良|中|一般|合格|不合格|差)")
_WORDS = re.compile(r"(无差异|不存在差异|没有差异|持平|基本持平|一致|本表无数据|故本表无数据)")
_NONE_SPENT = re.compile(r"(?:没有|未发生|无)(?:使用)?([^，。；]{0,20}?)(?:安排的)?(?:收入|支出|经费|预算)")
_DOCNO = re.compile(r"[〔\[（(【]\s*\d{4}\s*[〕\]）)】]\s*\d+\s*号")
_HOTLINE = re.compile(r"(热线|电话|便民|服务平台|投诉|专线)")
_ITEMNO = re.compile(r"^\s*[（(]?\d{1,2}[)）.．、]")


@dataclass
class NonClaim:
    value: str
    reason: str   # year | date | item_number | doc_number | hotline | threshold | ordinal | code | ratio_text


def _period(left: str) -> Optional[str]:
    left = left.rstrip(" ：:")
    for pat, period in _PERIODS():
        if re.search(pat, left):
            return period
    if re.search(r"(?:支出|收入)?决算(?:数)?(?:为|是)?$|执行数(?:为|是)?$|实际支出$", left):
        return "本年"
    return None


_PCACHE: list = []


def _PERIODS():
    if not _PCACHE:
        _PCACHE.extend(load("quantities")["periods"].items())
    return _PCACHE


def _clause_start(sentence: str, pos: int) -> int:
    starts = [m.end() for m in CLAUSE_END.finditer(sentence, 0, pos)]
    return starts[-1] if starts else 0


def pick_subject(terms: list[Term], pos: int, clause_start: int) -> tuple[Optional[Term], bool]:
    """The nearest term before ``pos``; (term, in_clause). Of two adjacent terms ("“三公”经费财政拨款支出") the first,
    the head noun of the phrase, wins."""
    before = [t for t in terms if t.end <= pos]
    if not before:
        return None, False
    k = len(before) - 1
    while k > 0 and before[k - 1].end == before[k].start:
        k -= 1
    last = before[k]
    return last, last.start >= clause_start or before[-1].start >= clause_start


def extract_sentence(sentence: str, index: TermIndex, context: dict) -> tuple[list[Claim], list[NonClaim]]:
    """Claims and non-claims of one sentence. ``context``: item / topic / section subjects from the paragraph."""
    claims: list[Claim] = []
    nonclaims: list[NonClaim] = []
    terms = index.find(sentence)
    hdr = _ITEM_HEADER.search(sentence)
    if hdr:
        terms = [t for t in terms if t.start >= hdr.end()]  # the 类/款/项 names of the header name the item
    last_subject = None
    for m in FIG.finditer(sentence):
        raw, unit = m.group(1), m.group(2)
        start, end = m.span(1)
        left_all = sentence[:start]
        left = left_all[-24:]
        right = sentence[m.end():m.end() + 3]
        why = _non_claim(sentence, raw, unit, start, left, right)
        if why:
            nonclaims.append(NonClaim(raw, why))
            continue
        value = float(raw.replace(",", ""))
        cstart = _clause_start(sentence, start)
        clause_left = sentence[cstart:start]
        kind, polarity, period, base = _kind(unit, clause_left, left)
        if kind is None:
            nonclaims.append(NonClaim(raw, "unitless"))
            continue
        term, in_clause = pick_subject(terms, start, cstart)
        subject = subject_text = None
        if term is not None and (in_clause or kind in ("share", "change_amount", "change_pct", "completion")
                                 or last_subject is None):
            subject, subject_text = term.subject, term.text
        if kind == "share" and term is not None and base and term.start >= start - len(clause_left) \
                and last_subject is not None:
            subject, subject_text = last_subject  # "占支出合计的 97.87%": 支出合计 is the base, not the part
        if subject is None and last_subject is not None:
            subject, subject_text = last_subject
        if subject is None:
            for key in ("item", "topic", "section"):
                if context.get(key):
                    subject, subject_text = context[key], f"<{key}>"
                    break
        if kind in ("amount", "change_amount", "change_pct", "completion", "share"):
            last_subject = (subject, subject_text) if subject else last_subject
        base_subject = None
        if base:
            bt = index.find(base)
            base_subject = bt[0].subject if bt else None
        claims.append(Claim(kind=kind, value=value, unit=_unit(unit), raw=raw + ("%" if unit in ("%", "％") else ""),
                            sentence=sentence, prov=None, span=(start, end), subject=subject,
                            subject_text=subject_text, period=period, polarity=polarity, base=base_subject or base))
    for m in _GRADE.finditer(sentence):
        claims.append(Claim(kind="grade", value=None, unit=None, raw=m.group(1), sentence=sentence, prov=None,
                            span=m.span(1), subject="评价等级", word=m.group(1)))
    for m in _WORDS.finditer(sentence):
        subject = context.get("item") or context.get("topic") or context.get("section")
        claims.append(Claim(kind="comparison", value=None, unit=None, raw=m.group(1), sentence=sentence, prov=None,
                            span=m.span(1), subject=subject, word=m.group(1)))
    return claims, nonclaims


def _unit(u: Optional[str]) -> Optional[str]:
    return "%" if u in ("%", "％") else u


def _kind(unit, clause_left: str, left: str):
    """(kind, polarity, period, base text) from the unit and the words before the figure."""
    cl = clause_left.rstrip()
    tail = cl[-8:]
    if unit in ("%", "％"):
        if _COMPLETION.search(cl):
            return "completion", 0, None, None
        m = _SHARE.search(cl)
        if m:
            return "share", 0, None, (m.group(1) or None)
        if _UP.search(tail.rstrip("了 ")):
            return "change_pct", 1, None, None
        if _DOWN.search(tail.rstrip("了 ")):
            return "change_pct", -1, None, None
        return "rate", 0, None, None
    if unit in ("亿元", "万元", "元"):
        if _UP.search(tail.rstrip("了 为")):
            return "change_amount", 1, None, None
        if _DOWN.search(tail.rstrip("了 为")):
            return "change_amount", -1, None, None
        return "amount", 0, _period(cl) or "本年", None
    if unit == "分":
        return "score", 0, None, None
    if unit in ("辆", "个", "人次", "批次", "台（套）", "台", "套", "项", "人", "次", "批", "家", "名", "栋", "天",
                "条", "份", "篇", "场", "所", "户", "平方米", "㎡"):
        return "count", 0, None, None
    return None, 0, None, None


def _non_claim(sentence: str, raw: str, unit, start: int, left: str, right: str) -> Optional[str]:
    if unit == "年" or (len(raw) == 4 and raw.startswith(("19", "20")) and "." not in raw and unit is None):
        return "year"
    if unit in ("月", "日"):
        return "date"
    if unit == "号" or _DOCNO.search(sentence[max(0, start - 8):start + len(raw) + 4]):
        return "doc_number"
    if _THRESHOLD.search(left):
        return "threshold"
    if left.endswith("第"):
        return "ordinal"
    if _ITEMNO.match(sentence[start - 1 if start and sentence[start - 1] in "(（" else start:]) and start <= 2:
        return "item_number"
    if unit is None and raw in ("110", "12345", "12315", "12388", "12328") or (unit is None and _HOTLINE.search(left)):
        return "hotline"
    if unit is None and re.match(r"^\s*[+＋]", right):
        return "label"  # "1+4+N" style names
    if unit is None and left.endswith(("（", "(")) and right.startswith(("）", ")")):
        return "item_number"
    return None
