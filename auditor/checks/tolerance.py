"""Interval arithmetic for printed figures (the XBRL Calculations 1.1 idea).

Every printed figure is an interval of ± half a unit of its last printed digit; a sum or a ratio is inconsistent
only when the intervals cannot meet. Pure functions; the tolerance applied is reported with every finding.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    @staticmethod
    def printed(value: float, decimals: int) -> "Interval":
        h = 0.5 * 10 ** (-decimals)
        return Interval(value - h, value + h)

    def __add__(self, o: "Interval") -> "Interval":
        return Interval(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: "Interval") -> "Interval":
        return Interval(self.lo - o.hi, self.hi - o.lo)

    def meets(self, o: "Interval", eps: float = 1e-9) -> bool:
        return self.lo <= o.hi + eps and o.lo <= self.hi + eps

    @property
    def width(self) -> float:
        return self.hi - self.lo


ZERO = Interval(0.0, 0.0)


def interval_sum(items) -> Interval:
    out = ZERO
    for it in items:
        out = out + it
    return out


def ratio(num: Interval, den: Interval) -> Interval | None:
    """num/den×100 over the intervals (den must stay positive)."""
    if den.hi <= 0:
        return None
    lo_den = max(den.lo, 1e-12)
    vals = [num.lo / lo_den, num.lo / den.hi, num.hi / lo_den, num.hi / den.hi]
    return Interval(min(vals) * 100, max(vals) * 100)


def round_half_up(x: float, decimals: int) -> float:
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(x)).quantize(q, rounding=ROUND_HALF_UP))


def one_unit_off(stated: float, exact: float, decimals: int) -> bool:
    """The percentage/amount is off by exactly one unit of its last printed digit (a judgement call: warning)."""
    unit = 10 ** (-decimals)
    return abs(abs(stated - round_half_up(exact, decimals)) - unit) < unit * 1e-6
