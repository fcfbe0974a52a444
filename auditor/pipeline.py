"""The pipeline, stage by stage: read -> structure (-> claims -> align -> checks -> report), each document within
its time and size budget (auditor.budget: over it, an OverBudget error naming the limit and what was done)."""
from __future__ import annotations

from pathlib import Path

from .budget import Budget, note, within
from .model import Document
from .names import text_name
from .read import read_blocks


def load_document(path: str | Path, budget: Budget | None = None) -> Document:
    from .structure import build_document

    with within(budget, text_name(str(path))):
        info, blocks = read_blocks(path)
        note("表格识别")
        return build_document(info, blocks)


def load_disclosure(path: str | Path, budget: Budget | None = None) -> Document:
    """load_document, and a clear error when no standard table is recognised (not a disclosure)."""
    from .errors import InputError

    doc = load_document(path, budget)
    if not doc.tables:
        raise InputError(str(path), "未识别到任何标准表格（不是预决算公开文件？）",
                         "no standard table recognised (not a budget/final-accounts disclosure?)")
    return doc


def audit(path: str | Path, select=None, ignore=None, budget: Budget | None = None):
    """The whole pipeline for one document: read, structure, claims, checks -> AuditResult."""
    from .checks import run_checks
    from .claims import extract_claims
    from .model import AuditResult

    with within(budget, text_name(str(path))):
        doc = load_disclosure(path)
        note("说明表述提取")
        extract_claims(doc)
        note("规则核对")
        findings = run_checks(doc, select, ignore)
    checked = sum(1 for c in doc.claims if c.kind in ("amount", "share", "change_pct", "completion"))
    return AuditResult(doc, findings, checked)
