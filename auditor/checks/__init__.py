"""Stage 5, checks: linter-style rules over the document model (see registry.py; `auditor rules` lists them).

Families: T table-internal, X cross-table, N narrative vs table, C narrative computations, W words vs numbers,
S 三公, R 规范性 (the reviewer's checklist: year, name, order, template text, punctuation, classification
names), D reading notes. Every finding states the tolerance it applied; nothing inside the rounding tolerance is an error or warning.
"""
from __future__ import annotations

from ..model import Document, Finding
from . import budget, changes, cross, items, lists, narrative, performance, procurement, reading, sangong, stated_twice, tables, wording  # noqa: F401  (registration)
from . import checklist_identity, checklist_names, checklist_order, checklist_tables, checklist_text  # noqa: F401  (R rules)
from .registry import RULES, Rule, selected

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def run_checks(doc: Document, select=None, ignore=None) -> list[Finding]:
    out: list[Finding] = []
    for r in selected(select, ignore):
        try:
            out.extend(r.fn(doc))
        except Exception as e:  # one broken rule never loses the other rules' findings
            out.append(Finding(rule=r.code, title=r.title, severity="info",
                               message=f"规则执行出错，已跳过 / rule crashed: {type(e).__name__}: {e}"))
    return out


__all__ = ["RULES", "Rule", "run_checks", "selected", "SEVERITY_ORDER"]
from ..archive import rules as _archive_rules  # noqa: E402,F401  (registers the Y rules; after run_checks: no cycle)
