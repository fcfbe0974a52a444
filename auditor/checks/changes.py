"""C11: the changes of a total's parts add up to the total's change.

A 预算 narrative states a total with its change ("收、支预算总计 21,955.35 万元，与上年相比……各增加 3,958.67 万元") and
then lists the parts of that total, each with its own change ("基本支出预算数为 13,994.31 万元。与上年相比增加
1,670.85 万元 … 项目支出预算数为 5,573 万元。与上年相比增加 40 万元 … 单位预留机动经费预算数为 2,388.04 万元。与上年
相比增加 2,247.84 万元"). When the listed amounts add up to the total, they are its parts, and (the same breakdown both
years) the parts' changes add up to the total's change: Σ(本年ᵢ − 上年ᵢ) = 本年 − 上年.

The list is found by its arithmetic, never by its words: a run of consecutive figures of one section, each paired
with the change its own sentence states (budget.stated_change), whose amounts meet a total stated before them with
its change. A figure printed without decimals among the run's two-decimal figures ("增加 40 万元") is read as the
figure with its zeros left out (40.00), as budget.read_iv reads a sentence; otherwise each figure keeps the precision
it is printed with.
"""
from __future__ import annotations

from typing import Optional

from ..lexicons import load
from ..model import Claim, Document
from .budget import stated_change
from .common import claim_ev, fmt, wan
from .registry import finding, rule
from .tolerance import Interval

_MAX_PARTS = 8


def _paired(doc: Document, at: dict[int, int]) -> list[tuple[Claim, Claim]]:
    """(amount, its stated change) in document order: the first change each amount of this year is stated with."""
    seen: dict[int, tuple[Claim, Claim]] = {}
    for c in doc.claims:
        if c.kind != "change_amount" or c.value is None or not c.polarity or c.unit != "万元":
            continue
        s = stated_change(doc, c)
        if s is None or s.change is not c or s.current.value is None or s.current.unit != "万元" \
                or s.current.period != "本年" or (s.current.scope or {}).get("per_unit"):
            continue
        seen.setdefault(id(s.current), (s.current, c))
    return sorted(seen.values(), key=lambda p: at[id(p[0])])


def _iv(c: Claim, decimals: int) -> Interval:
    return Interval.printed(c.value or 0.0, max(c.decimals, min(decimals, 2)))


def _signed(c: Claim, decimals: int) -> Interval:
    iv = _iv(c, decimals)
    return iv if c.polarity > 0 else Interval(-iv.hi, -iv.lo)


def _overlap(a: Interval, b: Interval, eps: float = 1e-9) -> bool:
    """Printed figures are rounded half up, so each is a half-open interval: two sums are consistent only when their
    intervals share more than an end point."""
    return a.lo < b.hi - eps and b.lo < a.hi - eps


def _total_of(pairs, run, at: dict[int, int]) -> Optional[tuple[Claim, Claim]]:
    """The nearest all-funds total (lexicons/quantities.toml [change_parts]) stated with its change before the run,
    whose amount the run's amounts add up to. Another total of the same amount this year (一般公共预算收入 = 收支总计
    when all money is 一般公共预算) is not the run's whole: its last year may hold other funds (财政专户 147.20 万元
    that year)."""
    first = at[id(run[0][0])]
    prec = max(x.decimals for p in run for x in p)
    parts = Interval(sum(_iv(a, prec).lo for a, _ in run), sum(_iv(a, prec).hi for a, _ in run))
    wholes = load("quantities")["change_parts"]["wholes"]
    for a, ch in reversed(pairs):
        if at[id(a)] >= first or not ({a.subject, ch.subject} & set(wholes)):
            continue
        if any((x.scope or {}).get("fund") not in (None, "全部资金") for x in (a, ch)):
            continue   # "财政拨款收、支总预算 …": another fund's total, whose last year may differ from all funds'
        if Interval.printed(a.value, a.decimals).meets(parts):
            return a, ch
    return None


def _words(c: Claim) -> str:
    """The words the sentence names the figure with ('' when it names none or its subject came from context)."""
    w = c.subject_text or ""
    return "" if not w or w.startswith("<") else w + " "


@rule("C11", "分项增减额之和与总额增减额不符", "warning", """
说明写出总额及其增减额，又逐项写出各分项（金额之和等于该总额）及各自的增减额时，各分项增减额之和应等于总额的增减额
（同一口径两年的分项相同：Σ(本年ᵢ − 上年ᵢ) = 本年 − 上年）。分项由算术确定：同一章节中连续的、各带增减额的金额，其和与
前文一个带增减额的总额相符。没有小数的金额或增减额与同一列举中两位小数的数并列时读作省略的末尾零（“40 万元”读作
40.00）。容差：各数末位半个单位之和，四舍五入的区间为半开区间，恰好相接不算相符。上年的分项若有本年已不列的项目，
差额可能由此而来，故报警告。
失败例：“收、支预算总计 21,955.35 万元……各增加 3,958.67 万元”；“基本支出 13,994.31 万元，增加 1,670.85 万元；项目支出
5,573 万元，增加 40 万元；单位预留机动经费 2,388.04 万元，增加 2,247.84 万元”（分项增加额合计 3,958.69）。
通过例：同一总额下“公共安全支出 16,458.75 万元增加 2,802.41 万元、社会保障和就业支出 1,836.22 万元减少 184.96 万元、
住房保障支出 3,660.38 万元增加 1,341.22 万元”（2,802.41 − 184.96 + 1,341.22 = 3,958.67）。""")
def part_changes_vs_total(doc: Document):
    at = {id(c): k for k, c in enumerate(doc.claims)}
    pairs = _paired(doc, at)
    reported: set[int] = set()
    for i in range(len(pairs)):
        for n in range(2, _MAX_PARTS + 1):
            run = pairs[i:i + n]
            if len(run) < n or len({a.section for a, _ in run}) > 1:
                break
            total = _total_of(pairs, run, at)
            if total is None:
                continue
            t_amount, t_change = total
            k = i + n
            while k < len(pairs) and pairs[k][0].value == 0:
                # a part gone this year ("上年结转结余为 0 万元。与上年相比减少 94,815.95 万元") keeps the sum
                # and carries its change
                run.append(pairs[k])
                k += 1
            prec = max(x.decimals for p in run for x in p)
            s = Interval(sum(_signed(ch, prec).lo for _, ch in run), sum(_signed(ch, prec).hi for _, ch in run))
            t = _signed(t_change, t_change.decimals)
            if _overlap(s, t) or id(t_change) in reported:
                break
            reported.add(id(t_change))
            total_sum = sum(wan(ch) * ch.polarity for _, ch in run)
            listed = "、".join(f"{_words(a)}{a.raw}（{'增加' if ch.polarity > 0 else '减少'} {ch.raw}）" for a, ch in run)
            gone = ""
            if total_sum > wan(t_change) * t_change.polarity:
                gone = (f"；只有上年另有本年未列、合计 {fmt(total_sum - wan(t_change) * t_change.polarity)} 万元的分项"
                        f"（本年为零）才能相符")
            yield finding("C11", "warning",
                          f"所列分项 {listed} 之和等于总额 {t_amount.raw} 万元，各分项增减额合计 {fmt(total_sum)} 万元，"
                          f"与所说总额{'增加' if t_change.polarity > 0 else '减少'} {t_change.raw} 万元不符{gone}",
                          prov=run[0][1].prov, stated=round(total_sum, 2), expected=t_change.value * t_change.polarity,
                          tolerance=round((s.width + t.width) / 2, 4),
                          evidence=[claim_ev(ch) for _, ch in run] + [claim_ev(t_change)], section=run[0][0].section)
            break
