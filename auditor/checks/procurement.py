"""C06: 政府采购 awarded to 中小企业 cannot exceed the 政府采购 total (reserved projects + other projects ≤ total)."""
from __future__ import annotations

from ..lexicons import load
from ..model import Claim, Document
from .common import claim_ev, claim_iv, fmt, wan
from .registry import finding, rule
from .tolerance import interval_sum


def _clause(c: Claim) -> str:
    """The sentence text from the last clause break before the figure (where "在其他政府采购项目中，由中小企业供应商中标
    或成交的，采购金额 X" names what X is)."""
    head = c.sentence[:c.span[0]]
    cut = max(head.rfind("；"), head.rfind("。"))
    return head[cut + 1:]


@rule("C06", "中小企业采购金额超过采购总额", "error", """
政府采购中授予中小企业的金额（面向中小企业预留项目中由中小企业中标的 + 其他政府采购项目中由中小企业中标的）不能超过
政府采购金额总额（lexicons/quantities.toml procurement_sme）。容差：区间之和。
失败例：政府采购金额 21.07 万元；预留项目中由中小企业中标 21.07 万元；其他项目中由中小企业中标 21.07 万元（合计 42.14）。
通过例：政府采购金额 251.25 万元；预留项目中由中小企业中标 246.47 万元；其他项目中由中小企业中标 4.79 万元。""")
def sme_within_total(doc: Document):
    lex = load("quantities")["procurement_sme"]
    totals = [c for c in doc.claims if c.kind == "amount" and c.subject == "政府采购" and c.value is not None]
    if not totals:
        return
    total = totals[0]
    reserved, other = None, None
    for c in doc.claims:
        if c.kind != "amount" or c.value is None:
            continue
        clause = _clause(c)
        if not any(w in clause for w in lex["award"]):
            continue
        if any(w in clause for w in lex["other"]) and other is None:
            other = c
        elif any(w in clause for w in lex["reserved"]) and reserved is None:
            reserved = c
    if reserved is None or other is None:
        return
    s = interval_sum([claim_iv(reserved), claim_iv(other)])
    t = claim_iv(total)
    if s.lo <= t.hi + 1e-9:
        return
    room = max(0.0, round(wan(total) - wan(reserved), 2))
    yield finding("C06", "error", f"授予中小企业的采购金额：预留项目 {reserved.raw} 万元 + 其他项目 {other.raw} 万元 = "
                  f"{fmt(wan(reserved) + wan(other))} 万元，超过政府采购金额 {total.raw} 万元；其他项目中由中小企业中标的"
                  f"至多 {fmt(room)} 万元", prov=other.prov, stated=other.value, expected=room,
                  tolerance=round((s.width + t.width) / 2, 4),
                  evidence=[claim_ev(other), claim_ev(reserved), claim_ev(total)], section=other.section)
