"""The 预算 narrative's own change arithmetic (C07-C09), needing no table: a sentence "A 万元，比上年（执行数）
[P 万元]增加/减少 C 万元，增长/下降 Y%" states the figures its change is computed from.

stated_change() pairs a change claim with the figures of its sentence (also used by C02): the subject when both
name one, else the sentence's order (the amount just before the change, no other amount between). A change whose
figures cannot be paired is not checked (it stays an unverifiable claim, never a guess).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..claims import sentence_claims
from ..lexicons import load
from ..model import Claim, Document
from .common import claim_ev, claim_iv, fmt, wan
from .hints import digit_hint, with_hint
from .registry import finding, rule
from .tolerance import Interval


@dataclass
class StatedChange:
    current: Claim                 # this year's figure
    prior: Optional[Claim]         # the earlier figure, when the sentence prints it
    change: Optional[Claim]        # the stated change amount
    pct: Optional[Claim]           # the stated change percentage


def _is_prior(c: Claim) -> bool:
    return c.period == "上年" or (c.scope or {}).get("period") in load("alignment")["other_periods"]["periods"]


def _compatible(a: Claim, b: Claim) -> bool:
    return not (a.subject and b.subject and a.subject != b.subject)


def stated_change(doc: Document, c: Claim) -> Optional[StatedChange]:
    """The figures a change claim (change_amount or change_pct) is computed from, in its own sentence."""
    sc = sentence_claims(doc.claims, c)
    i = next(k for k, x in enumerate(sc) if x is c)
    chg = c if c.kind == "change_amount" else None
    pct = c if c.kind == "change_pct" else None
    prior = cur = None
    for x in reversed(sc[:i]):
        if x.kind == "share" or x.kind == "count":
            continue
        if x.kind == "change_amount" and chg is None and prior is None and cur is None:
            chg = x
            continue
        if x.kind == "amount" and _is_prior(x) and prior is None and cur is None:
            prior = x
            continue
        if x.kind == "amount" and not _is_prior(x):
            cur = x
        break
    if cur is None and prior is None and i == len([x for x in sc[:i] if x.kind in ("change_amount", "change_pct")]):
        cur = _previous_sentence_amount(doc, sc[0])   # "…预算数为 5011.4 万元。与上年相比增加 1753.34 万元，增长…"
    if cur is None or (cur.scope or {}).get("per_unit"):
        return None
    first = next(x for x in (prior, chg, pct) if x is not None)
    between = first.sentence[:first.span[0]] if first.sentence != cur.sentence else cur.sentence[cur.span[1]:first.span[0]]
    if not any(w in between for w in load("quantities")["scope"]["comparison"]["words"]):
        return None   # "专项经费 23.3 万元，信息化建设经费增加 35 万元": the change is not of the figure before it
    if pct is None and c.kind == "change_amount":
        nxt = sc[i + 1] if i + 1 < len(sc) else None
        pct = nxt if nxt is not None and nxt.kind == "change_pct" else None
    if any(x is not None and not _compatible(cur, x) for x in (chg, pct, prior)):
        return None
    return StatedChange(cur, prior, chg, pct)


def read_iv(doc: Document, c: Claim) -> Interval:
    """The interval of an amount as its sentence writes amounts: "比上年预算数 1.10 万元减少 25 万元" and "出国 110 万元，
    公务用车 317.8 万元，接待 156.55 万元" drop trailing zeros (every figure of a 预算/决算 is kept to 0.01 万元, and a
    difference or a part of such figures is one too), so an amount printed with fewer decimals than another amount of
    its sentence in the same unit is read to that sentence's precision; alone, to its own printed decimals."""
    d = c.decimals
    if c.kind in ("amount", "change_amount") and d < 2:
        d = max([d] + [x.decimals for x in sentence_claims(doc.claims, c)
                       if x.kind in ("amount", "change_amount") and x.unit == c.unit and x.value is not None])
    return Interval.printed(c.value or 0.0, min(d, 2))


def whole_of_listed_parts(doc: Document, claim: Claim):
    """"因公出国（境）费 110 万元，占“三公”经费的 18.85%；公务用车购置及运行费 317.8 万元，占…；公务接待费 156.55 万元，
    占…": the base is a whole (lexicons/quantities.toml [whole_of_parts]) whose every part the sentence states, so its
    value is their sum, when no table cell of it is read."""
    for whole, parts in load("quantities").get("whole_of_parts", {}).items():
        if claim.subject not in parts or (claim.base and claim.base != whole):
            continue
        stated = [x for x in sentence_claims(doc.claims, claim) if x.kind == "amount" and x.period == "本年"
                  and x.value is not None]
        found = [next((x for x in stated if x.subject == p), None) for p in parts]
        if any(x is None for x in found) or len({x.unit for x in found}) > 1:
            return None
        iv = Interval(sum(read_iv(doc, x).lo for x in found), sum(read_iv(doc, x).hi for x in found))
        return sum(wan(x) for x in found), iv, [claim_ev(found[0])]
    return None


def magnitude(iv: Interval) -> Interval:
    """|x| over an interval."""
    if iv.lo >= 0:
        return iv
    if iv.hi <= 0:
        return Interval(-iv.hi, -iv.lo)
    return Interval(0.0, max(-iv.lo, iv.hi))


def _previous_sentence_amount(doc: Document, first: Claim, lines: int = 3) -> Optional[Claim]:
    """The last figure of the sentence before ``first``'s, when it is an amount of this year within a few lines."""
    k = next(j for j, x in enumerate(doc.claims) if x is first)
    if k == 0:
        return None
    prev = doc.claims[k - 1]
    if prev.kind == "share":   # "…预算支出 21,940.96 万元，占本年支出合计的 99.94%。与上年相比…增加…": the one amount
        amounts = [x for x in sentence_claims(doc.claims, prev) if x.kind == "amount"]
        prev = amounts[0] if len(amounts) == 1 else prev
    listed = [x for x in sentence_claims(doc.claims, prev) if x.kind == "amount" and (x.scope or {}).get("sub_of")]
    if listed and prev.kind == "amount" and not (_said_subject(first) and first.subject == prev.subject):
        # "收入预算 68632.12 万元，其中，…，上年结转 0.00 万元。收入较去年减少 1316.82 万元": the change is of the whole
        # the list breaks down, not of its last part
        prev = next((x for x in doc.claims if x.id == listed[0].scope["sub_of"]), None)
        if prev is None:
            return None
    near = prev.prov.page == first.prov.page and abs((first.prov.line or 0) - (prev.prov.line or 0)) <= lines
    return prev if prev.kind == "amount" and not _is_prior(prev) and near and prev.section == first.section else None


@rule("C07", "增减额与所述两数之差不符", "error", """
同句写出本年数与上年数（上年预算数、上年执行数、预计执行数）和增减额时，增减额应等于两数之差。容差：三数末位半个单位之和。
失败例：“2026年预算 1434.89 万元，比 2025 年预算执行数 1690.69 万元减少 245.80 万元”（两数之差 255.80）。
通过例：“2026年预算 1434.89 万元，比 2025 年预算执行数 1690.69 万元减少 255.80 万元”。""")
def change_vs_figures(doc: Document):
    for c in doc.claims:
        if c.kind != "change_amount" or c.value is None:
            continue
        s = stated_change(doc, c)
        if s is None or s.prior is None:
            continue
        diff_iv = claim_iv(s.current) - claim_iv(s.prior)
        diff = wan(s.current) - wan(s.prior)
        div = magnitude(diff_iv)
        if div.meets(claim_iv(c)):
            continue
        yield finding("C07", "error", with_hint(f"说明称比上年{'增加' if c.polarity > 0 else '减少'} {c.raw} 万元，但所述两数 "
                      f"{s.current.raw} 与 {s.prior.raw} 之差为 {fmt(abs(diff))} 万元",
                      digit_hint(c.value, c.decimals, abs(diff), max(s.current.decimals, s.prior.decimals))), prov=c.prov, stated=c.value,
                      expected=round(abs(diff), 4), tolerance=round((div.width + claim_iv(c).width) / 2, 4),
                      evidence=[claim_ev(c), claim_ev(s.current), claim_ev(s.prior)], section=c.section)


@rule("C08", "增减方向与所述数字不符", "error", """
“增加/增长”要求本年数大于上年数，“减少/下降”要求小于：同句写出两数时比较两数；只写本年数与增加额时，上年数 = 本年数 − 增加额
不能为负（“0 万元，比上年增加 X 万元”不成立）。容差：末位半个单位。
失败例：“政府性基金拨款支出预算 0 万元，比上年预算增加 1421.25 万元”。
通过例：“政府性基金拨款支出预算 0 万元，比上年预算减少 1421.25 万元”。""")
def change_direction(doc: Document):
    for c in doc.claims:
        if c.kind != "change_amount" or c.value is None or not c.polarity or not c.value:
            continue
        s = stated_change(doc, c)
        if s is None:
            continue
        cur_iv = claim_iv(s.current)
        if s.prior is not None:
            d = cur_iv - claim_iv(s.prior)
            wrong = d.hi < 0 if c.polarity > 0 else d.lo > 0
            why = f"本年数 {s.current.raw} 万元{'小于' if c.polarity > 0 else '大于'}上年数 {s.prior.raw} 万元"
        else:
            prior_iv = cur_iv - claim_iv(c) if c.polarity > 0 else None
            wrong = prior_iv is not None and prior_iv.hi < 0
            why = f"本年数 {s.current.raw} 万元减去增加额 {c.raw} 万元，上年数将为负数"
        if not wrong:
            continue
        yield finding("C08", "error", f"说明称“{'增加' if c.polarity > 0 else '减少'} {c.raw} 万元”，但{why}",
                      prov=c.prov, stated=c.value, expected=s.current.value,
                      evidence=[claim_ev(c), claim_ev(s.current)] + ([claim_ev(s.prior)] if s.prior else []),
                      section=c.section)


@rule("C09", "分项大于总数", "error", """
“其中”所列的一项（金额或数量）不能大于它所属的总数（同句中“其中”前的数字）。容差：两数末位半个单位。
失败例：“单位价值 50 万元以上设备 8 台，其中，单位价值 100 万元以上设备 15 台”。
通过例：“车辆 7 辆（一般公务用车 3 辆，执法执勤用车 4 辆）”。""")
def part_above_whole(doc: Document):
    by_id = {c.id: c for c in doc.claims}
    for c in doc.claims:
        whole = by_id.get((c.scope or {}).get("sub_of"))
        if whole is None or c.value is None or whole.value is None or c.kind not in ("amount", "count"):
            continue
        if c.kind == "amount" and (c.unit not in ("万元", "元", "亿元") or whole.unit not in ("万元", "元", "亿元")):
            continue
        if c.kind == "count" and c.unit != whole.unit:
            continue
        if c.kind == "amount" and "其中" not in c.sentence[whole.span[1]:c.span[0]]:
            continue   # "…万元，主要用于：…" lists uses, which may be stated over several years or other funds
        if (whole.scope or {}).get("per_unit") or (c.scope or {}).get("per_unit") or _is_prior(c) != _is_prior(whole):
            continue
        part_v = wan(c) if c.kind == "amount" else c.value
        whole_v = wan(whole) if c.kind == "amount" else whole.value
        dec = (c.decimals, whole.decimals)
        if Interval.printed(part_v, dec[0]).lo <= Interval.printed(whole_v, dec[1]).hi + 1e-9:
            continue
        u = "万元" if c.kind == "amount" else c.unit
        yield finding("C09", "error", f"说明中“其中”一项为 {c.raw}{u}，大于它所属的总数 {whole.raw}{u}",
                      prov=c.prov, stated=c.value, expected=whole.value,
                      evidence=[claim_ev(c), claim_ev(whole)], section=c.section)


def _said_subject(c: Claim) -> bool:
    return bool(c.subject) and bool(c.subject_text) and not c.subject_text.startswith("<")


def _basis(doc: Document, c: Claim, cur: Claim) -> str:
    """The earlier figure a change is stated against, as the words between the current figure and the change name
    it: 执行数 (上年执行数 / 预计执行数), 预算 (上年预算), else '' ("与上年相比")."""
    between = c.sentence[:c.span[0]] if c.sentence != cur.sentence else c.sentence[cur.span[1]:c.span[0]]
    return "执行数" if "执行" in between or "决算" in between else "预算" if "预算" in between else ""


@rule("C10", "同一增减额前后说法不一", "warning", """
同一数字（同一主语组：收支总计 / 收入合计 / 支出合计，或财政拨款收支总计 / 财政拨款收入、支出 / 一般公共预算拨款收入、
支出，见 lexicons/quantities.toml [[same_change]]）在两处写出相同的本年数、与同一基数（上年预算 / 上年执行数）比较，
所说增减额应相同。本年数相同而增减额不同，说明至少一处有误（只有一般公共预算拨款时，财政拨款与一般公共预算拨款是同
一笔钱，故报警告）。容差：两增减额末位半个单位之和。
失败例：一 说“一般公共预算收入预算 21,940.96 万元，与上年相比增加 3,959.28 万元”，四 说“财政拨款收、支总预算
21,940.96 万元……各增加 3,958.98 万元”。
通过例：两处都说 21,940.96 万元、增加 3,959.28 万元。""")
def change_stated_twice(doc: Document):
    groups = load("quantities")["same_change"]
    group_of = {s: i for i, g in enumerate(groups) for s in g["subjects"]}
    seen: dict[tuple, list] = {}
    for c in doc.claims:
        if c.kind != "change_amount" or c.value is None or c.subject not in group_of or not c.polarity:
            continue
        if (c.subject_text or "").startswith("<"):
            continue   # a subject carried from context is not a second statement of the quantity
        if groups[group_of[c.subject]].get("all_funds") and (c.scope or {}).get("fund") not in (None, "全部资金"):
            continue   # "财政拨款收、支总预算 24458.43 万元。…收、支预算总计各增加": the 财政拨款 total, not all funds
        s = stated_change(doc, c)
        if s is None or s.prior is not None:
            continue
        key = (group_of[c.subject], _basis(doc, c, s.current))
        for first, first_cur in seen.get(key, []):
            if not claim_iv(first_cur).meets(claim_iv(s.current)):
                continue
            a, b = claim_iv(first), claim_iv(c)
            if first.polarity < 0:
                a = Interval(-a.hi, -a.lo)
            if c.polarity < 0:
                b = Interval(-b.hi, -b.lo)
            if a.meets(b):
                break
            yield finding("C10", "warning", f"说明此处称{_word(c)} {s.current.raw} 万元{'增加' if c.polarity > 0 else '减少'} "
                          f"{c.raw} 万元，而第{first.prov.page or first.prov.line}{'页' if first.prov.page else '行'}称"
                          f"{_word(first)} {first_cur.raw} 万元{'增加' if first.polarity > 0 else '减少'} {first.raw} 万元："
                          f"同一本年数、同一比较基数，增减额不应不同", prov=c.prov, stated=c.value * c.polarity,
                          expected=first.value * first.polarity, tolerance=round((a.width + b.width) / 2, 4),
                          evidence=[claim_ev(c), claim_ev(s.current), claim_ev(first), claim_ev(first_cur)],
                          section=c.section)
            break
        seen.setdefault(key, []).append((c, s.current))


def _word(c: Claim) -> str:
    return c.subject_text if c.subject_text and not c.subject_text.startswith("<") else (c.subject or "")
