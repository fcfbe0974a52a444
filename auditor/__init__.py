"""auditor: audits Chinese department budget / final-accounts disclosures (部门预算/决算公开)."""
from __future__ import annotations

__version__ = "0.1.0"


def load(path):
    """Read and structure one document: the Document model (blocks, sections, tables)."""
    from .pipeline import load_document

    return load_document(path)


def audit(path, select=None, ignore=None):
    """Audit one document (text/markdown, PDF, DOCX or XLSX): read, structure, claims, checks.

    Returns an AuditResult: ``.findings`` (Finding objects), ``.doc`` (the Document model with ``.tables`` and
    ``.claims``), and for notebooks ``.findings_frame``, ``.claims_frame``, ``.tables_frame`` (long format),
    ``.tables`` (id -> wide DataFrame), ``.to_dict()`` (the JSON contract) and ``.render(fmt)``.
    ``select``/``ignore``: rule codes or prefixes (e.g. ["T", "N01"]). Raises auditor.errors.InputError on bad input.
    """
    from .pipeline import audit as _audit

    return _audit(path, select, ignore)
