"""Regex extractors: every number of a narrative sentence becomes a typed claim or a classified non-claim.

Extraction judges nothing: it records what the sentence says (kind, value, unit, period, polarity, subject, base);
the checks compare. Non-claims (years, dates, item numbers, document numbers, hotlines, thresholds) are classified
in nonclaims.py, never silently dropped.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from .. import rx as re

from ..lexicons import load, pattern
from ..model import Claim
from ..read.normalise import plausible_number
from .nonclaims import FIG, NonClaim, non_claim
from .scope import negated_part
from .subjects import Term, TermIndex, fits, item_header, paren_spans

CLAUSE_END = re.compile(r"[，,；;。：:！？]")
_OBJECT = r"了?(?:预算资金|预算|资金|金额)?$"   # "增加预算资金0万元", "调减预算0万元", "增加金额0万元"
_UP = re.compile(r"(增加|增长|上升|提高|增支|超支|多|调增|追加|增幅|涨幅)" + _OBJECT)
_DOWN = re.compile(r"(减少|下降|降低|减支|节约|少|压减|缩减|调减|降幅|减幅)" + _OBJECT)
# the template's alternatives printed together ("比上年预算增加（减少）0万元"): a change whose direction the text does
# not choose, so no figure is read from it (R06 reports the unchosen alternatives)
_EITHER = re.compile(r"(?:增加|增长|减少|下降)[（(](?:增加|增长|减少|下降)[)）]$")
# "基本支出增加人员工资、住房公积金、提租补贴等 3397.18 万元": the verb, the things it lists, 等, then its amount
_LISTED = re.compile(r"(?:(增加|增长|提高|调增|追加)|(减少|下降|降低|压减|缩减|调减))了?[^，,；;。：:\d]{1,40}?等\s*$")
_SHARE = re.compile(r"占(.{0,18}?)(?:的|比重为|比例为|比重)?$")
_COMPLETION = re.compile(r"(完成(?:了)?[^，,。；;]{0,12}?预算(?:数)?的|(?:[\p{Han}“”\"]{0,14}?)(?:完成率|执行率)(?:为|是|达到)?)\s*$")
_GENERIC_RATE = re.compile(r"^(?:预算)?(?:实际)?(?:完成率|执行率)")
_RATE_NAME = re.compile(r"([\p{Han}“”\"]{2,16}率)(?:为|是|达到|达)?\s*$")
_GRADE = re.compile(r"评价等级(?:为|是)?[：:]?\s*[“\"「]?(优秀|优|良好|良|中|一般|合格|不合格|差)")
_WORDS = re.compile(r"(无差异|不存在差异|没有差异|基本持平|持平|大于|小于|一致|本表无数据)")
_OWN_NOUN = re.compile(r"(\p{Han}+?)(?:预算)?(?:数)?(?:为|是|合计|共计|总计)?\s*$")
_INDICATOR = re.compile(r"^\s*[①-⑳\d.．、]*\s*([^，,]{2,30}?)[，,]\s*指标\s*\d")
_WEIGHT_LEFT = re.compile(r"指标(?:分值)?(?:为)?\s*$")
_EARNED_LEFT = re.compile(r"(?:^|[，,]\s*)得\s*$")
_AS_OF_LAST_YEAR = re.compile(r"^\s*(?:截至|截止)?上年(?:度)?(?:期末|末|底)[，,]")   # "上年期末，…固定资产总额69.79万元"
_COUNT_UNITS = ("辆", "个", "人次", "批次", "台（套）", "台", "套", "项", "人", "次", "批", "家", "名", "栋", "天",
                "条", "份", "篇", "场", "所", "户", "平方米", "㎡")


@dataclass
class _Sentence:
    """What the extractor knows while walking one sentence."""

    text: str
    terms: list[Term]
    context: dict
    index: TermIndex
    claims: list[Claim] = field(default_factory=list)
    last_subject: Optional[tuple[str, str]] = None   # of the last amount-like claim: (subject, words)


def _period(left: str, doc_kind: str) -> Optional[str]:
    """The period the words just before an amount give it (None: the sentence does not say)."""
    left = left.rstrip(" ：:")
    for pat, period in load("quantities")["periods"].items():
        if pattern(pat).search(left):
            if period == "预算":  # the document's own budget figure
                return "本年" if doc_kind == "预算" else "全年预算"
            return period
    if pattern(r"(?:支出|收入)?决算(?:数)?(?:为|是)?$|执行数(?:为|是)?$|实际支出$").search(left):
        return "本年"
    return None


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


def _fitting(term: Term, kind: str, unit) -> Optional[str]:
    return next((s for s in term.subjects if fits(s, kind, unit)), None)


def _kind(unit, clause_left: str, left: str, right: str, st: _Sentence):
    """(kind, polarity, period, unit, phrase_start): the kind of a figure from its unit and the words before it;
    ``phrase_start`` is where a 占…的 / 完成…预算的 phrase (which names the base, not the part) begins in the clause."""
    cl = clause_left.rstrip()
    tail = cl[-8:].rstrip("了 为")
    if _EITHER.search(tail):
        return None, 0, None, None, None
    if unit in ("%", "％"):
        m = _COMPLETION.search(cl)
        if m:  # "完成三公经费预算的": the words between 完成 and 预算 name the base
            return "completion", 0, None, "%", (m.start() if m.group(0).startswith("完成") else None)
        m = _SHARE.search(cl)
        if m:
            return "share", 0, None, "%", m.start()
        if _UP.search(tail):
            return "change_pct", 1, None, "%", None
        if _DOWN.search(tail):
            return "change_pct", -1, None, "%", None
        return "rate", 0, None, "%", None
    if unit in ("亿元", "万元", "元"):
        if _UP.search(tail):
            return "change_amount", 1, None, unit, None
        if _DOWN.search(tail):
            return "change_amount", -1, None, unit, None
        m = _LISTED.search(cl)
        if m:
            return "change_amount", 1 if m.group(1) else -1, None, unit, None
        period = _period(cl, st.index.kind) or ("上年" if _AS_OF_LAST_YEAR.match(st.text) else "本年")
        return "amount", 0, period, unit, None
    if unit == "分":
        return "score", 0, None, unit, None
    if unit in _COUNT_UNITS:
        return "count", 0, None, unit, None
    # the measure word left out where the sentence's parallel makes it plain
    if _WEIGHT_LEFT.search(left) and pattern(r"^\s*[，,]\s*得\s*\d").match(right):
        return "score", 0, None, "分", None               # "指标 5，得 3 分": the indicator's 分值
    prev = st.claims[-1] if st.claims else None
    if not cl and prev is not None and prev.kind == "count":
        return "count", 0, None, prev.unit, None          # "采购项目0项，0全部通过…": 0 项
    return None, 0, None, None, None


def _subject(kind, unit, start, ustart, end, cstart, phrase_start, st: _Sentence):
    """(subject, words) of a figure at ``start`` (its unit at ``ustart``, ``end`` past the unit)."""
    s = st.text
    if kind == "score":
        name = _INDICATOR.match(s)
        if name and _WEIGHT_LEFT.search(s[:start]):
            return "绩效指标.分值", name.group(1)
        if name and _EARNED_LEFT.search(s[cstart:start]):
            return "绩效指标.得分", name.group(1)
    if kind in ("rate", "completion"):
        m = _RATE_NAME.search(s[cstart:start])
        if m and not _GENERIC_RATE.match(m.group(1)) and not m.group(1).startswith(("完成", "占")):
            name = m.group(1).replace("“", "").replace("”", "").replace('"', "")
            return f"rate:{name}", m.group(1)
    limit = cstart + phrase_start if phrase_start is not None else start
    # a term right after 占 names a share's base ("占固定资产总额的7.90%"), never what a later figure is about
    terms = [t for t in st.terms if _fitting(t, kind, unit) and not s[:t.start].endswith("占")]
    if kind == "count":  # the noun after the measure word: "3 个一级指标", "20 个项目"
        after = next((t for t in terms if ustart <= t.start <= end + 1 and not s[end:t.start].strip()), None)
        if after is not None:
            return _fitting(after, kind, unit), after.text
    term, in_clause = pick_subject(terms, limit, cstart)
    if term is not None and in_clause and kind == "amount" and "列支" in s[term.end:start]:
        return None, None   # "…工程在农林水支出（类）支出列支 13800 万元": an item charged to the 类, not the 类's total
    if term is not None and in_clause:
        return _fitting(term, kind, unit), term.text
    if kind == "rate":
        return None, None      # an unnamed rate ("实现绩效自评“100%”") is about nothing the sentence names
    if kind == "count":
        prev = next((c for c in reversed(st.claims) if c.kind == "count" and c.subject), None)
        if prev is not None:
            pair = load("quantities")["count_pairs"].get(prev.subject)
            for cand in (pair, prev.subject):
                if fits(cand, kind, unit):  # the noun of the count before: "问题0个，已经完成整改的0个"
                    return cand, f"<{(prev.subject_text or '').strip('<>')}>"
    elif kind == "amount" and _own_noun(s[cstart:start]):
        return None, None
    elif st.last_subject is not None and fits(st.last_subject[0], kind, unit):
        return st.last_subject
    if term is not None:
        return _fitting(term, kind, unit), term.text
    return _from_context(st.context, kind, unit, start)


def _own_noun(clause: str) -> bool:
    """Whether an amount's clause ends in a noun of its own that names a money quantity no lexicon term knows
    ("其中：人员支出 2,906.80 万元", "上年结转结余 0 万元", "支出预算 66,307.98 万元"): the figure is about that noun,
    never the previous figure's quantity carried over."""
    m = _OWN_NOUN.search(clause)
    return bool(m) and len(m.group(1)) >= 4 - ("预算" in m.group(0)) * 2 and m.group(1).endswith(
        tuple(load("quantities")["own_noun"]["endings"]))


def _from_context(context: dict, kind: str, unit, pos: int):
    """The item, topic or section quantity. A bare amount takes its item or its paragraph's first quantity, never the
    topic carried over from earlier sentences nor the section's: amounts are stated with their noun, and one whose
    noun is not known stays unresolved rather than guessed."""
    keys = ("item", "para_topic") if kind == "amount" else ("item", "topic", "section")
    for key in keys:
        subject = context.get(key)
        if key.endswith("topic") and context.get(key + "_at", 0) >= pos:
            continue  # the paragraph's first quantity comes after the figure: it is not what the figure is about
        if subject and fits(subject, kind, unit):
            return subject, "<topic>" if key.endswith("topic") else f"<{key}>"
    return None, None


def extract_sentence(sentence: str, index: TermIndex, context: dict) -> tuple[list[Claim], list[NonClaim]]:
    """Claims and non-claims of one sentence. ``context``: item / topic / para_topic / section subjects (``*_at``:
    where a topic's words stand, relative to the sentence; negative when they come before it)."""
    nonclaims: list[NonClaim] = []
    terms = index.find(sentence, asides=False)
    hdr = item_header(sentence)
    if hdr and (hdr.group(2) or hdr.group(3)):
        terms = [t for t in terms if t.start >= hdr.end()]  # the 类/款/项 names of the header name the item
    st = _Sentence(sentence, terms, context, index)
    outside = terms
    asides = paren_spans(sentence)
    every = index.find(sentence) if asides else terms
    for m in FIG.finditer(sentence):
        # a figure inside a bracketed aside ("（其中，公务用车购置费 150.00 万元，…）") is named by the aside's own words
        own = next(((o, c) for o, c in asides if o < m.start() < c), None)
        st.terms = outside if own is None else sorted(
            outside + [t for t in every if own[0] < t.start and t.end <= own[1] and t not in outside],
            key=lambda t: t.start)
        raw, printed_unit = m.group(1), m.group(2)
        why = non_claim(sentence, m) or (None if plausible_number(raw) else "implausible")
        if why:
            nonclaims.append(NonClaim(raw, why))
            continue
        start, end = m.span(1)
        cstart = _clause_start(sentence, start)
        kind, polarity, period, unit, phrase = _kind(printed_unit, sentence[cstart:start], sentence[:start][-24:],
                                                     sentence[m.end():m.end() + 6], st)
        if kind is None:
            nonclaims.append(NonClaim(raw, "unitless"))
            continue
        ustart = m.start(2) if printed_unit else m.end()
        subject, subject_text = _subject(kind, unit, start, ustart, m.end(), cstart, phrase, st)
        base = None
        if phrase is not None:
            inside = [t for t in terms if cstart + phrase <= t.start and t.end <= start]
            base_term = next((t for t in inside if _fitting(t, "amount", None)), None)
            base = _fitting(base_term, "amount", None) if base_term else None
            if base is None and kind == "share":
                base = _SHARE.search(sentence[cstart:start].rstrip()).group(1) or None
        claim = Claim(kind=kind, value=float(raw.replace(",", "")), unit=unit, sentence=sentence, prov=None,
                      raw=raw + ("%" if unit == "%" else ""), span=(start, end), subject=subject,
                      subject_text=subject_text, period=period, polarity=polarity, base=base)
        st.claims.append(claim)
        if kind in ("amount", "change_amount", "change_pct", "completion", "share") and subject:
            st.last_subject = (subject, subject_text)
    st.terms = outside
    return st.claims + _word_claims(st), nonclaims


@lru_cache(maxsize=None)
def _none_pattern():
    """A negation and its noun in one clause ("未发生…支出", "无…收入"). The words between hold no figure
    ("无锡市信访局2025年度…基本支出" is a name and a year, not "no 基本支出"), and a word that merely starts with 无
    (a place name, 无偿) negates nothing (lexicons/quantities.toml [scope.not_negation])."""
    not_neg = "|".join(re.escape(w[1:]) for w in load("quantities")["scope"]["not_negation"]["words"])
    return re.compile(r"(没有|未发生|无)(?!差异" + (f"|{not_neg}" if not_neg else "") + r")(?:使用)?[^，。；\d]{0,20}?(?:收入|支出|经费)")


def _word_claims(st: _Sentence) -> list[Claim]:
    """Grades (评价等级为良), comparison words (无差异, 持平, 大于, …) and statements that a fund was not used."""
    out = []
    s = st.text
    for m in _GRADE.finditer(s):
        out.append(Claim(kind="grade", value=None, unit=None, raw=m.group(1), sentence=s, prov=None, span=m.span(1),
                         subject="评价等级", word=m.group(1)))
    for m in _WORDS.finditer(s):
        cstart = _clause_start(s, m.start())
        cands = [t for t in st.terms if _fitting(t, "comparison", None)]
        term, in_clause = pick_subject(cands, m.start(), cstart)
        # the figure before the word, not the sentence's last one: "…0万元，主要原因是与上年持平；公务接待费6.64万元，
        # 比上年增加0.84万元" — 持平 is the item's before it, never 公务接待费's
        figures = [c for c in reversed(st.claims) if c.span[0] < m.start()
                   and c.kind in ("amount", "change_amount", "change_pct", "completion", "share")]
        prev = figures[0] if figures else None                       # the nearest figure before the word
        before = next((c for c in figures if c.subject), None)       # the nearest one with a known subject
        if term is not None and in_clause:
            subject = _fitting(term, "comparison", None)
        elif prev is not None and prev.kind == "amount" and prev.subject is None:
            subject = None   # "差旅费预算34.10万元，与上年持平": said of the sentence's own amount, whose noun is unknown
        elif before is not None:
            subject = before.subject
        else:
            subject = _from_context(st.context, "comparison", None, m.start())[0]
        out.append(Claim(kind="comparison", value=None, unit=None, raw=m.group(1), sentence=s, prov=None,
                         span=m.span(1), subject=subject, word=m.group(1)))
    for m in _none_pattern().finditer(s):
        term = next((t for t in st.terms if m.start() <= t.start and t.end <= m.end()), None)
        if term is not None:
            out.append(Claim(kind="no_data", value=None, unit=None, raw=m.group(0), sentence=s, prov=None,
                             span=m.span(), subject=negated_part(term.subject, s[m.start():term.start]),
                             subject_text=term.text, word=m.group(1)))
    return out
