"""The 政府采购预算表 (Y15): its total column and its 货物/工程/服务 rows or columns (auditor/structure/procurement.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from auditor.pipeline import load_document
from auditor.structure.procurement import category

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "tests" / "fixtures" / "rules"
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.mark.parametrize("label,cat", [("货物", "货物"), ("一、货物 A", "货物"), ("服务C", "服务"), ("（二）工程类", "工程"),
                                       ("C 服务", "服务"), ("苏州市审计局", None), ("服务费", None), ("物业管理服务", None)])
def test_category_labels(label, cat):
    assert category(label) == cat


def _cells(path):
    t = load_document(path).table("Y15")
    return t, {r.key: {c: (cell.value, cell.exact) for c, cell in r.cells.items()} for r in t.rows}


def test_total_printed_first():
    # 烟台: 科目编码 | 科目名称 | 合计 | 财政拨款 | 财政专户管理资金 | 单位资金
    t, rows = _cells(RULES / "budget_procurement.txt")
    assert rows["合计"] == {"合计": (29837.96, True)}
    assert t.columns == ["合计"]


def test_total_printed_last_with_category_rows():
    # 苏州: … | 一般公共预算资金 | 政府性基金 | 其他资金 | 上年结转和结余资金 | 总计, rows 合计 / 货物 / unit / items / 服务
    t, rows = _cells(RULES / "budget_procurement_rows.txt")
    assert rows["合计"]["合计"] == (188.5, True)
    assert rows["货物"]["合计"] == (5.5, True) and rows["服务"]["合计"] == (183.0, True)
    assert "工程" not in rows   # not printed: the narrative's 工程 0 万元 stays unverifiable


def test_category_columns():
    t, rows = _cells(RULES / "budget_procurement_columns.txt")
    assert rows["合计"] == {"合计": (826.69, True), "货物": (45.27, True), "工程": (76.51, True), "服务": (704.91, True)}


def test_header_without_total_is_not_placed(tmp_path):
    text = (RULES / "budget_procurement.txt").read_text(encoding="utf-8").replace(
        "科目编码\t科目名称\t合计\t", "科目编码\t科目名称\t金额\t")
    p = tmp_path / "no_total.txt"
    p.write_text(text, encoding="utf-8")
    t = load_document(p).table("Y15")
    assert t is not None and not any(c.exact for r in t.rows for c in r.cells.values())


@pytest.mark.parametrize("name,total,parts", [
    # 江苏 "一、货物 A" rows, one 总计 figure a row whose ruled cell moves from row to row
    ("jiangsu/yusuan_2019_jiangsu_sheng-gaoji-renmin-fayuan.pdf", 5227.59, {"货物": 1637.72, "工程": 530.0, "服务": 3059.87}),
    # 无锡 总计 printed last; two pages whose grid dropped the blank fund columns
    ("budgets/wuxi/教育局_2026年部门预算.pdf", 14549.77, {"货物": 874.1, "工程": 6594.74, "服务": 7080.93}),
])
def test_development_tables(name, total, parts):
    path = CORPUS / name
    if not path.exists():
        pytest.skip("development corpus not here")
    _, rows = _cells(path)
    assert rows["合计"]["合计"] == (total, True)
    assert {k: rows[k]["合计"][0] for k in parts} == parts
