"""`auditor batch`: plan (discover, hash, skip what the store already holds), run the engine, commit the results
to the store in groups as they arrive (at least every half second, and on Ctrl-C), then the cross-document rules
and the overview (index.html, summary.*)."""
from __future__ import annotations

import json
import os
import signal
import threading
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Optional

from .. import __version__
from ..errors import InputError
from ..names import text_name
from ..store import Known, Store, interrupts_deferred
from .discover import Found, discover, report_name, sha256_file
from .groups import group_note, group_paths, member_rows, regroup
from .model import FAILED, OK, PART, REPORT_SUFFIX, RETRIED, SKIPPED, DocOutcome, DocTask
from .progress import BatchProgress


@dataclass
class BatchOptions:
    roots: list[str]
    outdir: str
    jobs: Optional[int] = None            # default: all cores
    db: Optional[str] = None              # default: OUTDIR/auditor.duckdb
    formats: tuple[str, ...] = ("json", "html")
    force: bool = False
    engine: str = "local"                 # "local" | "dask"
    scheduler: Optional[str] = None       # Dask scheduler address (dask engine)
    timeout: Optional[float] = 60.0       # time budget per document (auditor.budget); None: no limit
    max_mb: float = 100.0                 # PDF/DOCX/XLSX size limit; text files get a tenth
    progress: Optional[bool] = None       # None: only on a terminal

    @property
    def db_path(self) -> str:
        return self.db or os.path.join(self.outdir, "auditor.duckdb")

    @property
    def workers(self) -> int:
        return self.jobs or os.cpu_count() or 1


@dataclass
class BatchSummary:
    outdir: str
    db: str
    documents: int = 0
    audited: int = 0
    skipped: int = 0
    failed: int = 0                        # documents that could not be audited (this run or an unchanged one)
    errors: int = 0                        # error findings of the document rules
    cross_errors: int = 0                  # error findings of the cross-document (Y) rules
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (rel, status, reason)
    not_disclosures: list[tuple[str, str]] = field(default_factory=list)  # (rel, reason): status skipped
    seconds: float = 0.0
    max_rss_mb: float = 0.0                # peak resident memory of a worker process
    interrupted: bool = False
    cross_note: Optional[str] = None       # why the cross-document rules did not run, if they did not

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if (self.failed or self.errors or self.cross_errors) else 0


def make_engine(opts: BatchOptions):
    from .engines import DaskEngine, LocalEngine

    if opts.engine == "dask":
        return DaskEngine(opts.scheduler, opts.workers)
    return LocalEngine(opts.workers, hard_limit(opts.timeout))


def hard_limit(seconds: Optional[float]) -> Optional[float]:
    """The worker stops a document at its time budget; the engine kills a worker still busy a grace period later
    (a C routine that never returns to the interpreter)."""
    return None if not seconds else seconds + max(5.0, seconds / 4)


def run_batch(opts: BatchOptions, engine=None) -> BatchSummary:
    with terminate_as_interrupt():
        return _run_batch(opts, engine)


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a service manager, ``kill``) ends the batch as Ctrl-C does: what is done is committed (a signal that
    arrives during a transaction waits for its end), the workers are stopped, exit status 130."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGTERM, lambda signum, frame: signal.raise_signal(signal.SIGINT))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


def _run_batch(opts: BatchOptions, engine=None) -> BatchSummary:
    t0 = time.perf_counter()
    outdir = Path(opts.outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(str(outdir), f"无法创建输出文件夹（{e.strerror}）", f"cannot create the output folder ({e.strerror})")
    found = discover(opts.roots, exclude=[str(outdir)])
    if not found:
        raise InputError(" ".join(opts.roots), "没有找到可审核的文件（.txt .md .pdf .docx .xlsx）",
                         "no supported files found (.txt .md .pdf .docx .xlsx)")
    summary = BatchSummary(str(outdir), opts.db_path, documents=len(found))
    with Store(opts.db_path) as store:
        known = store.known()
        tasks, skipped = plan(found, known, opts)
        bar = BatchProgress(len(found), opts.progress)
        try:  # Ctrl-C: whatever was committed stays; a re-run goes on from there
            with bar:
                for f in skipped:
                    bar.add(skipped=1, errors=known[text_name(f.path)].errors)
                eng = engine or make_engine(opts)
                bar.sent([t.rel for t in tasks])
                pending: list[DocOutcome] = []

                parked: list[DocOutcome] = []  # narrative-only and tables-only files, paired after the first pass

                def flush() -> None:
                    with interrupts_deferred():  # committed and counted, or neither
                        parked.extend(o for o in pending if o.status == PART)
                        pending[:] = [o for o in pending if o.status != PART]
                        commit_many(store, pending, outdir, known)
                        for o in pending:
                            for t in (o.task, *o.task.parts):
                                bad = not o.ok and o.status != SKIPPED
                                bar.add(audited=int(not bad), failed=int(bad), errors=o.counts.get("errors", 0) if t is o.task else 0, name=t.rel)
                            summary.max_rss_mb = max(summary.max_rss_mb, o.rss_mb)
                        pending.clear()

                def run(batch: list[DocTask]) -> None:
                    last = time.monotonic()
                    try:
                        with closing(eng.run(batch)) as outcomes:
                            for o in outcomes:
                                pending.append(o)
                                if len(pending) >= GROUP or time.monotonic() - last >= GROUP_SECONDS:
                                    flush()
                                    last = time.monotonic()
                    finally:  # the end, Ctrl-C or a failing engine: what has arrived is committed first
                        flush()

                run(tasks)
                run(regroup(parked))  # the files of one disclosure, one task per group
            from .cross import run_cross
            from .overview import write_overview

            paths = [text_name(f.path) for f in found]
            with interrupts_deferred():  # a few seconds at most: the overview is never left half-written
                cross = run_cross(store, paths, outdir)
                summary.cross_note = cross.note
                write_overview(store, paths, outdir, cross)
        except KeyboardInterrupt:
            summary.interrupted = True
        summary.audited, summary.skipped = bar.tally.audited + bar.tally.failed, len(skipped)
        _tally(store, [text_name(f.path) for f in found], summary)
    summary.seconds = time.perf_counter() - t0
    return summary


def plan(found: list[Found], known: dict[str, Known], opts: BatchOptions) -> tuple[list[DocTask], list[Found]]:
    """-> (documents to audit, documents whose stored results stand: same content hash and auditor version, not
    a worker death or timeout, and their reports still on disk)."""
    ok: dict[str, bool] = {}
    shas: dict[str, str] = {}
    for f in found:
        try:
            sha = sha256_file(f.path)
        except OSError:
            sha = ""  # unreadable: the worker reports why
        key = text_name(f.path)
        k, shas[key] = known.get(key), sha
        ok[key] = not opts.force and k is not None and _reusable(k, sha, text_name(f.rel), opts)
    for key in ok:  # a group of files stands only as a whole: every file of it found and unchanged
        parts = json.loads(known[key].parts) if ok[key] and known[key].parts else []
        if not all(ok.get(p) for p in parts):
            ok[key] = False
    tasks = [DocTask(f.path, f.rel, shas[text_name(f.path)], f.size, tuple(opts.formats), int(opts.max_mb * 2**20),
                     opts.timeout) for f in found if not ok[text_name(f.path)]]
    folders: dict[str, int] = {}
    for t in tasks:
        folders[os.path.dirname(t.path)] = folders.get(os.path.dirname(t.path), 0) + 1
    tasks = [replace(t, pairable=folders[os.path.dirname(t.path)] > 1) for t in tasks]
    return tasks, [f for f in found if ok[text_name(f.path)]]


def _reusable(k: Known, sha: str, rel: str, opts: BatchOptions) -> bool:
    if not sha or k.sha256 != sha or k.auditor_version != __version__ or k.status in RETRIED:
        return False
    if k.status != OK:
        return True
    if not k.has_facts:  # audited before the store kept facts
        return False
    return all(os.path.exists(os.path.join(opts.outdir, report_name(rel, fmt))) for fmt in opts.formats)


GROUP, GROUP_SECONDS = 32, 0.5   # results arrived are committed together, at least every half second


def commit_many(store: Store, outcomes: list[DocOutcome], outdir: Path, known) -> None:
    """Write each document's reports, then all their rows in one transaction: once committed, a re-run can skip
    them; a hard kill before that loses only results that a re-run recomputes."""
    store.write_documents([r for o in outcomes for r in _rows(o, outdir, known)])


def _rows(o: DocOutcome, outdir: Path, known) -> list:
    t = o.task
    reports = {}
    try:
        for fmt, content in o.reports.items():
            name = report_name(t.name, fmt)
            p = outdir / name
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                p.write_bytes(content)
            else:
                p.write_text(content, encoding="utf-8")
            reports[fmt] = name
        if not o.ok:  # no stale report of an earlier run may stand for a document that now fails
            for fmt in REPORT_SUFFIX:
                (outdir / report_name(t.name, fmt)).unlink(missing_ok=True)
    except OSError as e:
        raise InputError(str(outdir), f"无法写入报告（{e.strerror}）", f"cannot write a report ({e.strerror})")
    c = o.counts
    error = "；".join(x for x in (group_note(t) if t.parts else None, o.error) if x) or None
    parts = json.dumps(group_paths(t), ensure_ascii=False) if t.parts else None
    row = (t.key, t.name, t.sha256, t.size, __version__, o.format, o.encoding, o.pages, o.department, o.dept_key,
           o.year, o.kind, o.unit, o.status, error, c.get("tables"), c.get("cells"), c.get("claims"),
           c.get("claims_checked"), c.get("errors"), c.get("warnings"), c.get("infos"), 0, 0, 0,
           json.dumps(reports, ensure_ascii=False), round(o.seconds, 4), round(o.rss_mb, 1), o.audited_at or None, parts)
    data = None if o.facts is None else json.dumps(o.facts, ensure_ascii=False)
    # an audited document always has a facts row (data NULL when its facts could not be taken)
    facts = [(t.key, o.dept_key, o.year, o.kind, data)] if o.ok else []
    rows = {"tables_cells": o.cells, "claims": o.claims, "findings": o.findings, "findings_evidence": o.evidence,
            "facts": facts}
    return [(row, rows, t.key in known)] + [(m, {}, m[0] in known) for m in member_rows(o, reports)]


def _tally(store: Store, paths: list[str], s: BatchSummary) -> None:
    """Totals over the whole batch as the store holds it (documents audited now and those skipped)."""
    rows = store.con.execute("SELECT rel, status, error, errors, cross_errors FROM documents "
                             "WHERE list_contains(?, path) ORDER BY rel", [paths]).fetchall()
    s.failures = [(rel, st, err or "") for rel, st, err, _, _ in rows if st in FAILED]
    s.failed = len(s.failures)
    s.not_disclosures = [(rel, err or "") for rel, st, err, _, _ in rows if st == SKIPPED]
    s.errors = sum(r[3] or 0 for r in rows)
    s.cross_errors = sum(r[4] or 0 for r in rows)
