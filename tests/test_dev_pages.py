"""Regression cases from real development pages, without the PDFs: the blocks of the pages where the auditor made
false findings (tests/fixtures/dev_pages/, read from ../shared/corpus/ by the PDF reader) are structured, their
claims extracted and the rules run; a finding the reviews (tests/reviews/) judge `false` must not come back as error
or warning, and the figures behind each cause must read as printed.

Causes: a ruled table printing one value column (金额) whose grid's spacer cells put each row's figure in a
different cell (read as 人员经费/公用经费, T01/X01/N03); a grid line holding only a row's figure, cut from its name
(T01 on an empty cell); a page number at a page's foot glued onto the figure of the sentence it interrupts (C02
317.31% for 17.31%); 增加 + a list ending 等 + figure read as an amount (C05); a table's title in 《》 read as the
subject (N01/C05 财政拨款支出); 持平 said of a sentence's own amount whose noun is unknown (培训费) bound to the 三公
item of the sentence before (W04)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from auditor.checks import run_checks
from auditor.claims import extract_claims
from auditor.model import Block, GridCell, Provenance, SourceInfo
from auditor.structure import build_document

ROOT = Path(__file__).resolve().parent
PAGES = json.loads((ROOT / "fixtures" / "dev_pages" / "jiangsu.json").read_text(encoding="utf-8"))


def _prov(name: str, p) -> Provenance:
    page, line, bbox = p
    return Provenance(name, line, page, tuple(bbox) if bbox else None)


@lru_cache(maxsize=None)
def audited(stem: str):
    d = PAGES[stem]
    name = stem + ".pdf"
    blocks = []
    for b in d["blocks"]:
        grid = [[GridCell(t, _prov(name, p)) for t, p in row] for row in b["grid"]] if "grid" in b else None
        blocks.append(Block(b["kind"], b["text"], _prov(name, b["prov"]), b.get("level", 0), b.get("cells"), grid))
    doc = build_document(SourceInfo(name, d["format"]), blocks)
    extract_claims(doc)
    return doc, run_checks(doc)


def _key(rule, page, stated, expected):
    r = lambda v: None if v is None else round(float(v), 4)  # noqa: E731
    return rule, page, r(stated), r(expected)


@pytest.mark.parametrize("stem", sorted(PAGES))
def test_reviewed_false_findings_stay_away(stem):
    reviews = json.loads((ROOT / "reviews" / "jiangsu" / (stem + ".json")).read_text(encoding="utf-8"))
    pages = set(PAGES[stem]["pages"])
    false = {_key(v["rule"], v["page"], v["stated"], v["expected"]) for v in reviews
             if v["verdict"] == "false" and v["page"] in pages}
    assert false, stem
    _, findings = audited(stem)
    back = [f.message for f in findings if f.severity in ("error", "warning")
            and _key(f.rule, f.prov.page if f.prov else None, f.stated, f.expected) in false]
    assert not back


FAYUAN = "yusuan_2019_jiangsu_sheng-gaoji-renmin-fayuan"
JCY18 = "yusuan_2018_jiangsu_sheng-renmin-jianchayuan"
JCY19 = "yusuan_2019_jiangsu_sheng-renmin-jianchayuan"


@pytest.mark.parametrize("stem, table, row, value", [
    (FAYUAN, "Y06", "301", 16324.07),       # 公开06表: one 金额 column, spacer cells before some rows' figures
    (FAYUAN, "Y06", "303", 2063.88),
    (FAYUAN, "Y05", "2040501", 17279.29),   # 公开05表: spacer cells between the code and the name
    (FAYUAN, "Y05", "合计", 37188.34),       # the 合计 figure ruled on its own line above its label
    (FAYUAN, "Y13", "302", 3580.05),        # 公开11表: 302's figure ruled on its own line under its name
    (JCY18, "Y06", "303", 1052.83),         # 公开06表 continued on p17 without its header
    (JCY19, "Y06", "303", 1491.5),
])
def test_one_value_column_tables_hold_row_totals(stem, table, row, value):
    doc, _ = audited(stem)
    t = doc.table(table)
    assert t is not None and t.columns == ["合计"], (t and t.columns)
    assert t.value(row, "合计") == value


@pytest.mark.parametrize("stem, page, kind, value, subject", [
    ("yusuan_2018_jiangsu_shengwei-bangongting_wenben", 6, "change_pct", 17.31, "收支总计"),  # "增长" [3] "17.31%"
    ("yusuan_2019_jiangsu_shengwei-bangongting_wenben", 7, "change_pct", 13.11, "收支总计"),
    (JCY18, 24, "change_amount", 40.0, "项目支出"),               # "增加 40" [24] "万元，增长 0.72 %"
    (FAYUAN, 19, "change_amount", 3397.18, "基本支出"),           # 基本支出增加人员工资、…等 3397.18 万元
    (JCY19, 31, "comparison", None, None),     # 培训费预算支出700万元，与上年持平: not the 公务接待费 before
])
def test_claims_read_as_printed(stem, page, kind, value, subject):
    doc, _ = audited(stem)
    got = [(c.kind, c.value, c.subject) for c in doc.claims if c.prov.page == page]
    assert (kind, value, subject) in got, got


def test_a_table_title_in_book_marks_is_no_subject():
    doc, _ = audited(JCY19)
    c = [c for c in doc.claims if c.kind == "amount" and c.value in (315.0, 469.5) and "分流" in c.sentence]
    assert c and all(x.subject != "一般公共预算财政拨款支出" for x in c)
