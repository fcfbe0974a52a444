"""The pipeline, stage by stage: read -> structure (-> claims -> align -> checks -> report)."""
from __future__ import annotations

from pathlib import Path

from .model import Document
from .read import read_blocks


def load_document(path: str | Path) -> Document:
    from .structure import build_document

    info, blocks = read_blocks(path)
    return build_document(info, blocks)


def load_disclosure(path: str | Path) -> Document:
    """load_document, and a clear error when no standard table is recognised (not a disclosure)."""
    from .errors import InputError

    doc = load_document(path)
    if not doc.tables:
        raise InputError(str(path), "未识别到任何标准表格（不是预决算公开文件？）",
                         "no standard table recognised (not a budget/final-accounts disclosure?)")
    return doc


def audit(path: str | Path, select=None, ignore=None):
    """The whole pipeline for one document: read, structure, claims, checks -> AuditResult."""
    from .checks import run_checks
    from .claims import extract_claims
    from .model import AuditResult

    doc = load_disclosure(path)
    extract_claims(doc)
    findings = run_checks(doc, select, ignore)
    checked = sum(1 for c in doc.claims if c.kind in ("amount", "share", "change_pct", "completion"))
    return AuditResult(doc, findings, checked)
