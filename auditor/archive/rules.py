"""Cross-document rules (family Y): one document's statement about another document's figure.

Documents are linked by identity: the same department (normalised key), kind (决算/预算) and year. Each finding is
reported on the document that makes the statement (its path, line and page) and cites both documents in its
evidence. Tolerance: every printed figure is an interval of ± half a unit of its last printed digit; two figures
agree when their intervals (or the interval derived from them) meet. Inside tolerance is never an error or a
warning; a difference of exactly one unit of the last printed digit is a warning (a judgement call).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator, Optional

from ..checks.registry import RULES, finding, rule
from ..model import Evidence, Finding, Provenance
from .facts import Change, DocFacts, Figure

Key = tuple[str, str, int]


def _index(facts: Iterable[DocFacts]) -> dict[Key, list[DocFacts]]:
    """Documents by (department key, kind, year); copies with the same content hash are kept once."""
    out: dict[Key, list[DocFacts]] = defaultdict(list)
    seen: set[tuple[Key, str]] = set()
    for f in sorted(facts, key=lambda f: f.path):
        if not (f.dept_key and f.kind and f.year):
            continue
        k = (f.dept_key, f.kind, f.year)
        if f.sha256 and (k, f.sha256) in seen:
            continue
        seen.add((k, f.sha256 or f.path))
        out[k].append(f)
    return out


def _linked(facts: list[DocFacts], kind_of, year_delta: int) -> Iterator[tuple[DocFacts, DocFacts]]:
    """(document, counterpart) pairs: the counterpart has the same department, kind ``kind_of(doc.kind)`` and year
    doc.year + year_delta."""
    idx = _index(facts)
    for docs in list(idx.values()):
        for d in docs:
            other = kind_of(d.kind)
            if other is None:
                continue
            for p in idx.get((d.dept_key, other, d.year + year_delta), []):
                if p.path != d.path:
                    yield d, p


def _name(subject: str) -> str:
    if subject.startswith("func:"):
        return f"科目 {subject[5:]}"
    return subject.replace("三公.", "“三公”经费·")


def _severity(default: str, diff: float, decimals: int) -> str:
    unit = 10 ** (-decimals)
    return "warning" if abs(abs(diff) - unit) < unit * 1e-6 else default


def _compare(code: str, default: str, d: DocFacts, stated: Figure, p: DocFacts, ref: Figure,
             what: str) -> Optional[Finding]:
    """One statement of ``d`` (``stated``) against the figure ``ref`` of ``p``: None when they agree exactly."""
    siv, riv = stated.interval, ref.interval
    diff = stated.value - ref.value
    tol = round((siv.width + riv.width) / 2, 6)
    if abs(diff) < 1e-9:
        return None
    if siv.meets(riv):
        sev, note = "info", "，相差在四舍五入尾差之内"
    else:
        sev, note = _severity(default, diff, min(stated.decimals, ref.decimals)), ""
    return finding(code, sev, f"{what} {stated.raw or '（空）'} 万元，但同一部门{p.label}中 {ref.text} 万元{note}"
                   f"（容差 ±{tol:g}）", prov=Provenance(d.path, stated.line, stated.page), stated=stated.value,
                   expected=ref.value, tolerance=tol, evidence=[stated.evidence(d.path), ref.evidence(p.path)])


@rule("Y01", "与上年比较的变动与上年文件不符", "error", """
说明写“与上年度相比，X 增加/减少 A 万元，增长/下降 B%”，由此推出的上年数（本年数 ∓ A，只写百分比时为 本年数 ÷ (1 ± B%)）
应等于同一部门上一年度同类文件（决算比上年决算，预算比上年预算）中 X 的本年数。容差：本年数、变动额（或百分比）与上年数
各按印刷位数取 ± 半个末位单位的区间，区间相交即一致；末位差一报警告。报告在写变动的文件上，证据同时引用两份文件。
失败例：2023 年决算说“收、支总计均为 585.49 万元，与上年度相比各减少 65.45 万元”（推出上年 650.94），而 2022 年决算
01表 总计 为 640.94。
通过例：2022 年决算 01表 总计 650.94 万元，585.49 + 65.45 = 650.94。""", scope="archive")
def change_vs_last_year(facts: list[DocFacts]):
    for d, p in _linked(facts, lambda k: k, -1):
        for ch in d.changes:
            ref = p.figures.get(ch.subject)
            implied = ch.implied_previous()
            if ref is None or implied is None:
                continue
            yield from _change_finding(d, p, ch, ref, implied)


def _change_finding(d: DocFacts, p: DocFacts, ch: Change, ref: Figure, implied) -> Iterator[Finding]:
    prev, iv, how = implied
    riv = ref.interval
    tol = round((iv.width + riv.width) / 2, 6)
    if abs(prev - ref.value) < 1e-9:
        return
    word = ("增加" if ch.polarity > 0 else "减少") if ch.amount is not None else ("增长" if ch.polarity > 0 else "下降")
    stated_fig = ch.amount if ch.amount is not None else ch.pct
    if ch.amount is not None:
        expected = round((ch.current.value - ref.value) * ch.polarity, 6)
        should = f"{word} {expected:.2f} 万元"
    else:
        expected = round((ch.current.value - ref.value) / ref.value * 100 * ch.polarity, 6) if ref.value else None
        should = f"{word} {expected:.2f}%" if expected is not None else "无法计算百分比（上年数为 0）"
    if iv.meets(riv):
        sev, note = "info", "，相差在四舍五入尾差之内"
    else:
        sev, note = _severity("error", stated_fig.value - (expected or 0), stated_fig.decimals), ""
    stated_ev = Evidence(prov=Provenance(d.path, ch.line, ch.page), value=stated_fig.value, text=ch.sentence)
    yield finding("Y01", sev, f"说明称{_name(ch.subject)}本年 {ch.current.raw} 万元，与上年相比{word} "
                  f"{stated_fig.raw}{' 万元' if ch.amount is not None else ''}，推出上年为 {prev:.2f} 万元（{how}），但同一部门上年文件"
                  f"{p.label}中 {ref.text} 万元{note}；"
                  f"按上年文件应为{should}（容差 ±{tol:g}）", prov=Provenance(d.path, ch.line, ch.page),
                  stated=stated_fig.value, expected=expected, tolerance=tol,
                  evidence=[stated_ev, ch.current.evidence(d.path), ref.evidence(p.path)])


@rule("Y02", "决算的年初预算与预算文件不符", "error", """
决算说明所写的一般公共预算财政拨款支出年初预算（总额，未写时取附件自评表的年初预算数）和各项（功能分类 项 级科目）的年初预算，
应等于同一部门同一年度预算文件中的数（一般公共预算支出预算表 合计行及各科目行的合计）；两份文件都列出的才核对。
容差：两数各取 ± 半个末位单位的区间，相交即一致；末位差一报警告。报告在决算上，证据同时引用预算文件的单元格。
失败例：2022 年决算说“事业运行(项) 年初预算为 253.41 万元”，2022 年预算 05表 2010350 合计 为 235.41。
通过例：2023 年决算说“年初预算为 682.70 万元”，2023 年预算 05表 合计 682.70。""", scope="archive")
def initial_budget_vs_budget(facts: list[DocFacts]):
    yield from _vs_budget("Y02", facts, "initial_budget", "figures", lambda s: f"说明称{_name(s)} 年初预算为")


def _vs_budget(code: str, facts: list[DocFacts], mine: str, theirs: str, what) -> Iterator[Finding]:
    """Each figure of a 决算's ``mine`` facts against the same key of that year's 预算's ``theirs`` facts."""
    for d, b in _linked(facts, lambda k: "预算" if k == "决算" else None, 0):
        for key, fig in getattr(d, mine).items():
            ref = getattr(b, theirs).get(key)
            f = None if ref is None else _compare(code, RULES[code].severity, d, fig, b, ref, what(key))
            if f is not None:
                yield f


@rule("Y03", "决算“三公”预算数与预算文件不符", "warning", """
决算“三公”经费支出决算表的预算数（合计及因公出国（境）费、公务用车购置及运行费、购置费、运行费、公务接待费）与同一部门
同一年度预算文件的“三公”经费预算表逐项核对。决算表的预算数是按规定程序调整后的全年预算，差异可能来自预算调整，故默认
报警告，请核实是否有调整并在说明中写明。容差：两数各取 ± 半个末位单位的区间，相交即一致。报告在决算上，证据引用两份文件。
失败例：2023 年决算 09表 预算数 公务用车购置及运行费 小计 9.8，2023 年预算 09表 为 4.80。
通过例：决算 09表 预算数 公务接待费 5，预算 09表 公务接待费 5.00。""", scope="archive")
def sangong_budget_vs_budget(facts: list[DocFacts]):
    yield from _vs_budget("Y03", facts, "sangong_budget", "sangong_budget",
                          lambda item: f"“三公”经费支出决算表 预算数 {item} 为")
