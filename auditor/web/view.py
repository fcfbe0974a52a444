"""What the workbench shows of one audited document, built from the AuditResult in the worker: the JSON report
(``AuditResult.to_dict()``, schema auditor.report/1) plus what a page needs and the report does not carry — the
boxes of each finding's sentence and cells on the PDF pages (their provenance bboxes), every table as a grid, and
the lines of a text source."""
from __future__ import annotations

from typing import Optional

from ..model import AuditResult, Provenance

VIEW_SCHEMA = "auditor.web.view/1"


def _box(p: Optional[Provenance], kind: str, seq: int, files: list[str]) -> Optional[dict]:
    if p is None or p.page is None or p.bbox is None:
        return None
    return {"page": p.page, "bbox": [round(float(v), 2) for v in p.bbox], "kind": kind, "seq": seq,
            "file": files.index(p.path) if p.path in files else 0}


def finding_boxes(f, files: Optional[list[str]] = None) -> list[dict]:
    """The finding's own place (seq 0) and each evidence's (seq 1, 2, …; kind ``cell`` for a table cell); ``file``
    is the index in ``files`` of the file whose page it is on (a document joined from several files)."""
    files = files or []
    out = [_box(f.prov, "text", 0, files)]
    out += [_box(e.prov, "cell" if e.table else "text", j, files) for j, e in enumerate(f.evidence, 1)]
    seen, boxes = set(), []
    for b in out:
        if b is not None and (b["file"], b["page"], tuple(b["bbox"])) not in seen:
            seen.add((b["file"], b["page"], tuple(b["bbox"])))
            boxes.append(b)
    return boxes


def source_files(result: AuditResult) -> list[dict]:
    """The files the document is made of, its own source first, then the others of its disclosure in order."""
    from ..batch.discover import sha256_file

    s = result.doc.source
    paths = [s.path] + list(dict.fromkeys(b.prov.path for b in result.doc.blocks if b.prov.path != s.path))
    return [{"path": p, "sha256": s.sha256 if p == s.path else sha256_file(p)} for p in paths]


def name_files(report: dict, findings) -> None:
    """A document of several files: each finding and evidence of the report names the file it is in (``path``)."""
    for rf, f in zip(report["findings"], findings):
        if f.prov is not None:
            rf["path"] = f.prov.path
        for re_, e in zip(rf["evidence"], f.evidence):
            re_["path"] = e.prov.path


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
    files = source_files(result)
    paths = [f["path"] for f in files]
    findings = sorted_findings(result.findings)  # same order as the report's findings
    if len(files) > 1:
        name_files(report, findings)
    return {"schema": VIEW_SCHEMA, "report": report, "files": files,
            "boxes": [finding_boxes(f, paths) for f in findings],
            "tables": table_grids(result), "lines": source_lines(result)}
