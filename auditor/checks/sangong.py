"""三公 (S) rules beyond the table's own sums (T02) and the narrative's restatements (N01, C01, C03): the 三公 table
against the basic-expenditure table's economic codes, and completion rates stated against a zero budget."""
from __future__ import annotations

from ..lexicons import load
from ..model import Document
from ..claims import sentence_claims
from .common import cell_ev, cell_iv, claim_ev, completion_period, fmt, label, usable
from .registry import finding, rule


@rule("S01", "三公经费与基本支出经济分类不符", "error", """
三公表决算数的各项不能小于06表对应经济科目（因公出国（境）费 ↔ 30212，公务接待费 ↔ 30217，公务用车运行维护费 ↔
30231）：全部为基本支出时两者相等，否则三公数更大（其余为项目支出，报提示）。容差：两数末位半个单位之和。
失败例：三公表公务接待费决算 0.11，06表 30217 公务接待费 0.50。
通过例：三公表公务用车运行维护费决算 2.45，06表 30231 公务用车运行维护费 2.45。""")
def sangong_vs_econ(doc: Document):
    t09, t06 = doc.table("J09"), doc.table("J06")
    if t09 is None or t06 is None or t09.row("决算数") is None:
        return
    r09 = t09.row("决算数")
    for spec in load("identities").get("sangong_econ", []):
        c09, r06 = r09.cells.get(spec["item"]), t06.row(spec["econ"])
        if r06 is None or spec["item"] not in t09.columns:
            continue
        c06 = r06.cells.get("决算数")
        if c06 is None or c06.value is None or not c06.exact or not usable(c09):
            continue
        i09, i06 = cell_iv(c09), cell_iv(c06)
        v09, v06 = (c09.value or 0.0) if c09 else 0.0, c06.value or 0.0
        tol = round((i09.width + i06.width) / 2, 4)
        ev = [cell_ev(t09, r09, spec["item"], c09), cell_ev(t06, r06, "决算数", c06)]
        if i09.hi + 1e-9 >= i06.lo:
            if v09 > v06 + 1e-9 and not i09.meets(i06):
                yield finding("S01", "info", f"三公表{spec['item']}决算 {fmt(v09)} 大于06表 {r06.code} {r06.name} "
                              f"{fmt(v06)}，差额 {fmt(v09 - v06)} 应为项目支出中的三公经费", prov=ev[0].prov, stated=v09,
                              expected=v06, tolerance=tol, evidence=ev)
            continue
        yield finding("S01", "error", f"三公表{spec['item']}决算为 {fmt(v09)}，小于06表 {r06.code} {r06.name} {fmt(v06)}"
                      f"（容差 ±{tol}）", prov=ev[0].prov, stated=v09, expected=v06, tolerance=tol, evidence=ev)


@rule("S02", "预算为零却称完成比例", "error", """
说明称“完成（年初/全年）预算的 Z%”，而同句（或三公表）所说的预算数为 0：比例无从计算。Z 不为 0 报错误（多为把全年
预算的完成率写成年初预算的）；决算也为 0 或写作 0% 报提示（0 ÷ 0 无意义，惯例写 0% 或 100%）。
失败例：“年初预算为 0 万元，支出决算为 307.82 万元，完成年初预算的 95.89%”。
通过例：“年初预算为 42.54 万元，支出决算为 42.54 万元，完成年初预算的 100%”。""")
def completion_of_zero(doc: Document):
    for c in doc.claims:
        if c.kind != "completion" or c.value is None or not c.subject:
            continue
        same = [x for x in sentence_claims(doc.claims, c) if x.kind == "amount"
                and x.subject == c.subject and x.span[0] < c.span[0]]
        budget = next((x for x in reversed(same) if x.period == completion_period(c)), None)
        actual = next((x for x in reversed(same) if x.period == "本年"), None)
        if budget is None or budget.value is None or abs(budget.value) > 1e-9:
            continue
        spent = actual is not None and bool(actual.value)
        sev = "error" if c.value and spent else "info"
        yield finding("S02", sev, f"说明称{label(doc, c)}{budget.period}为 {budget.raw} 万元"
                      f"{'、支出决算为 ' + actual.raw + ' 万元' if actual is not None else ''}，却称完成{budget.period}的 "
                      f"{c.raw}：预算为零时完成比例无从计算", prov=c.prov, stated=c.value, expected=None,
                      evidence=[claim_ev(c), claim_ev(budget)] + ([claim_ev(actual)] if actual else []),
                      section=c.section)
