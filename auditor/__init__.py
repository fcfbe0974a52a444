"""auditor: audits Chinese department budget / final-accounts disclosures (部门预算/决算公开)."""
from __future__ import annotations

__version__ = "0.1.0"


def load(path):
    """Read and structure one document: the Document model (blocks, sections, tables)."""
    from .pipeline import load_document

    return load_document(path)
