"""Table-internal (T) rules: code hierarchy sums, listed identities of lexicons/identities.toml, codes under the
wrong parent, and W01: a table holding data under a note saying it has none."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Optional

from ..lexicons import load
from ..model import Cell, Document, Row, Table
from ..structure.tokens import norm_name
from ..structure.units import is_money, to_wan
from .common import cell_ev, cell_iv, fmt, usable
from .generic import GENERIC, generic_findings
from .registry import finding, rule
from .performance_list import performance_list_total
from .unit_rows import unit_rows_total
from .tolerance import Interval, interval_sum

CODE_TABLES = ("J02", "J03", "J05", "J07", "J08", "Y03", "Y05", "Y10", "Y11")


@dataclass
class _Sum:
    """A printed total against the sum of its printed parts, in interval arithmetic."""

    stated: Optional[float]
    exact: float
    tolerance: float
    meets: bool
    make_evidence: Callable[[], list]   # built only when a finding needs it (a sum over thousands of rows that holds
                                        # would otherwise build thousands of evidence items for nothing)

    @cached_property
    def evidence(self) -> list:
        return self.make_evidence()


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
    scale = _scales(t, tc, pcs)
    if scale is None:
        return None
    ivs = [cell_iv(c) for c in pcs]
    ivs = [Interval(iv.lo * f, iv.hi * f) for iv, f in zip(ivs, scale)]
    s = interval_sum(iv if k > 0 else Interval(-iv.hi, -iv.lo) for iv, k in zip(ivs, signs))
    tiv = cell_iv(tc)
    exact = round(sum(k * f * (c.value or 0) for c, k, f in zip(pcs, signs, scale) if c is not None), 2)
    return _Sum(tc.value if tc is not None else None, exact, round((s.width + tiv.width) / 2, 4), s.meets(tiv),
                lambda: [cell_ev(t, total[0], total[1], tc)] + [cell_ev(t, r, col, c) for (r, col), c in zip(parts, pcs)])


def _scales(t: Table, total: Optional[Cell], parts: list[Optional[Cell]]) -> Optional[list[float]]:
    """Factors turning each part into the total's unit: 1 when the units are the same; money units converted
    (元 beside 万元); None when a count is summed with an amount or another count (人 beside 万元, 辆 beside 人)."""
    base = (total.unit if total is not None else None) or t.unit
    out = []
    for c in parts:
        u = (c.unit if c is not None else None) or t.unit
        if u == base:
            out.append(1.0)
        elif is_money(u) and is_money(base):
            out.append(to_wan(1.0, u) / to_wan(1.0, base))
        else:
            return None
    return out


def _compare(code, t: Table, total: Row, parts: list[Row], col: str, what: str):
    r = _sum_parts(t, (total, col), [(p, col) for p in parts])
    if r is None:
        return None
    return _verdict(code, t, total, col, what, r)


def _printed(t: Table, total: tuple[Row, str], parts: list[tuple[Row, str]]) -> bool:
    """A generic table's sum is compared only when its total and at least one part are printed."""
    return total[1] in total[0].cells and any(col.lstrip("-") in r.cells for r, col in parts)


def _generic_compare(code, t: Table, total: Row, parts: list[Row], col: str, what: str):
    if not _printed(t, (total, col), [(p, col) for p in parts]):
        return None
    r = _sum_parts(t, (total, col), [(p, col) for p in parts])
    return None if r is None else (_status(r), _verdict(code, t, total, col, what, r))


def _status(r: _Sum) -> str:
    """held (a non-zero total equal to its parts), trivial (0 = 0 + 0: confirms nothing) or failed."""
    return "failed" if not r.meets else ("held" if r.stated else "trivial")


def _generic_row_sum(t: Table, r: Row, col: str, parts: list[str]):
    if not _printed(t, (r, col), [(r, p) for p in parts]):
        return None
    res = _sum_parts(t, (r, col), [(r, p) for p in parts])
    return None if res is None else (_status(res), None if res.meets else _row_finding(t, r, col, parts, res))


def _verdict(code, t: Table, total: Row, col: str, what: str, r: _Sum):
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
类 = Σ款、款 = Σ项（按编码前缀），合计行 = Σ类；经济分类 301 = Σ301xx，合计行 = Σ301/302/303/310…（部门经济分类与政府
经济分类各自成立）；收支总表、财政拨款收支总表的支出方按名称列出各类（无编码）时，本年支出合计 = Σ类（未印本年支出合计时，
支出总计 = Σ类 + 年终结转结余）。容差：各数末位半个单位之和（区间不相交才报错）。
失败例：20101 人大事务 基本支出 93.22，而其下各项 45.29 + 47.33 + 0.00 = 92.62。
通过例：201 一般公共服务支出 749.17 = 20103 749.17。
未对应标准表的通用表格（G01…）同样核对，但只在合计与至少一个分项有数、且同表中同一关系至少有同样多处成立时报告（表头读错时不误报）；
一张通用表读到页末而可能续页时，不核对其最后一个科目和“合计 = Σ类”。
失败例（通用表）：长春信访局 支出总表 20140 信访事务 当年预算小计 1378.41，而其下各项 903.85 + 0.00 + 0.00。
科目只印名称、不印编码的表（杭州 表5 等），各行按名称在政府收支分类科目中定位后同样核对：类按名称，款在其上方的类中、
项在其上方的款中按名称查找（lexicons/classification_items.toml）；定不了位或有两处可定的行不猜测，其所在类的款、项
都不核对，该表的 合计 = Σ类 也不核对。
失败例（只印名称）：杭州交通运输局 表5 公路水路运输（款）合计 97,402.60，而其下各项 43,003.71 + 927.20 + 53,522.29 = 97,453.20。""")
def code_hierarchy(doc: Document):
    for t in doc.tables:
        if t.family == GENERIC or (t.id not in CODE_TABLES and t.row_key != "econ"):
            continue
        for parent, kids, what in _hierarchy(t):
            for col in t.columns:
                if what == "各类科目" and t.row_key == "econ" and (parent.cells.get(col) is None or all(
                        r.cells.get(col) is None for r in kids)):
                    continue   # a blank 合计 or blank classes: a column the layout spreads elsewhere
                f = _compare("T01", t, parent, kids, col, what)
                if f:
                    yield f
    yield from named_class_sums(doc)
    yield from generic_findings(doc, "T01", _generic_compare, _hierarchy, _generic_row_sum)


def _hierarchy(t: Table):
    """(parent row, child rows, what) of a code table: 类 = Σ款 (or Σ项 when no 款 is printed), 款 = Σ项,
    301 = Σ301xx, and 合计 = Σ类 (a functional-code table) or Σ3xx and Σ5xx each (an economic one: 部门 and 政府
    经济分类 each add up to the 合计)."""
    coded = [r for r in t.rows if r.code and ("/" not in r.key or t.row_key == "econ")]
    twice = {c for c, n in Counter(r.code for r in coded if len(r.code) == 3).items() if n > 1}
    coded = [r for r in coded if r.code[:3] not in twice]   # "301/501", "301/505": one class split in two
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
        if kids:
            yield r, kids, "下级科目"
    # the first 合计 row holding a figure (a header cell "合计" above the 栏次 line is no row)
    total = next((r for r in t.rows if r.key.split("#")[0] == "合计" and r.cells), None)
    if total is None or t.row_key not in ("code", "econ") or t.unplaced:
        return   # a name-only row left unplaced may be a 类 (auditor.structure.classify)
    tops = [[r for r in coded if len(r.code) == 3]]
    if t.row_key == "econ":
        if twice:
            return
        tops = [[r for r in tops[0] if r.code[0] == d] for d in "35"]
    for top in tops:
        if top:
            yield total, top, "各类科目"


def _class_names() -> set[str]:
    """Every name a 3-digit 功能分类 类 has had (lexicons/classification.toml)."""
    return {norm_name(e["name"]) for code, names in load("classification")["functional"].items() if len(code) == 3
            for e in names}


def _nonzero(r: Row) -> bool:
    return any(c.value for c in r.cells.values())


def _read_whole(t: Table, top: list[Row], totals: tuple[str, ...]) -> bool:
    """The side reads as 类 lines each followed by its own 款/项 lines: the first line with a figure is a 类, and
    no line with a figure sits under a 类 without one (a 类 printed under another name, or lines of the other side
    mixed in, would leave the sum of the recognised 类 short)."""
    owner = None
    for r in t.rows:
        if r.key in totals:
            continue
        if r in top:
            owner = r
        elif _nonzero(r) and (owner is None or not _nonzero(owner)):
            return False
    return True


def named_class_sums(doc: Document):
    """A two-sided table's expenditure side lists the 类 by name (no codes; its 款/项 rows may follow each 类):
    本年支出合计 = Σ类, or, where no 本年支出合计 is printed, 支出总计 = Σ类 + 年终结转结余."""
    names = _class_names()
    spec = load("identities")["named_class_sum"]
    for t in doc.tables:
        if t.row_key != "name" or not t.id.split("_")[0].endswith(".expenditure"):
            continue
        seen: set[str] = set()
        top = []
        for r in t.rows:
            n = norm_name(r.name or r.key)
            if n in names and n not in seen:   # "其他支出" (类) then "其他支出" (款, 项): the first is the 类
                seen.add(n)
                top.append(r)
        if not top or not _read_whole(t, top, (spec["total"], spec["grand_total"])):
            continue
        total, parts = t.row(spec["total"]), top
        if total is None:
            total = t.row(spec["grand_total"])
            after = t.rows[t.rows.index(top[-1]) + 1:]
            if total is None or any(w in r.key for r in after for w in spec["other_lines"] if _nonzero(r)):
                continue   # 上缴上级支出, 对附属单位补助支出 … beside the 类: not the 本年支出 of the 类
            parts = top + [r for r in after if any(w in r.key for w in spec["carry_forward"])]
        for col in t.columns:
            f = _compare("T01", t, total, parts, col, "各类科目" if len(parts) == len(top) else "各类科目与年终结转结余")
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
合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费；预算05表 合计 = 基本支出 + 项目支出，基本支出 = 人员经费 + 公用经费，
只在表中印出每个分列时核对），列内合计行 = 各分项行之和（如 01表 总计 = 本年收入合计 +
结转结余，06表 人员经费合计 = 301 + 303），07/08表 年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出小计；项目支出预算表 合计行 = 所列各项目之和（每行第一个数为该行
合计、表中无单位小计行时）；按单位列示的表（表头为 单位名称/单位编码，如 收入预算总表、三公经费预算表）合计行 = 所列各单位行之和
（紧接合计行、各列与合计行相同的部门汇总行不计入；有单位小计行时不核对）；逐页印出同一表头（单位（项目）名称 | 资金总额 | 绩效目标 …）的项目支出绩效目标表 合计行 = 各项目资金总额之和（只读资金总额一栏，指标值不计；续页顶端重复的上页项目只计一次；有单位小计行、续页未按同一表头读出时不核对）。容差同 T01。
失败例：09表 预算数 公务用车购置及运行费 小计 9.8，购置费 0.00 + 运行费 4.8 = 4.8。
通过例：03表 合计 本年支出合计 927.71 = 基本支出 927.71 + 项目支出 0。
失败例：杭州市公安局 表7 三公经费预算表 合计 4,112.82，所列 9 个单位之和 3,968.82。
通过例：同表 公务用车购置费 合计 1,024.69 = 9 个单位之和 1,024.69。
失败例：长沙市公安局 项目支出绩效目标表（第23–50页）合计 40,233.95，所列 14 个项目资金总额之和 39,052.86。
失败例：杭州交通运输局 表5 一般公共预算支出表 公路水路运输 基本支出小计 51,417.49，人员经费 41,277.20 + 日常公用支出 10,190.89 = 51,468.09。
通用表格（未对应标准表，G01…）：表头名为 合计/小计/总计 的列 = 同一上级表头下的各列；只列名称、无编号层级的一列数中
名为 合计/总计 的行 = 其余各行（lexicons/identities.toml [generic]；表头含“其中”、增减、上年、比率等时关系不明，不核对）；
同表中同一关系成立的非零合计不少于不成立的才报告。各数按单元格自己的单位（列表头“（元）”）换算后比较，人数、辆数不与金额相加。""")
def listed_identities(doc: Document):
    ids = load("identities")
    for spec, t in ((spec, t) for spec in ids.get("row_sum", []) for t in doc.tables_of(spec["table"])):
        if spec["total"] not in t.columns or (spec.get("printed") and not all(
                p.lstrip("-") in t.columns for p in spec["parts"])):
            continue
        for r in t.rows:
            res = _sum_parts(t, (r, spec["total"]), [(r, p) for p in spec["parts"]])
            if res is None or res.meets:
                continue
            yield _row_finding(t, r, spec["total"], spec["parts"], res)
    for spec, t in ((spec, t) for spec in ids.get("col_sum", []) for t in doc.tables_of(spec["table"])):
        total = t.row(spec["total"])
        parts = _rows(t, spec["parts"])
        if total is None or not parts:
            continue
        for col in spec.get("columns", t.columns):
            f = _compare("T02", t, total, parts, col, "、".join(spec["parts"]))
            if f:
                yield f
    yield from listed_rows_total(doc)
    yield from unit_rows_total(doc, _compare)
    yield from performance_list_total(doc, _compare)
    yield from generic_findings(doc, "T02", _generic_compare, _hierarchy, _generic_row_sum)


def _first_is_total(r: Row, col: str) -> bool:
    """The row's figure in ``col`` is its first printed figure and no other figure of the row exceeds it: the
    printed order puts the row's 合计 there (a label table's columns are otherwise guesses)."""
    c = r.cells.get(col)
    vals = [x.value for x in r.cells.values() if x.value is not None]
    return c is not None and c.value is not None and bool(vals) and vals[0] == c.value and c.value >= max(vals)


def _column_numbers(r: Row) -> bool:
    """A 栏次 line (**, 1, 2, 3 …) printed under the header (again on each page)."""
    vals = [x.value for x in r.cells.values()]
    return r.key.startswith("*") or (len(vals) > 1 and vals == [float(i) for i in range(1, len(vals) + 1)])


def _subtotals(rows: list[Row], col: str) -> bool:
    """Some row is the sum of the rows that follow it (a unit's line above its projects)."""
    v = [r.cells[col].value for r in rows]
    for i in range(len(v)):
        s = 0.0
        for j in range(i + 1, len(v)):
            s += v[j]
            if j > i + 1 and abs(s - v[i]) < 0.015 * (j - i):
                return True
            if s > v[i] + 1:
                break
    return False


def listed_rows_total(doc: Document):
    """identities.toml [[rows_total]]: a list table's 合计 row = Σ of its listed rows (项目支出表: Σ projects)."""
    for spec in load("identities").get("rows_total", []):
        for t in doc.tables:
            if t.id.split("_")[0] != spec["table"] or spec["column"] not in t.columns[:1]:
                continue
            col = spec["column"]
            total = t.row(spec["total"])
            parts = [r for r in t.rows if r is not total and not _column_numbers(r)]
            if total is None or not parts or not all(_first_is_total(r, col) for r in [total] + parts) \
                    or _subtotals(parts, col):
                continue
            tiv = cell_iv(total.cells[col])
            s = interval_sum(cell_iv(r.cells[col]) for r in parts)
            exact = round(sum(r.cells[col].value for r in parts), 2)
            if s.meets(tiv):
                continue
            tol = round((s.width + tiv.width) / 2, 4)
            ev = [cell_ev(t, total, col, total.cells[col])] + [cell_ev(t, r, col, r.cells[col]) for r in parts]
            yield finding("T02", "error", f"{t.title}「{spec['total']}」{col}为 {fmt(total.cells[col].value)}，但所列 "
                          f"{len(parts)} {spec['what']}之和为 {fmt(exact)}（容差 ±{tol}）", prov=ev[0].prov,
                          stated=total.cells[col].value, expected=exact, tolerance=tol, evidence=ev)


def _row_finding(t: Table, r: Row, total: str, parts: list[str], res: _Sum):
    stated = res.stated if res.stated is not None else 0.0
    return finding("T02", "error", f"{t.title}「{r.name or r.key}」行{total}为 {fmt(stated)}，"
                   f"但{' + '.join(parts).replace('+ -', '− ')} = {fmt(res.exact)}（容差 ±{res.tolerance}）",
                   prov=res.evidence[0].prov, stated=stated, expected=res.exact, tolerance=res.tolerance,
                   evidence=res.evidence)


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
                col = t.columns[0] if t.columns else ""   # a table whose header was not read has no columns
                ev = [cell_ev(t, r, col, r.cells.get(col)), cell_ev(t, kuan, col, kuan.cells.get(col))]
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
