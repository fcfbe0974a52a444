"""Document facts: what the cross-document (Y) rules need from one audited document.

A `DocFacts` is small, picklable and JSON-serialisable (`to_dict` / `DocFacts.from_dict`), so a batch can audit
documents in worker processes (or on a cluster), keep only the facts, store them, and run the archive rules later
over every department and year at once. Every figure keeps its provenance (line/page, table id, row key, column, or
the narrative sentence it was stated in) so that a cross-document finding can cite both documents.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Optional

from ..align import CellRef, candidates, locate, resolve
from ..checks.narrative import _preceding_amount, _sentence_amount
from ..checks.tolerance import Interval
from ..lexicons import load
from ..model import AuditResult, Claim, Document, Evidence, Provenance
from ..structure.meta import normalise_department

# the 三公 items, as columns of the 三公 table (决算 J09 / 预算 Y09, row 预算数) and as claim subjects ("三公." + item)
SANGONG_ITEMS = ("合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费")
SANGONG_TABLE = {"决算": "J09", "预算": "Y09"}
# tables whose code rows give a functional (类/款/项) figure of the year, in order of preference
FUNC_TABLES = {"决算": ("J05", "J03"), "预算": ("Y05", "Y03")}
# the 年初预算 quantities of a 决算 that a 预算 document restates: the general-budget total and each 项
BUDGET_TOTAL = "一般公共预算财政拨款支出"


@dataclass
class Figure:
    """One printed figure and where it stands: a table cell (table/row/column) or a narrative statement (text)."""

    subject: str                  # quantity key (lexicons/quantities.toml), "func:<code>", or a 三公 item
    value: float
    decimals: int                 # printed decimals: the figure is the interval value ± half a unit of the last one
    raw: str                      # as printed ("" for an empty cell, which counts as 0 exactly)
    line: Optional[int] = None
    page: Optional[int] = None
    table: Optional[str] = None
    row: Optional[str] = None
    column: Optional[str] = None
    text: str = ""                # the cell's description or the sentence

    @property
    def interval(self) -> Interval:
        if not self.raw:
            return Interval(self.value, self.value)
        return Interval.printed(self.value, self.decimals)

    def evidence(self, path: str) -> Evidence:
        return Evidence(prov=Provenance(path, self.line, self.page), table=self.table, row=self.row,
                        column=self.column, value=self.value, text=self.text)


@dataclass
class Change:
    """"与上年度相比，X 增加/减少 A 万元，增长/下降 B%": this year's value, the stated change and where it is said."""

    subject: str
    polarity: int                 # +1 增加/增长, -1 减少/下降
    current: Figure               # this year's value the change is stated against (the narrative's own figure)
    amount: Optional[Figure] = None   # the change in 万元
    pct: Optional[Figure] = None      # the change in %
    sentence: str = ""
    line: Optional[int] = None
    page: Optional[int] = None

    def implied_previous(self) -> Optional[tuple[float, Interval, str]]:
        """Last year's value implied by the statement: this year ∓ A (preferred), or this year ÷ (1 ± B%).
        -> (value, interval, how it was derived), None when it cannot be derived (no change figure, 100% decrease)."""
        cur, civ = self.current.value, self.current.interval
        if self.amount is not None:
            a, aiv = self.amount.value, self.amount.interval
            if self.polarity > 0:
                return cur - a, civ - aiv, f"{self.current.raw} − {self.amount.raw}"
            return cur + a, civ + aiv, f"{self.current.raw} + {self.amount.raw}"
        if self.pct is not None:
            p, piv = self.pct.value / 100, Interval(self.pct.interval.lo / 100, self.pct.interval.hi / 100)
            f_lo, f_hi = (1 + piv.lo, 1 + piv.hi) if self.polarity > 0 else (1 - piv.hi, 1 - piv.lo)
            if f_lo <= 0:
                return None
            sign = "+" if self.polarity > 0 else "−"
            return (cur / (1 + p if self.polarity > 0 else 1 - p), Interval(civ.lo / f_hi, civ.hi / f_lo),
                    f"{self.current.raw} ÷ (1 {sign} {self.pct.raw})")
        return None


@dataclass
class DocFacts:
    """What the Y rules need from one audited document (see the module docstring)."""

    path: str
    sha256: Optional[str] = None
    department: Optional[str] = None
    dept_key: Optional[str] = None
    year: Optional[int] = None
    kind: Optional[str] = None    # "决算" | "预算" | None
    figures: dict[str, Figure] = field(default_factory=dict)         # this year's figure per quantity (tables)
    changes: list[Change] = field(default_factory=list)              # the narrative's 与上年相比 statements
    initial_budget: dict[str, Figure] = field(default_factory=dict)  # 决算: 年初预算 (total, per 项 "func:<code>")
    sangong_budget: dict[str, Figure] = field(default_factory=dict)  # the 三公 table's 预算数 row, per item

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DocFacts":
        fig = lambda x: None if x is None else Figure(**x)  # noqa: E731
        changes = [Change(**{**c, "current": fig(c["current"]), "amount": fig(c.get("amount")),
                             "pct": fig(c.get("pct"))}) for c in d.get("changes", [])]
        return cls(path=d["path"], sha256=d.get("sha256"), department=d.get("department"),
                   dept_key=d.get("dept_key"), year=d.get("year"), kind=d.get("kind"),
                   figures={k: fig(v) for k, v in d.get("figures", {}).items()}, changes=changes,
                   initial_budget={k: fig(v) for k, v in d.get("initial_budget", {}).items()},
                   sangong_budget={k: fig(v) for k, v in d.get("sangong_budget", {}).items()})

    @property
    def label(self) -> str:
        """How a finding about another document of the same department names this one: year, kind and file."""
        who = "".join(str(x) for x in (f"{self.year}年" if self.year else None, self.kind) if x)
        return f"{who}（{self.path.replace(chr(92), '/').rsplit('/', 1)[-1]}）"


def _ref_figure(subject: str, ref: CellRef) -> Figure:
    cell, empty = ref.cell, ref.cell.value is None
    return Figure(subject, 0.0 if empty else cell.value, 2 if empty else cell.decimals, "" if empty else cell.raw,
                  cell.prov.line, cell.prov.page, ref.table.id, ref.row.key, ref.column,
                  f"{ref.table.title}「{ref.row.name or ref.row.key}」{ref.column} = {'（空）' if empty else cell.raw}")


def _claim_figure(c: Claim) -> Figure:
    value = c.value or 0.0
    decimals = c.decimals
    if c.unit == "元":
        value, decimals = value / 10000, decimals + 4
    elif c.unit == "亿元":
        value, decimals = value * 10000, max(decimals - 4, 0)
    return Figure(c.subject or "", value, decimals, c.raw, c.prov.line, c.prov.page, text=c.sentence.strip())


def _resolve(doc: Document, subject: str, period: str):
    """`auditor.align.resolve`, and a 总计 candidate also found where a 收支总表 prints it as 收入总计 / 支出总计 (the
    预算 tables of Henan do; the alignment lexicon names the row 总计)."""
    ref = resolve(doc, subject, period)
    if ref is not None:
        return ref
    for t_id, row, col in candidates(doc, subject, period):
        side = t_id.rsplit(".", 1)[-1]
        if row == "总计" and side in _TOTAL_ROWS:
            ref = locate(doc, t_id, _TOTAL_ROWS[side], col)
            if ref is not None and ref.cell.exact:
                return ref
    return None


_TOTAL_ROWS = {"income": "收入总计", "expenditure": "支出总计"}


def _figures(doc: Document) -> dict[str, Figure]:
    """This year's figure of every quantity the alignment lexicon knows for the document's kind, and of every
    functional code row (决算: 05表 then 03表; 预算: 05表 then 03表). Cells placed by guesswork are left out."""
    kind = doc.kind or "决算"
    out: dict[str, Figure] = {}
    subjects = [s for s in load("alignment").get(kind, {}).get("本年", {}) if not s.endswith("*")]
    for t_id in FUNC_TABLES.get(kind, ()):
        t = doc.table(t_id)
        if t is not None and t.row_key == "code":
            subjects += [f"func:{r.key}" for r in t.rows if r.key.isdigit()]
    for s in dict.fromkeys(subjects):
        ref = _resolve(doc, s, "本年")
        if ref is not None:
            out[s] = _ref_figure(s, ref)
    return out


def _changes(doc: Document) -> list[Change]:
    """Change statements whose this-year figure is stated in the same sentence (or just before) for the same
    quantity; a change whose subject the narrative does not also give a value for is not firm enough to use.
    "减少 A 万元，下降 B%" is one statement (A and B); a percentage alone is one too."""
    out: list[Change] = []
    used: set[int] = set()
    for i, c in enumerate(doc.claims):
        if c.kind not in ("change_amount", "change_pct") or not c.subject or c.value is None or id(c) in used:
            continue
        pct = c if c.kind == "change_pct" else next(
            (x for x in doc.claims[i + 1:] if x.kind == "change_pct" and x.sentence == c.sentence
             and x.subject == c.subject and x.value is not None), None)
        amount = c if c.kind == "change_amount" else None
        used.update(id(x) for x in (amount, pct) if x is not None)
        polarity = (amount.polarity if amount else 0) or (pct.polarity if pct else 0)
        cur = _sentence_amount(doc, c, c.subject) or _preceding_amount(doc, c)
        if not polarity or cur is None or cur.value is None or cur.period not in ("本年", None):
            continue
        out.append(Change(c.subject, polarity, _claim_figure(cur), amount and _claim_figure(amount),
                          pct and _claim_figure(pct), c.sentence.strip(), c.prov.line, c.prov.page))
    return out


def _initial_budget(doc: Document) -> dict[str, Figure]:
    """决算: the 年初预算 the narrative states for the general-budget total and per 项 (first statement of each);
    the total falls back on the annex's 年初预算数 cell when the narrative does not state it."""
    out: dict[str, Figure] = {}
    if doc.kind != "决算":
        return out
    for c in doc.claims:
        if c.kind == "amount" and c.period == "年初预算" and c.value is not None and c.subject \
                and (c.subject == BUDGET_TOTAL or c.subject.startswith("func:")) \
                and not (c.subject_text or "").startswith(("<topic>", "<section>")) and c.subject not in out:
            out[c.subject] = _claim_figure(c)
    if BUDGET_TOTAL not in out:
        ref = resolve(doc, BUDGET_TOTAL, "年初预算")
        if ref is not None and ref.value is not None:
            out[BUDGET_TOTAL] = _ref_figure(BUDGET_TOTAL, ref)
    return out


def _sangong_budget(doc: Document) -> dict[str, Figure]:
    t_id = SANGONG_TABLE.get(doc.kind or "")
    out: dict[str, Figure] = {}
    for item in SANGONG_ITEMS if t_id else ():
        ref = locate(doc, t_id, "预算数", item)
        if ref is not None and ref.cell.exact:
            out[item] = _ref_figure(item, ref)
    if out and all(not f.raw for f in out.values()) and doc.table(t_id).no_data_note is None:
        return {}  # a 三公 table printed without a 预算数 figure says nothing about the budget
    return out


def facts_of(result: AuditResult) -> DocFacts:
    """The facts of one audited document (its claims must have been extracted, as `auditor.pipeline.audit` does)."""
    doc = result.doc
    return DocFacts(path=doc.source.path, sha256=doc.source.sha256, department=doc.department,
                    dept_key=normalise_department(doc.department) if doc.department else None,
                    year=doc.year, kind=doc.kind, figures=_figures(doc), changes=_changes(doc),
                    initial_budget=_initial_budget(doc), sangong_budget=_sangong_budget(doc))
