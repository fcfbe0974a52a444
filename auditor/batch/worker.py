"""What runs in a worker process: audit one document and return plain data (DocOutcome); never raises.

``init_worker`` pays the NLP start-up (spaCy + jieba) once per process; ``audit_task`` is the unit of work for
both engines (a process pool here, Dask workers on a cluster).
"""
from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from dataclasses import replace
from datetime import datetime, timezone

from .model import CRASHED, INPUT_ERROR, OK, OVER_BUDGET, PART, SKIPPED, DocOutcome, DocTask

_START_ERROR: list[str] = []  # why this worker's start-up failed (then every task reports it instead of running)


def init_worker(ignore_sigint: bool = True) -> None:
    """Process-pool initializer: Ctrl-C is the parent's business; load the pipeline and the NLP once. Never raises
    (a pool whose initializer raises breaks on every task): a failure is reported by each task instead."""
    if ignore_sigint:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        warm()
    except Exception as e:
        _START_ERROR.append(crash_reason(e))


def warm() -> None:
    """Import every stage and build the NLP pipeline (spaCy blank zh + jieba with the domain dictionary)."""
    import importlib

    from ..claims.nlp import get_nlp

    for stage in ("pipeline", "checks", "archive", "report.findings"):
        importlib.import_module(f"auditor.{stage}")
    get_nlp()


def task_budget(task: DocTask):
    """The document's budget (auditor.budget): the task's seconds and size limit; text files get a tenth of it."""
    from ..budget import MB, Budget

    return Budget(seconds=task.seconds, max_mb=task.max_bytes / MB, text_mb=task.max_bytes / MB / 10)


def peak_rss_mb() -> float:
    try:
        import resource
    except ImportError:  # pragma: no cover (Windows)
        return 0.0
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / (1024 * 1024) if sys.platform == "darwin" else kb / 1024


def audit_task(task: DocTask) -> DocOutcome:
    t0 = time.perf_counter()
    out = DocOutcome(task, OK)
    try:
        if _START_ERROR:
            out.status, out.error = CRASHED, _START_ERROR[0]
        else:
            _audit_into(out)
    except Exception as e:  # InputError is handled inside; this is a bug in a stage: record it and go on
        out.status, out.error = CRASHED, crash_reason(e)
        out.cells, out.claims, out.findings, out.evidence, out.reports = [], [], [], [], {}
    out.seconds = time.perf_counter() - t0
    out.rss_mb = peak_rss_mb()
    out.audited_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    return out


def crash_reason(e: BaseException) -> str:
    """One line: what was raised and where (the innermost frame), never a traceback."""
    tb = traceback.extract_tb(e.__traceback__)
    at = ""
    if tb:
        fr = tb[-1]
        at = f" ({os.path.basename(fr.filename)}:{fr.lineno})"
    return f"程序内部错误，已跳过此文件 / internal error: {type(e).__name__}: {e}{at}"


def _audit_into(out: DocOutcome) -> None:
    from ..budget import OverBudget, within
    from ..errors import InputError
    from ..pipeline import NotDisclosure, audit
    from ..store.rows import cell_rows, claim_rows, finding_rows
    from ..structure.meta import normalise_department

    task = out.task
    try:
        with within(task_budget(task), task.key):  # one deadline for reading and auditing
            doc = load(out)
            if doc is None:
                return
            result = audit(doc, budget=task_budget(task))
    except NotDisclosure as e:
        out.status, out.error = SKIPPED, skip_reason(e)
        return
    except InputError as e:
        out.status = OVER_BUDGET if isinstance(e, OverBudget) else INPUT_ERROR
        out.error = f"{e.zh} / {e.en}"
        return
    d, s = result.doc, result.doc.source
    out.format, out.encoding, out.pages = s.format, s.encoding, s.pages
    out.department, out.year, out.kind, out.unit = d.department, d.year, d.kind, d.unit
    out.dept_key = normalise_department(d.department) if d.department else None
    out.cells = cell_rows(task.key, result)
    out.claims = claim_rows(task.key, result)
    out.findings, out.evidence = finding_rows(task.key, result.findings, "document")
    out.counts = {"tables": len(d.tables), "cells": len(out.cells), "claims": len(d.claims),
                  "claims_checked": result.claims_checked, "errors": result.count("error"),
                  "warnings": result.count("warning"), "infos": result.count("info")}
    notes = []
    try:
        out.facts = doc_facts(result)
    except Exception as e:  # the document's own audit stands; only the cross-document rules lose this document
        notes.append(f"跨文件事实提取出错 / facts failed: {type(e).__name__}: {e}")
    out.reports = {}
    for fmt in task.formats:
        try:
            out.reports[fmt] = render(result, fmt)
        except Exception as e:
            notes.append(f"{fmt} 报告生成出错 / {fmt} report failed: {type(e).__name__}: {e}")
    out.error = "；".join(notes) or None


def load(out: DocOutcome):
    """The task's Document: its files joined (a group) or the one file; None when the file came back as a PART."""
    from ..pipeline import Part, join_read, load_disclosure, load_disclosures

    task = out.task
    if task.read:  # a group paired after the first pass: its files as that pass read them, joined
        out.task = replace(task, read=())  # the outcome goes back to the parent without them
        return join_read(task.read)
    if task.parts:
        docs, errors = load_disclosures([task.path, *(m.path for m in task.parts)], group=True)
        if errors:
            raise errors[0]
        return docs[0]
    doc = load_disclosure(task.path)
    part = Part(task.path, doc.blocks, doc)
    if task.pairable and part.role != "full":
        out.status, out.part = PART, part
        return None
    return doc


def skip_reason(e) -> str:
    return f"跳过：不是预决算公开文件（{getattr(e, 'reason', e.zh)}）/ skipped: {e.en}"


def doc_facts(result) -> dict:
    """The document's facts for the cross-document (Y) rules, as a plain dict (stored; DocFacts.from_dict reads it)."""
    from ..archive.facts import facts_of

    return facts_of(result).to_dict()


# outputs other than the report formats, format -> fn(AuditResult) -> str, registered by the module that needs them
# (auditor.web.worker: "web", the workbench's view data)
EXTRA_RENDERERS: dict = {}


def render(result, fmt: str) -> str | bytes:
    from ..report.findings import render_findings

    if fmt in EXTRA_RENDERERS:
        return EXTRA_RENDERERS[fmt](result)
    return render_findings([result], fmt)
