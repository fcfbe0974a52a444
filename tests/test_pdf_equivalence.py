"""Text and PDF paths give the same audit: each seed (corpus/seeds/NNN_*.txt) and its rendering with ruled tables
(tests/fixtures/pdf/NNN_*.pdf, made by tests/fixtures/make_seed_pdfs.py) yield the same findings -- rule, severity,
stated and expected values, as a multiset -- the PDF's located by page, the text's by line."""
from pathlib import Path

import pytest

from auditor.pipeline import audit

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
PDFS = ROOT / "tests" / "fixtures" / "pdf"


def _num(v):
    """A sortable, None-safe form of a stated/expected value."""
    return (1, 0.0) if v is None else (0, round(float(v), 6))


def _key(f):
    return (f.rule, f.severity, _num(f.stated), _num(f.expected))


def _provs(f):
    return ([f.prov] if f.prov is not None else []) + [e.prov for e in f.evidence if e.prov is not None]


def test_every_seed_has_its_pdf():
    assert SEEDS
    assert [p.stem for p in SEEDS] == [p.stem for p in sorted(PDFS.glob("*.pdf"))]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_pdf_findings_equal_text_findings(seed):
    text = audit(seed)
    pdf = audit(PDFS / (seed.stem + ".pdf"))
    assert text.findings, "a seed without findings would prove nothing"
    assert sorted(map(_key, pdf.findings)) == sorted(map(_key, text.findings))
    # each finding points at its source: pages in the PDF, lines in the text
    for f in pdf.findings:
        assert any(p.page for p in _provs(f)), f"PDF finding without a page: {f.rule} {f.message}"
    for f in text.findings:
        assert any(p.line for p in _provs(f)), f"text finding without a line: {f.rule} {f.message}"
