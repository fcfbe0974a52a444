"""N06: the 预算 narrative's performance paragraph ("共计 24 个一级项目，涉及资金 568,368.51 万元（一级项目绩效目标表，
详见表11）", "涉及一级预算项目 76 个，预算资金 45967.29 万元") against the project performance tables it describes.

The project set is read from the 项目支出绩效目标表 (Y17) in one of two printed shapes: one list of projects, a row
each (杭州/湖州 表11 "单位名称 | 项目名称 | 金额 | 绩效目标", possibly over several pages), or one small table per
project (烟台 "政策和项目预算绩效目标表": 项目名称, 年度预算资金总额). Tables of one printed title form one set. The
sentence is checked only when exactly one set counts as many projects as it states, so the set is known to be the
one it describes; a stated figure that is another fund column of those same projects (the 一般公共预算 part of the
项目支出预算表's 合计 row, the Σ of the tables' 财政拨款 lines) is listed as unverifiable, never compared.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .. import rx as re

from ..claims import sentence_claims
from ..lexicons import load
from ..model import Cell, Claim, Document, Row, Table
from ..structure.units import to_wan
from .budget import read_iv
from .cross import _project_amount
from .common import cell_ev, cell_iv, claim_ev, fmt, wan
from .hints import cell_hint, digit_hint, with_hint
from .registry import finding, rule
from .tolerance import Interval, interval_sum

Ref = tuple[Table, Row, str, Optional[Cell]]


@dataclass
class ProjectSet:
    """The projects of one printed performance table (or one title's per-project tables): a cell each."""
    title: str
    shape: str                                  # "list" | "per_project"
    projects: list[Ref] = field(default_factory=list)
    fiscal: list[Ref] = field(default_factory=list)   # per-project tables: their 财政拨款 lines
    complete: bool = True                       # False: a project of the set prints no amount

    def iv(self, refs: Optional[list[Ref]] = None) -> Interval:
        return interval_sum(_wan_iv(t, c) for t, _, _, c in (self.projects if refs is None else refs))

    def total(self, refs: Optional[list[Ref]] = None) -> float:
        return round(sum(_wan_v(t, c) for t, _, _, c in (self.projects if refs is None else refs)), 2)


def _unit(t: Table, c: Cell) -> str:
    return c.unit or t.unit or "万元"


def _wan_v(t: Table, c: Optional[Cell]) -> float:
    return 0.0 if c is None or c.value is None else to_wan(c.value, _unit(t, c))


def _wan_iv(t: Table, c: Optional[Cell]) -> Interval:
    iv = cell_iv(c)
    if c is None:
        return iv
    k = to_wan(1.0, _unit(t, c))
    return Interval(iv.lo * k, iv.hi * k)


_HAN = re.compile(r"\p{Han}")


def _title_key(t: Table) -> str:
    """The printed title without its label, year and punctuation; a character drawn twice (fake bold read as two:
    "预预算算绩绩效效") counts once."""
    s = "".join(_HAN.findall(re.sub(r"\d{4}\s*年度?", "", t.printed_title or t.title)))
    s = re.sub(r"^(?:附表|表)", "", s)
    return re.sub(r"(\p{Han})\1", r"\1", s)


def project_sets(doc: Document) -> list[ProjectSet]:
    spec = load("identities")["performance_projects"]
    amount_rows = load("identities")["project_budget"]["amount_rows"]
    sets: dict[tuple[str, str], ProjectSet] = {}
    for t in doc.tables:
        if t.id.split("_")[0] != spec["table"] or not t.columns:
            continue
        subject = t.row(spec["subject_row"])
        if subject is not None and subject.name:          # one project's table
            s = sets.setdefault((_title_key(t), "per_project"), ProjectSet(_title_key(t), "per_project"))
            ref = _project_amount(t, amount_rows)
            if ref is None:
                s.complete = False
                continue
            s.projects.append((t, *ref))
            fiscal = _project_amount(t, spec["fiscal_rows"])
            if fiscal is not None:
                s.fiscal.append((t, *fiscal))
            continue
        col = t.columns[0]
        rows = [r for r in t.rows if r.key not in spec["total_rows"] and not r.key.startswith("*")
                and len(_HAN.findall(r.name or "")) >= 2 and r.cells.get(col) is not None
                and r.cells[col].value is not None]
        if not rows:
            continue    # a page carrying on a project's indicators, or a heading with no table under it
        s = sets.setdefault((_title_key(t), "list"), ProjectSet(_title_key(t), "list"))
        if any(_not_project(r, spec) for r in t.rows):
            # a project's own table whose 项目名称 was not read (its amount lines 资金总额 / 财政拨款 / 其他资金), or a
            # list interleaving indicator lines (成本指标 20): the rows are not one project each
            s.complete = False
        # a row printing one figure, beside its unit, project and goal texts: that figure is its 金额, whatever
        # column the header reading placed it in
        s.complete = s.complete and t.complete and all(
            r.cells[col].exact or sum(1 for x in r.cells.values() if x.value is not None) == 1 for r in rows)
        s.projects += [(t, r, col, r.cells[col]) for r in rows]
    for s in sets.values():
        if s.fiscal and len(s.fiscal) != len(s.projects):
            s.fiscal = []     # a 财政拨款 line missing from some table: no Σ of it
    return list(sets.values())


def _not_project(r: Row, spec: dict) -> bool:
    key = re.sub(r"[（(]万元[)）]|[：:\s]", "", r.key.split("#")[0])
    return key in spec["line_labels"] or key.endswith(tuple(spec["line_suffixes"]))


def _listed(doc: Document) -> Optional[tuple[Table, Row, list[Row]]]:
    """The 项目支出预算表 as a flat list: its 合计 row and project rows (identities.toml [[rows_total]] for Y12)."""
    from .tables import _column_numbers, _first_is_total, _subtotals

    spec = load("identities")["performance_projects"]
    t = doc.table(spec["list_table"])
    if t is None or not t.columns or t.columns[0] != "合计":
        return None
    total = t.row("合计")
    parts = [r for r in t.rows if r is not total and not _column_numbers(r) and r.cells.get("合计") is not None
             and r.cells["合计"].value is not None]
    if total is None or not parts or not all(_first_is_total(r, "合计") for r in [total] + parts) \
            or _subtotals(parts, "合计"):
        return None
    return t, total, parts


def _sentence_words_fit(sentence: str) -> bool:
    spec = load("identities")["performance_projects"]
    return any(w in sentence for w in spec["sentence_words"]) and not any(w in sentence for w in spec["other_words"])


def _stated_amount(doc: Document, count: Claim) -> Optional[Claim]:
    """The amount the count's sentence gives the projects: the first amount after the count, else the last before
    it; not a "其中" part, a per-unit value or an earlier year's figure."""
    sc = [x for x in sentence_claims(doc.claims, count) if x.kind == "amount" and x.value is not None
          and not (x.scope or {}).get("sub_of") and not (x.scope or {}).get("per_unit") and x.period in ("本年", None)
          and x.unit in ("万元", "元", "亿元")]
    after = [x for x in sc if x.span[0] > count.span[0]]
    before = [x for x in sc if x.span[0] < count.span[0]]
    return after[0] if after else before[-1] if before else None


def _other_scope(doc: Document, s: ProjectSet, amount: Claim, aiv: Interval) -> Optional[tuple[str, list]]:
    """The stated figure is another fund column of the same projects: a cell of the 项目支出预算表's 合计 row other
    than its 合计 (that table's 合计 being the set's total), or the Σ of the per-project tables' 财政拨款 lines."""
    listed = _listed(doc)
    if listed is not None:
        t, total, _ = listed
        if cell_iv(total.cells["合计"]).meets(s.iv()):
            for col, c in total.cells.items():
                if col != "合计" and c.value and cell_iv(c).meets(aiv):
                    return (f"所述金额与{t.title}「合计」行另一栏（{col}）{fmt(c.value)} 相同，即这些项目中一种资金"
                            f"（如一般公共预算）的数", [cell_ev(t, total, col, c), cell_ev(t, total, "合计", total.cells["合计"])])
    if s.fiscal and s.iv(s.fiscal).meets(aiv):
        return (f"所述金额与这些绩效目标表“财政拨款”之和 {fmt(s.total(s.fiscal))} 相同", [cell_ev(*r) for r in s.fiscal])
    return None


def _table_side(doc: Document, s: ProjectSet, aiv: Interval, n: int) -> Optional[tuple[str, list]]:
    """The 项目支出预算表 lists n projects adding to the stated figure: the narrative restates it, and the
    performance tables are what differs (a project's table missing, another's printed twice)."""
    listed = _listed(doc)
    if listed is None or len(listed[2]) != n:
        return None
    t, _, parts = listed
    if not interval_sum(cell_iv(r.cells["合计"]) for r in parts).meets(aiv):
        return None
    left = [(r.name or r.key, r.cells["合计"].value) for r in parts]
    extra = []
    for pt, pr, _, pc in s.projects:
        name = (pt.row("项目名称").name if s.shape == "per_project" else pr.name) or pr.key
        hit = next((x for x in left if x[1] is not None and pc is not None and abs(x[1] - pc.value) < 1e-6
                    and (x[0] == name or s.shape == "list")), None)
        if hit is None:
            extra.append((name, pc.value if pc is not None else None))
        else:
            left.remove(hit)
    diff = "；".join(p for p in (
        "项目支出预算表有而绩效目标表没有：" + "、".join(f"「{a}」{fmt(b)}" for a, b in left[:3]) if left else "",
        "绩效目标表多出：" + "、".join(f"「{a}」{fmt(b)}" for a, b in extra[:3]) if extra else "") if p)
    return (f"所述金额等于{t.title}所列 {n} 个项目之和，差异在绩效目标表与项目支出预算表之间" + (f"（{diff}）" if diff else ""),
            [cell_ev(t, r, "合计", r.cells["合计"]) for r in parts])


def _listed_total_hint(doc: Document, aiv: Interval, n: int) -> Optional[str]:
    """The stated figure is the 项目支出预算表's printed 合计, while that table's n project rows add up otherwise."""
    listed = _listed(doc)
    if listed is None or len(listed[2]) != n or not cell_iv(listed[1].cells["合计"]).meets(aiv):
        return None
    t, total, parts = listed
    return (f"所写数字与{t.title}「合计」{fmt(total.cells['合计'].value)} 相同，而该表所列 {n} 个项目之和为 "
            f"{fmt(round(sum(r.cells['合计'].value for r in parts), 2))}，疑该合计有误")


@rule("N06", "绩效目标项目金额与绩效目标表不符", "error", """
预算说明的预算绩效部分写明实行绩效目标管理的项目个数与金额（“共计 24 个一级项目，涉及资金 568,368.51 万元（一级项目
绩效目标表，详见表11）”“涉及一级预算项目 76 个，预算资金 45967.29 万元”），所述金额应等于项目支出绩效目标表所列各项目
金额之和（一张按项目逐行列出的表，可跨页；或每个项目一张表的“年度预算资金总额”）。只在恰好一组绩效目标表（同一表题）
所列项目个数等于所述个数时核对，由此确认所述的是这组项目；个数不符或有两组相符时不核对。所述金额等于同一批项目另一
资金栏（项目支出预算表合计行的一般公共预算栏、各表“财政拨款”之和）时，说明未写明口径，只列为无法核对（提示）；所述金额
等于项目支出预算表所列同样个数项目之和时，差异在两张表之间，报警告。绩效评价、自评、监控的项目与金额不核对。
容差：所列各项目与所述金额末位半个单位之和。
失败例：“共计24个一级项目，涉及资金568,368.51万元”，表11 项目支出绩效表 24 个项目之和 568,419.11。
通过例：“共计 31 个一级项目，涉及资金28,506.17万元”，表11 31 个项目之和 28,506.18（在容差内，提示）。""")
def performance_projects(doc: Document):
    if doc.kind == "决算":
        return
    sets = None
    for c in doc.claims:
        if c.kind != "count" or c.subject != "项目数" or not c.value or c.value != int(c.value):
            continue
        if (c.scope or {}).get("sub_of") or not _sentence_words_fit(c.sentence) or any(
                x.kind == "count" and x.subject == "项目数" and x.span[0] < c.span[0]
                for x in sentence_claims(doc.claims, c)):
            continue   # "其中 … 项目 10 个", a second count of the sentence: a part of the projects, not all of them
        amount = _stated_amount(doc, c)
        if amount is None or (amount.scope or {}).get("fund") not in (None, "全部资金"):
            continue
        sets = project_sets(doc) if sets is None else sets
        n = int(c.value)
        fit = [s for s in sets if len(s.projects) == n]
        if len(fit) != 1 or not fit[0].complete:
            continue
        s = fit[0]
        aiv = read_iv(doc, amount)
        k = wan(amount) / amount.value if amount.value else 1.0
        aiv = Interval(aiv.lo * k, aiv.hi * k)
        stated, exact = wan(amount), s.total()
        tol = round((aiv.width + s.iv().width) / 2, 4)
        ev = [claim_ev(c), claim_ev(amount)]
        where = f"{s.projects[0][0].title}（{s.projects[0][0].printed_title}）"
        head = f"说明称 {n} 个项目涉及资金 {amount.raw} 万元，{where}所列 {n} 个项目金额之和为 {fmt(exact)} 万元"
        if aiv.meets(s.iv()):
            if abs(stated - exact) > 1e-6:
                yield finding("N06", "info", f"{head}，相差在四舍五入尾差之内（容差 ±{tol}）", prov=amount.prov,
                              stated=stated, expected=exact, tolerance=tol, evidence=ev, section=amount.section)
            continue
        cells = [cell_ev(*r) for r in s.projects]
        other = _other_scope(doc, s, amount, aiv)
        if other is not None:
            yield finding("N06", "info", f"{head}；{other[0]}，说明未写明资金口径，无法核对", prov=amount.prov,
                          stated=stated, expected=exact, tolerance=tol, evidence=ev + other[1] + cells,
                          section=amount.section)
            continue
        side = _table_side(doc, s, aiv, n)
        if side is not None:
            yield finding("N06", "warning", f"{head}（容差 ±{tol}）；{side[0]}", prov=amount.prov, stated=stated,
                          expected=exact, tolerance=tol, evidence=ev + cells + side[1], section=amount.section)
            continue
        hints = (_listed_total_hint(doc, aiv, n), digit_hint(stated, amount.decimals, exact, 2),
                 cell_hint(doc, amount.value, amount.decimals))
        yield finding("N06", "error", with_hint(f"{head}，相差 {fmt(abs(stated - exact))} 万元（容差 ±{tol}）", *hints),
                      prov=amount.prov, stated=stated, expected=exact, tolerance=tol, evidence=ev + cells,
                      section=amount.section)
