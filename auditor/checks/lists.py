"""Narrative lists checked against the rows they list: N04, a list of functional 类 that leaves out a 类 of its table
("按支出功能分类，包括 A a 万元、B b 万元…" where every listed figure is its cell, but the table holds another 类 with
money); N05, projects listed by name whose amount is not their 项目支出表 row's (the other listed projects confirm the
column)."""
from __future__ import annotations

from .. import rx as re

from ..align import candidates, locate, scope_fits
from ..claims import sentence_claims
from ..model import Document
from .common import cell_ev, cell_iv, claim_ev, claim_iv, fmt
from .hints import digit_hint, with_hint
from .registry import finding, rule
from .tolerance import interval_sum

_INTRO_WORDS = ("包括", "包含", "分别为", "分别是")


def _class_code(subject) -> str | None:
    if subject and subject.startswith("func:") and len(subject) == 8:
        return subject[5:]
    return None


@rule("N04", "说明所列各类支出漏列表中的类", "warning", """
说明以“包括/分别为”逐一列出功能分类各类（类级科目）的金额，所列各数都与表中该类相符，但表中还有一个有金额的类未列出，
所列之和因而小于表的合计。只核对全由类级金额组成、与同一张表对齐的列举；“主要用于/主要包括”的列举不要求完整，不核对。
容差：所列各数与合计末位半个单位之和。
失败例：“按支出功能分类，包括科学技术支出 1140.61 万元、社会保障和就业支出 22232.40 万元、卫生健康支出 447751.87 万元、
城乡社区支出 12600.00 万元、住房保障支出 16588.47 万元”，支出总表 合计 515313.35（其他支出 15000.00 未列）。
通过例：同一句再列出“其他支出 15000.00 万元”，各类之和 515313.35 = 合计。""")
def listed_classes(doc: Document):
    done = set()
    for c in doc.claims:
        if c.kind != "amount" or _class_code(c.subject) is None or c.id in done:
            continue
        sc = [x for x in sentence_claims(doc.claims, c) if x.kind == "amount"]
        done.update(x.id for x in sc)
        items = [x for x in sc if x.period == "本年" and _class_code(x.subject) and x.value is not None
                 and x.unit == "万元"]
        codes = [_class_code(x.subject) for x in items]
        if len(items) < 2 or len(items) != len(sc) or len(set(codes)) != len(codes):
            continue   # a list made of 类 figures only, each 类 once
        intro = c.sentence[:items[0].span[0]]
        if not any(w in intro for w in _INTRO_WORDS) or "主要" in intro:
            continue
        refs = [_cell(doc, x) for x in items]
        if any(r is None for r in refs) or len({(r.table.id, r.column) for r in refs}) != 1:
            continue
        if any(not claim_iv(x).meets(cell_iv(r.cell)) for x, r in zip(items, refs)):
            continue   # a listed figure that is not its cell is N01's finding
        # every listed figure is its cell: the column is the one the narrative restates, even where the table's
        # header left it a guess (Cell.exact False)
        t, col = refs[0].table, refs[0].column
        total = t.row("合计")
        tcell = total.cells.get(col) if total is not None else None
        if tcell is None or tcell.value is None:
            continue
        missing = [r for r in t.rows if r.code and len(r.code) == 3 and r.code not in codes
                   and r.cells.get(col) is not None and abs(r.cells[col].value or 0) > 0.005]
        if not missing:
            continue
        siv = interval_sum(claim_iv(x) for x in items)
        if siv.meets(cell_iv(tcell)):
            continue
        s = sum(x.value for x in items)
        names = "、".join(f"{r.code} {r.name or ''} {fmt(r.cells[col].value)}" for r in missing)
        yield finding("N04", "warning", f"说明所列各类支出合计 {fmt(s)} 万元，与{t.title}合计 {fmt(tcell.value)} 万元不符："
                      f"未列出 {names} 万元", prov=items[-1].prov, stated=round(s, 2), expected=tcell.value,
                      tolerance=round((siv.width + cell_iv(tcell).width) / 2, 4),
                      evidence=[claim_ev(items[0]), cell_ev(t, total, col, tcell)]
                      + [cell_ev(t, r, col, r.cells[col]) for r in missing], section=items[-1].section)


def _cell(doc: Document, c):
    """The first candidate cell of the claim's 类 in a table of its scope (exact or not: the caller confirms it)."""
    for tid, row, col in candidates(doc, c.subject, c.period):
        if scope_fits(tid, c.subject, c.scope):
            ref = locate(doc, tid, row, col)
            if ref is not None and ref.cell is not None and ref.cell.value is not None:
                return ref
    return None


_CLAUSE_CUT = re.compile(r"[，,；;。：:、（(]")


def _named_row(clause: str, names: dict):
    """The 项目支出表 row whose whole name ends the clause before a figure ("…，信访局临聘人员经费15.56万元")."""
    words = clause.rstrip("为是 ")
    return next((r for n, r in names.items() if words.endswith(n)), None)


@rule("N05", "说明所列项目金额与项目支出表不符", "error", """
说明逐一列出项目的金额（“项目支出预算 X 万元，A 项目 a 万元，B 项目 b 万元……”），项目名称与项目支出表的一行完全相同，
而金额与该行合计不符。只在同句另有两项以上项目与其行相符时核对（由此确认所读的是该表的合计栏）。容差：两数末位半个单位。
失败例：“信访接待中心运行费116万元，信访专项经费30万元，驻京经费312万元，信访局临聘人员经费15.56万元”，项目支出表
信访局临聘人员经费 16.56。
通过例：同句写“信访局临聘人员经费16.56万元”。""")
def listed_projects(doc: Document):
    t = doc.table("Y12")
    if t is None:
        return
    names = {}
    for r in t.rows:
        if r.name and len(r.name) >= 4 and r.cells.get("合计") is not None and r.cells["合计"].value is not None:
            names[r.name] = None if r.name in names else r   # a name printed twice is not one project
    names = {n: r for n, r in sorted(((n, r) for n, r in names.items() if r is not None), key=lambda x: -len(x[0]))}
    done = set()
    for c in doc.claims:
        if c.kind != "amount" or c.id in done or c.unit != "万元" or c.value is None:
            continue
        sc = [x for x in sentence_claims(doc.claims, c) if x.kind == "amount" and x.unit == "万元" and x.value is not None]
        done.update(x.id for x in sc)
        pairs = []
        for x in sc:
            left = x.sentence[:x.span[0]]
            cut = max((m.end() for m in _CLAUSE_CUT.finditer(left)), default=0)
            r = _named_row(left[cut:], names)
            if r is not None:
                pairs.append((x, r))
        agree = [(x, r) for x, r in pairs if claim_iv(x).meets(cell_iv(r.cells["合计"]))]
        for x, r in pairs:
            cell = r.cells["合计"]
            if claim_iv(x).meets(cell_iv(cell)) or len([p for p in agree if p[0] is not x]) < 2:
                continue
            yield finding("N05", "error", with_hint(f"说明称{r.name} {x.raw} 万元，但{t.title}「{r.name}」合计为 "
                                                    f"{fmt(cell.value)} 万元", digit_hint(x.value, x.decimals, cell.value,
                                                                                           cell.decimals)),
                          prov=x.prov, stated=x.value, expected=cell.value,
                          tolerance=round((claim_iv(x).width + cell_iv(cell).width) / 2, 4),
                          evidence=[claim_ev(x), cell_ev(t, r, "合计", cell)], section=x.section)
