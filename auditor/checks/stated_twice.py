"""C05: one quantity stated twice in a document with different values (车辆保有量, 整体绩效自评得分, 评价等级, 年初预算
总额, the subjects lexicons/quantities.toml [unique] lists, and the groups [same_quantity] makes one). A figure is
compared only where its scope is firm: its own words name it, it is no per-unit value, part or other period, and an
amount of a fund-neutral subject says its fund."""
from __future__ import annotations

from collections import defaultdict

from .. import rx as re

from ..align import scope_neutral
from ..claims import sentence_claims
from ..claims.scope import fund_in
from ..lexicons import load
from ..model import Claim, Document
from .common import claim_ev, label, wan
from .hints import digit_hint, with_hint
from .registry import finding, rule
from .tolerance import Interval


def _firm_scope(doc: Document, c: Claim) -> bool:
    """A claim C05 may compare: not a per-unit value, a part of another figure, or a figure of another 预算 period,
    and, for a subject that does not name its fund, one whose fund scope the narrative gives."""
    sc = c.scope or {}
    if sc.get("per_unit") or (c.kind == "count" and sc.get("sub_of")) or sc.get("period") in load("alignment")["other_periods"]["periods"]:
        return False
    if c.kind in ("amount", "count") and not _named_here(doc, c):
        return False
    if c.kind == "amount" and fund_in(c.subject_text or "") == "全部资金" and sc.get("fund") not in (None, "全部资金"):
        return False   # "其他资金收入预算总计 15 万元": an all-funds word narrowed by the fund named before it
    if not (c.subject or "").startswith("func:") and _ITEM_NAMED.search(c.sentence[:c.span[0]]):
        return False   # "社会保障和就业支出（类）…（款）：预算支出合计 1,836.22": the item's total, not the department's
    return c.kind != "amount" or not scope_neutral(c.subject) or sc.get("fund") is not None


_ITEM_NAMED = re.compile(r"[（(][类款项][）)]")


def _named_here(doc: Document, c: Claim) -> bool:
    """The claim's own words name its quantity: its subject words stand between the previous figure of the sentence
    and this one (a subject carried over from an earlier figure — "收入预算合计 X 万元，包括本年收入 X 万元，上年结转
    结余 0 万元" — or from the section's topic is not a second statement of that quantity)."""
    words = c.subject_text or ""
    prev_end = max((x.span[1] for x in sentence_claims(doc.claims, c) if x.span[1] <= c.span[0]), default=0)
    return bool(words) and words in c.sentence[prev_end:c.span[0]]


def _key(c: Claim):
    if c.kind == "amount":
        return f"{c.subject}@{c.period}"
    if c.kind == "count":
        return f"{c.subject}@count@{c.unit}"   # 2台（套） of equipment is not a count of 辆
    if c.kind == "score":
        return f"{c.subject}@score"
    if c.kind == "grade":
        return "评价等级@grade"
    return None


@rule("C05", "同一数字前后说法不一", "error", """
同一文件中同一数量（主语、期间相同，如车辆保有量、整体绩效自评得分、评价等级、年初预算总额）出现两个不同的值。
容差：金额与得分为两数末位半个单位之和；数量（辆、个、人次）须完全相同。
失败例：九 说“公务用车保有量为 2 辆”，十二 说“共有车辆 0 辆”。
通过例：一 和 四 都说收支总计 927.71 万元。""")
def stated_twice(doc: Document):
    uniq = set(load("quantities")["unique"]["subjects"])
    alias = {}
    for group in load("quantities")["same_quantity"]["groups"]:
        for k in group:
            alias[k] = group[0]
    seen: dict[str, list[Claim]] = defaultdict(list)
    for c in doc.claims:
        if c.subject not in uniq or c.kind not in ("amount", "count", "score", "grade"):
            continue
        if c.kind != "grade" and (c.subject_text or "").startswith("<"):
            continue  # a subject taken from context only is not firm enough to call two statements the same
        k = _key(c)
        if k is None or not _firm_scope(doc, c):
            continue
        k = alias.get(k, k)
        if c.kind == "amount" and scope_neutral(c.subject):   # 基本支出 of all funds is not that of 一般公共预算
            k += f"@{c.scope.get('fund')}@{c.scope.get('entity')}"
        seen[k].append(c)
    for k, cs in seen.items():
        first = cs[0]
        for c in cs[1:]:
            if c.kind == "grade":
                if c.word != first.word:
                    yield finding("C05", "error", f"评价等级前后不一：“{first.word}”与“{c.word}”", prov=c.prov,
                                  evidence=[claim_ev(first), claim_ev(c)], section=c.section)
                continue
            a, b = wan(first) if first.kind == "amount" else first.value, wan(c) if c.kind == "amount" else c.value
            if c.kind == "count":   # counts (辆, 个, 人次) are exact: 1 辆 and 0 辆 never round into each other
                if a == b:
                    continue
            elif Interval.printed(a, first.decimals).meets(Interval.printed(b, c.decimals)):
                continue
            yield finding("C05", "error", with_hint(f"{label(doc, c)}前后说法不一：第{first.prov.line or first.prov.page}"
                          f"{'行' if first.prov.line else '页'}为 {first.raw}，此处为 {c.raw}",
                          digit_hint(c.value, c.decimals, first.value, first.decimals) if c.unit == first.unit
                          else None), prov=c.prov, stated=c.value,
                          expected=first.value, evidence=[claim_ev(c), claim_ev(first)], section=c.section)
            break
