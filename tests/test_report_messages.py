"""Finding messages read as sentences for people: no internal placeholders, no doubled quotes, no stray space
before 为, N03 placed in the narrative section it comes from with its whole sentence quoted."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from auditor.pipeline import audit

ROOT = Path(__file__).resolve().parents[1]
DOCS = ["corpus/seeds/000_e75c8bca0de43ef5.txt", "corpus/seeds/001_6d6ee4970fc0bf0d.txt",
        "corpus/shanghai/shanghai_putuo_caizhengju_2024.pdf"]


@pytest.fixture(scope="module")
def results():
    return [audit(ROOT / p) for p in DOCS]


def test_messages_have_no_placeholders_doubled_quotes_or_stray_spaces(results):
    msgs = [f.message for r in results for f in r.findings]
    assert len(msgs) > 50
    bad = [m for m in msgs if re.search(r"<(item|topic|section)[^>]*>", m) or "““" in m or "””" in m
           or re.search(r"[^\s\d.,]\s+为 ", m)]
    assert not bad, bad[:5]
    n02 = [m for r in results for f in r.findings if f.rule == "N02" for m in [f.message]]
    assert any("「" in m and re.search(r"\d{5,7} ", m) for m in n02)  # an item named by its code and row name


def test_n03_sits_in_its_narrative_section_with_its_sentence(results):
    from auditor.claims.text import paragraphs

    n03 = [(r, f) for r in results for f in r.findings if f.rule == "N03"]
    assert n03
    for r, f in n03:
        assert f.section, f.message
        quote = f.evidence[0].text
        para = next(p.text for p in paragraphs(r.doc) if quote in p.text)
        i = para.index(quote)
        assert i == 0 or para[i - 1] in "。；;\n", (para[max(0, i - 10):i], quote[:20])  # from its sentence's start


def test_w03_in_the_narrative_sits_in_its_section():
    r = audit(ROOT / "corpus/shanghai/shanghai_template_2024.pdf")
    narrative = {id(r.doc.blocks[i]) for i in r.doc.narrative}
    inside = [f for f in r.findings if f.rule == "W03"
              and any(b.prov == f.prov and id(b) in narrative for b in r.doc.blocks)]
    assert len(inside) > 5 and all(f.section for f in inside)


def test_no_finding_cites_the_same_evidence_twice(results):
    """A sentence stating both compared figures (S02 "预算为 0.00 万元，支出决算为 0.00 万元，完成…") was cited twice."""
    for r in results:
        for f in r.findings:
            keys = [(e.prov, e.table, e.row, e.column, e.value, e.text) for e in f.evidence]
            assert len(keys) == len(set(keys)), (f.rule, f.message)
