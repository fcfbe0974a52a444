"""The figures of one synthetic department-year and how they are derived from a real seed (see make_synthetic.py).

Every figure is computed: taken from the audited seed (auditor.pipeline.audit), or scaled from a seed figure by a
documented factor, rounded half-up to 0.01 万元, with the rounding residual put on the largest part so that every
total is exactly the sum of its printed parts (the derived documents then add up without even a rounding tail).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional

from auditor.archive.facts import _changes
from auditor.checks.tolerance import round_half_up
from auditor.model import Document


def r2(x: float) -> float:
    return round_half_up(x, 2)


def pct(part: float, whole: float) -> float:
    """A percentage as a disclosure prints it: the exact ratio of the printed figures, rounded half-up to 0.01."""
    return r2(part / whole * 100) if whole else 0.0


def scale_to(values: dict[str, float], target: float, pinned: Optional[dict[str, float]] = None) -> dict[str, float]:
    """``values`` scaled so that they (with ``pinned``, which keep their value) add up to ``target`` exactly."""
    pinned = pinned or {}
    free = {k: v for k, v in values.items() if k not in pinned and v}
    rest = r2(target - sum(pinned.values()))
    base = sum(free.values())
    out = {k: r2(v * rest / base) for k, v in free.items()} if base else {}
    if out:
        big = max(out, key=lambda k: (out[k], k))
        out[big] = r2(out[big] + rest - sum(out.values()))
    return {**{k: 0.0 for k in values}, **out, **pinned}


@dataclass
class Item:
    """A 项 (7-digit functional code) of the year: basic and project expenditure."""

    code: str
    name: str
    basic: float
    project: float

    @property
    def total(self) -> float:
        return r2(self.basic + self.project)


@dataclass
class Sangong:
    abroad: float = 0.0
    purchase: float = 0.0
    running: float = 0.0
    reception: float = 0.0

    @property
    def car(self) -> float:
        return r2(self.purchase + self.running)

    @property
    def total(self) -> float:
        return r2(self.abroad + self.car + self.reception)

    def scaled(self, f: float) -> "Sangong":
        return Sangong(r2(self.abroad * f), r2(self.purchase * f), r2(self.running * f), r2(self.reception * f))


@dataclass
class DeptYear:
    """One document's figures: a 决算 (actuals, with its 年初预算 and the 三公 预算数) or a 预算 (the budget)."""

    dept: str
    year: int
    kind: str                                   # 决算 | 预算
    items: list[Item]
    names: dict[str, str]                       # functional code (类/款/项) -> name
    econ: dict[str, float]                      # basic expenditure by economic leaf code (30101 …)
    econ_names: dict[str, str]                  # economic code (group and leaf) -> name
    sangong: Sangong                            # 决算: actual; 预算: the budget
    sangong_budget: Optional[Sangong] = None    # 决算: the 三公 table's 预算数 (全年预算)
    initial: dict[str, float] = field(default_factory=dict)   # 决算: 年初预算 per 项 (the narrative states them)
    prev: dict[str, float] = field(default_factory=dict)      # last year's figure a 与上年相比 statement uses
    vehicles: int = 0
    stated_initial: dict[str, float] = field(default_factory=dict)  # a 年初预算 the narrative states differently

    @property
    def total(self) -> float:
        return r2(sum(i.total for i in self.items))

    @property
    def basic(self) -> float:
        return r2(sum(i.basic for i in self.items))

    @property
    def project(self) -> float:
        return r2(sum(i.project for i in self.items))

    def group(self, prefix: str) -> float:
        return r2(sum(v for k, v in self.econ.items() if k.startswith(prefix)))

    @property
    def personnel(self) -> float:   # 人员经费 = 301 + 303
        return r2(self.group("301") + self.group("303"))

    @property
    def public(self) -> float:      # 公用经费 = 302 + 307 + 310 + 399
        return r2(self.basic - self.personnel)

    def func_total(self, code: str) -> tuple[float, float]:
        """(basic, project) of a 类 or 款 code: the sum of its 项."""
        its = [i for i in self.items if i.code.startswith(code)]
        return r2(sum(i.basic for i in its)), r2(sum(i.project for i in its))

    def func_codes(self) -> list[str]:
        """类, 款 and 项 codes in printed order."""
        out: list[str] = []
        for i in sorted(self.items, key=lambda i: i.code):
            for c in (i.code[:3], i.code[:5], i.code):
                if c not in out:
                    out.append(c)
        return out

    def initial_total(self) -> float:
        return r2(sum(self.initial.values()))


# ---------------------------------------------------------------------------------------------- from the seed

def seed_year(doc: Document) -> DeptYear:
    """The seed 决算's own figures: its 项 (05表), basic expenditure by economic code (06表), 三公 (09表), the
    年初预算 per 项 and last year's totals its narrative states."""
    t05 = doc.table("J05") or doc.table("J03")
    basic_col, proj_col = ("基本支出", "项目支出")
    names = {r.key: r.name or r.key for r in t05.rows if r.key.isdigit()}
    items = [Item(r.key, r.name or r.key, r.value(basic_col) or 0.0, r.value(proj_col) or 0.0)
             for r in t05.rows if r.key.isdigit() and len(r.key) == 7]
    t06 = doc.table("J06")
    econ_names = {r.key: r.name or r.key for r in t06.rows if r.key.isdigit()}
    econ = {r.key: r.value("决算数") or 0.0 for r in t06.rows if r.key.isdigit() and len(r.key) == 5}
    t09 = doc.table("J09")

    def sg(row: str) -> Sangong:
        v = lambda col: t09.value(row, col) or 0.0  # noqa: E731
        return Sangong(v("因公出国（境）费"), v("公务用车购置费"), v("公务用车运行维护费"), v("公务接待费"))

    initial = {c.subject[5:]: c.value for c in doc.claims
               if c.kind == "amount" and c.period == "年初预算" and (c.subject or "").startswith("func:")}
    prev: dict[str, float] = {}
    for ch in _changes(doc):  # "与上年度相比 … 减少 X 万元": last year's figure, as the Y01 rule reads it
        implied = ch.implied_previous() if ch.amount is not None else None
        if implied is not None and ch.subject not in prev:
            prev[ch.subject] = r2(implied[0])
    vehicles = next((int(c.value) for c in doc.claims if c.kind == "count" and c.subject == "车辆数"
                     and c.unit == "辆" and "保有量" in c.sentence), 0)
    return DeptYear(doc.department, doc.year, "决算", items, names, econ, econ_names, sg("决算数"), sg("预算数"),
                    initial, prev, vehicles)


def pin_sangong(econ: dict[str, float], s: Sangong) -> dict[str, float]:
    """The 06表 economic codes that restate the 三公 actuals (公务用车运行维护费 30231, 公务接待费 30217,
    因公出国（境）费用 30212), pinned to them."""
    pins = {"30231": s.running, "30217": s.reception, "30212": s.abroad}
    return {k: v for k, v in pins.items() if k in econ and (v or econ.get(k))}


def derive_year(base: DeptYear, year: int, kind: str, item_totals: dict[str, float], sangong: Sangong,
                **kw) -> DeptYear:
    """A department-year with the seed's structure: each 项 keeps its basic/project split, the economic
    breakdown of basic expenditure keeps the seed's proportions (三公-linked codes pinned to the 三公 figures)."""
    items = []
    for i in base.items:
        t = item_totals[i.code]
        share = i.basic / i.total if i.total else 1.0
        b = r2(t * share)
        items.append(Item(i.code, i.name, b, r2(t - b)))
    y = DeptYear(base.dept, year, kind, items, dict(base.names), {}, dict(base.econ_names), sangong, **kw)
    y.econ = scale_to(base.econ, y.basic, pin_sangong(base.econ, sangong))
    return y


def scaled_items(base: DeptYear, target: float, source: Optional[dict[str, float]] = None) -> dict[str, float]:
    """Per-项 totals scaled from ``source`` (default: the base year's 项 totals) to add up to ``target``."""
    return scale_to(source or {i.code: i.total for i in base.items}, target)


def with_stated_initial(y: DeptYear, code: str, value: float) -> DeptYear:
    return replace(y, stated_initial={**y.stated_initial, code: value})
