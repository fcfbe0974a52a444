"""The scope of a claim's figure (lexicons/quantities.toml [scope.*]): fund, entity, part, 预算 period, per-unit,
sub-count, negation. Extraction records the scope; alignment compares a claim only with a cell of the same scope.

    scope = {"fund": "一般公共预算" | "政府性基金" | "国有资本经营" | "财政专户" | "财政拨款" | "全部资金" | None,
             "fund_from": "sentence" | "paragraph" | "section" | None,
             "entity": "本级" | "下属单位" | None, "part": "基本" | "项目" | None,
             "period": "上年执行数" | "预计执行数" | "上年预算" | "调整预算" | "年初预算" | None,
             "per_unit": bool, "sub_of": claim id of the figure it is a part of | None}
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from .. import rx as re

from ..lexicons import load, pattern
from ..model import Claim

_CLAUSE = re.compile(r"[，,；;。：:]")


@lru_cache(maxsize=None)
def _lex() -> dict:
    return load("quantities")["scope"]


def fund_in(text: str) -> Optional[str]:
    """The fund scope the words of ``text`` name last: the specific fund nearest the end, else 全部资金 when an
    all-funds word occurs, else None."""
    lex = _lex()["fund"]
    best, best_end = None, -1
    for fund in lex["order"]:
        if fund == "全部资金":
            continue
        for w in lex[fund]:
            k = text.rfind(w)
            # "一般公共预算财政拨款": both words, one fund; the longer, specific name is the earlier one
            if k >= 0 and k + len(w) > best_end and not (fund == "财政拨款" and best and text.rfind(w) < best_end):
                best, best_end = fund, k + len(w)
    if best:
        return best
    if any(w in text for w in lex["全部资金"]):
        return "全部资金"
    return None


def _named(text: str, table: dict) -> Optional[str]:
    hits = [(text.rfind(w), name) for name, words in table.items() for w in words if w in text]
    return max(hits)[1] if hits else None


def claim_scope(c: Claim, para_before: str, titles: list[str], earlier: list[Claim]) -> dict:
    """The scope of claim ``c`` (its sentence and span known), given the paragraph's text before its sentence, the
    titles of the sections holding it (outermost first) and the earlier claims of its sentence."""
    lex = _lex()
    left = c.sentence[:c.span[0]]
    cuts = list(_CLAUSE.finditer(left))
    clause = left[cuts[-1].end():] if cuts else left
    # a "；" starts the next list of the sentence ("收入包括：…；支出包括：…"): its words do not reach across
    part_start = max(left.rfind("；"), left.rfind(";")) + 1
    fund, src = fund_in(left[part_start:]), "sentence"
    if fund is None:
        fund, src = fund_in(para_before), "paragraph"
    if fund is None:
        for t in reversed(titles):
            fund = fund_in(t)
            if fund:
                src = "section"
                break
    period = None
    tail = left.rstrip(" ：:")
    for pat, p in lex["period"].items():
        if pattern(pat).search(tail):
            period = p
            break
    per_unit = any(w in clause[-10:] for w in lex["per_unit"]["words"])
    sub_of = None
    same = [x for x in earlier if x.kind == c.kind and (x.unit == c.unit or c.kind == "amount")]
    if same:
        between = c.sentence[same[-1].span[1]:c.span[0]].lstrip()
        if same[-1].unit and between.startswith(same[-1].unit):
            between = between[len(same[-1].unit):]   # the measure word "台（套）" is not a list's bracket
        # "（" lists the parts of a count; an amount's parts follow 其中 / 主要用于 … (lexicons [list_markers])
        words = lex["sub"]["words"] if c.kind == "count" else load("quantities")["list_markers"]["words"]
        if any(w in between for w in words):
            sub_of = same[-1].id or same[-1].raw
        elif same[-1].scope.get("sub_of") and c.kind == "count":
            sub_of = same[-1].scope["sub_of"]   # "（一般公务用车 3 辆，执法执勤用车 4 辆）": the list goes on
    return {"fund": fund, "fund_from": src if fund else None, "entity": _named(left, lex["entity"]),
            "part": _named(clause, lex["part"]), "period": period, "per_unit": per_unit, "sub_of": sub_of}


def negated_part(subject: Optional[str], words: str) -> Optional[str]:
    """"没有发生国（境）外公务接待支出": the negation covers only the part its qualifier names."""
    for qual, part in _lex()["negation_parts"].get(subject or "", []):
        if qual in words:
            return part
    return subject
