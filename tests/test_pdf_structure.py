"""Structure of the three Shanghai PDFs (another province's template): tables recognised by title, split codes joined,
columns placed by the printed header, 三公 预算数/决算数 interleaved, identity and narrative found.

Expected figures were read off the PDFs (pdfplumber page text and word positions)."""
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.model import Block, GridCell, Provenance, SourceInfo
from auditor.pipeline import load_document
from auditor.structure import build_document
from auditor.structure.regions import find_regions

ROOT = Path(__file__).resolve().parent.parent
SH = ROOT / "corpus" / "shanghai"
CZJ = SH / "shanghai_putuo_caizhengju_2024.pdf"
SGB = SH / "shanghai_putuo_shehuigongzuobu_2024.pdf"
TPL = SH / "shanghai_template_2024.pdf"

TABLES = [
    ("J01.income", "收入支出决算总表"), ("J01.expenditure", "收入支出决算总表"), ("J02", "收入决算表"),
    ("J03", "支出决算表"), ("J04.income", "财政拨款收入支出决算总表"), ("J04.expenditure", "财政拨款收入支出决算总表"),
    ("J05", "一般公共预算财政拨款支出决算表"), ("J06", "一般公共预算财政拨款基本支出决算明细表"),
    ("J09", "财政拨款“三公”经费支出决算表"), ("J07", "政府性基金预算财政拨款收入支出决算表"),
    ("J08", "国有资本经营预算财政拨款收入支出决算表"),
]


@pytest.fixture(scope="module")
def docs():
    return {p.name: load_document(p) for p in (CZJ, SGB, TPL)}


def _tables(doc):
    return {t.id: t for t in doc.tables}


@pytest.mark.parametrize("path,dept", [(CZJ, "上海市普陀区财政局"), (SGB, "中共上海市普陀区委社会工作部"),
                                       (TPL, "上海市XX局")])
def test_identity_and_tables(docs, path, dept):
    doc = docs[path.name]
    assert (doc.department, doc.year, doc.kind) == (dept, 2024, "决算")
    # printed order: 三公 seventh, 政府性基金 eighth, 国有资本经营 ninth
    assert [(t.id, t.title) for t in doc.tables] == TABLES
    assert all(t.label is None for t in doc.tables)  # no 公开NN表 labels printed


@pytest.mark.parametrize("path", [CZJ, SGB, TPL])
def test_every_cell_has_a_page(docs, path):
    doc = docs[path.name]
    cells = [c for t in doc.tables for r in t.rows for c in r.cells.values()]
    assert all(c.prov.page is not None and c.prov.path == str(path) for c in cells)
    assert all(r.prov.page is not None for t in doc.tables for r in t.rows)
    assert all(c.value is not None for c in cells)  # no header word left in a value cell


@pytest.mark.parametrize("path,first_page", [(CZJ, 21), (SGB, 17), (TPL, 15)])
def test_narrative(docs, path, first_page):
    doc = docs[path.name]
    assert doc.narrative
    lines = [doc.blocks[i] for i in doc.narrative]
    assert all(b.prov.page is not None and b.prov.page >= first_page for b in lines)  # not the 目录 entries
    texts = [b.text.strip() for b in lines]
    assert any(t.startswith("一、收入支出决算总体情况说明") for t in texts)
    assert any(t.startswith("十一、其他重要事项") for t in texts)
    assert not any(t.startswith("第四部分") for t in texts)
    top = [s for s in doc.sections if s.level == 2 and s.prov.page and s.prov.page >= first_page
           and s.start - 1 in doc.narrative]
    assert len(top) == 11


def _raw(t, key, col):
    c = t.cell(key, col)
    return None if c is None else (c.raw, c.prov.page)


def test_caizhengju_cells(docs):
    tb = _tables(docs[CZJ.name])
    # codes printed over 类 | 款 | 项 cells are joined; the first 合计 row shares its grid row with 类 款 项
    assert [r.key for r in tb["J02"].rows][:4] == ["合计", "201", "20106", "2010601"]
    assert tb["J02"].row("20106").name == "财政事务"
    assert _raw(tb["J02"], "合计", "本年收入合计") == ("2,946.25", 8)
    assert _raw(tb["J02"], "2010602", "其他收入") == ("6.19", 8)
    assert _raw(tb["J02"], "2080505", "本年收入合计") == ("160.75", 8)
    assert _raw(tb["J02"], "2210203", "财政拨款收入") == ("258.50", 9)  # continued on the next page
    assert _raw(tb["J03"], "2010601", "项目支出") == ("8.37", 10)
    # J05 prints 合计 | 基本支出 | 项目支出: mapped to the canonical 小计 by the header
    assert _raw(tb["J05"], "合计", "基本支出") == ("2,336.91", 15)
    assert _raw(tb["J05"], "2010608", "小计") == ("449.52", 15)
    # 基本支出: economic 类 | 款 cells joined, two side-by-side groups, continued on page 17
    j06 = tb["J06"]
    assert _raw(j06, "30102", "决算数") == ("1,238.58", 16)
    assert _raw(j06, "30229", "决算数") == ("42.77", 17)
    assert _raw(j06, "31002", "决算数") == ("13.58", 17)
    assert _raw(j06, "人员经费合计", "决算数") == ("2,152.26", 17)
    assert _raw(j06, "公用经费合计", "决算数") == ("184.65", 17)
    assert j06.row("31099").name == "其他资本性支出"
    codes = [r.key for r in j06.rows if r.code]
    assert len(codes) == 64 and len(set(codes)) == 64
    # two-sided totals, continued on the next page
    assert _raw(tb["J01.income"], "年初结转和结余", "金额") == ("49.14", 7)
    assert _raw(tb["J01.expenditure"], "年末结转和结余", "金额") == ("55.34", 7)
    assert _raw(tb["J04.expenditure"], "住房保障支出", "一般公共预算财政拨款") == ("445.69", 13)
    assert _raw(tb["J04.income"], "总计", "金额") == ("2,961.68", 13)
    # 三公: 预算数 | 决算数 interleaved under each item
    j09 = tb["J09"]
    assert [r.key for r in j09.rows] == ["预算数", "决算数"]
    assert _raw(j09, "预算数", "合计") == ("0.95", 18)
    assert _raw(j09, "预算数", "公务接待费") == ("0.95", 18)
    assert not j09.row("决算数").cells
    assert tb["J07"].no_data_note is not None and tb["J07"].empty


def test_shehuigongzuobu_cells(docs):
    tb = _tables(docs[SGB.name])
    assert _raw(tb["J01.expenditure"], "住房保障支出", "金额") == ("29.42", 5)
    assert _raw(tb["J02"], "2210203", "财政拨款收入") == ("11.72", 7)
    assert _raw(tb["J03"], "合计", "基本支出") == ("105.58", 8)
    assert _raw(tb["J03"], "2013999", "项目支出") == ("202.24", 8)
    assert _raw(tb["J04.expenditure"], "本年支出合计", "合计") == ("307.82", 11)
    assert _raw(tb["J05"], "2101102", "小计") == ("0.49", 12)
    assert _raw(tb["J06"], "30226", "决算数") == ("0.68", 13)
    assert _raw(tb["J06"], "30107", "决算数") == ("10.16", 13)
    assert _raw(tb["J06"], "公用经费合计", "决算数") == ("10.23", 13)
    assert tb["J09"].no_data_note is not None and tb["J09"].empty
    assert tb["J07"].columns[:6] == ["年初结转和结余", "本年收入", "本年支出小计", "本年支出基本支出", "本年支出项目支出",
                                     "年末结转和结余"]


def test_template_is_empty_but_structured(docs):
    tb = _tables(docs[TPL.name])
    assert all(t.empty for t in tb.values())
    assert [r.key for r in tb["J02"].rows][:3] == ["合计", "205", "20502"]
    assert len([r for r in tb["J06"].rows if r.code]) == 65


def _blocks(texts, grid):
    p = [Provenance("x.pdf", page=1, line=i) for i in range(len(texts) + 1)]
    blocks = [Block("text", t, p[i]) for i, t in enumerate(texts)]
    blocks.append(Block("grid", "", p[-1], grid=[[GridCell(c, p[-1]) for c in row] for row in grid]))
    return blocks


def test_title_with_department_prefix_or_wrapped():
    grid = [["30101", "基本工资", "1.00"]]
    regs = find_regions(_blocks(["上海市普陀区某某局2024年度一般公共预算财政拨款基本支出", "决算表", "单位：万元"], grid))
    assert [(r.tdef.id, r.printed_title, r.body) for r in regs] == [
        ("J06", "上海市普陀区某某局2024年度一般公共预算财政拨款基本支出决算表", [3])]
    regs = find_regions(_blocks(["财政拨款", "收入支出决算总表"], [["总计", "1.00"]]))
    assert [r.tdef.id for r in regs] == ["J04"]
    for title, tid in [("上海市某某局2024年部门财政拨款收支决算总表", "J04"), ("一般公共预算支出决算表", "J05"),
                       ("一般公共预算财政拨款基本支出决算表", "J06"), ("部门收支决算总表", "J01")]:
        assert [r.tdef.id for r in find_regions(_blocks([title], [["总计", "1.00"]]))] == [tid]


def test_cli_tables_runs():
    for p in (CZJ, SGB, TPL):
        r = subprocess.run([sys.executable, "-m", "auditor", "tables", str(p)], capture_output=True, text=True,
                           cwd=ROOT, timeout=300)
        assert r.returncode == 0 and "Traceback" not in r.stderr
        assert "J09 财政拨款“三公”经费支出决算表" in r.stdout


def test_a_header_line_labelled_heji_is_no_heji_row():
    # 无锡市交通运输局 2026 公开10表: the header's second line prints 合计 | 基本支出 | 项目支出 above the 合计 row
    grid = [["科目编码", "科目名称", "本年政府性基金预算支出"], ["", "", "合计", "基本支出", "项目支出"],
            ["", "合计", "143,999.00", "", "143,999.00"], ["212", "城乡社区支出", "143,999.00", "", "143,999.00"],
            ["21208", "国有土地使用权出让收入安排的支出", "143,999.00", "", "143,999.00"]]
    doc = build_document(SourceInfo("x.pdf", "pdf"), _blocks(["公开10表", "政府性基金预算支出表", "单位：万元"], grid))
    t = doc.table("Y10")
    assert [r.key for r in t.rows] == ["合计", "212", "21208"]
    assert t.value("合计", "合计") == 143999.0 and t.value("合计", "项目支出") == 143999.0
