"""The pipeline, stage by stage: read -> structure (-> claims -> align -> checks -> report)."""
from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .model import Document
from .read import read_blocks


class NotDisclosure(InputError):
    """The file was read but is not a 预算/决算 disclosure (a 通知, an index page, a policy file)."""


def load_document(path: str | Path) -> Document:
    from .structure import build_document

    info, blocks = read_blocks(path)
    return build_document(info, blocks)


def load_disclosure(path: str | Path) -> Document:
    """load_document, and a clear error (NotDisclosure) when the file is not a disclosure or a part of one."""

    from .structure.disclosure import not_disclosure_reason

    doc = load_document(path)
    reason = not_disclosure_reason(doc)
    if reason is not None:
        raise NotDisclosure(str(path), f"不是预决算公开文件：{reason}",
                            "not a budget/final-accounts disclosure" + ("" if doc.tables else " (no standard table)"))
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
