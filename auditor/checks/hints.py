"""Why a stated figure likely differs from the one it should be, when the figures themselves show it (the way a
reviewer writes it beside a finding): a factor 10/100/1000/10000 (元 read as 万元, a misplaced decimal point), two
adjacent digits swapped, one digit too many or too few, or the value of another table cell (another scope's figure,
e.g. the all-funds 基本支出 stated as the 一般公共预算 one). Pure functions; a hint is never a finding of its own.
"""
from __future__ import annotations

from typing import Optional

from ..model import Document
from .common import fmt
from .tolerance import round_half_up

_FACTORS = ((10000, "相差一万倍，疑将以“元”为单位的数写作“万元”"), (1 / 10000, "相差一万倍，疑将以“万元”为单位的数写作“元”"),
            (1000, "相差一千倍，疑小数点错位"), (1 / 1000, "相差一千倍，疑小数点错位"),
            (100, "相差一百倍，疑小数点错位"), (1 / 100, "相差一百倍，疑小数点错位"),
            (10, "相差十倍，疑小数点错位"), (1 / 10, "相差十倍，疑小数点错位"))


def _digits(v: float, decimals: int) -> str:
    return f"{round_half_up(abs(v), decimals):.{decimals}f}".replace(".", "").lstrip("0")


def digit_hint(stated: float, decimals: int, expected: float, exp_decimals: int) -> Optional[str]:
    """The pattern of the digits: a power-of-ten factor, two adjacent digits swapped, one digit more or fewer."""
    if not stated or not expected or (stated > 0) != (expected > 0):
        return None
    half = 0.5 * 10 ** (-decimals)
    if min(abs(stated), abs(expected)) < 20 * max(half, 0.5 * 10 ** (-exp_decimals)):
        return None   # a figure of one or two printed digits: no pattern in its digits is telling
    for k, words in _FACTORS:
        if abs(stated - expected * k) <= half + 0.5 * 10 ** (-exp_decimals) * k + 1e-9:
            return words
    a, b = _digits(stated, decimals), _digits(expected, decimals)
    if a == b or not a or not b:
        return None
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return "两位数字前后颠倒"
    if abs(len(a) - len(b)) == 1:
        long, short = (a, b) if len(a) > len(b) else (b, a)
        if any(long[:i] + long[i + 1:] == short for i in range(len(long))):
            return "多写一位数字" if long is a else "漏写一位数字"
    return None


def cell_hint(doc: Document, stated: float, decimals: int, skip: tuple = ()) -> Optional[str]:
    """The first other table cell printing the stated value (a figure of 3 or more significant digits, so a match is
    not a coincidence of round numbers): the figure was likely taken from that cell, another scope's (or, in the
    table of ``skip``'s first cell, another column or row of it)."""
    if stated is None or len(_digits(stated, decimals).rstrip("0")) < 3:
        return None
    half = 0.5 * 10 ** (-decimals)
    for t in doc.tables:
        for r in t.rows:
            for col, cell in r.cells.items():
                if not cell.exact or cell.value is None or (t.id, r.key, col) in skip:
                    continue
                if abs(cell.value - stated) <= half + 0.5 * 10 ** (-cell.decimals) + 1e-9:
                    same = f"所写数字与{t.title}「{r.name or r.key}」{col} {fmt(cell.value)} 相同"
                    if skip and t.id == skip[0][0]:
                        return same + "，疑取了该格（同表另一栏/行）的数"
                    # another table's cell: another scope's figure, or the same figure that one of the two tables
                    # prints wrongly (表5 基本支出 82,479.29 where 表6 and the narrative give 82,529.89)
                    return same + "：或取了另一口径的数，或两表之一有误"
    return None


def with_hint(message: str, *hints: Optional[str]) -> str:
    """The message with the first hint that applies, as the reviewer's note “可能原因：…”."""
    h = next((x for x in hints if x), None)
    return f"{message}（可能原因：{h}）" if h else message
