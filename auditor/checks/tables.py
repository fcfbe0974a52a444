"""Table-internal (T) rules: code hierarchy sums, listed identities of lexicons/identities.toml, codes under the
wrong parent, and W01: a table holding data under a note saying it has none."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..lexicons import load
from ..model import Document, Row, Table
from .common import cell_ev, cell_iv, fmt, usable
from .registry import finding, rule
from .tolerance import Interval, interval_sum

CODE_TABLES = ("J02", "J03", "J05", "J07", "J08", "Y03", "Y05", "Y10", "Y11")


@dataclass
class _Sum:
    """A printed total against the sum of its printed parts, in interval arithmetic."""

    stated: Optional[float]
    exact: float
    tolerance: float
    meets: bool
    evidence: list


def _sum_parts(t: Table, total: tuple[Row, str], parts: list[tuple[Row, str]]) -> Optional[_Sum]:
    """None when a cell's column is a guess or nothing at all is printed. A part column written "-列" is subtracted
    (07/08: 年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出小计)."""
    tc = total[0].cells.get(total[1])
    signs = [-1 if col.startswith("-") else 1 for _, col in parts]
    parts = [(r, col.lstrip("-")) for r, col in parts]
    pcs = [r.cells.get(col) for r, col in parts]
    if not usable(tc) or not all(usable(c) for c in pcs):
        return None
    if tc is None and all(c is None for c in pcs):
        return None
    ivs = [cell_iv(c) for c in pcs]
    s = interval_sum(iv if k > 0 else Interval(-iv.hi, -iv.lo) for iv, k in zip(ivs, signs))
    tiv = cell_iv(tc)
    ev = [cell_ev(t, total[0], total[1], tc)] + [cell_ev(t, r, col, c) for (r, col), c in zip(parts, pcs)]
    exact = round(sum(k * (c.value or 0) for c, k in zip(pcs, signs) if c is not None), 2)
    return _Sum(tc.value if tc is not None else None, exact, round((s.width + tiv.width) / 2, 4), s.meets(tiv), ev)


def _compare(code, t: Table, total: Row, parts: list[Row], col: str, what: str):
    r = _sum_parts(t, (total, col), [(p, col) for p in parts])
    if r is None:
        return None
    if r.meets:
        if r.stated is not None and abs(r.stated - r.exact) > 1e-9:
            return finding(code, "info", f"{t.title}「{total.name or total.key}」{col} {fmt(r.stated)} 与{what}之和 "
                           f"{fmt(r.exact)} 相差在四舍五入尾差之内", prov=r.evidence[0].prov, stated=r.stated,
                           expected=r.exact, tolerance=r.tolerance, evidence=r.evidence)
        return None
    return finding(code, "error", f"{t.title}「{total.name or total.key}」{col}为 {fmt(r.stated)}，但{what}之和为 "
                   f"{fmt(r.exact)}（容差 ±{r.tolerance}）", prov=r.evidence[0].prov,
                   stated=r.stated if r.stated is not None else 0.0, expected=r.exact, tolerance=r.tolerance,
                   evidence=r.evidence)


@rule("T01", "科目层级合计不符", "error", """
类 = Σ款、款 = Σ项（按编码前缀），合计行 = Σ类；经济分类 301 = Σ301xx。容差：各数末位半个单位之和（区间不相交才报错）。
失败例：20101 人大事务 基本支出 93.22，而其下各项 45.29 + 47.33 + 0.00 = 92.62。
通过例：201 一般公共服务支出 749.17 = 20103 749.17。""")
def code_hierarchy(doc: Document):
    for t in doc.tables:
        if t.id not in CODE_TABLES and t.row_key != "econ":
            continue
        coded = [r for r in t.rows if r.code and "/" not in r.key]
        children: dict[tuple[str, int], list[Row]] = {}  # (parent code, child code length) -> rows, in order
        for k in coded:
            for n in dict.fromkeys((len(k.code) - 2, 3)):
                if n >= 3:
                    children.setdefault((k.code[:n], len(k.code)), []).append(k)
        for r in coded:
            n = len(r.code)
            kids = children.get((r.code, n + 2), [])
            if not kids and n == 3 and t.row_key == "code":
                kids = children.get((r.code, 7), [])
            if not kids:
                continue
            for col in t.columns:
                f = _compare("T01", t, r, kids, col, "下级科目")
                if f:
                    yield f
        total = t.row("合计")
        if total is not None and t.row_key == "code":
            top = [r for r in coded if len(r.code) == 3]
            if top:
                for col in t.columns:
                    f = _compare("T01", t, total, top, col, "各类科目")
                    if f:
                        yield f


def _rows(t: Table, keys: list[str]) -> list[Row] | None:
    out = []
    for k in keys:
        if k.startswith("children:"):
            p = k.split(":", 1)[1] + "."
            out.extend(r for r in t.rows if r.key.startswith(p))
            continue
        r = t.row(k)
        if r is None:
            return None
        out.append(r)
    return out


@rule("T02", "表内合计与分项不符", "error", """
lexicons/identities.toml 列出的表内公式：行内合计列 = 各分列之和（如 03表 本年支出合计 = 基本支出 + 项目支出 + …，09表
合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费），列内合计行 = 各分项行之和（如 01表 总计 = 本年收入合计 +
结转结余，06表 人员经费合计 = 301 + 303），07/08表 年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出小计。容差同 T01。
失败例：09表 预算数 公务用车购置及运行费 小计 9.8，购置费 0.00 + 运行费 4.8 = 4.8。
通过例：03表 合计 本年支出合计 927.71 = 基本支出 927.71 + 项目支出 0。""")
def listed_identities(doc: Document):
    ids = load("identities")
    for spec, t in ((spec, t) for spec in ids.get("row_sum", []) for t in doc.tables_of(spec["table"])):
        if spec["total"] not in t.columns:
            continue
        for r in t.rows:
            res = _sum_parts(t, (r, spec["total"]), [(r, p) for p in spec["parts"]])
            if res is None or res.meets:
                continue
            stated = res.stated if res.stated is not None else 0.0
            yield finding("T02", "error", f"{t.title}「{r.name or r.key}」行{spec['total']}为 {fmt(stated)}，"
                          f"但{' + '.join(spec['parts']).replace('+ -', '− ')} = {fmt(res.exact)}（容差 ±{res.tolerance}）",
                          prov=res.evidence[0].prov, stated=stated, expected=res.exact, tolerance=res.tolerance,
                          evidence=res.evidence)
    for spec, t in ((spec, t) for spec in ids.get("col_sum", []) for t in doc.tables_of(spec["table"])):
        total = t.row(spec["total"])
        parts = _rows(t, spec["parts"])
        if total is None or not parts:
            continue
        for col in spec.get("columns", t.columns):
            f = _compare("T02", t, total, parts, col, "、".join(spec["parts"]))
            if f:
                yield f


@rule("T03", "项级科目挂在错误的款下", "error", """
一个 7 位项级编码必须以其上方款级（5 位）编码开头。容差：无（编码比对）。
失败例：20103 政府办公厅（室）及相关机构事务 之下列出 2012901 行政运行。
通过例：20103 之下列出 2010301 行政运行。""")
def wrong_parent(doc: Document):
    for t in doc.tables:
        if t.id not in CODE_TABLES:
            continue
        kuan = None
        for r in t.rows:
            if not r.code:
                continue
            if len(r.code) == 5:
                kuan = r
            elif len(r.code) == 3:
                kuan = None
            elif len(r.code) == 7 and kuan is not None and not r.code.startswith(kuan.code):
                own = [k for k in t.rows if k.code == r.code[:5]]
                if own:
                    continue
                ev = [cell_ev(t, r, t.columns[0], r.cells.get(t.columns[0])),
                      cell_ev(t, kuan, t.columns[0], kuan.cells.get(t.columns[0]))]
                ev[0].prov = r.prov
                ev[1].prov = kuan.prov
                yield finding("T03", "error", f"{t.title} 项级科目 {r.code} {r.name or ''} 列在款级科目 {kuan.code} "
                              f"{kuan.name or ''} 之下，但编码不以 {kuan.code} 开头（表中也没有 {r.code[:5]} 款）",
                              prov=r.prov, evidence=ev)


@rule("W01", "表格注明无数据但有数据", "error", """
表下说明写“本表无数据”（或“没有……经费/支出”），表中却有非零数据；或相反。容差：无。
失败例：09表 说明“本部门没有‘三公’经费预算，也没有‘三公’经费支出，故本表无数据”，表中决算数合计 2.56。
通过例：08表 说明“故本表无数据”，表中合计 0.00。""")
def no_data_note(doc: Document):
    for t in doc.tables:
        if t.no_data_note is None or t.empty or t.id.endswith(".expenditure"):
            continue
        cells = [(r, col, c) for r, col, c in t.cells() if c.value not in (None, 0)]
        ev = [cell_ev(t, r, col, c) for r, col, c in cells[:6]]
        yield finding("W01", "error", f"{t.title} 的说明称本表无数据，但表中有 {len(cells)} 个非零数（如 "
                      f"{ev[0].text}）", prov=t.no_data_note, evidence=ev)
