"""The unit of work the workbench hands to the batch runner's pool (auditor.batch.engines): audit one uploaded
document and return a DocOutcome with the store rows and, as its ``web`` report, the view data (auditor.web.view).
Runs in a worker process; never raises (a failure is a status and a reason, as in auditor.batch.worker)."""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone

from ..batch.model import CRASHED, INPUT_ERROR, OK, DocOutcome, DocTask
from ..batch.worker import crash_reason, doc_facts, peak_rss_mb, size_limit


def web_task(task: DocTask) -> DocOutcome:
    t0 = time.perf_counter()
    out = DocOutcome(task, OK)
    try:
        limit = size_limit(task)
        if task.size > limit:
            out.status = INPUT_ERROR
            out.error = (f"文件过大（{task.size / 2**20:.1f} MB，上限 {limit / 2**20:.1f} MB） / "
                         f"file too large ({task.size / 2**20:.1f} MB > {limit / 2**20:.1f} MB)")
        else:
            _audit(out)
    except Exception as e:  # a bug in a stage: recorded, the server goes on
        out.status, out.error = CRASHED, crash_reason(e)
        out.cells, out.claims, out.findings, out.evidence, out.reports = [], [], [], [], {}
    out.seconds = time.perf_counter() - t0
    out.rss_mb = peak_rss_mb()
    out.audited_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    return out


def _audit(out: DocOutcome) -> None:
    from ..errors import InputError
    from ..pipeline import audit
    from ..store.rows import cell_rows, claim_rows, finding_rows
    from ..structure.meta import normalise_department
    from .view import view_data

    task = out.task
    try:
        result = audit(task.path)
    except InputError as e:
        out.status, out.error = INPUT_ERROR, f"{e.zh} / {e.en}"
        return
    d, s = result.doc, result.doc.source
    out.format, out.encoding, out.pages = s.format, s.encoding, s.pages
    out.department, out.year, out.kind, out.unit = d.department, d.year, d.kind, d.unit
    out.dept_key = normalise_department(d.department) if d.department else None
    out.cells, out.claims = cell_rows(task.path, result), claim_rows(task.path, result)
    out.findings, out.evidence = finding_rows(task.path, result.findings, "document")
    out.counts = {"tables": len(d.tables), "cells": len(out.cells), "claims": len(d.claims),
                  "claims_checked": result.claims_checked, "errors": result.count("error"),
                  "warnings": result.count("warning"), "infos": result.count("info")}
    try:
        out.facts = doc_facts(result)
    except Exception as e:  # only the cross-document rules lose this document
        out.error = f"跨文件事实提取出错 / facts failed: {type(e).__name__}: {e}"
    out.reports = {"web": json.dumps(view_data(result), ensure_ascii=False)}
