"""T02 over the 项目支出绩效目标表 printed as one list in page-sized pieces (auditor/checks/performance_list.py): the
projects' 资金总额 read under that header across the pieces, on the real pages of the development corpus (skipped
without ../shared/corpus) and as hand-made grids (rule cases: failing and passing)."""
from __future__ import annotations


import pytest

from auditor.checks import RULES
from auditor.checks.performance_list import COL, _chains, list_parts, performance_list_total
from auditor.checks.tables import _compare
from auditor.lexicons import load
from auditor.model import Block, Document, GridCell, Provenance, SourceInfo, Table
from corpus_docs import corpus_doc, needs_corpus

CSPSB = "budgets/changsha/2026年长沙市公安局2025年部门预算.pdf"
SPEC = load("identities")["performance_list"]
_doc = corpus_doc


@needs_corpus
def test_pieces_read_as_one_list_of_projects():
    """p23–p50: one table in 28 pieces; 合计 and the department line 40,233.95, then 14 projects — a project carried
    onto the next page (大型警保卫… at the top of p24 and p25) counted once, the 指标值 (100, 6 …) never read."""
    doc = _doc(CSPSB)
    chains = list(_chains(doc, SPEC))
    assert len(chains) == 1
    pages = [doc.blocks[i].prov.page for i, _ in chains[0]]
    assert pages == list(range(23, 51))
    t = next(t for t in doc.tables if t.id == "Y17")
    total, parts = list_parts(doc, chains[0], t, SPEC)
    assert total.cells[COL].value == 40233.95 and total.prov.page == 23
    names = [p.name for p in parts]
    assert len(parts) == 14 and len(set(names)) == 14
    assert names[0] == "大型警保卫及基础设施安全保护工作经费" and names[-1] == "装备、服装及其他设备购置费"
    assert round(sum(p.cells[COL].value for p in parts), 2) == 39052.86
    # each project on the page where it first appears
    assert sorted(p.cells[COL].prov.page for p in parts) == [23, 25, 28, 30, 32, 33, 35, 37, 39, 40, 42, 45, 46, 48]


@needs_corpus
def test_gold_finding_reported():
    found = [f for f in RULES["T02"].fn(_doc(CSPSB)) if f.severity == "error" and f.stated == 40233.95]
    assert len(found) == 1 and found[0].expected == 39052.86 and found[0].prov.page == 23
    assert {e.prov.page for e in found[0].evidence} >= {23, 25, 28, 30, 32, 33, 35, 37, 39, 40, 42, 45, 46, 48}


# hand-made pages: each a list of printed lines (code, name, 资金总额, 绩效目标, 指标名称, 指标值)
HEADER = ["单位编码", "单位（项目）名称", "资金总额", "绩效目标", "三级指标", "指标值"]


def _page(no: int, lines: list[list[str]], header: bool = True) -> list[Block]:
    rows = ([HEADER] if header else []) + lines
    grid = [[GridCell(s, Provenance("t.pdf", page=no, bbox=(j * 50.0, k * 20.0, j * 50.0 + 50, k * 20.0 + 20)))
             for j, s in enumerate(r)] for k, r in enumerate(rows)]
    p = Provenance("t.pdf", page=no, bbox=(0, 0, 300, 20 * len(rows)))
    return [Block("text", "2025年项目支出绩效目标表", Provenance("t.pdf", page=no)), Block("grid", "", p, grid=grid)]


def _document(*pages: list[Block]) -> Document:
    blocks = [b for p in pages for b in p]
    tables = [Table(id="Y17" if i == 0 else f"Y17_{i + 1}", title="项目支出绩效目标表",
                    printed_title="2025年项目支出绩效目标表", prov=Provenance("t.pdf", page=b.prov.page),
                    family="预算", row_key="name", columns=["值"])
              for i, b in enumerate(x for x in blocks if x.kind == "grid")]
    return Document(SourceInfo("t.pdf", "pdf"), blocks, tables=tables, kind="预算")


P1 = [["合计", "", "300.00", "", "", ""], ["101001", "某局", "300.00", "", "", ""],
      ["101001", "项目甲", "100.00", "完成", "成本控制率", "100"], ["", "", "", "", "次数", "6"]]
P2 = [["101001", "项目甲", "100.00", "完成", "满意度", "90"], ["101001", "项目乙", "{b}", "完成", "次数", "20"]]

# (case, pages, expect): the 合计 300.00 against 项目甲 100.00 + 项目乙 (200.00 or 150.00)
CASES = [
    ("carried-over project counted once, sums", [(1, P1, True), (2, P2, True)], "200.00", "pass"),
    ("carried-over project counted once, short", [(1, P1, True), (2, P2, True)], "150.00", "fail"),
    # a next page going on without the header: a piece not read as one, so the list may go on — not checked
    ("continuation without header", [(1, P1, True), (2, P2, True), (3, [["", "项目丙", "5.00", "", "", ""]], False)],
     "150.00", "none"),
    # a unit line that is the sum of the projects after it: the hierarchy is unclear — not checked
    ("unit subtotal", [(1, P1[:2] + [["101002", "某单位", "150.00", "", "", ""]] + P1[2:], True), (2, P2, True)],
     "50.00", "none"),
    # another title between: two tables, the first one's projects alone
    ("pages not consecutive", [(1, P1, True), (3, P2, True)], "200.00", "none"),
]


@pytest.mark.parametrize("case,pages,b,expect", CASES, ids=[c[0] for c in CASES])
def test_performance_list_case(case, pages, b, expect):
    doc = _document(*[_page(no, [[s.format(b=b) for s in r] for r in lines], h) for no, lines, h in pages])
    found = [f for f in performance_list_total(doc, _compare) if f.severity == "error"]
    if expect == "fail":
        assert len(found) == 1 and found[0].stated == 300.0 and found[0].expected == 250.0
    else:
        assert not found
    checked = any(list_parts(doc, ch, doc.tables[0], SPEC) for ch in _chains(doc, SPEC))
    assert checked == (expect != "none")
