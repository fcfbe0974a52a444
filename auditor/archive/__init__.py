"""Archives: the cross-document (Y) rules over the facts of many audited documents.

    facts = [facts_of(audit(path)) for path in paths]     # per document, in any process (DocFacts pickle / JSON)
    findings = check_archive(facts)                        # {document path: [Finding, ...]}

Documents are linked by department key (`auditor.structure.meta.normalise_department`), kind and year; see
rules.py for the rules and `auditor rules` / `auditor rule Y01` for their documentation.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Optional

from ..checks import SEVERITY_ORDER
from ..checks.registry import selected
from ..model import Finding
from . import rules  # noqa: F401  (registration of the Y rules)
from .facts import Change, DocFacts, Figure, facts_of

ARCHIVE_KEY = ""  # findings not tied to one document (a rule that crashed) are grouped under this key


def _order(f: Finding) -> tuple:
    p = f.prov
    return (p.line if p and p.line is not None else -1, p.page if p and p.page is not None else -1, f.rule,
            SEVERITY_ORDER.get(f.severity, 3), f.message)


def check_archive(facts: list[DocFacts], select: Optional[Iterable[str]] = None,
                  ignore: Optional[Iterable[str]] = None) -> dict[str, list[Finding]]:
    """Run the archive-scope rules over the facts of an archive. -> {document path: findings}, every document of
    ``facts`` present (possibly with no findings), paths sorted, findings ordered by line, rule and message; a rule
    that crashes gives one info finding under ``ARCHIVE_KEY`` and never stops the others."""
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in facts:
        out[f.path]
    for r in selected(select, ignore, scope="archive"):
        try:
            found = list(r.fn(list(facts)))
        except Exception as e:  # one broken rule never loses the other rules' findings
            out[ARCHIVE_KEY].append(Finding(rule=r.code, title=r.title, severity="info",
                                            message=f"规则执行出错，已跳过 / rule crashed: {type(e).__name__}: {e}"))
            continue
        for f in found:
            out[f.prov.path if f.prov else ARCHIVE_KEY].append(f)
    return {path: sorted(out[path], key=_order) for path in sorted(out)}


__all__ = ["ARCHIVE_KEY", "Change", "DocFacts", "Figure", "check_archive", "facts_of"]
