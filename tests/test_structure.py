"""Structure stage on the real seeds: every table recognised, real cell values, coverage, sections, identity."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from auditor.pipeline import load_document
from auditor.read import read_blocks
from auditor.structure import build_document, find_regions
from auditor.structure.coverage import document_coverage
from auditor.structure.tokens import norm_code, norm_name, parse_number, tokenize
from auditor.model import Provenance

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
S000, S001, S002, S003, S004 = (str(next(SEEDS.glob(f"{n}_*.txt"))) for n in ("000", "001", "002", "003", "004"))

J_ALL = ["J01.income", "J01.expenditure", "J02", "J03", "J04.income", "J04.expenditure", "J05", "J06", "J07", "J08",
         "J09"]
EXPECTED_TABLES = {
    S000: J_ALL + ["A01", "A02"],
    S001: J_ALL,
    S002: J_ALL + ["A01", "A02"],
    S003: ["Y01.income", "Y01.expenditure", "Y02", "Y03", "Y04.income", "Y04.expenditure", "Y05", "Y06", "Y07", "Y08",
           "Y09", "Y10", "Y11", "Y12", "Y13", "Y14", "Y17"],
    S004: J_ALL + ["A01", "A02"],
}
TITLES = {"J01.income": "收入支出决算总表", "J02": "收入决算表", "J03": "支出决算表", "J04.expenditure": "财政拨款收入支出决算总表",
          "J05": "一般公共预算财政拨款支出决算表", "J06": "一般公共预算财政拨款基本支出决算明细表",
          "J07": "政府性基金预算财政拨款收入支出决算表", "J08": "国有资本经营预算财政拨款收入支出决算表",
          "J09": "财政拨款“三公”经费支出决算表", "Y01.income": "部门收支预算表", "Y03": "部门支出预算表",
          "Y09": "一般公共预算“三公”经费预算表", "A01": "部门整体支出绩效自评表", "A02": "项目支出绩效自评汇总表"}


@pytest.fixture(scope="module")
def docs():
    return {p: load_document(p) for p in EXPECTED_TABLES}


@pytest.mark.parametrize("path", list(EXPECTED_TABLES), ids=lambda p: Path(p).name[:3])
def test_every_table_recognised_with_canonical_title(docs, path):
    doc = docs[path]
    assert [t.id for t in doc.tables] == EXPECTED_TABLES[path]
    for t in doc.tables:
        if t.id in TITLES:
            assert t.title == TITLES[t.id]
        assert t.prov.line is not None and t.unit == "万元"


@pytest.mark.parametrize("path,table,key,column,value", [
    (S001, "J06", "30231", "决算数", 2.45),
    (S001, "J06", "302", "决算数", 231.17),
    (S001, "J06", "301", "决算数", 624.0),          # an integer printed without decimals
    (S002, "J06", "30101", "决算数", 47.55),        # glued "47.5530201"
    (S002, "J06", "30201", "决算数", 6.99),
    (S002, "J06", "302", "决算数", 11.26),          # glued "101.65302"
    (S002, "J04.expenditure", "一般公共服务支出", "合计", 93.21),
    (S002, "J03", "2080505", "本年支出合计", 7.23),  # name wrapped over three lines
    (S003, "Y03", "2010301", "合计", 111.48),         # code printed "201 03 01"
    (S003, "Y06", "合计", "合计", 166.70),
    (S004, "J01.expenditure", "科学技术支出", "金额", 3000.00),
    (S004, "J01.income", "一般公共预算财政拨款收入", "金额", 3881.84),  # thousands separator
    (S000, "J09", "决算数", "公务用车运行维护费", 4.08),
    (S000, "J09", "预算数", "合计", 9.8),
    (S000, "A01", "总分", "得分", 99.46),
    (S004, "A01", "财政拨款", "年初预算数", 786.65),
    (S001, "J04.income", "年初财政拨款结转和结余.一般公共预算财政拨款", "金额", 907.94),
])
def test_cell_values(docs, path, table, key, column, value):
    assert docs[path].table(table).value(key, column) == pytest.approx(value)


def test_empty_cells_are_missing_not_zero(docs):
    t = docs[S001].table("J03")
    assert t.value("201", "项目支出") is None
    assert t.frame.loc["201", "项目支出"] != t.frame.loc["201", "项目支出"]  # NaN


def test_cells_keep_raw_text_and_line(docs):
    c = docs[S004].table("J01.income").cell("一般公共预算财政拨款收入", "金额")
    assert c.raw == "3,881.84" and c.prov.line == 140 and c.decimals == 2
    c = docs[S002].table("J06").cell("30101", "决算数")
    assert c.raw == "47.55" and c.prov.line == 396


def test_two_sided_tables_keep_line_numbers(docs):
    r = docs[S001].table("J01.expenditure").row("本年支出合计")
    assert r.line_no == "57" and r.value("金额") == 927.71


def test_no_data_note_recorded(docs):
    assert docs[S001].table("J09").no_data_note is not None      # a note says none, the table holds data
    assert not docs[S001].table("J09").empty
    assert docs[S004].table("J09").no_data_note is not None and docs[S004].table("J09").empty


def test_dataframe_is_keyed_by_code(docs):
    df = docs[S001].table("J05").frame
    assert list(df.columns) == ["小计", "基本支出", "项目支出"]
    assert df.loc["2012901", "小计"] == 749.17
    long = docs[S001].table("J05").long_frame()
    assert {"table", "row", "column", "value", "raw", "line", "page"} <= set(long.columns)


def test_identity(docs):
    d = docs[S003]
    assert (d.department, d.year, d.kind) == ("焦作市解放区行政审批和政务信息管理局", 2025, "预算")
    d = docs[S001]
    assert (d.department, d.year, d.kind) == ("洛阳市孟津区政务服务和大数据管理局", 2024, "决算")


@pytest.mark.parametrize("path", list(EXPECTED_TABLES), ids=lambda p: Path(p).name[:3])
def test_narrative_part_found_by_content(docs, path):
    doc = docs[path]
    titles = [doc.blocks[i].text for i in doc.narrative]
    assert any("收入支出" in t and "情况说明" in t for t in titles)
    assert not any(i in range(s, e) for s, e in doc.table_regions for i in doc.narrative)


def test_sections_levels(docs):
    secs = docs[S001].sections
    assert any(s.level == 1 and s.part == "说明" for s in secs)
    assert any(s.level == 2 and s.title.startswith("九、") for s in secs)
    assert any(s.level == 3 and s.number == "一" for s in secs)


@pytest.mark.parametrize("path", list(EXPECTED_TABLES), ids=lambda p: Path(p).name[:3])
def test_table_coverage_at_least_99_percent(path):
    info, blocks = read_blocks(path)
    cov = document_coverage(build_document(info, blocks), find_regions(blocks))
    assert cov.numbers > 300
    assert cov.ratio >= 0.99, cov.missed[:20]


def test_tokens():
    p = Provenance("x", 1)
    assert [t.text for t in tokenize("30101 基本工资 47.5530201 办公费 6.99", p)] == \
        ["30101", "基本工资", "47.55", "30201", "办公费", "6.99"]
    assert [t.text for t in tokenize("本 年 收 入 合 计 170.30", p)] == ["本年收入合计", "170.30"]
    assert norm_code("201 03 01") == norm_code("2010301") == "2010301"
    assert norm_name("一、一般公共预算财政拨款收入") == "一般公共预算财政拨款收入"
    assert norm_name("（二）外交支出") == "外交支出"
    assert parse_number("3,881.84") == 3881.84 and parse_number("") is None and parse_number("624") == 624


def test_title_in_table_of_contents_is_not_a_table(docs):
    # seed 000 lists the nine titles in its 目录 before the tables; each table is found once, at the real table
    t = docs[S000].table("J01.income")
    assert t.prov.line > 100


def test_budget_table_layouts_of_the_development_corpus():
    """Layouts whose misreading made false findings on the budgets folder (tests/reviews/budgets/), as tab text:
    a 三公 table whose header orders the items otherwise (长沙市公安局 p21: T02 30 vs 550), a unit-keyed 收入 table
    with more columns than the canonical ones (珠海 p8: its 合计 66,307.98 was dropped and 46,402.33 read as 合计),
    and a 栏次 row plus a 合计 header row above the real 合计 row (苏州市水务局 p23: T01 合计 = 空)."""
    doc = load_document(Path(__file__).parent / "fixtures" / "rules" / "budget_tables.txt")
    sg = doc.table("Y09").row("预算数").cells
    assert {k: (c.value, c.exact) for k, c in sg.items()} == {
        "合计": (458.5, True), "因公出国（境）费": (30.0, True), "公务用车购置及运行维护费": (400.0, True),
        "公务用车购置费": (150.0, True), "公务用车运行维护费": (250.0, True), "公务接待费": (28.5, True)}
    income = doc.table("Y02").row("合计").cells
    assert income["合计"].value == 66307.98 and not any(c.exact for c in income.values())  # 12 figures, 11 columns
    fund = doc.table("Y10")
    assert [r.key for r in fund.rows] == ["合计", "212"] and fund.row("合计").cells["合计"].value == 44003.26


@pytest.mark.parametrize("table,key,column,value", [
    ("Y06", "30101/50101", "合计", 27.39),      # 基本工资: total and the part of its class (301 -> 人员经费)
    ("Y06", "30101/50101", "人员经费", 27.39),
    ("Y03", "2010350", "合计", 33.02),          # 6 of 11 figures printed: only the first one's column is known
    ("Y05", "2080505", "合计", 10.79),
    ("Y04.expenditure", "本年支出", "合计", 170.30),
    ("Y09", "预算数", "合计", 0.14),
])
def test_seed_003_flattened_cells_placed_by_layout_are_exact(docs, table, key, column, value):
    """Seed 003 (flattened 预算 text, blank cells dropped): a figure whose column the printed row determines is exact."""
    cell = docs[S003].table(table).rows[[r.key for r in docs[S003].table(table).rows].index(key)].cells[column]
    assert cell.value == pytest.approx(value) and cell.exact


def test_seed_003_figures_whose_column_is_not_printed_stay_guesses(docs):
    """201 03 50 事业运行 prints 33.02 33.02 24.39 24.39 8.63 8.63 under 11 columns: beyond the total, no exact cell."""
    row = next(r for r in docs[S003].table("Y03").rows if r.key == "2010350")
    assert [c for c, cell in row.cells.items() if cell.exact] == ["合计"]
    assert sum(not cell.exact for t in docs[S003].tables for r in t.rows for cell in r.cells.values()) <= 153
    y06 = docs[S003].table("Y06")
    assert all(cell.exact for r in y06.rows for cell in r.cells.values())
    assert y06.value("30302/50905", "人员经费") == pytest.approx(2.10)   # 303 退休费 -> 人员经费
    assert y06.value("30302/50905", "公用经费") is None


def test_seed_003_two_sided_row_split_at_the_numbered_item(docs):
    """"（一）一般公共预算拨款 （八）社会保障和就业支出 11.67 11.67 11.67": two names, one on each side."""
    inc = docs[S003].table("Y04.income")
    assert not any("社会保障" in r.key for r in inc.rows)
    assert "上年结转.一般公共预算拨款" in [r.key for r in inc.rows]
    cell = docs[S003].table("Y04.expenditure").row("社会保障和就业支出").cells["合计"]
    assert cell.value == pytest.approx(11.67) and cell.exact


def test_tables_of_sees_every_printed_table_of_an_id_and_t02_checks_each(docs):
    """doc.table(id) stays the first table; doc.tables_of(id) gives Y05, Y05_2 … (and Y01_2.income for a side), and
    the in-table identities (T02) run on each, so a broken sum in a second 三公 table is reported."""
    import copy

    from auditor.checks.tables import listed_identities

    doc = copy.deepcopy(docs[S001])
    second = copy.deepcopy(doc.table("J09"))
    second.id = "J09_2"
    row = second.row("决算数")
    cell = row.cells["公务接待费"]
    row.cells["公务接待费"] = type(cell)(cell.value + 1.0, cell.raw, cell.prov, True)
    doc.tables.append(second)
    side = copy.deepcopy(doc.table("J01.income"))
    side.id = "J01_2.income"
    doc.tables.append(side)
    assert doc.table("J09") is not second and [t.id for t in doc.tables_of("J09")] == ["J09", "J09_2"]
    assert [t.id for t in doc.tables_of("J01.income")] == ["J01.income", "J01_2.income"]
    assert doc.tables_of("J0") == [] and doc.tables_of("J01") == []
    before = {f.message for f in listed_identities(docs[S001])}
    new = [f for f in listed_identities(doc) if f.message not in before]
    assert new and all(f.rule == "T02" and "「决算数」行合计" in f.message for f in new)
    assert all(e.table == "J09_2" for f in new for e in f.evidence)


def test_part_title_naming_shuoming_is_the_narrative():
    from auditor.structure.sections import classify_part

    for title in ("第一部分 部门预算公开说明", "第一部分 2025年部门预算说明", "第二部分 2023年度部门决算情况说明",
                  "第一部分 部门决算编制说明"):
        assert classify_part(title) == "说明", title
    assert classify_part("第二部分 2025年部门预算表") == "表"
    assert classify_part("第三部分 名词解释") == "名词解释"


NARRATIVE_HEADS = """（十）其他重要事项的情况说明
1.机关运行经费
2026年，本部门1家行政单位的机关运行经费财政拨款预算46.12万元，比上年预算数增加4.16万元，增长0.9%。
2.预算绩效情况说明
2026年本部门共计3个一级项目，涉及资金106.00万元。
机关运行经费
本部门2026年机关运行经费财政拨款预算12.00万元，
比上年减少1.00万元。
（三）机关运行经费
科目\t合计
301 工资福利支出\t10.00
302 商品和服务支出\t2.00
合计\t12.00
"""


def test_narrative_heading_over_sentences_is_no_table_title(tmp_path):
    """"1.机关运行经费" (or a bare 机关运行经费) over a paragraph is a narrative section and its sentences stay narrative;
    the same words over rows of figures are the Y13 table's title."""
    path = tmp_path / "heads.txt"
    path.write_text(NARRATIVE_HEADS, encoding="utf-8")
    info, blocks = read_blocks(str(path))
    regions = find_regions(blocks)
    assert [(r.tdef.id, r.printed_title) for r in regions] == [("Y13", "（三）机关运行经费")]
    assert [blocks[j].text for j in regions[0].body][-1] == "合计 12.00"
    doc = build_document(info, blocks)
    assert any("共计3个一级项目" in doc.blocks[i].text for i in doc.narrative)


def test_prepare_line_skips_only_the_joins_that_cannot_apply():
    """prepare_line joins spaces only in a line holding one and splits glued numbers only in a line with a decimal
    point: the same as applying every step, on the seeds' lines and on lines made of the pieces the steps read."""
    import random

    from auditor.structure import tokens as tk

    def every_step(text):
        t = text.replace("\u3000", " ").strip()
        t = tk._CJK_SPACED.sub("", t)
        t = tk._SPACED_FUNC.sub(lambda m: "".join(g for g in m.groups() if g), t)
        t = tk._SPACED_ECON.sub(lambda m: m.group(1) + m.group(2), t)
        return tk._GLUED.sub(r"\1 ", t)

    texts = [ln for p in sorted(SEEDS.glob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()]
    pieces = ["201", "03", "01", "301", "02", " ", "\u3000", "行政", "运行", "1.23", "456.78", "9", ".", ",", "%"]
    rnd = random.Random(5)
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randrange(1, 9))) for _ in range(5000)]
    for text in texts:
        assert tk.prepare_line.__wrapped__(text) == every_step(text), text
