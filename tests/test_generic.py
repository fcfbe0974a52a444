"""Generic tables (a grid of figures matching no catalogue entry) and per-column units, on real pages of the
development corpus (../shared/corpus, skipped without it) and on the repository's own corpus.

T01/T02 cases: each real page's grid is parsed as a generic table (``generic_tables`` on the page's blocks, the
catalogue left out, so the case does not depend on which titles the catalogue knows) and the rule is run on it.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.checks import RULES
from auditor.model import Cell, Document
from auditor.structure.generic import generic_tables
from auditor.structure.units import split_unit, to_wan
from corpus_docs import ROOT, corpus_doc, needs_corpus

HZJT = "budgets/hangzhou/2026年杭州市交通运输局部门预算.pdf"
CCXF = "budgets/changchun/2026年长春市信访局部门预算.pdf"
JSJC18 = "jiangsu/yusuan_2018_jiangsu_sheng-renmin-jianchayuan.pdf"

_doc = corpus_doc


def page_doc(rel: str, page: int) -> Document:
    """A document of one real page whose grids are read as generic tables."""
    d = _doc(rel)
    blocks = [b for b in d.blocks if b.prov.page == page]
    tables, _ = generic_tables(blocks, set())
    return Document(source=d.source, blocks=blocks, tables=tables)


def hits(doc: Document, code: str, row: str) -> list:
    return [f for f in RULES[code].fn(doc) if f.severity in ("error", "warning")
            and any(e.row == row for e in f.evidence[:1])]


# (rule, document, page, row key of the total, expect) — what the page really prints, read by a person:
GENERIC_CASES = [
    # 表5 一般公共预算支出预算表: 公路水路运输 基本支出 小计 51,417.49, but 人员经费 41,277.20 + 日常公用支出 10,190.89
    # = 51,468.09 (tests/gold_dev hzjt-03); the 合计 row likewise 82,479.29 vs 67,627.51 + 14,902.37 = 82,529.88
    ("T02", HZJT, 30, "公路水路运输", "fail"),
    ("T02", HZJT, 30, "合计", "fail"),
    ("T02", HZJT, 30, "教育支出", "pass"),           # 19,203.72 = 14,494.34 + 4,709.38
    # 支出总表（预算表3）: 2014002 一般行政管理事务 当年预算 小计 0.00 beside 项目支出 458.00, so 20140 信访事务 小计
    # 1,378.41 exceeds its 项 903.85 + 0.00 + 0.00
    ("T02", CCXF, 8, "2014002", "fail"),
    ("T01", CCXF, 8, "20140", "fail"),
    ("T02", CCXF, 8, "2014001", "pass"),             # 903.85 = 903.85 + 0.00 + 0.00
    ("T01", CCXF, 8, "208", "pass"),                 # 208 178.42 = 20805 178.42
    # 公开11表 printed with its 项 figures one column left of its header: they land in no headed column, and the
    # 302 row's 2,722.57 is not compared with an empty column (no false alarm from a misread grid)
    ("T01", JSJC18, 20, "302", "pass"),
]


@needs_corpus
@pytest.mark.parametrize("code,rel,page,row,expect", GENERIC_CASES,
                         ids=[f"{c[0]}-{Path(c[1]).stem[:12]}-p{c[2]}-{c[3]}-{c[4]}" for c in GENERIC_CASES])
def test_generic_rule_case(code, rel, page, row, expect):
    found = hits(page_doc(rel, page), code, row)
    assert bool(found) == (expect == "fail"), [f.message for f in found]


@needs_corpus
def test_generic_table_parsed_from_its_header():
    doc = page_doc(HZJT, 30)
    t = doc.tables[0]
    assert t.family == "generic" and t.printed_title == "表5：2026年市级部门一般公共预算支出预算表"
    assert t.columns == ["合计", "基本支出小计", "基本支出人员经费", "基本支出日常公用支出", "项目支出"]
    assert t.headers["基本支出人员经费"] == ["基本支出", "人员经费"]
    assert t.cell("合计", "合计").raw == "432,513.70" and t.cell("合计", "合计").unit == "万元"
    codes = page_doc(CCXF, 8).tables[0]
    assert codes.row_key == "code" and codes.row("2014002").name == "一般行政管理事务"


@needs_corpus
def test_generic_mutation_in_another_money_unit_is_converted():
    """One part printed in 元 (its column header "（元）"): the sum is compared in one unit and still holds; a count
    column (人) is never added to an amount."""
    doc = page_doc(HZJT, 30)
    t = doc.tables[0]
    r = t.row("教育支出")
    c = r.cells["基本支出日常公用支出"]
    r.cells["基本支出日常公用支出"] = Cell(c.value * 10000, "47,093,800.00", c.prov, True, "元")
    assert not hits(doc, "T02", "教育支出")
    r.cells["基本支出日常公用支出"] = Cell(c.value * 10000, "47,093,800.00", c.prov, True, "人")
    assert not hits(doc, "T02", "教育支出")     # 人 beside 万元: not summed, nothing reported
    r.cells["基本支出日常公用支出"] = Cell(4709.38, "4,709.38", c.prov, True, "元")
    assert hits(doc, "T02", "教育支出")          # 4,709.38 元 is 0.47 万元: the sum no longer holds


def test_generic_tables_listed_by_tables_command_and_report(tmp_path):
    """A table of figures no catalogue entry takes (a 项目 | 预算数 | 说明 list under a title no template uses, as the
    Guangdong 重点项目 section printed it before that section was catalogued) is a generic table in `auditor tables`
    and in the report's table list, with its rows and its value column."""
    seed = ROOT / "corpus" / "seeds"
    text = sorted(seed.glob("001*.txt"))[0].read_text(encoding="utf-8")
    extra = ("\n重点工作经费安排情况\n单位：万元\n项目\t预算数\t说明\n国有物业租赁经费\t12.00\t保障租赁\n"
             "幼儿园公用经费\t30.50\t日常运转\n合计\t42.50\t\n")
    path = tmp_path / "with_generic.txt"
    path.write_text(text + extra, encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "auditor", "tables", str(path), "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    tables = json.loads(out)["tables"]
    g = [t for t in tables if t["family"] == "generic"]
    assert g and g[-1]["columns"] == ["预算数"], g
    assert [r["name"] for r in g[-1]["rows"]][:2] == ["国有物业租赁经费", "幼儿园公用经费"]
    rep = subprocess.run([sys.executable, "-m", "auditor", "check", str(path), "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT).stdout
    listed = json.loads(rep)["documents"][0]["tables"] if "documents" in json.loads(rep) else json.loads(rep)["tables"]
    assert any(t["family"] == "generic" for t in listed)


@needs_corpus
def test_column_units_read_from_the_header():
    """长春 预算表11 prints 年度资金总额 with (万元) under it: the column is named without the unit and its cells carry it."""
    d = _doc(CCXF)
    t = next(t for t in d.tables if t.prov.page == 16 and t.id.startswith("Y17"))
    cells = [c for _, _, c in t.cells() if c.unit == "万元"]
    assert cells


def test_split_unit_and_conversion():
    assert split_unit("年度资金总额(万元)") == ("年度资金总额", "万元")
    assert split_unit("人数（人）") == ("人数", "人")
    assert split_unit("（元）") == ("", "元")
    assert split_unit("合计") == ("合计", None)
    assert to_wan(12345.0, "元") == pytest.approx(1.2345)
    assert to_wan(1.5, "亿元") == pytest.approx(15000.0)


def test_seed_tables_keep_their_unit_on_every_cell():
    from auditor.pipeline import audit

    r = audit(next((ROOT / "corpus" / "seeds").glob("001_*.txt")))
    assert all(c.unit == t.unit for t in r.doc.tables for _, _, c in t.cells())
    ev = [e for f in r.findings if f.rule == "T01" for e in f.evidence]
    assert ev and all(e.unit == "万元" and e.text.endswith("万元") for e in ev if e.value is not None)
