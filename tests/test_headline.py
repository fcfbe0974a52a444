"""A section's headline total bound to the total of the table its heading names (auditor.align.headline)."""
from pathlib import Path

import pytest

from auditor.align.headline import heading_reference, headline_bindings, subject_fund
from auditor.claims import extract_claims
from auditor.pipeline import load_document

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "rules" / "budget_headline.txt"


@pytest.mark.parametrize("title,expect", [
    ("（五）一般公共预算当年拨款情况说明（详见表5）", ("一般公共预算当年拨款", "5")),
    ("三、2026年一般公共预算支出情况说明（详见公开05表）", ("一般公共预算支出", "5")),
    ("（二）政府性基金预算支出情况（详见附表8）", ("政府性基金预算支出", "8")),
    ("四、一般公共预算支出情况说明（表5）", ("一般公共预算支出", "5")),
    ("（五）一般公共预算当年拨款情况说明", None),
    ("上年《财政拨款支出预算表》（表5）无此项级", None),   # a citation inside a sentence, not the heading's
])
def test_heading_reference(title, expect):
    assert heading_reference(title) == expect


@pytest.mark.parametrize("words,fund", [
    ("一般公共预算当年拨款", "一般公共预算"),
    ("政府性基金预算支出", "政府性基金"),
    ("一般公共预算基本支出", None),          # a part of the total: its own table (表6), not 表5's 合计
    ("财政拨款收支预算情况的总体", None),     # not an expenditure total
    ("一般公共预算“三公”经费支出", None),
    ("部门支出", None),                       # names no fund
    ("一般公共预算拨款收入", None),
])
def test_subject_fund(words, fund):
    assert subject_fund(words) == fund


def _bindings(text: str, tmp_path):
    p = tmp_path / "doc.txt"
    p.write_text(text, encoding="utf-8")
    doc = load_document(p)
    extract_claims(doc)
    return headline_bindings(doc)


def test_binds_the_headline_total(tmp_path):
    b = _bindings(FIXTURE.read_text(encoding="utf-8"), tmp_path)
    assert [(x.claim.raw, x.ref.table.id, x.ref.row.key, x.ref.column, x.ref.value, x.number) for x in b] == \
        [("432,564.30", "Y05", "合计", "合计", 432513.70, "5")]


def test_another_funds_table_binds_nothing(tmp_path):
    # the heading names 表5, but the table printed as 表5 is the 政府性基金 one: the words of the heading and the
    # table disagree, so the figure is not that table's
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "表5：2026年市级部门一般公共预算支出预算表", "表5：2026年市级部门政府性基金预算支出预算表")
    assert _bindings(text, tmp_path) == []


def test_a_sentence_of_another_subject_binds_nothing(tmp_path):
    # the section's first figure is not stated of the heading's subject
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "2026年一般公共预算当年拨款432,564.30万元", "2026年部门预算支出432,564.30万元")
    assert _bindings(text, tmp_path) == []


def test_a_heading_naming_no_table_binds_nothing(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("（详见表5）", "")
    assert _bindings(text, tmp_path) == []
