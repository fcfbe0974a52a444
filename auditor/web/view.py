"""What the workbench shows of one audited document, built from the AuditResult in the worker: the JSON report
(``AuditResult.to_dict()``, schema auditor.report/1) plus what a page needs and the report does not carry — the
boxes of each finding's sentence and cells on the PDF pages (their provenance bboxes), every table as a grid, and
the lines of a text source."""
from __future__ import annotations

from typing import Optional

from ..model import AuditResult, Provenance

VIEW_SCHEMA = "auditor.web.view/1"


def _box(p: Optional[Provenance], kind: str, seq: int) -> Optional[dict]:
    if p is None or p.page is None or p.bbox is None:
        return None
    return {"page": p.page, "bbox": [round(float(v), 2) for v in p.bbox], "kind": kind, "seq": seq}


def finding_boxes(f) -> list[dict]:
    """The finding's own place (seq 0) and each evidence's (seq 1, 2, …; kind ``cell`` for a table cell)."""
    out = [_box(f.prov, "text", 0)]
    out += [_box(e.prov, "cell" if e.table else "text", j) for j, e in enumerate(f.evidence, 1)]
    seen, boxes = set(), []
    for b in out:
        if b is not None and (b["page"], tuple(b["bbox"])) not in seen:
            seen.add((b["page"], tuple(b["bbox"])))
            boxes.append(b)
    return boxes


def table_grids(result: AuditResult) -> dict[str, dict]:
    grids = {}
    for t in result.doc.tables:
        grids[t.id] = {"title": t.title, "unit": t.unit, "page": t.prov.page, "line": t.prov.line,
                       "columns": list(t.columns),
                       "rows": [{"key": r.key, "code": r.code, "name": r.name,
                                 "cells": {c: cell.raw for c, cell in r.cells.items()}} for r in t.rows]}
    return grids


def source_lines(result: AuditResult) -> dict[str, str]:
    """line number -> text, for sources that have lines (text, Markdown); empty for paginated ones."""
    return {str(b.prov.line): b.text for b in result.doc.blocks if b.prov.line is not None}


def view_data(result: AuditResult) -> dict:
    from ..report.findings import sorted_findings

    report = result.to_dict()
    return {"schema": VIEW_SCHEMA, "report": report,
            "boxes": [finding_boxes(f) for f in sorted_findings(result.findings)],  # same order as report findings
            "tables": table_grids(result), "lines": source_lines(result)}
