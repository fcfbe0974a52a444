"""Cross-table (X) rules: a figure printed in two tables must be the same figure (lexicons/identities.toml:
same_cell, same_rows), and the annex self-evaluation table's 执行数 must restate the tables (annex)."""
from __future__ import annotations

from typing import Optional

from ..lexicons import load
from ..model import Cell, Document, Row, Table
from ..structure.tokens import norm_name
from .common import cell_ev, cell_iv, fmt, usable
from .registry import finding, rule
from .tolerance import interval_sum

Ref = tuple[Table, Row, str, Optional[Cell]]


def _refs(doc: Document, table: str, row: str, col: str) -> Optional[list[Ref]]:
    """The cells of [table, row, column]; ``row`` may be "a+b" (a sum of rows), a part "a|b" the first of the
    alternative keys present (templates name one row differently). None when any part is missing."""
    t = doc.table(table)
    if t is None or col not in t.columns:
        return None
    out = []
    for key in row.split("+"):
        r = next((t.row(k) for k in key.split("|") if t.row(k) is not None), None)
        if r is None:
            return None
        out.append((t, r, col, r.cells.get(col)))
    return out


def _printed(refs: list[Ref]) -> bool:
    return all(usable(c) for *_, c in refs) and any(c is not None and c.value is not None for *_, c in refs)


def _value(refs: list[Ref]) -> float:
    return round(sum((c.value or 0.0) for *_, c in refs if c is not None), 2)


def _compare(code: str, what: str, a: list[Ref], b: list[Ref], severity: str = "error", placed: bool = False):
    """One finding when the two printed figures cannot be the same number (info inside the rounding tolerance).
    ``placed``: the caller located each cell by its printed order itself (a cell's guessed column is no concern)."""
    if not placed and (not (_printed(a) or _printed(b)) or not all(usable(c) for *_, c in a + b)):
        return None
    ia, ib = interval_sum(cell_iv(c) for *_, c in a), interval_sum(cell_iv(c) for *_, c in b)
    va, vb = _value(a), _value(b)
    tol = round((ia.width + ib.width) / 2, 4)
    ev = [cell_ev(t, r, col, c) for t, r, col, c in a + b]
    name_a = "＋".join(r.name or r.key for _, r, _, _ in a)
    name_b = "＋".join(r.name or r.key for _, r, _, _ in b)
    where = f"{a[0][0].title}「{name_a}」{a[0][2]}"
    other = f"{b[0][0].title}「{name_b}」{b[0][2]}"
    if ia.meets(ib):
        if abs(va - vb) < 1e-9:
            return None
        return finding(code, "info", f"{what}：{where} {fmt(va)} 与{other} {fmt(vb)} 相差在四舍五入尾差之内",
                       prov=ev[0].prov, stated=va, expected=vb, tolerance=tol, evidence=ev)
    return finding(code, severity, f"{what}：{where}为 {fmt(va)}，而{other}为 {fmt(vb)}（容差 ±{tol}）",
                   prov=ev[0].prov, stated=va, expected=vb, tolerance=tol, evidence=ev)


def _join_key(r: Row, level: str) -> Optional[str]:
    if r.code:
        if level == "类" and len(r.code) != 3:
            return None
        return r.code
    return None


def _name_key(name: str) -> str:
    n = norm_name(name)
    return n[:-2] if n.endswith("支出") else n


def _joined(ta: Table, tb: Table, level: str) -> list[tuple[Row, Row]]:
    """Row pairs of two tables: by code when both rows have one, else by 类 name (01/04 expenditure side)."""
    b_code = {_join_key(r, level): r for r in tb.rows if _join_key(r, level)}
    b_name = {_name_key(r.name): r for r in tb.rows if r.code and len(r.code) == 3 and r.name}
    out = []
    for ra in ta.rows:
        k = _join_key(ra, level)
        if k is not None:
            rb = b_code.get(k)
        elif ta.row_key == "name" and level == "类":
            rb = b_name.get(_name_key(ra.name or ra.key))
        else:
            rb = None
        if rb is not None:
            out.append((ra, rb))
    return out


@rule("X01", "表间同一数字不一致", "error", """
同一个数在两张表里印了两次（lexicons/identities.toml 的 same_cell 与 same_rows：01表本年支出合计 = 03表合计，
01表各类支出 = 03表各类，04表一般公共预算财政拨款各类 = 05表各类，05表基本支出 = 06表人员经费合计 + 公用经费合计，
全部为一般公共预算财政拨款时 03表每行 = 05表每行），两处必须相同。容差：两数末位半个单位之和（区间不相交才报错）。
失败例：03表「201 一般公共服务支出」本年支出合计 93.22，05表同行小计 93.12。
通过例：01表本年支出合计 585.49，03表合计本年支出合计 585.49。""")
def same_figure(doc: Document):
    ids = load("identities")
    for spec in ids.get("same_cell", []):
        cells = [_refs(doc, *c) for c in spec["cells"]]
        if any(c is None for c in cells):
            continue
        for other in cells[1:]:
            f = _compare("X01", spec["name"], cells[0], other)
            if f:
                yield f
    for spec in ids.get("same_rows", []):
        ta, tb = doc.table(spec["a"][0]), doc.table(spec["b"][0])
        if ta is None or tb is None or spec["a"][1] not in ta.columns or spec["b"][1] not in tb.columns:
            continue
        if "when" in spec:
            w = [_refs(doc, *c) for c in spec["when"]]
            if any(x is None or not _printed(x) for x in w) or not interval_sum(cell_iv(c) for *_, c in w[0]).meets(
                    interval_sum(cell_iv(c) for *_, c in w[1])):
                continue
        for ra, rb in _joined(ta, tb, spec.get("level", "类")):
            f = _compare("X01", spec["name"], [(ta, ra, spec["a"][1], ra.cells.get(spec["a"][1]))],
                         [(tb, rb, spec["b"][1], rb.cells.get(spec["b"][1]))])
            if f:
                yield f


@rule("X02", "附件执行数与决算表不符", "warning", """
附件（部门整体支出绩效自评表）的“全年执行数”应等于决算表的本年支出（部门预算总额 ↔ 01表本年支出合计；财政拨款 ↔
04表本年支出合计）。口径可能不同，报警告供核实。容差：两数末位半个单位之和。
失败例：自评表财政拨款全年执行数 3905.12，04表本年支出合计 3881.84。
通过例：自评表部门预算总额全年执行数 585.49，01表本年支出合计 585.49。""")
def annex_vs_tables(doc: Document):
    annex = doc.table("A01")
    if annex is None:
        return
    for spec in load("identities").get("annex", []):
        row = next((annex.row(k) for k in spec["rows"] if annex.row(k) is not None), None)
        if row is None or spec["column"] not in annex.columns:
            continue
        cell = row.cells.get(spec["column"])
        if cell is None or cell.value is None:
            continue
        target = next((r for r in (_refs(doc, *c) for c in spec["cells"]) if r is not None and _printed(r)), None)
        if target is None:
            continue
        f = _compare("X02", spec["name"], [(annex, row, spec["column"], cell)], target, severity="warning")
        if f:
            yield f


def _project_amount(t: Table, labels: list[str]) -> Optional[tuple[Row, str, Cell]]:
    """The 年度预算资金总额 of a one-project 绩效目标表: the first figure of its first amount line."""
    for key in labels:
        r = t.row(key)
        if r is not None:
            col, c = next(((k, c) for k, c in r.cells.items() if c.value is not None), (None, None))
            return (r, col, c) if c is not None else None
    return None


@rule("X03", "绩效目标表资金与预算表不符", "warning", """
一个项目的绩效目标表（“项目名称”所写的项目）所列年度预算资金总额，应等于项目支出预算表中同名项目的金额（每行第一个数，
即该行合计）；同名项目有几行或几张绩效表时，两边的金额逐一配对，只报配不上的。部门整体支出绩效目标表的资金总额、基本支出、
项目支出应等于支出总表合计行的合计、基本支出、项目支出（只在该行按“合计 = 基本支出 + 项目支出”排列时比较）。口径可能不同
（如绩效表含其他资金），报警告供核实。容差：两数末位半个单位之和。
失败例：绩效目标表“既有住宅加装电梯专项资金经费”年度预算资金总额 500.00，项目支出预算表同名项目 400.00；部门整体支出绩效
目标表资金总额 81562.56，支出总表合计 81206.56。
通过例：绩效目标表“购置社区居委会用房”1000.00，项目支出预算表同名项目 1,000.00。""")
def project_budgets(doc: Document):
    from .tables import _first_is_total

    spec = load("identities")["project_budget"]
    listed: dict[str, list[Ref]] = {}
    for t in doc.tables:
        if t.id.split("_")[0] != spec["list_table"] or not t.columns:
            continue
        for r in t.rows:
            if r.name and _first_is_total(r, t.columns[0]):
                listed.setdefault(r.name, []).append((t, r, t.columns[0], r.cells[t.columns[0]]))
    perf: dict[str, list[Ref]] = {}
    for t in doc.tables:
        subject = t.row(spec["subject_row"]) if t.id.split("_")[0] == spec["performance_table"] else None
        amount = _project_amount(t, spec["amount_rows"]) if subject is not None and subject.name else None
        if amount is not None and amount[2].value:   # 0.00: a project without money this year, not a restatement
            perf.setdefault(subject.name, []).append((t, amount[0], amount[1], amount[2]))
    for name, stated in perf.items():
        rows = listed.get(name)
        if not rows:
            continue
        left, unmatched = list(rows), []
        for ref in stated:
            hit = next((x for x in left if cell_iv(x[3]).meets(cell_iv(ref[3]))), None)
            if hit is None:
                unmatched.append(ref)
            else:
                left.remove(hit)
        if not left:
            continue
        for ref in unmatched:
            other = min(left, key=lambda x: abs((x[3].value or 0) - (ref[3].value or 0)))
            f = _compare("X03", f"项目“{name}”", [ref], [other], severity="warning", placed=True)
            if f:
                yield f
    yield from department_budget(doc)


def _total_parts(r: Row) -> Optional[list[Cell]]:
    """A 支出总表 合计 row printed as 合计, 基本支出, 项目支出 (… empty): its first three figures, when they add up."""
    cells = [c for c in r.cells.values() if c.value is not None]
    if len(cells) < 3 or not (interval_sum(cell_iv(c) for c in cells[1:3]).meets(cell_iv(cells[0]))):
        return None
    return cells[:3]


def department_budget(doc: Document):
    """部门整体支出绩效目标表 资金总额 / 基本支出 / 项目支出 against the 支出总表 合计 row (X03)."""
    spec = load("identities")["department_budget"]
    total = doc.table(spec["list_table"])
    row = total.row("合计") if total is not None else None
    parts = _total_parts(row) if row is not None else None
    if parts is None:
        return
    for t in doc.tables:
        if t.id.split("_")[0] != spec["performance_table"]:
            continue
        roles = ("合计", "基本支出", "项目支出")   # by printed order, whatever column names the header gave
        for labels, role, cell in zip((spec["total_rows"], spec["basic_rows"], spec["project_rows"]), roles, parts):
            amount = _project_amount(t, labels)
            if amount is None:
                continue
            f = _compare("X03", f"部门整体支出{role}", [(t, *amount)], [(total, row, role, cell)],
                         severity="warning", placed=True)
            if f:
                yield f
