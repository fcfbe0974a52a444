"""Model objects -> store rows (tuples in the column order of auditor.store.schema). No DuckDB import here:
workers build rows, the parent writes them."""
from __future__ import annotations

from ..model import AuditResult, Finding


def cell_rows(doc_key: str, result: AuditResult) -> list[tuple]:
    return [(doc_key, t.id, t.title, c.unit or t.unit, r.key, r.code, r.name, col, c.value, c.raw, c.exact,
             c.prov.line, c.prov.page)
            for t in result.doc.tables for r, col, c in t.cells()]


def claim_rows(doc_key: str, result: AuditResult) -> list[tuple]:
    return [(doc_key, c.id, c.kind, c.value, c.unit, c.raw, c.subject, c.subject_text, c.period, c.polarity, c.base,
             c.word, c.section, c.sentence, c.prov.line, c.prov.page)
            for c in result.doc.claims]


def finding_rows(doc_key: str, findings: list[Finding], scope: str) -> tuple[list[tuple], list[tuple]]:
    """(findings rows, findings_evidence rows); ids are ``D1, D2…`` for document rules, ``Y1, Y2…`` for the
    cross-document rules, unique within a document."""
    from ..report.findings import sorted_findings

    prefix = "D" if scope == "document" else "Y"
    fs, ev = [], []
    for i, f in enumerate(sorted_findings(findings), 1):
        fid, p = f"{prefix}{i}", f.prov
        fs.append((doc_key, fid, scope, f.rule, f.title, f.severity, f.message, p and p.line, p and p.page,
                   f.section, f.stated, f.expected, f.tolerance))
        ev += [(doc_key, fid, j, e.prov.path, e.prov.line, e.prov.page, e.table, e.row, e.column, e.value, e.text)
               for j, e in enumerate(f.evidence, 1)]
    return fs, ev
