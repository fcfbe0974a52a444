"""Tables listing the department's units (header 单位名称) and two-level headers, on real pages of the development
corpus (../shared/corpus, skipped without it), and the header mapping on hand-made header rows.

- 表2 收入预算总表 (杭州): 总计 | 本年收入 › 小计 / 一般公共预算 / … | 上年结转结余 › 小计 / 一般公共预算 / …: each figure
  under its own column (no shift), the 上年结转结余 group's parts kept as columns of their own;
- a figure wrapped in its narrow cell ("12,437.3" over "6") read as one figure with the unit's wrapped name;
- 表7 三公经费预算表 by unit: the 合计 row stays 预算数, each unit keeps its row, and T02 sums them.
"""
from __future__ import annotations


import pytest

from auditor.checks import RULES
from auditor.model import Document, Provenance
from auditor.structure.header import grouped_parts, map_columns, unit_keyed
from auditor.structure.rows import RawRow
from auditor.structure.tokens import Tok, classify
from auditor.lexicons import table_def
from corpus_docs import corpus_doc, needs_corpus

HZGA = "budgets/hangzhou/2026年杭州市公安局部门预算.pdf"

_doc = corpus_doc


def _row(*cells: str) -> RawRow:
    p = Provenance("t.pdf", 1, 1)
    return RawRow([Tok(c, classify(c) if c else "empty", p) for c in cells], True, p, (1,))


HEADER = [
    _row("单位名称", "总计", "本年收入", "", "", "上年结转结余", "", ""),
    _row("", "", "小计", "一般公共预算", "事业收入", "小计", "一般公共预算", "单位资金"),
]


def test_grouped_header_parts_are_not_their_group():
    """上年结转结余 › 一般公共预算 is a part of 上年结转结余 (whose 小计 is printed beside it), not 上年结转结余 itself nor
    the 本年收入 一般公共预算拨款收入 column; the two-level parts keep their printed path."""
    tdef = table_def("Y02")
    cols, _ = map_columns(HEADER + [_row("合计", "9.00", "8.00", "5.00", "3.00", "1.00", "0.60", "0.40")], tdef,
                          tdef.columns)
    assert cols == {1: "合计", 3: "一般公共预算拨款收入", 4: "事业收入", 5: "上年结转结余"}
    assert grouped_parts(HEADER, cols) == {2: "本年收入小计", 6: "上年结转结余一般公共预算", 7: "上年结转结余单位资金"}
    assert unit_keyed(HEADER)
    assert not unit_keyed([_row("科目编码", "科目名称", "合计")])


@needs_corpus
def test_grouped_header_places_each_figure_in_its_column():
    t = next(t for t in _doc(HZGA).tables if t.id == "Y02")
    total = t.row("合计")
    got = {c: total.cells[c].value for c in ("合计", "本年收入小计", "一般公共预算拨款收入", "政府性基金预算拨款收入",
                                              "事业收入", "其他收入", "上年结转结余", "上年结转结余一般公共预算")}
    assert got == {"合计": 404415.23, "本年收入小计": 400391.78, "一般公共预算拨款收入": 366195.79,
                   "政府性基金预算拨款收入": 7600.0, "事业收入": 18536.88, "其他收入": 8059.10,
                   "上年结转结余": 4023.45, "上年结转结余一般公共预算": 4023.45}
    assert t.rows_by == "unit"
    # "杭州市机动" / "车驾驶员考试服务中心" over two lines, its 事业收入 "12,437.3" / "6" likewise: one row, one figure
    r = t.row("杭州市机动车驾驶员考试服务中心")
    assert r is not None and r.cells["事业收入"].value == 12437.36 and r.cells["合计"].value == 14549.64
    assert t.row("车驾驶员考试服务中心") is None


@needs_corpus
def test_sangong_table_keeps_its_unit_rows():
    t = next(t for t in _doc(HZGA).tables if t.id == "Y09")
    assert t.row("预算数").cells["合计"].value == 4112.82
    units = t.rows[1:]
    assert len(units) == 9 and units[0].key == "杭州市公安局" and units[0].cells["合计"].value == 887.56
    assert t.rows_by == "unit"


# (document, table, row of the total, column, expect) — what the page prints, read by a person
UNIT_SUM_CASES = [
    # 表2 p21: 合计 总计 404,415.23 but the 11 unit rows add to 402,943.55 (the first 杭州市公安局 line repeats the
    # 合计: the department's own line); 一般公共预算 366,195.79 vs 364,724.13 (tests/gold_dev hzga-02)
    (HZGA, "Y02", "合计", "合计", "fail"),
    (HZGA, "Y02", "合计", "一般公共预算拨款收入", "fail"),
    (HZGA, "Y02", "合计", "事业收入", "pass"),          # 18,536.88 = 12,437.36 + 6,099.52 (the wrapped figure)
    (HZGA, "Y02", "合计", "上年结转结余", "pass"),      # 4,023.45 = 2,196.51 + 1,726.66 + … + 15.22
    # 表7 p29: 合计 4,112.82 vs Σ nine units 3,968.82; 运行维护费 2,987.20 vs 2,843.20 (hzga-01); 购置费 adds up
    (HZGA, "Y09", "预算数", "合计", "fail"),
    (HZGA, "Y09", "预算数", "公务用车运行维护费", "fail"),
    (HZGA, "Y09", "预算数", "公务用车购置费", "pass"),    # 1,024.69
    (HZGA, "Y09", "预算数", "公务接待费", "pass"),        # 100.93
]


@needs_corpus
@pytest.mark.parametrize("rel,table,row,col,expect", UNIT_SUM_CASES,
                         ids=[f"{c[1]}-{c[3]}-{c[4]}" for c in UNIT_SUM_CASES])
def test_unit_rows_sum_case(rel, table, row, col, expect):
    doc = _doc(rel)
    found = [f for f in RULES["T02"].fn(doc) if f.severity == "error" and f.evidence
             and (f.evidence[0].table, f.evidence[0].row, f.evidence[0].column) == (table, row, col)]
    assert bool(found) == (expect == "fail"), [f.message for f in found]
